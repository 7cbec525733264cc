import Foundation
import Testing
@testable import Chancery

/// The build cache in `.chancery-cache/`: a damaged, cut-short, foreign or half-written cache gives the
/// cold build's output and one warning; a good one gives the same output from the pages that changed.
@Suite("Build cache")
struct BuildCacheTests {
    static let section = "content/chapter-1/01-russia.md"

    /// A site built once with the cache, and a cold build of the same site to compare with.
    struct Fixture {
        let site: TestSite
        var cached: String { site.root + "/cached" }
        var cold: String { site.root + "/cold" }
        var cache: String { site.root + "/.chancery-cache" }

        init() async throws {
            site = try TestSite(fixture: "valid/small-report")
            #expect(try await build().cache == .cold(warning: nil))
        }

        func build(identity: String = "test") async throws -> BuildReport {
            try await result(identity: identity).get()
        }

        func result(identity: String = "test") async -> Result<BuildReport, BuildFailure> {
            do {
                return .success(try await SiteBuilder(options: BuildOptions(siteRoot: site.root, output: cached, cacheIdentity: identity)).build())
            } catch {
                return .failure(error)
            }
        }

        /// Edits the text of a section, past the file system clock's tick so the cache can trust its time.
        func editText(_ words: String) throws {
            try site.write(try site.read(BuildCacheTests.section) + "\n\(words)\n", to: BuildCacheTests.section)
            usleep(5_000)
        }

        /// The cached build's output equals a cold build's, file for file.
        func expectSameAsCold(_ comment: Comment? = nil) async throws {
            _ = try await SiteBuilder(options: BuildOptions(siteRoot: site.root, output: cold)).build()
            let output = try site.snapshotOutput(cached), expected = try site.snapshotOutput(cold)
            #expect(output.keys.sorted() == expected.keys.sorted(), comment)
            for (path, bytes) in expected where output[path] != bytes { Issue.record("\(path) differs from a cold build") }
        }
    }

    @Test("an edit to a section's text renders that page alone, and the output equals a cold build")
    func warmAfterTextEdit() async throws {
        let fixture = try await Fixture()
        defer { fixture.site.remove() }
        try fixture.editText("A sentence about the visit.")
        let report = try await fixture.build()
        #expect(report.cache == .warm(rendered: ["chapter-1/russia/index.html"]))
        try await fixture.expectSameAsCold()
        // Nothing changed since: nothing is rendered.
        #expect(try await fixture.build().cache == .warm(rendered: []))
    }

    @Test("an edited file of static/ is copied without rendering a page; a new one builds everything")
    func staticFile() async throws {
        let fixture = try await Fixture()
        defer { fixture.site.remove() }
        try fixture.site.write("first\n", to: "static/notes.txt")
        usleep(5_000)
        #expect(try await fixture.build().cache == .cold(warning: nil))
        try fixture.site.write("second, longer\n", to: "static/notes.txt")
        usleep(5_000)
        let report = try await fixture.build()
        #expect(report.cache == .warm(rendered: []))
        try await fixture.expectSameAsCold()
        let cold = try await SiteBuilder(options: BuildOptions(siteRoot: fixture.site.root, output: fixture.cold)).build()
        #expect((report.files, report.bytes) == (cold.files, cold.bytes))
    }

    @Test("a front-matter edit, a template edit and site.yaml build everything")
    func coldAfterOtherEdits() async throws {
        let fixture = try await Fixture()
        defer { fixture.site.remove() }
        let text = try fixture.site.read(Self.section)
        try fixture.site.write(text.replacingOccurrences(of: "title: ", with: "title: Renamed "), to: Self.section)
        usleep(5_000)
        #expect(try await fixture.build().cache == .cold(warning: nil))
        try await fixture.expectSameAsCold()
        try fixture.site.write("<footer>{{site.title}}</footer>\n", to: "templates/partials/footer.mustache")
        usleep(5_000)
        #expect(try await fixture.build().cache == .cold(warning: nil))
        try await fixture.expectSameAsCold()
    }

    /// Damages the cache in one way, then checks that the next build is cold, warns once, and is right.
    func expectIgnored(_ damage: (Fixture) throws -> Void, identity: String = "test") async throws {
        let fixture = try await Fixture()
        defer { fixture.site.remove() }
        try fixture.editText("A sentence that changes the page.")
        try damage(fixture)
        let report = try await fixture.build(identity: identity)
        guard case .cold(let warning?)? = report.cache else {
            Issue.record("expected a cold build with a warning, got \(String(describing: report.cache))")
            return
        }
        #expect(warning.severity == .warning)
        #expect(warning.location.path == ".chancery-cache")
        try await fixture.expectSameAsCold()
        // The cold build wrote a good cache again.
        try fixture.editText("Another sentence.")
        #expect(try await fixture.build(identity: identity).cache == .warm(rendered: ["chapter-1/russia/index.html"]))
        try await fixture.expectSameAsCold()
    }

    @Test("a corrupt memo is ignored with a warning")
    func corrupt() async throws {
        try await expectIgnored { fixture in
            let path = fixture.cache + "/build.memo"
            var bytes = [UInt8](FileManager.default.contents(atPath: path)!)
            bytes[bytes.count / 2] ^= 0x5A
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
    }

    @Test("a truncated memo is ignored with a warning")
    func truncated() async throws {
        try await expectIgnored { fixture in
            let path = fixture.cache + "/build.memo"
            let bytes = FileManager.default.contents(atPath: path)!
            try bytes.prefix(bytes.count * 2 / 3).write(to: URL(fileURLWithPath: path))
        }
    }

    @Test("a memo of another version of Chancery is ignored with a warning")
    func otherVersion() async throws {
        try await expectIgnored({ _ in }, identity: "another version")
    }

    @Test("a build interrupted while it replaced pages leaves a cache that is ignored with a warning")
    func interruptedWarmBuild() async throws {
        // What a warm build leaves when killed between replacing pages and recording them.
        try await expectIgnored { fixture in
            try Data().write(to: URL(fileURLWithPath: fixture.cache + "/build.busy"))
        }
    }

    @Test("a build interrupted after it replaced the output, before writing its memo, is ignored with a warning")
    func interruptedColdBuild() async throws {
        // A cold build marks the cache busy and removes the memo before it replaces the output, and writes it after.
        try await expectIgnored { fixture in
            try Data().write(to: URL(fileURLWithPath: fixture.cache + "/build.busy"))
            try FileManager.default.removeItem(atPath: fixture.cache + "/build.memo")
        }
    }

    @Test("a cache folder without a memo (removed by hand) builds cold without a warning")
    func missingMemo() async throws {
        let fixture = try await Fixture()
        defer { fixture.site.remove() }
        try FileManager.default.removeItem(atPath: fixture.cache + "/build.memo")
        try fixture.editText("A sentence.")
        #expect(try await fixture.build().cache == .cold(warning: nil))
        try await fixture.expectSameAsCold()
    }

    @Test("a damaged shell is found by its hash, and the build is cold")
    func damagedShell() async throws {
        let fixture = try await Fixture()
        defer { fixture.site.remove() }
        let path = fixture.cache + "/shells.memo"
        var bytes = [UInt8](FileManager.default.contents(atPath: path)!)
        for index in bytes.indices { bytes[index] ^= 0x01 }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        try fixture.editText("A sentence.")
        #expect(try await fixture.build().cache == .cold(warning: nil))
        try await fixture.expectSameAsCold()
    }

    @Test("an output replaced since the memo was written is built again in full")
    func replacedOutput() async throws {
        let fixture = try await Fixture()
        defer { fixture.site.remove() }
        try FileManager.default.removeItem(atPath: fixture.cached)
        try fixture.editText("A sentence.")
        #expect(try await fixture.build().cache == .cold(warning: nil))
        try await fixture.expectSameAsCold()
    }

    @Test("an edit that adds a broken link fails as a cold build fails, and leaves the output as it was")
    func warmFailure() async throws {
        let fixture = try await Fixture()
        defer { fixture.site.remove() }
        let before = try fixture.site.snapshotOutput(fixture.cached)
        try fixture.editText("See [nowhere](/chapter-1/nowhere/).")
        guard case .failure(let cachedFailure) = await fixture.result(),
              case .failure(let coldFailure) = await fixture.site.build(output: fixture.cold) else {
            Issue.record("both builds must fail")
            return
        }
        #expect(cachedFailure.stage == .check)
        #expect(cachedFailure.diagnostics.map(\.description) == coldFailure.diagnostics.map(\.description))
        #expect(try fixture.site.snapshotOutput(fixture.cached) == before)
    }

    @Test("clean removes the cache's files and folder, and nothing else")
    func clean() async throws {
        let fixture = try await Fixture()
        defer { fixture.site.remove() }
        try Data("mine".utf8).write(to: URL(fileURLWithPath: fixture.cache + "/notes.txt"))
        let removed = SiteBuilder.removeCache(siteRoot: fixture.site.root)
        #expect(removed == [".chancery-cache/build.memo", ".chancery-cache/shells.memo", ".chancery-cache/walk.stamp"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.cache) == ["notes.txt"])
        try FileManager.default.removeItem(atPath: fixture.cache + "/notes.txt")
        #expect(SiteBuilder.removeCache(siteRoot: fixture.site.root) == [".chancery-cache/"])
        #expect(!FileManager.default.fileExists(atPath: fixture.cache))
    }

    @Test("the memo survives a round trip through its encoding")
    func roundTrip() async throws {
        let fixture = try await Fixture()
        defer { fixture.site.remove() }
        let bytes = [UInt8](FileManager.default.contents(atPath: fixture.cache + "/build.memo")!)
        let memo = try BuildMemo(decoding: bytes)
        #expect(memo.encoded() == bytes)
    }
}
