/// A chapter: `content/<chapter>/_index.md`.
public struct Chapter: Sendable {
    /// The chapter folder's name, which is also its URL segment.
    public var slug: String
    public var path: String
    public var number: Located<Int>
    public var title: String
    public var summary: String?
    public var body: MarkdownSource
}

/// One section of a chapter: `content/<chapter>/<NN>-<slug>.md`.
public struct Section: Sendable {
    public var path: String
    public var chapterSlug: String
    /// The URL segment: the file name without `.md` and without its `NN-` prefix.
    public var slug: String
    /// The file name without `.md`, used when two sections of a chapter derive the same slug.
    public var fileStem: String
    public var title: String
    public var number: Located<Int>
    public var summary: String?
    public var date: Day?
    public var draft: Bool
    /// Ids listed in front matter, by kind, in the order written.
    public var references: [EntityKind: [Located<String>]]
    public var body: MarkdownSource
}

/// One tenure of an official: a title held from one date to another (`to` absent while in office).
public struct Position: Sendable, Hashable {
    public var title: String
    public var from: Day
    public var to: Day?
    public var location: SourceLocation

    /// Whether the position was held on `day`; both ends count, so a handover day belongs to both tenures.
    public func covers(_ day: Day) -> Bool {
        from <= day && (to.map { day <= $0 } ?? true)
    }
}

/// The fields every entity record has, whatever its kind.
public struct EntityHeader: Sendable {
    public var kind: EntityKind
    /// The file name without `.md`.
    public var id: String
    public var path: String
    /// The name shown on pages: a country's or official's name, an agreement's title.
    public var name: String
    /// Other names used in text; matched when linking mentions.
    public var aliases: [String]
    public var body: MarkdownSource
}

public struct Country: Sendable {
    public var header: EntityHeader
    public var iso: String
    public var iso3: String?
    public var region: String
}

public struct Official: Sendable {
    public var header: EntityHeader
    public var country: Located<String>
    public var positions: [Position]

    /// The title held on `day`, if any.
    public func title(on day: Day) -> String? {
        positions.last { $0.covers(day) }?.title
    }
}

public struct Agreement: Sendable {
    public var header: EntityHeader
    public var shortTitle: String?
    public var kind: String
    public var signed: Located<Day>?
    public var place: String?
    /// Country or organization ids.
    public var parties: [Located<String>]
    public var signatories: [Located<String>]
    public var inForce: Day?
    public var binding: Bool?
    public var source: String?
}

public struct Organization: Sendable {
    public var header: EntityHeader
    public var shortName: String?
}
