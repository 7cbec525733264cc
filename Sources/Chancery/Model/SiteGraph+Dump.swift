extension SiteGraph {
    /// A plain-text listing of the resolved graph: every entity with its relations in both directions.
    ///
    /// Used by golden tests; stable because every list in the graph is sorted.
    public func dump() -> String {
        var lines: [String] = []
        for (index, chapter) in chapters.enumerated() {
            lines.append("chapter \(chapter.number.value) \(chapter.slug): \(chapter.title)")
            for sectionIndex in chapterSections[index] {
                let section = sections[sectionIndex]
                lines.append("  section \(chapter.number.value).\(section.number.value) \(section.chapterSlug)/\(section.slug): \(section.title)")
                for kind in EntityKind.allCases {
                    let ids = (section.references[kind] ?? []).map(\.value)
                    if !ids.isEmpty { lines.append("    \(kind.plural): \(ids.joined(separator: ", "))") }
                }
                if !section.related.isEmpty { lines.append("    related: \(section.related.map(\.value).joined(separator: ", "))") }
            }
        }
        func sectionLabels(_ indices: [Int]?) -> String {
            (indices ?? []).map { index in
                "\(chapters[sectionChapter[index]].number.value).\(sections[index].number.value)"
            }.joined(separator: ", ")
        }
        for kind in EntityKind.allCases {
            for id in sortedIDs(kind) {
                let ref = EntityRef(kind, id)
                lines.append("\(ref) \(header(ref)!.name)")
                lines.append("  sections: \(sectionLabels(sectionsMentioning[ref]))")
                if let related = sectionsRelated[ref] { lines.append("  related sections: \(sectionLabels(related))") }
                switch kind {
                case .country:
                    lines.append("  officials: \((officialsByCountry[id] ?? []).joined(separator: ", "))")
                    lines.append("  agreements: \((agreementsByParty[id] ?? []).joined(separator: ", "))")
                case .official:
                    let official = officials[id]!
                    lines.append("  country: \(official.country.value)")
                    for position in official.positions {
                        lines.append("  position: \(position.title) \(position.from?.description ?? "")–\(position.to?.description ?? "")"
                                     + (position.held.isEmpty ? "" : " held \(position.held.map(\.description).joined(separator: ", "))"))
                    }
                    lines.append("  signed: \((agreementsBySignatory[id] ?? []).joined(separator: ", "))")
                case .agreement:
                    let agreement = agreements[id]!
                    lines.append("  signed: \(agreement.signed?.value.description ?? "-") parties: \(agreement.parties.map(\.value).joined(separator: ", "))")
                    lines.append("  signatories: \(agreement.signatories.map { signatory in "\(signatory.value) (\(agreement.signed.flatMap { officials[signatory.value]?.title(on: $0.value) } ?? "-"))" }.joined(separator: ", "))")
                case .organization:
                    lines.append("  agreements: \((agreementsByParty[id] ?? []).joined(separator: ", "))")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
