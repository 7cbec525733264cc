/// The Markdown body of a file, with the file line it starts on, so body diagnostics use file lines.
public struct MarkdownSource: Sendable, Hashable {
    public var text: String
    /// The 1-based file line of the body's first line.
    public var firstLine: Int
    public var path: String

    public init(text: String, firstLine: Int, path: String) {
        self.text = text
        self.firstLine = firstLine
        self.path = path
    }

    public var isBlank: Bool { text.allSatisfy(\.isWhitespace) }
}
