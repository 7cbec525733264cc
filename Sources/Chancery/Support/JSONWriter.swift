/// Writes JSON straight into bytes, for documents too large to build as a `JSONValue` tree first.
///
/// The output is what `JSONValue.bytes()` writes for the same values: compact, keys in the order
/// written, strings quoted the same way, and a top-level array with one element per line and a
/// final newline. Calls must nest properly (`key` inside objects, a value after each `key`).
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    /// One bit per open container, from the outermost: whether it holds an element yet.
    private var filled: [Bool] = []
    private var afterKey = false

    /// Before a value or a key: the comma after an earlier element, and the line break between top-level elements.
    private mutating func separate() {
        if afterKey {
            afterKey = false
            return
        }
        guard let last = filled.indices.last else { return }
        if filled[last] { bytes.append(UInt8(ascii: ",")) }
        filled[last] = true
        if filled.count == 1 && bytes.first == UInt8(ascii: "[") { bytes.append(0x0A) }
    }

    mutating func openObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        filled.append(false)
    }

    mutating func closeObject() {
        filled.removeLast()
        bytes.append(UInt8(ascii: "}"))
        finishTopLevel()
    }

    mutating func openArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        filled.append(false)
    }

    mutating func closeArray() {
        let hadElements = filled.removeLast()
        if filled.isEmpty && hadElements { bytes.append(0x0A) }
        bytes.append(UInt8(ascii: "]"))
        finishTopLevel()
    }

    private mutating func finishTopLevel() {
        if filled.isEmpty { bytes.append(0x0A) }
    }

    mutating func key(_ name: String) {
        separate()
        JSONValue.quote(name, into: &bytes)
        bytes.append(UInt8(ascii: ":"))
        afterKey = true
    }

    mutating func string(_ text: String) {
        separate()
        JSONValue.quote(text, into: &bytes)
        finishTopLevel()
    }

    mutating func optional(_ text: String?) {
        if let text { string(text) } else { null() }
    }

    mutating func number(_ value: Int) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
        finishTopLevel()
    }

    mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
        finishTopLevel()
    }

    mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
        finishTopLevel()
    }

    /// A value already written as compact JSON.
    mutating func raw(_ json: [UInt8]) {
        separate()
        bytes.append(contentsOf: json)
        finishTopLevel()
    }

    /// `"key": value` for each pair, as `JSONValue.object` would write them.
    mutating func field(_ name: String, _ text: String) {
        key(name)
        string(text)
    }

    mutating func field(_ name: String, optional text: String?) {
        key(name)
        optional(text)
    }
}
