/// A chapter: `content/<chapter>/_index.md`.
public struct Chapter: Sendable {
    /// The chapter folder's name, which is also its URL segment.
    public var slug: String
    public var path: String
    public var number: Located<Int>
    public var title: String
    public var summary: String?
    public var body: MarkdownSource
    public var sources: [SourceReference]
}

extension Chapter {
    /// How pages name the chapter: `Chapter 2: Regional Diplomacy`.
    public var heading: String { "Chapter \(number.value): \(title)" }
}

/// One section of a chapter: `content/<chapter>/<NN>-<slug>.md`.
public struct Section: Sendable {
    /// The path shown in diagnostics (the site folder as given, then the path inside it).
    public var path: String
    /// The path inside the site folder: what published files show, whatever folder the build ran from.
    public var relativePath: String
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
    /// Ids listed in front matter, by kind, in the order written: entities the text names.
    public var references: [EntityKind: [Located<String>]]
    /// Ids of entities the section concerns without naming them in its text (`related:`), any kind.
    public var related: [Located<String>]
    public var body: MarkdownSource
    public var sources: [SourceReference]
}

/// One office an official held, with what the sources say of when: a start, an end, days on which
/// they are attested in it, or nothing at all.
///
/// A position with a `from` and no `to` is open-ended: held from then on, as of the edition's date.
/// One with neither is known only by its `held` dates (or by none). Dates may be partial; rules
/// compare them as `certainly` (every day a date may be) or `possibly` (some day it may be).
public struct Position: Sendable, Hashable {
    public var title: String
    public var from: PartialDate?
    public var to: PartialDate?
    /// Dates on which a source attests the office was held (a meeting attended in it).
    public var held: [PartialDate]
    public var location: SourceLocation

    public init(title: String, from: PartialDate? = nil, to: PartialDate? = nil, held: [PartialDate] = [], location: SourceLocation) {
        self.title = title
        self.from = from
        self.to = to
        self.held = held
        self.location = location
    }

    /// Whether the sources show the office held over all of `date`: attested on that very date, or
    /// within a tenure whose known start and end enclose it (both ends count, so a handover day belongs to both).
    public func certainlyCovers(_ date: PartialDate) -> Bool {
        if held.contains(date) { return true }
        guard let from else { return false }
        return from.latest <= date.earliest && (to.map { date.latest <= $0.earliest } ?? true)
    }

    /// Whether the office may have been held on some day of `date`: false only when the tenure's known
    /// start or end rules it out.
    public func possiblyCovers(_ date: PartialDate) -> Bool {
        if let from, date.latest < from.earliest { return false }
        if let to, to.latest < date.earliest { return false }
        return true
    }

    /// The days the office was certainly held, as a closed interval; nil when no start is known.
    /// An open-ended tenure runs to `Day.distantFuture`.
    public var certainTenure: ClosedRange<Day>? {
        guard let from else { return nil }
        let end = to?.earliest ?? Day.distantFuture
        return from.latest <= end ? from.latest...end : nil
    }

    /// When the office was held, as readers see it: "from 26 December 2012", "until 26 December 2012",
    /// "in office on 10 November 2012", with "in office as of April 2013" for an open-ended tenure; nil when no date is known.
    public func dates(asOf: Day?) -> String? {
        switch (from, to) {
        case let (from?, to?): return "from \(from.longForm) to \(to.longForm)"
        case let (from?, nil):
            guard let asOf else { return "from \(from.longForm)" }
            return "from \(from.longForm); in office as of \(PartialDate(year: asOf.year, month: asOf.month).longForm)"
        case let (nil, to?): return "until \(to.longForm)"
        case (nil, nil):
            guard !held.isEmpty else { return nil }
            let days = held.sorted().map(\.longForm)
            let list = days.count == 1 ? days[0] : days.dropLast().joined(separator: ", ") + " and " + days.last!
            return "in office on \(list)"
        }
    }

    /// Whether the position is held as of the edition's date: open-ended, or ending after it.
    public func isHeld(asOf: Day?) -> Bool {
        guard from != nil else { return false }
        guard let to else { return true }
        return asOf.map { $0 <= to.earliest } ?? false
    }
}

/// A source a page cites: what it is, where it is, and an optional note on what it supports.
public struct SourceReference: Sendable, Hashable {
    public var title: String
    public var url: String
    public var note: String?

    public init(title: String, url: String, note: String? = nil) {
        self.title = title
        self.url = url
        self.note = note
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
    public var sources: [SourceReference]
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

    /// The title the sources show held over all of `date`, if any.
    public func title(on date: PartialDate) -> String? {
        positions.last { $0.certainlyCovers(date) }?.title
    }
}

public struct Agreement: Sendable {
    public var header: EntityHeader
    /// Whether `header.name` is a description (front matter `description:`) because the document's own title is not known.
    public var nameIsDescription: Bool
    public var shortTitle: String?
    public var kind: String
    public var signed: Located<PartialDate>?
    public var place: String?
    /// Country or organization ids.
    public var parties: [Located<String>]
    public var signatories: [Located<String>]
    public var inForce: PartialDate?
    public var binding: Bool?
}

public struct Organization: Sendable {
    public var header: EntityHeader
    public var shortName: String?
}
