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

    /// `parent` and `name`: the resolved output folder's parent and its name.
    init(parent: String, name: String) throws(Failure) {
        let fd = open(parent + "/." + name + ".lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
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
