import Foundation

/// What tells this build of Chancery from another, for the build cache: the running executable's size,
/// modification time and inode. A rebuilt or reinstalled Chancery never reads a cache an earlier one wrote.
enum ExecutableIdentity {
    static var current: String {
        var info = stat()
        guard stat("/proc/self/exe", &info) == 0 else { return "chancery unknown" }
        return "chancery \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_ino)"
    }
}
