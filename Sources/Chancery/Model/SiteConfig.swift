/// The settings in `site.yaml`, with the base URL split into the parts pages need.
public struct SiteConfig: Sendable, Hashable {
    public var title: String
    public var edition: String?
    public var language: String
    public var description: String?
    /// The label of the breadcrumb's first link, the home page ("Summary" in the Bluebook).
    public var breadcrumbRoot: String
    /// The absolute base URL, always ending in `/`, e.g. `https://example.org/bluebook/`.
    public var baseURL: String
    /// Whether raw HTML and unsafe link schemes in Markdown pass through (off by default).
    public var allowRawHTML: Bool
    /// Whether the first mention of a listed entity in a section's text becomes a link.
    public var autoLink: Bool

    public init(title: String, edition: String? = nil, language: String = "en", description: String? = nil,
                breadcrumbRoot: String = "Home", baseURL: String = "/", allowRawHTML: Bool = false, autoLink: Bool = true) {
        self.title = title
        self.edition = edition
        self.language = language
        self.description = description
        self.breadcrumbRoot = breadcrumbRoot
        self.baseURL = SiteConfig.normalizedBaseURL(baseURL)
        self.allowRawHTML = allowRawHTML
        self.autoLink = autoLink
    }

    /// The path part of the base URL, starting and ending with `/`: every page link starts with it.
    public var basePath: String {
        guard let schemeEnd = baseURL.range(of: "://") else { return baseURL }
        let afterHost = baseURL[schemeEnd.upperBound...]
        guard let slash = afterHost.firstIndex(of: "/") else { return "/" }
        return String(afterHost[slash...])
    }

    /// The URL origin (`https://example.org`), empty when the base URL is only a path.
    public var origin: String {
        let path = basePath
        return baseURL.hasSuffix(path) ? String(baseURL.dropLast(path.count)) : ""
    }

    static func normalizedBaseURL(_ url: String) -> String {
        var url = url.trimmingWhitespace()
        if url.isEmpty { url = "/" }
        if !url.contains("://") && !url.hasPrefix("/") { url = "/" + url }
        if !url.hasSuffix("/") { url += "/" }
        return url
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
