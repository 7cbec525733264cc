/// The files a build makes from the resolved site besides pages: `sitemap.xml`, `feed.xml` (both
/// only with an absolute base URL), `robots.txt`, the search page's `search-index.json`, and
/// `api/*.json`.
///
/// Named when the site is prepared, made on demand: a build makes them alongside the pages, on
/// every core, rather than before them. Each is a pure function of the resolved site, so two builds
/// of the same input write the same bytes.
public struct GeneratedFiles: Sendable {
    /// Which files there are depends on `site.yaml` alone, so a new graph of the same site may take this one's place.
    var graph: SiteGraph
    let urls: SiteURLs
    let pages: [PageSpec]
    /// Output paths, the largest files first so they are started first. Publishing files that a file in `static/` replaces are left out.
    public let paths: [String]

    public init(graph: SiteGraph, urls: SiteURLs, pages: [PageSpec], replaced: Set<String> = []) {
        self.graph = graph
        self.urls = urls
        self.pages = pages
        var paths = APIExporter.names.map { "api/" + $0 }
        paths.append(urls.file(for: urls.searchIndex))
        if SitemapWriter.hasAbsoluteBase(graph.config) { paths.append(urls.file(for: urls.sitemap)) }
        if FeedWriter(graph: graph, urls: urls).url != nil { paths.append(urls.file(for: urls.feed)) }
        paths.append(urls.file(for: urls.robots))
        self.paths = paths.filter { $0.hasPrefix("api/") || !replaced.contains($0) }
    }

    /// The bytes of the file at `path`, one of `paths`.
    public func bytes(_ path: String) -> [UInt8] {
        if path.hasPrefix("api/") { return APIExporter(graph: graph, urls: urls).bytes(String(path.dropFirst(4))) }
        switch path {
        case urls.file(for: urls.sitemap): return SitemapWriter(graph: graph, urls: urls).bytes(pages: pages) ?? []
        case urls.file(for: urls.feed): return FeedWriter(graph: graph, urls: urls).bytes() ?? []
        case urls.file(for: urls.robots): return RobotsWriter(config: graph.config, urls: urls).bytes()
        default: return SearchIndexWriter(graph: graph, urls: urls).bytes()
        }
    }
}
