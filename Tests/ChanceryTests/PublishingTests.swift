import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Chancery

/// What makes a built site ready to publish: sitemap, feed, robots.txt, search, social metadata and
/// accessible page structure, all under a sub-path base URL.
@Suite("Publishing")
struct PublishingTests {
    static let base = "https://example.org/deep/path/"

    /// Builds the small report under `base` (or the given base URL) and returns the site.
    static func built(baseURL: String? = base, edit: (TestSite) throws -> Void = { _ in }) async throws -> TestSite {
        let site = try TestSite(fixture: "valid/small-report")
        try edit(site)
        _ = try await SiteBuilder(options: site.options(baseURL: baseURL)).build()
        return site
    }

    /// Whether `text` parses as XML, with the parser's error if not.
    static func xmlError(_ text: String) -> String? {
        let parser = XMLParser(data: Data(text.utf8))
        return parser.parse() ? nil : "\(parser.parserError.map { "\($0)" } ?? "not well-formed")"
    }

    /// The text of every `<name>…</name>` element, in order.
    static func elements(_ name: String, in text: String) -> [String] {
        text.components(separatedBy: "<\(name)>").dropFirst().map { String($0.components(separatedBy: "</\(name)>")[0]) }
    }

    /// The heading levels of an HTML page, in document order.
    static func headingLevels(_ html: String) -> [Int] {
        var levels: [Int] = []
        let bytes = Array(html.utf8)
        var i = 0
        while i + 2 < bytes.count {
            if bytes[i] == UInt8(ascii: "<"), bytes[i + 1] == UInt8(ascii: "h") || bytes[i + 1] == UInt8(ascii: "H"),
               (UInt8(ascii: "1")...UInt8(ascii: "6")).contains(bytes[i + 2]),
               i + 3 < bytes.count, bytes[i + 3] == UInt8(ascii: ">") || bytes[i + 3] == UInt8(ascii: " ") {
                levels.append(Int(bytes[i + 2] - UInt8(ascii: "0")))
            }
            i += 1
        }
        return levels
    }

    /// Problems with a page's headings: not exactly one `h1`, not starting with it, or a level skipped on the way down.
    static func headingProblems(_ html: String) -> [String] {
        let levels = headingLevels(html)
        var problems: [String] = []
        let h1s = levels.filter { $0 == 1 }.count
        if h1s != 1 { problems.append("\(h1s) h1 elements") }
        if let first = levels.first, first != 1 { problems.append("the first heading is h\(first)") }
        for (previous, next) in zip(levels, levels.dropFirst()) where next > previous + 1 {
            problems.append("h\(previous) is followed by h\(next)")
        }
        return problems
    }

    @Test("robots.txt allows everything and names the sitemap's absolute URL")
    func robots() async throws {
        let site = try await Self.built()
        defer { site.remove() }
        #expect(try site.read("public/robots.txt") == "User-agent: *\nAllow: /\n\nSitemap: https://example.org/deep/path/sitemap.xml\n")
    }

    @Test("sitemap.xml lists every page but the 404 and search pages, by absolute URL under the sub-path, with section dates")
    func sitemap() async throws {
        let site = try await Self.built(edit: { site in
            // One section dated later: its chapter, its entities and the home page take its date; the other keeps its own.
            let path = "content/chapter-1/02-europe.md"
            try site.write(try site.read(path).replacingOccurrences(of: "date: 2013-04-05", with: "date: 2013-06-01"), to: path)
        })
        defer { site.remove() }
        let xml = try site.read("public/sitemap.xml")
        #expect(Self.xmlError(xml) == nil, "\(Self.xmlError(xml) ?? "")")
        #expect(xml.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"))
        let locations = Self.elements("loc", in: xml)
        let pages = try site.snapshotOutput().keys.filter { $0.hasSuffix(".html") && $0 != "404.html" && $0 != "search/index.html" }
        let expected = pages.map { Self.base + $0.replacingOccurrences(of: "index.html", with: "") }
        #expect(locations.sorted() == expected.sorted())
        #expect(locations.first == Self.base)
        #expect(!xml.contains("404") && !xml.contains("/search/"))
        #expect(xml.contains("<url><loc>https://example.org/deep/path/chapter-1/russia/</loc><lastmod>2013-04-05</lastmod></url>"))
        #expect(xml.contains("<url><loc>https://example.org/deep/path/chapter-1/europe/</loc><lastmod>2013-06-01</lastmod></url>"))
        #expect(xml.contains("<url><loc>https://example.org/deep/path/chapter-1/</loc><lastmod>2013-06-01</lastmod></url>"))
        #expect(xml.contains("<url><loc>https://example.org/deep/path/</loc><lastmod>2013-06-01</lastmod></url>"))
        // Kazakhstan is listed by the Russia section only.
        #expect(xml.contains("<url><loc>https://example.org/deep/path/countries/kazakhstan/</loc><lastmod>2013-04-05</lastmod></url>"))
    }

    @Test("feed.xml is an Atom feed of the dated sections, newest first, with escaped titles and dates from the content")
    func feed() async throws {
        let site = try await Self.built(edit: { site in
            let europe = "content/chapter-1/02-europe.md"
            try site.write(try site.read(europe).replacingOccurrences(of: "date: 2013-04-05", with: "date: 2013-06-01"), to: europe)
            try site.write("---\ntitle: Undated <notes>\nnumber: 3\n---\nText.\n", to: "content/chapter-1/03-undated.md")
        })
        defer { site.remove() }
        let xml = try site.read("public/feed.xml")
        #expect(Self.xmlError(xml) == nil, "\(Self.xmlError(xml) ?? "")")
        #expect(xml.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">"))
        // The site's title is "Small <Report> & Co".
        #expect(xml.contains("<title>Small &lt;Report&gt; &amp; Co</title>"))
        #expect(!xml.contains("<Report>"))
        #expect(xml.contains("<link rel=\"self\" type=\"application/atom+xml\" href=\"https://example.org/deep/path/feed.xml\"/>"))
        #expect(Self.elements("id", in: xml).first == Self.base)
        #expect(Self.elements("updated", in: xml).first == "2013-06-01T00:00:00Z")
        let entries = xml.components(separatedBy: "<entry>").dropFirst()
        #expect(entries.count == 2, "the undated section is left out")
        #expect(Self.elements("title", in: xml).dropFirst() == ["2. Europe &amp; &quot;the EU&quot;", "1. Russia"])
        #expect(Self.elements("id", in: xml).dropFirst() == [Self.base + "chapter-1/europe/", Self.base + "chapter-1/russia/"])
        #expect(entries.first?.contains("<link rel=\"alternate\" type=\"text/html\" href=\"https://example.org/deep/path/chapter-1/europe/\"/>") == true)
        #expect(entries.first?.contains("<updated>2013-06-01T00:00:00Z</updated>") == true)
        #expect(entries.last?.contains("<summary>Relations with Russia.</summary>") == true)
        let home = try site.read("public/index.html")
        #expect(home.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Small &lt;Report&gt; &amp; Co\" href=\"/deep/path/feed.xml\">"))
    }

    @Test("a base URL that is only a path gets no sitemap or feed (they need absolute URLs), and robots.txt names none")
    func pathOnlyBase() async throws {
        let site = try await Self.built(baseURL: "/report/")
        defer { site.remove() }
        let files = try site.snapshotOutput()
        #expect(files["sitemap.xml"] == nil && files["feed.xml"] == nil)
        #expect(try site.read("public/robots.txt") == "User-agent: *\nAllow: /\n")
        let home = try site.read("public/index.html")
        #expect(!home.contains("application/atom+xml"))
        #expect(!home.contains("og:url"))
        #expect(files["search-index.json"] != nil)
    }

    @Test("a file of the same name in static/ takes the place of a generated one")
    func staticOverride() async throws {
        let site = try await Self.built(edit: { try $0.write("User-agent: *\nDisallow: /drafts/\n", to: "static/robots.txt") })
        defer { site.remove() }
        #expect(try site.read("public/robots.txt") == "User-agent: *\nDisallow: /drafts/\n")
    }

    @Test("publishing files, the search index and the search script are byte-identical across builds")
    func determinism() async throws {
        let site = try await Self.built()
        defer { site.remove() }
        let first = try site.snapshotOutput()
        try await Task.sleep(for: .milliseconds(1100))  // a clock that leaked into a file would now differ
        _ = try await SiteBuilder(options: site.options(baseURL: Self.base, output: site.root + "/second")).build()
        let second = try site.snapshotOutput(site.root + "/second")
        let names = ["sitemap.xml", "feed.xml", "robots.txt", "search-index.json"]
        for name in names {
            #expect(first[name] != nil && first[name] == second[name], "\(name)")
        }
        let scripts = first.keys.filter { $0.hasPrefix("assets/search.") && $0.hasSuffix(".js") }
        #expect(scripts.count == 1)
        for script in scripts { #expect(first[script] == second[script]) }
        #expect(first == second)
    }

    @Test("the search index has every section and entity, with names, aliases, kinds and summaries, linking under the base path")
    func searchIndex() async throws {
        let site = try await Self.built()
        defer { site.remove() }
        let data = try #require(try site.snapshotOutput()["search-index.json"])
        let records = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        let expectedCount = 2 + 2 + 2 + 1 + 1  // sections, countries, officials, agreements, organizations
        #expect(records.count == expectedCount)
        func record(_ url: String) -> [String: Any]? { records.first { $0["url"] as? String == url } }
        let patrushev = try #require(record("/deep/path/officials/nikolai-patrushev/"))
        #expect(patrushev["title"] as? String == "Nikolai Patrushev")
        #expect(patrushev["kind"] as? String == "Official")
        #expect(patrushev["names"] as? [String] == ["Mr. Patrushev", "Patrushev"])
        #expect(patrushev["about"] as? String == "Secretary of the Security Council, Russia")
        let russia = try #require(record("/deep/path/countries/russia/"))
        #expect(russia["names"] as? [String] == ["Russian Federation"])
        #expect(russia["kind"] as? String == "Country")
        let memo = try #require(record("/deep/path/agreements/security-memorandum/"))
        #expect(memo["title"] as? String == "Memorandum on security <cooperation>")
        #expect(memo["names"] as? [String] == ["security memorandum"])
        #expect(memo["about"] as? String == "memorandum, 23 October 2012")
        let eu = try #require(record("/deep/path/organizations/european-union/"))
        #expect(eu["names"] as? [String] == ["EU"])
        let section = try #require(record("/deep/path/chapter-1/russia/"))
        #expect(section["kind"] as? String == "Section")
        #expect(section["summary"] as? String == "Relations with Russia.")
        #expect(section["about"] as? String == "1.1 · Chapter 1: Foreign Policy by Region")
        // Every result leads to a page of the build; markup in titles is escaped for HTML contexts.
        let files = try site.snapshotOutput()
        for record in records {
            let url = try #require(record["url"] as? String)
            #expect(url.hasPrefix("/deep/path/"))
            #expect(files[String(url.dropFirst("/deep/path/".count)) + "index.html"] != nil, "\(url)")
        }
        #expect(!String(decoding: data, as: UTF8.self).contains("<cooperation>"))
    }

    @Test("on the repository's own site, the search index leads a search for Patrushev to his official page")
    func repositorySearch() async throws {
        let prepared = try await SiteBuilder(options: BuildOptions(siteRoot: TestSite.packageRoot)).prepare()
        #expect(prepared.generated.paths.contains("search-index.json"))
        let records = try #require(try JSONSerialization.jsonObject(with: Data(prepared.generated.bytes("search-index.json"))) as? [[String: Any]])
        // What assets/search.js matches a term against: title, names, kind, about and summary, ignoring case.
        let matches = records.filter { record in
            let fields = [record["title"], record["kind"], record["about"], record["summary"]].compactMap { $0 as? String }
                + (record["names"] as? [String] ?? [])
            return fields.contains { $0.lowercased().contains("patrushev") }
        }
        #expect(matches.contains { $0["url"] as? String == "/officials/nikolai-patrushev/" && $0["title"] as? String == "Nikolai Patrushev" })
    }

    @Test("the search page works without JavaScript: a note and links to the indexes; the header box submits to it")
    func searchPage() async throws {
        let site = try await Self.built()
        defer { site.remove() }
        let files = try site.snapshotOutput()
        let page = try site.read("public/search/index.html")
        let script = try #require(files.keys.first { $0.hasPrefix("assets/search.") && $0.hasSuffix(".js") })
        #expect(page.contains("<script src=\"/deep/path/\(script)\" defer></script>"))
        #expect(page.contains("data-index=\"/deep/path/search-index.json\" hidden>"))
        #expect(page.contains("<div class=\"search-fallback\" id=\"search-fallback\">"))
        for index in ["countries", "officials", "agreements", "organizations"] {
            #expect(page.contains("<li><a href=\"/deep/path/\(index)/\">"), "links \(index)")
        }
        #expect(page.contains("<meta name=\"robots\" content=\"noindex\">"))
        for (file, data) in files where file.hasSuffix(".html") {
            let html = String(decoding: data, as: UTF8.self)
            #expect(html.contains("<form class=\"site-search\" id=\"site-search\" role=\"search\" aria-label=\"Site search\" action=\"/deep/path/search/\" method=\"get\">"), "\(file)")
            #expect(html.contains("<input type=\"search\" id=\"site-search-q\" name=\"q\""), "\(file)")
            #expect(html.contains("<li><a href=\"/deep/path/search/\">Search</a></li>"), "\(file)")
            #expect(!html.contains("<script") || file == "search/index.html", "\(file) needs no JavaScript")
        }
    }

    @Test("pages carry Open Graph and Twitter card metadata from their front matter")
    func socialMetadata() async throws {
        let site = try await Self.built()
        defer { site.remove() }
        let section = try site.read("public/chapter-1/europe/index.html")
        for line in [
            "<meta property=\"og:type\" content=\"article\">",
            "<meta property=\"og:title\" content=\"2. Europe &amp; &quot;the EU&quot;\">",
            "<meta property=\"og:url\" content=\"https://example.org/deep/path/chapter-1/europe/\">",
            "<meta property=\"og:site_name\" content=\"Small &lt;Report&gt; &amp; Co\">",
            "<meta property=\"og:locale\" content=\"en\">",
            "<meta property=\"article:published_time\" content=\"2013-04-05\">",
            "<meta name=\"twitter:card\" content=\"summary\">",
        ] {
            #expect(section.contains(line), "\(line)")
        }
        let russia = try site.read("public/chapter-1/russia/index.html")
        #expect(russia.contains("<meta property=\"og:description\" content=\"Relations with Russia.\">"))
        let country = try site.read("public/countries/russia/index.html")
        #expect(country.contains("<meta property=\"og:type\" content=\"website\">"))
        #expect(country.contains("<meta property=\"og:title\" content=\"Russia\">"))
        #expect(!country.contains("noindex"))
        let notFound = try site.read("public/404.html")
        #expect(notFound.contains("<meta name=\"robots\" content=\"noindex\">"))
    }

    @Test("theme assets the templates link are named by content hash, under the base path")
    func fingerprintedAssets() async throws {
        let site = try await Self.built()
        defer { site.remove() }
        let files = try site.snapshotOutput().keys
        let home = try site.read("public/index.html")
        for (name, ext) in [("style", "css"), ("favicon", "svg"), ("search", "js")] {
            let asset = try #require(files.first { $0.hasPrefix("assets/\(name).") && $0.hasSuffix("." + ext) }, "\(name).\(ext)")
            #expect(asset.count == "assets/\(name).12345678.\(ext)".count, "\(asset)")
            #expect(!files.contains("assets/\(name).\(ext)"))
            if name != "search" { #expect(home.contains("href=\"/deep/path/\(asset)\""), "\(asset)") }
        }
    }

    @Test("every page has exactly one h1 and never skips a heading level")
    func headings() async throws {
        let site = try await Self.built(edit: { site in
            // Body headings that skip levels (# then ####) are brought in line; so are a chapter's and an entity's.
            try site.write("---\ntitle: Asia\nnumber: 3\ndate: 2013-05-01\ncountries: [kazakhstan]\n---\n# Overview\n\n#### Detail\n\nText.[^1]\n\n## Next\n\n[^1]: A note.\n",
                           to: "content/chapter-1/03-asia.md")
            try site.write("---\nnumber: 1\ntitle: \"Foreign Policy by Region\"\n---\n### Introduction\n\nChapter introduction.\n",
                           to: "content/chapter-1/_index.md")
            try site.write(try site.read("content/countries/russia.md") + "\n### History\n\nOld.\n", to: "content/countries/russia.md")
        })
        defer { site.remove() }
        var checked: Set<String> = []
        for (file, data) in try site.snapshotOutput() where file.hasSuffix(".html") {
            checked.insert(file)
            let problems = Self.headingProblems(String(decoding: data, as: UTF8.self))
            #expect(problems.isEmpty, "\(file): \(problems)")
        }
        // Every kind of page was looked at.
        for file in ["index.html", "chapter-1/index.html", "chapter-1/asia/index.html", "countries/index.html", "countries/russia/index.html",
                     "officials/index.html", "officials/nikolai-patrushev/index.html", "agreements/index.html",
                     "agreements/security-memorandum/index.html", "organizations/index.html", "organizations/european-union/index.html",
                     "search/index.html", "404.html"] {
            #expect(checked.contains(file), "\(file)")
        }
        let asia = try site.read("public/chapter-1/asia/index.html")
        #expect(asia.contains("<h2 id=\"overview\">Overview</h2>\n<h3 id=\"detail\">Detail</h3>"))
        #expect(Self.headingProblems("<h1>a</h1><h3>b</h3>") == ["h1 is followed by h3"])
        #expect(Self.headingProblems("<h2>a</h2>") == ["0 h1 elements", "the first heading is h2"])
    }
}

@Suite("JSON writer")
struct JSONWriterTests {
    @Test("writes the same bytes as a JSONValue tree of the same document", arguments: [0, 1, 3])
    func sameAsTree(records: Int) {
        var writer = JSONWriter()
        writer.openArray()
        var tree: [JSONValue] = []
        for index in 0..<records {
            let name = "Record \(index) <\"quoted\" & \\ \n>"
            writer.openObject()
            writer.field("name", name)
            writer.field("missing", optional: nil)
            writer.key("count")
            writer.number(index)
            writer.key("flags")
            writer.openArray()
            writer.bool(true)
            writer.null()
            writer.closeArray()
            writer.key("empty")
            writer.openObject()
            writer.closeObject()
            writer.closeObject()
            tree.append(.object([("name", .string(name)), ("missing", .null), ("count", .number(index)),
                                 ("flags", .array([.bool(true), .null])), ("empty", .object([]))]))
        }
        writer.closeArray()
        #expect(writer.bytes == JSONValue.array(tree).bytes())
    }
}
