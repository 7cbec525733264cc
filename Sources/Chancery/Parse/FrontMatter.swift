import Yams

/// Typed, located reads of one YAML mapping in a file's front matter.
///
/// Every read records the key as known; `finish(allowed:)` then reports the keys nobody read,
/// so a typo such as `countires:` is an error on its own line. Locations are file lines:
/// Yams marks count from the YAML block, and `lineOffset` shifts them.
struct FrontMatter {
    let path: String
    let lineOffset: Int
    let mapping: Node.Mapping
    /// Where the mapping starts: missing keys are reported here.
    let start: SourceLocation
    /// How the mapping is named in messages (`positions[1]`), empty at the top level.
    let context: String
    private(set) var diagnostics: [Diagnostic] = []

    init(mapping: Node.Mapping, path: String, lineOffset: Int, start: SourceLocation, context: String = "") {
        self.mapping = mapping
        self.path = path
        self.lineOffset = lineOffset
        self.start = start
        self.context = context
    }

    /// Composes the YAML block; a syntax error becomes a diagnostic at its file line.
    static func parse(yaml: String, firstLine: Int, path: String) -> Result<FrontMatter, Diagnostic> {
        let offset = firstLine - 1
        let start = SourceLocation(path: path, line: max(1, firstLine - 1), column: 1)
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            return .failure(diagnostic(for: error, yaml: yaml, offset: offset, path: path))
        } catch {
            return .failure(.error(start, "cannot read front matter: \(error)"))
        }
        guard let node else {
            return .success(FrontMatter(mapping: [:], path: path, lineOffset: offset, start: start))
        }
        guard let mapping = node.mapping else {
            return .failure(.error(location(node.mark, offset: offset, path: path, fallback: start),
                                   "front matter must be a mapping of keys to values (like 'title: …'), not \(describe(node))"))
        }
        return .success(FrontMatter(mapping: mapping, path: path, lineOffset: offset, start: start))
    }

    private static func location(_ mark: Mark?, offset: Int, path: String, fallback: SourceLocation) -> SourceLocation {
        guard let mark, mark.line > 0 else { return fallback }
        return SourceLocation(path: path, line: mark.line + offset, column: mark.column)
    }

    private static func diagnostic(for error: YamlError, yaml: String, offset: Int, path: String) -> Diagnostic {
        let fallback = SourceLocation(path: path, line: offset + 1, column: 1)
        let yamlLines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        func notes(at mark: Mark) -> [String] {
            let index = mark.line - 1
            guard yamlLines.indices.contains(index) else { return [] }
            if yamlLines[index].contains("\t") { return ["YAML does not allow tabs for indentation; use spaces"] }
            return []
        }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            var message = "invalid YAML: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line + offset))" }
            return .error(location(mark, offset: offset, path: path, fallback: fallback), message, notes: notes(at: mark))
        case let .duplicatedKeysInMapping(duplicates, context):
            let key = duplicates.first ?? ""
            var line = context.mark.line
            // Yams reports the mapping's start; point at the second occurrence of the key instead.
            let pattern = Set([key + ":", "\"\(key)\":", "'\(key)':"])
            var seen = 0
            for (index, text) in yamlLines.enumerated() {
                let trimmed = text.drop { $0 == " " || $0 == "-" }
                if pattern.contains(where: { trimmed.hasPrefix($0) }) {
                    seen += 1
                    if seen == 2 { line = index + 1; break }
                }
            }
            let column = seen == 2 ? (yamlLines[line - 1].firstIndex { $0 != " " && $0 != "-" }.map { yamlLines[line - 1].distance(from: yamlLines[line - 1].startIndex, to: $0) + 1 } ?? 1) : 1
            return .error(SourceLocation(path: path, line: line + offset, column: column),
                          "duplicate key '\(key)' in front matter", notes: ["each key may appear only once"])
        case let .reader(problem, _, _, _):
            return .error(fallback, "invalid YAML: \(problem)")
        default:
            return .error(fallback, "invalid YAML: \(error)")
        }
    }

    func location(of node: Node?) -> SourceLocation {
        FrontMatter.location(node?.mark, offset: lineOffset, path: path, fallback: start)
    }

    private func name(_ key: String) -> String {
        context.isEmpty ? "'\(key)'" : "'\(context).\(key)'"
    }

    private func value(_ key: String) -> Node? {
        guard let node = mapping[key] else { return nil }
        if node.tag.rawValue == Tag.Name.null.rawValue { return nil }
        return node
    }

    private mutating func report(_ node: Node?, _ message: String, notes: [String] = []) {
        diagnostics.append(.error(location(of: node), message, notes: notes))
    }

    private mutating func reportMissing(_ key: String) {
        let place = context.isEmpty ? "front matter" : "'\(context)'"
        diagnostics.append(.error(start, "missing required key '\(key)' in \(place)"))
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar(let scalar): "'\(scalar.string)'"
        case .alias: "an alias"
        }
    }

    /// A text value; numbers and dates written unquoted are taken as their text.
    mutating func string(_ key: String, required: Bool = false) -> Located<String>? {
        guard let node = value(key) else {
            if required { reportMissing(key) }
            return nil
        }
        guard case .scalar(let scalar) = node else {
            report(node, "\(name(key)) must be text, not \(FrontMatter.describe(node))")
            return nil
        }
        let text = scalar.string.trimmingWhitespace()
        if text.isEmpty {
            if required { report(node, "\(name(key)) must not be empty") }
            return nil
        }
        return Located(text, at: location(of: node))
    }

    mutating func int(_ key: String, required: Bool = false) -> Located<Int>? {
        guard let node = value(key) else {
            if required { reportMissing(key) }
            return nil
        }
        guard node.scalar != nil, node.tag.rawValue == Tag.Name.int.rawValue, let number = node.int else {
            report(node, "\(name(key)) must be a whole number, not \(FrontMatter.describe(node))")
            return nil
        }
        return Located(number, at: location(of: node))
    }

    mutating func bool(_ key: String) -> Bool? {
        guard let node = value(key) else { return nil }
        guard node.scalar != nil, node.tag.rawValue == Tag.Name.bool.rawValue, let flag = node.bool else {
            report(node, "\(name(key)) must be true or false, not \(FrontMatter.describe(node))")
            return nil
        }
        return flag
    }

    mutating func day(_ key: String, required: Bool = false) -> Located<Day>? {
        guard let node = value(key) else {
            if required { reportMissing(key) }
            return nil
        }
        guard case .scalar(let scalar) = node, let day = Day(scalar.string.trimmingWhitespace()) else {
            report(node, "\(name(key)) must be a date written YYYY-MM-DD, not \(FrontMatter.describe(node))")
            return nil
        }
        return Located(day, at: location(of: node))
    }

    /// A list of text items (ids or names); a single item without brackets is a type error.
    mutating func strings(_ key: String) -> [Located<String>] {
        guard let node = value(key) else { return [] }
        guard case .sequence(let sequence) = node else {
            report(node, "\(name(key)) must be a list, like [a, b], not \(FrontMatter.describe(node))")
            return []
        }
        var items: [Located<String>] = []
        for item in sequence {
            guard case .scalar(let scalar) = item, item.tag.rawValue != Tag.Name.null.rawValue, !scalar.string.trimmingWhitespace().isEmpty else {
                report(item, "each item of \(name(key)) must be text, not \(item.tag.rawValue == Tag.Name.null.rawValue ? "empty" : FrontMatter.describe(item))")
                continue
            }
            items.append(Located(scalar.string.trimmingWhitespace(), at: location(of: item)))
        }
        return items
    }

    /// A list of mappings, each read by a nested `FrontMatter` named `key[i]`.
    mutating func mappings(_ key: String, required: Bool = false) -> [FrontMatter] {
        guard let node = value(key) else {
            if required { reportMissing(key) }
            return []
        }
        guard case .sequence(let sequence) = node else {
            report(node, "\(name(key)) must be a list of entries, not \(FrontMatter.describe(node))")
            return []
        }
        var readers: [FrontMatter] = []
        for (index, item) in sequence.enumerated() {
            guard let mapping = item.mapping else {
                report(item, "each item of \(name(key)) must be a mapping of keys to values, not \(FrontMatter.describe(item))")
                continue
            }
            let nested = context.isEmpty ? "\(key)[\(index + 1)]" : "\(context).\(key)[\(index + 1)]"
            readers.append(FrontMatter(mapping: mapping, path: path, lineOffset: lineOffset,
                                       start: location(of: item), context: nested))
        }
        if readers.isEmpty && required && diagnostics.isEmpty {
            report(node, "\(name(key)) must have at least one entry")
        }
        return readers
    }

    /// Reports every key not in `allowed`, suggesting the closest allowed key.
    mutating func finish(allowed: [String], adopting nested: [FrontMatter] = []) {
        for reader in nested { diagnostics += reader.diagnostics }
        for (keyNode, _) in mapping {
            let key = keyNode.string ?? ""
            guard !allowed.contains(key) else { continue }
            let place = context.isEmpty ? "" : " in '\(context)'"
            var notes = ["allowed keys: " + allowed.joined(separator: ", ")]
            if let guess = Suggestion.closest(to: key, among: allowed) { notes.insert("did you mean '\(guess)'?", at: 0) }
            diagnostics.append(.error(location(of: keyNode), "unknown key '\(key)'\(place)", notes: notes))
        }
    }
}

extension FrontMatter {
    /// A nested mapping read by its own `FrontMatter`, named `key` in messages.
    mutating func nested(_ key: String) -> FrontMatter? {
        guard let node = mapping[key], node.tag.rawValue != Tag.Name.null.rawValue else { return nil }
        guard let inner = node.mapping else {
            diagnostics.append(.error(location(of: node), "'\(key)' must be a mapping of keys to values, not \(FrontMatter.describe(node))"))
            return nil
        }
        return FrontMatter(mapping: inner, path: path, lineOffset: lineOffset, start: location(of: node),
                           context: context.isEmpty ? key : "\(context).\(key)")
    }
}
