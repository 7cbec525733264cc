#!/usr/bin/env python3
"""Chancery benchmark: Chancery vs Hugo vs a C "floor", on synthetic corpora.

What is measured
----------------
For each corpus size (1,000 and 10,000 sections by default) three programs
build the same synthetic report:

  chancery  the release binary: `chancery build --site C --output O --quiet`
  hugo      Debian's Hugo 0.111: `hugo --source H --destination O --quiet
            --ignoreCache --cacheDir <fresh dir> --noBuildLock`, with
            HUGO_RESOURCEDIR=<fresh dir> so that neither its file cache nor
            its resources/_gen cache survives a run (nor lands in the corpus)
  floor     bench/floor.c, a single-threaded C program that reads every
            section Markdown file of the Chancery corpus, renders it with
            libcmark (CMARK_OPT_SMART) and writes as many files and bytes as
            Chancery's output of that corpus (it takes the listing of
            Chancery's last output folder as a manifest; when Chancery's
            output is unavailable it uses Hugo's, and the table says so).
            It is the simplest honest measure of the raw work.

Every run is a cold build into a fresh output folder: the previous output
(and Hugo's cache folders) is moved aside before the run, outside the timing,
and deleted when the benchmark is over. Before the first run of each size the
script waits until the floor runs at its usual speed (see settle_file_system:
deleting gigabytes of files on this ext4-with-discard disk slows large writes
for minutes). The tools alternate (chancery, hugo, floor, chancery, hugo, floor, ...)
`--runs` times, so slow drifts of the machine affect all of them alike.

Each run is executed under `/usr/bin/time -v`, which gives the CPU time
(user + system) and the peak memory (maximum resident set size); the wall
time is taken around it with Python's monotonic high-resolution clock
(GNU time rounds to 10 ms). After each run the output folder is scanned:
pages = number of .html files, MB written = total size of all files.
The table reports the median of each metric over the runs, and the ratios
to Hugo (wall, peak memory) and to the floor (wall). MB are 10^6 bytes.

After the cold runs of each size it measures `chancery build` with its cache
after one body edit (measure_warm_build: a sentence appended to one section,
the median of 5 builds, each of which must be served from the cache), and
`chancery serve`'s edit-to-reload latency, first build, memory after the edits
and time from SIGTERM to exit (measure_reload_latency).

Targets (printed as PASS/FAIL; the script exits 0 either way, it is a
benchmark, not a test): at 10k sections Chancery's wall time is at most 1/10
of Hugo's and at most 2x the floor's, and its peak memory at most 1/4 of
Hugo's; at 1k sections its wall time is at most 1/10 of Hugo's; at 10k
sections the warm build after one body edit takes at most 1/10 of the cold
build's wall time in the same run.

How
---
  swift build -c release --product chancery    # or: make bench
  python3 bench/run_bench.py [--sizes 1000,10000] [--runs 5] [--skip-hugo] [--skip-serve]
                             [--skip-chancery] [--chancery PATH] [--json PATH]

Corpora come from bench/gen_corpus.py (fixed default seed, deterministic:
the same report in both formats) in the formats `chancery` and `hugo`,
written to .build/bench/corpus/<format>-<size>/ and regenerated only when
missing or when the stamp beside them (generator hash and arguments)
differs. Outputs stay in .build/bench/out/<tool>-<size>/ for inspection;
results go to .build/bench/results.json. Hugo and GNU time are installed
with apt-get when missing. Python 3.11 standard library only.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GENERATOR = REPO / "bench" / "gen_corpus.py"
BENCH_DIR = REPO / ".build" / "bench"
FLOOR_SOURCE = REPO / "bench" / "floor.c"
FLOOR_BINARY = BENCH_DIR / "floor"
GNU_TIME = "/usr/bin/time"
TOOLS = ("chancery", "hugo", "floor")  # also the order within each round

# (size, description, measured quantity, limit): Chancery / reference <= limit
TARGETS = [
    (10000, "wall <= 1/10 of Hugo's", "wall_vs_hugo", 1 / 10),
    (10000, "wall <= 2x floor's", "wall_vs_floor", 2.0),
    (10000, "peak memory <= 1/4 of Hugo's", "peak_vs_hugo", 1 / 4),
    (1000, "wall <= 1/10 of Hugo's", "wall_vs_hugo", 1 / 10),
]


def say(msg: str = "") -> None:
    print(msg, flush=True)


# --------------------------------------------------------------------------
# Prerequisites


def apt_install(package: str) -> None:
    """apt-get install -y PACKAGE; on failure apt-get update once and retry."""
    sudo = [] if os.geteuid() == 0 or not shutil.which("sudo") else ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = sudo + ["apt-get", "install", "-y", "-q", package]
    say(f"installing {package}: {' '.join(install)}")
    if subprocess.run(install, env=env).returncode == 0:
        return
    say("install failed; running apt-get update and retrying")
    subprocess.run(sudo + ["apt-get", "update", "-q"], env=env, check=True)
    subprocess.run(install, env=env, check=True)


def ensure_prerequisites(need_hugo: bool) -> None:
    if not os.access(GNU_TIME, os.X_OK):
        apt_install("time")
    if need_hugo and not shutil.which("hugo"):
        apt_install("hugo")


def tool_version(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout
    except OSError:
        return "unknown"
    return out.strip().splitlines()[0] if out.strip() else "unknown"


def build_floor() -> Path:
    """Compile bench/floor.c unless the binary is newer than the source."""
    if FLOOR_BINARY.exists() and FLOOR_BINARY.stat().st_mtime >= FLOOR_SOURCE.stat().st_mtime:
        return FLOOR_BINARY
    cmd = ["cc", "-O2", str(FLOOR_SOURCE), "-lcmark", "-o", str(FLOOR_BINARY)]
    say("compiling the floor: " + " ".join(cmd))
    if subprocess.run(cmd).returncode != 0:
        sys.exit("run_bench: could not compile bench/floor.c (needs cc and libcmark-dev)")
    return FLOOR_BINARY


# --------------------------------------------------------------------------
# Corpora


def ensure_corpus(fmt: str, size: int) -> Path:
    """Generate the corpus unless it exists with a matching stamp."""
    out = BENCH_DIR / "corpus" / f"{fmt}-{size}"
    stamp_path = out.with_name(out.name + ".stamp")
    args = ["--sections", str(size), "--format", fmt]  # seed: the generator's default
    stamp = json.dumps({
        "generator": str(GENERATOR),
        "generator_sha256": hashlib.sha256(GENERATOR.read_bytes()).hexdigest(),
        "args": args,
    }, indent=2) + "\n"
    if out.is_dir() and stamp_path.exists() and stamp_path.read_text() == stamp:
        return out
    say(f"generating the {fmt} corpus with {size} sections in {out}")
    stamp_path.unlink(missing_ok=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, str(GENERATOR), *args, "--out", str(out), "--force"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    stamp_path.write_text(stamp)
    return out


# --------------------------------------------------------------------------
# Measuring


class RunFailed(Exception):
    pass


def scan_output(folder: Path) -> list[tuple[str, int]]:
    """(relative path, size) of every regular file under folder, sorted."""
    files = []
    for root, _dirs, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            if os.path.isfile(path) and not os.path.islink(path):
                files.append((os.path.relpath(path, folder), os.path.getsize(path)))
    return sorted(files)


def parse_gnu_time(text: str) -> dict[str, str]:
    """The 'Key: value' lines of `/usr/bin/time -v` output."""
    fields = {}
    for line in text.splitlines():
        key, sep, value = line.strip().rpartition(": ")
        if sep:
            fields[key] = value.strip()
    return fields


def measure(cmd: list[str], out_dir: Path, scratch: tuple[Path, ...] = (), env: dict | None = None) -> dict:
    """One cold run of cmd under /usr/bin/time -v, into a fresh out_dir.

    The previous out_dir and scratch folders are moved into a trash folder that is
    deleted only when the whole benchmark is over: on ext4, creating files right after
    deleting tens of thousands of others is several times slower (the allocator skips
    recently freed inodes), which would measure the previous run's clean-up, not the tool."""
    for folder in (out_dir, *scratch):
        if folder.exists():
            TRASH_DIR.mkdir(parents=True, exist_ok=True)
            folder.rename(TRASH_DIR / f"{folder.name}-{time.monotonic_ns()}")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    time_file = BENCH_DIR / "time.txt"
    time_file.unlink(missing_ok=True)
    start = time.perf_counter()
    proc = subprocess.run([GNU_TIME, "-v", "-o", str(time_file), *cmd],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace",
                          env=None if env is None else {**os.environ, **env})
    wall = time.perf_counter() - start
    fields = parse_gnu_time(time_file.read_text()) if time_file.exists() else {}
    if proc.returncode != 0 or "Maximum resident set size (kbytes)" not in fields:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
        raise RunFailed(f"exit status {proc.returncode}: {' '.join(cmd)}\n{tail}")
    files = scan_output(out_dir)
    return {
        "wall_s": wall,
        "cpu_s": float(fields["User time (seconds)"]) + float(fields["System time (seconds)"]),
        "peak_mb": int(fields["Maximum resident set size (kbytes)"]) * 1024 / 1e6,
        "pages": sum(1 for path, _ in files if path.endswith(".html")),
        "files": len(files),
        "mb_written": sum(size for _, size in files) / 1e6,
        "_files": files,  # dropped before reporting
    }


@dataclass
class ToolResult:
    tool: str
    status: str = "ok"  # ok | skipped | missing | failed
    note: str = ""
    runs: list[dict] = field(default_factory=list)

    def median(self, key: str) -> float | int | None:
        """Median over the runs (for counts, the lower median, an actual count)."""
        values = [r[key] for r in self.runs]
        if not values:
            return None
        return statistics.median_low(values) if isinstance(values[0], int) else statistics.median(values)


def settle_file_system(floor_command: list[str], out_dir: Path, limit_s: float = 420.0) -> None:
    """Waits until writing a site runs at its usual speed before anything is timed.

    This machine's root file system is ext4 mounted with `discard`: after gigabytes of files
    are deleted (by the previous benchmark's clean-up, say), the freed blocks are trimmed for
    minutes, and writing a few hundred megabytes meanwhile takes up to five times as long,
    while small writes show nothing. So the probe is the floor itself, run until three runs in
    a row are within 15% of the fastest seen. Its output is moved aside, not deleted."""
    fastest, streak, started = None, 0, time.monotonic()
    while True:
        try:
            elapsed = measure(floor_command, out_dir)["wall_s"]
        except RunFailed:
            return
        fastest = elapsed if fastest is None else min(fastest, elapsed)
        streak = streak + 1 if elapsed <= fastest * 1.15 else 0
        if streak >= 3:
            return
        if time.monotonic() - started > limit_s:
            say(f"  the file system did not settle in {limit_s:.0f} s; timing anyway")
            return
        say(f"  waiting for the file system to settle (the floor took {elapsed:.2f} s, at best {fastest:.2f} s)")
        time.sleep(5)


def bench_size(size: int, args, chancery: Path | None) -> dict[str, ToolResult]:
    results = {tool: ToolResult(tool) for tool in TOOLS}
    chancery_corpus = ensure_corpus("chancery", size)
    hugo_corpus = None if args.skip_hugo else ensure_corpus("hugo", size)
    out = {tool: BENCH_DIR / "out" / f"{tool}-{size}" for tool in TOOLS}
    hugo_cache = BENCH_DIR / "hugo-cache"
    hugo_env = {"HUGO_RESOURCEDIR": str(hugo_cache / "resources")}
    manifest = BENCH_DIR / f"floor-manifest-{size}.tsv"

    commands = {
        "chancery": chancery and [str(chancery), "build", "--site", str(chancery_corpus),
                                  "--output", str(out["chancery"]), "--quiet"],
        "hugo": hugo_corpus and ["hugo", "--source", str(hugo_corpus), "--destination", str(out["hugo"]),
                                 "--quiet", "--ignoreCache", "--cacheDir", str(hugo_cache), "--noBuildLock"],
        "floor": [str(FLOOR_BINARY), str(chancery_corpus / "content"), str(manifest), str(out["floor"])],
    }
    if chancery is None:
        results["chancery"].status = args.chancery_status
    if hugo_corpus is None:
        results["hugo"].status = "skipped"

    manifest_files: dict[str, list] = {}  # tool -> last output listing
    if manifest.exists():
        settle_file_system(commands["floor"], out["floor"])
    for round_no in range(1, args.runs + 1):
        for tool in TOOLS:
            result = results[tool]
            if result.status != "ok":
                continue
            if tool == "floor":
                source = next((t for t in ("chancery", "hugo") if t in manifest_files), None)
                if source is None:
                    result.status, result.note = "skipped", "no Chancery or Hugo output to copy the shape of"
                    continue
                result.note = f"writes {source.capitalize()}'s output shape"
                if source != "chancery":
                    result.note += " (Chancery output unavailable)"
                manifest.write_text("".join(f"{sz}\t{p}\n" for p, sz in manifest_files[source]))
            say(f"  [{size} sections] run {round_no}/{args.runs}: {tool}")
            try:
                if tool == "hugo":
                    run = measure(commands[tool], out[tool], (hugo_cache,), hugo_env)
                else:
                    run = measure(commands[tool], out[tool])
            except RunFailed as err:
                result.status, result.note = "failed", str(err).splitlines()[0]
                say(f"    FAILED: {err}")
                continue
            manifest_files[tool] = run.pop("_files")
            result.runs.append(run)
            say(f"    wall {run['wall_s']:.3f} s, cpu {run['cpu_s']:.2f} s, peak {run['peak_mb']:.1f} MB, "
                f"{run['pages']} pages, {run['mb_written']:.1f} MB")
    return results


# --------------------------------------------------------------------------
# Reporting


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def summarize(size: int, results: dict[str, ToolResult]) -> list[dict]:
    hugo, floor = results["hugo"], results["floor"]
    rows = []
    for tool in TOOLS:
        r = results[tool]
        wall, peak = r.median("wall_s"), r.median("peak_mb")
        rows.append({
            "size": size,
            "tool": tool,
            "status": r.status,
            "note": r.note,
            "wall_s": wall,
            "cpu_s": r.median("cpu_s"),
            "peak_mb": peak,
            "pages": r.median("pages"),
            "files": r.median("files"),
            "mb_written": r.median("mb_written"),
            "wall_vs_hugo": ratio(wall, hugo.median("wall_s")),
            "peak_vs_hugo": ratio(peak, hugo.median("peak_mb")),
            "wall_vs_floor": ratio(wall, floor.median("wall_s")),
            "runs": [{k: round(v, 4) if isinstance(v, float) else v for k, v in run.items()}
                     for run in r.runs],
        })
    return rows


def evaluate_targets(rows: list[dict]) -> list[dict]:
    """PASS/FAIL per target; 'not run' when the size was not benchmarked, 'n/a'
    (with the reason) when Chancery or the reference tool was not measured."""
    by_key = {(row["size"], row["tool"]): row for row in rows}
    verdicts = []
    for size, description, key, limit in TARGETS:
        value, reason = None, ""
        if (size, "chancery") not in by_key:
            status = "not run"
        else:
            reference = "floor" if key.endswith("floor") else "hugo"
            missing = [f"{tool} {by_key[size, tool]['status']}" for tool in ("chancery", reference)
                       if by_key[size, tool]["status"] != "ok"]
            if missing:
                status, reason = "n/a", ", ".join(missing)
            else:
                value = by_key[size, "chancery"][key]
                status = "PASS" if value <= limit else "FAIL"
        verdicts.append({"size": size, "target": f"Chancery {description}", "measure": key,
                         "limit": round(limit, 4), "value": None if value is None else round(value, 4),
                         "status": status, "reason": reason})
    return verdicts


def fmt(value, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def print_table(rows: list[dict], verdicts: list[dict], runs: int) -> None:
    header = ["size", "tool", "wall s", "cpu s", "peak MB", "pages", "MB written",
              "wall/hugo", "peak/hugo", "wall/floor"]
    lines = []
    for r in rows:
        if r["status"] != "ok":
            lines.append([f"{r['size']:,}", r["tool"], r["status"]] + [""] * 7)
            continue
        lines.append([f"{r['size']:,}", r["tool"], fmt(r["wall_s"], ".3f"), fmt(r["cpu_s"], ".2f"),
                      fmt(r["peak_mb"], ".1f"), fmt(r["pages"], ".0f"), fmt(r["mb_written"], ".1f"),
                      fmt(r["wall_vs_hugo"], ".3f"), fmt(r["peak_vs_hugo"], ".3f"),
                      fmt(r["wall_vs_floor"], ".2f")])
    widths = [max(len(h), *(len(l[i]) for l in lines)) for i, h in enumerate(header)]
    say()
    say(f"Medians over {runs} run(s); ratios are tool / reference.")
    say("  ".join(h.rjust(w) if i > 1 else h.ljust(w) for i, (h, w) in enumerate(zip(header, widths))))
    say("  ".join("-" * w for w in widths))
    for l in lines:
        say("  ".join(c.rjust(w) if i > 1 else c.ljust(w) for i, (c, w) in enumerate(zip(l, widths))).rstrip())
    notes = [f"{r['size']:,} {r['tool']}: {r['note']}" for r in rows if r["note"]]
    if notes:
        say("Notes:")
        for n in notes:
            say(f"  - {n}")
    say()
    say("Targets:")
    for v in verdicts:
        if v["value"] is not None:
            detail = f" (measured {v['value']:.3f}, limit {v['limit']:.3f})"
        else:
            detail = f" ({v['reason']})" if v["reason"] else ""
        say(f"  {v['status']:>7}  {v['size']:,} sections: {v['target']}{detail}")


# --------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 epilog="See the docstring of bench/run_bench.py for details.")
    ap.add_argument("--sizes", default="1000,10000",
                    help="comma-separated corpus sizes in sections (default: 1000,10000)")
    ap.add_argument("--runs", type=int, default=5, help="runs per tool and size; the median is reported (default: 5)")
    ap.add_argument("--skip-hugo", action="store_true", help="do not run Hugo")
    ap.add_argument("--skip-serve", action="store_true", help="do not measure chancery serve's edit-to-reload latency")
    ap.add_argument("--skip-chancery", action="store_true", help="do not run Chancery")
    ap.add_argument("--chancery", type=Path, default=REPO / ".build" / "release" / "chancery",
                    help="the Chancery binary (default: <repo>/.build/release/chancery)")
    ap.add_argument("--json", type=Path, default=BENCH_DIR / "results.json",
                    help="where to write the results (default: <repo>/.build/bench/results.json)")
    args = ap.parse_args()
    try:
        args.sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        ap.error(f"--sizes: expected comma-separated integers, got {args.sizes!r}")
    if not args.sizes or min(args.sizes) < 1:
        ap.error("--sizes: need at least one positive size")
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    return args


def find_chancery(args) -> Path | None:
    """The Chancery binary to run, or None (with args.chancery_status set)."""
    if args.skip_chancery:
        args.chancery_status = "skipped"
        return None
    path = args.chancery.resolve()
    if os.access(path, os.X_OK) and path.is_file():
        return path
    args.chancery_status = "missing"
    say(f"NOTE: no Chancery binary at {path}: Chancery is not measured.")
    say("      Build it with `swift build -c release --product chancery`, pass --chancery PATH,")
    say("      or pass --skip-chancery to silence this note.")
    return None


TRASH_DIR = BENCH_DIR / "trash"


def free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_kb(pid: int) -> int:
    """The resident set size of a running process, in kB, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_ticks(pid: int) -> int:
    """User plus system CPU time a process has used so far, in clock ticks, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def wait_until_idle(pid: int, limit_s: float = 120.0) -> None:
    """Waits until a process has used no CPU for 0.3 s: a server done with its last rebuild and its background work."""
    last, quiet, began = cpu_ticks(pid), 0, time.perf_counter()
    while quiet < 3 and time.perf_counter() - began < limit_s:
        time.sleep(0.1)
        now = cpu_ticks(pid)
        quiet = quiet + 1 if now == last else 0
        last = now


def measure_reload_latency(chancery: Path, corpus: Path, edits: int = 10) -> dict:
    """Edit-to-reload latency of `chancery serve`: from saving a section to the browser's reload event.

    Serves a copy of the corpus and opens the live-reload event stream as a browser does. Then,
    each time from an idle server (no CPU used for 0.3 s, so no edit waits for the last one's
    rebuild): `edits` times appends a sentence to one section and times until the `reload` event
    naming that page arrives (the rebuild, its writes and the event); and `edits` times adds a
    country to the front matter of a section and times until the events have named both that
    section's page and the country's page. Returns milliseconds, and the RSS after all the edits.
    """
    import socket
    work = BENCH_DIR / "serve-site"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(corpus, work)
    port = free_port()
    log = open(BENCH_DIR / "serve.log", "w+")
    proc = subprocess.Popen([str(chancery), "serve", "--site", str(work), "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    try:
        start = time.perf_counter()
        while "Built in" not in (BENCH_DIR / "serve.log").read_text():
            if proc.poll() is not None or time.perf_counter() - start > 300:
                raise RuntimeError("chancery serve did not start: " + (BENCH_DIR / "serve.log").read_text()[-2000:])
            time.sleep(0.05)
        first_build = time.perf_counter() - start
        events = socket.create_connection(("127.0.0.1", port))
        events.sendall(b"GET /__chancery/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        events.settimeout(60)
        received = b""
        while b"event: status" not in received:
            received += events.recv(65536)
        def quiet() -> None:
            # Whatever the server sent after the last measured event (a late event of the previous edit) is
            # read first, so it cannot pass for this edit's reload.
            wait_until_idle(proc.pid)
            events.settimeout(0.2)
            try:
                while events.recv(65536):
                    pass
            except socket.timeout:
                pass
            events.settimeout(60)

        section = sorted((work / "content" / "chapter-001").glob("0*.md"))[0]
        url = "/chapter-001/" + section.stem.split("-", 1)[1] + "/"
        latencies = []
        for number in range(edits):
            quiet()
            received = b""
            began = time.perf_counter()
            with open(section, "a") as handle:
                handle.write(f"\nAn added sentence, number {number}.\n")
            while url.encode() not in received:
                received += events.recv(65536)
            latencies.append((time.perf_counter() - began) * 1000)

        countries = sorted(path.stem for path in (work / "content" / "countries").glob("*.md"))
        front_matter = []
        for number, edited in enumerate(sorted((work / "content" / "chapter-002").glob("[0-9]*.md"))[:edits]):
            quiet()
            text = edited.read_text()
            line = re.search(r"^countries: \[(.*)\]$", text, re.M)
            listed = [item.strip() for item in line.group(1).split(",")]
            added = next(country for country in countries[number * 7:] + countries if country not in listed)
            wanted = [("/chapter-002/" + edited.stem.split("-", 1)[1] + "/").encode(), f"/countries/{added}/".encode()]
            received = b""
            began = time.perf_counter()
            edited.write_text(text.replace(line.group(0), "countries: [" + ", ".join(listed + [added]) + "]"))
            while not all(page in received for page in wanted):
                received += events.recv(65536)
            front_matter.append((time.perf_counter() - began) * 1000)
        wait_until_idle(proc.pid)
        events.close()
        rss_mb = rss_kb(proc.pid) / 1000
        stop_began = time.perf_counter()
        proc.send_signal(15)
        proc.wait(timeout=30)
        stop_s = time.perf_counter() - stop_began
        return {"first_build_s": round(first_build, 3), "reload_ms_median": round(statistics.median(latencies), 1),
                "reload_ms_all": [round(x, 1) for x in latencies], "edits": edits,
                "front_matter_ms_median": round(statistics.median(front_matter), 1),
                "front_matter_ms_all": [round(x, 1) for x in front_matter],
                "rss_mb_after_edits": round(rss_mb, 1), "sigterm_to_exit_s": round(stop_s, 3)}
    finally:
        if proc.poll() is None:
            proc.send_signal(2)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        log.close()
        shutil.rmtree(work, ignore_errors=True)


def measure_warm_build(chancery: Path, corpus: Path, edits: int = 5) -> dict:
    """`chancery build` with its cache after one body edit: the median wall time of `edits` builds.

    Builds the corpus once into a folder of its own (writing the cache in the corpus's
    .chancery-cache/), then `edits` times appends a sentence to one section and times a build,
    which renders that page from the cache. The section is put back as it was at the end.
    """
    out = BENCH_DIR / "out" / f"chancery-warm-{corpus.name}"
    shutil.rmtree(out, ignore_errors=True)
    command = [str(chancery), "build", "--site", str(corpus), "--output", str(out), "--quiet"]
    subprocess.run(command, check=True)
    section = sorted((corpus / "content" / "chapter-001").glob("0*.md"))[0]
    original = section.read_bytes()
    times = []
    try:
        for number in range(edits):
            with open(section, "a") as handle:
                handle.write(f"\nA sentence added for the warm build, number {number}.\n")
            time.sleep(0.05)
            began = time.perf_counter()
            subprocess.run(command, check=True)
            times.append(time.perf_counter() - began)
    finally:
        section.write_bytes(original)
    check = subprocess.run([str(chancery), "build", "--site", str(corpus), "--output", str(out)], check=True,
                           capture_output=True, text=True).stdout
    return {"warm_s_median": round(statistics.median(times), 3), "warm_s_all": [round(x, 3) for x in times], "edits": edits,
            "from_cache": "from the cache" in check}


def main() -> None:
    args = parse_args()
    if not GENERATOR.is_file():
        sys.exit(f"run_bench: corpus generator not found at {GENERATOR}")
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    ensure_prerequisites(need_hugo=not args.skip_hugo)
    chancery = find_chancery(args)
    build_floor()

    rows = []
    latency = {}
    warm = {}
    # The largest size first: its settling wait absorbs what is left of earlier deletions, which
    # would slow the small corpus's runs by a steady factor that a probe cannot tell from normal.
    for size in sorted(args.sizes, reverse=True):
        say(f"== {size:,} sections")
        rows += summarize(size, bench_size(size, args, chancery))
        if chancery:
            say(f"  [{size} sections] chancery build with its cache, after one body edit")
            warm[size] = measure_warm_build(chancery, ensure_corpus("chancery", size))
        if chancery and not args.skip_serve:
            say(f"  [{size} sections] chancery serve: edit-to-reload latency")
            latency[size] = measure_reload_latency(chancery, ensure_corpus("chancery", size))
    rows.sort(key=lambda row: row["size"])
    verdicts = evaluate_targets(rows)
    for size, numbers in sorted(warm.items()):
        cold = next((row["wall_s"] for row in rows if row["size"] == size and row["tool"] == "chancery"), None)
        numbers["ratio_to_cold"] = round(numbers["warm_s_median"] / cold, 4) if cold else None
        if size == 10000 and cold:
            ok = numbers["ratio_to_cold"] <= 0.10 and numbers["from_cache"]
            verdicts.append({"size": size, "target": "Chancery warm build after one body edit / its cold build", "measure": "warm_ratio",
                             "limit": 0.10, "value": numbers["ratio_to_cold"], "status": "PASS" if ok else "FAIL", "reason": ""})
    for size, numbers in sorted(latency.items()):
        if size != 10000:
            continue
        for target, measure, limit in [("serve: body edit to reload event, ms (median)", "reload_ms_median", 50),
                                       ("serve: front-matter edit adding a country to both pages' reload, ms (median)", "front_matter_ms_median", 150),
                                       ("serve: RSS after the edits, MB", "rss_mb_after_edits", 400)]:
            verdicts.append({"size": size, "target": f"Chancery {target}", "measure": measure, "limit": limit, "value": numbers[measure],
                             "status": "PASS" if numbers[measure] <= limit else "FAIL", "reason": ""})
    print_table(rows, verdicts, args.runs)
    for size, numbers in sorted(warm.items()):
        say(f"chancery build with its cache, {size:,} sections, one body edit: {numbers['warm_s_median']:.3f} s "
            f"(median of {numbers['edits']}: {numbers['warm_s_all']}), {numbers['ratio_to_cold']} of a cold build"
            + ("" if numbers["from_cache"] else " -- NOT served from the cache"))
    for size, numbers in latency.items():
        say(f"chancery serve, {size:,} sections: first build {numbers['first_build_s']:.2f} s, "
            f"edit-to-reload {numbers['reload_ms_median']:.0f} ms (median of {numbers['edits']}: {numbers['reload_ms_all']}), "
            f"front-matter edit adding a country {numbers['front_matter_ms_median']:.0f} ms (median of {numbers['edits']}: {numbers['front_matter_ms_all']}), "
            f"RSS after the edits {numbers['rss_mb_after_edits']:.0f} MB, SIGTERM to exit {numbers['sigterm_to_exit_s']:.2f} s")

    report = {
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count()},
        "versions": {
            "chancery": str(chancery) if chancery else None,
            "hugo": None if args.skip_hugo else tool_version(["hugo", "version"]),
            "floor": "bench/floor.c with libcmark, cc -O2",
        },
        "runs_per_tool": args.runs,
        "units": {"wall_s": "seconds", "cpu_s": "seconds (user+sys)", "peak_mb": "max RSS, 10^6 bytes",
                  "mb_written": "10^6 bytes", "ratios": "tool / reference, medians"},
        "results": [{k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()} for row in rows],
        "targets": verdicts,
        "serve_edit_to_reload": {str(size): numbers for size, numbers in latency.items()},
        "warm_build_after_body_edit": {str(size): numbers for size, numbers in warm.items()},
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n")
    say(f"\nResults written to {args.json}")
    shutil.rmtree(TRASH_DIR, ignore_errors=True)


if __name__ == "__main__":
    main()
