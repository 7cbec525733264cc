/// Runs compiled instructions against a context stack, appending UTF-8 to one byte buffer.
///
/// One renderer serves one `render` call. Its state is the context stack
/// (top is last), the current indentation (non-empty only inside standalone
/// partials and blocks), the active block overrides and the partial depth.
///
/// Overrides are one flat list in the order the parent tags were entered;
/// a block takes the first entry with its name, which gives the spec's
/// "outermost substitution wins" rule across multi-level inheritance.
struct Renderer {
    private let templates: [CompiledTemplate]
    private let templateIndices: [String: Int]
    private let strictPartials: Bool
    private let maxDepth: Int

    var output: [UInt8] = []
    private var stack: [MustacheValue] = []
    private var indentation: [UInt8] = []
    private var overrides: [ActiveOverride] = []
    private var depth = 0

    private struct ActiveOverride {
        let block: Int32
        let template: Int32
        let start: Int32
        let end: Int32
    }

    init(templates: [CompiledTemplate], templateIndices: [String: Int], strictPartials: Bool, maxDepth: Int) {
        self.templates = templates
        self.templateIndices = templateIndices
        self.strictPartials = strictPartials
        self.maxDepth = maxDepth
    }

    mutating func render(_ template: CompiledTemplate, _ value: MustacheValue) throws(MustacheError) {
        stack.reserveCapacity(8)
        stack.append(value)
        try run(template, from: 0, to: template.instructions.count)
    }

    private mutating func run(_ template: CompiledTemplate, from start: Int, to end: Int) throws(MustacheError) {
        let instructions = template.instructions
        var pc = start
        while pc < end {
            switch instructions[pc] {
            case .text(let textStart, let textEnd, let startsLine):
                writeText(template.bytes, Int(textStart), Int(textEnd), startsLine: startsLine)
                pc += 1

            case .lineStart:
                if !indentation.isEmpty { output.append(contentsOf: indentation) }
                pc += 1

            case .variable(let path, let escaped):
                if let value = resolve(template.paths[Int(path)]) { write(value, escaped: escaped) }
                pc += 1

            case .section(let path, let sectionEnd):
                if let value = resolve(template.paths[Int(path)]) {
                    switch value {
                    case .list(let items):
                        for item in items {
                            stack.append(item)
                            try run(template, from: pc + 1, to: Int(sectionEnd))
                            stack.removeLast()
                        }
                    case .bool(false), .null:
                        break
                    default:
                        stack.append(value)
                        try run(template, from: pc + 1, to: Int(sectionEnd))
                        stack.removeLast()
                    }
                }
                pc = Int(sectionEnd)

            case .invertedSection(let path, let sectionEnd):
                if !(resolve(template.paths[Int(path)])?.isTruthy ?? false) {
                    try run(template, from: pc + 1, to: Int(sectionEnd))
                }
                pc = Int(sectionEnd)

            case .partial(let target, let indent):
                if target >= 0 {
                    try include(templates[Int(target)], indent: indent, from: template, at: pc)
                }
                pc += 1

            case .dynamicPartial(let path, let indent):
                if let target = try dynamicTarget(template.paths[Int(path)], from: template, at: pc) {
                    try include(target, indent: indent, from: template, at: pc)
                }
                pc += 1

            case .parent(let target, let indent, let parentEnd):
                if target >= 0 {
                    try includeParent(
                        templates[Int(target)], indent: indent, from: template, at: pc, end: Int(parentEnd))
                }
                pc = Int(parentEnd)

            case .dynamicParent(let path, let indent, let parentEnd):
                if let target = try dynamicTarget(template.paths[Int(path)], from: template, at: pc) {
                    try includeParent(target, indent: indent, from: template, at: pc, end: Int(parentEnd))
                }
                pc = Int(parentEnd)

            case .override(_, let overrideEnd):
                pc = Int(overrideEnd)

            case .block(let block, let indent, let blockEnd):
                if let override = overrides.first(where: { $0.block == block }) {
                    try enter(template, at: pc)
                    try withIndentation(indent, of: template) { renderer throws(MustacheError) in
                        try renderer.run(
                            renderer.templates[Int(override.template)], from: Int(override.start),
                            to: Int(override.end))
                    }
                    depth -= 1
                } else {
                    try withIndentation(indent, of: template) { renderer throws(MustacheError) in
                        try renderer.run(template, from: pc + 1, to: Int(blockEnd))
                    }
                }
                pc = Int(blockEnd)
            }
        }
    }

    // MARK: Partials and inheritance

    private mutating func enter(_ template: CompiledTemplate, at pc: Int) throws(MustacheError) {
        guard depth < maxDepth else {
            throw template.error(
                at: pc,
                "partials, parents and blocks nested more than \(maxDepth) deep: the template probably includes itself without end"
            )
        }
        depth += 1
    }

    private mutating func include(
        _ target: CompiledTemplate, indent: Int32, from template: CompiledTemplate, at pc: Int
    ) throws(MustacheError) {
        try enter(template, at: pc)
        if indent >= 0 {
            try withIndentation(indent, of: template) { renderer throws(MustacheError) in
                try renderer.run(target, from: 0, to: target.instructions.count)
            }
        } else if indentation.isEmpty {
            try run(target, from: 0, to: target.instructions.count)
        } else {
            let saved = indentation
            indentation = []
            try run(target, from: 0, to: target.instructions.count)
            indentation = saved
        }
        depth -= 1
    }

    private mutating func includeParent(
        _ target: CompiledTemplate, indent: Int32, from template: CompiledTemplate, at pc: Int, end: Int
    ) throws(MustacheError) {
        let base = overrides.count
        var position = pc + 1
        while position < end {
            if case .override(let block, let overrideEnd) = template.instructions[position] {
                overrides.append(
                    ActiveOverride(block: block, template: template.index, start: Int32(position + 1), end: overrideEnd))
                position = Int(overrideEnd)
            } else {
                position += 1
            }
        }
        try include(target, indent: indent, from: template, at: pc)
        overrides.removeLast(overrides.count - base)
    }

    private func dynamicTarget(_ path: borrowing MustachePath, from template: CompiledTemplate, at pc: Int) throws(MustacheError)
        -> CompiledTemplate?
    {
        guard case .string(let name) = resolve(path) else { return nil }
        if let index = templateIndices[name] { return templates[index] }
        if strictPartials {
            throw template.error(at: pc, "dynamic name '\(path.name)' resolved to '\(name)', which is not a template in the library")
        }
        return nil
    }

    /// Runs `body` with `indents[indent]` appended to the indentation; -1 leaves it unchanged.
    private mutating func withIndentation(
        _ indent: Int32, of template: CompiledTemplate, _ body: (inout Renderer) throws(MustacheError) -> Void
    ) throws(MustacheError) {
        guard indent >= 0 else { return try body(&self) }
        let extra = template.indents[Int(indent)]
        if extra.isEmpty { return try body(&self) }
        let count = indentation.count
        indentation.append(contentsOf: extra)
        try body(&self)
        indentation.removeLast(indentation.count - count)
    }

    // MARK: Lookup

    /// Spec name resolution: the first part walks the stack from the top, the rest dig into that value only.
    @inline(__always)
    private func resolve(_ path: borrowing MustachePath) -> MustacheValue? {
        let components = path.components
        guard let first = components.first else { return stack.last }
        var index = stack.count - 1
        while index >= 0 {
            if case .object(let object) = stack[index], let found = object[first] {
                var value = found
                var part = 1
                while part < components.count {
                    guard case .object(let inner) = value, let next = inner[components[part]] else { return nil }
                    value = next
                    part += 1
                }
                return value
            }
            index -= 1
        }
        return nil
    }

    // MARK: Output

    private mutating func writeText(_ bytes: [UInt8], _ start: Int, _ end: Int, startsLine: Bool) {
        bytes.withUnsafeBufferPointer { buffer in
            if indentation.isEmpty {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<end]))
                return
            }
            if startsLine { output.append(contentsOf: indentation) }
            var lineStart = start
            var index = start
            while index < end - 1 {
                if buffer[index] == newlineByte {
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[lineStart...index]))
                    output.append(contentsOf: indentation)
                    lineStart = index + 1
                }
                index += 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[lineStart..<end]))
        }
    }

    private mutating func write(_ value: MustacheValue, escaped: Bool) {
        switch value {
        case .string(let string):
            if escaped {
                HTMLEscaper.append(string, to: &output)
            } else {
                output.append(contentsOf: string.utf8)
            }
        case .int(let number):
            output.append(contentsOf: String(number).utf8)
        case .double(let number):
            if number.isFinite, number.rounded() == number, number.magnitude < 1e15 {
                output.append(contentsOf: String(Int(number)).utf8)
            } else {
                output.append(contentsOf: number.description.utf8)
            }
        case .bool(let flag):
            output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .list, .object, .null:
            break
        }
    }
}
