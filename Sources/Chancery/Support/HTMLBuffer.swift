/// A UTF-8 byte buffer for building HTML, with escaping done on bytes.
public struct HTMLBuffer: Sendable {
    public var bytes: [UInt8] = []

    public init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    @inline(__always)
    public mutating func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    public mutating func raw(_ data: some Sequence<UInt8>) {
        bytes.append(contentsOf: data)
    }

    /// Appends text escaped for element content and double-quoted attribute values.
    public mutating func escaped(_ text: String) {
        escaped(bytes: text.utf8)
    }

    public mutating func escaped(bytes source: some Collection<UInt8>) {
        for byte in source {
            switch byte {
            case UInt8(ascii: "&"): bytes.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): bytes.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): bytes.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): bytes.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): bytes.append(contentsOf: "&#39;".utf8)
            default: bytes.append(byte)
            }
        }
    }

    public var string: String { String(decoding: bytes, as: UTF8.self) }
}

extension String {
    /// The text escaped for HTML content and attributes.
    public var htmlEscaped: String {
        var buffer = HTMLBuffer(capacity: utf8.count)
        buffer.escaped(self)
        return buffer.string
    }
}
