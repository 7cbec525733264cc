import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads every file under one folder of the site (`static/`, `templates/`) by the rules `ContentLoader`
/// applies to `content/`: nothing outside the site folder is read, not even through a symbolic link;
/// named pipes, sockets and devices are refused instead of read (a pipe would stall the build);
/// links that lead nowhere or loop are errors; dot-files are skipped.
///
/// `SiteBuilder.staticFiles` and `Theme.add` read through `FileManager`, which follows links
/// anywhere and blocks on a pipe; this is the drop-in that keeps them inside the site.
public enum FolderReader {
    public struct File: Sendable {
        /// The path inside the folder, with `/` separators.
        public var relative: String
        public var bytes: [UInt8]
    }

    /// The files under `folder` (a path inside `siteRoot`), sorted by path; `display` prefixes paths in diagnostics
    /// (`static/`). A missing folder is no error. Files over `maximumSize` bytes are errors.
    public static func files(in folder: String, siteRoot: String, display: String, maximumSize: Int? = nil) -> (files: [File], diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var info = stat()
        guard lstat(folder, &info) == 0 else { return ([], []) }
        guard let realRoot = ContentLoader.realPath(siteRoot) else {
            return ([], [.error(SourceLocation(path: display), "cannot read the site folder: \(String(cString: strerror(errno)))")])
        }
        if let problem = ContentLoader.linkProblem(folder, realRoot: realRoot) {
            return ([], [.error(SourceLocation(path: display), problem)])
        }
        var found: [String] = []
        var visited: Set<String> = []
        var pending: [String] = [""]
        while let relative = pending.popLast() {
            let full = relative.isEmpty ? folder : folder + "/" + relative
            guard let real = ContentLoader.realPath(full), visited.insert(real).inserted else {
                diagnostics.append(.error(SourceLocation(path: display + relative), "this folder is reached twice, through a symbolic link; remove the link"))
                continue
            }
            guard let directory = opendir(full) else {
                diagnostics.append(.error(SourceLocation(path: display + relative), "cannot read folder: \(String(cString: strerror(errno)))"))
                continue
            }
            var names: [String] = []
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
                }
                if !name.hasPrefix(".") { names.append(name) }
            }
            closedir(directory)
            for name in names.sorted() {
                let childRelative = relative.isEmpty ? name : relative + "/" + name
                let childFull = folder + "/" + childRelative
                let location = SourceLocation(path: display + childRelative)
                if let problem = ContentLoader.linkProblem(childFull, realRoot: realRoot) {
                    diagnostics.append(.error(location, problem))
                    continue
                }
                var child = stat()
                guard stat(childFull, &child) == 0 else {
                    diagnostics.append(.error(location, "cannot read: \(String(cString: strerror(errno)))"))
                    continue
                }
                switch child.st_mode & S_IFMT {
                case S_IFDIR:
                    if let target = ContentLoader.realPath(childFull), real == target || real.hasPrefix(target + "/") {
                        diagnostics.append(.error(location, "symbolic link loop: it points to a folder that contains the link"))
                    } else {
                        pending.append(childRelative)
                    }
                case S_IFREG:
                    found.append(childRelative)
                case let format:
                    diagnostics.append(.error(location, "not a regular file but \(ContentLoader.describe(mode: format)); it cannot be copied"))
                }
            }
        }
        var files: [File] = []
        for relative in found.sorted() {
            switch read(folder + "/" + relative, maximumSize: maximumSize) {
            case .success(let bytes): files.append(File(relative: relative, bytes: bytes))
            case .failure(let problem): diagnostics.append(.error(SourceLocation(path: display + relative), problem.message))
            }
        }
        return (files, diagnostics)
    }

    struct Problem: Error {
        var message: String
    }

    /// One regular file, opened without blocking and checked again after opening (it may have been replaced).
    static func read(_ path: String, maximumSize: Int?) -> Result<[UInt8], Problem> {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return .failure(Problem(message: "cannot read file: \(String(cString: strerror(errno)))")) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            return .failure(Problem(message: "cannot read file: not a regular file"))
        }
        if let maximumSize, info.st_size > maximumSize {
            return .failure(Problem(message: "file too large: \(info.st_size) bytes, over the limit of \(maximumSize)"))
        }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var count = 0
        while count < bytes.count {
            let result = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + count, $0.count - count) }
            if result < 0 {
                if errno == EINTR { continue }
                return .failure(Problem(message: "cannot read file: \(String(cString: strerror(errno)))"))
            }
            if result == 0 { break }
            count += result
        }
        bytes.removeLast(bytes.count - count)
        return .success(bytes)
    }
}
