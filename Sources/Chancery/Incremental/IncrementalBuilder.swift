import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Rebuilds a site again and again into one output folder, re-rendering only the pages whose inputs changed.
///
/// Every build runs the whole pipeline, with parsing and Markdown served from `BuildCache`
/// for unchanged files. Each page's template data is then fingerprinted together with the
/// templates it uses: a page whose fingerprint is the same as in the last build is not rendered
/// again, and a rendered page is written only when its bytes differ. So the output always equals
/// what a full build writes, while an edit costs only the pages it affects. Files are replaced
/// by rename, so a reader never sees half a page; a build with errors writes nothing and the last
/// good site stays. Builds must not overlap (the preview server runs them one at a time).
public final class IncrementalBuilder: Sendable {
    public struct Result: Sendable {
        public var succeeded: Bool
        public var diagnostics: [Diagnostic]
        /// Pages whose template ran in this build (all of them the first time).
        public var rendered: [String]
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
    }

    public let options: BuildOptions
    private let cache = BuildCache()
    private let state = Mutex(State())

    public init(options: BuildOptions) {
        self.options = options
    }

    public func build() async -> Result {
        let prepared: SiteBuilder.Prepared
        do {
            try OutputWriter.checkOutput(options.outputPath, siteRoot: options.siteRoot,
                                         protecting: ["content", "templates", "static"].map { options.siteRoot + "/" + $0 })
            prepared = try await SiteBuilder(options: options, cache: cache).prepare()
        } catch {
            return Result(succeeded: false, diagnostics: error.diagnostics, rendered: [], changed: [], contentChanged: [], pages: 0)
        }
        let previous = state.withLock { $0 }
        let renderer = prepared.renderer
        let fingerprints = prepared.templateFingerprints

        struct PageOutcome: Sendable {
            var file: String
            var key: Fingerprint
            var contentKey: Fingerprint
            var bytes: [UInt8]?
            var hash: Fingerprint?
            var scan: HTMLLinkScanner.Result?
            var diagnostics: [Diagnostic]
        }
        let outcomes = await Parallel.map(prepared.pages) { page -> PageOutcome in
            let (context, diagnostics) = renderer.context(for: page)
            var contentKey = fingerprints[page.template] ?? Fingerprint()
            context.withoutStyle.addFingerprint(to: &contentKey)
            var key = contentKey
            key.add(renderer.styleURL)
            if previous.pageKeys[page.file] == key, let hash = previous.fileHashes[page.file] {
                return PageOutcome(file: page.file, key: key, contentKey: contentKey, bytes: nil, hash: hash, scan: previous.scans[page.file],
                                   diagnostics: diagnostics)
            }
            do throws(TemplateError) {
                let bytes = try renderer.render(page, context: context)
                return PageOutcome(file: page.file, key: key, contentKey: contentKey, bytes: bytes, hash: .of(bytes),
                                   scan: HTMLLinkScanner.scan(bytes), diagnostics: diagnostics)
            } catch {
                return PageOutcome(file: page.file, key: key, contentKey: contentKey, bytes: nil, hash: nil, scan: nil,
                                   diagnostics: diagnostics + [error.diagnostic])
            }
        }
        var diagnostics = prepared.diagnostics
        var seen: Set<Diagnostic> = []
        for outcome in outcomes { for diagnostic in outcome.diagnostics where seen.insert(diagnostic).inserted { diagnostics.append(diagnostic) } }
        if !diagnostics.hasErrors {
            // The same link check as a full build, over the scans of this build's pages.
            let builder = SiteBuilder(options: options)
            let scans = outcomes.map(\.scan) + builder.staticPages(prepared.files, urls: renderer.urls).map { HTMLLinkScanner.scan($0.bytes) }
            diagnostics += await prepared.checker.check(scans).diagnostics
        }
        guard !diagnostics.hasErrors else {
            return Result(succeeded: false, diagnostics: diagnostics.sortedForDisplay(), rendered: [], changed: [], contentChanged: [], pages: prepared.pages.count)
        }

        // Everything this build's output holds, and which of it differs from the last good build.
        var next = State(styleURL: renderer.styleURL, hasGoodBuild: true)
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
            let hash = Fingerprint.of(file.bytes)
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
            if let failure = IncrementalBuilder.replace(options.outputPath, write.path, with: write.bytes) { failures.append(failure) }
        }
        for path in removed {
            unlink(options.outputPath + "/" + path)
            var folder = OutputWriter.parent(Substring(path))
            while !folder.isEmpty, rmdir(options.outputPath + "/" + folder) == 0 { folder = OutputWriter.parent(folder) }
        }
        if !failures.isEmpty {
            // The output is now partly new: forget it, so the next build rewrites every file.
            state.withLock { $0 = State() }
            return Result(succeeded: false, diagnostics: (diagnostics + failures).sortedForDisplay(), rendered: rendered, changed: [],
                          contentChanged: [], pages: prepared.pages.count)
        }
        state.withLock { $0 = next }
        let removedPages = removed.filter { $0.hasSuffix(".html") }
        return Result(succeeded: true, diagnostics: diagnostics.sortedForDisplay(), rendered: rendered.sorted(),
                      changed: (writes.map(\.path) + removed).sorted(), contentChanged: (contentChanged + removedPages).sorted(),
                      newStyleURL: previous.hasGoodBuild && previous.styleURL != renderer.styleURL ? renderer.styleURL : nil,
                      pages: prepared.pages.count)
    }

    /// Writes `bytes` beside the target and renames it into place.
    static func replace(_ root: String, _ relative: String, with bytes: [UInt8]) -> Diagnostic? {
        var folder = ""
        for component in OutputWriter.parent(Substring(relative)).split(separator: "/") {
            folder += (folder.isEmpty ? "" : "/") + component
            if mkdir(root + "/" + folder, 0o755) != 0 && errno != EEXIST {
                return .error(SourceLocation(path: root), "cannot create folder \(folder): \(String(cString: strerror(errno)))")
            }
        }
        let target = root + "/" + relative
        let temporary = root + "/" + (folder.isEmpty ? "" : folder + "/") + ".chancery-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).tmp"
        if let code = OutputWriter.createFile(temporary, bytes) {
            unlink(temporary)
            return .error(SourceLocation(path: root), "cannot write \(relative): \(String(cString: strerror(code)))")
        }
        guard rename(temporary, target) == 0 else {
            unlink(temporary)
            return .error(SourceLocation(path: root), "cannot write \(relative): \(String(cString: strerror(errno)))")
        }
        return nil
    }
}
