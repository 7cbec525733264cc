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
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        guard let first = lines.first, first.trimmingTrailingSpaces() == "---" else {
            let message = text.isEmpty ? "empty file: a content file starts with front matter between two '---' lines"
                : "missing front matter: the file must start with a line '---', then YAML, then '---'"
            return .failure(.error(SourceLocation(path: path, line: 1, column: 1), message))
        }
        guard let close = lines.indices.dropFirst().first(where: {
            let line = lines[$0].trimmingTrailingSpaces()
            return line == "---" || line == "..."
        }) else {
            return .failure(.error(SourceLocation(path: path, line: 1, column: 1),
                                   "front matter is not closed: add a line '---' after the YAML"))
        }
        let yaml = lines[1..<close].joined(separator: "\n")
        let bodyLines = lines[(close + 1)...]
        let body = bodyLines.joined(separator: "\n") + (bodyLines.isEmpty ? "" : "\n")
        return .success(Parts(yaml: yaml, yamlFirstLine: 2,
                              body: MarkdownSource(text: body, firstLine: close + 2, path: path)))
    }
}

extension Substring {
    func trimmingTrailingSpaces() -> Substring {
        var s = self
        while let last = s.last, last == " " || last == "\t" { s.removeLast() }
        return s
    }
}
