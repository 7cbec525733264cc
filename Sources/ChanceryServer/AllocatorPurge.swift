#if canImport(Glibc)
import Glibc
#endif

/// Hands the memory a rebuild freed back to the system, so a long preview holds what its site needs,
/// not what its largest rebuild once did.
///
/// The command-line tool runs on jemalloc, which keeps freed pages for seconds to reuse them; the
/// preview asks it to purge every arena once a rebuild's reload event has gone out. Without jemalloc
/// (the test binaries), glibc's `malloc_trim` does the same. Looked up at run time, so the server
/// target does not link the allocator itself.
enum AllocatorPurge {
    private typealias Control = @convention(c) (UnsafePointer<CChar>?, UnsafeMutableRawPointer?, UnsafeMutablePointer<Int>?,
                                                UnsafeMutableRawPointer?, Int) -> Int32

    private typealias Trim = @convention(c) (Int) -> Int32

    /// jemalloc's `mallctl`, when the process runs on jemalloc.
    private static let control: Control? = dlsym(nil, "mallctl").map { unsafeBitCast($0, to: Control.self) }
    /// glibc's `malloc_trim`, which Swift's Glibc module does not declare.
    private static let trim: Trim? = dlsym(nil, "malloc_trim").map { unsafeBitCast($0, to: Trim.self) }

    static func returnFreedMemory() {
        // "arena.<MALLCTL_ARENAS_ALL>.purge": every arena at once.
        if let control, control("arena.4096.purge", nil, nil, nil, 0) == 0 { return }
        _ = trim?(0)
    }
}
