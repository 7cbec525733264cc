/// Renders page specs to HTML through the theme's templates.
///
/// Holds everything shared by all pages (the graph, URLs, the mention matcher, the site
/// context), built once; `render(_:)` is then safe to call from many tasks at once.
public struct PageRenderer: Sendable {
    public private(set) var graph: SiteGraph
    public let urls: SiteURLs
    /// Replaced when only templates changed: a page's data does not depend on them.
    var engine: any TemplateEngine
    let markdown: MarkdownRenderer
    let matcher: MentionMatcher
    let siteContext: TemplateValue
    private(set) var links: LinkCache
    /// The scheme and host of an absolute base URL (`https://example.org`), else empty; worked out once, not per page.
    let origin: String
    /// The stylesheet's URL, fingerprinted by the writer.
    public let styleURL: String
    /// Section bodies from earlier builds (preview server only).
    let markdownCache: MarkdownCache?
    /// Everything about the Markdown set-up that a cached body depends on, besides the section itself (only made when there is a cache).
    let markdownSetup: Fingerprint

    /// Ids the templates use on section pages; body headings never take them.
    public static let reservedIDs: Set<String> = ["main", "content", "contents", "toc", "notes", "sidebar", "top",
                                                  "countries", "officials", "agreements", "organizations", "site-header", "site-footer",
                                                  "site-search", "site-search-q", "search-form", "search-q", "search-status",
                                                  "search-results", "search-fallback"]

    /// `assetURLs`: the URL of each theme asset (`assets/style.css` → `/assets/style.1a2b3c4d.css`) as written;
    /// those in `fingerprintedAssets` that it leaves out are linked under their plain names.
    public init(graph: SiteGraph, engine: any TemplateEngine, styleURL: String, assetURLs: [String: String] = [:],
                markdownCache: MarkdownCache? = nil) {
        let names = PageRenderer.mentionNames(graph)
        self.init(graph: graph, engine: engine, styleURL: styleURL, assetURLs: assetURLs, markdownCache: markdownCache,
                  names: names, matcher: MentionMatcher(names: names), links: LinkCache(graph: graph, urls: SiteURLs(basePath: graph.config.basePath)))
    }

    /// The same renderer, with its two largest tables (the mention trie and the repeated links) made at once.
    public static func make(graph: SiteGraph, engine: any TemplateEngine, styleURL: String, assetURLs: [String: String] = [:],
                            markdownCache: MarkdownCache? = nil) async -> PageRenderer {
        async let links = LinkCache(graph: graph, urls: SiteURLs(basePath: graph.config.basePath))
        let names = mentionNames(graph)
        let matcher = MentionMatcher(names: names)
        return PageRenderer(graph: graph, engine: engine, styleURL: styleURL, assetURLs: assetURLs, markdownCache: markdownCache,
                            names: names, matcher: matcher, links: await links)
    }

    private init(graph: SiteGraph, engine: any TemplateEngine, styleURL: String, assetURLs: [String: String],
                 markdownCache: MarkdownCache?, names: [(String, EntityRef)], matcher: MentionMatcher, links: LinkCache) {
        self.graph = graph
        self.urls = SiteURLs(basePath: graph.config.basePath)
        self.origin = graph.config.origin
        self.engine = engine
        self.styleURL = styleURL
        self.markdown = MarkdownRenderer(options: .init(allowRawHTML: graph.config.allowRawHTML, basePath: graph.config.basePath,
                                                        reservedIDs: PageRenderer.reservedIDs))
        self.matcher = matcher
        self.markdownCache = markdownCache
        var setup = Fingerprint()
        if markdownCache != nil {
            for (name, ref) in names.sorted(by: { ($0.1, $0.0) < ($1.1, $1.0) }) {
                setup.add(name)
                setup.add(ref.description)
            }
            setup.add(graph.config.basePath)
            setup.add(graph.config.allowRawHTML ? 1 : 0)
            setup.add(graph.config.autoLink ? 1 : 0)
        }
        self.markdownSetup = setup
        self.siteContext = PageRenderer.makeSiteContext(graph: graph, urls: urls, styleURL: styleURL, assetURLs: assetURLs)
        self.links = links
    }

    /// Takes the graph with new versions of some sections; its entities and the set-up made from them stay as they were.
    mutating func update(_ update: SectionUpdate) {
        graph = update.graph
        for index in update.indices { links.sections[index] = LinkCache.sectionLink(graph, index, urls: urls) }
    }

    /// Takes the graph with new records of some entities, whose ids and names (all the mention set-up reads) stay as they were.
    mutating func update(_ update: EntityUpdate) {
        graph = update.graph
        for ref in update.refs where ref.kind == .agreement {
            links.agreements[ref.id] = LinkCache.agreementLink(graph, graph.agreements[ref.id]!, urls: urls)
        }
    }

    /// Every name the text may mention an entity by: names, aliases, short titles and short names (an agreement's description excepted).
    static func mentionNames(_ graph: SiteGraph) -> [(String, EntityRef)] {
        var names: [(String, EntityRef)] = []
        for kind in EntityKind.allCases {
            for id in graph.ids(kind) {
                let ref = EntityRef(kind, id)
                guard let header = graph.header(ref) else { continue }
                // A description stands in for an unknown title: text that happens to match it does not name the document.
                if kind != .agreement || graph.agreements[id]?.nameIsDescription != true { names.append((header.name, ref)) }
                for alias in header.aliases { names.append((alias, ref)) }
                if kind == .agreement, let short = graph.agreements[id]?.shortTitle { names.append((short, ref)) }
                if kind == .organization, let short = graph.organizations[id]?.shortName { names.append((short, ref)) }
            }
        }
        return names
    }

    /// One rendered page: its bytes and what rendering it found.
    public struct Rendered: Sendable {
        public var bytes: [UInt8]
        public var diagnostics: [Diagnostic]
    }

    public func render(_ page: PageSpec) throws(TemplateError) -> Rendered {
        let (context, diagnostics) = self.context(for: page)
        return Rendered(bytes: try render(page, context: context), diagnostics: diagnostics)
    }

    /// The data the page's template will see, and what building it found (Markdown warnings).
    public func context(for page: PageSpec) -> (context: TemplateValue, diagnostics: [Diagnostic]) {
        var reads = PageReads()
        return context(for: page, reads: &reads)
    }

    /// The same, recording in `reads` what of the graph the data was made from.
    public func context(for page: PageSpec, reads: inout PageReads) -> (context: TemplateValue, diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let context = self.context(for: page, diagnostics: &diagnostics, reads: &reads)
        return (context, diagnostics)
    }

    /// Runs the page's template over a context from `context(for:)`.
    public func render(_ page: PageSpec, context: TemplateValue) throws(TemplateError) -> [UInt8] {
        do {
            return try engine.render(page.template, context)
        } catch let error as TemplateError {
            throw error
        } catch {
            throw TemplateError(diagnostic: .error(SourceLocation(path: "templates/\(page.template).mustache"), "\(error)"))
        }
    }
}
