import Foundation
@testable import Chancery

/// A throwaway site folder for one test, written from a dictionary of files or copied from a fixture.
struct TestSite {
    let root: String

    /// A fresh temporary folder holding `files` (relative path → text).
    init(_ files: [String: String]) throws {
        root = NSTemporaryDirectory() + "chancery-test-" + UUID().uuidString
        for (path, text) in files {
            try TestSite.write(text, to: root + "/" + path)
        }
    }

    /// A copy of `Tests/ChanceryTests/Fixtures/<name>` in a temporary folder.
    init(fixture name: String) throws {
        root = NSTemporaryDirectory() + "chancery-test-" + UUID().uuidString
        try FileManager.default.copyItem(atPath: TestSite.fixturesFolder + "/" + name, toPath: root)
    }

    static var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
    }

    static var fixturesFolder: String { packageRoot + "/Tests/ChanceryTests/Fixtures" }

    static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    func write(_ text: String, to relative: String) throws {
        try TestSite.write(text, to: root + "/" + relative)
    }

    func read(_ relative: String) throws -> String {
        try String(contentsOfFile: root + "/" + relative, encoding: .utf8)
    }

    var output: String { root + "/public" }

    func options(baseURL: String? = nil, output: String? = nil, force: Bool = false) -> BuildOptions {
        BuildOptions(siteRoot: root, displayPrefix: "", output: output, baseURL: baseURL, replaceForeignOutput: force)
    }

    /// Builds the site; returns the report or the failure.
    func build(baseURL: String? = nil, output: String? = nil, force: Bool = false) async -> Result<BuildReport, BuildFailure> {
        do {
            return .success(try await SiteBuilder(options: options(baseURL: baseURL, output: output, force: force)).build())
        } catch {
            return .failure(error)
        }
    }

    /// The diagnostics of a build as printed (`path:line:col: error: message`), successful or not.
    func diagnostics() async -> [String] {
        switch await build() {
        case .success(let report): return report.diagnostics.map(\.description)
        case .failure(let failure): return failure.diagnostics.map(\.description)
        }
    }

    /// Every file under the output folder with its bytes, for comparing whole builds.
    func snapshotOutput(_ folder: String? = nil) throws -> [String: Data] {
        let base = folder ?? output
        var files: [String: Data] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: base) else { return files }
        while let relative = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: base + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[relative] = FileManager.default.contents(atPath: base + "/" + relative)
            }
        }
        return files
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// What is at a path: nothing, a file's bytes, or a folder's files with their bytes.
    enum PathSnapshot: Equatable {
        case missing
        case file(Data)
        case folder([String: Data])
    }

    static func snapshot(path: String) throws -> PathSnapshot {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .missing }
        guard isDirectory.boolValue else { return .file(try Data(contentsOf: URL(fileURLWithPath: path))) }
        var files: [String: Data] = [:]
        for relative in try FileManager.default.subpathsOfDirectory(atPath: path) {
            var inner: ObjCBool = false
            if FileManager.default.fileExists(atPath: path + "/" + relative, isDirectory: &inner), !inner.boolValue {
                files[relative] = FileManager.default.contents(atPath: path + "/" + relative) ?? Data()
            }
        }
        return .folder(files)
    }

    /// Makes a folder refuse new entries, even to root, and returns what undoes it.
    ///
    /// A non-root user gets mode 0555; root, whom modes do not stop, gets the immutable attribute
    /// (`chattr +i`). Throws `InvalidSiteTests.Unavailable` when neither works here.
    static func makeReadOnly(_ folder: String) throws -> @Sendable () -> Void {
        if getuid() != 0 {
            guard chmod(folder, 0o555) == 0 else {
                throw InvalidSiteTests.Unavailable(description: "cannot make \(folder) read-only: \(String(cString: strerror(errno)))")
            }
            return { _ = chmod(folder, 0o755) }
        }
        @Sendable func chattr(_ flag: String) -> Bool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
            process.arguments = [flag, folder]
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { return false }
            process.waitUntilExit()
            return process.terminationStatus == 0
        }
        guard chattr("+i") else {
            throw InvalidSiteTests.Unavailable(description: "running as root, and 'chattr +i' (the only way to make a folder read-only for root) is not available on this file system; skipped")
        }
        // Check that it took: root must now be unable to create an entry.
        let probe = folder + "/.probe-" + UUID().uuidString
        if mkdir(probe, 0o755) == 0 {
            rmdir(probe)
            _ = chattr("-i")
            throw InvalidSiteTests.Unavailable(description: "'chattr +i' did not stop root from writing into \(folder); skipped")
        }
        return { _ = chattr("-i") }
    }
}

/// A minimal valid site: one chapter, one section, one record of each related kind.
enum MinimalSite {
    static let files: [String: String] = [
        // Tests of one defect at a time; the rule that pages cite sources has tests of its own.
        "site.yaml": "title: Test Report\nbase_url: https://example.org/\ncheck:\n  missing-sources: off\n",
        "content/_index.md": "---\ntitle: Test Report\n---\nHome intro.\n",
        "content/chapter-1/_index.md": "---\nnumber: 1\ntitle: Regions\n---\nChapter intro.\n",
        "content/chapter-1/01-russia.md": """
        ---
        title: Russia
        number: 1
        date: 2013-04-05
        countries: [russia]
        officials: [nikolai-patrushev]
        agreements: [security-memorandum]
        ---
        Mr. Patrushev of Russia signed the security memorandum.

        """,
        "content/countries/russia.md": "---\nname: Russia\niso: RU\nregion: Europe\naliases: [Russian Federation]\n---\n",
        "content/officials/nikolai-patrushev.md": """
        ---
        name: Nikolai Patrushev
        country: russia
        aliases: [Mr. Patrushev]
        positions:
          - title: Secretary of the Security Council
            from: 2008-05-12
        ---

        """,
        "content/agreements/security-memorandum.md": """
        ---
        title: Security memorandum
        short_title: security memorandum
        kind: memorandum
        signed: 2012-10-23
        parties: [russia]
        signatories: [nikolai-patrushev]
        binding: false
        ---

        """,
    ]
}
