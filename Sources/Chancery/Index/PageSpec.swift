/// One page to render: what it shows, where it goes, and which file it comes from.
public struct PageSpec: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case home
        case chapter(Int)
        case section(Int)
        case entityIndex(EntityKind)
        case entity(EntityRef)
        case notFound
    }

    public var kind: Kind
    public var url: String
    /// Relative to the output folder.
    public var file: String
    /// The template that renders it.
    public var template: String
    /// The content file the page comes from (empty for generated pages).
    public var sourcePath: String
}
