/// The site's URL layout in one place: every page's URL and the file it is written to.
///
/// URLs are root-relative and start with the base path (`/` or `/bluebook/`); files are
/// relative to the output folder, a page at `/x/y/` being `x/y/index.html`.
public struct SiteURLs: Sendable {
    public var basePath: String

    public init(basePath: String) {
        self.basePath = basePath
    }

    public var home: String { basePath }
    public func chapter(_ slug: String) -> String { basePath + slug + "/" }
    public func section(chapter: String, slug: String) -> String { basePath + chapter + "/" + slug + "/" }
    public func index(_ kind: EntityKind) -> String { basePath + kind.plural + "/" }
    public func entity(_ ref: EntityRef) -> String { basePath + ref.kind.plural + "/" + ref.id + "/" }
    public func asset(_ relative: String) -> String { basePath + relative }
    public var notFound: String { basePath + "404.html" }
    public var search: String { basePath + "search/" }
    /// The files that make a site ready to publish (`PublishingFiles`).
    public var searchIndex: String { basePath + "search-index.json" }
    public var sitemap: String { basePath + "sitemap.xml" }
    public var feed: String { basePath + "feed.xml" }
    public var robots: String { basePath + "robots.txt" }

    /// The output file for a URL produced by this type.
    public func file(for url: String) -> String {
        let path = String(url.dropFirst(basePath.count))
        return path.isEmpty || path.hasSuffix("/") ? path + "index.html" : path
    }
}
