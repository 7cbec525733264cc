/// A place in a source file: 1-based line and column, counted in the whole file.
///
/// Columns count Unicode scalars from the start of the line, the way editors
/// show them. A line of 0 means "the whole file" (for problems with no better place).
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var column: Int

    public init(path: String, line: Int = 0, column: Int = 0) {
        self.path = path
        self.line = line
        self.column = column
    }

    public var description: String {
        line > 0 ? "\(path):\(line):\(max(column, 1))" : path
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.path, lhs.line, lhs.column) < (rhs.path, rhs.line, rhs.column)
    }
}
