/// Checks a theme before it is compiled: every page template exists, and no templates include
/// each other in a loop (which would only fail at render time, once per page).
///
/// It reads `{{> name}}` and `{{< name}}` tags with the default delimiters; the engine itself
/// rejects partials that do not exist.
enum ThemeChecker {
    struct Reference {
        var name: String
        var line: Int
        var column: Int
    }

    static func check(_ theme: Theme, required: [String]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var graph: [String: [Reference]] = [:]
        for (name, template) in theme.templates {
            graph[name] = references(in: template.text)
        }
        for name in required where theme.templates[name] == nil {
            diagnostics.append(.error(SourceLocation(path: "templates/\(name).mustache"), "missing template '\(name)'"))
        }
        // A cycle through partials or parents never ends when rendered.
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        func visit(_ name: String, _ path: [String]) {
            if state[name] == 2 { return }
            if state[name] == 1 {
                let cycle = path.drop { $0 != name } + [name]
                let first = theme.templates[cycle.first!]!
                let reference = graph[cycle.first!]!.first { $0.name == cycle.dropFirst().first! }!
                diagnostics.append(.error(SourceLocation(path: first.path, line: reference.line, column: reference.column),
                                          "templates include each other in a loop: " + cycle.joined(separator: " → ")))
                return
            }
            state[name] = 1
            for reference in graph[name] ?? [] where theme.templates[reference.name] != nil {
                visit(reference.name, path + [name])
            }
            state[name] = 2
        }
        for name in graph.keys.sorted() { visit(name, []) }
        return diagnostics
    }

    static func references(in text: String) -> [Reference] {
        var result: [Reference] = []
        let bytes = Array(text.utf8)
        var line = 1, lineStart = 0, i = 0
        while i + 2 < bytes.count {
            if bytes[i] == UInt8(ascii: "\n") { line += 1; lineStart = i + 1; i += 1; continue }
            guard bytes[i] == UInt8(ascii: "{"), bytes[i + 1] == UInt8(ascii: "{"),
                  bytes[i + 2] == UInt8(ascii: ">") || bytes[i + 2] == UInt8(ascii: "<") else { i += 1; continue }
            var j = i + 3
            while j + 1 < bytes.count, !(bytes[j] == UInt8(ascii: "}") && bytes[j + 1] == UInt8(ascii: "}")) { j += 1 }
            let name = String(decoding: bytes[(i + 3)..<min(j, bytes.count)], as: UTF8.self).trimmingWhitespace()
            if !name.isEmpty && !name.hasPrefix("*") {
                result.append(Reference(name: name, line: line, column: i - lineStart + 1))
            }
            i = j + 2
        }
        return result
    }

    /// For each template, a fingerprint of its text and the texts of every template it reaches through partials and parents.
    static func closureFingerprints(_ theme: Theme) -> [String: Fingerprint] {
        var graph: [String: [String]] = [:]
        for (name, template) in theme.templates { graph[name] = references(in: template.text).map(\.name) }
        // Dynamic names and changed delimiters hide what a template includes: then every page depends on every template.
        let opaque = theme.templates.values.contains { $0.text.contains("{{=") || $0.text.contains("{{>*") || $0.text.contains("{{<*") }
        var result: [String: Fingerprint] = [:]
        for name in theme.templates.keys {
            var seen: Set<String> = opaque ? Set(theme.templates.keys) : [name]
            var stack = [name]
            while let next = stack.popLast() {
                for child in graph[next] ?? [] where theme.templates[child] != nil && seen.insert(child).inserted { stack.append(child) }
            }
            var fingerprint = Fingerprint()
            for member in seen.sorted() {
                fingerprint.add(member)
                fingerprint.add(theme.templates[member]!.text)
            }
            result[name] = fingerprint
        }
        return result
    }
}
