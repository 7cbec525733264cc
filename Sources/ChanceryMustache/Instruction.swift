/// One step of a compiled template; every payload is a plain integer, so running the program never touches reference counts.
///
/// Ops live in one flat array per template. A container's body follows it
/// directly and `end` is the index of the first op after the body, so the
/// renderer runs `pc + 1 ..< end` and then jumps to `end`. Offsets index
/// into the owning `CompiledTemplate`'s tables: `bytes` for text, `paths`
/// for names, `indents` for indentation; template and block ids are
/// library-wide.
enum Instruction: Sendable {
    /// Static text `bytes[start..<end]`. With a non-empty indentation the
    /// renderer inserts it before the text when `startsLine`, and after
    /// every line break inside the text that is not its last byte.
    case text(start: Int32, end: Int32, startsLine: Bool)
    /// Start of a line that begins with a tag: writes the current indentation.
    case lineStart
    case variable(path: Int32, escaped: Bool)
    case section(path: Int32, end: Int32)
    case invertedSection(path: Int32, end: Int32)
    /// `indent` -1: an inline partial, rendered without indentation;
    /// otherwise a standalone one, rendered with `indents[indent]` appended
    /// to the current indentation. `template` -1: missing (non-strict mode).
    case partial(template: Int32, indent: Int32)
    case dynamicPartial(path: Int32, indent: Int32)
    /// Body: `override` ops with their contents, then the parent is rendered
    /// with those overrides active.
    case parent(template: Int32, indent: Int32, end: Int32)
    case dynamicParent(path: Int32, indent: Int32, end: Int32)
    /// An argument inside a parent tag; its content is `pc + 1 ..< end`.
    case override(block: Int32, end: Int32)
    /// A block at its expansion site, default content in the body. `indent`
    /// -1: not standalone, the content keeps the current indentation.
    case block(block: Int32, indent: Int32, end: Int32)
}
