import CPlatform
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a build into a staging folder beside the output folder and swaps it in only when the whole build succeeded.
///
/// The staging folder sits in the output's parent, so the swap is a rename on one file system;
/// on Linux `renameat2(RENAME_EXCHANGE)` swaps the two folders atomically, so readers of the
/// output never see a half-written site. A lock file beside the output keeps two builds from
/// writing into one output at once. Nothing outside the output folder and its own staging
/// folder is ever deleted.
public final class OutputWriter: Sendable {
    public let output: String
    public let staging: String
    private let lock: OutputLock

    /// The file every build writes at the top of its output, holding the output format's version.
    ///
    /// Its presence is what lets a later build replace the folder: a folder without it was not
    /// written by Chancery, and replacing it could destroy the user's own files.
    public static let markerName = ".chancery-output"
    public static let markerContents = Array("chancery-output 1\n".utf8)

    /// Refuses output folders that would overwrite the site's own sources or files Chancery did not write,
    /// then takes the lock and creates the staging folder.
    ///
    /// The output may be neither the site folder nor one of `sources` (content, templates, static),
    /// nor contain them, nor lie inside one of `sources`, compared after resolving symbolic links.
    /// An existing output must be empty or hold the marker of an earlier build, unless `force` is set.
    /// The lock and the staging folder sit beside the resolved path, so two spellings of one folder share one lock.
    public init(output: String, siteRoot: String, protecting sources: [String], force: Bool = false) throws(BuildFailure) {
        let fs = FileManager.default
        let location = SourceLocation(path: output)
        func fail(_ message: String, notes: [String] = []) -> BuildFailure {
            BuildFailure(stage: .write, diagnostics: [.error(location, message, notes: notes)])
        }
        try OutputWriter.checkOutput(output, siteRoot: siteRoot, protecting: sources)
        let outputPath = OutputWriter.resolved(OutputWriter.absolute(output))
        let parent = (outputPath as NSString).deletingLastPathComponent
        let name = (outputPath as NSString).lastPathComponent
        if let code = OutputWriter.makeFolders(parent) {
            throw fail("cannot create the folder that holds '\(output)': \(OutputWriter.reason(code))")
        }
        let lock = try OutputLock.take(beside: outputPath, output: output)
        if !force, let foreign = OutputWriter.foreignEntries(outputPath), !foreign.names.isEmpty {
            let more = foreign.total > foreign.names.count ? " and \(foreign.total - foreign.names.count) more" : ""
            throw fail("refusing to replace '\(output)': it holds files Chancery did not write (\(foreign.names.joined(separator: ", "))\(more))",
                       notes: ["a folder is replaced only when it is missing, empty, or an earlier Chancery build (it holds \(OutputWriter.markerName))",
                               "choose another output folder, empty this one yourself, or pass --force to replace it and everything in it"])
        }
        self.lock = lock
        self.output = outputPath
        let stagingPrefix = "." + name + ".staging-"
        // Stale staging folders of earlier builds that were killed: ours to remove, we hold the lock.
        for entry in (try? fs.contentsOfDirectory(atPath: parent)) ?? [] where entry.hasPrefix(stagingPrefix) {
            try? fs.removeItem(atPath: parent + "/" + entry)
        }
        self.staging = parent + "/" + stagingPrefix + String(getpid())
        var code: Int32 = 0
        if mkdir(staging, 0o755) != 0 {
            code = errno
        } else if let failed = OutputWriter.createFile(staging + "/" + OutputWriter.markerName, OutputWriter.markerContents) {
            code = failed
            try? fs.removeItem(atPath: staging)
        }
        if code != 0 {
            throw fail("cannot write beside '\(output)', where the build keeps its lock and staging folder: \(OutputWriter.reason(code))")
        }
    }

    /// The first few entries (sorted, folders with a trailing `/`) of an existing folder without the
    /// output marker, and how many there are; nil when the folder is missing or holds the marker.
    static func foreignEntries(_ path: String) -> (names: [String], total: Int)? {
        let fs = FileManager.default
        guard let entries = try? fs.contentsOfDirectory(atPath: path), !entries.contains(markerName) else { return nil }
        let sorted = entries.sorted()
        let shown = sorted.prefix(5).map { entry -> String in
            var isDirectory: ObjCBool = false
            return fs.fileExists(atPath: path + "/" + entry, isDirectory: &isDirectory) && isDirectory.boolValue ? entry + "/" : entry
        }
        return (shown, sorted.count)
    }

    /// Refuses an output folder that is the site folder or one of `sources` (content, templates,
    /// static), contains one of them, lies inside one of `sources`, or is a file.
    public static func checkOutput(_ output: String, siteRoot: String, protecting sources: [String]) throws(BuildFailure) {
        let outputPath = OutputWriter.absolute(output)
        let location = SourceLocation(path: output)
        func fail(_ message: String) -> BuildFailure {
            BuildFailure(stage: .write, diagnostics: [.error(location, message)])
        }
        let resolvedOutput = OutputWriter.resolved(outputPath)
        let resolvedRoot = OutputWriter.resolved(OutputWriter.absolute(siteRoot))
        if resolvedOutput == "/" || resolvedOutput == resolvedRoot || resolvedRoot.hasPrefix(resolvedOutput + "/") {
            throw fail("refusing to write the site into '\(output)': it is the site folder or a folder that contains it, which the build would replace")
        }
        for source in sources {
            let resolvedSource = OutputWriter.resolved(OutputWriter.absolute(source))
            let shown = resolvedSource.hasPrefix(resolvedRoot + "/") ? String(resolvedSource.dropFirst(resolvedRoot.count + 1)) + "/" : source
            if resolvedOutput == resolvedSource || resolvedSource.hasPrefix(resolvedOutput + "/") {
                throw fail("refusing to write the site into '\(output)': it is or contains the site's \(shown) folder, which the build would replace")
            }
            if resolvedOutput.hasPrefix(resolvedSource + "/") {
                throw fail("refusing to write the site into '\(output)': it is inside the site's \(shown) folder")
            }
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: outputPath, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw fail("the output path '\(output)' is a file, not a folder")
        }
    }

    /// Creates the folders above the given files' own folders, once each, before files are written in parallel.
    ///
    /// Each file's own folder (a page's `x/y/` for `x/y/index.html`) is created by `write`, so
    /// the bulk of the `mkdir` calls run on every core too.
    public func prepareFolders(for files: [String]) throws(BuildFailure) {
        var folders: Set<Substring> = []
        for file in files {
            var folder = OutputWriter.parent(OutputWriter.parent(Substring(file)))
            while !folder.isEmpty, folders.insert(folder).inserted {
                folder = OutputWriter.parent(folder)
            }
        }
        for folder in folders.sorted(by: { $0.count < $1.count || ($0.count == $1.count && $0 < $1) }) {
            if mkdir(staging + "/" + folder, 0o755) != 0 && errno != EEXIST {
                throw BuildFailure(stage: .write, diagnostics: [.error(SourceLocation(path: output), "cannot create folder \(folder): \(String(cString: strerror(errno)))")])
            }
        }
    }

    /// The path without its last component (`a/b` → `a`, `a` → empty).
    static func parent(_ path: Substring) -> Substring {
        path.lastIndex(of: "/").map { path[..<$0] } ?? ""
    }

    /// Writes one file into the staging folder; safe to call from several tasks for different files.
    public func write(_ bytes: [UInt8], to relative: String) -> Diagnostic? {
        let path = staging + "/" + relative
        let folder = OutputWriter.parent(Substring(relative))
        if !folder.isEmpty && mkdir(staging + "/" + folder, 0o755) != 0 && errno != EEXIST {
            return .error(SourceLocation(path: output), "cannot create folder \(folder): \(String(cString: strerror(errno)))")
        }
        if let code = OutputWriter.createFile(path, bytes) {
            return .error(SourceLocation(path: output), "cannot write \(relative): \(String(cString: strerror(code)))")
        }
        return nil
    }

    /// Creates (or truncates) the file at `path` and writes all of `bytes`; the `errno` of a failure, else nil.
    static func createFile(_ path: String, _ bytes: [UInt8]) -> Int32? {
        let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, bytes.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                return errno
            }
            written += result
        }
        return nil
    }

    /// Replaces the output folder with the staging folder, then deletes the previous output.
    public func commit() throws(BuildFailure) {
        let fs = FileManager.default
        if fs.fileExists(atPath: output) {
            if OutputWriter.exchange(staging, output) != 0 {
                // No atomic exchange on this file system: move the old output aside, then the new one in.
                let aside = staging + ".old"
                guard rename(output, aside) == 0 else { throw failure("cannot replace the output folder") }
                guard rename(staging, output) == 0 else {
                    _ = rename(aside, output)
                    throw failure("cannot move the new site into place")
                }
                try? fs.removeItem(atPath: aside)
                return
            }
            try? fs.removeItem(atPath: staging)  // now holds the previous output
        } else if rename(staging, output) != 0 {
            throw failure("cannot move the new site into place")
        }
    }

    /// Deletes the staging folder; the output folder stays as it was.
    public func discard() {
        try? FileManager.default.removeItem(atPath: staging)
    }

    private func failure(_ message: String) -> BuildFailure {
        BuildFailure(stage: .write, diagnostics: [.error(SourceLocation(path: output), "\(message): \(OutputWriter.reason(errno))")])
    }

    /// What an `errno` means for a writer: permission problems say so plainly, others as the system words them.
    static func reason(_ code: Int32) -> String {
        switch code {
        case EACCES, EPERM, EROFS: "not allowed to write there (a read-only folder or file system)"
        default: String(cString: strerror(code))
        }
    }

    /// `mkdir -p`: nil when the folder exists afterwards, else the `errno` of the step that failed.
    static func makeFolders(_ path: String) -> Int32? {
        var info = stat()
        if stat(path, &info) == 0 { return (info.st_mode & S_IFMT) == S_IFDIR ? nil : ENOTDIR }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != path, let code = makeFolders(parent) { return code }
        if mkdir(path, 0o755) != 0 && errno != EEXIST { return errno }
        return nil
    }

    private static func exchange(_ a: String, _ b: String) -> Int32 {
        chancery_exchange_paths(a, b)
    }

    static func absolute(_ path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.standardizedFileURL.path
    }

    /// The path with symbolic links resolved as far as it exists.
    static func resolved(_ path: String) -> String {
        var existing = path
        var rest: [String] = []
        while !FileManager.default.fileExists(atPath: existing), existing != "/" {
            rest.insert((existing as NSString).lastPathComponent, at: 0)
            existing = (existing as NSString).deletingLastPathComponent
        }
        // realpath(3), not `resolvingSymlinksInPath`, which mishandles links to relative paths such as `..`.
        let real = ContentLoader.realPath(existing) ?? (existing as NSString).resolvingSymlinksInPath
        return ([real] + rest).joined(separator: "/").replacingAll("//", with: "/")
    }

    /// Removes the lock file beside the output folder `output`, for a caller that deletes the folder itself.
    public static func removeLock(beside output: String) {
        unlink(OutputLock.path(beside: resolved(absolute(output))))
    }

    /// Writes `bytes` beside the file `relative` of the folder `root` and renames it into place, so a reader
    /// never sees half a file: how rebuilds replace single files in an output already in place.
    static func replaceFile(_ root: String, _ relative: String, with bytes: [UInt8]) -> Diagnostic? {
        var folder = ""
        for component in parent(Substring(relative)).split(separator: "/") {
            folder += (folder.isEmpty ? "" : "/") + component
            if mkdir(root + "/" + folder, 0o755) != 0 && errno != EEXIST {
                return .error(SourceLocation(path: root), "cannot create folder \(folder): \(String(cString: strerror(errno)))")
            }
        }
        let target = root + "/" + relative
        let temporary = root + "/" + (folder.isEmpty ? "" : folder + "/") + ".chancery-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).tmp"
        if let code = createFile(temporary, bytes) {
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
