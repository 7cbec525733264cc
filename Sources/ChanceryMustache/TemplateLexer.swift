/// Splits a template source into tokens, following set-delimiter tags as it goes.
///
/// Works on UTF-8 bytes; delimiters may be any non-whitespace byte
/// sequences. Line breaks inside tags (multi-line comments) do not start a
/// new template line, which is what the standalone rules need.
struct TemplateLexer {
    let source: [UInt8]
    let templateName: String
    private(set) var tokens: [Token] = []
    /// Byte offset where each template line starts; line 0 starts at 0.
    private(set) var lineStarts: [Int] = [0]

    private var openDelimiter: [UInt8] = [UInt8(ascii: "{"), UInt8(ascii: "{")]
    private var closeDelimiter: [UInt8] = [UInt8(ascii: "}"), UInt8(ascii: "}")]
    private var line = 0

    private var locationOffset = 0
    private var locationLine = 1
    private var locationLineStart = 0

    init(source: [UInt8], templateName: String) {
        self.source = source
        self.templateName = templateName
    }

    mutating func tokenize() throws(MustacheError) {
        var position = 0
        let count = source.count
        while position < count {
            guard let tagStart = find(openDelimiter, from: position) else {
                emitText(from: position, to: count)
                break
            }
            emitText(from: position, to: tagStart)
            position = try lexTag(at: tagStart)
        }
    }

    /// 1-based line and column of `offset`; offsets must be asked for in increasing order.
    mutating func location(of offset: Int) -> (line: Int32, column: Int32) {
        while locationOffset < offset {
            if source[locationOffset] == newlineByte {
                locationLine += 1
                locationLineStart = locationOffset + 1
            }
            locationOffset += 1
        }
        var column: Int32 = 1
        var index = locationLineStart
        while index < offset {
            if source[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return (Int32(locationLine), column)
    }

    private mutating func emitText(from start: Int, to end: Int) {
        var segmentStart = start
        var index = start
        while index < end {
            if source[index] == newlineByte {
                var breakStart = index
                if index > segmentStart, source[index - 1] == returnByte { breakStart = index - 1 }
                if breakStart > segmentStart {
                    tokens.append(Token(kind: .text, start: segmentStart, end: breakStart, line: line))
                }
                tokens.append(Token(kind: .newline, start: breakStart, end: index + 1, line: line))
                line += 1
                lineStarts.append(index + 1)
                segmentStart = index + 1
            }
            index += 1
        }
        if segmentStart < end {
            tokens.append(Token(kind: .text, start: segmentStart, end: end, line: line))
        }
    }

    /// Lexes the tag whose opening delimiter is at `tagStart`; returns the offset after it.
    private mutating func lexTag(at tagStart: Int) throws(MustacheError) -> Int {
        let position = location(of: tagStart)
        func fail(_ message: String) -> MustacheError {
            MustacheError(template: templateName, line: Int(position.line), column: Int(position.column), message: message)
        }
        let contentStart = tagStart + openDelimiter.count
        guard contentStart < source.count else { throw fail("unclosed tag: no closing delimiter") }

        let kind: Token.Kind
        var nameStart = contentStart + 1
        var closer = closeDelimiter
        switch source[contentStart] {
        case UInt8(ascii: "{"):
            kind = .unescaped
            closer = [UInt8(ascii: "}")] + closeDelimiter
        case UInt8(ascii: "="):
            kind = .delimiters
            closer = [UInt8(ascii: "=")] + closeDelimiter
        case UInt8(ascii: "!"): kind = .comment
        case UInt8(ascii: "&"): kind = .unescaped
        case UInt8(ascii: "#"): kind = .section
        case UInt8(ascii: "^"): kind = .inverted
        case UInt8(ascii: "/"): kind = .close
        case UInt8(ascii: ">"): kind = .partial
        case UInt8(ascii: "<"): kind = .parent
        case UInt8(ascii: "$"): kind = .block
        default:
            kind = .variable
            nameStart = contentStart
        }
        guard let contentEnd = find(closer, from: nameStart) else {
            throw fail("unclosed tag: no closing '\(String(decoding: closeDelimiter, as: UTF8.self))' found")
        }
        let tagEnd = contentEnd + closer.count
        var token = Token(kind: kind, start: tagStart, end: tagEnd, line: line)
        token.sourceLine = position.line
        token.sourceColumn = position.column

        switch kind {
        case .comment:
            break
        case .delimiters:
            let parts = source[nameStart..<contentEnd].split(whereSeparator: isWhitespace)
            guard parts.count == 2, !parts.contains(where: { $0.contains(UInt8(ascii: "=")) }) else {
                throw fail("invalid set-delimiter tag: expected two delimiters without '=', like {{=<% %>=}}")
            }
            tokens.append(token)
            openDelimiter = Array(parts[0])
            closeDelimiter = Array(parts[1])
            return tagEnd
        default:
            var content = trimmed(nameStart, contentEnd)
            if kind == .partial || kind == .parent || kind == .close,
               content.lowerBound < content.upperBound, source[content.lowerBound] == UInt8(ascii: "*") {
                token.isDynamic = true
                content = trimmed(content.lowerBound + 1, content.upperBound)
            }
            guard content.lowerBound < content.upperBound else { throw fail("empty tag name") }
            if source[content].contains(where: isWhitespace) {
                throw fail("invalid tag name '\(String(decoding: source[content], as: UTF8.self))': names cannot contain whitespace")
            }
            token.name = String(decoding: source[content], as: UTF8.self)
        }
        tokens.append(token)
        return tagEnd
    }

    private func trimmed(_ start: Int, _ end: Int) -> Range<Int> {
        var lower = start
        var upper = end
        while lower < upper, isWhitespace(source[lower]) { lower += 1 }
        while upper > lower, isWhitespace(source[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        let last = source.count - needle.count
        guard start <= last, let first = needle.first else { return nil }
        var index = start
        while index <= last {
            if source[index] == first {
                var matched = 1
                while matched < needle.count, source[index + matched] == needle[matched] { matched += 1 }
                if matched == needle.count { return index }
            }
            index += 1
        }
        return nil
    }
}

let newlineByte = UInt8(ascii: "\n")
let returnByte = UInt8(ascii: "\r")

/// Space, tab, and line-break bytes: what the spec trims around tag names.
@inline(__always)
func isWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C
}

/// Space or tab: what counts as indentation.
@inline(__always)
func isIndentation(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09
}
