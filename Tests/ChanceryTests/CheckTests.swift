import Foundation
import Testing
@testable import Chancery

@Suite("chancery check")
struct CheckTests {
    static func check(_ fixture: String) async throws -> SiteBuilder.CheckReport {
        let site = try TestSite(fixture: "check/" + fixture)
        defer { site.remove() }
        return await SiteBuilder(options: site.options()).check()
    }

    @Test("reports each problem at its source file", arguments: [
        ("broken-link", [
            "content/chapter-1/02-europe.md:9:82: error: broken link '/bluebook/chapter-1/asia/': no page or file at /bluebook/chapter-1/asia/\ncontent/chapter-1/02-europe.md:9:82: note: on the page /bluebook/chapter-1/europe/",
        ]),
        ("broken-anchor", [
            "content/chapter-1/02-europe.md:9:78: error: broken anchor '/bluebook/chapter-1/russia/#central-asian-affairs': /bluebook/chapter-1/russia/ has no element with id 'central-asian-affairs'\ncontent/chapter-1/02-europe.md:9:78: note: on the page /bluebook/chapter-1/europe/",
        ]),
        ("orphan-page", [
            "static/press/2012.html: warning: page /bluebook/press/2012.html cannot be reached by following links from the home page",
        ]),
        ("url-collision", [
            "static/chapter-1/index.html: error: two pages would be written to 'chapter-1/index.html'\nstatic/chapter-1/index.html: note: static/chapter-1/index.html and content/chapter-1/_index.md map to the same URL; rename one",
        ]),
        ("clean", []),
    ])
    func fixtures(name: String, expected: [String]) async throws {
        let report = try await Self.check(name)
        #expect(report.diagnostics.map(\.description) == expected)
    }

    @Test("tells errors from warnings by rule, as site.yaml sets them")
    func severities() async throws {
        let site = try TestSite(fixture: "check/broken-link")
        defer { site.remove() }
        try site.write(try site.read("site.yaml").replacingOccurrences(of: "check:\n", with: "check:\n  broken-link: warning\n  orphan: off\n"), to: "site.yaml")
        let report = await SiteBuilder(options: site.options()).check()
        #expect(report.diagnostics.map(\.severity) == [.warning])
        #expect(report.diagnostics.first?.rule == "broken-link")
        try site.write(try site.read("site.yaml").replacingOccurrences(of: "broken-link: warning", with: "broken-link: loud"), to: "site.yaml")
        let invalid = await SiteBuilder(options: site.options()).check()
        #expect(invalid.diagnostics.map(\.description).first?.contains("'check.broken-link' must be error, warning or off, not 'loud'") == true)
    }

    @Test("fails the build on a broken link, leaving the output untouched")
    func buildFails() async throws {
        let site = try TestSite(fixture: "check/broken-link")
        defer { site.remove() }
        guard case .failure(let failure) = await site.build() else { Issue.record("the build should fail"); return }
        #expect(failure.stage == .check)
        #expect(!FileManager.default.fileExists(atPath: site.output))
    }

    @Test("lists external links and flags malformed ones")
    func external() async throws {
        let site = try TestSite(fixture: "check/clean")
        defer { site.remove() }
        try site.write(try site.read("content/chapter-1/02-europe.md") + "\nSee [MOFA](https://www.mofa.go.jp/) and [this](http:///nohost).\n",
                       to: "content/chapter-1/02-europe.md")
        let report = await SiteBuilder(options: site.options()).check()
        #expect(report.externalLinks.map(\.url) == ["http:///nohost", "https://example.org/memo?a=1&b=2", "https://www.mofa.go.jp/"])
        #expect(report.diagnostics.map(\.message) == ["malformed external link 'http:///nohost'"])
        let json = String(decoding: report.json().bytes(), as: UTF8.self)
        #expect(json.hasPrefix("{\"pages\":\(report.pages),\"errors\":1,\"warnings\":0,\"diagnostics\":[{\"severity\":\"error\",\"rule\":\"external-link\""))
    }

    @Test("resolves relative, root-relative and absolute same-site links", arguments: [
        ("../russia/", "/bluebook/chapter-1/europe/", "chapter-1/russia/index.html"),
        ("/bluebook/countries/", "/bluebook/", "countries/index.html"),
        ("https://example.org/bluebook/countries/russia/#x", "/bluebook/", "countries/russia/index.html"),
        ("#top", "/bluebook/chapter-1/", "chapter-1/index.html"),
        ("?q=1", "/bluebook/search/", "search/index.html"),
    ])
    func resolution(link: String, page: String, file: String) {
        let checker = LinkChecker(config: SiteConfig(title: "t", baseURL: "https://example.org/bluebook/"), siteRoot: "/", displayPrefix: "")
        guard case .file(let resolved, _) = checker.resolve(link, from: page) else { Issue.record("\(link) did not resolve"); return }
        #expect(resolved == file)
    }

    @Test("the URL table finds every key it was given, keeps the last of a repeated key, and nothing else")
    func urlTable() {
        let keys = (0..<5000).map { "/chapter-\($0 % 50)/section-\($0)/" } + ["", "/", "/assets/style.css"]
        let table = URLTable(keys.enumerated().map { ($1, Int32($0)) } + [("/", -1)])
        for (index, key) in keys.enumerated() where key != "/" {
            #expect(table.value(for: key) == Int32(index))
        }
        #expect(table.value(for: "/") == -1)
        #expect(table.value(for: "/chapter-1/section-1") == nil)
        #expect(table.value(for: "/chapter-0/section-5000/") == nil)
    }

    @Test("passes plain web links without parsing them, and parses the rest", arguments: [
        ("https://www.mofa.go.jp/region/page2_360798.html", true, true), ("http://example.org", true, true),
        ("https://example.org/a?b=1", false, true), ("https:///nohost", false, false), ("http://exa mple.org/", false, false),
        ("ftp://example.org/", false, true), ("https://example.org/%20", false, true),
    ])
    func plainWebURLs(url: String, plain: Bool, wellFormed: Bool) {
        #expect(LinkChecker.isPlainWebURL(url) == plain)
        #expect(LinkChecker.isWellFormedExternal(url) == wellFormed)
    }
}

@Suite("Notes outside sections")
struct NotesOutsideSectionsTests {
    @Test("prints the notes of an introduction or description under it, so their links resolve")
    func notesInIntroductions() async throws {
        let site = try TestSite(fixture: "check/clean")
        defer { site.remove() }
        try site.write(try site.read("content/countries/russia.md") + "Largest by area.[^1]\n\n[^1]: By land area.\n", to: "content/countries/russia.md")
        let report = try await SiteBuilder(options: site.options()).build()
        #expect(report.diagnostics.isEmpty)
        let page = try site.read("public/countries/russia/index.html")
        #expect(page.contains("<aside class=\"footnotes\" aria-label=\"Notes\">\n<ol>\n<li id=\"fn-1\" value=\"1\"><p>By land area."))
    }
}
