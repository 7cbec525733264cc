/// Builds `search-index.json`, what the theme's `assets/search.js` filters in the browser: one record
/// per section and per entity, with what a reader searches by (titles, names, aliases, kinds,
/// section summaries) and the page's URL under the base path.
///
/// A record is `{"url", "title", "kind", "names"?, "about"?, "summary"?}`; `names` holds aliases and
/// short names, `about` a short line shown under the result. Sections come in report order, then each
/// kind of entity in index order, one record per line, so the file is deterministic and diffs cleanly.
public struct SearchIndexWriter: Sendable {
    public var graph: SiteGraph
    public var urls: SiteURLs

    public init(graph: SiteGraph, urls: SiteURLs) {
        self.graph = graph
        self.urls = urls
    }

    public func document() -> JSONValue {
        var records: [JSONValue] = []
        for (index, section) in graph.sections.enumerated() {
            let chapter = graph.chapters[graph.sectionChapter[index]]
            records.append(record(url: urls.section(chapter: section.chapterSlug, slug: section.slug), title: section.title, kind: "Section",
                                  names: [], about: "\(chapter.number.value).\(section.number.value) · \(chapter.heading)",
                                  summary: section.summary))
        }
        for kind in EntityKind.allCases {
            for id in graph.sortedIDs(kind) {
                let ref = EntityRef(kind, id)
                guard let header = graph.header(ref) else { continue }
                var names = header.aliases
                var about: String?
                switch kind {
                case .country:
                    about = graph.countries[id]?.region
                case .official:
                    if let official = graph.officials[id] {
                        let parts = [official.positions.last?.title, graph.countries[official.country.value]?.header.name]
                        about = parts.compactMap { $0 }.joined(separator: ", ")
                    }
                case .agreement:
                    if let agreement = graph.agreements[id] {
                        if let short = agreement.shortTitle { names.insert(short, at: 0) }
                        about = [agreement.kind, agreement.signed?.value.longForm].compactMap { $0 }.joined(separator: ", ")
                    }
                case .organization:
                    if let short = graph.organizations[id]?.shortName { names.insert(short, at: 0) }
                }
                var seen: Set<String> = [header.name]
                names = names.filter { seen.insert($0).inserted }
                records.append(record(url: urls.entity(ref), title: header.name, kind: SearchIndexWriter.label(kind),
                                      names: names, about: about, summary: nil))
            }
        }
        return .array(records)
    }

    public func bytes() -> [UInt8] {
        document().bytes()
    }

    /// The kind as one result shows it, and as a reader may type it.
    static func label(_ kind: EntityKind) -> String {
        switch kind {
        case .country: "Country"
        case .official: "Official"
        case .agreement: "Agreement"
        case .organization: "Organization"
        }
    }

    private func record(url: String, title: String, kind: String, names: [String], about: String?, summary: String?) -> JSONValue {
        var fields: [(String, JSONValue)] = [("url", .string(url)), ("title", .string(title)), ("kind", .string(kind))]
        if !names.isEmpty { fields.append(("names", .array(names.map(JSONValue.string)))) }
        if let about, !about.isEmpty { fields.append(("about", .string(about))) }
        if let summary { fields.append(("summary", .string(summary))) }
        return .object(fields)
    }
}
