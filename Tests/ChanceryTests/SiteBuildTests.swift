import Foundation
import Testing
@testable import Chancery

@Suite("Site builds")
struct SiteBuildTests {
    @Test("builds the pages of a small report at clean URLs")
    func pagesAndURLs() async throws {
        let site = try TestSite(fixture: "valid/small-report")
        defer { site.remove() }
        let report = try await SiteBuilder(options: site.options()).build()
        #expect(report.diagnostics.isEmpty)
        let files = try site.snapshotOutput().keys.sorted()
        #expect(files.filter { $0.hasSuffix(".html") } == [
            "404.html", "agreements/index.html", "agreements/security-memorandum/index.html",
            "chapter-1/europe/index.html", "chapter-1/index.html", "chapter-1/russia/index.html",
            "countries/index.html", "countries/kazakhstan/index.html", "countries/russia/index.html", "index.html",
            "officials/index.html", "officials/nikolai-patrushev/index.html", "officials/vladimir-putin/index.html",
            "organizations/european-union/index.html", "organizations/index.html", "search/index.html",
        ])
        #expect(files.contains("api/countries.json") && files.contains("api/sections.json"))
        #expect(files.contains { $0.hasPrefix("assets/style.") && $0.hasSuffix(".css") })
    }

    @Test("matches the golden section page")
    func sectionSnapshot() async throws {
        let site = try TestSite(fixture: "valid/small-report")
        defer { site.remove() }
        _ = try await SiteBuilder(options: site.options()).build()
        try assertSnapshot(try site.read("public/chapter-1/russia/index.html"), named: "small-report-section.html")
        try assertSnapshot(try site.read("public/agreements/security-memorandum/index.html"), named: "small-report-agreement.html")
    }

    @Test("matches the golden dump of the resolved graph")
    func graphDump() async throws {
        let site = try TestSite(fixture: "valid/small-report")
        defer { site.remove() }
        let prepared = try await SiteBuilder(options: site.options()).prepare()
        try assertSnapshot(prepared.graph.dump(), named: "small-report-graph.txt")
    }

    @Test("puts every link and asset under a sub-path base URL")
    func subPath() async throws {
        let site = try TestSite(fixture: "valid/small-report")
        defer { site.remove() }
        _ = try await SiteBuilder(options: site.options(baseURL: "https://example.org/deep/path")).build()
        for (file, data) in try site.snapshotOutput() where file.hasSuffix(".html") {
            let html = String(decoding: data, as: UTF8.self)
            for attribute in ["href=\"", "src=\""] {
                for part in html.components(separatedBy: attribute).dropFirst() {
                    let url = String(part.prefix { $0 != "\"" })
                    guard !url.hasPrefix("#"), !url.hasPrefix("https://www.mofa.go.jp/") else { continue }
                    #expect(url.hasPrefix("/deep/path/") || url.hasPrefix("https://example.org/deep/path/"), "\(file): \(url)")
                }
            }
        }
        let home = try site.read("public/index.html")
        #expect(home.contains("<a href=\"/deep/path/chapter-1/\">link to the chapter</a>"))
        #expect(home.contains("<link rel=\"canonical\" href=\"https://example.org/deep/path/\">"))
    }

    @Test("escapes every front-matter value that reaches a page")
    func escaping() async throws {
        let site = try TestSite(fixture: "valid/small-report")
        defer { site.remove() }
        _ = try await SiteBuilder(options: site.options()).build()
        let home = try site.read("public/index.html")
        #expect(home.contains("<title>Small &lt;Report&gt; &amp; Co</title>"))
        #expect(!home.contains("<Report>"))
        let europe = try site.read("public/chapter-1/europe/index.html")
        #expect(europe.contains("<h1>2. Europe &amp; &quot;the EU&quot;</h1>"))
        let memo = try site.read("public/agreements/security-memorandum/index.html")
        #expect(memo.contains("Memorandum on security &lt;cooperation&gt;"))
        #expect(memo.contains("href=\"https://www.mofa.go.jp/policy/other/bluebook/2013/html/index.html?a=1&amp;b=2\">Diplomatic Bluebook 2013 &lt;Summary&gt; &amp; notes</a>"))
    }

    @Test("writes byte-identical output for the same input")
    func determinism() async throws {
        let site = try TestSite(fixture: "valid/small-report")
        defer { site.remove() }
        _ = try await SiteBuilder(options: site.options()).build()
        let first = try site.snapshotOutput()
        _ = try await SiteBuilder(options: site.options(output: site.root + "/second")).build()
        let second = try site.snapshotOutput(site.root + "/second")
        #expect(first.keys.sorted() == second.keys.sorted())
        #expect(first == second)
    }

    @Test("leaves the previous output untouched when a build fails")
    func failedBuildKeepsOutput() async throws {
        let site = try TestSite(fixture: "valid/small-report")
        defer { site.remove() }
        _ = try await SiteBuilder(options: site.options()).build()
        let before = try site.snapshotOutput()
        try site.write("---\ntitle: Broken\nnumber: 3\ncountries: [atlantis]\n---\nText.\n", to: "content/chapter-1/03-broken.md")
        await #expect(throws: BuildFailure.self) { try await SiteBuilder(options: site.options()).build() }
        #expect(try site.snapshotOutput() == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: site.root).filter { $0.contains("staging") }
        #expect(leftovers.isEmpty)
    }

    @Test("replaces the output completely, removing pages that no longer exist")
    func replacesOutput() async throws {
        let site = try TestSite(fixture: "valid/small-report")
        defer { site.remove() }
        _ = try await SiteBuilder(options: site.options()).build()
        try FileManager.default.removeItem(atPath: site.root + "/content/chapter-1/02-europe.md")
        try FileManager.default.removeItem(atPath: site.root + "/content/organizations/european-union.md")
        try site.write(try site.read("content/agreements/security-memorandum.md").replacingOccurrences(of: ", european-union", with: ""),
                       to: "content/agreements/security-memorandum.md")
        _ = try await SiteBuilder(options: site.options()).build()
        #expect(!FileManager.default.fileExists(atPath: site.output + "/chapter-1/europe/index.html"))
        #expect(FileManager.default.fileExists(atPath: site.output + "/chapter-1/russia/index.html"))
    }

    @Test("refuses an output folder that is or contains the site's sources", arguments: ["content", ".", "content/public", "templates"])
    func refusesDangerousOutput(output: String) async throws {
        let site = try TestSite(fixture: "valid/small-report")
        defer { site.remove() }
        try FileManager.default.createDirectory(atPath: site.root + "/templates", withIntermediateDirectories: true)
        let before = try site.snapshotOutput(site.root + "/content")
        let result = await site.build(output: site.root + "/" + output)
        guard case .failure(let failure) = result else {
            Issue.record("build into \(output) should fail")
            return
        }
        #expect(failure.diagnostics.first?.message.hasPrefix("refusing to write the site into") == true)
        #expect(try site.snapshotOutput(site.root + "/content") == before)
    }

    @Test("refuses an output path that is a file")
    func outputIsFile() async throws {
        let site = try TestSite(fixture: "valid/small-report")
        defer { site.remove() }
        try site.write("not a folder", to: "public")
        guard case .failure(let failure) = await site.build() else { Issue.record("expected failure"); return }
        #expect(failure.diagnostics.first?.message == "the output path '\(site.output)' is a file, not a folder")
        #expect(try site.read("public") == "not a folder")
    }

    @Test("lets a site override one template and keeps the defaults for the rest")
    func templateOverride() async throws {
        let site = try TestSite(fixture: "valid/small-report")
        defer { site.remove() }
        try site.write("<footer>Custom {{site.title}}</footer>\n", to: "templates/partials/footer.mustache")
        _ = try await SiteBuilder(options: site.options()).build()
        let home = try site.read("public/index.html")
        #expect(home.contains("<footer>Custom Small &lt;Report&gt; &amp; Co</footer>"))
        #expect(home.contains("<nav class=\"breadcrumb\""))
    }

    @Test("reports template errors with the template's file and line", arguments: [
        ("partials/footer.mustache", "<footer>\n{{#site}}\n</footer>\n", "templates/partials/footer.mustache:"),
        ("partials/footer.mustache", "<footer>\n{{> partials/nope}}\n</footer>\n", "templates/partials/footer.mustache:2:1: error: unknown partial 'partials/nope': no template with that name in the library"),
        ("partials/footer.mustache", "<footer>{{> partials/footer}}</footer>\n", "templates/partials/footer.mustache:1:9: error: templates include each other in a loop: partials/footer → partials/footer"),
    ])
    func templateErrors(file: String, text: String, expected: String) async throws {
        let site = try TestSite(fixture: "valid/small-report")
        defer { site.remove() }
        try site.write(text, to: "templates/" + file)
        guard case .failure(let failure) = await site.build() else { Issue.record("expected failure"); return }
        #expect(failure.diagnostics.first?.description.hasPrefix(expected) == true, "\(failure.diagnostics)")
    }

    @Test("builds the starter site from 'chancery new site' without warnings")
    func scaffold() async throws {
        let root = NSTemporaryDirectory() + "chancery-new-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        try SiteScaffold.create(at: root, title: "A \"quoted\" title")
        let report = try await SiteBuilder(options: BuildOptions(siteRoot: root)).build()
        #expect(report.diagnostics.isEmpty, "\(report.diagnostics)")
        #expect(report.pages == 11)
        #expect(throws: ScaffoldError.self) { try SiteScaffold.create(at: root, title: "again") }
    }
}
