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
        sorted { ($0.location, $0.severity == .error ? 0 : 1, $0.message) < ($1.location, $1.severity == .error ? 0 : 1, $1.message) }
    }
}
