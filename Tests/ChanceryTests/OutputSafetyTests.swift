import Foundation
import Testing
@testable import Chancery

// The output folder under pressure: builds racing for it, and files that must never be read
// into it. (The catalogue covers an output that is a file, read-only, the content folder, or
// locked by another build; see InvalidSiteTests.)
@Suite("Output safety", .serialized)
struct OutputSafetyTests {
    /// Two different sites built into one output folder at the same moment, again and again:
    /// each build either succeeds or fails on the lock, and the output is always one whole site.
    @Test("two builds started at once never mix their output")
    func concurrentBuilds() async throws {
        var second = MinimalSite.files
        second["site.yaml"] = "title: Second Report\nbase_url: https://example.org/\n"
        second["content/chapter-1/01-russia.md"]! += "\nA second paragraph only the second site has.\n"
        let a = try TestSite(MinimalSite.files), b = try TestSite(second)
        defer { a.remove(); b.remove() }
        let output = a.root + "-shared-output"
        defer { try? FileManager.default.removeItem(atPath: output) }

        // What each site looks like built alone.
        guard case .success = await a.build(output: output) else { Issue.record("site A did not build"); return }
        let onlyA = try a.snapshotOutput(output)
        guard case .success = await b.build(output: output) else { Issue.record("site B did not build"); return }
        let onlyB = try b.snapshotOutput(output)
        #expect(onlyA != onlyB)

        var outcomes: [String: Int] = [:]
        for _ in 0..<12 {
            async let first = a.build(output: output)
            async let second = b.build(output: output)
            for result in await [first, second] {
                switch result {
                case .success: outcomes["built", default: 0] += 1
                case .failure(let failure):
                    outcomes["locked out", default: 0] += 1
                    #expect(failure.diagnostics.map(\.message) == ["another build is writing to '\(output)' right now"],
                            "a build failed for another reason: \(failure)")
                }
            }
            let now = try a.snapshotOutput(output)
            #expect(now == onlyA || now == onlyB, "the output mixes the two sites")
            let parent = (output as NSString).deletingLastPathComponent
            let staging = try FileManager.default.contentsOfDirectory(atPath: parent)
                .filter { $0.hasPrefix("." + (output as NSString).lastPathComponent + ".staging-") }
            #expect(staging.isEmpty, "a staging folder was left behind: \(staging)")
        }
        #expect(outcomes["built", default: 0] >= 12, "\(outcomes)")
    }

    /// `static/` is copied into the output as it is, so it must follow the same rules as `content/`.
    @Test("two spellings of one output folder share one lock")
    func lockFollowsTheResolvedPath() async throws {
        let site = try TestSite(MinimalSite.files)
        defer { site.remove() }
        guard case .success = await site.build() else { Issue.record("the site did not build"); return }
        try FileManager.default.createSymbolicLink(atPath: site.root + "/alias", withDestinationPath: "public")
        let holder = try OutputWriter(output: site.root + "/public", siteRoot: site.root,
                                      protecting: ["content", "templates", "static"].map { site.root + "/" + $0 })
        defer { holder.discard() }
        let before = try site.snapshotOutput()
        guard case .failure(let failure) = await site.build(output: site.root + "/alias") else {
            Issue.record("a build through a link to a locked folder went ahead")
            return
        }
        #expect(failure.diagnostics.map(\.message) == ["another build is writing to '\(site.root)/alias' right now"])
        #expect(try site.snapshotOutput() == before)
    }

    @Test("the output is the same byte for byte whatever folder the build was started from")
    func outputIndependentOfWorkingFolder() throws {
        let binary = TestSite.packageRoot + "/.build/debug/chancery"
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the CLI first (swift build)")
        let parent = NSTemporaryDirectory() + "chancery-cwd-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: parent) }
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: TestSite.fixturesFolder + "/valid/small-report", toPath: parent + "/site")
        func build(from folder: String, site: String, output: String) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["build", "--quiet", "--site", site, "--output", output]
            process.currentDirectoryURL = URL(fileURLWithPath: folder)
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
        try build(from: parent + "/site", site: ".", output: parent + "/one")
        try build(from: parent, site: "./site", output: "two")
        try build(from: "/", site: parent + "/site", output: parent + "/three")
        let one = try TestSite.snapshot(path: parent + "/one")
        let two = try TestSite.snapshot(path: parent + "/two"), three = try TestSite.snapshot(path: parent + "/three")
        #expect(one == two)
        #expect(one == three)
        guard case .folder(let files) = one else { Issue.record("no output"); return }
        for (name, bytes) in files where name.hasPrefix("api/") {
            #expect(!String(decoding: bytes, as: UTF8.self).contains(parent), "\(name) publishes the build machine's path")
        }
    }

    @Test("a link in static/ to a file outside the site is not published")
    func staticLinkOutsideSite() async throws {
        let site = try TestSite(MinimalSite.files)
        defer { site.remove() }
        try FileManager.default.createDirectory(atPath: site.root + "/static", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: site.root + "/static/passwd.txt", withDestinationPath: "/etc/passwd")
        let result = await site.build()
        #expect(!FileManager.default.fileExists(atPath: site.output + "/passwd.txt"), "/etc/passwd was published")
        guard case .failure(let failure) = result else {
            Issue.record("the build succeeded")
            return
        }
        #expect(failure.diagnostics.map(\.description) == ["static/passwd.txt: error: symbolic link points outside the site folder, to /etc/passwd"])
    }

    @Test("FolderReader reads a folder by the content rules: inside the site, ordinary files only")
    func folderReader() throws {
        let site = try TestSite(["static/css/site.css": "body {}\n", "static/a.txt": "a\n", "static/.hidden": "x\n", "elsewhere/b.txt": "b\n"])
        defer { site.remove() }
        let fs = FileManager.default
        let folder = site.root + "/static"
        try fs.createSymbolicLink(atPath: folder + "/inside.txt", withDestinationPath: "../elsewhere/b.txt")
        try fs.createSymbolicLink(atPath: folder + "/passwd.txt", withDestinationPath: "/etc/passwd")
        try fs.createSymbolicLink(atPath: folder + "/gone.txt", withDestinationPath: "nowhere.txt")
        try fs.createSymbolicLink(atPath: folder + "/css/up", withDestinationPath: "..")
        #expect(mkfifo(folder + "/pipe.txt", 0o644) == 0)
        let (files, diagnostics) = FolderReader.files(in: folder, siteRoot: site.root, display: "static/")
        #expect(files.map(\.relative) == ["a.txt", "css/site.css", "inside.txt"])
        #expect(files.first { $0.relative == "inside.txt" }?.bytes == Array("b\n".utf8))
        #expect(diagnostics.map(\.description).sorted() == [
            "static/css/up: error: symbolic link loop: it points to a folder that contains the link",
            "static/gone.txt: error: symbolic link points to nothing: 'nowhere.txt' does not exist",
            "static/passwd.txt: error: symbolic link points outside the site folder, to /etc/passwd",
            "static/pipe.txt: error: not a regular file but a named pipe (FIFO); it cannot be copied",
        ])
        #expect(FolderReader.files(in: site.root + "/templates", siteRoot: site.root, display: "templates/").files.isEmpty)
    }
}
