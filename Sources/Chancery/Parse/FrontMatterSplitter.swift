/// Splits a source file into its YAML front matter and Markdown body, keeping file line numbers.
///
/// A file starts with a line `---`; the front matter ends at the next line that is `---` or `...`.
/// Line endings are already normalised to `\n` by the loader.
struct FrontMatterSplitter {
    struct Parts {
        var yaml: String
        /// The file line of the YAML block's first line (the line after the opening `---`).
        var yamlFirstLine: Int
        var body: MarkdownSource
    }

    static func split(_ text: String, path: String) -> Result<Parts, Diagnostic> {
        var text = text
        return text.withUTF8 { bytes in
            func lineEnd(from start: Int) -> Int {
                var end = start
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                return end
            }
            /// Whether bytes[start..<end] is `marker` followed only by spaces or tabs.
            func isMarker(_ start: Int, _ end: Int, _ marker: UInt8) -> Bool {
                guard end - start >= 3, bytes[start] == marker, bytes[start + 1] == marker, bytes[start + 2] == marker else { return false }
                return bytes[(start + 3)..<end].allSatisfy { $0 == 0x20 || $0 == 0x09 }
            }
            let firstEnd = lineEnd(from: 0)
            guard isMarker(0, firstEnd, UInt8(ascii: "-")) else {
                let message = bytes.isEmpty ? "empty file: a content file starts with front matter between two '---' lines"
                    : "missing front matter: the file must start with a line '---', then YAML, then '---'"
                return .failure(.error(SourceLocation(path: path, line: 1, column: 1), message))
            }
            var line = 2
            var start = firstEnd + 1
            while start < bytes.count {
                let end = lineEnd(from: start)
                if isMarker(start, end, UInt8(ascii: "-")) || isMarker(start, end, UInt8(ascii: ".")) {
                    let yaml = String(decoding: UnsafeBufferPointer(rebasing: bytes[(firstEnd + 1)..<max(firstEnd + 1, start - 1)]), as: UTF8.self)
                    let bodyStart = min(end + 1, bytes.count)
                    let body = String(decoding: UnsafeBufferPointer(rebasing: bytes[bodyStart...]), as: UTF8.self)
                    return .success(Parts(yaml: yaml, yamlFirstLine: 2,
                                          body: MarkdownSource(text: body, firstLine: line + 1, path: path)))
                }
                line += 1
                start = end + 1
            }
            return .failure(.error(SourceLocation(path: path, line: 1, column: 1),
                                   "front matter is not closed: add a line '---' after the YAML"))
        }
    }
}
