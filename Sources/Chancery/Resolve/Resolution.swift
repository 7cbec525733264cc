/// The state of one resolution of a parsed site: the entities by id, and every problem found so far.
///
/// Each pass of `ReferenceResolver.resolve` is a method here, reading what earlier passes resolved.
/// Ids are unique across every kind of entity, so a URL and a reference name one thing.
struct Resolution {
    var diagnostics: [Diagnostic] = []
    /// Which kind of entity, and which file, holds each id.
    var owner: [String: (kind: EntityKind, path: String)] = [:]
    var countries: [String: Country] = [:], officials: [String: Official] = [:]
    var agreements: [String: Agreement] = [:], organizations: [String: Organization] = [:]

    /// The chapters and sections in report order, and which belong to which.
    struct SectionOrder {
        var chapters: [Chapter]
        var sections: [Section]
        var chapterSections: [[Int]]
        var sectionChapter: [Int]
    }

    init() {}

    /// A resolution that starts from the entities of a resolved site, to resolve new versions of its sections against.
    init(entitiesOf graph: SiteGraph) {
        countries = graph.countries
        officials = graph.officials
        agreements = graph.agreements
        organizations = graph.organizations
        for kind in EntityKind.allCases {
            for id in graph.ids(kind) { owner[id] = (kind, graph.header(EntityRef(kind, id))!.path) }
        }
    }

    /// Pass 1: every entity claims its id; a second claim is an error.
    mutating func claimEntities(_ site: ParsedSite) {
        for record in site.countries.sorted(by: { $0.header.path < $1.header.path }) where claim(record.header) { countries[record.header.id] = record }
        for record in site.officials.sorted(by: { $0.header.path < $1.header.path }) where claim(record.header) { officials[record.header.id] = record }
        for record in site.agreements.sorted(by: { $0.header.path < $1.header.path }) where claim(record.header) { agreements[record.header.id] = record }
        for record in site.organizations.sorted(by: { $0.header.path < $1.header.path }) where claim(record.header) { organizations[record.header.id] = record }
    }

    private mutating func claim(_ header: EntityHeader) -> Bool {
        if let first = owner[header.id] {
            var notes = ["already used by \(first.path)"]
            if first.kind != header.kind {
                notes.append("ids are shared by countries, officials, agreements and organizations: each file name must be unique across all four folders")
            }
            diagnostics.append(.error(SourceLocation(path: header.path), "duplicate id '\(header.id)'", notes: notes))
            return false
        }
        owner[header.id] = (header.kind, header.path)
        return true
    }

    /// Pass 2: each official's country, and tenures in order without overlaps. Returns the officials of each country, by name.
    mutating func resolveOfficials() -> [String: [String]] {
        var officialsByCountry: [String: [String]] = [:]
        for id in officials.keys.sorted() {
            let official = resolvedOfficial(officials[id]!)
            if countries[official.country.value] != nil { officialsByCountry[official.country.value, default: []].append(id) }
            officials[id] = official
        }
        return officialsByCountry.mapValues { ids in
            ids.map { (id: $0, name: officials[$0]!.header.name) }.sorted { ($0.name, $0.id) < ($1.name, $1.id) }.map(\.id)
        }
    }

    /// One official with its positions in order; an unknown country and overlapping tenures are reported.
    mutating func resolvedOfficial(_ official: Official) -> Official {
        var official = official
        if countries[official.country.value] == nil { unknown(official.country, expected: [.country], field: "country") }
        official.positions.sort(by: ReferenceResolver.chronological)
        checkOverlaps(official.positions)
        return official
    }

    /// Pass 3: each agreement's parties and signatories, and whether each signatory held office on the signing date.
    /// Returns the agreements of each party and of each signatory, newest first.
    mutating func resolveAgreements() -> (byParty: [String: [String]], bySignatory: [String: [String]]) {
        var agreementsByParty: [String: [String]] = [:]
        var agreementsBySignatory: [String: [String]] = [:]
        for id in agreements.keys.sorted() {
            let (parties, signatories) = checkAgreement(agreements[id]!)
            for party in parties { agreementsByParty[party, default: []].append(id) }
            for signatory in signatories { agreementsBySignatory[signatory, default: []].append(id) }
        }
        // Sorted by keys looked up once per id, not once per comparison.
        let signed = agreements.mapValues { $0.signed?.value }
        func newestFirst(_ ids: [String]) -> [String] {
            ids.map { (id: $0, day: signed[$0]!) }.sorted { a, b in
                if a.day != b.day {
                    guard let da = a.day else { return false }
                    guard let db = b.day else { return true }
                    return da > db
                }
                return a.id < b.id
            }.map(\.id)
        }
        return (agreementsByParty.mapValues(newestFirst), agreementsBySignatory.mapValues(newestFirst))
    }

    /// One agreement's parties and signatories: returns the ids that name an entity of the right kind. An unknown
    /// id is an error; a signatory not shown in office on the signing date, and an id listed twice, are warnings.
    mutating func checkAgreement(_ agreement: Agreement) -> (parties: [String], signatories: [String]) {
        var parties: [String] = [], signatories: [String] = []
        for party in agreement.parties {
            if countries[party.value] != nil || organizations[party.value] != nil {
                parties.append(party.value)
            } else {
                unknown(party, expected: [.country, .organization], field: "parties")
            }
        }
        for signatory in agreement.signatories {
            guard let official = officials[signatory.value] else {
                unknown(signatory, expected: [.official], field: "signatories")
                continue
            }
            signatories.append(signatory.value)
            guard let signed = agreement.signed, official.title(on: signed.value) == nil else { continue }
            if !official.positions.contains(where: { $0.possiblyCovers(signed.value) }) {
                diagnostics.append(.warning(signatory.location, "signatory '\(signatory.value)' held no position on the signing date \(signed.value)",
                                            notes: ["check the agreement's 'signed' date and the official's 'positions'"]))
            } else {
                diagnostics.append(.warning(signatory.location, "signatory '\(signatory.value)' is neither attested nor known to be in office on the signing date \(signed.value)",
                                            notes: ["if a source shows the office held that day, add \(signed.value) to the position's 'held' dates; otherwise give the tenure's 'from' and 'to' as the sources state them"]))
            }
        }
        checkRepeats(agreement.parties, field: "parties")
        checkRepeats(agreement.signatories, field: "signatories")
        return (parties, signatories)
    }

    /// Pass 4: chapters by number and their sections by number (drafts left out unless included); a
    /// section whose URL name another of its chapter has is published under its file name.
    mutating func orderSections(_ site: ParsedSite, includeDrafts: Bool) -> SectionOrder {
        var chapterBySlug: [String: Chapter] = [:]
        var chapterNumbers: [Int: Chapter] = [:]
        for chapter in site.chapters.sorted(by: { $0.path < $1.path }) {
            chapterBySlug[chapter.slug] = chapter
            if let other = chapterNumbers[chapter.number.value] {
                diagnostics.append(.error(chapter.number.location, "chapter number \(chapter.number.value) is already used",
                                          notes: ["by \(other.path)"]))
            } else {
                chapterNumbers[chapter.number.value] = chapter
            }
        }
        let chapters = chapterBySlug.values.sorted { ($0.number.value, $0.slug) < ($1.number.value, $1.slug) }
        let chapterIndex = Dictionary(uniqueKeysWithValues: chapters.enumerated().map { ($1.slug, $0) })
        var grouped = [[Section]](repeating: [], count: chapters.count)
        var missingChapters: Set<String> = []
        for section in site.sections where includeDrafts || !section.draft {
            guard let index = chapterIndex[section.chapterSlug] else {
                if missingChapters.insert(section.chapterSlug).inserted {
                    diagnostics.append(.error(SourceLocation(path: section.path),
                                              "chapter folder '\(section.chapterSlug)' has no _index.md (with 'number' and 'title')"))
                }
                continue
            }
            grouped[index].append(section)
        }
        var order = SectionOrder(chapters: chapters, sections: [], chapterSections: [], sectionChapter: [])
        for (index, group) in grouped.enumerated() {
            var ordered = group.sorted { ($0.number.value, $0.path) < ($1.number.value, $1.path) }
            for (a, b) in zip(ordered, ordered.dropFirst()) where a.number.value == b.number.value {
                diagnostics.append(.error(b.number.location, "section number \(b.number.value) is already used in chapter '\(chapters[index].slug)'",
                                          notes: ["by \(a.path)"]))
            }
            let slugCounts = Dictionary(grouping: ordered, by: \.slug).filter { $0.value.count > 1 }
            for position in ordered.indices where slugCounts[ordered[position].slug] != nil {
                let section = ordered[position]
                diagnostics.append(.warning(SourceLocation(path: section.path),
                                            "another section of chapter '\(section.chapterSlug)' also has the URL name '\(section.slug)'; this one is published as '\(section.fileStem)'",
                                            notes: ["rename one of the files to give each section its own URL"]))
                ordered[position].slug = section.fileStem
            }
            order.chapterSections.append(Array(order.sections.count..<(order.sections.count + ordered.count)))
            order.sectionChapter += Array(repeating: index, count: ordered.count)
            order.sections += ordered
        }
        return order
    }

    /// Pass 5: the entities each section lists, by kind. Returns the sections listing each entity.
    mutating func resolveListedEntities(_ sections: [Section]) -> [EntityRef: [Int]] {
        var sectionsMentioning: [EntityRef: [Int]] = [:]
        for index in sections.indices {
            for ref in listedEntities(of: sections[index]) { sectionsMentioning[ref, default: []].append(index) }
        }
        return sectionsMentioning
    }

    /// The entities one section lists, each once, by kind then in the order written; repeats and unknown ids are reported.
    mutating func listedEntities(of section: Section) -> [EntityRef] {
        var found: [EntityRef] = []
        for kind in EntityKind.allCases {
            let list = section.references[kind] ?? []
            // Short lists (nearly all) are searched, long ones hashed.
            var seen: Set<String> = []
            for (position, reference) in list.enumerated() {
                let repeated = list.count <= 16 ? list[..<position].contains { $0.value == reference.value } : !seen.insert(reference.value).inserted
                if repeated {
                    diagnostics.append(.warning(reference.location, "'\(reference.value)' is listed twice in '\(kind.plural)'"))
                } else if owner[reference.value]?.kind == kind {
                    found.append(EntityRef(kind, reference.value))
                } else {
                    unknown(reference, expected: [kind], field: kind.plural)
                }
            }
        }
        return found
    }

    /// Pass 6: the entities a section concerns without naming them (`related`). Returns the sections related to each entity.
    mutating func resolveRelatedEntities(_ sections: [Section]) -> [EntityRef: [Int]] {
        var sectionsRelated: [EntityRef: [Int]] = [:]
        for index in sections.indices {
            for ref in relatedEntities(of: sections[index]) { sectionsRelated[ref, default: []].append(index) }
        }
        return sectionsRelated
    }

    /// The entities one section names under `related`, each once, in the order written; repeats, unknown
    /// ids and entities also listed by kind are reported and left out.
    mutating func relatedEntities(of section: Section) -> [EntityRef] {
        var found: [EntityRef] = []
        var seen: Set<String> = []
        for reference in section.related {
            guard seen.insert(reference.value).inserted else {
                diagnostics.append(.warning(reference.location, "'\(reference.value)' is listed twice in 'related'"))
                continue
            }
            guard let kind = owner[reference.value]?.kind else {
                unknown(reference, expected: EntityKind.allCases, field: "related")
                continue
            }
            if section.references[kind]?.contains(where: { $0.value == reference.value }) == true {
                diagnostics.append(.warning(reference.location, "'\(reference.value)' is in both '\(kind.plural)' and 'related'",
                                            notes: ["'\(kind.plural)' lists what the text names, 'related' what it concerns without naming: keep one"]))
                continue
            }
            found.append(EntityRef(kind, reference.value))
        }
        return found
    }

    /// Pass 7: a warning for each entity no section lists or relates to.
    mutating func reportUnlisted(mentioning: [EntityRef: [Int]], related: [EntityRef: [Int]]) {
        for (id, header) in owner.sorted(by: { $0.key < $1.key })
        where mentioning[EntityRef(header.kind, id)] == nil && related[EntityRef(header.kind, id)] == nil {
            diagnostics.append(Resolution.unlisted(EntityRef(header.kind, id), path: header.path))
        }
    }

    /// The warning for an entity no section lists or relates to.
    static func unlisted(_ ref: EntityRef, path: String) -> Diagnostic {
        .warning(SourceLocation(path: path), "\(ref.kind.rawValue) '\(ref.id)' is not listed by any section",
                 notes: ["add it to the '\(ref.kind.plural)' of the sections that name it, or to 'related' of those that concern it, or delete the file"])
    }

    /// An error for a reference to no entity of the expected kinds: another kind's id, a path, or a near miss is named.
    private mutating func unknown(_ reference: Located<String>, expected: [EntityKind], field: String) {
        let wanted = expected.count == EntityKind.allCases.count ? "entity" : expected.map(\.rawValue).joined(separator: " or ")
        if let other = owner[reference.value]?.kind {
            diagnostics.append(.error(reference.location, "'\(reference.value)' in '\(field)' is \(Resolution.article(other)) \(other.rawValue), not \(Resolution.article(expected[0])) \(wanted)",
                                      notes: ["list it under '\(other.plural)'"]))
            return
        }
        var candidates: [String] = []
        for kind in expected {
            switch kind {
            case .country: candidates += countries.keys
            case .official: candidates += officials.keys
            case .agreement: candidates += agreements.keys
            case .organization: candidates += organizations.keys
            }
        }
        var notes = Suggestion.closest(to: reference.value, among: candidates).map { ["did you mean '\($0)'?"] } ?? []
        if reference.value.contains("/") || reference.value.hasSuffix(".md") {
            // A path (`../countries/russia.md`) where an id belongs: the id is the file name alone.
            var stem = Substring(reference.value.split(separator: "/").last ?? "")
            if stem.hasSuffix(".md") { stem = stem.dropLast(3) }
            notes = ["an id is a file name without folders or '.md'"]
            if candidates.contains(String(stem)) { notes.append("did you mean '\(stem)'?") }
        }
        diagnostics.append(.error(reference.location, "unknown \(wanted) '\(reference.value)' in '\(field)'", notes: notes))
    }

    /// Two positions of one official whose known dates prove them held at once (a handover day may belong to both).
    private mutating func checkOverlaps(_ positions: [Position]) {
        for (index, later) in positions.enumerated() {
            guard let laterTenure = later.certainTenure else { continue }
            for earlier in positions[..<index] {
                guard let earlierTenure = earlier.certainTenure,
                      max(earlierTenure.lowerBound, laterTenure.lowerBound) < min(earlierTenure.upperBound, laterTenure.upperBound) else { continue }
                let from = later.from.map { " from \($0)" } ?? ""
                if earlier.to == nil {
                    diagnostics.append(.error(later.location, "tenure '\(later.title)'\(from) overlaps '\(earlier.title)', which has no end date",
                                              notes: ["give '\(earlier.title)' a 'to' date, or combine titles held at the same time into one position"]))
                } else {
                    let span = [earlier.from.map { "\($0)" }, earlier.to.map { "\($0)" }].compactMap { $0 }.joined(separator: " to ")
                    diagnostics.append(.error(later.location, "tenure '\(later.title)'\(from) overlaps '\(earlier.title)' (\(span))",
                                              notes: ["a handover on the same day is allowed; combine titles held at the same time into one position"]))
                }
                break
            }
        }
    }

    private mutating func checkRepeats(_ list: [Located<String>], field: String) {
        var seen: Set<String> = []
        for item in list where !seen.insert(item.value).inserted {
            diagnostics.append(.warning(item.location, "'\(item.value)' is listed twice in '\(field)'"))
        }
    }

    private static func article(_ kind: EntityKind) -> String {
        kind == .official || kind == .agreement || kind == .organization ? "an" : "a"
    }
}
