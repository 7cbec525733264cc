import Foundation
import Testing
@testable import Chancery

@Suite("Incremental rebuilds")
struct IncrementalBuilderTests {
    /// One scripted edit, the files it changes, the pages it must re-render (nil: every page) and the files besides
    /// pages it must rewrite. With `followed`, the rebuild makes the data of the pages it renders and of no other.
    struct Edit: Sendable, CustomTestStringConvertible {
        var name: String
        var paths: [String] = []
        var apply: @Sendable (TestSite) throws -> Void
        var rendered: [String]?
        var files: [String] = []
        var followed = false
        var testDescription: String { name }
    }

    static func replace(_ site: TestSite, _ path: String, _ old: String, _ new: String) throws {
        let text = try site.read(path)
        precondition(text.contains(old), "\(path) has no '\(old)'")
        try site.write(text.replacingOccurrences(of: old, with: new), to: path)
    }

    static let edits: [Edit] = [
        Edit(name: "nothing changes", apply: { _ in }, rendered: []),
        Edit(name: "a section's text", paths: ["content/chapter-1/01-russia.md"],
             apply: { try replace($0, "content/chapter-1/01-russia.md", "deepened.", "deepened further.") },
             rendered: ["chapter-1/russia/index.html"], followed: true),
        Edit(name: "a section's title", paths: ["content/chapter-1/02-europe.md"], apply: { try replace($0, "content/chapter-1/02-europe.md", "title: Europe & \"the EU\"", "title: Europe") },
             rendered: ["chapter-1/europe/index.html", "chapter-1/index.html", "chapter-1/russia/index.html",
                        "countries/russia/index.html", "index.html", "officials/nikolai-patrushev/index.html", "officials/vladimir-putin/index.html",
                        "organizations/european-union/index.html"],
             files: ["api/countries.json", "api/officials.json", "api/organizations.json", "api/sections.json", "feed.xml", "search-index.json"],
             followed: true),
        Edit(name: "a section gains a country", paths: ["content/chapter-1/02-europe.md"],
             apply: { try replace($0, "content/chapter-1/02-europe.md", "countries: [russia]", "countries: [russia, kazakhstan]") },
             rendered: ["chapter-1/europe/index.html", "countries/index.html", "countries/kazakhstan/index.html"],
             files: ["api/countries.json", "api/sections.json"], followed: true),
        Edit(name: "an official's title", paths: ["content/officials/nikolai-patrushev.md"], apply: { try replace($0, "content/officials/nikolai-patrushev.md", "Secretary of the Security Council", "Security Council Secretary") },
             rendered: ["agreements/security-memorandum/index.html", "chapter-1/russia/index.html", "countries/russia/index.html",
                        "officials/index.html", "officials/nikolai-patrushev/index.html"],
             files: ["api/agreements.json", "api/officials.json", "search-index.json"], followed: true),
        Edit(name: "a country's region", paths: ["content/countries/kazakhstan.md"],
             apply: { try replace($0, "content/countries/kazakhstan.md", "region: Russia, Central Asia, and the Caucasus", "region: Central Asia") },
             rendered: ["countries/index.html", "countries/kazakhstan/index.html"], files: ["api/countries.json", "search-index.json"], followed: true),
        Edit(name: "a section no longer lists an official another relates to", paths: ["content/chapter-1/01-russia.md"],
             apply: { try replace($0, "content/chapter-1/01-russia.md", "officials: [nikolai-patrushev, vladimir-putin]", "officials: [vladimir-putin]") },
             rendered: ["chapter-1/russia/index.html", "officials/index.html", "officials/nikolai-patrushev/index.html"],
             files: ["api/officials.json", "api/sections.json", "sitemap.xml"], followed: true),
        Edit(name: "a new static file", paths: ["static/notes.txt"], apply: { try $0.write("Notes.\n", to: "static/notes.txt") },
             rendered: [], files: ["notes.txt"]),
        Edit(name: "a static file", paths: ["static/notes.txt"], apply: { try $0.write("Notes, edited.\n", to: "static/notes.txt") },
             rendered: [], files: ["notes.txt"], followed: true),
        Edit(name: "a template", paths: ["templates/partials/footer.mustache"],
             apply: { try $0.write("<footer>{{site.title}} (edited)</footer>\n", to: "templates/partials/footer.mustache") },
             rendered: nil, followed: true),
        Edit(name: "a template only country pages use", paths: ["templates/country.mustache"], apply: { site in
            let theme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Sources/Chancery/Resources/DefaultTheme/country.mustache")
            let text = try String(contentsOf: theme, encoding: .utf8)
            try site.write(text.replacingOccurrences(of: "<h1>{{entity.name}}</h1>", with: "<h1>Country: {{entity.name}}</h1>"), to: "templates/country.mustache")
        }, rendered: ["countries/kazakhstan/index.html", "countries/russia/index.html"], followed: true),
        Edit(name: "a new section", apply: { try $0.write("---\ntitle: Asia\nnumber: 3\ncountries: [kazakhstan]\nofficials: [vladimir-putin]\n---\nKazakhstan and Putin.\n", to: "content/chapter-1/03-asia.md") },
             rendered: ["chapter-1/asia/index.html", "chapter-1/europe/index.html", "chapter-1/index.html", "countries/index.html",
                        "countries/kazakhstan/index.html", "index.html", "officials/index.html", "officials/vladimir-putin/index.html"],
             files: ["api/countries.json", "api/officials.json", "api/sections.json", "search-index.json", "sitemap.xml"]),
        Edit(name: "a renamed section", apply: {
            try FileManager.default.moveItem(atPath: $0.root + "/content/chapter-1/03-asia.md", toPath: $0.root + "/content/chapter-1/03-central-asia.md")
        }, rendered: ["chapter-1/central-asia/index.html", "chapter-1/europe/index.html", "chapter-1/index.html", "countries/kazakhstan/index.html",
                      "index.html", "officials/vladimir-putin/index.html"],
             files: ["api/countries.json", "api/officials.json", "api/sections.json", "search-index.json", "sitemap.xml"]),
        Edit(name: "a deleted section", apply: { try FileManager.default.removeItem(atPath: $0.root + "/content/chapter-1/03-central-asia.md") },
             rendered: ["chapter-1/europe/index.html", "chapter-1/index.html", "countries/index.html", "countries/kazakhstan/index.html",
                        "index.html", "officials/index.html", "officials/vladimir-putin/index.html"],
             files: ["api/countries.json", "api/officials.json", "api/sections.json", "search-index.json", "sitemap.xml"]),
        Edit(name: "the stylesheet", apply: { try $0.write("body { color: black; }\n", to: "templates/assets/style.css") }, rendered: nil),
        Edit(name: "site.yaml", apply: { try replace($0, "site.yaml", "breadcrumb_root: Summary", "breadcrumb_root: Contents") }, rendered: nil),
    ]

    @Test("equals a full build byte for byte after each of a series of edits, re-rendering only what changed")
    func seriesOfEdits() async throws {
        let site = try TestSite(fixture: "valid/small-report")
        defer { site.remove() }
        let served = site.root + "/served"
        let builder = IncrementalBuilder(options: BuildOptions(siteRoot: site.root, output: served))
        let first = await builder.build()
        #expect(first.succeeded)
        #expect(first.rendered.count == first.pages)
        for edit in Self.edits {
            try edit.apply(site)
            let result = await builder.build(changed: edit.paths.isEmpty ? nil : edit.paths)
            #expect(result.succeeded, "\(edit.name): \(result.diagnostics)")
            #expect(result.recomputed == (edit.followed ? result.rendered.count : result.pages), "\(edit.name)")
            if let expected = edit.rendered {
                #expect(result.rendered == expected.sorted(), "\(edit.name)")
            } else {
                #expect(result.rendered.count == result.pages, "\(edit.name): every page, not \(result.rendered.count) of \(result.pages)")
            }
            // Files besides pages: the API, the search index, the sitemap, the feed, assets; a stylesheet edit writes its new name and removes the old.
            let files = result.changed.filter { !$0.hasSuffix(".html") && !$0.hasPrefix("assets/") }
            #expect(files == edit.files.sorted(), "\(edit.name): \(files)")
            let full = site.root + "/full"
            _ = try await SiteBuilder(options: BuildOptions(siteRoot: site.root, output: full)).build()
            let incremental = try site.snapshotOutput(served)
            let expected = try site.snapshotOutput(full)
            #expect(incremental.keys.sorted() == expected.keys.sorted(), "\(edit.name): same files")
            for (path, bytes) in expected where incremental[path] != bytes {
                Issue.record("\(edit.name): \(path) differs from a full build")
            }
        }
    }

    @Test("keeps the last good site when a rebuild fails, and recovers when the file is fixed")
    func failureKeepsOutput() async throws {
        let site = try TestSite(fixture: "valid/small-report")
        defer { site.remove() }
        let served = site.root + "/served"
        let builder = IncrementalBuilder(options: BuildOptions(siteRoot: site.root, output: served))
        _ = await builder.build()
        let before = try site.snapshotOutput(served)
        let good = try site.read("content/chapter-1/01-russia.md")
        try site.write(good.replacingOccurrences(of: "countries: [russia, kazakhstan]", with: "countries: [russia, kazakstan]"), to: "content/chapter-1/01-russia.md")
        let failed = await builder.build()
        #expect(!failed.succeeded)
        #expect(failed.diagnostics.first?.description.hasPrefix("content/chapter-1/01-russia.md:6:21: error: unknown country 'kazakstan'") == true)
        #expect(try site.snapshotOutput(served) == before)
        try site.write(good, to: "content/chapter-1/01-russia.md")
        let fixed = await builder.build()
        #expect(fixed.succeeded)
        #expect(fixed.changed.isEmpty)
    }

    @Test("writes the pages a browser shows before the rest of a rebuild, and puts them back when the build fails")
    func shownPagesFirst() async throws {
        let site = try TestSite(fixture: "valid/small-report")
        defer { site.remove() }
        let served = site.root + "/served"
        let builder = IncrementalBuilder(options: BuildOptions(siteRoot: site.root, output: served))
        #expect(await builder.build().succeeded)
        let shown: Set = ["chapter-1/russia/index.html", "countries/russia/index.html"]
        // A partial every page uses: the shown pages are written and announced while the others still hold the old footer.
        try site.write("<footer>{{site.title}}, edited</footer>\n", to: "templates/partials/footer.mustache")
        var announced: [String] = []
        var footerElsewhere = true
        let edited = await builder.build(changed: ["templates/partials/footer.mustache"], showing: shown) { pages in
            guard announced.isEmpty else { return }
            announced = pages
            footerElsewhere = (try? site.read("served/index.html").contains(", edited</footer>")) ?? true
        }
        #expect(edited.succeeded)
        #expect(announced == shown.sorted())
        #expect(!footerElsewhere, "announced before the other pages were written")
        #expect(edited.rendered.count == edited.pages)
        _ = try await SiteBuilder(options: BuildOptions(siteRoot: site.root, output: site.root + "/full")).build()
        #expect(try site.snapshotOutput(served) == site.snapshotOutput(site.root + "/full"))

        // An edit to site.yaml runs the whole pipeline: the shown pages come first there too.
        try Self.replace(site, "site.yaml", "breadcrumb_root: Summary", "breadcrumb_root: Contents")
        var first: [String]?
        let config = await builder.build(changed: ["site.yaml"], showing: shown) { pages in first = first ?? pages }
        #expect(config.succeeded && config.recomputed == config.pages)
        #expect(first == shown.sorted())

        // A new stylesheet changes every page's bytes but not what it shows: nothing is announced, the browser swaps the stylesheet.
        try site.write("body { color: black; }\n", to: "templates/assets/style.css")
        announced = []
        let style = await builder.build(changed: ["templates/assets/style.css"], showing: shown) { announced = $0 }
        #expect(style.succeeded && style.newStyleURL != nil)
        #expect(announced.isEmpty && style.contentChanged.isEmpty)

        // A footer with a broken link: the shown pages are written first, then the link check fails the build and puts them back.
        let before = try site.snapshotOutput(served)
        try site.write("<footer><a href=\"/nowhere/\">{{site.title}}</a></footer>\n", to: "templates/partials/footer.mustache")
        announced = []
        let failed = await builder.build(changed: ["templates/partials/footer.mustache"], showing: shown) { if announced.isEmpty { announced = $0 } }
        #expect(!failed.succeeded)
        #expect(announced == shown.sorted())
        #expect(try site.snapshotOutput(served) == before)
    }

    @Test("reports deleting an entity that a section still lists, instead of dropping it")
    func deletedEntity() async throws {
        let site = try TestSite(fixture: "valid/small-report")
        defer { site.remove() }
        let builder = IncrementalBuilder(options: BuildOptions(siteRoot: site.root, output: site.root + "/served"))
        _ = await builder.build()
        try FileManager.default.removeItem(atPath: site.root + "/content/countries/kazakhstan.md")
        let result = await builder.build()
        #expect(!result.succeeded)
        #expect(result.diagnostics.map(\.message).contains("unknown country 'kazakhstan' in 'countries'"))
    }

    @Test("fails a rebuild that adds a broken link, as a full build would")
    func brokenLink() async throws {
        let site = try TestSite(fixture: "valid/small-report")
        defer { site.remove() }
        let builder = IncrementalBuilder(options: BuildOptions(siteRoot: site.root, output: site.root + "/served"))
        #expect(await builder.build().succeeded)
        try Self.replace(site, "content/chapter-1/01-russia.md", "deepened.", "deepened ([more](/chapter-1/nowhere/)).")
        let result = await builder.build()
        #expect(!result.succeeded)
        #expect(result.diagnostics.map(\.rule) == ["broken-link"])
        try Self.replace(site, "content/chapter-1/01-russia.md", "deepened ([more](/chapter-1/nowhere/)).", "deepened.")
        #expect(await builder.build().succeeded)
    }

    @Test("an edit to a section's text renders that page alone, and leaves nothing for the next rebuild to reload")
    func textEditThenStyle() async throws {
        let site = try TestSite(fixture: "valid/small-report")
        defer { site.remove() }
        let builder = IncrementalBuilder(options: BuildOptions(siteRoot: site.root, output: site.root + "/served"))
        #expect(await builder.build().succeeded)
        try Self.replace(site, "content/chapter-1/01-russia.md", "deepened.", "deepened further.")
        let text = await builder.build(changed: ["content/chapter-1/01-russia.md"])
        #expect(text.rendered == ["chapter-1/russia/index.html"])
        #expect(text.contentChanged == ["chapter-1/russia/index.html"])
        try site.write("body { color: black; }\n", to: "templates/assets/style.css")
        let style = await builder.build(changed: ["templates/assets/style.css"])
        #expect(style.succeeded)
        #expect(style.newStyleURL != nil)
        #expect(style.contentChanged.isEmpty, "a stylesheet change reloads no page: \(style.contentChanged)")
    }
}
