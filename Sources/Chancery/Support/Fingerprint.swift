/// A 64-bit FNV-1a hash, for content-addressed names (`style.1a2b3c4d.css`) and for noticing
/// that the inputs of a page did not change between two builds.
public struct Fingerprint: Hashable, Sendable {
    public internal(set) var value: UInt64 = 0xcbf29ce484222325

    public init() {}

    public mutating func add(_ bytes: some Sequence<UInt8>) {
        for byte in bytes { value = (value ^ UInt64(byte)) &* 0x100000001b3 }
        // A separator, so ("ab", "c") and ("a", "bc") differ.
        value = (value ^ 0xFF) &* 0x100000001b3
    }

    public mutating func add(_ text: String) { add(text.utf8) }

    public mutating func add(_ number: Int) {
        withUnsafeBytes(of: number.littleEndian) { add($0) }
    }

    public static func of(_ bytes: some Sequence<UInt8>) -> Fingerprint {
        var fingerprint = Fingerprint()
        fingerprint.add(bytes)
        return fingerprint
    }

    /// A file's path with the hash of its bytes before the extension: `assets/style.css` → `assets/style.1a2b3c4d.css`.
    static func contentAddressed(_ path: String, _ bytes: [UInt8]) -> String {
        let hash = hex(bytes)
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return path + "." + hash }
        return path[..<dot] + "." + hash + path[dot...]
    }

    /// The first 8 hex digits of the hash of `bytes`, for file names.
    static func hex(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        let text = String(hash >> 32, radix: 16)
        return String(repeating: "0", count: 8 - text.count) + text
    }

    /// A hash of a file's bytes, for telling two versions of it apart or a damaged copy from a whole
    /// one: eight bytes at a time, several times faster than `of` on megabytes. Not for names or keys.
    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset + 8 <= raw.count {
                hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
                hash ^= hash >> 32
                offset += 8
            }
            while offset < raw.count {
                hash = (hash ^ UInt64(raw[offset])) &* 0xC4CE_B9FE_1A85_EC53
                offset += 1
            }
        }
        return hash ^ (hash >> 29)
    }

    /// `checksum` as a fingerprint: what a file's bytes are compared by between builds.
    static func ofFile(_ bytes: [UInt8]) -> Fingerprint {
        var fingerprint = Fingerprint()
        fingerprint.value = checksum(bytes[...])
        return fingerprint
    }
}
