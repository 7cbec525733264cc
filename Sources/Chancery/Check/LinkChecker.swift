import Foundation

/// Checks the links of a rendered site: every internal link reaches a page or file, every
/// `#fragment` an element on its page, every page is reachable from the home page.
///
/// Rules (names used in `site.yaml` under `check:` and in JSON output): `broken-link`,
/// `broken-anchor`, `orphan`, `external-link` (malformed external URLs). Each page's problems are
/// reported at its content file, on the line where the link is written when it is in the text.
public struct LinkChecker: Sendable {
    public struct Page: Sendable {
        public var spec: PageSpec
        public var scan: HTMLLinkScanner.Result

        public init(spec: PageSpec, scan: HTMLLinkScanner.Result) {
            self.spec = spec
            self.scan = scan
        }
    }

    public struct Report: Sendable {
        public var diagnostics: [Diagnostic]
        /// Every external URL, with the pages that link to it, sorted.
        public var externalLinks: [(url: String, pages: [String])]
    }

    public var config: SiteConfig
    public var urls: SiteURLs
    /// For reading a content file when a problem must be placed on its line.
    public var siteRoot: String
    public var displayPrefix: String

    public init(config: SiteConfig, siteRoot: String, displayPrefix: String) {
        self.config = config
        self.urls = SiteURLs(basePath: config.basePath)
        self.siteRoot = siteRoot
        self.displayPrefix = displayPrefix
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

    /// What checking one page found.
    private struct PageFindings: Sendable {
        var diagnostics: [Diagnostic] = []
        var external: [String] = []
        var targets: Set<String> = []
    }

    public func check(pages: [Page], files: Set<String>) async -> Report {
        let byFile = Dictionary(pages.map { ($0.spec.file, $0) }, uniquingKeysWith: { first, _ in first })
        let ordered = pages.sorted(by: { $0.spec.file < $1.spec.file })
        // Pages are checked in parallel chunks; each chunk caches resolved links that do not depend
        // on the page (root-relative and absolute ones), since the same links recur on thousands of pages.
        let chunkSize = max(64, ordered.count / (Parallel.width * 2) + 1)
        let chunks = stride(from: 0, to: ordered.count, by: chunkSize).map { Array(ordered[$0..<min($0 + chunkSize, ordered.count)]) }
        let findings = await Parallel.map(chunks) { chunk -> [PageFindings] in
            var cache: [String: Target] = [:]
            var sourceCache: [String: [String]] = [:]
            return chunk.map { page in
                var found = PageFindings()
                var seen: Set<String> = []
                for link in page.scan.links where seen.insert(link).inserted {
                    let target: Target
                    if link.hasPrefix("/") || link.utf8.contains(UInt8(ascii: ":")) {
                        if let hit = cache[link] {
                            target = hit
                        } else {
                            target = resolve(link, from: page.spec.url)
                            cache[link] = target
                        }
                    } else {
                        target = resolve(link, from: page.spec.url)
                    }
                    switch target {
                    case .ignored:
                        break
                    case .external(let url):
                        found.external.append(url)
                        if !LinkChecker.isWellFormedExternal(url) {
                            found.diagnostics.append(diagnostic("external-link", page, link, "malformed external link '\(link)'", &sourceCache))
                        }
                    case .outside(let path):
                        found.diagnostics.append(diagnostic("broken-link", page, link, "link '\(link)' leaves the site: \(path) is outside its base path \(urls.basePath)", &sourceCache))
                    case .file(var file, let fragment):
                        if !files.contains(file) {
                            if files.contains(file + "/index.html") {
                                file += "/index.html"
                            } else {
                                found.diagnostics.append(diagnostic("broken-link", page, link, "broken link '\(link)': no page or file at \(urls.basePath + file.replacingAll("index.html", with: ""))", &sourceCache))
                                continue
                            }
                        }
                        found.targets.insert(file)
                        if let fragment, let target = byFile[file], !target.scan.ids.contains(fragment) {
                            found.diagnostics.append(diagnostic("broken-anchor", page, link, "broken anchor '\(link)': \(target.spec.url) has no element with id '\(fragment)'", &sourceCache))
                        }
                    }
                }
                return found
            }
        }.flatMap { $0 }

        var diagnostics: [Diagnostic] = []
        var external: [String: Set<String>] = [:]
        var edges: [String: Set<String>] = [:]
        for (page, found) in zip(ordered, findings) {
            diagnostics += found.diagnostics
            for url in found.external { external[url, default: []].insert(page.spec.url) }
            edges[page.spec.file] = found.targets
        }

        // Reachability from the home page.
        var reached: Set<String> = ["index.html"]
        var queue = ["index.html"]
        while let next = queue.popLast() {
            for target in edges[next] ?? [] where byFile[target] != nil && reached.insert(target).inserted { queue.append(target) }
        }
        for page in ordered where !reached.contains(page.spec.file) && page.spec.kind != .notFound {
            var found = Diagnostic(.warning, location(page), "page \(page.spec.url) cannot be reached by following links from the home page")
            found.rule = "orphan"
            diagnostics.append(found)
        }

        let severities = config.checkSeverities
        let final = diagnostics.compactMap { diagnostic -> Diagnostic? in
            guard let rule = diagnostic.rule, let setting = severities[rule] else { return diagnostic }
            guard let severity = setting else { return nil }
            var changed = diagnostic
            changed.severity = severity
            return changed
        }
        return Report(diagnostics: final.sortedForDisplay(),
                      externalLinks: external.keys.sorted().map { ($0, external[$0]!.sorted()) })
    }

    static func isWellFormedExternal(_ url: String) -> Bool {
        let lowered = url.lowercased()
        if lowered.hasPrefix("mailto:") { return url.count > 7 && url.contains("@") }
        if lowered.hasPrefix("tel:") || lowered.hasPrefix("data:") { return true }
        guard let components = URLComponents(string: url.hasPrefix("//") ? "https:" + url : url) else { return false }
        if components.scheme == "http" || components.scheme == "https" {
            guard let host = components.host, !host.isEmpty, !host.contains(" ") else { return false }
        }
        return true
    }

    private func location(_ page: Page) -> SourceLocation {
        SourceLocation(path: page.spec.sourcePath.isEmpty ? "templates/\(page.spec.template).mustache" : page.spec.sourcePath)
    }

    /// A problem on a page, placed on the content file's line that contains the link when there is one.
    private func diagnostic(_ rule: String, _ page: Page, _ link: String, _ message: String, _ cache: inout [String: [String]]) -> Diagnostic {
        var place = location(page)
        if !page.spec.sourcePath.isEmpty {
            if cache[page.spec.sourcePath] == nil {
                let relative = page.spec.sourcePath.hasPrefix(displayPrefix) ? String(page.spec.sourcePath.dropFirst(displayPrefix.count)) : page.spec.sourcePath
                let text = (try? String(contentsOfFile: siteRoot + "/" + relative, encoding: .utf8)) ?? ""
                cache[page.spec.sourcePath] = text.components(separatedBy: "\n")
            }
            // Markdown has the link as written: root-relative links without the base path.
            var written = [link]
            if link.hasPrefix(urls.basePath), urls.basePath != "/" { written.append("/" + link.dropFirst(urls.basePath.count)) }
            search: for (index, line) in cache[page.spec.sourcePath]!.enumerated() {
                for candidate in written {
                    if let range = line.range(of: "(" + candidate) ?? line.range(of: "\"" + candidate) {
                        place = SourceLocation(path: page.spec.sourcePath, line: index + 1, column: line.distance(from: line.startIndex, to: range.lowerBound) + 2)
                        break search
                    }
                }
            }
        }
        var found = Diagnostic(.error, place, message, notes: ["on the page \(page.spec.url)"])
        found.rule = rule
        return found
    }
}
