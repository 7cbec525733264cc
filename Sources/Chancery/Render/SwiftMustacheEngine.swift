import Mustache

/// `TemplateEngine` backed by hummingbird-project/swift-mustache.
///
/// swift-mustache renders a missing partial as empty text and recurses without limit into a
/// partial that includes itself, so the theme is checked first (`ThemeChecker`).
public struct SwiftMustacheEngine: TemplateEngine {
    private let library: MustacheLibrary
    public let templateNames: Set<String>

    public init(theme: Theme) throws(TemplateError) {
        var library = MustacheLibrary()
        for (name, template) in theme.templates.sorted(by: { $0.key < $1.key }) {
            do {
                try library.register(template.text, named: name)
            } catch let error as MustacheTemplate.ParserError {
                throw TemplateError(diagnostic: .error(SourceLocation(path: template.path, line: error.context.lineNumber,
                                                                      column: error.context.columnNumber),
                                                       "template syntax error: \(error.error)"))
            } catch {
                throw TemplateError(diagnostic: .error(SourceLocation(path: template.path), "template error: \(error)"))
            }
        }
        self.library = library
        self.templateNames = Set(theme.templates.keys)
    }

    public func render(_ name: String, _ value: TemplateValue) throws -> [UInt8] {
        guard let text = library.render(SwiftMustacheEngine.bridge(value) ?? [String: Any](), withTemplate: name) else {
            throw TemplateError(diagnostic: .error(SourceLocation(path: "templates/\(name).mustache"), "template '\(name)' does not exist"))
        }
        return Array(text.utf8)
    }

    private static func bridge(_ value: TemplateValue) -> Any? {
        switch value {
        case .string(let text): return text
        case .bool(let flag): return flag
        case .int(let number): return number
        case .list(let items): return items.map { bridge($0) ?? [String: Any]() }
        case .object(let fields): return fields.compactMapValues(bridge)
        case .null: return nil
        }
    }
}
