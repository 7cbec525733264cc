import Foundation

/// Checks the links of a rendered site: every internal link reaches a page or file, every
/// `#fragment` an element on its page, every page is reachable from the home page.
///
/// Made once per build from the pages and files the build will write, so each page's links are
/// examined as soon as the page is rendered, on the core that rendered it (`examine`); `report`
/// then adds what needs the whole site: anchors on other pages, and reachability.
///
/// Rules (names used in `site.yaml` under `check:` and in JSON output): `broken-link`,
/// `broken-anchor`, `orphan`, `external-link` (malformed external URLs). Each page's problems are
/// reported at its content file, on the line where the link is written when it is in the text.
public struct LinkChecker: Sendable {
    public struct Report: Sendable {
        public var diagnostics: [Diagnostic]
        /// Every external URL, with the pages that link to it, sorted.
        public var externalLinks: [(url: String, pages: [String])]
    }

    /// What one page's links lead to, found by `examine`.
    public struct PageLinks: Sendable {
        /// The page's position in the list the checker was made with.
        public var index: Int
        public var ids: Set<String>
        /// The pages it links to, by position.
        var targets: [Int32] = []
        var external: [String] = []
        var diagnostics: [Diagnostic] = []
        /// Links into other pages with a fragment, checked once every page's ids are known.
        var anchors: [(link: String, target: Int, fragment: String)] = []
    }

    public var config: SiteConfig
    public var urls: SiteURLs
    /// For reading a content file when a problem must be placed on its line.
    public var siteRoot: String
    public var displayPrefix: String
    /// Every page the site will have, in the order `PageLinks.index` counts.
    public let pages: [PageSpec]
    /// Every file the site will have, relative to the output folder.
    let files: Set<String>
    /// The scheme and host of an absolute base URL, else empty.
    private let origin: String
    /// What each page's and file's URL leads to, as templates write it: the page's position, or -1
    /// for a file that is not a page. Most links are found here.
    private let known: URLTable

    public init(config: SiteConfig, siteRoot: String, displayPrefix: String, pages: [PageSpec] = [], files: Set<String> = []) {
        self.config = config
        self.urls = SiteURLs(basePath: config.basePath)
        self.siteRoot = siteRoot
        self.displayPrefix = displayPrefix
        self.pages = pages
        self.files = files
        // Pages come after files, so a page's URL leads to the page.
        let basePath = config.basePath, origin = config.origin
        self.origin = origin
        var known: [(key: String, value: Int32)] = files.map { (basePath + $0, -1) }
        for (index, page) in pages.enumerated() {
            known.append((page.url, Int32(index)))
            known.append((basePath + page.file, Int32(index)))
            if !origin.isEmpty { known.append((origin + page.url, Int32(index))) }
        }
        self.known = URLTable(known)
    }

    enum Target: Equatable {
        case file(String, fragment: String?)
        case outside(String)
        case external(String)
        case ignored
    }

    /// Where a link written on the page at `pageURL` leads.
    func resolve(_ raw: String, from pageURL: String) -> Target {
        let link = raw.trimmingWhitespace()
        if link.isEmpty { return .ignored }
        if link.hasPrefix("#") { return target(path: pageURL, fragment: String(link.dropFirst())) }
        let lowered = link.lowercased()
        if lowered.hasPrefix("mailto:") || lowered.hasPrefix("tel:") || lowered.hasPrefix("data:") { return .external(link) }
        if link.hasPrefix("//") { return .external(link) }
        if let colon = link.firstIndex(of: ":"), link[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }) {
            let base = config.baseURL
            if base.contains("://"), link.hasPrefix(base) || link + "/" == base {
                return resolvePath(config.basePath + link.dropFirst(min(base.count, link.count)))
            }
            return .external(link)
        }
        if link.hasPrefix("/") { return resolvePath(link) }
        let folder = pageURL.hasSuffix("/") ? pageURL : String(pageURL[...(pageURL.lastIndex(of: "/") ?? pageURL.startIndex)])
        return resolvePath(folder + link)
    }

    private func resolvePath(_ pathWithQuery: String) -> Target {
        var path = pathWithQuery
        var fragment: String?
        if let hash = path.firstIndex(of: "#") {
            fragment = String(path[path.index(after: hash)...])
            path = String(path[..<hash])
        }
        if let question = path.firstIndex(of: "?") { path = String(path[..<question]) }
        return target(path: path, fragment: fragment)
    }

    private func target(path raw: String, fragment: String?) -> Target {
        let decoded = raw.utf8.contains(UInt8(ascii: "%")) ? (raw.removingPercentEncoding ?? raw) : raw
        var parts: [Substring] = []
        for component in decoded.split(separator: "/", omittingEmptySubsequences: true) {
            if component == "." { continue }
            if component == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(component)
        }
        var normalized = "/" + parts.joined(separator: "/")
        if decoded.hasSuffix("/") && !parts.isEmpty { normalized += "/" }
        guard normalized.hasPrefix(urls.basePath) || normalized + "/" == urls.basePath else { return .outside(normalized) }
        let relative = String(normalized.dropFirst(min(urls.basePath.count, normalized.count)))
        let file = relative.isEmpty || relative.hasSuffix("/") ? relative + "index.html" : relative
        return .file(file, fragment: fragment.flatMap { $0.isEmpty ? nil : $0.utf8.contains(UInt8(ascii: "%")) ? ($0.removingPercentEncoding ?? $0) : $0 })
    }

    /// What one link leads to, with everything about it that does not depend on the page it is on.
    private enum Verdict {
        case ignored
        case page(Int)
        case file
        case external(String, wellFormed: Bool)
        case broken(rule: String, message: String)
    }

    private func verdict(_ link: String, from pageURL: String) -> (Verdict, fragment: String?) {
        switch resolve(link, from: pageURL) {
        case .ignored:
            return (.ignored, nil)
        case .external(let url):
            return (.external(url, wellFormed: LinkChecker.isWellFormedExternal(url)), nil)
        case .outside(let path):
            return (.broken(rule: "broken-link", message: "link '\(link)' leaves the site: \(path) is outside its base path \(urls.basePath)"), nil)
        case .file(var file, let fragment):
            if !files.contains(file) {
                guard files.contains(file + "/index.html") else {
                    return (.broken(rule: "broken-link", message: "broken link '\(link)': no page or file at \(urls.basePath + file.replacingAll("index.html", with: ""))"), nil)
                }
                file += "/index.html"
            }
            guard let index = known.value(for: urls.basePath + file), index >= 0 else { return (.file, nil) }
            return (.page(Int(index)), fragment)
        }
    }

    private func brokenAnchor(_ link: String, _ target: Int, _ fragment: String) -> String {
        "broken anchor '\(link)': \(pages[target].url) has no element with id '\(fragment)'"
    }

    /// Whether a link is plainly to another site: `http://` or `https://`, not under this site's origin,
    /// nothing to trim. What `resolve` would say of it without working through its cases.
    private func isPlainExternal(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.starts(with: "https://".utf8) || bytes.starts(with: "http://".utf8), let last = bytes.last, last > 0x20 else { return false }
        return origin.isEmpty || !bytes.starts(with: origin.utf8)
    }

    /// Follows every link of the page at `index` (in `pages`), given what the scanner found in its HTML.
    /// Safe to call from many tasks at once.
    public func examine(_ index: Int, _ scan: HTMLLinkScanner.Result) -> PageLinks {
        let page = pages[index]
        var found = PageLinks(index: index, ids: scan.ids)
        var reported: Set<String> = []
        var sourceLines: [String]?
        func report(_ rule: String, _ link: String, _ message: String) {
            if reported.insert(link).inserted { found.diagnostics.append(diagnostic(rule, page, link, message, &sourceLines)) }
        }
        scan.forEachLink { bytes in
            if bytes.first == UInt8(ascii: "#"), !bytes.contains(UInt8(ascii: "%")) {
                // Most fragments point into the page itself: its table of contents and notes.
                let id = String(decoding: bytes.dropFirst(), as: UTF8.self)
                if id.isEmpty || scan.ids.contains(id) { return }
                let link = String(decoding: bytes, as: UTF8.self)
                report("broken-anchor", link, brokenAnchor(link, index, id))
                return
            }
            if let known = known.value(for: bytes) {
                if known >= 0 && Int(known) != index { found.targets.append(known) }
                return
            }
            let link = String(decoding: bytes, as: UTF8.self)
            let (verdict, fragment) = isPlainExternal(bytes) ? (.external(link, wellFormed: LinkChecker.isWellFormedExternal(link)), nil)
                : self.verdict(link, from: page.url)
            switch verdict {
            case .ignored, .file:
                break
            case .page(let target):
                if target != index { found.targets.append(Int32(target)) }
                guard let fragment else { break }
                if target != index {
                    found.anchors.append((link, target, fragment))
                } else if !scan.ids.contains(fragment) {
                    report("broken-anchor", link, brokenAnchor(link, index, fragment))
                }
            case .external(let url, let wellFormed):
                found.external.append(url)
                if !wellFormed { report("external-link", link, "malformed external link '\(link)'") }
            case .broken(let rule, let message):
                report(rule, link, message)
            }
        }
        return found
    }

    /// The problems of the whole site, from every page's `examine`: the pages' own, anchors into other
    /// pages, and pages no link leads to from the home page. Pages left out count as not rendered.
    /// The external links are listed only when `listingExternal` asks for them.
    public func report(_ examined: [PageLinks], listingExternal: Bool = false) -> Report {
        // Where each page's findings are in `examined` (-1: not rendered); looked up there, never copied.
        var position = [Int32](repeating: -1, count: pages.count)
        for (offset, page) in examined.enumerated() { position[page.index] = Int32(offset) }
        func has(_ index: Int) -> Bool { position[index] >= 0 }
        var diagnostics: [Diagnostic] = []
        var external: [String: Set<String>] = [:]
        var sourceLines: [String: [String]] = [:]
        for offset in position where offset >= 0 {
            let found = examined[Int(offset)]
            let page = pages[found.index]
            diagnostics += found.diagnostics
            if listingExternal { for url in found.external { external[url, default: []].insert(page.url) } }
            var reported: Set<String> = []
            for anchor in found.anchors where has(anchor.target) && !examined[Int(position[anchor.target])].ids.contains(anchor.fragment) {
                guard reported.insert(anchor.link).inserted else { continue }
                diagnostics.append(diagnostic("broken-anchor", page, anchor.link, brokenAnchor(anchor.link, anchor.target, anchor.fragment),
                                              &sourceLines[page.sourcePath]))
            }
        }

        // Reachability from the home page.
        var reached = [Bool](repeating: false, count: pages.count)
        var queue: [Int] = []
        if let home = known.value(for: urls.basePath + "index.html").map(Int.init), home >= 0, has(home) {
            reached[home] = true
            queue.append(home)
        }
        while let next = queue.popLast() {
            for target in examined[Int(position[next])].targets where !reached[Int(target)] && has(Int(target)) {
                reached[Int(target)] = true
                queue.append(Int(target))
            }
        }
        for (index, page) in pages.enumerated() where has(index) && !reached[index] && page.kind != .notFound {
            var found = Diagnostic(.warning, location(page), "page \(page.url) cannot be reached by following links from the home page")
            found.rule = "orphan"
            diagnostics.append(found)
        }

        let final = diagnostics.compactMap(config.withSeverity)
        return Report(diagnostics: final.sortedForDisplay(),
                      externalLinks: external.keys.sorted().map { ($0, external[$0]!.sorted()) })
    }

    static func isWellFormedExternal(_ url: String) -> Bool {
        if isPlainWebURL(url) { return true }
        let lowered = url.lowercased()
        if lowered.hasPrefix("mailto:") { return url.count > 7 && url.contains("@") }
        if lowered.hasPrefix("tel:") || lowered.hasPrefix("data:") { return true }
        guard let components = URLComponents(string: url.hasPrefix("//") ? "https:" + url : url) else { return false }
        if components.scheme == "http" || components.scheme == "https" {
            guard let host = components.host, !host.isEmpty, !host.contains(" ") else { return false }
        }
        return true
    }

    /// Whether `url` is plainly well formed: `http://` or `https://`, a host name of letters, digits, dots
    /// and hyphens, then a path of unreserved characters. Most links in a report are; the rest go through `URLComponents`.
    static func isPlainWebURL(_ url: String) -> Bool {
        var bytes = url.utf8[...]
        if bytes.starts(with: "https://".utf8) {
            bytes = bytes.dropFirst(8)
        } else if bytes.starts(with: "http://".utf8) {
            bytes = bytes.dropFirst(7)
        } else {
            return false
        }
        var host = 0
        while let byte = bytes.first, byte != UInt8(ascii: "/") {
            guard isAlphanumeric(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") else { return false }
            host += 1
            bytes = bytes.dropFirst()
        }
        guard host > 0 else { return false }
        return bytes.allSatisfy { isAlphanumeric($0) || "/-._~".utf8.contains($0) }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
    }

    private func location(_ page: PageSpec) -> SourceLocation {
        SourceLocation(path: page.sourcePath.isEmpty ? "templates/\(page.template).mustache" : page.sourcePath)
    }

    /// A problem on a page, placed on the content file's line that contains the link when there is one.
    /// `lines`: the content file's lines, read on the first problem of a page and kept for the next.
    private func diagnostic(_ rule: String, _ page: PageSpec, _ link: String, _ message: String, _ lines: inout [String]?) -> Diagnostic {
        var place = location(page)
        if !page.sourcePath.isEmpty {
            if lines == nil {
                let relative = page.sourcePath.hasPrefix(displayPrefix) ? String(page.sourcePath.dropFirst(displayPrefix.count)) : page.sourcePath
                let text = (try? String(contentsOfFile: siteRoot + "/" + relative, encoding: .utf8)) ?? ""
                lines = text.components(separatedBy: "\n")
            }
            // Markdown has the link as written: root-relative links without the base path.
            var written = [link]
            if link.hasPrefix(urls.basePath), urls.basePath != "/" { written.append("/" + link.dropFirst(urls.basePath.count)) }
            search: for (index, line) in lines!.enumerated() {
                for candidate in written {
                    if let range = line.range(of: "(" + candidate) ?? line.range(of: "\"" + candidate) {
                        place = SourceLocation(path: page.sourcePath, line: index + 1, column: line.distance(from: line.startIndex, to: range.lowerBound) + 2)
                        break search
                    }
                }
            }
        }
        var found = Diagnostic(.error, place, message, notes: ["on the page \(page.url)"])
        found.rule = rule
        return found
    }
}
