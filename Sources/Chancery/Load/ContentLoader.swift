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
        let realRoot = (root as NSString).resolvingSymlinksInPath
        var visited: Set<String> = []
        walk("content", realRoot: realRoot, visited: &visited, found: &found, diagnostics: &diagnostics)
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

    private func walk(_ relative: String, realRoot: String, visited: inout Set<String>,
                      found: inout [(relative: String, role: SourceFile.Role)], diagnostics: inout [Diagnostic]) {
        let full = root + "/" + relative
        let real = (full as NSString).resolvingSymlinksInPath
        guard visited.insert(real).inserted else {
            diagnostics.append(.error(SourceLocation(path: displayPrefix + relative), "symbolic link loop: this folder is already part of the site"))
            return
        }
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
                if type == DT_LNK {
                    let target = (childFull as NSString).resolvingSymlinksInPath
                    guard target == realRoot || target.hasPrefix(realRoot + "/") else {
                        diagnostics.append(.error(location, "symbolic link points outside the site folder, to \(target)"))
                        continue
                    }
                }
                var info = stat()
                guard stat(childFull, &info) == 0 else {
                    diagnostics.append(.error(location, "symbolic link points to nothing (or loops)"))
                    continue
                }
                isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
            }
            if isDirectory {
                walk(childRelative, realRoot: realRoot, visited: &visited, found: &found, diagnostics: &diagnostics)
                continue
            }
            guard let role = role(of: childRelative, location: location, diagnostics: &diagnostics) else { continue }
            found.append((childRelative, role))
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
                diagnostics.append(.error(location, "entity folders have no _index.md; their index page is generated"))
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
    private static func read(root: String, prefix: String, _ relative: String, role: SourceFile.Role) -> Result<SourceFile, Diagnostic> {
        let location = SourceLocation(path: prefix + relative)
        let fd = open(root + "/" + relative, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            return .failure(.error(location, "cannot read file: \(String(cString: strerror(errno)))"))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            return .failure(.error(location, "cannot read file: not a regular file"))
        }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var count = 0
        while true {
            if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: 4096)) }
            let result = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + count, $0.count - count) }
            if result < 0 {
                if errno == EINTR { continue }
                return .failure(.error(location, "cannot read file: \(String(cString: strerror(errno)))"))
            }
            if result == 0 { break }
            count += result
        }
        bytes.removeLast(bytes.count - count)
        return .success(SourceFile(role: role, path: prefix + relative, relativePath: relative, bytes: bytes))
    }
}
