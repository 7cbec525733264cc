/// Builds `api/*.json`: every record with its resolved relations and page URLs, for other tools.
///
/// Keys appear in a fixed order and records are sorted by id, so the files diff cleanly between builds.
public struct APIExporter: Sendable {
    public var graph: SiteGraph
    public var urls: SiteURLs

    public init(graph: SiteGraph, urls: SiteURLs) {
        self.graph = graph
        self.urls = urls
    }

    /// The files written under `api/`.
    public static let names = ["countries.json", "officials.json", "agreements.json", "organizations.json", "sections.json"]

    /// One of the documents in `names`.
    public func document(_ name: String) -> JSONValue {
        // The same entity and section records recur across thousands of lists: each is written once and copied.
        var written: [EntityRef: JSONValue] = [:]
        func refs(_ ref: EntityRef) -> JSONValue {
            if let known = written[ref] { return known }
            let record = JSONValue.raw(JSONValue.object([("id", .string(ref.id)), ("name", .string(graph.header(ref)?.name ?? ref.id)),
                                                         ("url", .string(urls.entity(ref)))]).compactBytes())
            written[ref] = record
            return record
        }
        var sectionRecords: [JSONValue?] = Array(repeating: nil, count: graph.sections.count)
        func sections(_ ref: EntityRef) -> JSONValue {
            .array((graph.sectionsMentioning[ref] ?? []).map { index in
                if let known = sectionRecords[index] { return known }
                let section = graph.sections[index]
                let record = JSONValue.raw(JSONValue.object([("path", .string(section.path)), ("title", .string(section.title)),
                                                             ("url", .string(urls.section(chapter: section.chapterSlug, slug: section.slug)))]).compactBytes())
                sectionRecords[index] = record
                return record
            })
        }
        func common(_ header: EntityHeader) -> [(String, JSONValue)] {
            [("id", .string(header.id)), ("url", .string(urls.entity(EntityRef(header.kind, header.id)))),
             ("name", .string(header.name)), ("aliases", .array(header.aliases.map(JSONValue.string)))]
        }
        switch name {
        case "countries.json":
            return .array(graph.countries.keys.sorted().map { id in
            let country = graph.countries[id]!
            let ref = EntityRef(.country, id)
            return .object(common(country.header) + [
                ("iso", .string(country.iso)), ("iso3", .optional(country.iso3)), ("region", .string(country.region)),
                ("officials", .array((graph.officialsByCountry[id] ?? []).map { refs(EntityRef(.official, $0)) })),
                ("agreements", .array((graph.agreementsByParty[id] ?? []).map { refs(EntityRef(.agreement, $0)) })),
                ("sections", sections(ref)),
            ])
        })
        case "officials.json":
            return .array(graph.officials.keys.sorted().map { id in
            let official = graph.officials[id]!
            return .object(common(official.header) + [
                ("country", refs(EntityRef(.country, official.country.value))),
                ("positions", .array(official.positions.map {
                    .object([("title", .string($0.title)), ("from", .string($0.from.description)), ("to", .optional($0.to?.description))])
                })),
                ("agreements", .array((graph.agreementsBySignatory[id] ?? []).map { refs(EntityRef(.agreement, $0)) })),
                ("sections", sections(EntityRef(.official, id))),
            ])
        })
        case "agreements.json":
            return .array(graph.agreements.keys.sorted().map { id in
            let agreement = graph.agreements[id]!
            return .object(common(agreement.header) + [
                ("short_title", .optional(agreement.shortTitle)), ("kind", .string(agreement.kind)),
                ("signed", .optional(agreement.signed?.value.description)), ("place", .optional(agreement.place)),
                ("parties", .array(agreement.parties.compactMap { graph.partyRef($0.value).map(refs) })),
                ("signatories", .array(agreement.signatories.map { signatory in
                    var fields: [(String, JSONValue)] = [("id", .string(signatory.value)),
                                                         ("name", .string(graph.officials[signatory.value]?.header.name ?? signatory.value)),
                                                         ("url", .string(urls.entity(EntityRef(.official, signatory.value))))]
                    let title = agreement.signed.flatMap { graph.officials[signatory.value]?.title(on: $0.value) }
                    fields.append(("title_at_signing", .optional(title)))
                    return .object(fields)
                })),
                ("in_force", .optional(agreement.inForce?.description)),
                ("binding", agreement.binding.map(JSONValue.bool) ?? .null),
                ("source", .optional(agreement.source)),
                ("sections", sections(EntityRef(.agreement, id))),
            ])
        })
        case "organizations.json":
            return .array(graph.organizations.keys.sorted().map { id in
            let organization = graph.organizations[id]!
            return .object(common(organization.header) + [
                ("short_name", .optional(organization.shortName)),
                ("agreements", .array((graph.agreementsByParty[id] ?? []).map { refs(EntityRef(.agreement, $0)) })),
                ("sections", sections(EntityRef(.organization, id))),
            ])
        })
        case "sections.json":
            return .array(graph.sections.indices.map { index in
            let section = graph.sections[index]
            let chapter = graph.chapters[graph.sectionChapter[index]]
            var fields: [(String, JSONValue)] = [
                ("path", .string(section.path)), ("url", .string(urls.section(chapter: section.chapterSlug, slug: section.slug))),
                ("chapter", .object([("number", .number(chapter.number.value)), ("title", .string(chapter.title)), ("url", .string(urls.chapter(chapter.slug)))])),
                ("number", .number(section.number.value)), ("title", .string(section.title)),
                ("summary", .optional(section.summary)), ("date", .optional(section.date?.description)),
            ]
            for kind in EntityKind.allCases {
                var seen: Set<String> = []
                fields.append((kind.plural, .array((section.references[kind] ?? []).filter { seen.insert($0.value).inserted }.map { refs(EntityRef(kind, $0.value)) })))
            }
            return .object(fields)
        })
        default:
            return .null
        }
    }
}
