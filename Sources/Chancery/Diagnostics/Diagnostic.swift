/// One problem found in a site, printed as `path:line:col: error: message`.
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable, Comparable {
        case warning
        case error

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            lhs == .warning && rhs == .error
        }
    }

    public var severity: Severity
    public var location: SourceLocation
    public var message: String
    /// Further lines printed under the message, e.g. `did you mean 'russia'?`.
    public var notes: [String]
    /// The check that found it, for checks whose severity `site.yaml` can set (`broken-link`, `orphan`…).
    public var rule: String?

    public init(_ severity: Severity, _ location: SourceLocation, _ message: String, notes: [String] = []) {
        self.severity = severity
        self.location = location
        self.message = message
        self.notes = notes
    }

    public static func error(_ location: SourceLocation, _ message: String, notes: [String] = []) -> Diagnostic {
        Diagnostic(.error, location, message, notes: notes)
    }

    public static func warning(_ location: SourceLocation, _ message: String, notes: [String] = []) -> Diagnostic {
        Diagnostic(.warning, location, message, notes: notes)
    }

    public var description: String {
        var text = "\(location): \(severity.rawValue): \(message)"
        for note in notes {
            text += "\n\(location): note: \(note)"
        }
        return text
    }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }
    public var errors: [Diagnostic] { filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { filter { $0.severity == .warning } }

    /// Diagnostics in file order, so output is stable whatever order the stages found them in.
    public func sortedForDisplay() -> [Diagnostic] {
        // Positions are sorted and diagnostics compared where they lie: copying two per comparison costs more than comparing them.
        withUnsafeBufferPointer { items in
            items.indices.sorted { Diagnostic.precedesForDisplay(items[$0], items[$1]) }.map { items[$0] }
        }
    }
}

extension Diagnostic {
    /// The site's diagnostics followed by the pages', each page diagnostic once: what a build reports
    /// before its link check, whichever way the pages were rendered.
    static func gathered(_ site: [Diagnostic], _ pages: [[Diagnostic]]) -> [Diagnostic] {
        var diagnostics = site
        var seen: Set<Diagnostic> = []
        for diagnostic in pages.joined() where seen.insert(diagnostic).inserted { diagnostics.append(diagnostic) }
        return diagnostics
    }

    /// `list` less one occurrence of each of `withdrawn`, with `added` after it; nil when `list` lacks one of `withdrawn`.
    static func replacing(_ withdrawn: [Diagnostic], with added: [Diagnostic], in list: [Diagnostic]) -> [Diagnostic]? {
        guard !withdrawn.isEmpty else { return list + added }
        var pending: [Diagnostic: Int] = [:]
        for diagnostic in withdrawn { pending[diagnostic, default: 0] += 1 }
        // Only diagnostics of the files withdrawn ones are in are hashed.
        let paths = Set(withdrawn.map(\.location.path))
        var result: [Diagnostic] = []
        result.reserveCapacity(list.count + added.count)
        for diagnostic in list {
            if paths.contains(diagnostic.location.path), let count = pending[diagnostic], count > 0 {
                pending[diagnostic] = count - 1
                continue
            }
            result.append(diagnostic)
        }
        guard pending.values.allSatisfy({ $0 == 0 }) else { return nil }
        return result + added
    }

    /// Two lists in display order merged into one, as `(sorted + few).sortedForDisplay()` would give it,
    /// with a binary search per item of `few` instead of sorting `sorted` again.
    static func merged(_ sorted: [Diagnostic], _ few: [Diagnostic]) -> [Diagnostic] {
        guard !few.isEmpty else { return sorted }
        var result: [Diagnostic] = []
        result.reserveCapacity(sorted.count + few.count)
        var start = 0
        for item in few.sortedForDisplay() {
            var low = start, high = sorted.count
            while low < high {
                let middle = (low + high) / 2
                if precedesForDisplay(item, sorted[middle]) { high = middle } else { low = middle + 1 }
            }
            result += sorted[start..<low]
            result.append(item)
            start = low
        }
        result += sorted[start...]
        return result
    }

    /// Display order: by file, line and column, errors before warnings, then by message and notes.
    static func precedesForDisplay(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        if a.location.path != b.location.path { return a.location.path < b.location.path }
        if a.location.line != b.location.line { return a.location.line < b.location.line }
        if a.location.column != b.location.column { return a.location.column < b.location.column }
        if a.severity != b.severity { return a.severity == .error }
        if a.message != b.message { return a.message < b.message }
        return a.notes.lexicographicallyPrecedes(b.notes)
    }
}
