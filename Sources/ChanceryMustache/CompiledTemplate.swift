/// One template after compilation: an instruction array plus the tables its instructions index into.
///
/// A final class so that switching the renderer between templates (partials,
/// parents, overrides defined in a child) costs one retain rather than a
/// copy of every table.
final class CompiledTemplate: Sendable {
    let name: String
    /// Position of this template in the library, used by overrides to find their content.
    let index: Int32
    let instructions: [Instruction]
    /// Source position of each instruction's tag (line, column); (0, 0) for text.
    let locations: [(line: Int32, column: Int32)]
    /// All static text, in instruction order.
    let bytes: [UInt8]
    let paths: [MustachePath]
    let indents: [[UInt8]]

    init(
        name: String, index: Int32, instructions: [Instruction], locations: [(line: Int32, column: Int32)],
        bytes: [UInt8], paths: [MustachePath], indents: [[UInt8]]
    ) {
        self.name = name
        self.index = index
        self.instructions = instructions
        self.locations = locations
        self.bytes = bytes
        self.paths = paths
        self.indents = indents
    }

    func error(at instruction: Int, _ message: String) -> MustacheError {
        let location = locations[instruction]
        return MustacheError(template: name, line: Int(location.line), column: Int(location.column), message: message)
    }
}
