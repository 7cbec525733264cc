/// Generates the instruction array of one template from its parsed tree.
///
/// Adjacent static text is merged into one instruction (its line starts are
/// recovered at render time from the line breaks inside it), names are
/// parsed once into paths, and partial and parent names are resolved to
/// library indices here, so rendering never looks a template up by name
/// except for dynamic names.
struct TemplateCompiler {
    private let parser: TemplateParser
    private let index: Int32
    private let templateIndices: [String: Int]
    private let strictPartials: Bool

    private var instructions: [Instruction] = []
    private var locations: [(line: Int32, column: Int32)] = []
    private var bytes: [UInt8] = []
    private var paths: [MustachePath] = []
    private var pathIndices: [String: Int32] = [:]
    private var indents: [[UInt8]] = []
    private var canExtendText = false

    init(parser: TemplateParser, index: Int32, templateIndices: [String: Int], strictPartials: Bool) {
        self.parser = parser
        self.index = index
        self.templateIndices = templateIndices
        self.strictPartials = strictPartials
    }

    /// Compiles the template; `blockIDs` interns block names across the library.
    mutating func compile(blockIDs: inout [String: Int32]) throws(MustacheError) -> CompiledTemplate {
        bytes.reserveCapacity(parser.source.count)
        try emit(parser.root, blockIDs: &blockIDs)
        return CompiledTemplate(
            name: parser.templateName, index: index, instructions: instructions, locations: locations,
            bytes: bytes, paths: paths, indents: indents)
    }

    private mutating func emit(_ nodes: [TemplateNode], blockIDs: inout [String: Int32]) throws(MustacheError) {
        for node in nodes {
            switch node {
            case .leaf(let token):
                try emitLeaf(parser.tokens[token])
            case .container(let open, let close, let children):
                let opener = parser.tokens[open]
                if opener.startsLine { append(.lineStart, for: nil) }
                switch opener.kind {
                case .section, .inverted:
                    let path = try path(for: opener)
                    let start = append(
                        opener.kind == .section ? .section(path: path, end: 0) : .invertedSection(path: path, end: 0),
                        for: opener)
                    try emitBody(children, close: close, blockIDs: &blockIDs)
                    patchEnd(of: start)
                case .parent:
                    let indent = indentIndex(for: opener)
                    let start: Int
                    if opener.isDynamic {
                        start = append(.dynamicParent(path: try path(for: opener), indent: indent, end: 0), for: opener)
                    } else {
                        let target = try templateIndex(for: opener)
                        start = append(.parent(template: target, indent: indent, end: 0), for: opener)
                    }
                    for child in children {
                        guard case .container(let blockOpen, let blockClose, let blockChildren) = child,
                            parser.tokens[blockOpen].kind == .block
                        else { continue }  // text and tags inside a parent but outside blocks are ignored
                        let id = blockID(parser.tokens[blockOpen].name, &blockIDs)
                        let override = append(.override(block: id, end: 0), for: parser.tokens[blockOpen])
                        try emitBody(blockChildren, close: blockClose, blockIDs: &blockIDs)
                        patchEnd(of: override)
                    }
                    patchEnd(of: start)
                case .block:
                    let indent = parser.blockIndentation[open].map { intern(indent: $0[...]) } ?? -1
                    let id = blockID(opener.name, &blockIDs)
                    let start = append(.block(block: id, indent: indent, end: 0), for: opener)
                    try emitBody(children, close: close, blockIDs: &blockIDs)
                    patchEnd(of: start)
                default:
                    preconditionFailure("only sections, parents and blocks are containers")
                }
            }
        }
    }

    /// A closing tag that starts a kept line has its indentation inside the body, as in the source.
    private mutating func emitBody(_ children: [TemplateNode], close: Int, blockIDs: inout [String: Int32])
        throws(MustacheError)
    {
        try emit(children, blockIDs: &blockIDs)
        if parser.tokens[close].startsLine { append(.lineStart, for: nil) }
    }

    private mutating func emitLeaf(_ token: Token) throws(MustacheError) {
        switch token.kind {
        case .text, .newline:
            emitText(token)
        case .variable, .unescaped:
            if token.startsLine { append(.lineStart, for: nil) }
            append(.variable(path: try path(for: token), escaped: token.kind == .variable), for: token)
        case .partial:
            if token.startsLine { append(.lineStart, for: nil) }
            let indent = indentIndex(for: token)
            if token.isDynamic {
                append(.dynamicPartial(path: try path(for: token), indent: indent), for: token)
            } else {
                append(.partial(template: try templateIndex(for: token), indent: indent), for: token)
            }
        case .comment, .delimiters, .close:
            if token.startsLine { append(.lineStart, for: nil) }
        case .section, .inverted, .parent, .block:
            preconditionFailure("containers are not leaves")
        }
    }

    private mutating func emitText(_ token: Token) {
        var start = token.start
        if token.startsLine && token.kind == .text {
            var strip = parser.lineStrip[token.line]
            while strip > 0, start < token.end, isIndentation(parser.source[start]) {
                start += 1
                strip -= 1
            }
        }
        guard start < token.end || token.startsLine else { return }
        let offset = Int32(bytes.count)
        bytes.append(contentsOf: parser.source[start..<token.end])
        let end = Int32(bytes.count)
        if canExtendText, case .text(let previousStart, let previousEnd, let startsLine) = instructions.last,
            previousEnd == offset, !token.startsLine || (previousEnd > previousStart && bytes[Int(previousEnd) - 1] == newlineByte)
        {
            instructions[instructions.count - 1] = .text(start: previousStart, end: end, startsLine: startsLine)
            return
        }
        instructions.append(.text(start: offset, end: end, startsLine: token.startsLine))
        locations.append((0, 0))
        canExtendText = true
    }

    @discardableResult
    private mutating func append(_ instruction: Instruction, for token: Token?) -> Int {
        instructions.append(instruction)
        locations.append(token.map { ($0.sourceLine, $0.sourceColumn) } ?? (0, 0))
        canExtendText = false
        return instructions.count - 1
    }

    private mutating func patchEnd(of position: Int) {
        let end = Int32(instructions.count)
        switch instructions[position] {
        case .section(let path, _): instructions[position] = .section(path: path, end: end)
        case .invertedSection(let path, _): instructions[position] = .invertedSection(path: path, end: end)
        case .parent(let template, let indent, _):
            instructions[position] = .parent(template: template, indent: indent, end: end)
        case .dynamicParent(let path, let indent, _):
            instructions[position] = .dynamicParent(path: path, indent: indent, end: end)
        case .override(let block, _): instructions[position] = .override(block: block, end: end)
        case .block(let block, let indent, _): instructions[position] = .block(block: block, indent: indent, end: end)
        default: preconditionFailure("not a container instruction")
        }
        canExtendText = false
    }

    private mutating func path(for token: Token) throws(MustacheError) -> Int32 {
        if let existing = pathIndices[token.name] { return existing }
        guard let path = MustachePath(token.name) else {
            throw parser.error(token, "invalid name '\(token.name)': dotted names cannot have empty parts")
        }
        paths.append(path)
        let index = Int32(paths.count - 1)
        pathIndices[token.name] = index
        return index
    }

    private func templateIndex(for token: Token) throws(MustacheError) -> Int32 {
        if let target = templateIndices[token.name] { return Int32(target) }
        if !strictPartials { return -1 }
        let what = token.kind == .parent ? "parent" : "partial"
        throw parser.error(token, "unknown \(what) '\(token.name)': no template with that name in the library")
    }

    /// -1 for a tag on a line with other content; otherwise its line's indentation.
    private mutating func indentIndex(for token: Token) -> Int32 {
        guard token.standalone else { return -1 }
        return intern(indent: parser.indentation(ofLine: token.line))
    }

    private mutating func intern(indent: ArraySlice<UInt8>) -> Int32 {
        if let existing = indents.firstIndex(where: { $0.elementsEqual(indent) }) { return Int32(existing) }
        indents.append(Array(indent))
        return Int32(indents.count - 1)
    }

    private func blockID(_ name: String, _ ids: inout [String: Int32]) -> Int32 {
        if let id = ids[name] { return id }
        let id = Int32(ids.count)
        ids[name] = id
        return id
    }
}
