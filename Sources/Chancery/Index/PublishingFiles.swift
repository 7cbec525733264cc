/// The files besides pages that make a built site ready to publish on static hosting:
/// `sitemap.xml`, `feed.xml` (both only with an absolute base URL), `robots.txt` and the
/// search page's `search-index.json`. Each is a pure function of the resolved site, so two
/// builds of the same input write the same bytes.
public enum PublishingFiles {
    /// Output path and bytes of each file, for the pages `PageIndexer` listed.
    public static func make(graph: SiteGraph, urls: SiteURLs, pages: [PageSpec]) -> [(path: String, bytes: [UInt8])] {
        var files: [(path: String, bytes: [UInt8])] = []
        if let sitemap = SitemapWriter(graph: graph, urls: urls).bytes(pages: pages) { files.append((urls.file(for: urls.sitemap), sitemap)) }
        if let feed = FeedWriter(graph: graph, urls: urls).bytes() { files.append((urls.file(for: urls.feed), feed)) }
        files.append((urls.file(for: urls.robots), RobotsWriter(config: graph.config, urls: urls).bytes()))
        files.append((urls.file(for: urls.searchIndex), SearchIndexWriter(graph: graph, urls: urls).bytes()))
        return files
    }
}
