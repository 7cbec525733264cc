/// A compiled tag name: `.` or a dotted name split into its parts.
struct MustachePath: Sendable {
    /// Empty for the implicit iterator `.`.
    let components: [String]

    /// Parses `name`; returns nil for empty parts such as `a..b` or `.a`.
    init?(_ name: String) {
        if name == "." {
            components = []
            return
        }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard !parts.contains(where: \.isEmpty) else { return nil }
        components = parts.map(String.init)
    }

    /// The name as written, for error messages.
    var name: String { components.isEmpty ? "." : components.joined(separator: ".") }
}
