import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Walks a site folder and reads `site.yaml` and every file under `content/`, in sorted order.
///
/// Files are classified by where they sit (see the README's content layout). Nothing is
/// skipped silently: a file that cannot be read or that sits where no content belongs is a
/// diagnostic. Dot-files (editor temporaries) are ignored.
public struct ContentLoader: Sendable {
    public struct Output: Sendable {
        public var files: [SourceFile]
        public var diagnostics: [Diagnostic]
    }

    /// The site folder.
    public var root: String
    /// The prefix for paths in diagnostics (`""` when the site is the current folder).
    public var displayPrefix: String

    public init(root: String, displayPrefix: String) {
        self.root = root
        self.displayPrefix = displayPrefix
    }

    /// Walks the tree (sequentially, in sorted order), then reads the files found on every core.
    public func load() async -> Output {
        var found: [(relative: String, role: SourceFile.Role)] = []
        var diagnostics: [Diagnostic] = []
        let fs = FileManager.default
        let configPath = root + "/site.yaml"
        if fs.fileExists(atPath: configPath) {
            found.append(("site.yaml", .config))
        } else {
            diagnostics.append(.error(SourceLocation(path: displayPrefix + "site.yaml"),
                                      "no site.yaml: this folder is not a Chancery site (create one with 'chancery new site DIR')"))
        }
        var isDirectory: ObjCBool = false
        guard fs.fileExists(atPath: root + "/content", isDirectory: &isDirectory), isDirectory.boolValue else {
            diagnostics.append(.error(SourceLocation(path: displayPrefix + "content"), "no content/ folder"))
            return Output(files: [], diagnostics: diagnostics)
        }
        guard let realRoot = ContentLoader.realPath(root) else {
            diagnostics.append(.error(SourceLocation(path: displayPrefix + "content"), "cannot read the site folder: \(String(cString: strerror(errno)))"))
            return Output(files: [], diagnostics: diagnostics)
        }
        if let problem = ContentLoader.linkProblem(root + "/site.yaml", realRoot: realRoot) {
            diagnostics.append(.error(SourceLocation(path: displayPrefix + "site.yaml"), problem))
            found.removeAll { $0.role == .config }
        }
        var walker = Walk(realRoot: realRoot)
        walk("content", walker: &walker, found: &found, diagnostics: &diagnostics)
        // Links to folders are followed after every real folder was walked, so a link to a folder
        // that is already part of the site is the one reported, never the folder itself.
        while !walker.pendingLinks.isEmpty {
            let link = walker.pendingLinks.removeFirst()
            walk(link.relative, walker: &walker, found: &found, diagnostics: &diagnostics, viaLink: link.target)
        }
        let root = self.root, prefix = displayPrefix
        let results = await Parallel.map(found) { item in ContentLoader.read(root: root, prefix: prefix, item.relative, role: item.role) }
        var files: [SourceFile] = []
        files.reserveCapacity(results.count)
        for result in results {
            switch result {
            case .success(let file): files.append(file)
            case .failure(let diagnostic): diagnostics.append(diagnostic)
            }
        }
        return Output(files: files, diagnostics: diagnostics)
    }

    /// The largest content file (or `site.yaml`) the loader reads: 10 MB, hundreds of times a long section.
    ///
    /// A bigger file is almost certainly a mistake (a PDF renamed `.md`, a generated dump), and
    /// rendering one would take seconds and hundreds of megabytes for a single page.
    public static let maximumFileSize = 10 * 1024 * 1024

    /// State of one walk: the real path of the site folder, the folders seen (real path → path in the site), links still to follow.
    private struct Walk {
        var realRoot: String
        var visited: [String: String] = [:]
        var pendingLinks: [(relative: String, target: String)] = []
    }

    private func walk(_ relative: String, walker: inout Walk, found: inout [(relative: String, role: SourceFile.Role)],
                      diagnostics: inout [Diagnostic], viaLink target: String? = nil) {
        let full = root + "/" + relative
        guard let real = target ?? ContentLoader.realPath(full) else {
            diagnostics.append(.error(SourceLocation(path: displayPrefix + relative), "cannot read folder: \(String(cString: strerror(errno)))"))
            return
        }
        if let other = walker.visited[real] {
            let message = target == nil
                ? "this folder is also part of the site as \(displayPrefix + other); remove the symbolic link that leads here twice"
                : "symbolic link to \(displayPrefix + other), which is already part of the site; remove the link"
            diagnostics.append(.error(SourceLocation(path: displayPrefix + relative), message))
            return
        }
        walker.visited[real] = relative
        guard let entries = ContentLoader.entries(of: full) else {
            diagnostics.append(.error(SourceLocation(path: displayPrefix + relative), "cannot read folder: \(String(cString: strerror(errno)))"))
            return
        }
        for (name, type) in entries where !name.hasPrefix(".") {
            let childRelative = relative + "/" + name
            let childFull = root + "/" + childRelative
            let location = SourceLocation(path: displayPrefix + childRelative)
            var isDirectory = type == DT_DIR
            if type == DT_LNK || type == DT_UNKNOWN {
                // Only links (and file systems that do not report types) cost extra system calls.
                var linkTarget: String?
                if type == DT_LNK {
                    if let problem = ContentLoader.linkProblem(childFull, realRoot: walker.realRoot) {
                        diagnostics.append(.error(location, problem))
                        continue
                    }
                    linkTarget = ContentLoader.realPath(childFull)
                }
                var info = stat()
                guard stat(childFull, &info) == 0 else {
                    diagnostics.append(.error(location, "cannot read: \(String(cString: strerror(errno)))"))
                    continue
                }
                let format = info.st_mode & S_IFMT
                if let linkTarget, format == S_IFDIR {
                    if linkTarget == real || real.hasPrefix(linkTarget + "/") || linkTarget == walker.realRoot {
                        diagnostics.append(.error(location, "symbolic link loop: it points to a folder that contains the link"))
                    } else {
                        walker.pendingLinks.append((childRelative, linkTarget))
                    }
                    continue
                }
                isDirectory = format == S_IFDIR
                if !isDirectory && format != S_IFREG {
                    diagnostics.append(.error(location, "not a regular file but \(ContentLoader.describe(mode: format)); content files must be ordinary files"))
                    continue
                }
            } else if type != DT_DIR && type != DT_REG {
                diagnostics.append(.error(location, "not a regular file but \(ContentLoader.describe(type: type)); content files must be ordinary files"))
                continue
            }
            if isDirectory {
                walk(childRelative, walker: &walker, found: &found, diagnostics: &diagnostics)
                continue
            }
            guard let role = role(of: childRelative, location: location, diagnostics: &diagnostics) else { continue }
            found.append((childRelative, role))
        }
    }

    /// The path with every symbolic link resolved (`realpath`), or nil (with `errno` set) when it leads nowhere.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Why a symbolic link may not be followed (it leads nowhere, loops, or leaves the site folder); nil if it is fine or no link.
    static func linkProblem(_ path: String, realRoot: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return nil }
        guard let target = realPath(path) else {
            if errno == ELOOP { return "symbolic link loop: the link leads back to itself" }
            var buffer = [CChar](repeating: 0, count: 4096)
            let count = readlink(path, &buffer, buffer.count - 1)
            let written = count > 0 ? String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) : "its target"
            return "symbolic link points to nothing: '\(written)' does not exist"
        }
        guard target == realRoot || target.hasPrefix(realRoot + "/") else {
            return "symbolic link points outside the site folder, to \(target)"
        }
        return nil
    }

    static func describe(type: Int32) -> String {
        switch type {
        case Int32(DT_FIFO): "a named pipe (FIFO)"
        case Int32(DT_SOCK): "a socket"
        case Int32(DT_CHR): "a character device"
        case Int32(DT_BLK): "a block device"
        default: "a special file"
        }
    }

    static func describe(mode: mode_t) -> String {
        switch mode {
        case S_IFIFO: "a named pipe (FIFO)"
        case S_IFSOCK: "a socket"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        default: "a special file"
        }
    }

    /// A folder's entries with their `d_type`, sorted by name; nil when the folder cannot be read.
    private static func entries(of path: String) -> [(name: String, type: Int32)]? {
        guard let directory = opendir(path) else { return nil }
        defer { closedir(directory) }
        var entries: [(name: String, type: Int32)] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name == "." || name == ".." { continue }
            entries.append((name, Int32(entry.pointee.d_type)))
        }
        return entries.sorted { $0.name < $1.name }
    }

    /// Where a file under `content/` belongs, from its place in the tree.
    private func role(of relative: String, location: SourceLocation, diagnostics: inout [Diagnostic]) -> SourceFile.Role? {
        let parts = relative.split(separator: "/").map(String.init)
        let name = parts.last!
        guard name.hasSuffix(".md") else {
            diagnostics.append(.warning(location, "not a Markdown file; ignored (put images and other files in static/)"))
            return nil
        }
        if parts.count == 2 {
            if name == "_index.md" { return .home }
            diagnostics.append(.error(location, "a section belongs in a chapter folder, e.g. content/chapter-1/\(name)"))
            return nil
        }
        if let kind = EntityKind(plural: parts[1]) {
            if name == "_index.md" {
                diagnostics.append(.error(location, "entity folders have no _index.md; their index page is generated",
                                          notes: ["content/\(parts[1])/ holds \(kind.rawValue) records; a chapter folder needs another name"]))
                return nil
            }
            return .entity(kind)
        }
        guard parts.count == 3 else {
            diagnostics.append(.error(location, "too deeply nested: sections sit directly in a chapter folder (content/<chapter>/<NN>-<slug>.md)"))
            return nil
        }
        return name == "_index.md" ? .chapter(slug: parts[1]) : .section(chapter: parts[1])
    }

    /// Reads one file whole with POSIX calls (cheaper than `FileHandle` for thousands of small files).
    ///
    /// The file is opened non-blocking, so a named pipe that took a file's place cannot stall the
    /// build, and anything but a regular file of at most `maximumFileSize` bytes is refused.
    /// Reads one file of the site by the loader's rules (size limit, no pipes or devices).
    static func read(root: String, prefix: String, _ relative: String, role: SourceFile.Role) -> Result<SourceFile, Diagnostic> {
        let location = SourceLocation(path: prefix + relative)
        let fd = open(root + "/" + relative, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            return .failure(.error(location, "cannot read file: \(String(cString: strerror(errno)))"))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            return .failure(.error(location, "cannot read file: \(String(cString: strerror(errno)))"))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            return .failure(.error(location, "not a regular file but \(describe(mode: info.st_mode & S_IFMT)); content files must be ordinary files"))
        }
        guard info.st_size <= maximumFileSize else {
            return .failure(tooLarge(location, size: Int(info.st_size)))
        }
        // One byte more than the size: a read that fills it shows the file grew, and the usual end of
        // file is found without growing the buffer. The memory is not zeroed first: read() fills it.
        var readError: Int32?
        var bytes = [UInt8](unsafeUninitializedCapacity: Int(info.st_size) + 1) { buffer, initialized in
            while initialized < buffer.count {
                let result = Glibc.read(fd, buffer.baseAddress! + initialized, buffer.count - initialized)
                if result < 0 {
                    if errno == EINTR { continue }
                    readError = errno
                    return
                }
                if result == 0 { return }
                initialized += result
            }
        }
        if let readError { return .failure(.error(location, "cannot read file: \(String(cString: strerror(readError)))")) }
        var count = bytes.count
        // The file grew since fstat: read on, a page at a time.
        while count > Int(info.st_size) {
            if count == bytes.count {
                // The file grew since fstat; stop at the limit rather than reading without end.
                guard count <= maximumFileSize else { return .failure(tooLarge(location, size: count)) }
                bytes.append(contentsOf: repeatElement(0, count: 4096))
            }
            let result = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + count, $0.count - count) }
            if result < 0 {
                if errno == EINTR { continue }
                return .failure(.error(location, "cannot read file: \(String(cString: strerror(errno)))"))
            }
            if result == 0 { break }
            count += result
        }
        guard count <= maximumFileSize else { return .failure(tooLarge(location, size: count)) }
        bytes.removeLast(bytes.count - count)
        return .success(SourceFile(role: role, path: prefix + relative, relativePath: relative, bytes: bytes))
    }

    static func tooLarge(_ location: SourceLocation, size: Int) -> Diagnostic {
        let megabytes = Double(size) / 1_048_576
        let shown = (megabytes * 10).rounded(.down) / 10
        return .error(location, "file too large: \(shown) MB, over the limit of \(maximumFileSize / 1_048_576) MB for one content file",
                      notes: ["split the text into several sections; put images, PDFs and other large files in static/"])
    }
}
