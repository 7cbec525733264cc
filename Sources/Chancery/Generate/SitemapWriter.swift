/// Builds `sitemap.xml`: the absolute URL of every indexable page (all but the 404 and search pages),
/// in page order, each with the date of its newest section where the content gives one.
///
/// Sitemaps need absolute URLs, so one is written only when the base URL has a scheme and host.
public struct SitemapWriter: Sendable {
    public var graph: SiteGraph
    public var urls: SiteURLs

    public init(graph: SiteGraph, urls: SiteURLs) {
        self.graph = graph
        self.urls = urls
    }

    /// Whether the site's base URL is absolute (`https://example.org/…`), which sitemaps and feeds need.
    public static func hasAbsoluteBase(_ config: SiteConfig) -> Bool {
        !config.origin.isEmpty
    }

    /// The sitemap for `pages` (from `PageIndexer`), or nil when the base URL is only a path.
    public func bytes(pages: [PageSpec]) -> [UInt8]? {
        guard SitemapWriter.hasAbsoluteBase(graph.config) else { return nil }
        let origin = graph.config.origin
        let newest = graph.sections.compactMap(\.date).max()
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for page in pages where page.isIndexable {
            out += "<url><loc>" + XMLText.escaped(origin + page.url) + "</loc>"
            if let date = lastModified(page.kind, newest: newest) { out += "<lastmod>\(date)</lastmod>" }
            out += "</url>\n"
        }
        out += "</urlset>\n"
        return Array(out.utf8)
    }

    /// The newest date among the sections a page shows: its own for a section, its sections' for a
    /// chapter, those that list it for an entity, all of them for the home and index pages.
    func lastModified(_ kind: PageSpec.Kind, newest: Day?) -> Day? {
        func newestOf(_ indices: [Int]) -> Day? { indices.compactMap { graph.sections[$0].date }.max() }
        switch kind {
        case .section(let index): return graph.sections[index].date
        case .chapter(let index): return newestOf(graph.chapterSections[index])
        case .entity(let ref): return newestOf(graph.sectionsMentioning[ref] ?? [])
        case .home, .entityIndex: return newest
        default: return nil
        }
    }
}
