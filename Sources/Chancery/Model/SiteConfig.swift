/// The settings in `site.yaml`, with the base URL split into the parts pages need.
public struct SiteConfig: Sendable, Hashable {
    public var title: String
    public var edition: String?
    /// The date the edition's facts are stated as of (`as_of`): open-ended positions are shown as held on it, never as true today.
    public var asOf: Day?
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

    /// The diagnostic with the severity `check:` sets for its rule; nil when the rule is off.
    public func withSeverity(_ diagnostic: Diagnostic) -> Diagnostic? {
        guard let rule = diagnostic.rule, let setting = checkSeverities[rule] else { return diagnostic }
        guard let severity = setting else { return nil }
        var changed = diagnostic
        changed.severity = severity
        return changed
    }

    /// The rules `check:` accepts.
    public static let checkRules = ["broken-link", "broken-anchor", "orphan", "external-link", "missing-sources", "listed-not-named"]

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

    /// What is wrong with a base URL as written (in `site.yaml` as `base_url`, or as `--base-url`), nil when nothing is.
    ///
    /// `name` is how the setting is named in the message. Both spellings go through this one rule,
    /// so a URL refused in `site.yaml` is refused on the command line too.
    public static func baseURLProblem(_ value: String, name: String) -> (message: String, notes: [String])? {
        if !(value.hasPrefix("https://") || value.hasPrefix("http://") || value.hasPrefix("/")) || value.hasPrefix("//") {
            return ("'\(name)' must be an absolute URL (https://example.org/report/) or a path starting with one '/'",
                    value.contains("://") || value.hasPrefix("/") ? [] : ["did you mean 'https://\(value)'?"])
        }
        if let host = host(of: value), !isValidHost(host) {
            return ("'\(name)' has no valid host name: '\(host)'",
                    ["write it as https://example.org/report/: a host name of letters, digits, dots and hyphens, then the path"])
        }
        if let mark = value.first(where: { $0 == "?" || $0 == "#" }) {
            return ("'\(name)' may not contain '\(mark)': a base URL has no query or fragment, every page URL continues its path", [])
        }
        if let bad = value.unicodeScalars.first(where: { $0.value <= 0x20 || $0.value == 0x7F || "\"<>\\^`{|}".unicodeScalars.contains($0) }) {
            // Every page link starts with it: it must be a URL as written, not text that needs escaping.
            let shown = bad.value <= 0x20 || bad.value == 0x7F ? (bad == " " ? "a space" : "a control character") : "'\(bad)'"
            return ("'\(name)' may not contain \(shown): URLs hold no spaces, quotes or any of < > \\ ^ ` { | }",
                    ["percent-encode it (a space is %20)"])
        }
        return nil
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
