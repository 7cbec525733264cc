import Testing
@testable import Chancery

@Suite("Markdown rendering")
struct MarkdownRendererTests {
    func render(_ text: String, rawHTML: Bool = false, basePath: String = "/", mentions: MarkdownRenderer.Mentions? = nil) -> MarkdownRenderer.Output {
        let renderer = MarkdownRenderer(options: .init(allowRawHTML: rawHTML, basePath: basePath, reservedIDs: ["notes"]))
        return renderer.render(MarkdownSource(text: text, firstLine: 10, path: "content/c/01-s.md"), mentions: mentions)
    }

    @Test("renders CommonMark with smart punctuation")
    func basics() {
        let output = render("Japan's \"policy\" -- *now*.\n\n- a\n- b\n")
        #expect(output.html == "<p>Japan’s “policy” – <em>now</em>.</p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n")
    }

    @Test("drops raw HTML in safe mode and warns with the file line")
    func rawHTMLSuppressed() {
        let output = render("Text\n\n<script>alert(1)</script>\n\nInline <b onclick=\"x()\">bold</b>.\n")
        #expect(!output.html.contains("<script"))
        #expect(!output.html.contains("onclick"))
        #expect(!output.html.contains("<b"))
        #expect(output.diagnostics.map(\.description).first == "content/c/01-s.md:12:1: warning: raw HTML removed: <script>alert(1)</script>\ncontent/c/01-s.md:12:1: note: raw HTML is off for safety; write Markdown, or set 'options: {raw_html: true}' in site.yaml")
    }

    @Test("passes raw HTML through when the site allows it")
    func rawHTMLAllowed() {
        let output = render("<div class=\"box\">x</div>\n", rawHTML: true)
        #expect(output.html == "<div class=\"box\">x</div>\n")
        #expect(output.diagnostics.isEmpty)
    }

    @Test("drops links with unsafe schemes but keeps their text", arguments: [
        "javascript:alert(1)", "JavaScript:alert(1)", " javascript:x", "vbscript:msgbox", "data:text/html;base64,PHNjcmlwdD4=", "file:///etc/passwd",
    ])
    func unsafeLinks(url: String) {
        let output = render("[click](<\(url)>) here\n")
        #expect(output.html == "<p>click here</p>\n")
        #expect(output.diagnostics.count == 1)
    }

    @Test("keeps safe links and escapes their URLs")
    func safeLinks() {
        let output = render("[a](https://example.org/?q=1&r=\"2\") [b](/chapter-2/) [c](#top)\n", basePath: "/bluebook/")
        #expect(output.html == "<p><a href=\"https://example.org/?q=1&amp;r=%222%22\">a</a> <a href=\"/bluebook/chapter-2/\">b</a> <a href=\"#top\">c</a></p>\n")
    }

    @Test("gives headings stable unique ids, demoting a level-1 heading below the page title")
    func headingIDs() {
        let output = render("# Overview\n\n## Japan–Russia relations\n\n## Overview\n\n### Notes\n")
        #expect(output.html == "<h2 id=\"overview\">Overview</h2>\n<h3 id=\"japan-russia-relations\">Japan–Russia relations</h3>\n<h3 id=\"overview-2\">Overview</h3>\n<h4 id=\"notes-2\">Notes</h4>\n")
        #expect(output.headings.map(\.id) == ["overview", "japan-russia-relations", "overview-2", "notes-2"])
    }

    @Test("turns [^11] into a footnote linked both ways, keeping the report's number")
    func footnotes() {
        let output = render("Countries of the Caucasus,[^11] and more.[^a]\n\n[^11]: Armenia, Azerbaijan and Georgia.\n[^a]: Second note.\n")
        #expect(output.html == "<p>Countries of the Caucasus,<sup class=\"footnote-ref\" id=\"fnref-11\"><a href=\"#fn-11\" aria-label=\"Note 11\">11</a></sup> and more.<sup class=\"footnote-ref\" id=\"fnref-a\"><a href=\"#fn-a\" aria-label=\"Note 2\">2</a></sup></p>\n")
        #expect(output.footnotes.map(\.number) == ["11", "2"])
        #expect(output.footnotes[0].html == "<p>Armenia, Azerbaijan and Georgia. <a class=\"footnote-back\" href=\"#fnref-11\" aria-label=\"Back to the text of note 11\">↩\u{FE0E}</a></p>\n")
        #expect(output.diagnostics.isEmpty)
    }

    @Test("reports a footnote reference without a definition, and a definition never used")
    func footnoteErrors() {
        let output = render("Text[^9].\n\n[^8]: Unused.\n")
        #expect(output.diagnostics.map(\.description) == [
            "content/c/01-s.md:10:5: error: footnote [^9] has no definition\ncontent/c/01-s.md:10:5: note: add a paragraph '[^9]: …' at the end of the text",
            "content/c/01-s.md:12:1: warning: footnote [^8] is never referenced in the text",
        ])
    }

    @Test("leaves footnote syntax alone inside code")
    func footnoteInCode() {
        let output = render("Use `[^1]` to refer.\n")
        #expect(output.html == "<p>Use <code>[^1]</code> to refer.</p>\n")
    }

    @Test("survives very deep nesting without recursion")
    func deepNesting() {
        let depth = 5000
        let output = render(String(repeating: "> ", count: depth) + "deep\n\n" + String(repeating: "*", count: depth) + "x\n")
        #expect(output.html.hasSuffix("</blockquote>\n") || output.html.contains("deep"))
    }
}

@Suite("Mention linking")
struct MentionLinkingTests {
    let russia = EntityRef(.country, "russia")
    let korea = EntityRef(.country, "south-korea")
    let northKorea = EntityRef(.country, "north-korea")
    let patrushev = EntityRef(.official, "nikolai-patrushev")

    func render(_ text: String, listed: Set<EntityRef>, link: Bool = true) -> MarkdownRenderer.Output {
        let matcher = MentionMatcher(names: [
            ("Russia", russia), ("Russian Federation", russia), ("Republic of Korea", korea), ("Korea", korea),
            ("North Korea", northKorea), ("Nikolai Patrushev", patrushev), ("Mr. Patrushev", patrushev),
        ])
        let urls = Dictionary(uniqueKeysWithValues: [russia, korea, northKorea, patrushev].map { ($0, "/\($0.kind.plural)/\($0.id)/") })
        let renderer = MarkdownRenderer(options: .init())
        return renderer.render(MarkdownSource(text: text, firstLine: 1, path: "s.md"),
                               mentions: .init(matcher: matcher, listed: listed, urls: urls, link: link))
    }

    @Test("links the first mention only")
    func firstMentionOnly() {
        let output = render("Russia and Russia.\n", listed: [russia])
        #expect(output.html == "<p><a class=\"mention\" href=\"/countries/russia/\">Russia</a> and Russia.</p>\n")
        #expect(output.linked == [russia])
    }

    @Test("matches aliases and prefers the longest name at a position")
    func longestMatch() {
        let output = render("The Republic of Korea and the Russian Federation.\n", listed: [russia, korea])
        #expect(output.html == "<p>The <a class=\"mention\" href=\"/countries/south-korea/\">Republic of Korea</a> and the <a class=\"mention\" href=\"/countries/russia/\">Russian Federation</a>.</p>\n")
    }

    @Test("does not link inside headings, links or code, and links later plain text instead")
    func notInHeadingsLinksCode() {
        let output = render("## Russia\n\n[Russia](https://x.org) `Russia` Russia\n", listed: [russia])
        #expect(output.html == "<h2 id=\"russia\">Russia</h2>\n<p><a href=\"https://x.org\">Russia</a> <code>Russia</code> <a class=\"mention\" href=\"/countries/russia/\">Russia</a></p>\n")
    }

    @Test("matches whole words only, across typographic punctuation")
    func wordBoundaries() {
        let output = render("Russian policy; Russia's role; Korean; North Korea.\n", listed: [russia, korea, northKorea])
        #expect(output.html == "<p>Russian policy; <a class=\"mention\" href=\"/countries/russia/\">Russia</a>’s role; Korean; <a class=\"mention\" href=\"/countries/north-korea/\">North Korea</a>.</p>\n")
    }

    @Test("matches names split by emphasis and smart quotes into several text nodes")
    func acrossNodes() {
        let output = render("Mr. Patrushev said \"Russia\".\n", listed: [russia, patrushev])
        #expect(output.html == "<p><a class=\"mention\" href=\"/officials/nikolai-patrushev/\">Mr. Patrushev</a> said “<a class=\"mention\" href=\"/countries/russia/\">Russia</a>”.</p>\n")
    }

    @Test("warns once about an entity named in the text but not listed, pointing at the name")
    func unlistedMention() {
        let output = render("Talks with\nthe Republic of Korea and Korea.\n", listed: [russia])
        #expect(output.html == "<p>Talks with\nthe Republic of Korea and Korea.</p>\n")
        #expect(output.diagnostics.map(\.description) == [
            "s.md:2:5: warning: 'Republic of Korea' names countries/south-korea but the section does not list 'south-korea' in 'countries'\ns.md:2:5: note: add 'south-korea' to the front matter's 'countries' so the index pages are complete",
        ])
    }

    @Test("still reports unlisted names when auto-linking is off, but links nothing")
    func autoLinkOff() {
        let output = render("Russia and Korea.\n", listed: [russia], link: false)
        #expect(output.html == "<p>Russia and Korea.</p>\n")
        #expect(output.diagnostics.count == 1)
    }

    @Test("where names overlap, the longest covering match wins; overlapping names of one entity join",
          arguments: [
              // An alias that starts earlier no longer cuts the full name short.
              ("Premier Wen Jiabao met them.", "<p><a class=\"mention\" href=\"/officials/wen-jiabao/\">Premier Wen Jiabao</a> met them.</p>\n"),
              ("President Lee Myung-bak spoke.", "<p><a class=\"mention\" href=\"/officials/lee-myung-bak/\">President Lee Myung-bak</a> spoke.</p>\n"),
              ("Premier Wen spoke.", "<p><a class=\"mention\" href=\"/officials/wen-jiabao/\">Premier Wen</a> spoke.</p>\n"),
              // Another entity's longer name that starts inside a match replaces it.
              ("The Japan Russia Intergovernmental Committee met.", "<p>The Japan <a class=\"mention\" href=\"/organizations/igc/\">Russia Intergovernmental Committee</a> met.</p>\n"),
              // A shorter name of another entity inside a match stays part of it.
              ("Lee Myung-bak spoke.", "<p><a class=\"mention\" href=\"/officials/lee-myung-bak/\">Lee Myung-bak</a> spoke.</p>\n"),
          ])
    func longestCoveringMatch(_ text: String, _ html: String) {
        let wen = EntityRef(.official, "wen-jiabao"), lee = EntityRef(.official, "lee-myung-bak")
        let japan = EntityRef(.country, "japan"), committee = EntityRef(.organization, "igc"), korea = EntityRef(.country, "korea")
        let matcher = MentionMatcher(names: [
            ("Wen Jiabao", wen), ("Premier Wen", wen), ("Lee Myung-bak", lee), ("President Lee", lee),
            ("Japan Russia", japan), ("Russia Intergovernmental Committee", committee), ("Myung-bak", korea),
        ])
        let refs = [wen, lee, japan, committee, korea]
        let urls = Dictionary(uniqueKeysWithValues: refs.map { ($0, "/\($0.kind.plural)/\($0.id)/") })
        let output = MarkdownRenderer(options: .init()).render(MarkdownSource(text: text + "\n", firstLine: 1, path: "s.md"),
                                                              mentions: .init(matcher: matcher, listed: Set(refs), urls: urls, link: true))
        #expect(output.html == html)
    }

    @Test("reports which listed entities the text names, headings and links included")
    func namedEntities() {
        let output = render("## Russia\n\n[Mr. Patrushev](https://x.org) spoke.\n", listed: [russia, patrushev, korea])
        #expect(output.named == [russia, patrushev])
    }
}
