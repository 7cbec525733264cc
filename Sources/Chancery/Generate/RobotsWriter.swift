/// Builds `robots.txt`: every crawler may read every page, and the sitemap's absolute URL when there is one.
///
/// Crawlers only read `robots.txt` at the root of a host: a site published under a sub-path
/// (`https://example.org/bluebook/`) still gets one, for whoever runs the host to merge into theirs.
public struct RobotsWriter: Sendable {
    public var config: SiteConfig
    public var urls: SiteURLs

    public init(config: SiteConfig, urls: SiteURLs) {
        self.config = config
        self.urls = urls
    }

    public func bytes() -> [UInt8] {
        var out = "User-agent: *\nAllow: /\n"
        if SitemapWriter.hasAbsoluteBase(config) {
            out += "\nSitemap: " + config.origin + urls.sitemap + "\n"
        }
        return Array(out.utf8)
    }
}
