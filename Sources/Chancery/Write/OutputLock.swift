import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The lock file beside an output folder, held while a build writes to it: two builds never write one folder at once.
///
/// It sits beside the resolved path (`.public.lock` next to `public/`), so two spellings of one
/// folder share one lock, and it is released when the value goes away, or with the process.
final class OutputLock: Sendable {
    enum Failure: Error {
        /// Another build holds it.
        case busy
        /// The lock file cannot be opened; the errno.
        case cannotOpen(Int32)
    }

    private let fd: Int32

    /// The lock file of the output folder at `resolved` (a path from `OutputWriter.resolved`).
    static func path(beside resolved: String) -> String {
        (resolved as NSString).deletingLastPathComponent + "/." + (resolved as NSString).lastPathComponent + ".lock"
    }

    /// Takes the lock of the output folder at `resolved`, reporting a failure as the build's, under the name `output` the user gave.
    static func take(beside resolved: String, output: String) throws(BuildFailure) -> OutputLock {
        func fail(_ message: String, notes: [String] = []) -> BuildFailure {
            BuildFailure(stage: .write, diagnostics: [.error(SourceLocation(path: output), message, notes: notes)])
        }
        do {
            return try OutputLock(path: path(beside: resolved))
        } catch {
            switch error {
            case .busy:
                throw fail("another build is writing to '\(output)' right now", notes: ["wait for it to finish, then build again"])
            case .cannotOpen(let code):
                throw fail("cannot write beside '\(output)', where the build keeps its lock and staging folder: \(OutputWriter.reason(code))")
            }
        }
    }

    private init(path: String) throws(Failure) {
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .cannotOpen(errno) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw .busy
        }
        self.fd = fd
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
