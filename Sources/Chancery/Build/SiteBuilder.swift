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
        let (theme, themeDiagnostics) = Theme.load(siteTemplates: options.siteRoot + "/templates", displayPrefix: options.displayPrefix)
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
        var styleURL = urls.asset("assets/style.css")
        for (path, bytes) in theme.assets.sorted(by: { $0.key < $1.key }) {
            var target = path
            if path == "assets/style.css" {
                target = "assets/style.\(Fingerprint.hex(bytes)).css"
                styleURL = urls.asset(target)
            }
            files.append((target, bytes))
        }
        let (staticFiles, staticDiagnostics) = SiteBuilder.staticFiles(root: options.siteRoot, displayPrefix: options.displayPrefix)
        files += staticFiles
        var claims = pages.map { (file: $0.file, source: $0.sourcePath) }
        claims += APIExporter.names.map { (file: "api/" + $0, source: "") }
        claims += files.map { (file: $0.path, source: $0.path.hasPrefix("assets/") ? "" : options.displayPrefix + "static/" + $0.path) }
        try stop(.index, pageDiagnostics + staticDiagnostics + PageIndexer.collisions(claims))

        let renderer = PageRenderer(graph: graph, engine: engine, styleURL: styleURL, markdownCache: cache?.markdown)
        return Prepared(graph: graph, pages: pages, renderer: renderer, files: files, diagnostics: diagnostics,
                        templateFingerprints: ThemeChecker.closureFingerprints(theme))
    }

    /// Renders every page into a staging folder and swaps it into place; on any error the output stays as it was.
    public func write(_ prepared: Prepared, progress: @escaping @Sendable (BuildProgress) -> Void = { _ in }) async throws(BuildFailure) -> BuildReport {
        let writer = try OutputWriter(output: options.outputPath, siteRoot: options.siteRoot,
                                      protecting: ["content", "templates", "static"].map { options.siteRoot + "/" + $0 })
        var diagnostics = prepared.diagnostics
        do {
            try writer.prepareFolders(for: prepared.pages.map(\.file) + prepared.files.map(\.path) + APIExporter.names.map { "api/" + $0 })
        } catch {
            writer.discard()
            throw BuildFailure(stage: "write", diagnostics: diagnostics + error.diagnostics)
        }
        progress(BuildProgress(stage: .render, done: 0, total: prepared.pages.count))
        let renderer = prepared.renderer
        let done = Atomic<Int>(0)
        let total = prepared.pages.count
        let exporter = APIExporter(graph: prepared.graph, urls: renderer.urls)
        // The API documents are rendered alongside the pages, as jobs of their own.
        let jobs = prepared.pages.map { Optional($0) } + APIExporter.names.map { _ in nil }
        let results = await Parallel.map(Array(jobs.enumerated())) { index, job -> (bytes: Int, diagnostics: [Diagnostic]) in
            guard let page = job else {
                let name = APIExporter.names[index - total]
                let bytes = exporter.document(name).bytes()
                if let failure = writer.write(bytes, to: "api/" + name) { return (0, [failure]) }
                return (bytes.count, [])
            }
            let count = done.add(1, ordering: .relaxed).newValue
            if count % 250 == 0 || count == total { progress(BuildProgress(stage: .render, done: count, total: total)) }
            do throws(TemplateError) {
                let rendered = try renderer.render(page)
                if let failure = writer.write(rendered.bytes, to: page.file) { return (0, rendered.diagnostics + [failure]) }
                return (rendered.bytes.count, rendered.diagnostics)
            } catch {
                return (0, [error.diagnostic])
            }
        }
        var bytes = 0
        var renderDiagnostics: Set<Diagnostic> = []
        for result in results {
            bytes += result.bytes
            renderDiagnostics.formUnion(result.diagnostics)
        }
        progress(BuildProgress(stage: .write, done: 0, total: prepared.files.count))
        for file in prepared.files {
            if let failure = writer.write(file.bytes, to: file.path) { renderDiagnostics.insert(failure) }
            bytes += file.bytes.count
        }
        diagnostics += renderDiagnostics
        if diagnostics.hasErrors {
            writer.discard()
            throw BuildFailure(stage: "render", diagnostics: diagnostics)
        }
        do {
            try writer.commit()
        } catch {
            writer.discard()
            throw BuildFailure(stage: "write", diagnostics: diagnostics + error.diagnostics)
        }
        return BuildReport(pages: prepared.pages.count, files: prepared.pages.count + prepared.files.count + APIExporter.names.count, bytes: bytes,
                           diagnostics: diagnostics.sortedForDisplay())
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
    static func staticFiles(root: String, displayPrefix: String) -> ([(path: String, bytes: [UInt8])], [Diagnostic]) {
        let folder = root + "/static"
        let fs = FileManager.default
        guard let enumerator = fs.enumerator(atPath: folder) else { return ([], []) }
        var paths: [String] = []
        while let relative = enumerator.nextObject() as? String {
            guard !(relative as NSString).lastPathComponent.hasPrefix(".") else { continue }
            var isDirectory: ObjCBool = false
            if fs.fileExists(atPath: folder + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue { paths.append(relative) }
        }
        var files: [(path: String, bytes: [UInt8])] = []
        var diagnostics: [Diagnostic] = []
        for relative in paths.sorted() {
            if let data = fs.contents(atPath: folder + "/" + relative) {
                files.append((relative, [UInt8](data)))
            } else {
                diagnostics.append(.error(SourceLocation(path: displayPrefix + "static/" + relative), "cannot read file"))
            }
        }
        return (files, diagnostics)
    }
}
