import Foundation
import Synchronization

/// Builds a site: load → parse → resolve → index → render → write, each stage a value-in, value-out step.
///
/// Every stage collects all of its diagnostics before the build stops, and nothing touches
/// the output folder until the pages are rendered into a staging folder without errors.
public struct SiteBuilder: Sendable {
    public var options: BuildOptions
    /// Kept by the preview server between builds; nil for a one-off build.
    public var cache: BuildCache?

    public init(options: BuildOptions, cache: BuildCache? = nil) {
        self.options = options
        self.cache = cache
    }

    /// The site after every stage but writing: ready to render.
    public struct Prepared: Sendable {
        public var graph: SiteGraph
        public var pages: [PageSpec]
        public var renderer: PageRenderer
        /// Files copied or generated besides pages: relative output path → bytes.
        public var files: [(path: String, bytes: [UInt8])]
        public var diagnostics: [Diagnostic]
        /// For each template, a fingerprint of it and every template it includes: what its pages depend on.
        public var templateFingerprints: [String: Fingerprint]
    }

    public func build(progress: @escaping @Sendable (BuildProgress) -> Void = { _ in }) async throws(BuildFailure) -> BuildReport {
        let prepared = try await prepare(progress: progress)
        return try await write(prepared, progress: progress)
    }

    public func prepare(progress: @escaping @Sendable (BuildProgress) -> Void = { _ in }) async throws(BuildFailure) -> Prepared {
        var diagnostics: [Diagnostic] = []
        func stop(_ stage: BuildStage, _ found: [Diagnostic]) throws(BuildFailure) {
            diagnostics += found
            if found.hasErrors { throw BuildFailure(stage: stage.rawValue, diagnostics: diagnostics) }
        }

        progress(BuildProgress(stage: .load, done: 0, total: 0))
        let loaded = await ContentLoader(root: options.siteRoot, displayPrefix: options.displayPrefix).load()

        progress(BuildProgress(stage: .parse, done: 0, total: loaded.files.count))
        let (site, parseDiagnostics) = await SiteBuilder.parse(loaded.files, baseURL: options.baseURL, cache: cache)
        try stop(.parse, loaded.diagnostics + parseDiagnostics)
        guard let site else { throw BuildFailure(stage: "parse", diagnostics: diagnostics) }

        progress(BuildProgress(stage: .resolve, done: 0, total: 0))
        let resolved = ReferenceResolver(includeDrafts: options.includeDrafts).resolve(site)
        try stop(.resolve, resolved.diagnostics)
        guard let graph = resolved.graph else { throw BuildFailure(stage: "resolve", diagnostics: diagnostics) }

        progress(BuildProgress(stage: .index, done: 0, total: 0))
        let urls = SiteURLs(basePath: graph.config.basePath)
        let (theme, themeDiagnostics) = Theme.load(siteRoot: options.siteRoot, displayPrefix: options.displayPrefix)
        try stop(.index, themeDiagnostics)
        let (pages, pageDiagnostics) = PageIndexer(urls: urls).pages(for: graph)
        try stop(.index, ThemeChecker.check(theme, required: Array(Set(pages.map(\.template))).sorted()))
        let engine: any TemplateEngine
        do {
            engine = try CompiledMustacheEngine(theme: theme)
        } catch {
            throw BuildFailure(stage: "index", diagnostics: diagnostics + [error.diagnostic])
        }

        var files: [(path: String, bytes: [UInt8])] = []
        var assetURLs: [String: String] = [:]
        for (path, bytes) in theme.assets.sorted(by: { $0.key < $1.key }) {
            // Assets the templates reach through `site` are named by content hash (`assets/style.1a2b3c4d.css`).
            let target = PageRenderer.fingerprintedAssets[path] != nil ? Fingerprint.contentAddressed(path, bytes) : path
            assetURLs[path] = urls.asset(target)
            files.append((target, bytes))
        }
        let (staticFiles, staticDiagnostics) = SiteBuilder.staticFiles(root: options.siteRoot, displayPrefix: options.displayPrefix)
        files += staticFiles
        var claims = pages.map { (file: $0.file, source: $0.sourcePath) }
        claims += APIExporter.names.map { (file: "api/" + $0, source: "") }
        claims += files.map { (file: $0.path, source: $0.path.hasPrefix("assets/") ? "" : options.displayPrefix + "static/" + $0.path) }
        try stop(.index, pageDiagnostics + staticDiagnostics + PageIndexer.collisions(claims))
        // sitemap.xml, feed.xml, robots.txt, search-index.json; a file of the same name in static/ takes the place of one.
        let taken = Set(files.map(\.path))
        files += PublishingFiles.make(graph: graph, urls: urls, pages: pages).filter { !taken.contains($0.path) }

        let renderer = PageRenderer(graph: graph, engine: engine, styleURL: assetURLs["assets/style.css"] ?? urls.asset("assets/style.css"),
                                    assetURLs: assetURLs, markdownCache: cache?.markdown)
        return Prepared(graph: graph, pages: pages, renderer: renderer, files: files, diagnostics: diagnostics,
                        templateFingerprints: ThemeChecker.closureFingerprints(theme))
    }

    /// Renders every page into a staging folder, checks the links, and swaps it into place; on any error the output stays as it was.
    public func write(_ prepared: Prepared, progress: @escaping @Sendable (BuildProgress) -> Void = { _ in }) async throws(BuildFailure) -> BuildReport {
        let writer = try OutputWriter(output: options.outputPath, siteRoot: options.siteRoot,
                                      protecting: ["content", "templates", "static"].map { options.siteRoot + "/" + $0 })
        do {
            try writer.prepareFolders(for: SiteBuilder.outputFiles(prepared))
        } catch {
            writer.discard()
            throw BuildFailure(stage: "write", diagnostics: prepared.diagnostics + error.diagnostics)
        }
        let rendered = await render(prepared, into: writer, progress: progress)
        var diagnostics = prepared.diagnostics + rendered.diagnostics
        if !diagnostics.hasErrors {
            progress(BuildProgress(stage: .check, done: 0, total: rendered.pages.count))
            diagnostics += await linkReport(prepared, rendered.pages).diagnostics
        }
        if diagnostics.hasErrors {
            writer.discard()
            throw BuildFailure(stage: rendered.diagnostics.hasErrors ? "render" : "check", diagnostics: diagnostics)
        }
        progress(BuildProgress(stage: .write, done: 0, total: 0))
        do {
            try writer.commit()
        } catch {
            writer.discard()
            throw BuildFailure(stage: "write", diagnostics: diagnostics + error.diagnostics)
        }
        return BuildReport(pages: prepared.pages.count, files: SiteBuilder.outputFiles(prepared).count, bytes: rendered.bytes,
                           diagnostics: diagnostics.sortedForDisplay())
    }

    /// What `chancery check` reports: every diagnostic of the whole pipeline and of the link check, without writing anything.
    public struct CheckReport: Sendable {
        public var diagnostics: [Diagnostic]
        public var externalLinks: [(url: String, pages: [String])]
        public var pages: Int
    }

    /// Runs the whole pipeline and the link check, keeping rendered pages only long enough to scan them.
    public func check(progress: @escaping @Sendable (BuildProgress) -> Void = { _ in }) async -> CheckReport {
        let prepared: Prepared
        do {
            prepared = try await prepare(progress: progress)
        } catch {
            return CheckReport(diagnostics: error.diagnostics, externalLinks: [], pages: 0)
        }
        let rendered = await render(prepared, into: nil, progress: progress)
        var diagnostics = prepared.diagnostics + rendered.diagnostics
        var external: [(url: String, pages: [String])] = []
        if !rendered.diagnostics.hasErrors {
            progress(BuildProgress(stage: .check, done: 0, total: rendered.pages.count))
            let report = await linkReport(prepared, rendered.pages)
            diagnostics += report.diagnostics
            external = report.externalLinks
        }
        return CheckReport(diagnostics: diagnostics.sortedForDisplay(), externalLinks: external, pages: prepared.pages.count)
    }

    /// Every file a build writes, relative to the output folder.
    static func outputFiles(_ prepared: Prepared) -> [String] {
        prepared.pages.map(\.file) + prepared.files.map(\.path) + APIExporter.names.map { "api/" + $0 }
    }

    /// HTML files copied from `static/`, scanned so their links are checked like pages'.
    func staticPages(_ prepared: Prepared) -> [LinkChecker.Page] {
        prepared.files.filter { $0.path.hasSuffix(".html") }.map { file in
            let url = prepared.renderer.urls.basePath + (file.path.hasSuffix("index.html") ? String(file.path.dropLast("index.html".count)) : file.path)
            let spec = PageSpec(kind: .staticPage, url: url, file: file.path, template: "", sourcePath: options.displayPrefix + "static/" + file.path)
            return LinkChecker.Page(spec: spec, scan: HTMLLinkScanner.scan(file.bytes))
        }
    }

    func linkReport(_ prepared: Prepared, _ pages: [LinkChecker.Page]) async -> LinkChecker.Report {
        await LinkChecker(config: prepared.graph.config, siteRoot: options.siteRoot, displayPrefix: options.displayPrefix)
            .check(pages: pages, files: Set(SiteBuilder.outputFiles(prepared)))
    }

    /// Renders every page and API document on every core, writing each into `writer` (when given) as soon as it is done.
    private func render(_ prepared: Prepared, into writer: OutputWriter?, progress: @escaping @Sendable (BuildProgress) -> Void)
        async -> (bytes: Int, diagnostics: [Diagnostic], pages: [LinkChecker.Page]) {
        progress(BuildProgress(stage: .render, done: 0, total: prepared.pages.count))
        let renderer = prepared.renderer
        let done = Atomic<Int>(0)
        let total = prepared.pages.count
        let exporter = APIExporter(graph: prepared.graph, urls: renderer.urls)
        struct Outcome: Sendable {
            var bytes = 0
            var diagnostics: [Diagnostic] = []
            var page: LinkChecker.Page?
        }
        // The API documents are rendered alongside the pages, as jobs of their own.
        let jobs = prepared.pages.map { Optional($0) } + APIExporter.names.map { _ in nil }
        let results = await Parallel.map(Array(jobs.enumerated())) { index, job -> Outcome in
            guard let page = job else {
                let name = APIExporter.names[index - total]
                let bytes = exporter.document(name).bytes()
                if let failure = writer?.write(bytes, to: "api/" + name) { return Outcome(diagnostics: [failure]) }
                return Outcome(bytes: bytes.count)
            }
            let count = done.add(1, ordering: .relaxed).newValue
            if count % 250 == 0 || count == total { progress(BuildProgress(stage: .render, done: count, total: total)) }
            do throws(TemplateError) {
                let rendered = try renderer.render(page)
                let scanned = LinkChecker.Page(spec: page, scan: HTMLLinkScanner.scan(rendered.bytes))
                if let failure = writer?.write(rendered.bytes, to: page.file) { return Outcome(diagnostics: rendered.diagnostics + [failure]) }
                return Outcome(bytes: rendered.bytes.count, diagnostics: rendered.diagnostics, page: scanned)
            } catch {
                return Outcome(diagnostics: [error.diagnostic])
            }
        }
        var bytes = 0
        var diagnostics: Set<Diagnostic> = []
        var pages: [LinkChecker.Page] = []
        pages.reserveCapacity(total)
        for result in results {
            bytes += result.bytes
            diagnostics.formUnion(result.diagnostics)
            if let page = result.page { pages.append(page) }
        }
        for file in prepared.files {
            if let failure = writer?.write(file.bytes, to: file.path) { diagnostics.insert(failure) }
            bytes += file.bytes.count
        }
        return (bytes, Array(diagnostics), pages + staticPages(prepared))
    }

    /// Parses every file in parallel and gathers the records into one `ParsedSite`.
    static func parse(_ files: [SourceFile], baseURL: String?, cache: BuildCache?) async -> (ParsedSite?, [Diagnostic]) {
        let parsed = await Parallel.map(files) { cache?.parse($0) ?? DocumentParser.parse($0) }
        var diagnostics: [Diagnostic] = []
        var config: SiteConfig?
        var configPath = ""
        var records: [DocumentParser.Record] = []
        for (file, result) in zip(files, parsed) {
            diagnostics += result.diagnostics
            guard let record = result.record else { continue }
            if case .config(let parsedConfig) = record {
                config = parsedConfig
                configPath = file.path
            } else {
                records.append(record)
            }
        }
        guard var config else { return (nil, diagnostics) }
        if let baseURL { config.baseURL = SiteConfig.normalizedBaseURL(baseURL) }
        var site = ParsedSite(config: config, configPath: configPath)
        for record in records {
            switch record {
            case .config: break
            case .home(let title, let body):
                site.homeTitle = title
                site.homeBody = body.isBlank ? nil : body
            case .chapter(let chapter): site.chapters.append(chapter)
            case .section(let section): site.sections.append(section)
            case .country(let country): site.countries.append(country)
            case .official(let official): site.officials.append(official)
            case .agreement(let agreement): site.agreements.append(agreement)
            case .organization(let organization): site.organizations.append(organization)
            }
        }
        return (site, diagnostics)
    }

    /// Every file under the site's `static/` folder, copied as is to the same path in the output.
    ///
    /// Read by the same rules as `content/`: nothing outside the site folder, not even through a link.
    static func staticFiles(root: String, displayPrefix: String) -> ([(path: String, bytes: [UInt8])], [Diagnostic]) {
        let (files, diagnostics) = FolderReader.files(in: root + "/static", siteRoot: root, display: displayPrefix + "static/")
        return (files.map { ($0.relative, $0.bytes) }, diagnostics)
    }
}

extension SiteBuilder.CheckReport {
    /// The report as stable JSON: keys in a fixed order, diagnostics in file order, links sorted.
    public func json() -> JSONValue {
        .object([
            ("pages", .number(pages)),
            ("errors", .number(diagnostics.errors.count)),
            ("warnings", .number(diagnostics.warnings.count)),
            ("diagnostics", .array(diagnostics.map { diagnostic in
                .object([
                    ("severity", .string(diagnostic.severity.rawValue)),
                    ("rule", .optional(diagnostic.rule)),
                    ("path", .string(diagnostic.location.path)),
                    ("line", .number(diagnostic.location.line)),
                    ("column", .number(diagnostic.location.column)),
                    ("message", .string(diagnostic.message)),
                    ("notes", .array(diagnostic.notes.map(JSONValue.string))),
                ])
            })),
            ("external_links", .array(externalLinks.map { link in
                .object([("url", .string(link.url)), ("pages", .array(link.pages.map(JSONValue.string)))])
            })),
        ])
    }
}
