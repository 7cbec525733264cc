import Foundation
import Testing
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
// (drop the final "Build failed…" summary line), and add the folder name to `cases` below.
// The crlf-*, byte-order-mark, invalid-utf8 and nul-byte folders carry a `.gitattributes`
// (`* -text`) so Git keeps their bytes as they are.

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
        "signatory-not-in-office",
        "unreferenced-entity",
        "duplicate-section-number",
        "chapter-without-index",
        "section-outside-chapter",
        "duplicate-section-slug",
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

    @Test("reports the expected diagnostics", arguments: cases)
    func reportsExpectedDiagnostics(_ name: String) async throws {
        let expected = try InvalidSiteTests.expectedLines(name)
        let site = try TestSite(fixture: "invalid/" + name)
        defer { site.remove() }
        try? FileManager.default.removeItem(atPath: site.root + "/expected.txt")

        let result = await site.build()
        let diagnostics: [Diagnostic]
        switch result {
        case .success(let report): diagnostics = report.diagnostics
        case .failure(let failure): diagnostics = failure.diagnostics
        }
        let printed = diagnostics.map(\.description).joined(separator: "\n")
        let actual = printed.isEmpty ? [] : printed.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(actual == expected, "diagnostics of \(name) differ from expected.txt")

        let fs = FileManager.default
        if expected.contains(where: InvalidSiteTests.isError) {
            guard case .failure = result else {
                Issue.record("\(name): the build succeeded but expected.txt lists an error")
                return
            }
            #expect(!fs.fileExists(atPath: site.output), "\(name): a failed build created the output folder")
            let leftovers = try fs.contentsOfDirectory(atPath: site.root).filter { $0.hasPrefix(".public.staging-") }
            #expect(leftovers.isEmpty, "\(name): a failed build left a staging folder: \(leftovers)")
        } else {
            if case .failure(let failure) = result {
                Issue.record("\(name): the build failed at the \(failure.stage) stage but expected.txt lists no error")
            }
            #expect(fs.fileExists(atPath: site.output + "/index.html"), "\(name): the build wrote no site")
            #expect(!diagnostics.hasErrors)
        }
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
