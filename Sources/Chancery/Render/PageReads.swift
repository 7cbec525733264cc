/// What one page's data was made from, as the renderer read it: the parts of the graph that, when
/// they change, change the page.
///
/// Recorded while a page's template data is built, never listed by hand, so a rebuild derives which
/// pages an edit reaches from these records. What an edit to a section or an entity that keeps its place
/// and names can change is recorded (section indices are positions in `SiteGraph.sections`, valid
/// while the sections keep their order); other edits go through the whole pipeline, which compares every page's key.
public struct PageReads: Sendable, Equatable {
    public enum Read: Hashable, Sendable {
        /// Everything about the section: its own page.
        case section(Int)
        /// What a link to the section shows: number, title, summary, URL and chapter.
        case sectionLink(Int)
        /// Which sections list the entity.
        case mentioning(EntityRef)
        /// Which sections name the entity under `related:`.
        case related(EntityRef)
        /// The entity's record: its fields and positions, not its id or names (which no edit this covers changes).
        case entity(EntityRef)
    }

    public private(set) var reads: [Read] = []

    public init() {}

    mutating func record(_ read: Read) {
        reads.append(read)
    }

    /// Whether the page read any of `changed`.
    func touches(_ changed: Changes) -> Bool {
        reads.contains { read in
            switch read {
            case .section(let index): changed.sections.contains(index)
            case .sectionLink(let index): changed.sectionLinks.contains(index)
            case .mentioning(let ref): !changed.mentioning.isEmpty && changed.mentioning.contains(ref)
            case .related(let ref): !changed.related.isEmpty && changed.related.contains(ref)
            case .entity(let ref): !changed.entities.isEmpty && changed.entities.contains(ref)
            }
        }
    }

    /// A set of reads kept by kind, so testing a page against it hashes an entity only when some entity's sections changed:
    /// a page of a large site records hundreds of thousands of reads, nearly all of them links to sections.
    public struct Changes: Sendable {
        var sections: Set<Int> = [], sectionLinks: Set<Int> = []
        var mentioning: Set<EntityRef> = [], related: Set<EntityRef> = [], entities: Set<EntityRef> = []

        public init(_ reads: some Sequence<Read>) {
            for read in reads {
                switch read {
                case .section(let index): sections.insert(index)
                case .sectionLink(let index): sectionLinks.insert(index)
                case .mentioning(let ref): mentioning.insert(ref)
                case .related(let ref): related.insert(ref)
                case .entity(let ref): entities.insert(ref)
                }
            }
        }
    }
}
