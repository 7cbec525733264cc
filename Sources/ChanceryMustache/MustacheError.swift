/// A compile or render failure, located in the template that caused it.
///
/// `line` and `column` are 1-based; the column counts Unicode scalars, and
/// points at the opening delimiter of the offending tag. Errors that belong
/// to no position (an unknown template name passed to `render`) carry line
/// and column 0.
public struct MustacheError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Library name of the template, e.g. `partials/header`.
    public let template: String
    public let line: Int
    public let column: Int
    public let message: String

    public init(template: String, line: Int, column: Int, message: String) {
        self.template = template
        self.line = line
        self.column = column
        self.message = message
    }

    /// `template:line:column: message`, the shape compilers use, so editors can jump to it.
    public var description: String {
        if line == 0 { return "\(template): \(message)" }
        return "\(template):\(line):\(column): \(message)"
    }
}
