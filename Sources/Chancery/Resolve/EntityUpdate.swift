/// New records of some entities resolved into the graph of the last good build, without resolving the site again.
///
/// Made only when each record keeps its file, kind, id and every name the text may mention it by, and
/// nothing another record's lists are ordered or checked by: an official's country, an agreement's
/// parties, signatories and signing date. Then no list of the graph and no mention changes; what does is
/// the records, and what resolution says of them (an official's tenures, the signatories' offices on
/// the signing dates of the agreements an official signed, missing sources). The result is what
/// `ReferenceResolver.resolve` makes of the edited site.
public struct EntityUpdate: GraphUpdate {
    public var graph: SiteGraph
    /// Resolution's diagnostics that the old records had and the new ones do not, and the other way round.
    public var withdrawn: [Diagnostic]
    public var added: [Diagnostic]
    /// The replaced entities.
    public var refs: [EntityRef]

    /// What of the graph changed, in the terms pages record their reads in.
    public var changed: Set<PageReads.Read> { Set(refs.map(PageReads.Read.entity)) }

    /// nil when an edit renames, moves or breaks an entity, or changes what other records are ordered or checked by.
    public init?(_ graph: SiteGraph, replacing records: [DocumentParser.Record]) {
        var resolution = Resolution(entitiesOf: graph)
        var next = graph
        var withdrawn: [Diagnostic] = [], added: [Diagnostic] = []
        var refs: [EntityRef] = []
        func sources(_ header: EntityHeader) -> [Diagnostic] {
            [ReferenceResolver.missingSources(path: header.path, sources: header.sources, config: graph.config)].compactMap { $0 }
        }
        func keepsNames(_ old: EntityHeader, _ new: EntityHeader) -> Bool {
            old.path == new.path && old.kind == new.kind && old.id == new.id && old.name == new.name && old.aliases == new.aliases
        }
        for record in records {
            switch record {
            case .country(let new):
                guard let old = graph.countries[new.header.id], keepsNames(old.header, new.header) else { return nil }
                next.countries[new.header.id] = new
                withdrawn += sources(old.header)
                added += sources(new.header)
                refs.append(EntityRef(.country, new.header.id))
            case .organization(let new):
                guard let old = graph.organizations[new.header.id], keepsNames(old.header, new.header), old.shortName == new.shortName else { return nil }
                next.organizations[new.header.id] = new
                withdrawn += sources(old.header)
                added += sources(new.header)
                refs.append(EntityRef(.organization, new.header.id))
            case .agreement(let new):
                guard let old = graph.agreements[new.header.id], keepsNames(old.header, new.header), old.shortTitle == new.shortTitle,
                      old.nameIsDescription == new.nameIsDescription, old.signed?.value == new.signed?.value,
                      old.parties.map(\.value) == new.parties.map(\.value), old.signatories.map(\.value) == new.signatories.map(\.value) else { return nil }
                resolution.diagnostics = []
                _ = resolution.checkAgreement(old)
                withdrawn += resolution.diagnostics + sources(old.header)
                resolution.diagnostics = []
                _ = resolution.checkAgreement(new)
                added += resolution.diagnostics + sources(new.header)
                resolution.agreements[new.header.id] = new
                next.agreements[new.header.id] = new
                refs.append(EntityRef(.agreement, new.header.id))
            case .official(let new):
                guard let old = graph.officials[new.header.id], keepsNames(old.header, new.header), old.country.value == new.country.value else { return nil }
                let id = new.header.id
                // The agreements the official signed, whose signatories are checked against the official's offices.
                let signed = (graph.agreementsBySignatory[id] ?? []).map { resolution.agreements[$0]! }
                resolution.diagnostics = []
                _ = resolution.resolvedOfficial(old)
                for agreement in signed { _ = resolution.checkAgreement(agreement) }
                withdrawn += resolution.diagnostics + sources(old.header)
                resolution.diagnostics = []
                let official = resolution.resolvedOfficial(new)
                resolution.officials[id] = official
                for agreement in signed { _ = resolution.checkAgreement(agreement) }
                added += resolution.diagnostics + sources(new.header)
                next.officials[id] = official
                refs.append(EntityRef(.official, id))
            default:
                return nil
            }
        }
        guard !added.hasErrors else { return nil }
        self.graph = next
        self.withdrawn = withdrawn
        self.added = added
        self.refs = refs
    }
}
