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
        let done: Void? = source.withContiguousStorageIfAvailable { escaped(buffer: $0) }
        if done == nil {
            let copy = Array(source)
            copy.withUnsafeBufferPointer { escaped(buffer: $0) }
        }
    }

    private mutating func escaped(buffer source: UnsafeBufferPointer<UInt8>) {
        bytes.append(escaping: source) { byte in
            switch byte {
            case UInt8(ascii: "&"): "&amp;"
            case UInt8(ascii: "<"): "&lt;"
            case UInt8(ascii: ">"): "&gt;"
            case UInt8(ascii: "\""): "&quot;"
            case UInt8(ascii: "'"): "&#39;"
            default: nil
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
