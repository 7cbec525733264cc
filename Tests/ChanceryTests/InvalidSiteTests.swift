import Foundation
import Testing
import ChanceryFuzz
@testable import Chancery

// Table-driven checks of the diagnostics for broken sites.
//
// Each case is a folder `Fixtures/invalid/<case>/` holding a complete small site (the
// `MinimalSite` of TestSite.swift) with ONE defect, plus `expected.txt`:
//
//   * `expected.txt` is exactly what `chancery build` prints as diagnostics when run inside the
//     case folder: every `Diagnostic.description` in the order the build returns them (sorted by
//     location), joined by newlines. A description is a `path:line:col: severity: message` line
//     followed by its `path:line:col: note: …` lines, so one entry may span several lines.
//   * Paths are relative to the site folder; lines and columns are file lines (the YAML of a
//     content file starts on line 2) and columns count Unicode scalars.
//   * Trailing blank lines and `\r` are ignored; an empty file means "builds cleanly".
//   * If any line is an `error:`, the build must fail and leave no output folder behind;
//     otherwise it must succeed (warnings allowed) and write the site.
//
// To add a case: copy a folder, make one change, check by hand that each location really points
// at the offending token, then record the output: `cd <case> && chancery build --output /tmp/x`
// (drop the final "Build failed…" summary line), and add the folder name to `cases` below. After a deliberate
// change of wording, `RECORD_SNAPSHOTS=1 swift test --filter InvalidSiteTests` rewrites the expected.txt files
// that differ; read their diff before committing.
// The crlf-*, mixed-line-endings, byte-order-mark, invalid-utf8 and nul-byte folders carry a
// `.gitattributes` (`* -text`) so Git keeps their bytes as they are.
//
// What cannot be committed (symbolic links, a named pipe, a 50 MB file, an output folder that is
// read-only or locked by another build) is made in the case's temporary copy by its entry in
// `runtime` below; such a folder holds the plain minimal site and its expected.txt. Paths inside
// the temporary copy print relative to it, as they would inside the case folder.
//
// Every case also has to keep the output safe. A failing build must leave the output path exactly
// as it was, twice: when there is no output yet (none may appear) and, unless the case is about
// the output itself, after a good site was built into `public/` first (it must stay byte for byte).
// A successful build's pages must pass `HTMLSafetyScanner` (no script, event handler or script URL).

@Suite("Invalid sites")
struct InvalidSiteTests {
    static let cases = [
        // Files and front matter
        "missing-front-matter",
        "unterminated-front-matter",
        "empty-file",
        "yaml-bad-indentation",
        "yaml-tab-indentation",
        "duplicate-key",
        "duplicate-key-nested",
        "unknown-key-suggestion",
        "wrong-type-number",
        "quoted-number",
        "list-expected",
        "missing-required-key",
        "empty-required-value",
        "malformed-date-month",
        "malformed-date-words",
        "partial-date-bad-month",
        "partial-date-bad-day",
        "partial-date-bad-held",
        "agreement-title-and-description",
        "source-missing-url",
        "invalid-utf8",
        "nul-byte",
        "bad-id-uppercase",
        "bad-id-space",
        "crlf-line-endings",
        "crlf-error-line",
        "byte-order-mark",
        // References and site structure
        "unknown-country-id",
        "near-miss-country-id",
        "official-listed-as-country",
        "duplicate-id-in-subfolder",
        "duplicate-id-across-kinds",
        "dangling-official-country",
        "dangling-agreement-party",
        "dangling-signatory",
        "overlapping-tenures",
        "overlapping-partial-tenures",
        "partial-tenures-not-proven-to-overlap",
        "held-outside-tenure",
        "tenure-end-before-start-partial",
        "in-force-before-signed-partial",
        "signatory-not-in-office",
        "signatory-not-attested",
        "signatory-attested-partial",
        "unreferenced-entity",
        "related-unknown-id",
        "missing-sources",
        "listed-not-named",
        "duplicate-section-number",
        "chapter-without-index",
        "section-outside-chapter",
        "duplicate-section-slug",
        // Hostile input: bytes and sizes
        "mixed-line-endings",
        "unusual-line-break",
        "oversized-section",
        "deep-markdown-nesting",
        "deep-yaml-nesting",
        "yaml-alias-bomb",
        "yaml-complex-key",
        // Hostile input: ids, paths and files
        "bad-id-dot-dot",
        "bad-id-non-ascii",
        "reference-with-path",
        "static-file-at-page-path",
        "static-file-at-generated-path",
        "static-file-at-page-folder",
        "chapter-named-like-entity-folder",
        "symlink-loop",
        "symlink-outside-site",
        "dangling-symlink",
        "fifo-in-content",
        // Hostile input: templates
        "template-syntax-error",
        "template-missing-partial",
        "template-loop",
        // Hostile input: markup that must not reach a page
        "raw-html-in-markdown",
        "unsafe-urls-in-markdown",
        "hostile-front-matter-values",
        "agreement-source-javascript",
        "base-url-protocol-relative",
        "base-url-option-without-scheme",
        // Hostile input: the output folder
        "output-is-file",
        "output-read-only",
        "output-is-content-folder",
        "output-not-chancery",
        "output-not-chancery-forced",
        "output-is-site-folder",
        "output-is-site-ancestor",
        "output-inside-content",
        "output-symlink-to-content",
        "output-symlink-to-ancestor",
        "concurrent-build",
    ]

    /// Preparation a case needs at run time, in its temporary copy.
    struct Runtime: Sendable {
        /// Changes the copied site once, before any build (symbolic links, special or huge files).
        var prepare: @Sendable (TestSite) throws -> Void = { _ in }
        /// Runs right before each build of the case and returns what undoes it afterwards.
        var around: @Sendable (TestSite) throws -> @Sendable () -> Void = { _ in {} }
        /// The output path, relative to the site.
        var output = "public"
        /// Whether a good site can first be built into the output to check that a failure keeps it.
        var prebuild = true
        /// `--base-url`, when the case passes one.
        var baseURL: String? = nil
        /// `--force`.
        var force = false
        /// What must stay byte for byte as it was, relative to the site, when not the output itself (whose
        /// parent holds every other test's folder when the output is an ancestor of the site).
        var watched: String? = nil
    }

    /// A case that cannot run here (say, no way to make a folder read-only for root).
    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    static let runtime: [String: Runtime] = [
        "oversized-section": Runtime(prepare: { site in
            // 50 MiB of plausible text; the loader refuses it from its size alone.
            let path = site.root + "/content/chapter-1/01-russia.md"
            let line = Array("Russia and Japan agreed to continue consultations on security and the economy. \n".utf8)
            let chunk = [UInt8]((0..<(1 << 20)).map { line[$0 % line.count] })
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            let size = try handle.seekToEnd()
            for _ in 0..<50 { try handle.write(contentsOf: chunk) }
            try handle.truncate(atOffset: 50 << 20)
            #expect(size < 1 << 20)
        }),
        "deep-markdown-nesting": Runtime(prepare: { site in
            // Far deeper than any recursion could survive: quotes, lists, emphasis, links, and a footnote holding them.
            let depth = 50_000
            var body = "\n" + String(repeating: "> ", count: depth) + "quoted\n\n"
            body += String(repeating: "- ", count: depth) + "listed\n\n"
            body += String(repeating: "1. ", count: 5_000) + "numbered\n\n"
            body += String(repeating: "*", count: depth) + "emphasis" + String(repeating: "*", count: depth) + "\n\n"
            body += String(repeating: "[", count: depth) + "link" + String(repeating: "](https://example.net/x)", count: depth) + "\n\n"
            body += "Noted.[^deep]\n\n[^deep]: " + String(repeating: "> ", count: 10_000) + "deep note\n"
            let path = "content/chapter-1/01-russia.md"
            try site.write(try site.read(path) + body, to: path)
        }),
        "deep-yaml-nesting": Runtime(prepare: { site in
            let path = "content/countries/russia.md"
            let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
            try site.write(try site.read(path).replacingOccurrences(of: "aliases: [Russian Federation]", with: "aliases: " + deep), to: path)
        }),
        "symlink-loop": Runtime(prepare: { site in
            try FileManager.default.createSymbolicLink(atPath: site.root + "/content/chapter-1/again", withDestinationPath: "..")
        }),
        "symlink-outside-site": Runtime(prepare: { site in
            try FileManager.default.createSymbolicLink(atPath: site.root + "/content/countries/passwd.md", withDestinationPath: "/etc/passwd")
        }),
        "dangling-symlink": Runtime(prepare: { site in
            // A link to a file that is not there: the unreadable entry root can produce (chmod 000 does not stop root).
            try FileManager.default.createSymbolicLink(atPath: site.root + "/content/countries/france.md", withDestinationPath: "france-draft.md")
        }),
        "fifo-in-content": Runtime(prepare: { site in
            // A named pipe blocks whoever opens it for reading until a writer comes: it must be refused, not read.
            guard mkfifo(site.root + "/content/countries/france.md", 0o644) == 0 else {
                throw Unavailable(description: "cannot create a named pipe: \(String(cString: strerror(errno)))")
            }
        }),
        "output-is-file": Runtime(prepare: { site in
            try site.write("not a folder\n", to: "public")
        }, prebuild: false),
        "output-read-only": Runtime(around: { site in
            // The output's folder (here the site folder) takes no new entries, so neither the lock nor a staging folder fits.
            try? FileManager.default.removeItem(atPath: site.root + "/.public.lock")
            return try TestSite.makeReadOnly(site.root)
        }),
        "output-is-content-folder": Runtime(output: "content", prebuild: false),
        "output-not-chancery": Runtime(prepare: { site in
            // A folder of the user's own where the site would go: never replaced without --force.
            try site.write("My thesis, chapter 1.\n", to: "public/thesis.txt")
            try site.write("notes\n", to: "public/drafts/notes.txt")
        }, prebuild: false),
        "output-not-chancery-forced": Runtime(prepare: { site in
            try site.write("My thesis, chapter 1.\n", to: "public/thesis.txt")
        }, prebuild: false, force: true),
        "output-is-site-folder": Runtime(output: ".", prebuild: false),
        "output-is-site-ancestor": Runtime(output: "..", prebuild: false, watched: "."),
        "output-inside-content": Runtime(output: "content/x", prebuild: false),
        "output-symlink-to-content": Runtime(prepare: { site in
            try FileManager.default.createSymbolicLink(atPath: site.root + "/public", withDestinationPath: "content")
        }, prebuild: false),
        "output-symlink-to-ancestor": Runtime(prepare: { site in
            try FileManager.default.createSymbolicLink(atPath: site.root + "/public", withDestinationPath: "..")
        }, prebuild: false, watched: "content"),
        "base-url-option-without-scheme": Runtime(baseURL: "example.org/sub/"),
        "concurrent-build": Runtime(around: { site in
            // Another build holds the output's lock for the whole time this one runs.
            let other = try OutputWriter(output: site.output, siteRoot: site.root,
                                         protecting: ["content", "templates", "static"].map { site.root + "/" + $0 })
            return { other.discard() }
        }),
    ]

    static var folder: String { TestSite.fixturesFolder + "/invalid" }

    /// The lines of a case's `expected.txt`, without `\r` and trailing blank lines.
    static func expectedLines(_ name: String) throws -> [String] {
        let text = try String(contentsOfFile: folder + "/" + name + "/expected.txt", encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        while lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeLast() }
        return lines
    }

    /// Whether the printed line is an error (not a warning or a note): `<location>: error: …`.
    static func isError(_ line: String) -> Bool {
        guard let range = line.range(of: ": error: ") else { return false }
        return !line[..<range.lowerBound].contains(": note: ") && !line[..<range.lowerBound].contains(": warning: ")
    }

    /// Builds a copied case once, with its runtime preparation around the build; returns the diagnostics as printed.
    static func build(_ site: TestSite, _ setup: Runtime) async throws -> (result: Result<BuildReport, BuildFailure>, printed: [String]) {
        let undo: @Sendable () -> Void
        do {
            undo = try setup.around(site)
        } catch let unavailable as Unavailable {
            try Test.cancel(Comment(rawValue: unavailable.description))
        }
        let result = await site.build(baseURL: setup.baseURL, output: site.root + "/" + setup.output, force: setup.force)
        undo()
        let diagnostics: [Diagnostic]
        switch result {
        case .success(let report): diagnostics = report.diagnostics
        case .failure(let failure): diagnostics = failure.diagnostics
        }
        // Paths inside the temporary copy print as they would inside the case folder.
        let printed = diagnostics.map(\.description).joined(separator: "\n").replacingOccurrences(of: site.root + "/", with: "")
        return (result, printed.isEmpty ? [] : printed.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
    }

    @Test("reports the expected diagnostics and keeps the output safe", arguments: cases)
    func reportsExpectedDiagnostics(_ name: String) async throws {
        let expected = try InvalidSiteTests.expectedLines(name)
        let setup = InvalidSiteTests.runtime[name] ?? Runtime()
        let site = try TestSite(fixture: "invalid/" + name)
        defer { site.remove() }
        try? FileManager.default.removeItem(atPath: site.root + "/expected.txt")
        do {
            try setup.prepare(site)
        } catch let unavailable as Unavailable {
            try Test.cancel(Comment(rawValue: unavailable.description))
        }
        let output = site.root + "/" + setup.output
        let watched = setup.watched.map { site.root + "/" + $0 } ?? output
        let fails = expected.contains(where: InvalidSiteTests.isError)

        // First build: no earlier output (or whatever the case put at the output path).
        let before = try TestSite.snapshot(path: watched)
        let (result, actual) = try await InvalidSiteTests.build(site, setup)
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1", actual != expected {
            try Data((actual.joined(separator: "\n") + (actual.isEmpty ? "" : "\n")).utf8)
                .write(to: URL(fileURLWithPath: InvalidSiteTests.folder + "/" + name + "/expected.txt"))
        }
        #expect(actual == expected, "diagnostics of \(name) differ from expected.txt (RECORD_SNAPSHOTS=1 records them)")
        if fails {
            guard case .failure = result else {
                Issue.record("\(name): the build succeeded but expected.txt lists an error")
                return
            }
            #expect(try TestSite.snapshot(path: watched) == before, "\(name): a failed build changed the output path")
            #expect(try InvalidSiteTests.leftovers(output).isEmpty, "\(name): a failed build left a staging folder")
        } else {
            if case .failure(let failure) = result {
                Issue.record("\(name): the build failed at the \(failure.stage.rawValue) stage but expected.txt lists no error")
                return
            }
            #expect(FileManager.default.fileExists(atPath: output + "/index.html"), "\(name): the build wrote no site")
            for (file, findings) in try InvalidSiteTests.unsafeMarkup(in: output) {
                Issue.record("\(name): \(file) holds unsafe markup: \(findings)")
            }
            return
        }
        guard setup.prebuild else { return }

        // Second build: a good site is already published at the output; the failure must keep it byte for byte.
        let good = try TestSite(MinimalSite.files)
        defer { good.remove() }
        guard case .success = await good.build(output: output) else {
            Issue.record("\(name): the minimal site did not build into the case's output")
            return
        }
        let published = try site.snapshotOutput(output)
        try #require(published["index.html"] != nil)
        let (again, actualAgain) = try await InvalidSiteTests.build(site, setup)
        #expect(actualAgain == expected, "\(name): diagnostics differ when an output already exists")
        guard case .failure = again else {
            Issue.record("\(name): the build succeeded over an existing output")
            return
        }
        #expect(try site.snapshotOutput(output) == published, "\(name): the failed build changed the existing output")
        #expect(try InvalidSiteTests.leftovers(output).isEmpty, "\(name): a failed build left a staging folder")
    }

    /// Staging folders of `output` left in its parent folder.
    static func leftovers(_ output: String) throws -> [String] {
        let parent = (output as NSString).deletingLastPathComponent
        let prefix = "." + (output as NSString).lastPathComponent + ".staging-"
        return try FileManager.default.contentsOfDirectory(atPath: parent).filter { $0.hasPrefix(prefix) }
    }

    /// Every HTML file under `folder` that `HTMLSafetyScanner` has findings for.
    static func unsafeMarkup(in folder: String) throws -> [(String, [HTMLSafetyScanner.Finding])] {
        var result: [(String, [HTMLSafetyScanner.Finding])] = []
        let files = try FileManager.default.subpathsOfDirectory(atPath: folder).filter { $0.hasSuffix(".html") }.sorted()
        for file in files {
            let findings = HTMLSafetyScanner.scan(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/" + file))))
            if !findings.isEmpty { result.append((file, findings)) }
        }
        return result
    }

    @Test("lists every fixture folder as a case")
    func everyFolderIsACase() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: InvalidSiteTests.folder)
            .filter { !$0.hasPrefix(".") }
        #expect(Set(folders) == Set(InvalidSiteTests.cases))
        #expect(InvalidSiteTests.cases.count == Set(InvalidSiteTests.cases).count)
        for name in folders {
            #expect(FileManager.default.fileExists(atPath: InvalidSiteTests.folder + "/" + name + "/expected.txt"),
                    "\(name) has no expected.txt")
        }
    }

    /// Guards against a checkout rewriting the bytes these cases are about (line endings, BOM, bad bytes).
    @Test("fixtures keep their unusual bytes")
    func fixturesKeepTheirBytes() throws {
        func bytes(_ path: String) throws -> [UInt8] {
            [UInt8](try Data(contentsOf: URL(fileURLWithPath: InvalidSiteTests.folder + "/" + path)))
        }
        func count(_ needle: [UInt8], in haystack: [UInt8]) -> Int {
            guard haystack.count >= needle.count else { return 0 }
            return (0...(haystack.count - needle.count)).filter { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }.count
        }
        let mixed = try bytes("mixed-line-endings/content/chapter-1/01-russia.md")
        #expect(count([0x0D, 0x0A], in: mixed) >= 2 && mixed.filter { $0 == 0x0D }.count > count([0x0D, 0x0A], in: mixed)
                && mixed.filter { $0 == 0x0A }.count > count([0x0D, 0x0A], in: mixed), "mixed-line-endings lost one of its line endings")
        for name in ["crlf-line-endings", "crlf-error-line"] {
            let section = try bytes(name + "/content/chapter-1/01-russia.md")
            let lineFeeds = section.filter { $0 == 0x0A }.count
            #expect(lineFeeds > 0 && count([0x0D, 0x0A], in: section) == lineFeeds, "\(name): the section lost its CRLF line endings")
            #expect(count([0x0D, 0x0A], in: try bytes(name + "/site.yaml")) > 0, "\(name): site.yaml lost its CRLF line endings")
        }
        #expect(try bytes("byte-order-mark/content/chapter-1/01-russia.md").starts(with: [0xEF, 0xBB, 0xBF]))
        #expect(try bytes("byte-order-mark/site.yaml").starts(with: [0xEF, 0xBB, 0xBF]))
        #expect(try bytes("invalid-utf8/content/countries/russia.md").contains(0xE9))
        #expect(try bytes("nul-byte/content/countries/russia.md").contains(0x00))
    }

    @Test("publishes both sections that derive the same URL name under their file names")
    func duplicateSlugSectionsBothPublished() async throws {
        let site = try TestSite(fixture: "invalid/duplicate-section-slug")
        defer { site.remove() }
        guard case .success = await site.build() else {
            Issue.record("the build failed")
            return
        }
        let fs = FileManager.default
        #expect(fs.fileExists(atPath: site.output + "/chapter-1/01-russia/index.html"))
        #expect(fs.fileExists(atPath: site.output + "/chapter-1/02-russia/index.html"))
        #expect(!fs.fileExists(atPath: site.output + "/chapter-1/russia"))
    }

    /// A parse-stage, a load-stage and a resolve-stage failure after a good build.
    @Test("a failed build leaves the existing output byte-for-byte unchanged",
          arguments: ["duplicate-key", "section-outside-chapter", "dangling-signatory"])
    func failedBuildKeepsOutput(_ name: String) async throws {
        let fs = FileManager.default
        let site = try TestSite(MinimalSite.files)
        defer { site.remove() }
        guard case .success = await site.build() else {
            Issue.record("the valid site did not build")
            return
        }
        let before = try site.snapshotOutput()
        try #require(before["index.html"] != nil)

        // Introduce the defect: replace the sources with the broken fixture's.
        let broken = InvalidSiteTests.folder + "/" + name
        try fs.removeItem(atPath: site.root + "/content")
        try fs.removeItem(atPath: site.root + "/site.yaml")
        try fs.copyItem(atPath: broken + "/content", toPath: site.root + "/content")
        try fs.copyItem(atPath: broken + "/site.yaml", toPath: site.root + "/site.yaml")

        guard case .failure(let failure) = await site.build() else {
            Issue.record("\(name): the broken site built")
            return
        }
        #expect(failure.diagnostics.hasErrors)
        let after = try site.snapshotOutput()
        #expect(after.keys.sorted() == before.keys.sorted())
        #expect(after == before, "\(name): the failed build changed the output")
        let leftovers = try fs.contentsOfDirectory(atPath: site.root).filter { $0.hasPrefix(".public.staging-") }
        #expect(leftovers.isEmpty, "\(name): a failed build left a staging folder: \(leftovers)")
    }
}
