import ChanceryMustache

/// `TemplateEngine` backed by `ChanceryMustache`, which compiles every template once and renders straight into bytes.
///
/// It replaced swift-mustache after the 10,000-section benchmark showed rendering through it
/// dominating the build (README, "Performance").
public struct CompiledMustacheEngine: TemplateEngine {
    private let library: MustacheLibrary
    private let paths: [String: String]
    public let templateNames: Set<String>

    public init(theme: Theme) throws(TemplateError) {
        let paths = theme.templates.mapValues(\.path)
        do {
            library = try MustacheLibrary(templates: theme.templates.mapValues(\.text))
        } catch {
            throw CompiledMustacheEngine.templateError(error, paths: paths)
        }
        self.paths = paths
        templateNames = Set(theme.templates.keys)
    }

    public func render(_ name: String, _ value: TemplateValue) throws -> [UInt8] {
        do {
            return try library.render(name, value)
        } catch {
            throw CompiledMustacheEngine.templateError(error, paths: paths)
        }
    }

    static func templateError(_ error: MustacheError, paths: [String: String]) -> TemplateError {
        let path = paths[error.template] ?? "templates/\(error.template).mustache"
        return TemplateError(diagnostic: .error(SourceLocation(path: path, line: error.line, column: error.column), error.message))
    }
}
