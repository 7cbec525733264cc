/// The templates and assets a site renders with: the built-in default theme, overridden file by file by the site's `templates/`.
///
/// Loading it from disk is the Load stage's work (`Theme.load`, in `Load/ThemeLoader.swift`).
public struct Theme: Sendable {
    public struct Template: Sendable {
        public var text: String
        /// Where the template came from, for diagnostics.
        public var path: String
    }

    /// Templates by name (`partials/header`).
    public var templates: [String: Template]
    /// Files under `assets/` by relative path (`assets/style.css`), copied to the output.
    public var assets: [String: [UInt8]]
}
