/// Checks every reference in a parsed site and builds the `SiteGraph` with its inverse relations.
///
/// All problems are collected before giving up. The work is a list of named passes over one
/// `Resolution` (see `resolve`); lookups go through dictionaries keyed by id and each inverse relation
/// is built in one pass, so resolution is linear in the number of references.
public struct ReferenceResolver: Sendable {
    public var includeDrafts: Bool

    public init(includeDrafts: Bool = false) {
        self.includeDrafts = includeDrafts
    }

    /// The passes run in this order; each reads what the ones before it resolved.
    public func resolve(_ site: ParsedSite) -> (graph: SiteGraph?, diagnostics: [Diagnostic]) {
        var resolution = Resolution()
        resolution.claimEntities(site)
        let officialsByCountry = resolution.resolveOfficials()
        let (agreementsByParty, agreementsBySignatory) = resolution.resolveAgreements()
        let order = resolution.orderSections(site, includeDrafts: includeDrafts)
        let sectionsMentioning = resolution.resolveListedEntities(order.sections)
        let sectionsRelated = resolution.resolveRelatedEntities(order.sections)
        resolution.reportUnlisted(mentioning: sectionsMentioning, related: sectionsRelated)
        resolution.diagnostics += missingSources(site, sections: order.sections)

        guard !resolution.diagnostics.hasErrors else { return (nil, resolution.diagnostics) }
        var graph = SiteGraph(config: site.config, homeTitle: site.homeTitle ?? site.config.title, homeBody: site.homeBody, homeSources: site.homeSources,
                              chapters: order.chapters, sections: order.sections, chapterSections: order.chapterSections,
                              sectionChapter: order.sectionChapter, countries: resolution.countries, officials: resolution.officials,
                              agreements: resolution.agreements, organizations: resolution.organizations,
                              sectionsMentioning: sectionsMentioning, officialsByCountry: officialsByCountry,
                              agreementsByParty: agreementsByParty, agreementsBySignatory: agreementsBySignatory)
        graph.sectionsRelated = sectionsRelated
        graph.computeEntityOrder()
        return (graph, resolution.diagnostics)
    }

    /// Positions by their first known date (`from`, else the first `held`, else `to`), undated ones last, then by place in the file.
    static func chronological(_ a: Position, _ b: Position) -> Bool {
        let first = a.from ?? a.held.min() ?? a.to, second = b.from ?? b.held.min() ?? b.to
        switch (first, second) {
        case let (x?, y?) where x != y: return x < y
        case (nil, _?): return false
        case (_?, nil): return true
        default: return a.location < b.location
        }
    }

    /// A warning (rule `missing-sources`) for every section and entity whose front matter cites no source.
    private func missingSources(_ site: ParsedSite, sections: [Section]) -> [Diagnostic] {
        let headers = site.countries.map(\.header) + site.officials.map(\.header) + site.agreements.map(\.header) + site.organizations.map(\.header)
        let found = sections.compactMap { ReferenceResolver.missingSources(path: $0.path, sources: $0.sources, config: site.config) }
            + headers.compactMap { ReferenceResolver.missingSources(path: $0.path, sources: $0.sources, config: site.config) }
        return found.sorted { $0.location.path < $1.location.path }
    }

    /// The warning (rule `missing-sources`) for a file whose front matter cites no source, at the severity `config` gives it;
    /// nil when it cites some.
    static func missingSources(path: String, sources: [SourceReference], config: SiteConfig) -> Diagnostic? {
        guard sources.isEmpty else { return nil }
        var found = Diagnostic(.warning, SourceLocation(path: path), "no sources: every section and entity lists where its facts come from",
                               notes: ["add 'sources:' to the front matter, each with a 'title' and a 'url' (and an optional 'note')"])
        found.rule = "missing-sources"
        return config.withSeverity(found)
    }
}
