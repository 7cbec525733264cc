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
