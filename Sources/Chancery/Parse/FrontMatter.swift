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

    /// The mapping's values by key text, so reads do not go through `Node` hashing.
    private let fields: [String: Node]

    /// The last line of the YAML and the column after its end, where marks past the end point instead.
    let end: (line: Int, column: Int)

    init(mapping: Node.Mapping, path: String, lineOffset: Int, start: SourceLocation, context: String = "", end: (line: Int, column: Int)) {
        self.end = end
        self.mapping = mapping
        var fields: [String: Node] = [:]
        for (key, value) in mapping {
            if case .scalar(let scalar) = key, fields[scalar.string] == nil { fields[scalar.string] = value }
        }
        self.fields = fields
        self.path = path
        self.lineOffset = lineOffset
        self.start = start
        self.context = context
    }

    /// Composes the YAML block; a syntax error becomes a diagnostic at its file line.
    static func parse(yaml: String, firstLine: Int, path: String) -> Result<FrontMatter, Diagnostic> {
        let offset = firstLine - 1
        let start = SourceLocation(path: path, line: max(1, firstLine - 1), column: 1)
        if let (scalar, line, column) = unusualLineBreak(in: yaml) {
            let name = scalar == "\u{85}" ? "U+0085 NEXT LINE" : scalar == "\u{2028}" ? "U+2028 LINE SEPARATOR" : "U+2029 PARAGRAPH SEPARATOR"
            return .failure(.error(SourceLocation(path: path, line: line + offset, column: column),
                                   "\(documentName(path)) contains an invisible \(name), which YAML reads as a line break but editors do not",
                                   notes: ["delete it (it often comes with text pasted from a word processor or PDF), or start a new line instead"]))
        }
        if let (count, line, column) = aliasUses(in: yaml), count > maximumAliases {
            return .failure(.error(SourceLocation(path: path, line: line + offset, column: column),
                                   "too many YAML aliases (*name) in \(documentName(path)): \(count), at most \(maximumAliases) are allowed",
                                   notes: ["write the values out instead of repeating them through anchors (&name) and aliases (*name)"]))
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml, Resolver.basic, Constructor.default, .utf8)
        } catch let error as YamlError {
            return .failure(diagnostic(for: error, yaml: yaml, offset: offset, path: path))
        } catch {
            return .failure(.error(start, "cannot read front matter: \(error)"))
        }
        guard let node, !isNull(node) else {
            // Nothing, or only `~`: no keys at all, so each required key is reported as missing.
            return .success(FrontMatter(mapping: [:], path: path, lineOffset: offset, start: start, end: end(of: yaml)))
        }
        guard let mapping = node.mapping else {
            return .failure(.error(location(node.mark, offset: offset, path: path, fallback: start, end: end(of: yaml)),
                                   "\(documentName(path)) must be a mapping of keys to values (like 'title: …'), not \(describe(node))"))
        }
        return .success(FrontMatter(mapping: mapping, path: path, lineOffset: offset, start: start, end: end(of: yaml)))
    }

    /// The first U+0085, U+2028 or U+2029 in `yaml` with its editor line and column: libyaml ends a line
    /// at each (so its marks would no longer match the file's lines) and folds them inside quoted text.
    static func unusualLineBreak(in yaml: String) -> (scalar: Unicode.Scalar, line: Int, column: Int)? {
        // Their UTF-8 forms start with 0xC2 or 0xE2; most front matter has neither byte.
        guard yaml.utf8.contains(where: { $0 == 0xC2 || $0 == 0xE2 }) else { return nil }
        var line = 1, column = 1
        for scalar in yaml.unicodeScalars {
            if scalar == "\u{85}" || scalar == "\u{2028}" || scalar == "\u{2029}" { return (scalar, line, column) }
            if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return nil
    }

    /// The most aliases a file's YAML may use.
    ///
    /// Each alias repeats a whole node, so a few dozen nested ones describe billions of nodes
    /// ("billion laughs"); Yams hashes mapping keys in full to find duplicates, so such a key would
    /// stall the build. Front matter has no need for aliases; twenty leave room for a few.
    static let maximumAliases = 20

    /// How many YAML aliases `yaml` may use, counted generously (a `*name` after a space or a flow
    /// indicator, even inside quotes), with the place of the first one beyond the limit; nil when none.
    static func aliasUses(in yaml: String) -> (count: Int, line: Int, column: Int)? {
        var count = 0
        var line = 1, column = 0
        var place = (line: 1, column: 1)
        var previous: UInt8 = 0x0A
        var lastWasStar = false
        for byte in yaml.utf8 {
            if byte & 0xC0 != 0x80 { column += 1 }
            if lastWasStar, byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || (48...57).contains(byte)
                || (65...90).contains(byte) || (97...122).contains(byte) {
                count += 1
                if count == maximumAliases + 1 { place = (line, column - 1) }
            }
            lastWasStar = false
            if byte == UInt8(ascii: "*") {
                switch previous {
                case 0x0A, 0x20, 0x09, UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: ","), UInt8(ascii: ":"),
                     UInt8(ascii: "?"), UInt8(ascii: "-"): lastWasStar = true
                default: break
                }
            }
            if byte == 0x0A { line += 1; column = 0 }
            previous = byte
        }
        return count == 0 ? nil : (count, place.line, place.column)
    }

    /// The place of a Yams mark in the file; a mark past the last line (libyaml puts the end of the
    /// input at the start of the line after it) becomes the place just after the last character.
    private static func location(_ mark: Mark?, offset: Int, path: String, fallback: SourceLocation,
                                 end: (line: Int, column: Int)? = nil) -> SourceLocation {
        guard let mark, mark.line > 0 else { return fallback }
        if let end, mark.line > end.line { return SourceLocation(path: path, line: end.line + offset, column: end.column) }
        return SourceLocation(path: path, line: mark.line + offset, column: mark.column)
    }

    /// The last line of a YAML text and the column just after its last character.
    static func end(of yaml: String) -> (line: Int, column: Int) {
        var line = 1, column = 1
        for scalar in yaml.unicodeScalars {
            if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
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
        /// libyaml reports the end of the input as the start of the line after it; an editor has no such line,
        /// so such errors point just after the last character instead.
        func place(_ mark: Mark) -> SourceLocation {
            guard mark.line > yamlLines.count, let last = yamlLines.last else {
                return location(mark, offset: offset, path: path, fallback: fallback)
            }
            return SourceLocation(path: path, line: yamlLines.count + offset, column: last.unicodeScalars.count + 1)
        }
        func notes(at mark: Mark, problem: String) -> [String] {
            var found = notes(at: mark)
            if found.isEmpty && problem == "mapping values are not allowed in this context" {
                found.append("a value containing ': ' must be put in quotes; otherwise, check this line's indentation")
            }
            return found
        }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            if problem.hasPrefix("Maximum nesting level") {
                // libyaml's own limit; Yams composes recursively, so the limit also bounds its stack.
                return .error(place(mark), "\(documentName(path)) is nested too deeply: lists and mappings may nest at most 1000 levels")
            }
            var message = "invalid YAML: \(problem)"
            if let context { message += " (\(context.text) at line \(min(context.mark.line, yamlLines.count) + offset))" }
            return .error(place(mark), message, notes: notes(at: mark, problem: problem))
        case let .duplicatedKeysInMapping(duplicates, context):
            let key = duplicates.first ?? ""
            // Yams marks the key's first occurrence; point at the second one, the one to delete or rename.
            let first = context.mark
            var notes = ["each key may appear only once"]
            var place = first.line > 0 ? (line: first.line, column: first.column) : (line: 1, column: 1)
            if let second = secondOccurrence(of: key, after: first, in: yamlLines) {
                place = second
                notes = ["each key may appear only once; the first '\(key)' is on line \(first.line + offset)"]
            }
            return .error(SourceLocation(path: path, line: place.line + offset, column: place.column),
                          "duplicate key '\(key)' in \(documentName(path))", notes: notes)
        case let .reader(problem, _, _, _):
            return .error(fallback, "invalid YAML: \(problem)")
        default:
            return .error(fallback, "invalid YAML: \(error)")
        }
    }

    /// The next line after `first` holding `key:` at the same column (a sibling in the same block mapping).
    ///
    /// The search stops at the first line indented less than the key, where that mapping ends; nil for
    /// flow mappings (`{a: 1, a: 2}`) and anything else a line scan cannot place.
    private static func secondOccurrence(of key: String, after first: Mark, in lines: [Substring]) -> (line: Int, column: Int)? {
        guard first.line > 0, first.column > 0 else { return nil }
        let spellings = [key, "\"\(key)\"", "'\(key)'"]
        for index in lines.indices where index >= first.line {
            let line = lines[index]
            let indent = line.prefix { $0 == " " }.count
            let rest = line.dropFirst(indent)
            if rest.isEmpty || rest.hasPrefix("#") { continue }
            if indent + 1 < first.column { return nil }
            guard indent + 1 == first.column else { continue }
            for spelling in spellings where rest.hasPrefix(spelling) {
                if rest.dropFirst(spelling.count).drop(while: { $0 == " " }).hasPrefix(":") {
                    return (index + 1, first.column)
                }
            }
        }
        return nil
    }

    /// How messages name the YAML being read: the front matter of a content file, or `site.yaml` itself.
    static func documentName(_ path: String) -> String {
        path.hasSuffix(".md") ? "front matter" : String(path.split(separator: "/").last ?? Substring(path))
    }

    func location(of node: Node?) -> SourceLocation {
        FrontMatter.location(node?.mark, offset: lineOffset, path: path, fallback: start, end: end)
    }

    private func name(_ key: String) -> String {
        context.isEmpty ? "'\(key)'" : "'\(context).\(key)'"
    }

    private func value(_ key: String) -> Node? {
        guard let node = fields[key] else { return nil }
        if FrontMatter.isNull(node) { return nil }
        return node
    }

    private mutating func report(_ node: Node?, _ message: String, notes: [String] = []) {
        diagnostics.append(.error(location(of: node), message, notes: notes))
    }

    /// Records an error about a value already read (by its location).
    mutating func report(_ location: SourceLocation, _ message: String) {
        diagnostics.append(.error(location, message))
    }

    private mutating func reportMissing(_ key: String) {
        // `title:` with nothing after it is present but null: point at the key, not at the mapping.
        if let keyNode = mapping.first(where: { $0.key.string == key })?.key {
            diagnostics.append(.error(location(of: keyNode), "\(name(key)) must not be empty"))
            return
        }
        let place = context.isEmpty ? FrontMatter.documentName(path) : "'\(context)'"
        diagnostics.append(.error(start, "missing required key '\(key)' in \(place)"))
    }

    /// A note for a quoted value where a number or true/false was wanted: quotes make it text.
    private static func quoteNote(_ node: Node, wanted: String) -> [String] {
        guard case .scalar(let scalar) = node, scalar.style == .singleQuoted || scalar.style == .doubleQuoted else { return [] }
        return ["remove the quotes: a value in quotes is text, not \(wanted)"]
    }

    /// The text of an unquoted scalar: only those can be numbers or booleans.
    ///
    /// Front matter is composed with Yams' basic resolver, which leaves every scalar as text (its
    /// default resolver runs several regular expressions per scalar); types are decided here, and
    /// only `true`/`false` are booleans (not YAML 1.1's `yes`/`no`/`on`/`off`).
    static func plainText(_ node: Node) -> String? {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return nil }
        return scalar.string
    }

    /// Whether a node is YAML's null (`~`, `null`, or nothing), decided without Yams' tag
    /// resolution, which runs regular expressions on every scalar it is asked about.
    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        switch scalar.string {
        case "", "~", "null", "Null", "NULL": return true
        default: return false
        }
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar(let scalar): scalar.style == .doubleQuoted ? "\"\(scalar.string)\"" : "'\(scalar.string)'"
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
        guard let text = FrontMatter.plainText(node), let number = Int(text) else {
            report(node, "\(name(key)) must be a whole number, not \(FrontMatter.describe(node))",
                   notes: FrontMatter.quoteNote(node, wanted: "a number"))
            return nil
        }
        return Located(number, at: location(of: node))
    }

    mutating func bool(_ key: String) -> Bool? {
        guard let node = value(key) else { return nil }
        guard let text = FrontMatter.plainText(node), let flag = ["true": true, "True": true, "TRUE": true,
                                                                  "false": false, "False": false, "FALSE": false][text] else {
            report(node, "\(name(key)) must be true or false, not \(FrontMatter.describe(node))",
                   notes: FrontMatter.quoteNote(node, wanted: "true or false"))
            return nil
        }
        return flag
    }

    /// A full date, `YYYY-MM-DD`.
    mutating func day(_ key: String, required: Bool = false) -> Located<Day>? {
        guard let node = value(key) else {
            if required { reportMissing(key) }
            return nil
        }
        return date(node, named: name(key), fullDay: true).map { Located($0.value.earliest, at: $0.location) }
    }

    /// A date as precise as the source: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    mutating func partialDate(_ key: String, required: Bool = false) -> Located<PartialDate>? {
        guard let node = value(key) else {
            if required { reportMissing(key) }
            return nil
        }
        return date(node, named: name(key), fullDay: false)
    }

    /// A list of dates as precise as the source (`held: [2012-11-10, 2012-12]`).
    mutating func partialDates(_ key: String) -> [Located<PartialDate>] {
        guard let node = value(key) else { return [] }
        guard case .sequence(let sequence) = node else {
            report(node, "\(name(key)) must be a list of dates, like [2012-11-10], not \(FrontMatter.describe(node))")
            return []
        }
        return sequence.compactMap { date($0, named: "each item of \(name(key))", fullDay: false) }
    }

    private mutating func date(_ node: Node, named: String, fullDay: Bool) -> Located<PartialDate>? {
        guard case .scalar(let scalar) = node, let date = PartialDate(scalar.string.trimmingWhitespace()),
              !fullDay || date.precision == .day else {
            if case .scalar(let scalar) = node, let problem = FrontMatter.impossibleDate(scalar.string.trimmingWhitespace()) {
                report(node, "\(named) is not a real date: \(problem)")
            } else {
                report(node, "\(named) must be a date written YYYY-MM-DD\(fullDay ? "" : ", YYYY-MM or YYYY"), not \(FrontMatter.describe(node))")
            }
            return nil
        }
        return Located(date, at: location(of: node))
    }

    /// Why text shaped like `YYYY-MM-DD` is still no date (`2013-13-01`, `2013-02-30`); nil for other text.
    static func impossibleDate(_ text: String) -> String? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, parts[0].count == 4, parts.dropFirst().allSatisfy({ $0.count == 2 }),
              parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }),
              let year = Int(parts[0]), let month = Int(parts[1]) else { return nil }
        guard (1...12).contains(month) else { return "\(text) has no month \(month) (months go from 01 to 12)" }
        guard parts.count == 3, let day = Int(parts[2]) else { return nil }
        let days = Day.daysIn(month: month, year: year)
        guard (1...days).contains(day) else {
            return "\(text) has no day \(day) (\(Day.monthName(month)) \(year) has \(days) days)"
        }
        return nil
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
            guard case .scalar(let scalar) = item, !FrontMatter.isNull(item), !scalar.string.trimmingWhitespace().isEmpty else {
                report(item, "each item of \(name(key)) must be text, not \(FrontMatter.isNull(item) ? "empty" : FrontMatter.describe(item))")
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
                                       start: location(of: item), context: nested, end: end))
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
            let place = context.isEmpty ? "" : " in '\(context)'"
            guard case .scalar = keyNode else {
                diagnostics.append(.error(location(of: keyNode), "a key must be a name, not \(FrontMatter.describe(keyNode))\(place)",
                                          notes: ["allowed keys: " + allowed.joined(separator: ", ")]))
                continue
            }
            let key = keyNode.string ?? ""
            guard !allowed.contains(key) else { continue }
            var notes = ["allowed keys: " + allowed.joined(separator: ", ")]
            if let guess = Suggestion.closest(to: key, among: allowed) { notes.insert("did you mean '\(guess)'?", at: 0) }
            diagnostics.append(.error(location(of: keyNode), "unknown key '\(key)'\(place)", notes: notes))
        }
    }
}

extension FrontMatter {
    /// A nested mapping read by its own `FrontMatter`, named `key` in messages.
    mutating func nested(_ key: String) -> FrontMatter? {
        guard let node = fields[key], !FrontMatter.isNull(node) else { return nil }
        guard let inner = node.mapping else {
            diagnostics.append(.error(location(of: node), "'\(key)' must be a mapping of keys to values, not \(FrontMatter.describe(node))"))
            return nil
        }
        return FrontMatter(mapping: inner, path: path, lineOffset: lineOffset, start: location(of: node),
                           context: context.isEmpty ? key : "\(context).\(key)", end: end)
    }
}
