/// Builds `api/*.json`: every record with its resolved relations and page URLs, for other tools.
///
/// Keys appear in a fixed order and records are sorted by id, so the files diff cleanly between builds.
/// The documents are written straight into bytes: at 10,000 sections they hold tens of megabytes.
public struct APIExporter: Sendable {
    public var graph: SiteGraph
    public var urls: SiteURLs

    public init(graph: SiteGraph, urls: SiteURLs) {
        self.graph = graph
        self.urls = urls
    }

    /// The files written under `api/`.
    public static let names = ["countries.json", "officials.json", "agreements.json", "organizations.json", "sections.json"]

    /// One of the documents in `names`, as UTF-8 JSON with one record per line.
    public func bytes(_ name: String) -> [UInt8] {
        var writer = Writer(graph: graph, urls: urls)
        writer.json.openArray()
        switch name {
        case "countries.json": writer.countries()
        case "officials.json": writer.officials()
        case "agreements.json": writer.agreements()
        case "organizations.json": writer.organizations()
        case "sections.json": writer.sections()
        default: break
        }
        writer.json.closeArray()
        return writer.json.bytes
    }

    /// The state of one document: the bytes so far, and the small records that lists repeat, each written once.
    private struct Writer {
        let graph: SiteGraph
        let urls: SiteURLs
        var json = JSONWriter()
        var refRecords: [EntityRef: [UInt8]] = [:]
        var sectionRecords: [[UInt8]?]

        init(graph: SiteGraph, urls: SiteURLs) {
            self.graph = graph
            self.urls = urls
            sectionRecords = Array(repeating: nil, count: graph.sections.count)
        }

        /// `{id, name, url}` of an entity.
        mutating func ref(_ ref: EntityRef) {
            if refRecords[ref] == nil {
                var record = JSONWriter()
                record.openObject()
                record.field("id", ref.id)
                record.field("name", graph.header(ref)?.name ?? ref.id)
                record.field("url", urls.entity(ref))
                record.closeObject()
                refRecords[ref] = Array(record.bytes.dropLast())  // without the final newline of a whole document
            }
            json.raw(refRecords[ref]!)
        }

        mutating func refs(_ kind: EntityKind, _ ids: [String]) {
            json.openArray()
            for id in ids { ref(EntityRef(kind, id)) }
            json.closeArray()
        }

        /// `"sections": [{path, title, url}, …]`: the sections that list an entity (`related_sections`: that name it under `related`).
        mutating func sectionsField(_ key: String, _ indices: [Int]) {
            json.key(key)
            json.openArray()
            for index in indices {
                if sectionRecords[index] == nil {
                    let section = graph.sections[index]
                    var record = JSONWriter()
                    record.openObject()
                    record.field("path", section.relativePath)
                    record.field("title", section.title)
                    record.field("url", urls.section(chapter: section.chapterSlug, slug: section.slug))
                    record.closeObject()
                    sectionRecords[index] = Array(record.bytes.dropLast())
                }
                json.raw(sectionRecords[index]!)
            }
            json.closeArray()
        }

        /// `"sources": [{title, url, note}, …]`.
        mutating func sourcesField(_ sources: [SourceReference]) {
            json.key("sources")
            json.openArray()
            for source in sources {
                json.openObject()
                json.field("title", source.title)
                json.field("url", source.url)
                json.field("note", optional: source.note)
                json.closeObject()
            }
            json.closeArray()
        }

        mutating func common(_ header: EntityHeader) {
            json.field("id", header.id)
            json.field("url", urls.entity(EntityRef(header.kind, header.id)))
            json.field("name", header.name)
            json.key("aliases")
            json.openArray()
            for alias in header.aliases { json.string(alias) }
            json.closeArray()
        }

        /// One record per entity of a kind, by id: the common fields, then `fields`, then the sections that list it.
        mutating func entities<Record>(_ records: [String: Record], _ kind: EntityKind, _ header: KeyPath<Record, EntityHeader>,
                                       fields: (inout Writer, String, Record) -> Void) {
            for id in records.keys.sorted() {
                let record = records[id]!
                json.openObject()
                common(record[keyPath: header])
                fields(&self, id, record)
                sectionsField("sections", graph.sectionsMentioning[EntityRef(kind, id)] ?? [])
                sectionsField("related_sections", graph.sectionsRelated[EntityRef(kind, id)] ?? [])
                sourcesField(record[keyPath: header].sources)
                json.closeObject()
            }
        }

        mutating func countries() {
            entities(graph.countries, .country, \.header) { writer, id, country in
                writer.json.field("iso", country.iso)
                writer.json.field("iso3", optional: country.iso3)
                writer.json.field("region", country.region)
                writer.json.key("officials")
                writer.refs(.official, writer.graph.officialsByCountry[id] ?? [])
                writer.json.key("agreements")
                writer.refs(.agreement, writer.graph.agreementsByParty[id] ?? [])
            }
        }

        mutating func officials() {
            entities(graph.officials, .official, \.header) { writer, id, official in
                writer.json.key("country")
                writer.ref(EntityRef(.country, official.country.value))
                writer.json.key("positions")
                writer.json.openArray()
                for position in official.positions {
                    writer.json.openObject()
                    writer.json.field("title", position.title)
                    writer.json.field("from", optional: position.from?.description)
                    writer.json.field("to", optional: position.to?.description)
                    writer.json.key("held")
                    writer.json.openArray()
                    for date in position.held.sorted() { writer.json.string(date.description) }
                    writer.json.closeArray()
                    writer.json.closeObject()
                }
                writer.json.closeArray()
                writer.json.key("agreements")
                writer.refs(.agreement, writer.graph.agreementsBySignatory[id] ?? [])
            }
        }

        mutating func agreements() {
            entities(graph.agreements, .agreement, \.header) { writer, _, agreement in
                writer.json.key("name_is_description")
                writer.json.bool(agreement.nameIsDescription)
                writer.json.field("short_title", optional: agreement.shortTitle)
                writer.json.field("kind", agreement.kind)
                writer.json.field("signed", optional: agreement.signed?.value.description)
                writer.json.field("place", optional: agreement.place)
                writer.json.key("parties")
                writer.json.openArray()
                for party in agreement.parties { if let partyRef = writer.graph.partyRef(party.value) { writer.ref(partyRef) } }
                writer.json.closeArray()
                writer.json.key("signatories")
                writer.json.openArray()
                for signatory in agreement.signatories {
                    let official = writer.graph.officials[signatory.value]
                    writer.json.openObject()
                    writer.json.field("id", signatory.value)
                    writer.json.field("name", official?.header.name ?? signatory.value)
                    writer.json.field("url", writer.urls.entity(EntityRef(.official, signatory.value)))
                    writer.json.field("title_at_signing", optional: agreement.signed.flatMap { official?.title(on: $0.value) })
                    writer.json.closeObject()
                }
                writer.json.closeArray()
                writer.json.field("in_force", optional: agreement.inForce?.description)
                writer.json.key("binding")
                if let binding = agreement.binding { writer.json.bool(binding) } else { writer.json.null() }
            }
        }

        mutating func organizations() {
            entities(graph.organizations, .organization, \.header) { writer, id, organization in
                writer.json.field("short_name", optional: organization.shortName)
                writer.json.key("agreements")
                writer.refs(.agreement, writer.graph.agreementsByParty[id] ?? [])
            }
        }

        mutating func sections() {
            for index in graph.sections.indices {
                let section = graph.sections[index]
                let chapter = graph.chapters[graph.sectionChapter[index]]
                json.openObject()
                json.field("path", section.relativePath)
                json.field("url", urls.section(chapter: section.chapterSlug, slug: section.slug))
                json.key("chapter")
                json.openObject()
                json.key("number")
                json.number(chapter.number.value)
                json.field("title", chapter.title)
                json.field("url", urls.chapter(chapter.slug))
                json.closeObject()
                json.key("number")
                json.number(section.number.value)
                json.field("title", section.title)
                json.field("summary", optional: section.summary)
                json.field("date", optional: section.date?.description)
                for kind in EntityKind.allCases {
                    var seen: Set<String> = []
                    json.key(kind.plural)
                    refs(kind, (section.references[kind] ?? []).map(\.value).filter { seen.insert($0).inserted })
                }
                json.key("related")
                json.openArray()
                var seen: Set<String> = []
                for reference in section.related where seen.insert(reference.value).inserted {
                    if let kind = EntityKind.allCases.first(where: { graph.header(EntityRef($0, reference.value)) != nil }) { ref(EntityRef(kind, reference.value)) }
                }
                json.closeArray()
                sourcesField(section.sources)
                json.closeObject()
            }
        }
    }
}
