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
    /// Severity per link-check rule from `check:` in `site.yaml`; nil means the rule is off.
    /// Rules not listed keep their defaults (broken links and anchors: error; orphans: warning).
    public var checkSeverities: [String: Diagnostic.Severity?] = [:]

    /// The rules `check:` accepts.
    public static let checkRules = ["broken-link", "broken-anchor", "orphan", "external-link"]

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

    /// The host (with its port) of an absolute URL, nil for a path.
    static func host(of url: String) -> String? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let afterScheme = url[schemeEnd.upperBound...]
        return String(afterScheme[..<(afterScheme.firstIndex(of: "/") ?? afterScheme.endIndex)])
    }

    /// A DNS name or IPv4 address (letters, digits, dots, hyphens), or an IPv6 address in brackets, with an optional `:port`.
    static func isValidHost(_ host: String) -> Bool {
        var name = Substring(host)
        if let colon = name.lastIndex(of: ":"), !name.hasSuffix("]"), name.first != "[" || name[..<colon].hasSuffix("]") {
            let port = name[name.index(after: colon)...]
            guard !port.isEmpty, port.count <= 5, port.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
            name = name[..<colon]
        }
        if name.hasPrefix("[") {
            return name.count > 2 && name.hasSuffix("]") && name.dropFirst().dropLast().allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
        }
        return !name.isEmpty && !name.hasPrefix(".") && !name.hasPrefix("-") && !name.contains("..")
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }
    }

    static func normalizedBaseURL(_ url: String) -> String {
        var url = url.trimmingWhitespace()
        // A query or fragment would swallow every page path written after it.
        if let cut = url.firstIndex(where: { $0 == "?" || $0 == "#" }) { url = String(url[..<cut]) }
        if url.isEmpty { url = "/" }
        if !url.contains("://") && !url.hasPrefix("/") { url = "/" + url }
        if !url.hasSuffix("/") { url += "/" }
        // A path starting with '//' would send every page link to another host (`//evil.example/…`):
        // runs of slashes in the path become one.
        var prefix = Substring(""), path = Substring(url)
        if let schemeEnd = url.range(of: "://") {
            let afterHost = url[schemeEnd.upperBound...]
            let slash = afterHost.firstIndex(of: "/") ?? afterHost.endIndex
            prefix = url[..<slash]
            path = url[slash...]
        }
        var collapsed = ""
        for character in path where !(character == "/" && collapsed.hasSuffix("/")) { collapsed.append(character) }
        return String(prefix) + collapsed
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        // Text that starts and ends with a visible ASCII character has nothing to trim.
        func isVisibleASCII(_ byte: UInt8?) -> Bool { byte.map { $0 > 0x20 && $0 < 0x7F } ?? false }
        var s = Substring(self)
        if isVisibleASCII(s.utf8.first), isVisibleASCII(s.utf8.last) { return String(s) }
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
