/// One lexical unit of a template source: a run of text, a line break, or a tag.
///
/// The lexer fills the position fields; `TemplateParser` later sets the
/// whitespace flags (`removed`, `startsLine`, `standalone`) while applying
/// the spec's standalone-line rules.
struct Token {
    enum Kind: Equatable {
        /// Text without line breaks.
        case text
        /// `\n` or `\r\n` outside any tag; it ends template line `line`.
        case newline
        case variable
        case unescaped
        case section
        case inverted
        case close
        case comment
        case partial
        case parent
        case block
        case delimiters

        /// Tags that can make a line standalone (all but interpolations).
        var canStandAlone: Bool {
            switch self {
            case .text, .newline, .variable, .unescaped: return false
            default: return true
            }
        }
    }

    var kind: Kind
    /// Byte offset of the text, or of a tag's opening delimiter.
    var start: Int
    /// Byte offset just past the token.
    var end: Int
    /// 0-based index of the template line (lines are split by newline tokens only).
    var line: Int
    /// Trimmed tag content without sigil or dynamic-name asterisk.
    var name: String = ""
    /// `{{>*name}}`, `{{<*name}}` or the matching `{{/*name}}`.
    var isDynamic = false
    /// 1-based source position of the tag, for error messages.
    var sourceLine: Int32 = 0
    var sourceColumn: Int32 = 0

    /// Dropped from output because it is whitespace or a line break of a standalone line.
    var removed = false
    /// First token of a line that is kept: indentation of an indented partial goes before it.
    var startsLine = false
    /// Tag that sits on a standalone line.
    var standalone = false
}
