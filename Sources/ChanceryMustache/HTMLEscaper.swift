/// HTML escaping on UTF-8 bytes: `&` `<` `>` `"` `'` become entities, everything else is copied in runs.
///
/// `'` becomes `&#39;` (the spec only requires `& < > "`; its tests pass
/// either way), so escaped values are safe in single-quoted attributes too.
/// Bytes of multi-byte UTF-8 sequences are all >= 0x80 and never match.
enum HTMLEscaper {
    /// Bit `c - 0x22` is set for each byte `c` that needs escaping.
    private static let mask: UInt32 = 1 << 0 | 1 << 4 | 1 << 5 | 1 << 26 | 1 << 28

    static func append(_ string: String, to output: inout [UInt8]) {
        var string = string
        string.withUTF8 { append($0, to: &output) }
    }

    static func append(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        var runStart = 0
        var index = 0
        let count = bytes.count
        while index < count {
            let offset = bytes[index] &- 0x22
            if offset < 29 && (mask >> UInt32(offset)) & 1 != 0 {
                if index > runStart {
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                }
                switch bytes[index] {
                case UInt8(ascii: "&"): output.append(contentsOf: "&amp;".utf8)
                case UInt8(ascii: "<"): output.append(contentsOf: "&lt;".utf8)
                case UInt8(ascii: ">"): output.append(contentsOf: "&gt;".utf8)
                case UInt8(ascii: "\""): output.append(contentsOf: "&quot;".utf8)
                default: output.append(contentsOf: "&#39;".utf8)
                }
                runStart = index + 1
            }
            index += 1
        }
        if runStart < count {
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<count]))
        }
    }
}
