/// The data a template is rendered against: a small JSON-like value tree.
///
/// Truthiness follows the spec tests: `.bool(false)`, `.null` and an empty
/// `.list` are falsey; everything else, including `""`, `0` and an empty
/// object, is truthy. A section over a list repeats once per element; over
/// any other truthy value it renders once with that value pushed on the
/// context stack.
///
/// Interpolation writes strings as they are (HTML-escaped for `{{x}}`),
/// integers in decimal, booleans as `true`/`false`, and doubles in their
/// shortest round-trip form, with integral doubles written without a
/// fraction (`2.0` renders `2`). Lists, objects and `.null` render nothing.
///
/// The literal conformances let data be written inline:
/// `["title": "Home", "items": [1, 2, 3]]`.
public enum MustacheValue: Sendable, Equatable {
    case string(String)
    case bool(Bool)
    case int(Int)
    case double(Double)
    case list([MustacheValue])
    case object([String: MustacheValue])
    case null

    /// Whether a section over this value renders (an inverted section renders when this is `false`).
    @inlinable
    public var isTruthy: Bool {
        switch self {
        case .bool(let flag): return flag
        case .null: return false
        case .list(let items): return !items.isEmpty
        default: return true
        }
    }
}

extension MustacheValue: ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension MustacheValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self = .int(value) }
}

extension MustacheValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension MustacheValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension MustacheValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: MustacheValue...) { self = .list(elements) }
}

extension MustacheValue: ExpressibleByDictionaryLiteral {
    /// Builds an object; a repeated key keeps its last value.
    public init(dictionaryLiteral elements: (String, MustacheValue)...) {
        var object: [String: MustacheValue] = [:]
        object.reserveCapacity(elements.count)
        for (key, value) in elements { object[key] = value }
        self = .object(object)
    }
}
