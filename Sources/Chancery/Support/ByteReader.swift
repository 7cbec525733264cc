/// Reads what `ByteWriter` wrote, throwing on anything out of bounds or malformed, so a damaged cache file is refused, never trusted.
struct ByteReader {
    struct Malformed: Error {}

    private let bytes: [UInt8]
    private(set) var offset: Int
    private let end: Int

    init(_ bytes: [UInt8], from offset: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.offset = offset
        self.end = min(end ?? bytes.count, bytes.count)
    }

    var isAtEnd: Bool { offset >= end }

    /// A reader of what lies between `magic` and the checksum `ByteWriter.appendChecksum` ended `bytes`
    /// with, and that checksum; throws when the magic or the checksum does not match.
    static func checked(_ bytes: [UInt8], magic: [UInt8]) throws(Malformed) -> (reader: ByteReader, checksum: UInt64) {
        guard bytes.count >= magic.count + 8, bytes.starts(with: magic) else { throw Malformed() }
        var trailer = ByteReader(bytes, from: bytes.count - 8)
        let checksum = try trailer.uint64()
        guard checksum == Fingerprint.checksum(bytes[..<(bytes.count - 8)]) else { throw Malformed() }
        return (ByteReader(bytes, from: magic.count, to: bytes.count - 8), checksum)
    }

    mutating func int() throws(Malformed) -> Int {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < end, shift < 64 else { throw Malformed() }
            let byte = bytes[offset]
            offset += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
        }
        let value = Int64(bitPattern: result)
        return Int((value >> 1) ^ -(value & 1))
    }

    /// A count or index: an integer that must lie in `0...limit`.
    mutating func count(max limit: Int = 1 << 31) throws(Malformed) -> Int {
        let value = try int()
        guard value >= 0, value <= limit else { throw Malformed() }
        return value
    }

    mutating func uint64() throws(Malformed) -> UInt64 {
        guard end - offset >= 8 else { throw Malformed() }
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
        offset += 8
        return value
    }

    mutating func bool() throws(Malformed) -> Bool {
        guard offset < end, bytes[offset] <= 1 else { throw Malformed() }
        offset += 1
        return bytes[offset - 1] == 1
    }

    mutating func string() throws(Malformed) -> String {
        let length = try count(max: end - offset)
        defer { offset += length }
        return String(decoding: bytes[offset..<offset + length], as: UTF8.self)
    }

    mutating func optionalString() throws(Malformed) -> String? {
        try bool() ? try string() : nil
    }

    mutating func raw(_ length: Int) throws(Malformed) -> ArraySlice<UInt8> {
        guard length >= 0, end - offset >= length else { throw Malformed() }
        defer { offset += length }
        return bytes[offset..<offset + length]
    }

    mutating func strings() throws(Malformed) -> [String] {
        let count = try count(max: end - offset)
        var values: [String] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try string()) }
        return values
    }
}
