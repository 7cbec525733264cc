import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `build` with the cache in `.chancery-cache/`: a cold build that leaves a memo, or a warm one that uses it.
///
/// The warm build handles edits to the text of sections whose front matter stayed the same: nothing
/// but the section's own page reads its text (other pages, the API, the search index, the sitemap
/// and the feed read front matter only), so it renders those pages from the memo's shells, checks
/// their links against the memo's table of the site, and replaces them in the output folder one
/// rename each. Edited files of `static/` other than HTML are copied the same way. Any other change, or any doubt about the memo, makes a cold build, whose output the
/// warm one equals byte for byte.
extension SiteBuilder {
    func buildWithCache(progress: @escaping @Sendable (BuildProgress) -> Void) async throws(BuildFailure) -> BuildReport {
        progress(BuildProgress(stage: .load, done: 0, total: 0))
        let folder = BuildCacheFolder(siteRoot: options.siteRoot)
        let identity = options.cacheIdentity ?? ""
        let key = identity + "\n" + cacheOptionsKey
        // The inputs are walked while the memo is read.
        let siteRoot = options.siteRoot
        async let walked = folder.stamp().flatMap { InputManifest.walk(siteRoot: siteRoot, stamp: $0) }
        let lookup = folder.read()
        let inputs = await walked
        var warning: String?
        switch lookup {
        case .none:
            break
        case .unusable(let reason):
            warning = reason
        case .memo(let memo):
            if !memo.key.hasPrefix(identity + "\n") {
                warning = "the build cache was made by another version of Chancery"
            } else if memo.key == key, let inputs, let report = try await warmBuild(memo, inputs: inputs, folder: folder, progress: progress) {
                SiteBuilder.releaseInBackground(lookup)
                return report
            }
        }
        let prepared = try await prepare(progress: progress)
        var marked = false
        let written: (BuildReport, RenderedSite)
        do {
            written = try await write(prepared, progress: progress, keepingShells: inputs != nil,
                                      beforeCommit: { marked = folder.markBusy(dropMemo: true) })
        } catch {
            // Failing to swap the output in left it as it was; the memo is gone, so the next build is cold.
            if marked { folder.forget() }
            throw error
        }
        var report = written.0
        let rendered = written.1
        folder.finishCold(inputs.flatMap { memo(prepared, rendered, inputs: $0, key: key, bytes: report.bytes) })
        SiteBuilder.releaseInBackground((prepared, rendered))
        report.cache = .cold(warning: warning.map {
            .warning(SourceLocation(path: options.displayPrefix + BuildCacheFolder.name), "\($0); built everything without it",
                     notes: ["the next build uses the cache this one wrote"])
        })
        return report
    }

    /// Removes the cache `chancery build` keeps in the site folder; what it removed, relative to the site.
    public static func removeCache(siteRoot: String) -> [String] {
        BuildCacheFolder(siteRoot: siteRoot).clean()
    }

    /// Everything but Chancery's identity that the output depends on besides the inputs.
    private var cacheOptionsKey: String {
        [options.displayPrefix, options.baseURL ?? "-", options.includeDrafts ? "drafts" : "-",
         OutputWriter.resolved(OutputWriter.absolute(options.outputPath))].joined(separator: "\n")
    }

    /// The memo of a cold build that just wrote its output, and its shells file; nil when the output cannot be identified.
    private func memo(_ prepared: Prepared, _ rendered: RenderedSite, inputs: InputManifest, key: String, bytes: Int) -> (memo: BuildMemo, shells: [UInt8])? {
        var info = stat()
        guard stat(options.outputPath, &info) == 0, rendered.shells.count == prepared.pages.count,
              rendered.pageDiagnostics.count == prepared.pages.count, rendered.links.count == prepared.checker.pages.count else { return nil }
        var sections: [String: BuildMemo.SectionEntry] = [:]
        var shellBytes: [UInt8] = []
        for (index, page) in prepared.pages.enumerated() {
            guard case .section(let position) = page.kind, let shell = rendered.shells[index] else { continue }
            let section = prepared.graph.sections[position]
            // A section parsing had something to say about is built cold when it changes, so the memo need not know what.
            if prepared.sourcesWithParseDiagnostics.contains(section.path) { continue }
            sections[section.relativePath] = BuildMemo.SectionEntry(page: index, chapter: section.chapterSlug, head: SectionHead(section).fingerprint,
                                                                     size: rendered.pageSizes[index], shell: shellBytes.count..<shellBytes.count + shell.bytes.count,
                                                                     shellHash: shell.hash)
            shellBytes += shell.bytes
        }
        let config = prepared.graph.config
        return (BuildMemo(key: key, outputDevice: UInt64(info.st_dev), outputInode: UInt64(info.st_ino), inputs: inputs,
                         names: PageRenderer.mentionNames(prepared.graph).sorted { ($0.1, $0.0) < ($1.1, $1.0) }, basePath: config.basePath, allowRawHTML: config.allowRawHTML,
                         siteContext: prepared.renderer.siteContext, checkerPages: prepared.checker.pages, files: prepared.outputFiles,
                         siteDiagnostics: prepared.diagnostics, pageDiagnostics: rendered.pageDiagnostics,
                         contentDiagnostics: Diagnostic.gathered(prepared.diagnostics, rendered.pageDiagnostics).sortedForDisplay(), links: rendered.links,
                         sections: sections, pageCount: prepared.pages.count, bytes: bytes), shellBytes)
    }

    /// Brings the output up to date from the memo, or nil when the edits since need a cold build.
    /// Throws when an edited section has errors, as the cold build would, leaving the output as it was.
    private func warmBuild(_ memo: BuildMemo, inputs: InputManifest, folder: BuildCacheFolder,
                           progress: @escaping @Sendable (BuildProgress) -> Void) async throws(BuildFailure) -> BuildReport? {
        var info = stat()
        guard stat(options.outputPath, &info) == 0, UInt64(info.st_dev) == memo.outputDevice, UInt64(info.st_ino) == memo.outputInode,
              access(options.outputPath + "/" + OutputWriter.markerName, F_OK) == 0,
              let edited = memo.inputs.editedFiles(comparedWith: inputs) else { return nil }
        progress(BuildProgress(stage: .parse, done: 0, total: edited.count))
        var changes: [(path: String, entry: BuildMemo.SectionEntry, section: Section)] = []
        // Files of `static/` that are not HTML are copied as they are: no page reads what is in them.
        var copies: [(path: String, bytes: [UInt8], oldSize: Int)] = []
        for path in edited {
            if path.hasPrefix("static/"), !path.hasSuffix(".html") {
                let target = String(path.dropFirst("static/".count))
                var old = stat()
                guard memo.files.contains(target), stat(options.outputPath + "/" + target, &old) == 0,
                      case .success(let bytes) = FolderReader.read(options.siteRoot + "/" + path, maximumSize: nil) else { return nil }
                copies.append((target, bytes, Int(old.st_size)))
                continue
            }
            guard let entry = memo.sections[path],
                  case .success(let file) = ContentLoader.read(root: options.siteRoot, prefix: options.displayPrefix, path, role: .section(chapter: entry.chapter)) else { return nil }
            let parsed = DocumentParser.parse(file)
            guard parsed.diagnostics.isEmpty, case .section(let section)? = parsed.record, SectionHead(section).fingerprint == entry.head else { return nil }
            changes.append((path, entry, section))
        }

        progress(BuildProgress(stage: .index, done: 0, total: 0))
        var next = memo
        next.inputs = inputs
        guard let config = warmConfig() else { return nil }
        // The link checker's table of every URL is made while the pages render.
        async let made = LinkChecker(config: config, siteRoot: options.siteRoot, displayPrefix: options.displayPrefix,
                                     pages: memo.checkerPages, files: Set(memo.files))
        var writes: [(path: String, bytes: [UInt8])] = []
        if !changes.isEmpty {
            let (theme, themeDiagnostics) = Theme.load(siteRoot: options.siteRoot, displayPrefix: options.displayPrefix)
            guard !themeDiagnostics.hasErrors, let engine = try? CompiledMustacheEngine(theme: theme) else { return nil }
            let markdown = MarkdownRenderer(options: .init(allowRawHTML: memo.allowRawHTML, basePath: memo.basePath, reservedIDs: PageRenderer.reservedIDs))
            let matcher = MentionMatcher(names: memo.names)
            progress(BuildProgress(stage: .render, done: 0, total: changes.count))
            let checker = await made
            let renderedPages = Set(changes.map(\.entry.page))
            var diagnosticsChanged = false
            for (path, entry, section) in changes {
                guard let stored = folder.readShell(entry.shell), let shell = try? memo.shell(entry, from: stored),
                      let before = try? memo.pageDiagnostics(entry.page) else { return nil }
                let (context, found) = shell.filled(with: markdown.render(section.body, mentions: shell.mentions(matcher)))
                let page = memo.checkerPages[entry.page]
                guard let rendered = try? engine.render(page.template, context) else { return nil }
                let links = checker.examine(entry.page, HTMLLinkScanner.scan(rendered))
                // The memo keeps the ids of pages linked into with a fragment only; a new such link to another page needs a cold build.
                guard links.anchors.allSatisfy({ memo.idsKnown[$0.target] || renderedPages.contains($0.target) }) else { return nil }
                diagnosticsChanged = diagnosticsChanged || found != before
                next.setPageDiagnostics(entry.page, found)
                next.links[entry.page] = links
                next.idsKnown[entry.page] = true
                next.bytes += rendered.count - entry.size
                next.sections[path]?.size = rendered.count
                next.dirtyPages.insert(entry.page)
                writes.append((page.file, rendered))
            }
            if diagnosticsChanged {
                guard let gathered = try? next.gatheredDiagnostics() else { return nil }
                next.contentDiagnostics = gathered
                next.contentChanged = true
            }
            if next.contentDiagnostics.hasErrors { throw BuildFailure(stage: .render, diagnostics: next.contentDiagnostics) }
        }
        let rendered = writes.map(\.path).sorted()
        for copy in copies {
            writes.append((copy.path, copy.bytes))
            next.bytes += copy.bytes.count - copy.oldSize
        }
        progress(BuildProgress(stage: .check, done: 0, total: 0))
        let linkDiagnostics = await made.report(next.links).diagnostics
        let diagnostics = Diagnostic.merged(next.contentDiagnostics, linkDiagnostics)
        if linkDiagnostics.hasErrors { throw BuildFailure(stage: .check, diagnostics: diagnostics) }
        try finishWarmBuild(memo, next, folder: folder, writes: writes, diagnostics: diagnostics, progress: progress)
        SiteBuilder.releaseInBackground(next)
        return BuildReport(pages: next.pageCount, files: next.files.count, bytes: next.bytes, diagnostics: diagnostics,
                           cache: .warm(rendered: rendered))
    }

    /// Replaces the re-rendered pages under the output's lock and records what changed in the cache.
    private func finishWarmBuild(_ memo: BuildMemo, _ next: BuildMemo, folder: BuildCacheFolder, writes: [(path: String, bytes: [UInt8])],
                                 diagnostics: [Diagnostic], progress: @escaping @Sendable (BuildProgress) -> Void) throws(BuildFailure) {
        // Nothing to record when no input changed since the memo was written and none was in doubt then.
        guard !writes.isEmpty || next.inputs != memo.inputs || memo.inputs.entries.contains(where: \.racy) else { return }
        progress(BuildProgress(stage: .write, done: 0, total: writes.count))
        let outputPath = OutputWriter.resolved(OutputWriter.absolute(options.outputPath))
        let lock = try OutputLock.take(beside: outputPath, output: options.outputPath)
        guard folder.markBusy(dropMemo: false) else {
            throw BuildFailure(stage: .write, diagnostics: diagnostics + [.error(SourceLocation(path: options.displayPrefix + BuildCacheFolder.name),
                                                                                 "cannot write the build cache")])
        }
        for write in writes {
            if let failure = OutputWriter.replaceFile(outputPath, write.path, with: write.bytes) {
                folder.forget()
                throw BuildFailure(stage: .write, diagnostics: diagnostics + [failure])
            }
        }
        folder.finishWarm(next)
        withExtendedLifetime(lock) {}
    }

    /// The site's configuration as a cold build has it: `site.yaml` read again (it did not change), with `--base-url`.
    private func warmConfig() -> SiteConfig? {
        guard case .success(let file) = ContentLoader.read(root: options.siteRoot, prefix: options.displayPrefix, "site.yaml", role: .config),
              case .config(var config)? = DocumentParser.parse(file).record else { return nil }
        if let baseURL = options.baseURL { config.baseURL = SiteConfig.normalizedBaseURL(baseURL) }
        return config
    }
}
