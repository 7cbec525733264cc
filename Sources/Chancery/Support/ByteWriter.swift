/// Appends values to a byte buffer in the build cache's format: unsigned LEB128 integers, strings as length and UTF-8.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    mutating func int(_ value: Int) {
        // Zig-zag, so small negative numbers stay short.
        var rest = UInt64(bitPattern: Int64((value << 1) ^ (value >> 63)))
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func uint64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func bool(_ value: Bool) {
        bytes.append(value ? 1 : 0)
    }

    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            int(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func optionalString(_ value: String?) {
        bool(value != nil)
        if let value { string(value) }
    }

    mutating func raw(_ data: some Collection<UInt8>) {
        bytes.append(contentsOf: data)
    }

    mutating func strings(_ values: some Collection<String>) {
        int(values.count)
        for value in values { string(value) }
    }

    /// Ends the bytes with their checksum, which `ByteReader.checked` verifies.
    mutating func appendChecksum() {
        uint64(Fingerprint.checksum(bytes[...]))
    }
}
