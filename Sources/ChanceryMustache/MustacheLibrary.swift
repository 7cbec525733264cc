import Foundation

/// A set of named templates, compiled once and rendered many times, from any thread.
///
/// Partials (`{{>name}}`) and parents (`{{<name}}`) name other templates of
/// the same library, e.g. `{{> partials/header}}`. Unlike the spec, a
/// reference to a template that does not exist is a compile error unless
/// `strictPartials` is false; a dynamic name (`{{>*name}}`) that resolves
/// to a string naming no template is then a render error. A dynamic name
/// whose lookup fails or is not a string renders nothing, as in the spec.
///
/// Partials, parents and overridden blocks may nest at most `maxDepth`
/// deep; deeper nesting (a template including itself without end) throws
/// instead of exhausting the stack.
///
/// Whitespace follows the spec. A partial or parent tag alone on its line
/// indents every line of the included template's text (not the lines of
/// interpolated values, so `<pre>` content stays intact); an inline one
/// indents nothing. A block whose tags stand alone is re-indented: its
/// content loses its own common indentation and takes that of the block
/// it replaces. One spec rule surprises: a line holding a whole block,
/// `    {{$content}}{{/content}}`, keeps its line break, so content ending
/// in a newline leaves an empty line after it; put the closing tag on its
/// own line to avoid that.
///
/// Blocks overridden by a parent tag are also overridden inside the
/// partials that the parent template includes.
public struct MustacheLibrary: Sendable {
    private let templates: [CompiledTemplate]
    private let templateIndices: [String: Int]
    private let strictPartials: Bool
    private let maxDepth: Int

    /// Compiles every template; names are paths relative to a root without the ".mustache" extension, e.g. "layout", "partials/header".
    ///
    /// All templates are compiled; the error thrown is the first one in
    /// name order, each template reporting its first error.
    public init(templates: [String: String], strictPartials: Bool = true, maxDepth: Int = 100) throws(MustacheError) {
        let names = templates.keys.sorted()
        var indices: [String: Int] = [:]
        for (index, name) in names.enumerated() { indices[name] = index }
        var compiled: [CompiledTemplate] = []
        compiled.reserveCapacity(names.count)
        var blockIDs: [String: Int32] = [:]
        var firstError: MustacheError?
        for (index, name) in names.enumerated() {
            do {
                var parser = TemplateParser(source: Array(templates[name, default: ""].utf8), templateName: name)
                try parser.parse()
                var compiler = TemplateCompiler(
                    parser: parser, index: Int32(index), templateIndices: indices, strictPartials: strictPartials)
                compiled.append(try compiler.compile(blockIDs: &blockIDs))
            } catch {
                if firstError == nil { firstError = error }
            }
        }
        if let firstError { throw firstError }
        self.templates = compiled
        self.templateIndices = indices
        self.strictPartials = strictPartials
        self.maxDepth = maxDepth
    }

    /// Loads `*.mustache` files under `directory` recursively (in sorted order) and compiles them.
    ///
    /// Names are the paths relative to `directory` with `/` separators and
    /// without the extension: `partials/header.mustache` is `partials/header`.
    /// Throws file-system errors as they come, and `MustacheError` for templates.
    public init(directory: String, strictPartials: Bool = true, maxDepth: Int = 100) throws {
        let root = URL(fileURLWithPath: directory, isDirectory: true)
        let paths = try FileManager.default.subpathsOfDirectory(atPath: root.path)
            .filter { $0.hasSuffix(".mustache") }
            .sorted()
        var sources: [String: String] = [:]
        for path in paths {
            let url = root.appendingPathComponent(path)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue
            else { continue }
            let data = try Data(contentsOf: url)
            sources[String(path.dropLast(".mustache".count))] = String(decoding: data, as: UTF8.self)
        }
        try self.init(templates: sources, strictPartials: strictPartials, maxDepth: maxDepth)
    }

    /// Template names in sorted order.
    public var templateNames: [String] { templates.map(\.name) }

    /// Renders template `name` with `value` as the root context.
    public func render(_ name: String, _ value: MustacheValue) throws(MustacheError) -> [UInt8] {
        guard let index = templateIndices[name] else { throw unknownTemplate(name) }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(templates[index].bytes.count * 2 + 1024)
        try render(name, value, into: &buffer)
        return buffer
    }

    /// Appends the rendering of template `name` to `buffer`; on error the buffer is left as it was.
    ///
    /// Reusing one buffer (`removeAll(keepingCapacity: true)` between pages)
    /// avoids allocating per page.
    public func render(_ name: String, _ value: MustacheValue, into buffer: inout [UInt8]) throws(MustacheError) {
        guard let index = templateIndices[name] else { throw unknownTemplate(name) }
        var renderer = Renderer(
            templates: templates, templateIndices: templateIndices, strictPartials: strictPartials, maxDepth: maxDepth)
        swap(&renderer.output, &buffer)
        let mark = renderer.output.count
        do {
            try renderer.render(templates[index], value)
        } catch {
            renderer.output.removeSubrange(mark...)
            swap(&renderer.output, &buffer)
            throw error
        }
        swap(&renderer.output, &buffer)
    }

    /// Renders into a `String`; convenient for tests and small outputs.
    public func renderString(_ name: String, _ value: MustacheValue) throws(MustacheError) -> String {
        String(decoding: try render(name, value), as: UTF8.self)
    }

    private func unknownTemplate(_ name: String) -> MustacheError {
        MustacheError(template: name, line: 0, column: 0, message: "unknown template '\(name)'")
    }
}
