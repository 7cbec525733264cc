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
        /// Files copied besides pages (theme assets, `static/`): relative output path → bytes.
        public var files: [(path: String, bytes: [UInt8])]
        /// Files made from the site besides pages, made while the pages are rendered.
        public var generated: GeneratedFiles
        public var diagnostics: [Diagnostic]
        /// Every file the build writes (pages, copied and generated files), relative to the output folder.
        public var outputFiles: [String]
        /// Follows the links of every page and of the HTML files from `static/`, in that order.
        public var checker: LinkChecker
        /// For each template, a fingerprint of it and every template it includes: what its pages depend on.
        public var templateFingerprints: [String: Fingerprint]
        /// Source files (as shown in diagnostics) that loading or parsing had something to say about.
        public var sourcesWithParseDiagnostics: Set<String>
    }

    public func build(progress: @escaping @Sendable (BuildProgress) -> Void = { _ in }) async throws(BuildFailure) -> BuildReport {
        if options.cacheIdentity != nil { return try await buildWithCache(progress: progress) }
        let prepared = try await prepare(progress: progress)
        let (report, rendered) = try await write(prepared, progress: progress)
        SiteBuilder.releaseInBackground((prepared, rendered))
        return report
    }

    /// Hands the last reference to a finished build's values to a background task. They are hundreds of
    /// thousands of small objects, and freeing them would otherwise hold up the result for a noticeable time.
    static func releaseInBackground(_ values: some Sendable) {
        Task.detached(priority: .background) { withExtendedLifetime(values) {} }
    }

    public func prepare(progress: @escaping @Sendable (BuildProgress) -> Void = { _ in }) async throws(BuildFailure) -> Prepared {
        var diagnostics: [Diagnostic] = []
        func stop(_ stage: BuildStage, _ found: [Diagnostic]) throws(BuildFailure) {
            diagnostics += found
            if found.hasErrors { throw BuildFailure(stage: stage, diagnostics: diagnostics) }
        }

        progress(BuildProgress(stage: .load, done: 0, total: 0))
        let loaded = await ContentLoader(root: options.siteRoot, displayPrefix: options.displayPrefix).load()

        progress(BuildProgress(stage: .parse, done: 0, total: loaded.files.count))
        let (site, parseDiagnostics) = await SiteBuilder.parse(loaded.files, baseURL: options.baseURL, cache: cache)
        // Files that did load are parsed even when others did not, so one run reports every problem; the first failing stage is named.
        try stop(loaded.diagnostics.hasErrors ? .load : .parse, loaded.diagnostics + parseDiagnostics)
        guard let site else { throw BuildFailure(stage: .parse, diagnostics: diagnostics) }

        progress(BuildProgress(stage: .resolve, done: 0, total: 0))
        let resolved = ReferenceResolver(includeDrafts: options.includeDrafts).resolve(site)
        try stop(.resolve, resolved.diagnostics)
        guard let graph = resolved.graph else { throw BuildFailure(stage: .resolve, diagnostics: diagnostics) }

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
            throw BuildFailure(stage: .index, diagnostics: diagnostics + [error.diagnostic])
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
        let generated = GeneratedFiles(graph: graph, urls: urls, pages: pages, replaced: Set(files.map(\.path)))

        // The link checker's table of every URL is made while the renderer sets up.
        let outputFiles = pages.map(\.file) + files.map(\.path) + generated.paths
        async let checker = LinkChecker(config: graph.config, siteRoot: options.siteRoot, displayPrefix: options.displayPrefix,
                                        pages: pages + staticPages(files, urls: urls).map(\.spec), files: Set(outputFiles))
        let renderer = await PageRenderer.make(graph: graph, engine: engine, styleURL: assetURLs["assets/style.css"] ?? urls.asset("assets/style.css"),
                                               assetURLs: assetURLs, markdownCache: cache?.markdown)
        return Prepared(graph: graph, pages: pages, renderer: renderer, files: files, generated: generated, diagnostics: diagnostics, outputFiles: outputFiles, checker: await checker,
                        templateFingerprints: ThemeChecker.closureFingerprints(theme),
                        sourcesWithParseDiagnostics: Set((loaded.diagnostics + parseDiagnostics).map(\.location.path)))
    }

    /// Renders every page into a staging folder, checks the links, and swaps it into place; on any error the output stays as it was.
    ///
    /// `beforeCommit` runs once everything succeeded, just before the output folder is replaced. The rendered
    /// pages' findings are returned too; with `keepingShells`, with every section page's data but its body's.
    /// With `keepingRecords`, also each file's hash and each page's link scan, which the preview compares the next build with.
    func write(_ prepared: Prepared, progress: @escaping @Sendable (BuildProgress) -> Void = { _ in }, keepingShells: Bool = false,
               keepingRecords: Bool = false, beforeCommit: () -> Void = {}) async throws(BuildFailure) -> (BuildReport, RenderedSite) {
        let writer = try OutputWriter(output: options.outputPath, siteRoot: options.siteRoot,
                                      protecting: ["content", "templates", "static"].map { options.siteRoot + "/" + $0 },
                                      force: options.replaceForeignOutput)
        do {
            try writer.prepareFolders(for: prepared.outputFiles)
        } catch {
            writer.discard()
            throw BuildFailure(stage: .write, diagnostics: prepared.diagnostics + error.diagnostics)
        }
        let rendered = await render(prepared, into: writer, keepingShells: keepingShells, keepingRecords: keepingRecords, progress: progress)
        var diagnostics = prepared.diagnostics + rendered.diagnostics
        if !diagnostics.hasErrors {
            progress(BuildProgress(stage: .check, done: 0, total: 0))
            diagnostics += prepared.checker.report(rendered.links).diagnostics
        }
        if diagnostics.hasErrors {
            writer.discard()
            throw BuildFailure(stage: rendered.diagnostics.hasErrors ? .render : .check, diagnostics: diagnostics)
        }
        progress(BuildProgress(stage: .write, done: 0, total: 0))
        beforeCommit()
        do {
            try writer.commit()
        } catch {
            writer.discard()
            throw BuildFailure(stage: .write, diagnostics: diagnostics + error.diagnostics)
        }
        let report = BuildReport(pages: prepared.pages.count, files: prepared.outputFiles.count, bytes: rendered.bytes,
                                 diagnostics: diagnostics.sortedForDisplay())
        return (report, rendered)
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
        let rendered = await render(prepared, into: nil, keepingShells: false, keepingRecords: false, progress: progress)
        var diagnostics = prepared.diagnostics + rendered.diagnostics
        var external: [(url: String, pages: [String])] = []
        if !rendered.diagnostics.hasErrors {
            progress(BuildProgress(stage: .check, done: 0, total: 0))
            let report = prepared.checker.report(rendered.links, listingExternal: true)
            diagnostics += report.diagnostics
            external = report.externalLinks
        }
        return CheckReport(diagnostics: diagnostics.sortedForDisplay(), externalLinks: external, pages: prepared.pages.count)
    }

    /// HTML files copied from `static/`: their links are checked like pages'.
    func staticPages(_ files: [(path: String, bytes: [UInt8])], urls: SiteURLs) -> [(spec: PageSpec, bytes: [UInt8])] {
        files.filter { $0.path.hasSuffix(".html") }.map { file in
            let url = urls.basePath + (file.path.hasSuffix("index.html") ? String(file.path.dropLast("index.html".count)) : file.path)
            return (PageSpec(kind: .staticPage, url: url, file: file.path, template: "", sourcePath: options.displayPrefix + "static/" + file.path), file.bytes)
        }
    }

    /// What rendering every page found: in page order, each page's diagnostics, links and size, and with
    /// `keepingShells` each section page's data but its body's, encoded for the build cache.
    struct RenderedSite: Sendable {
        var bytes = 0
        /// Every page's diagnostics, each once, in no particular order.
        var diagnostics: [Diagnostic] = []
        /// The link checker's findings on every page, then on every HTML file from `static/`.
        var links: [LinkChecker.PageLinks] = []
        var pageDiagnostics: [[Diagnostic]] = []
        var pageSizes: [Int] = []
        /// Each page's shell and the hash of its bytes (section pages only).
        var shells: [(bytes: [UInt8], hash: UInt64)?] = []
        /// With `keepingRecords`: each page's hash, link scan and reads, in page order, and each generated file's hash.
        var pageHashes: [Fingerprint?] = []
        var pageScans: [HTMLLinkScanner.Result?] = []
        var pageReads: [PageReads] = []
        var generatedHashes: [String: Fingerprint] = [:]
    }

    /// Renders every page and generated file on every core, writing each into `writer` (when given) and
    /// following a page's links as soon as it is done.
    private func render(_ prepared: Prepared, into writer: OutputWriter?, keepingShells: Bool, keepingRecords: Bool,
                        progress: @escaping @Sendable (BuildProgress) -> Void) async -> RenderedSite {
        progress(BuildProgress(stage: .render, done: 0, total: prepared.pages.count))
        let renderer = prepared.renderer, checker = prepared.checker
        let done = Atomic<Int>(0)
        let total = prepared.pages.count
        struct Outcome: Sendable {
            var bytes = 0
            var diagnostics: [Diagnostic] = []
            var links: LinkChecker.PageLinks?
            var shell: (bytes: [UInt8], hash: UInt64)?
            var hash: Fingerprint?
            var scan: HTMLLinkScanner.Result?
            var reads = PageReads()
        }
        enum Job: Sendable {
            case generated(String)
            case page(Int)
        }
        // The generated files are made alongside the pages, as jobs of their own; the largest come first so none is left for the end.
        let jobs = prepared.generated.paths.map(Job.generated) + prepared.pages.indices.map(Job.page)
        let results = await Parallel.map(jobs) { job -> Outcome in
            switch job {
            case .generated(let path):
                let bytes = prepared.generated.bytes(path)
                if let failure = writer?.write(bytes, to: path) { return Outcome(diagnostics: [failure]) }
                return Outcome(bytes: bytes.count, hash: keepingRecords ? .ofFile(bytes) : nil)
            case .page(let index):
                let page = prepared.pages[index]
                let count = done.add(1, ordering: .relaxed).newValue
                if count % 250 == 0 || count == total { progress(BuildProgress(stage: .render, done: count, total: total)) }
                do throws(TemplateError) {
                    var shell: (bytes: [UInt8], hash: UInt64)?
                    var reads = PageReads()
                    let rendered: PageRenderer.Rendered
                    if keepingShells, case .section(let section) = page.kind {
                        let made = renderer.sectionPage(page, section, reads: &reads)
                        rendered = PageRenderer.Rendered(bytes: try renderer.render(page, context: made.context), diagnostics: made.diagnostics)
                        var encoder = ByteWriter()
                        BuildMemo.encode(made.shell, into: &encoder)
                        shell = (encoder.bytes, Fingerprint.checksum(encoder.bytes[...]))
                    } else if keepingRecords {
                        let (context, diagnostics) = renderer.context(for: page, reads: &reads)
                        rendered = PageRenderer.Rendered(bytes: try renderer.render(page, context: context), diagnostics: diagnostics)
                    } else {
                        rendered = try renderer.render(page)
                    }
                    if let failure = writer?.write(rendered.bytes, to: page.file) { return Outcome(diagnostics: rendered.diagnostics + [failure]) }
                    let scan = HTMLLinkScanner.scan(rendered.bytes)
                    return Outcome(bytes: rendered.bytes.count, diagnostics: rendered.diagnostics, links: checker.examine(index, scan), shell: shell,
                                   hash: keepingRecords ? .ofFile(rendered.bytes) : nil, scan: keepingRecords ? scan : nil, reads: reads)
                } catch {
                    return Outcome(diagnostics: [error.diagnostic])
                }
            }
        }
        var site = RenderedSite()
        var diagnostics: Set<Diagnostic> = []
        site.links.reserveCapacity(total)
        for (job, result) in zip(jobs, results) {
            site.bytes += result.bytes
            diagnostics.formUnion(result.diagnostics)
            if let found = result.links { site.links.append(found) }
            guard case .page = job else {
                if case .generated(let path) = job, let hash = result.hash { site.generatedHashes[path] = hash }
                continue
            }
            site.pageDiagnostics.append(result.diagnostics)
            site.pageSizes.append(result.bytes)
            if keepingShells { site.shells.append(result.shell) }
            if keepingRecords {
                site.pageHashes.append(result.hash)
                site.pageScans.append(result.scan)
                site.pageReads.append(result.reads)
            }
        }
        for file in prepared.files {
            if let failure = writer?.write(file.bytes, to: file.path) { diagnostics.insert(failure) }
            site.bytes += file.bytes.count
        }
        for (offset, page) in staticPages(prepared.files, urls: renderer.urls).enumerated() {
            site.links.append(checker.examine(total + offset, HTMLLinkScanner.scan(page.bytes)))
        }
        site.diagnostics = Array(diagnostics)
        return site
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
        if let baseURL, let problem = SiteConfig.baseURLProblem(baseURL, name: "--base-url") {
            diagnostics.append(.error(SourceLocation(path: "--base-url"), problem.message, notes: problem.notes))
            return (nil, diagnostics)
        }
        guard var config else { return (nil, diagnostics) }
        if let baseURL { config.baseURL = SiteConfig.normalizedBaseURL(baseURL) }
        var site = ParsedSite(config: config, configPath: configPath)
        for record in records {
            switch record {
            case .config: break
            case .home(let title, let body, let sources):
                site.homeTitle = title
                site.homeBody = body.isBlank ? nil : body
                site.homeSources = sources
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
