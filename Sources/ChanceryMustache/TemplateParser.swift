/// Turns tokens into a tree and settles all whitespace questions before code generation.
///
/// Three passes, each needing the previous one complete:
/// 1. Standalone lines. A line holding only whitespace and at least one
///    non-interpolation tag (several tags are allowed, which the inheritance
///    spec requires for `{{<parent}}{{$block}}`) loses its whitespace and
///    line break. One exception from the inheritance spec: a standalone
///    line that holds a whole block, `  {{$block}}{{/block}}`, keeps its
///    line break. Every other kept line marks its first token `startsLine`,
///    the place where a partial's indentation is inserted at render time.
/// 2. Structure: sections, parents and blocks are matched with their
///    closing tags.
/// 3. Block indentation. When a block's opening tag is standalone, its
///    content is dedented by the common indentation of its non-blank lines
///    ("removed at the site of definition"), and the block records the
///    indentation to add back wherever it is expanded: that same margin, or
///    the indentation of the opening tag when the content has no non-blank
///    line. Blocks are handled outside-in, so a nested block's margin is
///    measured after its enclosing block's dedent.
struct TemplateParser {
    let source: [UInt8]
    let templateName: String
    private(set) var tokens: [Token] = []
    /// Byte offset where each template line starts.
    private(set) var lineStarts: [Int] = []
    /// Bytes of indentation removed from the start of each line by block dedenting.
    private(set) var lineStrip: [Int] = []
    /// Indentation added when a standalone block is expanded, keyed by its opening token.
    private(set) var blockIndentation: [Int: [UInt8]] = [:]
    private(set) var root: [TemplateNode] = []

    init(source: [UInt8], templateName: String) {
        self.source = source
        self.templateName = templateName
    }

    mutating func parse() throws(MustacheError) {
        var lexer = TemplateLexer(source: source, templateName: templateName)
        try lexer.tokenize()
        tokens = lexer.tokens
        lineStarts = lexer.lineStarts
        markStandaloneLines()
        let blocks = try buildTree(tokens)
        lineStrip = Array(repeating: 0, count: lineStarts.count)
        for block in blocks.sorted(by: { $0.open < $1.open }) {
            dedent(block: block.open, close: block.close)
        }
    }

    /// Leading indentation of `line` after block dedenting.
    func indentation(ofLine line: Int) -> ArraySlice<UInt8> {
        let start = lineStarts[line] + lineStrip[line]
        var end = start
        while end < source.count, isIndentation(source[end]) { end += 1 }
        return source[start..<end]
    }

    func error(_ token: Token, _ message: String) -> MustacheError {
        MustacheError(
            template: templateName, line: Int(token.sourceLine), column: Int(token.sourceColumn),
            message: message)
    }

    // MARK: Pass 1

    private mutating func markStandaloneLines() {
        var lineStart = 0
        while lineStart < tokens.count {
            let line = tokens[lineStart].line
            var lineEnd = lineStart
            while lineEnd < tokens.count, tokens[lineEnd].line == line { lineEnd += 1 }
            let hasBreak = tokens[lineEnd - 1].kind == .newline
            let contentEnd = hasBreak ? lineEnd - 1 : lineEnd

            var standalone = contentEnd > lineStart
            var hasTag = false
            for index in lineStart..<contentEnd where standalone {
                let token = tokens[index]
                if token.kind == .text {
                    standalone = source[token.start..<token.end].allSatisfy(isIndentation)
                } else if token.kind.canStandAlone {
                    hasTag = true
                } else {
                    standalone = false
                }
            }
            if standalone && hasTag {
                for index in lineStart..<contentEnd {
                    if tokens[index].kind == .text {
                        tokens[index].removed = true
                    } else {
                        tokens[index].standalone = true
                    }
                }
                if hasBreak && !holdsWholeBlock(tokens[lineStart..<contentEnd]) {
                    tokens[lineEnd - 1].removed = true
                }
            } else {
                tokens[lineStart].startsLine = true
            }
            lineStart = lineEnd
        }
    }

    private func holdsWholeBlock(_ line: ArraySlice<Token>) -> Bool {
        var openBlocks: [String] = []
        for token in line {
            if token.kind == .block {
                openBlocks.append(token.name)
            } else if token.kind == .close, openBlocks.contains(token.name) {
                return true
            }
        }
        return false
    }

    // MARK: Pass 2

    private mutating func buildTree(_ tokens: [Token]) throws(MustacheError) -> [(open: Int, close: Int)] {
        var stack: [(open: Int, children: [TemplateNode])] = [(-1, [])]
        var blocks: [(open: Int, close: Int)] = []
        for index in tokens.indices where !tokens[index].removed {
            let token = tokens[index]
            switch token.kind {
            case .section, .inverted, .parent, .block:
                stack.append((index, []))
            case .close:
                guard stack.count > 1 else {
                    throw error(token, "closing tag '\(token.name)' has no open section")
                }
                let frame = stack.removeLast()
                let opener = tokens[frame.open]
                guard displayName(opener) == displayName(token) else {
                    throw error(
                        token,
                        "closing tag '\(displayName(token))' does not match '\(displayName(opener))' opened at line \(opener.sourceLine), column \(opener.sourceColumn)"
                    )
                }
                if opener.kind == .block { blocks.append((frame.open, index)) }
                stack[stack.count - 1].children.append(
                    .container(open: frame.open, close: index, children: frame.children))
            default:
                stack[stack.count - 1].children.append(.leaf(token: index))
            }
        }
        if stack.count > 1 {
            let opener = tokens[stack[stack.count - 1].open]
            throw error(opener, "unclosed section '\(displayName(opener))': no '{{/\(displayName(opener))}}' before end of template")
        }
        root = stack[0].children
        return blocks
    }

    private func displayName(_ token: Token) -> String {
        token.isDynamic ? "*" + token.name : token.name
    }

    // MARK: Pass 3

    private mutating func dedent(block open: Int, close: Int) {
        let opener = tokens[open]
        guard opener.standalone else { return }
        let closer = tokens[close]
        var lines: [(line: Int, indentation: ArraySlice<UInt8>, blank: Bool)] = []
        if closer.line > opener.line {
            for line in (opener.line + 1)...closer.line {
                let bound: Int
                if line == closer.line {
                    if closer.standalone { break }
                    bound = closer.start
                } else {
                    bound = lineStarts[line + 1]
                }
                var indentation = indentation(ofLine: line)
                if indentation.endIndex > bound { indentation = indentation[..<bound] }
                let next = indentation.endIndex
                let blank = next >= bound || source[next] == newlineByte
                    || (source[next] == returnByte && next + 1 < source.count && source[next + 1] == newlineByte)
                lines.append((line, indentation, blank))
            }
        }
        var margin: ArraySlice<UInt8>?
        for entry in lines where !entry.blank {
            guard let current = margin else {
                margin = entry.indentation
                continue
            }
            margin = current.prefix(commonPrefixLength(current, entry.indentation))
        }
        guard let margin else {
            blockIndentation[open] = Array(indentation(ofLine: opener.line))
            return
        }
        blockIndentation[open] = Array(margin)
        for entry in lines {
            lineStrip[entry.line] += commonPrefixLength(margin, entry.indentation)
        }
    }

    private func commonPrefixLength(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Int {
        var length = 0
        var indexA = a.startIndex
        var indexB = b.startIndex
        while indexA < a.endIndex, indexB < b.endIndex, a[indexA] == b[indexB] {
            length += 1
            indexA += 1
            indexB += 1
        }
        return length
    }
}
