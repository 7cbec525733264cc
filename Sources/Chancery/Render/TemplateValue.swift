import ChanceryMustache

/// The data a template sees: the value tree of our compiled Mustache engine.
///
/// Strings are HTML-escaped by `{{name}}`; pre-rendered HTML (Markdown bodies) is a string
/// the template writes with `{{{name}}}` on purpose.
public typealias TemplateValue = MustacheValue

extension MustacheValue {
    /// `.string` for a value, `.null` for nil, so optional fields drop out of `{{#field}}` sections.
    public static func optional(_ text: String?) -> MustacheValue {
        text.map(MustacheValue.string) ?? .null
    }
}
