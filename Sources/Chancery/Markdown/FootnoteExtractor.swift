import Foundation

/// Finds footnote definitions (`[^label]: text` at the start of a line) and removes them from a body.
///
/// A definition runs until the next blank line; following lines indented by four spaces
/// continue it. Removed lines become empty lines, so the rest of the body keeps its line numbers.
struct FootnoteExtractor {
    struct Definition: Sendable {
        var label: String
        var text: String
        /// The 1-based line in the body where the definition starts.
        var line: Int
    }

    var body: String
    var definitions: [Definition]

    init(_ source: String) {
        // Most bodies have no notes: memchr finds that out many bytes at a time.
        let caret = UInt8(ascii: "^")
        let mayHaveNotes = source.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.baseAddress.map { memchr($0, Int32(caret), bytes.count) != nil } ?? false
        } ?? source.utf8.contains(caret)
        guard mayHaveNotes else {
            body = source
            definitions = []
            return
        }
        // Split on bytes: a line feed always ends a character, and splitting by characters would measure every grapheme.
        var lines = source.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        var definitions: [Definition] = []
        var index = 0
        var inFence: Substring? = nil
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                let fence = trimmed.prefix(3)
                if inFence == nil { inFence = fence } else if inFence == fence { inFence = nil }
            }
            guard inFence == nil, let (label, rest) = FootnoteExtractor.definitionStart(line) else {
                index += 1
                continue
            }
            var text = rest
            let start = index
            lines[index] = ""
            index += 1
            while index < lines.count {
                let next = lines[index]
                if next.allSatisfy({ $0 == " " || $0 == "\t" }) {
                    // A blank line ends the note unless an indented continuation follows.
                    if index + 1 < lines.count, lines[index + 1].hasPrefix("    ") {
                        text += "\n"
                        index += 1
                        continue
                    }
                    break
                }
                if FootnoteExtractor.definitionStart(next) != nil { break }
                text += "\n" + (next.hasPrefix("    ") ? String(next.dropFirst(4)) : next)
                lines[index] = ""
                index += 1
            }
            definitions.append(Definition(label: label, text: text, line: start + 1))
        }
        self.body = lines.joined(separator: "\n")
        self.definitions = definitions
    }

    /// `[^label]: rest` at the start of a line (up to three spaces of indent).
    static func definitionStart(_ line: String) -> (String, String)? {
        // Most lines do not start with `[`, nor with up to three spaces and `[`.
        guard line.utf8.prefix(4).contains(UInt8(ascii: "[")) else { return nil }
        let utf8 = Array(line.utf8)
        var i = 0
        while i < utf8.count, i < 3, utf8[i] == UInt8(ascii: " ") { i += 1 }
        guard i + 2 < utf8.count, utf8[i] == UInt8(ascii: "["), utf8[i + 1] == UInt8(ascii: "^") else { return nil }
        var j = i + 2
        while j < utf8.count, isLabelByte(utf8[j]) { j += 1 }
        guard j > i + 2, j + 1 < utf8.count, utf8[j] == UInt8(ascii: "]"), utf8[j + 1] == UInt8(ascii: ":") else { return nil }
        let label = String(decoding: utf8[(i + 2)..<j], as: UTF8.self)
        let rest = String(decoding: utf8[(j + 2)...], as: UTF8.self).trimmingWhitespace()
        return (label, rest)
    }

    static func isLabelByte(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }
}
