import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The build cache's folder, `.chancery-cache/` in the site folder: where `chancery build` keeps its memo.
///
/// A build leaves `build.busy` while it replaces the output or pages in it, and removes it once the
/// memo (a cold build, which removes the old memo first) or `build.delta` (a warm one) records what it
/// wrote. So a build interrupted in between leaves the busy file, and the next build notices and builds
/// without the cache. Files are written beside their place and renamed into it, and each ends
/// with a hash of itself: one cut short or damaged is refused whole.
struct BuildCacheFolder {
    static let name = ".chancery-cache"
    static let memoName = "build.memo"
    static let deltaName = "build.delta"
    static let busyName = "build.busy"
    static let shellsName = "shells.memo"
    static let stampName = "walk.stamp"

    let path: String

    init(siteRoot: String) {
        path = siteRoot + "/" + BuildCacheFolder.name
    }

    enum Lookup {
        case none
        /// A memo that cannot be used, and why, for a warning.
        case unusable(String)
        case memo(BuildMemo)
    }

    /// The memo of the last build, if there is one that can be read.
    func read() -> Lookup {
        var info = stat()
        guard stat(path, &info) == 0 else { return .none }
        guard access(path + "/" + BuildCacheFolder.busyName, F_OK) != 0 else {
            return .unusable("the last build was interrupted while it wrote the output")
        }
        guard let data = BuildCacheFolder.contents(path + "/" + BuildCacheFolder.memoName) else { return .none }
        do {
            var memo = try BuildMemo(decoding: data)
            if let delta = BuildCacheFolder.contents(path + "/" + BuildCacheFolder.deltaName) { try memo.apply(delta: delta) }
            return .memo(memo)
        } catch {
            return .unusable("the build cache's memo is damaged or cut short")
        }
    }

    /// A time of the file system's clock, read off a file touched now; the inputs walked after it that are
    /// no older are not trusted next time (see `InputManifest`). Nil when the folder cannot be written.
    func stamp() -> Int? {
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else { return nil }
        let fd = open(path + "/" + BuildCacheFolder.stampName, O_CREAT | O_WRONLY | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard futimens(fd, nil) == 0, fstat(fd, &info) == 0 else { return nil }
        return Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec)
    }

    /// Removes the memo and the busy mark: the next build is cold, without a warning.
    func forget() {
        unlink(path + "/" + BuildCacheFolder.memoName)
        unlink(path + "/" + BuildCacheFolder.deltaName)
        unlink(path + "/" + BuildCacheFolder.busyName)
    }

    /// Marks the memo as not matching the output while a build replaces it or pages in it; a cold build
    /// (`dropMemo`) also removes the memo. False when the mark cannot be made.
    @discardableResult
    func markBusy(dropMemo: Bool) -> Bool {
        guard mkdir(path, 0o755) == 0 || errno == EEXIST, OutputWriter.createFile(path + "/" + BuildCacheFolder.busyName, []) == nil else { return false }
        if dropMemo {
            unlink(path + "/" + BuildCacheFolder.memoName)
            unlink(path + "/" + BuildCacheFolder.deltaName)
        }
        return true
    }

    /// Writes the memo of a cold build that replaced the output (nil: one that cannot be cached), then lifts the busy mark.
    func finishCold(_ memo: (memo: BuildMemo, shells: [UInt8])?) {
        if let memo, !(replace(BuildCacheFolder.shellsName, with: memo.shells) && replace(BuildCacheFolder.memoName, with: memo.memo.encoded())) {
            forget()
            return
        }
        unlink(path + "/" + BuildCacheFolder.busyName)
    }

    /// Records what a warm build changed, then lifts the busy mark; when that fails, the memo is removed instead.
    func finishWarm(_ memo: BuildMemo) {
        if replace(BuildCacheFolder.deltaName, with: memo.encodedDelta()) && unlink(path + "/" + BuildCacheFolder.busyName) == 0 { return }
        forget()
    }

    /// A whole file's bytes, read straight into an array; nil when it is missing or cannot be read.
    private static func contents(_ file: String) -> [UInt8]? {
        let fd = open(file, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return read(fd, Int(info.st_size), at: 0)
    }

    /// `count` bytes from `offset` of an open file; nil when it ends sooner or cannot be read.
    private static func read(_ fd: Int32, _ count: Int, at offset: Int) -> [UInt8]? {
        var failed = false
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            while initialized < count {
                let result = pread(fd, buffer.baseAddress! + initialized, count - initialized, off_t(offset + initialized))
                if result < 0 && errno == EINTR { continue }
                guard result > 0 else {
                    failed = true
                    return
                }
                initialized += result
            }
        }
        return failed ? nil : bytes
    }

    /// The bytes at `range` of the shells file; nil when it is shorter or cannot be read.
    func readShell(_ range: Range<Int>) -> [UInt8]? {
        let fd = open(path + "/" + BuildCacheFolder.shellsName, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return BuildCacheFolder.read(fd, range.count, at: range.lowerBound)
    }

    private func replace(_ name: String, with bytes: [UInt8]) -> Bool {
        let temporary = path + "/" + name + ".tmp-\(getpid())"
        guard mkdir(path, 0o755) == 0 || errno == EEXIST, OutputWriter.createFile(temporary, bytes) == nil,
              rename(temporary, path + "/" + name) == 0 else {
            unlink(temporary)
            return false
        }
        return true
    }

    /// Deletes the files the cache wrote, then the folder if nothing else is in it; what it removed, relative to the site.
    func clean() -> [String] {
        var removed: [String] = []
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        let names = [BuildCacheFolder.memoName, BuildCacheFolder.deltaName, BuildCacheFolder.busyName, BuildCacheFolder.shellsName,
                     BuildCacheFolder.stampName]
        for entry in entries.sorted() where names.contains(entry) || names.contains(where: { entry.hasPrefix($0 + ".tmp-") }) {
            if unlink(path + "/" + entry) == 0 { removed.append(BuildCacheFolder.name + "/" + entry) }
        }
        if rmdir(path) == 0 { removed.append(BuildCacheFolder.name + "/") }
        return removed
    }
}
