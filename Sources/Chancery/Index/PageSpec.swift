/// One page to render: what it shows, where it goes, and which file it comes from.
public struct PageSpec: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case home
        case chapter(Int)
        case section(Int)
        case entityIndex(EntityKind)
        case entity(EntityRef)
        case search
        case notFound
        /// An HTML file copied from `static/`: not rendered, but its links are checked like a page's.
        case staticPage
    }

    public var kind: Kind
    public var url: String
    /// Relative to the output folder.
    public var file: String
    /// The template that renders it.
    public var template: String
    /// The content file the page comes from (empty for generated pages).
    public var sourcePath: String

    /// Whether search engines should index the page: not the 404 page, nor the search page (a form with
    /// no content of its own). Indexable pages are listed in `sitemap.xml`; the others get `noindex`.
    public var isIndexable: Bool {
        switch kind {
        case .search, .notFound: false
        default: true
        }
    }
}
