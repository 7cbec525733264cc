#if canImport(Glibc)
import Glibc
#endif

/// What the inputs of a site looked like on disk: every file and folder under `content/`, `templates/`
/// and `static/`, and `site.yaml`, with the metadata that changes when they do.
///
/// Two walks with the same paths had nothing added, removed or renamed; a file with the same size,
/// times and inode was not written to. A file modified no earlier than the walk began (`stamp`) may have changed again within the same
/// tick of the file system's clock without its time moving; it is `racy`, and counts as changed.
struct InputManifest: Equatable {
    struct Entry: Equatable {
        var path: String
        var isFolder: Bool
        var size: Int
        var modified: Int
        var changed: Int
        var inode: UInt64
        /// Modified no earlier than the walk began: not to be trusted next time.
        var racy = false
    }

    /// Sorted by path.
    var entries: [Entry]

    static let roots = ["site.yaml", "content", "templates", "static"]

    /// Walks the site's inputs, or nil when something there (a symbolic link, an unreadable folder) keeps
    /// the walk from seeing every change; `stamp` is a time of the file system's clock taken just before.
    static func walk(siteRoot: String, stamp: Int) -> InputManifest? {
        var entries: [Entry] = []
        var pending: [String] = []
        for root in roots {
            var info = stat()
            guard lstat(siteRoot + "/" + root, &info) == 0 else {
                if errno == ENOENT { continue }
                return nil
            }
            guard let entry = entry(root, info, stamp: stamp) else { return nil }
            entries.append(entry)
            if entry.isFolder { pending.append(root) }
        }
        while let folder = pending.popLast() {
            guard let directory = opendir(siteRoot + "/" + folder) else { return nil }
            defer { closedir(directory) }
            let fd = dirfd(directory)
            while let item = readdir(directory) {
                let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
                    String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                if name == "." || name == ".." { continue }
                var info = stat()
                guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
                let path = folder + "/" + name
                guard let entry = entry(path, info, stamp: stamp) else { return nil }
                entries.append(entry)
                if entry.isFolder { pending.append(path) }
            }
        }
        entries.sort { $0.path < $1.path }
        return InputManifest(entries: entries)
    }

    private static func entry(_ path: String, _ info: stat, stamp: Int) -> Entry? {
        let type = info.st_mode & S_IFMT
        guard type == S_IFREG || type == S_IFDIR else { return nil }
        let modified = Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec)
        let changed = Int(info.st_ctim.tv_sec) * 1_000_000_000 + Int(info.st_ctim.tv_nsec)
        return Entry(path: path, isFolder: type == S_IFDIR, size: type == S_IFDIR ? 0 : Int(info.st_size), modified: modified,
                     changed: changed, inode: UInt64(info.st_ino), racy: max(modified, changed) >= stamp)
    }

    /// The paths of files that may differ between `self` (the earlier walk) and `now`, or nil when an
    /// entry was added, removed or renamed, or a file became a folder or the other way round.
    func editedFiles(comparedWith now: InputManifest) -> [String]? {
        guard entries.count == now.entries.count else { return nil }
        var edited: [String] = []
        for (before, after) in zip(entries, now.entries) {
            guard before.path == after.path, before.isFolder == after.isFolder else { return nil }
            let same = !before.racy && before.size == after.size && before.modified == after.modified
                && before.changed == after.changed && before.inode == after.inode
            if !same && !before.isFolder { edited.append(after.path) }
        }
        return edited
    }
}
