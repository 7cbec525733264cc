/*
 * floor.c - the "raw work" floor of the Chancery benchmark (see run_bench.py).
 *
 * One single-threaded process that does the unavoidable minimum of a build:
 *
 *   1. reads every section file CONTENT_DIR/<dir>/NN-*.md (two digits, a dash,
 *      ".md"), strips the YAML front matter (from a first line "---" to the
 *      next line "---"), and renders the body with libcmark
 *      (cmark_markdown_to_html with CMARK_OPT_SMART);
 *   2. writes the files listed in MANIFEST (lines "SIZE<TAB>RELATIVE/PATH",
 *      normally the listing of Chancery's output of the same corpus) under
 *      OUT_DIR, creating directories as needed, each exactly SIZE bytes long,
 *      filled with the most recently rendered HTML, repeated or truncated.
 *
 * The manifest entries are spread evenly over the sections in order, so the
 * rendering and the writing interleave as in a streaming generator and only
 * one rendered section is held in memory at a time. No templates, no
 * cross-references, no indexes: a generator doing the same job cannot be
 * expected to get much below this.
 *
 * Build: cc -O2 floor.c -lcmark -o floor
 * Usage: floor CONTENT_DIR MANIFEST OUT_DIR
 */
#define _POSIX_C_SOURCE 200809L

#include <cmark.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("floor: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) die("out of memory");
    return p;
}

static char *join(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    char *s = xmalloc(la + lb + 2);
    memcpy(s, a, la);
    s[la] = '/';
    memcpy(s + la + 1, b, lb + 1);
    return s;
}

/* Reads a whole file into a fresh buffer (NUL-terminated); *len gets its size. */
static char *read_file(const char *path, size_t *len) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) die("cannot open %s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) die("cannot stat %s: %s", path, strerror(errno));
    size_t cap = (size_t)st.st_size, n = 0;
    char *buf = xmalloc(cap + 1);
    for (;;) {
        if (n == cap) { /* the file grew while we read it */
            cap = cap * 2 + 4096;
            buf = realloc(buf, cap + 1);
            if (!buf) die("out of memory");
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0) {
            if (errno == EINTR) continue;
            die("cannot read %s: %s", path, strerror(errno));
        }
        if (r == 0) break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Is the line buf[start, end) (without its newline) exactly "---" (optionally "---\r")? */
static int is_fence(const char *buf, size_t start, size_t end) {
    size_t n = end - start;
    if (n == 4 && buf[start + 3] == '\r') n = 3;
    return n == 3 && memcmp(buf + start, "---", 3) == 0;
}

/* Offset of the Markdown body: just after the closing "---" line of the front
 * matter, or 0 when the file does not start with a "---" line. */
static size_t body_offset(const char *buf, size_t len) {
    const char *nl = memchr(buf, '\n', len);
    if (!nl || !is_fence(buf, 0, (size_t)(nl - buf))) return 0;
    size_t pos = (size_t)(nl - buf) + 1;
    while (pos < len) {
        nl = memchr(buf + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - buf) : len;
        if (is_fence(buf, pos, end)) return nl ? end + 1 : len;
        pos = end + 1;
    }
    return 0; /* unterminated front matter: render the whole file */
}

/* ---- the section list: CONTENT_DIR/<dir>/NN-*.md, sorted ---- */

static int is_section_name(const struct dirent *e) {
    const char *n = e->d_name;
    size_t len = strlen(n);
    return len > 6 && isdigit((unsigned char)n[0]) && isdigit((unsigned char)n[1]) && n[2] == '-' &&
           strcmp(n + len - 3, ".md") == 0;
}

static int not_hidden(const struct dirent *e) { return e->d_name[0] != '.'; }

typedef struct {
    char **items;
    size_t count, cap;
} StrList;

static void push(StrList *l, char *s) {
    if (l->count == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 1024;
        l->items = realloc(l->items, l->cap * sizeof *l->items);
        if (!l->items) die("out of memory");
    }
    l->items[l->count++] = s;
}

static StrList list_sections(const char *content) {
    StrList out = {0};
    struct dirent **dirs;
    int nd = scandir(content, &dirs, not_hidden, alphasort);
    if (nd < 0) die("cannot list %s: %s", content, strerror(errno));
    for (int i = 0; i < nd; i++) {
        char *dir = join(content, dirs[i]->d_name);
        struct stat st;
        if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) {
            struct dirent **files;
            int nf = scandir(dir, &files, is_section_name, alphasort);
            if (nf < 0) die("cannot list %s: %s", dir, strerror(errno));
            for (int j = 0; j < nf; j++) {
                push(&out, join(dir, files[j]->d_name));
                free(files[j]);
            }
            free(files);
        }
        free(dir);
        free(dirs[i]);
    }
    free(dirs);
    return out;
}

/* ---- the manifest ---- */

typedef struct {
    size_t size;
    char *path; /* relative to OUT_DIR */
} Entry;

static Entry *read_manifest(const char *path, size_t *count) {
    size_t len;
    char *text = read_file(path, &len); /* kept alive: entries point into it */
    size_t cap = 1024, n = 0;
    Entry *entries = xmalloc(cap * sizeof *entries);
    char *line = text, *end = text + len;
    int lineno = 0;
    while (line < end) {
        char *nl = memchr(line, '\n', (size_t)(end - line));
        if (!nl) nl = end;
        *nl = '\0';
        lineno++;
        if (*line) {
            char *tab = strchr(line, '\t');
            char *num_end;
            unsigned long long size = strtoull(line, &num_end, 10);
            if (!tab || num_end != tab || tab[1] == '\0' || tab[1] == '/' || strstr(tab + 1, ".."))
                die("%s:%d: expected SIZE<TAB>RELATIVE/PATH", path, lineno);
            if (n == cap) {
                cap *= 2;
                entries = realloc(entries, cap * sizeof *entries);
                if (!entries) die("out of memory");
            }
            entries[n].size = (size_t)size;
            entries[n].path = tab + 1;
            n++;
        }
        line = nl + 1;
    }
    *count = n;
    return entries;
}

/* ---- writing ---- */

/* mkdir -p of the directory part of path (which lies under an existing root). */
static void make_parent_dirs(char *path, size_t root_len) {
    static char last[4096] = "";
    char *slash = strrchr(path, '/');
    if (!slash || (size_t)(slash - path) <= root_len) return;
    *slash = '\0';
    if (strcmp(path, last) != 0) {
        if (mkdir(path, 0755) != 0 && errno != EEXIST) {
            /* a parent is missing: create the components one by one */
            for (char *p = path + root_len + 1; *p; p++) {
                if (*p != '/') continue;
                *p = '\0';
                if (mkdir(path, 0755) != 0 && errno != EEXIST) die("cannot create %s: %s", path, strerror(errno));
                *p = '/';
            }
            if (mkdir(path, 0755) != 0 && errno != EEXIST) die("cannot create %s: %s", path, strerror(errno));
        }
        if (strlen(path) < sizeof last) strcpy(last, path);
    }
    *slash = '/';
}

static void write_page(const char *path, size_t size, const char *html, size_t hlen) {
    static char *buf;
    static size_t cap;
    if (size > cap) {
        cap = size * 2;
        free(buf);
        buf = xmalloc(cap);
    }
    for (size_t off = 0; off < size; off += hlen) {
        size_t n = size - off < hlen ? size - off : hlen;
        memcpy(buf + off, html, n);
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) die("cannot create %s: %s", path, strerror(errno));
    for (size_t off = 0; off < size;) {
        ssize_t w = write(fd, buf + off, size - off);
        if (w < 0) {
            if (errno == EINTR) continue;
            die("cannot write %s: %s", path, strerror(errno));
        }
        off += (size_t)w;
    }
    if (close(fd) != 0) die("cannot close %s: %s", path, strerror(errno));
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s CONTENT_DIR MANIFEST OUT_DIR\n", argv[0]);
        return 2;
    }
    const char *content = argv[1], *out = argv[3];
    size_t nentries;
    Entry *entries = read_manifest(argv[2], &nentries);
    StrList sections = list_sections(content);
    if (sections.count == 0) die("no section files (*/NN-*.md) under %s", content);
    if (mkdir(out, 0755) != 0 && errno != EEXIST) die("cannot create %s: %s", out, strerror(errno));

    size_t root_len = strlen(out), next = 0, md_bytes = 0, html_bytes = 0, out_bytes = 0;
    for (size_t k = 0; k < sections.count; k++) {
        size_t len;
        char *md = read_file(sections.items[k], &len);
        size_t body = body_offset(md, len);
        char *html = cmark_markdown_to_html(md + body, len - body, CMARK_OPT_SMART);
        size_t hlen = strlen(html);
        md_bytes += len;
        html_bytes += hlen;
        const char *fill = hlen ? html : "\n";
        size_t flen = hlen ? hlen : 1;

        /* this section's share of the output files */
        size_t end = (size_t)((unsigned long long)(k + 1) * nentries / sections.count);
        for (; next < end; next++) {
            char *path = join(out, entries[next].path);
            make_parent_dirs(path, root_len);
            write_page(path, entries[next].size, fill, flen);
            out_bytes += entries[next].size;
            free(path);
        }
        free(html);
        free(md);
        free(sections.items[k]);
    }
    printf("floor: %zu sections, %zu bytes of Markdown -> %zu bytes of HTML; wrote %zu files, %zu bytes\n",
           sections.count, md_bytes, html_bytes, nentries, out_bytes);
    return 0;
}
