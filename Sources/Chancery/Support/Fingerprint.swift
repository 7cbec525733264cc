/// A short content hash for asset file names (`style.1a2b3c4d.css`), so hosting can cache them forever.
enum Fingerprint {
    /// The first 8 hex digits of the 64-bit FNV-1a hash of the bytes.
    static func hex(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        let text = String(hash >> 32, radix: 16)
        return String(repeating: "0", count: 8 - text.count) + text
    }
}
