import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Rebuilds a site again and again into one output folder, re-rendering only the pages whose inputs changed.
///
/// An edit to nothing but sections that keeps each in its place renders just the pages that read
/// what changed, as each page's recorded reads tell (see `build(changed:pagesReady:)`).
/// Any other build runs the whole pipeline, with parsing and Markdown served from `BuildCache`
/// for unchanged files. Each page's template data is then fingerprinted together with the
/// templates it uses: a page whose fingerprint is the same as in the last build is not rendered
/// again, and a rendered page is written only when its bytes differ. So the output always equals
/// what a full build writes, while an edit costs only the pages it affects. The first build writes
/// every page as `chancery build` does and works out the keys afterwards (`firstBuild`). Files are replaced
/// by rename, so a reader never sees half a page; a build with errors writes nothing and the last
/// good site stays. Builds must not overlap (the preview server runs them one at a time).
public final class IncrementalBuilder: Sendable {
    public struct Result: Sendable {
        public var succeeded: Bool
        public var diagnostics: [Diagnostic]
        /// Pages whose template ran in this build (all of them the first time).
        public var rendered: [String]
        /// How many pages' template data was made: every page's when the whole pipeline ran, only the
        /// rendered pages' when the edit's reach was followed through the pages' recorded reads.
        public var recomputed = 0
        /// Output files (relative paths) written, added or removed: what a browser showing them must reload.
        public var changed: [String]
        /// Pages that changed for a reason other than a new stylesheet URL.
        public var contentChanged: [String]
        /// The stylesheet's URL when it changed in this build (a browser can swap it without reloading).
        public var newStyleURL: String?
        public var pages: Int
    }

    private struct State {
        /// By output file: the fingerprint of its page's inputs in the last good build.
        var pageKeys: [String: Fingerprint] = [:]
        /// The same, leaving out the stylesheet's URL, to tell a style-only change.
        var contentKeys: [String: Fingerprint] = [:]
        var styleURL: String?
        /// By output file: the fingerprint of its bytes, for every file of the last good build.
        var fileHashes: [String: Fingerprint] = [:]
        /// By output file: the links and ids of each page, for the link check of pages not rendered again.
        var scans: [String: HTMLLinkScanner.Result] = [:]
        var hasGoodBuild = false
        /// Counts the builds that replaced this state, so work begun on an earlier one can tell it is stale.
        var generation = 0
        /// The last good build's prepared site, and its pages' diagnostics and link findings in page order (static pages after),
        /// kept so that an edit to a section's text alone re-renders that one page.
        var prepared: SiteBuilder.Prepared?
        var pageDiagnostics: [[Diagnostic]] = []
        /// What the link checker found on each page, in page order (static pages after).
        var pageLinks: [LinkChecker.PageLinks] = []
        /// What of the graph each page's data was made from, in page order.
        var pageReads: [PageReads] = []
        /// The build's diagnostics but the link check's, in display order: a large site carries tens of
        /// thousands of warnings, and gathering them again for each edit would cost more than the edit.
        var contentDiagnostics: [Diagnostic] = []
    }

    public let options: BuildOptions
    private let cache = BuildCache()
    private let state = Mutex(State())
    /// The background work of `computeKeysInBackground`, which a whole-pipeline rebuild waits for rather than render every page.
    private let pendingKeys = Mutex<Task<Void, Never>?>(nil)

    public init(options: BuildOptions) {
        self.options = options
    }

    /// Rebuilds after `changed` (paths relative to the site folder; nil: anything may have changed).
    ///
    /// When every changed file is a section that keeps its place and URL, only the pages that read what
    /// changed are rendered again, and `pagesReady` hears which pages were rewritten as soon as they are
    /// in place, before the generated files are made (see `rebuildSections`). Anything else goes
    /// through the whole pipeline, which first renders the pages of `showing` (output files a browser
    /// shows), writes those that changed and tells `pagesReady`, then does the rest; when the build then
    /// fails, it puts their last good version back.
    public func build(changed: [String]? = nil, showing: Set<String> = [], pagesReady: ([String]) -> Void = { _ in }) async -> Result {
        if let changed, !changed.isEmpty, let result = copyStaticFiles(changed) { return result }
        if let changed, !changed.isEmpty, let result = await rebuildSections(changed, pagesReady: pagesReady) { return result }
        if let changed, !changed.isEmpty, let result = await rebuildEntities(changed, pagesReady: pagesReady) { return result }
        if let changed, !changed.isEmpty, let result = await rebuildTemplates(changed, showing: showing, pagesReady: pagesReady) { return result }
        let prepared: SiteBuilder.Prepared
        do {
            try OutputWriter.checkOutput(options.outputPath, siteRoot: options.siteRoot,
                                         protecting: ["content", "templates", "static"].map { options.siteRoot + "/" + $0 })
            prepared = try await SiteBuilder(options: options, cache: cache).prepare()
        } catch {
            forgetPreparedSite()
            return Result(succeeded: false, diagnostics: error.diagnostics, rendered: [], changed: [], contentChanged: [], pages: 0)
        }
        if let keys = pendingKeys.withLock({ $0 }) { await keys.value }
        let previous = state.withLock { $0 }
        if !previous.hasGoodBuild { return await firstBuild(prepared, generation: previous.generation + 1) }
        let renderer = prepared.renderer
        let fingerprints = prepared.templateFingerprints
        let early = showing.isEmpty ? [] : writeShownPages(prepared, showing: showing, previous: previous)
        // A page whose stylesheet's URL alone changed is not announced: the browser swaps the stylesheet instead.
        let announced = early.filter(\.contentChanged).map(\.path)
        if !announced.isEmpty { pagesReady(announced) }

        struct PageOutcome: Sendable {
            var file: String
            var key: Fingerprint
            var contentKey: Fingerprint
            var bytes: [UInt8]?
            var hash: Fingerprint?
            var scan: HTMLLinkScanner.Result?
            var reads = PageReads()
            var diagnostics: [Diagnostic]
        }
        let outcomes = await Parallel.map(prepared.pages) { page -> PageOutcome in
            if Task.isCancelled { return PageOutcome(file: page.file, key: Fingerprint(), contentKey: Fingerprint(), diagnostics: []) }
            var reads = PageReads()
            let (context, diagnostics) = renderer.context(for: page, reads: &reads)
            let (key, contentKey) = IncrementalBuilder.keys(page, context, renderer, fingerprints)
            if previous.pageKeys[page.file] == key, let hash = previous.fileHashes[page.file] {
                return PageOutcome(file: page.file, key: key, contentKey: contentKey, bytes: nil, hash: hash, scan: previous.scans[page.file],
                                   reads: reads, diagnostics: diagnostics)
            }
            do throws(TemplateError) {
                let bytes = try renderer.render(page, context: context)
                return PageOutcome(file: page.file, key: key, contentKey: contentKey, bytes: bytes, hash: .ofFile(bytes),
                                   scan: HTMLLinkScanner.scan(bytes), reads: reads, diagnostics: diagnostics)
            } catch {
                return PageOutcome(file: page.file, key: key, contentKey: contentKey, bytes: nil, hash: nil, scan: nil,
                                   reads: reads, diagnostics: diagnostics + [error.diagnostic])
            }
        }
        // A cancelled build (the server is stopping) leaves everything as it was.
        guard !Task.isCancelled else {
            forgetPreparedSite()
            putBack(early)
            return Result(succeeded: false, diagnostics: [], rendered: [], changed: [], contentChanged: [], pages: prepared.pages.count)
        }
        var diagnostics = Diagnostic.gathered(prepared.diagnostics, outcomes.map(\.diagnostics))
        let contentDiagnostics = diagnostics.sortedForDisplay()
        var examined: [LinkChecker.PageLinks?] = []
        if !diagnostics.hasErrors {
            // The same link check as a full build, over the scans of this build's pages.
            let builder = SiteBuilder(options: options)
            let scans = outcomes.map(\.scan) + builder.staticPages(prepared.files, urls: renderer.urls).map { HTMLLinkScanner.scan($0.bytes) }
            let checker = prepared.checker
            examined = await Parallel.map(Array(scans.enumerated())) { index, scan in scan.map { checker.examine(index, $0) } }
            diagnostics += checker.report(examined.compactMap { $0 }).diagnostics
        }
        guard !diagnostics.hasErrors else {
            forgetPreparedSite()
            putBack(early)
            return Result(succeeded: false, diagnostics: diagnostics.sortedForDisplay(), rendered: [], changed: [], contentChanged: [], pages: prepared.pages.count)
        }

        // Everything this build's output holds, and which of it differs from the last good build.
        var next = State(styleURL: renderer.styleURL, hasGoodBuild: true, generation: previous.generation + 1, prepared: prepared,
                         pageDiagnostics: outcomes.map(\.diagnostics), pageLinks: examined.compactMap { $0 },
                         pageReads: outcomes.map(\.reads), contentDiagnostics: contentDiagnostics)
        if next.pageLinks.count != examined.count { next.prepared = nil }
        var writes: [(path: String, bytes: [UInt8])] = []
        var rendered: [String] = []
        var contentChanged: [String] = []
        for outcome in outcomes {
            next.pageKeys[outcome.file] = outcome.key
            next.contentKeys[outcome.file] = outcome.contentKey
            next.scans[outcome.file] = outcome.scan
            if previous.contentKeys[outcome.file] != outcome.contentKey { contentChanged.append(outcome.file) }
            next.fileHashes[outcome.file] = outcome.hash
            if let bytes = outcome.bytes {
                rendered.append(outcome.file)
                if previous.fileHashes[outcome.file] != outcome.hash { writes.append((outcome.file, bytes)) }
            }
        }
        let generated = prepared.generated
        // The marker a full build writes, so the served folder holds what a build's output holds.
        let others = [(path: OutputWriter.markerName, bytes: OutputWriter.markerContents)] + prepared.files
            + (await Parallel.map(generated.paths) { ($0, generated.bytes($0)) })
        for file in others {
            let hash = Fingerprint.ofFile(file.bytes)
            next.fileHashes[file.path] = hash
            if previous.fileHashes[file.path] != hash { writes.append(file) }
        }
        let removed = previous.fileHashes.keys.filter { next.fileHashes[$0] == nil }.sorted()

        var failures: [Diagnostic] = []
        do {
            try FileManager.default.createDirectory(atPath: options.outputPath, withIntermediateDirectories: true)
        } catch {
            failures.append(.error(SourceLocation(path: options.outputPath), "cannot create the output folder: \(error.localizedDescription)"))
        }
        for write in writes where failures.isEmpty {
            if let failure = OutputWriter.replaceFile(options.outputPath, write.path, with: write.bytes) { failures.append(failure) }
        }
        for path in removed {
            unlink(options.outputPath + "/" + path)
            var folder = OutputWriter.parent(Substring(path))
            while !folder.isEmpty, rmdir(options.outputPath + "/" + folder) == 0 { folder = OutputWriter.parent(folder) }
        }
        if !failures.isEmpty {
            // The output is now partly new: forget it, so the next build rewrites every file.
            state.withLock { $0 = State(generation: $0.generation + 1) }
            return Result(succeeded: false, diagnostics: (diagnostics + failures).sortedForDisplay(), rendered: rendered, changed: [],
                          contentChanged: [], pages: prepared.pages.count)
        }
        state.withLock { $0 = next }
        let removedPages = removed.filter { $0.hasSuffix(".html") }
        return Result(succeeded: true, diagnostics: diagnostics.sortedForDisplay(), rendered: rendered.sorted(), recomputed: outcomes.count,
                      changed: (writes.map(\.path) + removed).sorted(), contentChanged: (contentChanged + removedPages).sorted(),
                      newStyleURL: previous.hasGoodBuild && previous.styleURL != renderer.styleURL ? renderer.styleURL : nil,
                      pages: prepared.pages.count)
    }

    /// Renders the pages of `showing` that the prepared site has and writes those whose bytes differ from
    /// the last good build's, ahead of the rest of the build. Returns each written page with what its file
    /// held before (nil: no file), for `putBack`, and whether more than its stylesheet's URL changed.
    /// A page whose rendering finds an error is left to the rest of the build.
    private func writeShownPages(_ prepared: SiteBuilder.Prepared, showing: Set<String>,
                                 previous: State) -> [(path: String, before: [UInt8]?, contentChanged: Bool)] {
        var written: [(path: String, before: [UInt8]?, contentChanged: Bool)] = []
        for page in prepared.pages where showing.contains(page.file) {
            let (context, diagnostics) = prepared.renderer.context(for: page)
            guard !diagnostics.hasErrors, let bytes = try? prepared.renderer.render(page, context: context),
                  previous.fileHashes[page.file] != .ofFile(bytes) else { continue }
            let before = FileManager.default.contents(atPath: options.outputPath + "/" + page.file).map { [UInt8]($0) }
            guard OutputWriter.replaceFile(options.outputPath, page.file, with: bytes) == nil else { break }
            let contentKey = IncrementalBuilder.keys(page, context, prepared.renderer, prepared.templateFingerprints).contentKey
            written.append((page.file, before, previous.contentKeys[page.file] != contentKey))
        }
        return written
    }

    /// Gives pages written ahead of a build that then failed what their files held before.
    private func putBack(_ written: [(path: String, before: [UInt8]?, contentChanged: Bool)]) {
        for page in written {
            if let before = page.before {
                _ = OutputWriter.replaceFile(options.outputPath, page.path, with: before)
            } else {
                unlink(options.outputPath + "/" + page.path)
            }
        }
    }

    /// The first build, or the first since the output was left partly written: every page is rendered and
    /// written as `chancery build` writes them (into a staging folder swapped in at the end), so the preview
    /// is up as soon as a build would be. The pages' keys, which only the next whole-pipeline rebuild
    /// reads, are worked out afterwards in the background, which that rebuild waits for.
    private func firstBuild(_ prepared: SiteBuilder.Prepared, generation: Int) async -> Result {
        let written: (BuildReport, SiteBuilder.RenderedSite)
        do {
            written = try await SiteBuilder(options: options).write(prepared, keepingRecords: true)
        } catch {
            forgetPreparedSite()
            return Result(succeeded: false, diagnostics: error.diagnostics, rendered: [], changed: [], contentChanged: [], pages: prepared.pages.count)
        }
        let (report, rendered) = written
        var next = State(styleURL: prepared.renderer.styleURL, hasGoodBuild: true, generation: generation, prepared: prepared,
                         pageDiagnostics: rendered.pageDiagnostics, pageLinks: rendered.links, pageReads: rendered.pageReads,
                         contentDiagnostics: Diagnostic.gathered(prepared.diagnostics, rendered.pageDiagnostics).sortedForDisplay())
        for (index, page) in prepared.pages.enumerated() {
            next.fileHashes[page.file] = rendered.pageHashes[index]
            next.scans[page.file] = rendered.pageScans[index]
        }
        next.fileHashes[OutputWriter.markerName] = .ofFile(OutputWriter.markerContents)
        for file in prepared.files { next.fileHashes[file.path] = .ofFile(file.bytes) }
        for (path, hash) in rendered.generatedHashes { next.fileHashes[path] = hash }
        state.withLock { $0 = next }
        computeKeysInBackground(prepared, generation: generation)
        let pages = prepared.pages.map(\.file).sorted()
        return Result(succeeded: true, diagnostics: report.diagnostics, rendered: pages, recomputed: pages.count, changed: next.fileHashes.keys.sorted(),
                      contentChanged: pages, pages: prepared.pages.count)
    }

    /// Works out every page's keys after a first build and records those no rebuild has recorded since.
    private func computeKeysInBackground(_ prepared: SiteBuilder.Prepared, generation: Int) {
        let renderer = prepared.renderer, fingerprints = prepared.templateFingerprints, pages = prepared.pages
        let task = Task.detached(priority: .utility) { [self] in
            let keys = await Parallel.map(pages) { page in
                IncrementalBuilder.keys(page, renderer.context(for: page).context, renderer, fingerprints)
            }
            self.state.withLock { current in
                guard current.generation == generation else { return }
                for (page, key) in zip(pages, keys) where current.pageKeys[page.file] == nil {
                    current.pageKeys[page.file] = key.key
                    current.contentKeys[page.file] = key.contentKey
                }
            }
        }
        pendingKeys.withLock { $0 = task }
    }

    /// A page's key (its template and all its data) and the same without the stylesheet's URL, which tells a style-only change.
    static func keys(_ page: PageSpec, _ context: TemplateValue, _ renderer: PageRenderer,
                     _ fingerprints: [String: Fingerprint]) -> (key: Fingerprint, contentKey: Fingerprint) {
        var contentKey = fingerprints[page.template] ?? Fingerprint()
        context.withoutStyle.addFingerprint(to: &contentKey)
        var key = contentKey
        key.add(renderer.styleURL)
        return (key, contentKey)
    }

    /// After a failed build the sources no longer match the last good build's prepared site, so only
    /// a whole-pipeline build may follow.
    private func forgetPreparedSite() {
        state.withLock { $0.prepared = nil }
    }

    /// The last good build's state and prepared site, with every page's reads: what the rebuilds that follow an edit start from.
    private func lastGoodBuild() -> (state: State, prepared: SiteBuilder.Prepared)? {
        let previous = state.withLock { $0 }
        guard previous.hasGoodBuild, let prepared = previous.prepared, previous.pageReads.count == prepared.pages.count else { return nil }
        return (previous, prepared)
    }

    /// The rebuild after edits to files of `static/` that are not HTML and were there before, or nil when an edit did anything else.
    ///
    /// No page reads what such a file holds, and the list of output files stays as it was, so the file is
    /// copied and nothing else is done. A new, deleted or linked file goes through the whole pipeline,
    /// which applies the rules of reading `static/`.
    private func copyStaticFiles(_ changed: [String]) -> Result? {
        guard changed.allSatisfy({ $0.hasPrefix("static/") && !$0.hasSuffix(".html") }), let (previous, prepared) = lastGoodBuild() else { return nil }
        var copies: [(position: Int, path: String, bytes: [UInt8], hash: Fingerprint)] = []
        for path in Set(changed).sorted() {
            let target = String(path.dropFirst("static/".count))
            var info = stat()
            guard let position = prepared.files.firstIndex(where: { $0.path == target }), !target.hasPrefix("assets/"),
                  lstat(options.siteRoot + "/" + path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
                  case .success(let bytes) = FolderReader.read(options.siteRoot + "/" + path, maximumSize: nil) else { return nil }
            copies.append((position, target, bytes, .ofFile(bytes)))
        }
        var written: [String] = []
        for copy in copies where previous.fileHashes[copy.path] != copy.hash {
            if OutputWriter.replaceFile(options.outputPath, copy.path, with: copy.bytes) != nil {
                state.withLock { $0 = State(generation: $0.generation + 1) }
                return nil
            }
            written.append(copy.path)
        }
        state.withLock { current in
            for copy in copies {
                current.prepared?.files[copy.position].bytes = copy.bytes
                current.fileHashes[copy.path] = copy.hash
            }
        }
        // The same report as the last build's: no page changed.
        let diagnostics = Diagnostic.merged(previous.contentDiagnostics, prepared.checker.report(previous.pageLinks).diagnostics)
        return Result(succeeded: true, diagnostics: diagnostics, rendered: [], recomputed: 0, changed: written, contentChanged: [],
                      pages: prepared.pages.count)
    }

    /// The rebuild after edits to sections alone that keep each in its place and URL, or nil when an edit did anything else.
    ///
    /// The new versions are resolved into the last good build's graph (`SectionUpdate`), which names
    /// what of the graph changed; the pages whose recorded reads include any of it are rendered again,
    /// and no other. Their links are checked against the unchanged table of URLs, with what was found
    /// on every other page kept. The pages are written and announced first; the generated files, which
    /// read every section's front matter but no body, are made again after them when front matter changed.
    /// An edit with an error of any kind returns nil, so the whole pipeline reports it.
    private func rebuildSections(_ changed: [String], pagesReady: ([String]) -> Void) async -> Result? {
        guard let plan = await planSections(changed) else { return nil }
        return await apply(plan, pagesReady: pagesReady)
    }

    /// The rebuild after edits to entities alone that keep each one's file, names and what other records are
    /// ordered or checked by (see `EntityUpdate`), or nil when an edit did anything else.
    ///
    /// The pages whose recorded reads include an edited entity are rendered again, and no other; the
    /// generated files, which hold every record, are made again after the pages are announced.
    private func rebuildEntities(_ changed: [String], pagesReady: ([String]) -> Void) async -> Result? {
        guard changed.allSatisfy({ $0.hasPrefix("content/") }), let (previous, last) = lastGoodBuild() else { return nil }
        var prepared = last
        var kinds: [String: EntityKind] = [:]
        for kind in EntityKind.allCases {
            for id in prepared.graph.ids(kind) { kinds[prepared.graph.header(EntityRef(kind, id))!.path] = kind }
        }
        var records: [DocumentParser.Record] = []
        for path in Set(changed).sorted() {
            let shown = options.displayPrefix + path
            guard let kind = kinds[shown], !prepared.sourcesWithParseDiagnostics.contains(shown),
                  case .success(let file) = ContentLoader.read(root: options.siteRoot, prefix: options.displayPrefix, path, role: .entity(kind)) else { return nil }
            let parsed = cache.parse(file)
            guard parsed.diagnostics.isEmpty, let record = parsed.record else { return nil }
            records.append(record)
        }
        guard let update = EntityUpdate(prepared.graph, replacing: records) else { return nil }
        prepared.renderer.update(update)
        guard let plan = await renderPages(reading: update, of: prepared, after: previous, remakeGenerated: true) else { return nil }
        return await apply(plan, pagesReady: pagesReady)
    }

    /// The rebuild after edits to templates alone (not assets), or nil when an edit did anything else or the templates have errors.
    ///
    /// A page's data does not depend on the templates, so only the pages whose template, or a template
    /// it includes, changed are rendered again (`ThemeChecker.closureFingerprints`), with the data and
    /// reads they had. The pages of `showing` among them are written and announced first, as the whole pipeline does.
    private func rebuildTemplates(_ changed: [String], showing: Set<String>, pagesReady: ([String]) -> Void) async -> Result? {
        let themePaths = ["templates/", "(default theme)/"].map { options.displayPrefix + $0 }
        guard changed.allSatisfy({ $0.hasPrefix("templates/") && $0.hasSuffix(".mustache") }), let (previous, last) = lastGoodBuild(),
              // The last build's report said nothing of the templates, so none of it goes stale.
              !last.diagnostics.contains(where: { diagnostic in themePaths.contains { diagnostic.location.path.hasPrefix($0) } }) else { return nil }
        var prepared = last
        let (theme, themeDiagnostics) = Theme.load(siteRoot: options.siteRoot, displayPrefix: options.displayPrefix)
        guard themeDiagnostics.isEmpty, ThemeChecker.check(theme, required: Array(Set(prepared.pages.map(\.template))).sorted()).isEmpty,
              let engine = try? CompiledMustacheEngine(theme: theme) else { return nil }
        let fingerprints = ThemeChecker.closureFingerprints(theme)
        let affected = prepared.pages.indices.filter { fingerprints[prepared.pages[$0].template] != prepared.templateFingerprints[prepared.pages[$0].template] }
        prepared.renderer.engine = engine
        prepared.templateFingerprints = fingerprints
        let early = writeShownPages(prepared, showing: showing.filter { file in affected.contains { prepared.pages[$0].file == file } }, previous: previous)
        if early.contains(where: \.contentChanged) { pagesReady(early.filter(\.contentChanged).map(\.path)) }
        guard let plan = await renderPages(affected, of: prepared, after: previous, remakeGenerated: false, diagnosticsChanged: false) else {
            putBack(early)
            return nil
        }
        return await apply(plan, pagesReady: pagesReady)
    }

    /// Writes what a plan rendered, records it, announces the pages, then makes the generated files again when front matter changed.
    private func apply(_ plan: PagePlan, pagesReady: ([String]) -> Void) async -> Result? {
        for write in plan.writes {
            if OutputWriter.replaceFile(options.outputPath, write.path, with: write.bytes) != nil {
                state.withLock { $0 = State(generation: $0.generation + 1) }
                return nil
            }
        }
        // The last build's tables are referenced nowhere else now, so they change in place (copying them would cost more than the edit).
        let pageDiagnostics = state.withLock { current in
            current.prepared = plan.prepared
            current.pageLinks = plan.pageLinks
            for page in plan.pages {
                current.pageDiagnostics[page.position] = page.diagnostics
                current.pageReads[page.position] = page.reads
                current.pageKeys[page.file] = page.key
                current.contentKeys[page.file] = page.contentKey
                current.scans[page.file] = page.scan
                current.fileHashes[page.file] = page.hash
            }
            return current.pageDiagnostics
        }
        let pagesWritten = plan.writes.map(\.path).sorted()
        pagesReady(pagesWritten)

        var written = pagesWritten
        if plan.remakeGenerated {
            let generated = plan.prepared.generated
            for (path, bytes) in await Parallel.map(generated.paths, { ($0, generated.bytes($0)) }) {
                let hash = Fingerprint.ofFile(bytes)
                guard state.withLock({ $0.fileHashes[path] }) != hash else { continue }
                if let failure = OutputWriter.replaceFile(options.outputPath, path, with: bytes) {
                    // The output is now partly new: forget it, so the next build rewrites every file.
                    state.withLock { $0 = State(generation: $0.generation + 1) }
                    return Result(succeeded: false, diagnostics: [failure], rendered: [], changed: written, contentChanged: [], pages: plan.prepared.pages.count)
                }
                state.withLock { $0.fileHashes[path] = hash }
                written.append(path)
            }
        }
        // Gathered as the whole pipeline gathers them, so both report the same list; only when something in it changed.
        let contentDiagnostics = plan.diagnosticsChanged ? Diagnostic.gathered(plan.prepared.diagnostics, pageDiagnostics).sortedForDisplay()
                                                         : state.withLock { $0.contentDiagnostics }
        state.withLock { $0.contentDiagnostics = contentDiagnostics }
        return Result(succeeded: true, diagnostics: Diagnostic.merged(contentDiagnostics, plan.links),
                      rendered: plan.pages.map(\.file).sorted(), recomputed: plan.pages.count, changed: written.sorted(),
                      contentChanged: pagesWritten, pages: plan.prepared.pages.count)
    }

    /// What rebuilding some pages changes, worked out from the last good build without changing anything.
    private struct PagePlan {
        /// One page rendered again, with what the whole pipeline would record of it.
        struct Page: Sendable {
            var position: Int
            var file: String
            var key: Fingerprint, contentKey: Fingerprint, hash: Fingerprint
            var bytes: [UInt8]
            var scan: HTMLLinkScanner.Result
            var reads: PageReads
            var diagnostics: [Diagnostic]
        }
        var prepared: SiteBuilder.Prepared
        var pages: [Page]
        var writes: [(path: String, bytes: [UInt8])]
        /// Every page's link findings, the rendered pages' new, and what the link check reports of them.
        var pageLinks: [LinkChecker.PageLinks]
        var links: [Diagnostic]
        /// Whether a record the generated files read changed (front matter, not a body).
        var remakeGenerated: Bool
        /// Whether the build's diagnostics before the link check may differ from the last build's.
        var diagnosticsChanged: Bool
    }

    private func planSections(_ changed: [String]) async -> PagePlan? {
        guard let (previous, last) = lastGoodBuild() else { return nil }
        var prepared = last
        var edits: [(index: Int, section: Section)] = []
        var headChanged = false
        for path in Set(changed).sorted() {
            guard let index = prepared.graph.sections.firstIndex(where: { $0.relativePath == path }),
                  !prepared.sourcesWithParseDiagnostics.contains(prepared.graph.sections[index].path),
                  case .success(let file) = ContentLoader.read(root: options.siteRoot, prefix: options.displayPrefix, path,
                                                               role: .section(chapter: prepared.graph.sections[index].chapterSlug)) else { return nil }
            let parsed = cache.parse(file)
            guard parsed.diagnostics.isEmpty, case .section(let section)? = parsed.record else { return nil }
            headChanged = headChanged || SectionHead(section) != SectionHead(prepared.graph.sections[index])
            edits.append((index, section))
        }
        guard let update = SectionUpdate(prepared.graph, replacing: edits, includeDrafts: options.includeDrafts) else { return nil }
        prepared.renderer.update(update)
        return await renderPages(reading: update, of: prepared, after: previous, remakeGenerated: headChanged)
    }

    /// Takes an update's graph and diagnostics into a prepared site whose renderer already took it, and renders
    /// the pages whose recorded reads include what it changed.
    private func renderPages(reading update: some GraphUpdate, of prepared: SiteBuilder.Prepared, after previous: State,
                             remakeGenerated: Bool) async -> PagePlan? {
        guard let siteDiagnostics = Diagnostic.replacing(update.withdrawn, with: update.added, in: prepared.diagnostics) else { return nil }
        var prepared = prepared
        prepared.graph = update.graph
        prepared.generated.graph = update.graph
        prepared.diagnostics = siteDiagnostics
        let changes = PageReads.Changes(update.changed)
        let affected = prepared.pages.indices.filter { previous.pageReads[$0].touches(changes) }
        return await renderPages(affected, of: prepared, after: previous, remakeGenerated: remakeGenerated,
                                 diagnosticsChanged: !update.withdrawn.isEmpty || !update.added.isEmpty)
    }

    /// Renders the pages at `affected` of a prepared site and checks their links, against the last good build.
    private func renderPages(_ affected: [Int], of prepared: SiteBuilder.Prepared, after previous: State, remakeGenerated: Bool,
                             diagnosticsChanged: Bool) async -> PagePlan? {
        let renderer = prepared.renderer, pages = prepared.pages, fingerprints = prepared.templateFingerprints
        let rendered = await Parallel.map(affected) { position -> PagePlan.Page? in
            let page = pages[position]
            var reads = PageReads()
            let (context, diagnostics) = renderer.context(for: page, reads: &reads)
            guard !diagnostics.hasErrors, let bytes = try? renderer.render(page, context: context) else { return nil }
            let (key, contentKey) = IncrementalBuilder.keys(page, context, renderer, fingerprints)
            return PagePlan.Page(position: position, file: page.file, key: key, contentKey: contentKey, hash: .ofFile(bytes), bytes: bytes,
                                    scan: HTMLLinkScanner.scan(bytes), reads: reads, diagnostics: diagnostics)
        }
        var plan = PagePlan(prepared: prepared, pages: [], writes: [], pageLinks: previous.pageLinks, links: [], remakeGenerated: remakeGenerated,
                            diagnosticsChanged: diagnosticsChanged)
        for page in rendered {
            guard let page else { return nil }
            plan.pageLinks[page.position] = prepared.checker.examine(page.position, page.scan)
            if previous.fileHashes[page.file] != page.hash { plan.writes.append((page.file, page.bytes)) }
            if page.diagnostics != previous.pageDiagnostics[page.position] { plan.diagnosticsChanged = true }
            plan.pages.append(page)
        }
        plan.links = prepared.checker.report(plan.pageLinks).diagnostics
        return plan.links.hasErrors ? nil : plan
    }
}
