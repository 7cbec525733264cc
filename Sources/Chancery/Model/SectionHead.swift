/// What pages other than a section's own read of it: every front-matter field and where it was written, not the body's text.
///
/// Two versions of a section with the same head differ only in their own page, so an edit that
/// keeps it re-renders that page alone.
struct SectionHead: Equatable {
    var title: String, number: Located<Int>, summary: String?, date: Day?, draft: Bool
    var chapterSlug: String, fileStem: String, references: [EntityKind: [Located<String>]], related: [Located<String>]
    var sources: [SourceReference], bodyFirstLine: Int

    init(_ section: Section) {
        title = section.title
        number = section.number
        summary = section.summary
        date = section.date
        draft = section.draft
        chapterSlug = section.chapterSlug
        fileStem = section.fileStem
        references = section.references
        related = section.related
        sources = section.sources
        bodyFirstLine = section.body.firstLine
    }

    /// A hash of every field, the same in every process (dictionary order does not enter it): what the build cache compares.
    var fingerprint: Fingerprint {
        var hash = Fingerprint()
        func add(_ location: SourceLocation) {
            hash.add(location.path)
            hash.add(location.line)
            hash.add(location.column)
        }
        func add(_ list: [Located<String>]) {
            hash.add(list.count)
            for item in list {
                hash.add(item.value)
                add(item.location)
            }
        }
        hash.add(title)
        hash.add(number.value)
        add(number.location)
        hash.add(summary.map { "1" + $0 } ?? "0")
        hash.add(date.map { "1" + $0.description } ?? "0")
        hash.add(draft ? 1 : 0)
        hash.add(chapterSlug)
        hash.add(fileStem)
        for kind in EntityKind.allCases {
            hash.add(kind.rawValue)
            add(references[kind] ?? [])
        }
        add(related)
        hash.add(sources.count)
        for source in sources {
            hash.add(source.title)
            hash.add(source.url)
            hash.add(source.note.map { "1" + $0 } ?? "0")
        }
        hash.add(bodyFirstLine)
        return hash
    }
}
