/// New versions of some records resolved into the graph of the last good build: the new graph, what
/// resolution now says and no longer says of them, and what of the graph changed.
public protocol GraphUpdate: Sendable {
    var graph: SiteGraph { get }
    var withdrawn: [Diagnostic] { get }
    var added: [Diagnostic] { get }
    /// In the terms pages record their reads in (`PageReads`).
    var changed: Set<PageReads.Read> { get }
}
