/// New versions of some sections resolved into the graph of the last good build, without resolving the site again.
///
/// Made only when each new version keeps its place and its URL (same file, chapter, number, URL
/// name and draft state) and resolves without an error, so the section order, the page list and the
/// entities stay as they were: what changes is the sections themselves and which sections list or
/// relate to each entity. The result is what `ReferenceResolver.resolve` makes of the edited site.
public struct SectionUpdate: GraphUpdate {
    public var graph: SiteGraph
    /// Resolution's diagnostics that the old versions had and the new ones do not, and the other way round.
    public var withdrawn: [Diagnostic]
    public var added: [Diagnostic]
    /// What of the graph changed, in the terms pages record their reads in.
    public var changed: Set<PageReads.Read>
    /// The indices of the replaced sections.
    public var indices: [Int]

    /// nil when an edit moves, renames, hides or breaks a section: the whole pipeline must then resolve the site.
    public init?(_ graph: SiteGraph, replacing edits: [(index: Int, section: Section)], includeDrafts: Bool) {
        // Made only when some section's lists changed: resolution reads nothing else of a section.
        var resolution: Resolution?
        var next = graph
        var withdrawn: [Diagnostic] = [], added: [Diagnostic] = []
        var touched: Set<EntityRef> = []
        var changed: Set<PageReads.Read> = []
        let urls = SiteURLs(basePath: graph.config.basePath)
        for (index, section) in edits {
            let old = graph.sections[index]
            guard section.path == old.path, section.chapterSlug == old.chapterSlug, section.number.value == old.number.value,
                  section.slug == old.slug, section.draft == old.draft, includeDrafts || !section.draft else { return nil }
            next.sections[index] = section
            changed.insert(.section(index))
            guard SectionHead(section) != SectionHead(old) else { continue }
            func resolved(_ version: Section) -> (listed: [EntityRef], related: [EntityRef], diagnostics: [Diagnostic]) {
                var pass = resolution ?? Resolution(entitiesOf: graph)
                defer { resolution = pass }
                pass.diagnostics = []
                let listed = pass.listedEntities(of: version), related = pass.relatedEntities(of: version)
                var found = pass.diagnostics
                if let missing = ReferenceResolver.missingSources(path: version.path, sources: version.sources, config: graph.config) {
                    found.append(missing)
                }
                return (listed, related, found)
            }
            let before = resolved(old), after = resolved(section)
            guard !after.diagnostics.hasErrors else { return nil }
            withdrawn += before.diagnostics
            added += after.diagnostics
            for ref in before.listed { next.sectionsMentioning[ref]?.removeAll { $0 == index } }
            for ref in before.related { next.sectionsRelated[ref]?.removeAll { $0 == index } }
            for ref in after.listed { SectionUpdate.insert(index, into: &next.sectionsMentioning[ref, default: []]) }
            for ref in after.related { SectionUpdate.insert(index, into: &next.sectionsRelated[ref, default: []]) }
            touched.formUnion(before.listed + before.related + after.listed + after.related)
            if LinkCache.sectionLink(next, index, urls: urls) != LinkCache.sectionLink(graph, index, urls: urls) {
                changed.insert(.sectionLink(index))
            }
        }
        for ref in touched.sorted() {
            // The resolver leaves out an entity no section lists, rather than keeping an empty list.
            if next.sectionsMentioning[ref]?.isEmpty == true { next.sectionsMentioning[ref] = nil }
            if next.sectionsRelated[ref]?.isEmpty == true { next.sectionsRelated[ref] = nil }
            if next.sectionsMentioning[ref] != graph.sectionsMentioning[ref] { changed.insert(.mentioning(ref)) }
            if next.sectionsRelated[ref] != graph.sectionsRelated[ref] { changed.insert(.related(ref)) }
            let wasListed = graph.sectionsMentioning[ref] != nil || graph.sectionsRelated[ref] != nil
            let isListed = next.sectionsMentioning[ref] != nil || next.sectionsRelated[ref] != nil
            guard wasListed != isListed, let path = graph.header(ref)?.path else { continue }
            if isListed { withdrawn.append(Resolution.unlisted(ref, path: path)) } else { added.append(Resolution.unlisted(ref, path: path)) }
        }
        self.graph = next
        self.withdrawn = withdrawn
        self.added = added
        self.changed = changed
        self.indices = edits.map(\.index)
    }

    /// Puts `index` into a list of section indices kept in report order.
    private static func insert(_ index: Int, into list: inout [Int]) {
        let position = list.firstIndex { $0 > index } ?? list.endIndex
        if position == list.startIndex || list[position - 1] != index { list.insert(index, at: position) }
    }
}
