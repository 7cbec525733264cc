/// The template values for links that many pages repeat (a section in a country's list, an
/// entity in a sidebar), built once per build instead of once per mention.
struct LinkCache: Sendable {
    /// By section index.
    var sections: [TemplateValue]
    var entities: [EntityRef: TemplateValue]
    /// Agreement links carry their kind, date and parties as well.
    var agreements: [String: TemplateValue]

    init(graph: SiteGraph, urls: SiteURLs) {
        sections = graph.sections.indices.map { LinkCache.sectionLink(graph, $0, urls: urls) }
        var entities: [EntityRef: TemplateValue] = [:]
        for kind in EntityKind.allCases {
            for id in graph.ids(kind) {
                let ref = EntityRef(kind, id)
                entities[ref] = ["name": .string(graph.header(ref)?.name ?? id), "url": .string(urls.entity(ref))]
            }
        }
        self.entities = entities
        agreements = graph.agreements.mapValues { LinkCache.agreementLink(graph, $0, urls: urls) }
    }

    /// A link to an agreement, with its kind, date and parties.
    static func agreementLink(_ graph: SiteGraph, _ agreement: Agreement, urls: SiteURLs) -> TemplateValue {
        [
            "title": .string(agreement.header.name),
            "url": .string(urls.entity(EntityRef(.agreement, agreement.header.id))),
            "kind": .string(agreement.kind),
            "signed": .optional(agreement.signed?.value.description),
            "signedLong": .optional(agreement.signed?.value.longForm),
            "partiesText": .string(agreement.parties.compactMap { graph.partyRef($0.value).flatMap { graph.header($0)?.name } }
                .joined(separator: ", ")),
        ]
    }

    /// A link to section `index`: what every list of sections shows of it.
    static func sectionLink(_ graph: SiteGraph, _ index: Int, urls: SiteURLs) -> TemplateValue {
        let section = graph.sections[index]
        let chapter = graph.chapters[graph.sectionChapter[index]]
        return [
            "number": .int(section.number.value),
            "label": .string("\(chapter.number.value).\(section.number.value)"),
            "title": .string(section.title),
            "url": .string(urls.section(chapter: section.chapterSlug, slug: section.slug)),
            "summary": .optional(section.summary),
            "chapter": .string(chapter.heading),
        ]
    }
}
