import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Watches a site's sources with inotify and reports each burst of changes once.
///
/// inotify is not recursive, so every folder under `content/`, `templates/` and `static/` gets
/// a watch of its own, including folders created later. The site folder itself is watched for
/// `site.yaml` and for those folders appearing. Names starting with `.` or ending in `~`
/// (editors' temporary files) are ignored. Events are read with `poll` and a timeout, so
/// `stop()` is noticed. A batch is reported as soon as the queued events include one that ends a
/// save (a file closed after writing, moved into place, or deleted), so an edit costs no waiting; a
/// burst of only `IN_MODIFY` and the like (a file still being written) ends after `quiet` without events.
public final class FileWatcher: Sendable {
    public let root: String
    private let quiet: Duration
    private let fd: Int32
    /// Watch descriptor → folder relative to root ("" for the root); shared by the caller's thread and the reading thread.
    private let watches = Mutex<[Int32: String]>([:])
    private let running = Atomic<Bool>(true)

    static let watchedFolders = ["content", "templates", "static"]

    public init(root: String, quiet: Duration = .milliseconds(80)) throws {
        self.root = root
        self.quiet = quiet
        fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard fd >= 0 else { throw WatchError(message: "cannot watch files: \(String(cString: strerror(errno)))") }
        add("", recursive: false)
        for folder in FileWatcher.watchedFolders { add(folder, recursive: true) }
    }

    deinit {
        close(fd)
    }

    public struct WatchError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    private func add(_ relative: String, recursive: Bool) {
        let path = relative.isEmpty ? root : root + "/" + relative
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return }
        let mask = UInt32(IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_ATTRIB)
        let descriptor = inotify_add_watch(fd, path, mask)
        guard descriptor >= 0 else { return }
        watches.withLock { $0[descriptor] = relative }
        guard recursive, let children = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
        for child in children.sorted() where !child.hasPrefix(".") {
            add(relative + "/" + child, recursive: true)
        }
    }

    /// Batches of changed paths (relative to the site folder), one per burst of edits, until `stop()`.
    public func changes() -> AsyncStream<[String]> {
        AsyncStream { continuation in
            let thread = Thread { [self] in
                var pending: Set<String> = []
                var lastEvent = ContinuousClock.now
                while running.load(ordering: .acquiring) {
                    var pollFD = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                    let ready = poll(&pollFD, 1, 25)
                    var settled = false
                    if ready > 0 {
                        let (paths, ended) = readEvents()
                        if !paths.isEmpty {
                            pending.formUnion(paths)
                            lastEvent = .now
                            settled = ended
                        }
                    }
                    if !pending.isEmpty, settled || ContinuousClock.now - lastEvent >= quiet {
                        continuation.yield(pending.sorted())
                        pending.removeAll()
                    }
                }
                continuation.finish()
            }
            thread.name = "chancery-watcher"
            thread.start()
            continuation.onTermination = { [weak self] _ in self?.stop() }
        }
    }

    public func stop() {
        running.store(false, ordering: .releasing)
    }

    /// Events after which a file is whole: written and closed, moved into place, or gone.
    static let saveEnds = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM | IN_DELETE_SELF)

    /// Reads every queued inotify event; watches new folders as they appear. `ended` tells whether
    /// one of the paths saw an event that ends a save.
    private func readEvents() -> (paths: [String], ended: Bool) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var paths: [String] = []
        var ended = false
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            var offset = 0
            while offset + MemoryLayout<inotify_event>.size <= count {
                let (descriptor, mask, nameLength) = buffer.withUnsafeBytes { raw -> (Int32, UInt32, Int) in
                    let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    return (event.wd, event.mask, Int(event.len))
                }
                let nameStart = offset + MemoryLayout<inotify_event>.size
                let nameBytes = buffer[nameStart..<(nameStart + nameLength)].prefix { $0 != 0 }
                let name = String(decoding: nameBytes, as: UTF8.self)
                offset = nameStart + nameLength
                guard let folder = watches.withLock({ $0[descriptor] }) else { continue }
                if mask & UInt32(IN_IGNORED) != 0 {
                    watches.withLock { _ = $0.removeValue(forKey: descriptor) }
                    continue
                }
                guard !name.isEmpty, !name.hasPrefix("."), !name.hasSuffix("~") else { continue }
                let relative = folder.isEmpty ? name : folder + "/" + name
                if folder.isEmpty && name != "site.yaml" && !FileWatcher.watchedFolders.contains(name) { continue }
                if mask & UInt32(IN_ISDIR) != 0 && mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 {
                    add(relative, recursive: true)
                }
                paths.append(relative)
                if mask & FileWatcher.saveEnds != 0 { ended = true }
            }
        }
        return (paths, ended)
    }
}
