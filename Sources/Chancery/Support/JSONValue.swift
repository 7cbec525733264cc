/// A JSON document with object keys kept in the order given, written compactly and deterministically.
public indirect enum JSONValue: Sendable {
    case string(String)
    case number(Int)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }


    /// Compact JSON, except that a top-level array puts each element on a line of its own
    /// (so files of records diff line by line), with a final newline.
    public func serialized() -> String {
        String(decoding: bytes(), as: UTF8.self)
    }

    /// The same text as `serialized()`, as UTF-8 bytes.
    public func bytes() -> [UInt8] {
        var out: [UInt8] = []
        if case .array(let items) = self, !items.isEmpty {
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                out.append(contentsOf: index == 0 ? [0x0A] : [UInt8(ascii: ","), 0x0A])
                item.write(into: &out)
            }
            out.append(contentsOf: [0x0A, UInt8(ascii: "]")])
        } else {
            write(into: &out)
        }
        out.append(0x0A)
        return out
    }

    private func write(into out: inout [UInt8]) {
        switch self {
        case .string(let text): JSONValue.quote(text, into: &out)
        case .number(let number): out.append(contentsOf: String(number).utf8)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .null: out.append(contentsOf: "null".utf8)
        case .array(let items):
            if items.isEmpty { out.append(contentsOf: "[]".utf8); return }
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                item.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let fields):
            if fields.isEmpty { out.append(contentsOf: "{}".utf8); return }
            out.append(UInt8(ascii: "{"))
            for (index, (key, value)) in fields.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONValue.quote(key, into: &out)
                out.append(UInt8(ascii: ":"))
                value.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// A JSON string; `<`, `>` and `&` are escaped too, so the text is safe inside HTML.
    static func quote(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            out.append(escaping: bytes) { byte in
                switch byte {
                case UInt8(ascii: "\""): "\\\""
                case UInt8(ascii: "\\"): "\\\\"
                case 0x0A: "\\n"
                case 0x0D: "\\r"
                case 0x09: "\\t"
                case UInt8(ascii: "<"): "\\u003c"
                case UInt8(ascii: ">"): "\\u003e"
                case UInt8(ascii: "&"): "\\u0026"
                case 0..<0x20:
                    "\\u00" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16)
                default: nil
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
