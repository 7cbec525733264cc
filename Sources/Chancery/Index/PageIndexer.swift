/// Lists every page of a resolved site and checks that no two claim the same URL.
public struct PageIndexer: Sendable {
    public var urls: SiteURLs

    public init(urls: SiteURLs) {
        self.urls = urls
    }

    public func pages(for graph: SiteGraph) -> (pages: [PageSpec], diagnostics: [Diagnostic]) {
        var pages: [PageSpec] = []
        func add(_ kind: PageSpec.Kind, _ url: String, _ template: String, _ source: String) {
            pages.append(PageSpec(kind: kind, url: url, file: urls.file(for: url), template: template, sourcePath: source))
        }
        add(.home, urls.home, "home", "")
        for (index, chapter) in graph.chapters.enumerated() {
            add(.chapter(index), urls.chapter(chapter.slug), "chapter", chapter.path)
        }
        for (index, section) in graph.sections.enumerated() {
            add(.section(index), urls.section(chapter: section.chapterSlug, slug: section.slug), "section", section.path)
        }
        for kind in EntityKind.allCases {
            let ids = graph.sortedIDs(kind)
            guard !ids.isEmpty else { continue }
            add(.entityIndex(kind), urls.index(kind), kind.plural, "")
            for id in ids {
                let ref = EntityRef(kind, id)
                add(.entity(ref), urls.entity(ref), kind.rawValue, graph.header(ref)?.path ?? "")
            }
        }
        add(.search, urls.search, "search", "")
        add(.notFound, urls.notFound, "404", "")
        return (pages, PageIndexer.collisions(pages.map { ($0.file, $0.sourcePath) }))
    }

    /// An error for every output file claimed twice, naming both sources.
    public static func collisions(_ claims: [(file: String, source: String)]) -> [Diagnostic] {
        var owners: [String: String] = [:]
        var diagnostics: [Diagnostic] = []
        for claim in claims {
            if let first = owners[claim.file] {
                let here = claim.source.isEmpty ? "a generated page" : claim.source
                let there = first.isEmpty ? "a generated page" : first
                diagnostics.append(.error(SourceLocation(path: claim.source.isEmpty ? first : claim.source),
                                          "two pages would be written to '\(claim.file)'",
                                          notes: ["\(here) and \(there) map to the same URL; rename one"]))
            } else {
                owners[claim.file] = claim.source
            }
        }
        // A file where another claim needs a folder (`static/countries` beside `countries/index.html`).
        var folders: [String: (file: String, source: String)] = [:]
        for claim in claims {
            var path = Substring(claim.file)
            while let slash = path.lastIndex(of: "/") {
                path = path[..<slash]
                if folders[String(path)] != nil { break }
                folders[String(path)] = claim
            }
        }
        for claim in claims {
            guard let inside = folders[claim.file] else { continue }
            let here = claim.source.isEmpty ? "a generated file" : claim.source
            let there = inside.source.isEmpty ? "a generated page" : inside.source
            diagnostics.append(.error(SourceLocation(path: claim.source.isEmpty ? inside.source : claim.source),
                                      "'\(claim.file)' would be both a file and a folder",
                                      notes: ["\(here) is written to '\(claim.file)', but \(there) is written to '\(inside.file)' inside a folder of that name; rename one"]))
        }
        return diagnostics
    }
}
