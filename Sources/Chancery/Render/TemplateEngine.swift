/// The seam between page rendering and a Mustache implementation.
///
/// Templates are named by their path under `templates/` without `.mustache`
/// (`section`, `partials/header`). Implementations compile every template once up front.
public protocol TemplateEngine: Sendable {
    /// Renders the named template; an unknown name is an error, never empty output.
    func render(_ name: String, _ value: TemplateValue) throws -> [UInt8]
    var templateNames: Set<String> { get }
}

/// A template problem, reported as `templates/name.mustache:line:col`.
public struct TemplateError: Error, Sendable {
    public var diagnostic: Diagnostic
}
