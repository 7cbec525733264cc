/// A reference to one entity: its kind and id.
public struct EntityRef: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var kind: EntityKind
    public var id: String

    public init(_ kind: EntityKind, _ id: String) {
        self.kind = kind
        self.id = id
    }

    public var description: String { "\(kind.plural)/\(id)" }

    public static func < (lhs: EntityRef, rhs: EntityRef) -> Bool { (lhs.kind, lhs.id) < (rhs.kind, rhs.id) }
}

/// The resolved site: chapters and sections in report order, entities by id, and every relation in both directions.
///
/// Built once by `ReferenceResolver`; every list in it is sorted, so everything derived from it is deterministic.
public struct SiteGraph: Sendable {
    public var config: SiteConfig
    public var homeTitle: String
    public var homeBody: MarkdownSource?
    public var homeSources: [SourceReference] = []
    /// Chapters by number.
    public var chapters: [Chapter]
    /// Sections in report order: by chapter number, then section number.
    public var sections: [Section]
    /// For each chapter, the indices into `sections` of its sections.
    public var chapterSections: [[Int]]
    /// For each section, the index into `chapters` of its chapter.
    public var sectionChapter: [Int]

    public var countries: [String: Country]
    public var officials: [String: Official]
    public var agreements: [String: Agreement]
    public var organizations: [String: Organization]

    /// For each entity, the indices of the sections that list it, in report order.
    public var sectionsMentioning: [EntityRef: [Int]]
    /// For each entity, the indices of the sections that name it under `related:` (concerned, not named), in report order.
    public var sectionsRelated: [EntityRef: [Int]] = [:]
    /// Official ids by country id, sorted by name.
    public var officialsByCountry: [String: [String]]
    /// Agreement ids by party id (country or organization), newest first.
    public var agreementsByParty: [String: [String]]
    /// Agreement ids by signatory id, newest first.
    public var agreementsBySignatory: [String: [String]]

    public func header(_ ref: EntityRef) -> EntityHeader? {
        switch ref.kind {
        case .country: countries[ref.id]?.header
        case .official: officials[ref.id]?.header
        case .agreement: agreements[ref.id]?.header
        case .organization: organizations[ref.id]?.header
        }
    }

    /// Every entity id of each kind, sorted by display name (ignoring case), then id; filled in by `ReferenceResolver`.
    public var entityOrder: [EntityKind: [String]] = [:]

    /// Every entity id of a kind, sorted by display name then id.
    public func sortedIDs(_ kind: EntityKind) -> [String] {
        entityOrder[kind] ?? []
    }

    /// Computes `entityOrder`, sorting each kind once with precomputed keys.
    mutating func computeEntityOrder() {
        for kind in EntityKind.allCases {
            let keyed = ids(kind).map { id in (key: header(EntityRef(kind, id))!.name.lowercased(), id: id) }
            entityOrder[kind] = keyed.sorted { ($0.key, $0.id) < ($1.key, $1.id) }.map(\.id)
        }
    }

    public func ids(_ kind: EntityKind) -> some Collection<String> {
        switch kind {
        case .country: Array(countries.keys)
        case .official: Array(officials.keys)
        case .agreement: Array(agreements.keys)
        case .organization: Array(organizations.keys)
        }
    }

    /// The display name of a party, which may be a country or an organization.
    public func partyRef(_ id: String) -> EntityRef? {
        if countries[id] != nil { return EntityRef(.country, id) }
        if organizations[id] != nil { return EntityRef(.organization, id) }
        return nil
    }
}
