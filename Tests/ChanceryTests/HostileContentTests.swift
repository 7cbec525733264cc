import Foundation
import Testing
import ChanceryFuzz
@testable import Chancery

// The XSS proof: a site with hostile text in every field that reaches a page, rendered into every
// kind of page, checked with `HTMLSafetyScanner` (a conservative tokeniser, not a string search)
// and for the escaped form of each field, so a field that silently stopped reaching its page
// would be noticed too.
//
// Ids are constrained to `[a-z0-9-]` (bad-id-* cases), `iso`/`iso3`/`language`/dates are
// validated, and a source's `url` must be an http(s) URL without quotes or angle brackets
// (agreement-source-javascript, source-missing-url), so those fields carry no payload; everything else does.
@Suite("Hostile content")
struct HostileContentTests {
    /// Text that would be markup, a script, an event handler and a broken-out attribute if written unescaped; `tag` names the field.
    static func payload(_ tag: String) -> String {
        "\(tag)<x-\(tag) onclick=\"alert('\(tag)')\">'\"&amp;<script>alert(\"\(tag)\")</script><img src=x onerror=alert(1)>"
    }

    /// A double-quoted YAML scalar holding `text`.
    static func yaml(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func field(_ tag: String) -> String { yaml(payload(tag)) }

    /// A Markdown body trying every way Markdown offers to smuggle script into the page.
    static func markdown(_ tag: String) -> String {
        """
        # Heading \(tag) <script>alert('h')</script> "quoted" & 'single'

        <script>alert(1)</script>

        <iframe src="javascript:alert(2)"></iframe>

        <div onmouseover="alert(3)">div</div>

        Inline <img src=x onerror=alert(4)> and <a href="javascript:alert(5)">a</a> and <svg/onload=alert(6)>.

        [js](javascript:alert(7)) [JS](JAVASCRIPT:alert(8)) [entity](&#106;avascript:alert(10)) [colon](javascript&colon;alert(11))
        [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxMik8L3NjcmlwdD4=) [vb](vbscript:msgbox(13)) [file](file:///etc/passwd)
        [spaced](<  javascript:alert(29)>) [newline](<java\u{0B}script:alert(30)>)
        <javascript:alert(14)> <https://example.net/?q="><script>alert(15)</script>>

        ![img](javascript:alert(16)) ![svg](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMTcpPg==) ![png](data:image/png;base64,iVBORw0KGgo=)
        ![ctrl](data:ima\u{03}ge/png;base64,AA) [pnglink](data:image/png;base64,iVBORw0KGgo=)

        [title](https://example.net/ "t\\" onmouseover=\\"alert(18)") [reference][r] [x](https://example.net/a"b'c<d>e)

        [r]: javascript:alert(19)

        ```"><script>alert(20)</script>
        code <script>alert(21)</script>
        ```

        `<script>alert(22)</script>`

        <!-- <script>alert(23)</script> -->

        <?php echo 1; ?>

        <![CDATA[<script>alert(24)</script>]]>

        <style>body{background:url(javascript:alert(25))}</style>

        """ + (tag == "section" ? footnote : "")
    }

    /// Only section pages list footnotes, so only a section's body has one.
    static let footnote = """
        A note.[^x]

        [^x]: Footnote <script>alert(26)</script> [f](javascript:alert(27)) <b onclick=alert(28)>b</b>

        """

    /// Every field with its tag; the tags are what the escaped-form check looks for.
    /// (A6, an agreement's aliases, is only used to find mentions; no template shows it.)
    static let tags = ["S1", "S2", "S3", "S4", "H1", "C1", "C2", "T1", "T2", "N1", "N2", "N3",
                       "O1", "O2", "O3", "A1", "A2", "A3", "A4", "G1", "G2", "G3", "R1", "R2", "R3"]

    static func files(baseURL: String) -> [String: String] {
        [
            "site.yaml": """
            title: \(field("S1"))
            edition: \(field("S2"))
            description: \(field("S3"))
            breadcrumb_root: \(field("S4"))
            base_url: \(yaml(baseURL))
            language: en

            """,
            "content/_index.md": "---\ntitle: \(field("H1"))\n---\n" + markdown("home"),
            "content/chapter-1/_index.md": "---\nnumber: 1\ntitle: \(field("C1"))\nsummary: \(field("C2"))\n---\n" + markdown("chapter"),
            "content/chapter-1/01-russia.md": """
            ---
            title: \(field("T1"))
            summary: \(field("T2"))
            number: 1
            date: 2013-04-05
            countries: [russia]
            officials: [nikolai-patrushev]
            agreements: [security-memorandum]
            organizations: [csto]
            sources:
              - title: \(field("R3"))
                url: https://example.net/
            ---

            """ + markdown("section"),
            "content/countries/russia.md": "---\nname: \(field("N1"))\niso: RU\nregion: \(field("N2"))\naliases: [\(field("N3"))]\n---\n" + markdown("country"),
            "content/officials/nikolai-patrushev.md": """
            ---
            name: \(field("O1"))
            country: russia
            aliases: [\(field("O3"))]
            positions:
              - title: \(field("O2"))
                from: 2008-05-12
            ---

            """ + markdown("official"),
            "content/agreements/security-memorandum.md": """
            ---
            title: \(field("A1"))
            short_title: \(field("A2"))
            kind: \(field("A3"))
            place: \(field("A4"))
            signed: 2012-10-23
            parties: [russia, csto]
            signatories: [nikolai-patrushev]
            binding: true
            sources:
              - title: \(field("R1"))
                url: \(yaml("https://example.net/memo?a=1&c='3'&x-A5"))
                note: \(field("R2"))
            aliases: [\(field("A6"))]
            ---

            """ + markdown("agreement"),
            "content/organizations/csto.md": "---\nname: \(field("G1"))\nshort_name: \(field("G2"))\naliases: [\(field("G3"))]\n---\n" + markdown("organization"),
        ]
    }

    /// Every kind of page, by output file.
    static let pages = ["index.html", "404.html", "chapter-1/index.html", "chapter-1/russia/index.html",
                        "countries/index.html", "countries/russia/index.html", "officials/index.html",
                        "officials/nikolai-patrushev/index.html", "agreements/index.html",
                        "agreements/security-memorandum/index.html", "organizations/index.html", "organizations/csto/index.html"]

    @Test("no page of a site with hostile values in every field holds script, an event handler or a script URL",
          arguments: ["https://example.org/", "https://example.org/a'b&c(d)*e/", "/sub/"])
    func hostileSite(baseURL: String) async throws {
        let site = try TestSite(HostileContentTests.files(baseURL: baseURL))
        defer { site.remove() }
        let report: BuildReport
        switch await site.build() {
        case .success(let built): report = built
        case .failure(let failure):
            Issue.record("the hostile site did not build: \(failure)")
            return
        }
        #expect(!report.diagnostics.hasErrors)
        #expect(report.diagnostics.contains { $0.message.hasPrefix("raw HTML removed") })
        #expect(report.diagnostics.contains { $0.message.hasPrefix("unsafe link removed") })

        var everything = ""
        let fs = FileManager.default
        let html = try fs.subpathsOfDirectory(atPath: site.output).filter { $0.hasSuffix(".html") }.sorted()
        #expect(Set(HostileContentTests.pages).isSubset(of: Set(html)), "missing page kinds: \(Set(HostileContentTests.pages).subtracting(html))")
        for file in html {
            let text = try String(contentsOfFile: site.output + "/" + file, encoding: .utf8)
            for finding in HTMLSafetyScanner.scan(text) {
                Issue.record("\(file): \(finding)")
            }
            // Belt and braces: no tag from the input, as plain strings too (escaped text has no raw '<').
            let lowered = text.lowercased()
            for needle in ["<script>", "<iframe", "<svg", "<style", "<x-", "<img src=x", "<div onmouseover", "<b onclick"]
            where lowered.contains(needle) {
                Issue.record("\(file) contains \(needle)")
            }
            everything += text
        }
        // Each field reached some page, escaped.
        for tag in HostileContentTests.tags {
            #expect(everything.contains("\(tag)&lt;x-\(tag) onclick=&quot;alert(&#39;\(tag)&#39;)&quot;&gt;"),
                    "field \(tag) appears on no page in escaped form")
        }
        #expect(everything.contains("href=\"https://example.net/memo?a=1&amp;c=&#39;3&#39;&amp;x-A5\""))
    }

    @Test("a base URL with characters a URL cannot hold is an error",
          arguments: ["https://example.org/a\"b/", "/a b/", "/a<b>/", "https://example.org/{x}/", "https://example.org/a?b/", "/a#b/"])
    func hostileBaseURL(_ baseURL: String) async throws {
        let site = try TestSite(HostileContentTests.files(baseURL: baseURL))
        defer { site.remove() }
        guard case .failure(let failure) = await site.build() else {
            Issue.record("a base_url of \(baseURL) was accepted")
            return
        }
        #expect(failure.diagnostics.errors.map(\.description).first?.hasPrefix("site.yaml:5:11: error: 'base_url' may not contain") == true,
                "\(failure.diagnostics)")
    }

    @Test("a base URL without a proper host is an error", arguments: ["https://example.ornthttps://example.org/", "https:///x/", "http://exa mple.org/", "https://-x.org/"])
    func baseURLWithoutHost(_ baseURL: String) async throws {
        let site = try TestSite(["site.yaml": "title: T\nbase_url: \(HostileContentTests.yaml(baseURL))\n", "content/_index.md": "---\ntitle: T\n---\n"])
        defer { site.remove() }
        let printed = await site.diagnostics()
        #expect(printed.first?.hasPrefix("site.yaml:2:11: error: 'base_url' has no valid host name") == true, "\(printed)")
    }

    /// Whatever reaches `SiteConfig` (the command line's --base-url is not checked like site.yaml):
    /// page links never start with `//`, which would lead to another host.
    @Test("a base path never starts with two slashes", arguments: [
        ("//evil.example/report/", "/evil.example/report/", ""),
        ("https://example.org//evil.example/", "/evil.example/", "https://example.org"),
        ("https://example.org/a//b/", "/a/b/", "https://example.org"),
        ("https://example.org", "/", "https://example.org"),
        ("https://example.org:8443/bluebook/", "/bluebook/", "https://example.org:8443"),
        ("/", "/", ""),
        ("https://example.org/a?b/c/", "/a/", "https://example.org"),
        ("/a#b/", "/a/", ""),
    ])
    func basePathSlashes(_ baseURL: String, _ basePath: String, _ origin: String) {
        let config = SiteConfig(title: "T", baseURL: baseURL)
        #expect(config.basePath == basePath)
        #expect(config.origin == origin)
        #expect(SiteConfig.isValidHost("example.org:8443") && SiteConfig.isValidHost("[::1]:8000") && SiteConfig.isValidHost("127.0.0.1"))
    }

    /// libyaml stops at about 1000 levels (deep-yaml-nesting); Yams composes recursively, so the deepest
    /// accepted front matter must still fit the stack of the threads files are parsed on.
    @Test("front matter nested as deep as YAML allows is parsed without exhausting the stack", arguments: ["flow", "block"])
    func deepestAcceptedYAML(_ style: String) async throws {
        var files = MinimalSite.files
        let deep = style == "flow"
            ? String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
            : "\n" + (0..<998).map { String(repeating: "  ", count: $0) + "-\n" }.joined() + String(repeating: "  ", count: 998) + "- x"
        files["content/countries/russia.md"] = "---\nname: Russia\niso: RU\nregion: Europe\naliases: \(deep)\n---\n"
        let site = try TestSite(files)
        defer { site.remove() }
        let printed = await site.diagnostics()
        #expect(printed.first?.contains("error: each item of 'aliases' must be text, not a list") == true, "\(printed.first ?? "")")
    }

    @Test("the raw HTML option is the one way markup from content reaches a page")
    func rawHTMLOption() async throws {
        var files = HostileContentTests.files(baseURL: "/")
        files["site.yaml"] = "title: Raw\noptions:\n  raw_html: true\n"
        for (path, text) in files where path.hasSuffix(".md") {
            // Front matter as before; the body one line of raw markup.
            let end = text.range(of: "\n---\n", range: text.index(after: text.startIndex)..<text.endIndex)!.upperBound
            files[path] = String(text[..<end]) + "\nRaw <b onclick=\"alert(1)\">markup</b> passes.\n"
        }
        let site = try TestSite(files)
        defer { site.remove() }
        if case .failure(let failure) = await site.build() {
            Issue.record("the site did not build: \(failure)")
            return
        }
        let section = try site.read("public/chapter-1/russia/index.html")
        #expect(!HTMLSafetyScanner.scan(section).isEmpty, "raw HTML mode should pass the body's markup through")
        // Front-matter fields stay escaped even then.
        #expect(!section.contains("<x-T1"))
    }
}

@Suite("HTML safety scanner")
struct HTMLSafetyScannerTests {
    @Test("finds script, handlers and script URLs however they are spelled", arguments: [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//x>",
        "<p>1 < 2</p>",
        "<iframe src=\"https://example.net/\"></iframe>",
        "<svg onload=alert(1)>",
        "<x-anything>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\"  JaVa&#x09;Script&colon;alert(1)\">x</a>",
        "<a href=\"&#106;&#97;vascript:alert(1)\">x</a>",
        "<a href=\"java&Tab;script:alert(1)\">x</a>",
        "<a href=\"vbscript:msgbox\">x</a>",
        "<a href=\"data:text/html,<b>\">x</a>",
        "<a href=\"data:image/png;base64,AA\">x</a>",
        "<img src=\"data:image/svg+xml,AA\">",
        "<img src=\"x\" srcset=\"javascript:alert(1) 2x\">",
        "<a onclick=\"x()\">x</a>",
        "<a ONMOUSEOVER=x>x</a>",
        "<a href=\"x\" title=\"a<b\">x</a>",
        "<a href=x\"y>x</a>",
        "<a href=\"x\"title=\"y\">x</a>",
        "<div style=\"background:url(javascript:alert(1))\">x</div>",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
        "<!-- never closed",
        "<a href=\"x\"",
        "<a href=\"x>",
        "<p>x</p><?php echo 1; ?>",
        "<!--><script>alert(1)</script><!-- -->",
        "<!-- x --!><img src=x onerror=alert(1)> -->",
        "<a href=\"&#0000000106;avascript:alert(1)\">x</a>",
        "<a href=\"&#x000006A;avascript:alert(1)\">x</a>",
        "<script src=\"/assets/search.js\">alert(1)</script>",
        "<script src=\"https://evil.example/assets/x.js\"></script>",
        "<script src=\"//evil.example/assets/x.js\"></script>",
        "<script src=\"/uploads/x.js\"></script>",
        "<script>/* /assets/x.js */</script>",
    ])
    func finds(_ html: String) {
        #expect(!HTMLSafetyScanner.scan(html).isEmpty, "no finding in \(html)")
    }

    @Test("accepts what Chancery writes", arguments: [
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>A &lt;b&gt; &amp; &quot;c&quot;</title></head></html>",
        "<p>1 &lt; 2 &amp;&amp; 3 &gt; 2; onclick=&quot;x&quot; javascript:alert(1)</p>",
        "<a href=\"https://example.org/?a=1&amp;b=%222%22\" title=\"t&quot; onmouseover=&quot;x\">x</a>",
        "<a href=\"/chapter-1/\">x</a> <a href=\"#fn-1\">1</a> <a href=\"mailto:a@b.c\">m</a> <a href=\"htt:ps//x\">odd</a>",
        "<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"a &quot;b&quot;\">",
        "<pre><code class=\"language-&quot;&gt;&lt;script&gt;\">&lt;script&gt;</code></pre>",
        "<!-- a comment -->\n<br>\n<hr>",
        "<form action=\"/search/\" method=\"get\" hidden><input type=\"search\" name=\"q\"><button type=\"submit\">Go</button></form>",
        "<script src=\"/sub/assets/search.1a2b3c.js\" defer></script>",
    ])
    func accepts(_ html: String) {
        #expect(HTMLSafetyScanner.scan(html).isEmpty, "\(HTMLSafetyScanner.scan(html))")
    }
}
