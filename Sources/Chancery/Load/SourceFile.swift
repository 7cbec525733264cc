/// One file read from the site folder, before parsing.
public struct SourceFile: Sendable {
    public enum Role: Sendable, Hashable {
        case config
        case home
        case chapter(slug: String)
        case section(chapter: String)
        case entity(EntityKind)
    }

    public var role: Role
    /// The path shown in diagnostics: the site folder as given, then the path inside it.
    public var path: String
    /// The path relative to the site folder, with `/` separators.
    public var relativePath: String
    public var bytes: [UInt8]

    public init(role: Role, path: String, relativePath: String, bytes: [UInt8]) {
        self.role = role
        self.path = path
        self.relativePath = relativePath
        self.bytes = bytes
    }

    /// The file name without directory and without `.md`.
    public var stem: String {
        let name = relativePath.split(separator: "/").last.map(String.init) ?? relativePath
        return name.hasSuffix(".md") ? String(name.dropLast(3)) : name
    }
}
