/// The data each kind of page hands its template (documented in the README's template reference).
extension PageRenderer {
    /// Theme assets the templates link through `site`, by the key they have there; the build names them by content hash.
    public static let fingerprintedAssets: [String: String] = [
        "assets/style.css": "style", "assets/favicon.svg": "favicon", "assets/search.js": "searchScript",
    ]

    static func makeSiteContext(graph: SiteGraph, urls: SiteURLs, styleURL: String, assetURLs: [String: String] = [:]) -> TemplateValue {
        let config = graph.config
        var nav: [TemplateValue] = [["title": "Contents", "url": .string(urls.home)]]
        for kind in EntityKind.allCases where !graph.ids(kind).isEmpty {
            nav.append(["title": .string(kind.title), "url": .string(urls.index(kind))])
        }
        nav.append(["title": "Search", "url": .string(urls.search)])
        var fields: [String: TemplateValue] = [
            "title": .string(config.title),
            "edition": .optional(config.edition),
            "language": .string(config.language),
            "description": .optional(config.description),
            "base": .string(config.basePath),
            "baseURL": .string(config.baseURL),
            "home": .string(urls.home),
            "breadcrumbRoot": .string(config.breadcrumbRoot),
            "style": .string(styleURL),
            "nav": .list(nav),
            "search": .string(urls.search),
            "searchIndex": .string(urls.searchIndex),
            "feed": .optional(FeedWriter(graph: graph, urls: urls).url),
            "asOf": .optional(config.asOf?.description),
            "asOfLong": .optional(config.asOf?.longForm),
            // Open Graph writes locales as language_TERRITORY: en-GB → en_GB.
            "locale": .string(config.language.replacingAll("-", with: "_")),
        ]
        for (path, key) in fingerprintedAssets where key != "style" {
            fields[key] = .string(assetURLs[path] ?? urls.asset(path))
        }
        return .object(fields)
    }

    func context(for page: PageSpec, diagnostics: inout [Diagnostic], reads: inout PageReads) -> TemplateValue {
        guard case .section(let index) = page.kind else { return pageContext(for: page, diagnostics: &diagnostics, reads: &reads) }
        let section = sectionPage(page, index, reads: &reads)
        diagnostics += section.diagnostics
        return section.context
    }

    /// A section page's data and what rendering its body found, with the shell the body was filled into.
    func sectionPage(_ page: PageSpec, _ index: Int, reads: inout PageReads) -> (shell: SectionPageShell, context: TemplateValue, diagnostics: [Diagnostic]) {
        let shell = sectionShell(page, index, reads: &reads)
        let (context, diagnostics) = shell.filled(with: sectionBody(index, shell))
        return (shell, context, diagnostics)
    }

    /// A page's data; a section page's without what its body gives (see `SectionPageShell`).
    private func pageContext(for page: PageSpec, diagnostics: inout [Diagnostic], reads: inout PageReads) -> TemplateValue {
        var fields: [String: TemplateValue] = ["site": siteContext]
        var title = graph.config.title
        var description = graph.config.description
        var crumbs: [(String, String?)] = [(graph.config.breadcrumbRoot, urls.home)]
        switch page.kind {
        case .home:
            let intro = graph.homeBody.map { render(markdown: $0, diagnostics: &diagnostics) }
            fields["intro"] = .optional(intro?.htmlWithFootnotes)
            fields["chapters"] = .list(graph.chapters.indices.map { chapterSummary($0, reads: &reads) })
            fields["indexes"] = indexLinks()
            fields["sources"] = sourcesList(graph.homeSources)
            title = graph.homeTitle
            crumbs = [(graph.config.breadcrumbRoot, nil)]
        case .chapter(let index):
            let chapter = graph.chapters[index]
            var summary = chapterSummary(index, reads: &reads)
            if case .object(var object) = summary {
                let intro = chapter.body.isBlank ? nil : render(markdown: chapter.body, diagnostics: &diagnostics)
                object["intro"] = .optional(intro?.htmlWithFootnotes)
                object["sources"] = sourcesList(chapter.sources)
                summary = .object(object)
            }
            fields["chapter"] = summary
            title = chapter.heading
            description = chapter.summary ?? description
            crumbs.append((title, nil))
        case .section(let index):
            reads.record(.section(index))
            let section = graph.sections[index]
            let chapter = graph.chapters[graph.sectionChapter[index]]
            fields["section"] = sectionFields(index, reads: &reads)
            title = "\(section.number.value). \(section.title)"
            description = section.summary ?? description
            crumbs.append((chapter.heading, urls.chapter(chapter.slug)))
            crumbs.append((title, nil))
        case .entityIndex(let kind):
            fields["index"] = indexContext(kind, reads: &reads)
            title = kind.title
            crumbs.append((title, nil))
        case .entity(let ref):
            let header = graph.header(ref)!
            fields["entity"] = entityContext(ref, diagnostics: &diagnostics, reads: &reads)
            title = header.name
            crumbs.append((ref.kind.title, urls.index(ref.kind)))
            crumbs.append((header.name, nil))
        case .search:
            fields["search"] = ["indexes": indexLinks()]
            title = "Search"
            crumbs.append((title, nil))
        case .notFound, .staticPage:
            title = "Page not found"
            crumbs = []
        }
        let canonical = origin.isEmpty ? page.url : origin + page.url
        var isSection = false
        var published: String?
        if case .section(let index) = page.kind {
            isSection = true
            published = graph.sections[index].date?.description
        }
        fields["page"] = [
            "title": .string(title),
            "url": .string(page.url),
            "canonical": .string(canonical),
            "description": .optional(description),
            "isHome": .bool(page.kind == .home),
            "indexable": .bool(page.isIndexable),
            // Open Graph: sections are articles, with their date; og:url only when the base URL makes it absolute.
            "ogType": .string(isSection ? "article" : "website"),
            "absoluteURL": .optional(origin.isEmpty ? nil : canonical),
            "published": .optional(published),
        ]
        fields["breadcrumb"] = group(crumbs.map { crumb in ["title": .string(crumb.0), "url": .optional(crumb.1)] })
        return .object(fields)
    }

    /// The index pages that have entries: `{title, url, count}` each.
    func indexLinks() -> TemplateValue {
        .list(EntityKind.allCases.compactMap { kind in
            let count = graph.ids(kind).count
            return count == 0 ? nil : ["title": .string(kind.title), "url": .string(urls.index(kind)), "count": .int(count)]
        })
    }

    /// A non-empty list as `{items: […]}`, else null: templates wrap a heading around `{{#x}}…{{#items}}…{{/items}}…{{/x}}`.
    func group(_ items: [TemplateValue]) -> TemplateValue {
        items.isEmpty ? .null : ["items": .list(items)]
    }

    /// A page's sources as `{items: [{title, url, note}]}`, else null.
    func sourcesList(_ sources: [SourceReference]) -> TemplateValue {
        group(sources.map { ["title": .string($0.title), "url": .string($0.url), "note": .optional($0.note)] })
    }

    func render(markdown source: MarkdownSource, diagnostics: inout [Diagnostic]) -> MarkdownRenderer.Output {
        let output = markdown.render(source)
        diagnostics += output.diagnostics
        return output
    }

    func chapterSummary(_ index: Int, reads: inout PageReads) -> TemplateValue {
        let chapter = graph.chapters[index]
        return [
            "number": .int(chapter.number.value),
            "title": .string(chapter.title),
            "heading": .string(chapter.heading),
            "url": .string(urls.chapter(chapter.slug)),
            "summary": .optional(chapter.summary),
            "sections": .list(graph.chapterSections[index].map { sectionLink($0, reads: &reads) }),
        ]
    }

    func sectionURL(_ index: Int) -> String {
        let section = graph.sections[index]
        return urls.section(chapter: section.chapterSlug, slug: section.slug)
    }

    /// A link to a section, as entity pages and chapter lists show it (built once, in `LinkCache`).
    func sectionLink(_ index: Int, reads: inout PageReads) -> TemplateValue {
        reads.record(.sectionLink(index))
        return links.sections[index]
    }

    /// A section page's data but for its body's parts, and what filling them in needs.
    func sectionShell(_ page: PageSpec, _ index: Int, reads: inout PageReads) -> SectionPageShell {
        let section = graph.sections[index]
        var listed: [EntityRef: String] = [:]
        for kind in EntityKind.allCases {
            for reference in section.references[kind] ?? [] {
                let ref = EntityRef(kind, reference.value)
                listed[ref] = urls.entity(ref)
            }
        }
        var trailingTOC: [TemplateValue] = []
        for kind in EntityKind.allCases where !(section.references[kind] ?? []).isEmpty {
            trailingTOC.append(["id": .string(kind.plural), "text": .string(kind.title), "level": 2, "sub": false])
        }
        var ignored: [Diagnostic] = []
        return SectionPageShell(context: pageContext(for: page, diagnostics: &ignored, reads: &reads), listed: listed, unnamed: listedOnce(section),
                                unnamedSeverity: SectionPageShell.unnamedSeverity(graph.config), trailingTOC: trailingTOC, autoLink: graph.config.autoLink)
    }

    /// The section's body rendered, from the preview's cache when it has it.
    func sectionBody(_ index: Int, _ shell: SectionPageShell) -> MarkdownRenderer.Output {
        let section = graph.sections[index]
        guard let markdownCache else { return markdown.render(section.body, mentions: shell.mentions(matcher)) }
        var key = markdownSetup
        key.add(section.body.text)
        key.add(section.body.firstLine)
        key.add(section.body.path)
        for ref in shell.listed.keys.sorted() { key.add(ref.description) }
        return markdownCache.output(for: section.path, key: key) { markdown.render(section.body, mentions: shell.mentions(matcher)) }
    }

    /// What a section page's template sees under `section`, but for `html`, `toc` and `footnotes`.
    private func sectionFields(_ index: Int, reads: inout PageReads) -> TemplateValue {
        let section = graph.sections[index]
        func listed(_ kind: EntityKind) -> [String] {
            var seen: Set<String> = []
            return (section.references[kind] ?? []).map(\.value).filter { seen.insert($0).inserted }
        }
        let countries = listed(.country).map { id in entityLink(EntityRef(.country, id)) }
        let officials = listed(.official).map { id -> TemplateValue in
            reads.record(.entity(EntityRef(.official, id)))
            let official = graph.officials[id]!
            return ["name": .string(official.header.name), "url": .string(urls.entity(EntityRef(.official, id))),
                    "title": .optional(displayTitle(official, on: section.date.map(PartialDate.init)))]
        }
        let agreements = listed(.agreement).map { id -> TemplateValue in agreementLink(id, reads: &reads) }
        let organizations = listed(.organization).map { id in entityLink(EntityRef(.organization, id)) }
        let related = section.related.compactMap { reference -> TemplateValue? in
            guard let kind = EntityKind.allCases.first(where: { graph.header(EntityRef($0, reference.value)) != nil }) else { return nil }
            var link = entityLink(EntityRef(kind, reference.value))
            if case .object(var object) = link {
                object["kind"] = .string(kind.rawValue)
                link = .object(object)
            }
            return link
        }

        func neighbour(_ other: Int) -> TemplateValue {
            guard graph.sections.indices.contains(other) else { return .null }
            reads.record(.sectionLink(other))
            let section = graph.sections[other]
            return ["title": .string("\(section.number.value). \(section.title)"), "url": .string(sectionURL(other))]
        }
        let chapter = graph.chapters[graph.sectionChapter[index]]
        return [
            "title": .string(section.title),
            "number": .int(section.number.value),
            "heading": .string("\(section.number.value). \(section.title)"),
            "chapter": .string(chapter.heading),
            "chapterURL": .string(urls.chapter(chapter.slug)),
            "summary": .optional(section.summary),
            "date": .optional(section.date?.description),
            "dateLong": .optional(section.date?.longForm),
            "countries": group(countries),
            "officials": group(officials),
            "agreements": group(agreements),
            "organizations": group(organizations),
            "related": group(related),
            "sources": sourcesList(section.sources),
            "previous": neighbour(index - 1),
            "next": neighbour(index + 1),
        ]
    }

    /// A link to an entity: its name and URL, which no edit `PageReads` covers changes, so reading it is not recorded.
    func entityLink(_ ref: EntityRef) -> TemplateValue {
        links.entities[ref] ?? ["name": .string(ref.id), "url": .string(urls.entity(ref))]
    }

    /// An agreement's link, with its kind and date (its parties are named by names, which the edits `PageReads` covers keep).
    func agreementLink(_ id: String, reads: inout PageReads) -> TemplateValue {
        reads.record(.entity(EntityRef(.agreement, id)))
        return links.agreements[id]!
    }

    /// The title held on `date`, or else the most recent one: what a reader expects next to a name.
    func displayTitle(_ official: Official, on date: PartialDate?) -> String? {
        if let date, let title = official.title(on: date) { return title }
        return official.positions.last?.title
    }

    /// Each entity the section lists, once, with where it is listed.
    func listedOnce(_ section: Section) -> [(ref: EntityRef, location: SourceLocation)] {
        var found: [(ref: EntityRef, location: SourceLocation)] = []
        for kind in EntityKind.allCases {
            var seen: Set<String> = []
            for reference in section.references[kind] ?? [] where seen.insert(reference.value).inserted {
                found.append((EntityRef(kind, reference.value), reference.location))
            }
        }
        return found
    }

    func sectionsList(_ ref: EntityRef, reads: inout PageReads) -> TemplateValue {
        reads.record(.mentioning(ref))
        let indices = graph.sectionsMentioning[ref] ?? []
        return group(indices.map { sectionLink($0, reads: &reads) })
    }

    func relatedSectionsList(_ ref: EntityRef, reads: inout PageReads) -> TemplateValue {
        reads.record(.related(ref))
        return group((graph.sectionsRelated[ref] ?? []).map { sectionLink($0, reads: &reads) })
    }

    func indexContext(_ kind: EntityKind, reads: inout PageReads) -> TemplateValue {
        let ids = graph.sortedIDs(kind)
        func count(_ id: String) -> Int {
            reads.record(.mentioning(EntityRef(kind, id)))
            return graph.sectionsMentioning[EntityRef(kind, id)]?.count ?? 0
        }
        switch kind {
        case .country:
            var regions: [String: [String]] = [:]
            for id in ids {
                reads.record(.entity(EntityRef(.country, id)))
                regions[graph.countries[id]!.region, default: []].append(id)
            }
            return ["groups": .list(regions.keys.sorted().map { region in
                ["name": .string(region), "items": .list(regions[region]!.map { id in
                    let country = graph.countries[id]!
                    return ["name": .string(country.header.name), "url": .string(urls.entity(EntityRef(.country, id))),
                            "iso": .string(country.iso), "count": .int(count(id))]
                })]
            })]
        case .official:
            return ["items": .list(ids.map { id in
                reads.record(.entity(EntityRef(.official, id)))
                let official = graph.officials[id]!
                let country = graph.countries[official.country.value]
                return ["name": .string(official.header.name), "url": .string(urls.entity(EntityRef(.official, id))),
                        "title": .optional(official.positions.last?.title),
                        "current": .bool(official.positions.last?.isHeld(asOf: graph.config.asOf) ?? false),
                        "country": country.map { entityLink(EntityRef(.country, $0.header.id)) } ?? .null,
                        "count": .int(count(id))]
            })]
        case .agreement:
            let chronological = ids.sorted {
                let a = graph.agreements[$0]!.signed?.value, b = graph.agreements[$1]!.signed?.value
                switch (a, b) {
                case let (a?, b?) where a != b: return a < b
                case (nil, _?): return false
                case (_?, nil): return true
                default: return $0 < $1
                }
            }
            return ["items": .list(chronological.map { id in
                var link = agreementLink(id, reads: &reads)
                if case .object(var fields) = link { fields["count"] = .int(count(id)); link = .object(fields) }
                return link
            })]
        case .organization:
            return ["items": .list(ids.map { id in
                reads.record(.entity(EntityRef(.organization, id)))
                let organization = graph.organizations[id]!
                return ["name": .string(organization.header.name), "url": .string(urls.entity(EntityRef(.organization, id))),
                        "shortName": .optional(organization.shortName), "count": .int(count(id))]
            })]
        }
    }

    func entityContext(_ ref: EntityRef, diagnostics: inout [Diagnostic], reads: inout PageReads) -> TemplateValue {
        reads.record(.entity(ref))
        let header = graph.header(ref)!
        let description = header.body.isBlank ? nil : render(markdown: header.body, diagnostics: &diagnostics).htmlWithFootnotes
        var fields: [String: TemplateValue] = [
            "id": .string(ref.id),
            "kind": .string(ref.kind.rawValue),
            "name": .string(header.name),
            "aliases": header.aliases.isEmpty ? .null : .string(header.aliases.joined(separator: ", ")),
            "description": .optional(description),
            "sections": sectionsList(ref, reads: &reads),
            "relatedSections": relatedSectionsList(ref, reads: &reads),
            "sources": sourcesList(header.sources),
        ]
        func agreementsSigned(by id: String) -> TemplateValue {
            let list = graph.agreementsBySignatory[id] ?? []
            let official = graph.officials[id]!
            return group(list.map { agreementID in
                var link = agreementLink(agreementID, reads: &reads)
                if case .object(var object) = link {
                    object["titleAtSigning"] = .optional(graph.agreements[agreementID]!.signed.flatMap { official.title(on: $0.value) })
                    link = .object(object)
                }
                return link
            })
        }
        func agreementsOfParty(_ id: String) -> TemplateValue {
            let list = graph.agreementsByParty[id] ?? []
            return group(list.map { agreementLink($0, reads: &reads) })
        }
        switch ref.kind {
        case .country:
            let country = graph.countries[ref.id]!
            fields["region"] = .string(country.region)
            fields["iso"] = .string(country.iso)
            fields["iso3"] = .optional(country.iso3)
            let officials = graph.officialsByCountry[ref.id] ?? []
            fields["officials"] = group(officials.map { id in
                reads.record(.entity(EntityRef(.official, id)))
                let official = graph.officials[id]!
                var titles: [String] = []
                for position in official.positions where !titles.contains(position.title) { titles.append(position.title) }
                return ["name": .string(official.header.name), "url": .string(urls.entity(EntityRef(.official, id))),
                        "titles": .string(titles.joined(separator: "; "))]
            })
            fields["agreements"] = agreementsOfParty(ref.id)
        case .official:
            let official = graph.officials[ref.id]!
            fields["country"] = entityLink(EntityRef(.country, official.country.value))
            let asOf = graph.config.asOf
            fields["positions"] = .list(official.positions.map { position in
                ["title": .string(position.title), "from": .optional(position.from?.description), "to": .optional(position.to?.description),
                 "held": group(position.held.sorted().map { ["date": .string($0.description)] }),
                 "dates": .optional(position.dates(asOf: asOf)), "current": .bool(position.isHeld(asOf: asOf))]
            })
            fields["title"] = .optional(official.positions.last?.title)
            fields["agreements"] = agreementsSigned(by: ref.id)
        case .agreement:
            let agreement = graph.agreements[ref.id]!
            fields["shortTitle"] = .optional(agreement.shortTitle)
            fields["nameIsDescription"] = .bool(agreement.nameIsDescription)
            fields["agreementKind"] = .string(agreement.kind)
            fields["signed"] = .optional(agreement.signed?.value.description)
            fields["signedLong"] = .optional(agreement.signed?.value.longForm)
            fields["place"] = .optional(agreement.place)
            fields["inForce"] = .optional(agreement.inForce?.description)
            fields["inForceLong"] = .optional(agreement.inForce?.longForm)
            fields["binding"] = agreement.binding.map { .string($0 ? "Legally binding" : "Not legally binding") } ?? .null
            fields["parties"] = group(agreement.parties.compactMap { party in
                graph.partyRef(party.value).map { partyRef in
                    var link = entityLink(partyRef)
                    if case .object(var object) = link { object["organization"] = .bool(partyRef.kind == .organization); link = .object(object) }
                    return link
                }
            })
            fields["signatories"] = group(agreement.signatories.compactMap { signatory in
                reads.record(.entity(EntityRef(.official, signatory.value)))
                guard let official = graph.officials[signatory.value] else { return nil }
                return ["name": .string(official.header.name), "url": .string(urls.entity(EntityRef(.official, signatory.value))),
                        "title": .optional(agreement.signed.flatMap { official.title(on: $0.value) } ?? official.positions.last?.title),
                        "country": entityLink(EntityRef(.country, official.country.value))]
            })
        case .organization:
            let organization = graph.organizations[ref.id]!
            fields["shortName"] = .optional(organization.shortName)
            fields["agreements"] = agreementsOfParty(ref.id)
        }
        return .object(fields)
    }
}
