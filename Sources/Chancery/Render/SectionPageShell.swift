/// A section page's template data but for what its body gives: the HTML, the body's part of the table
/// of contents, the notes, and which listed entities the text names.
///
/// Everything in it comes from front matter and the rest of the site, so an edit to the body alone
/// leaves it as it was: the build cache keeps it, and fills in a new body without loading the site.
struct SectionPageShell: Sendable {
    /// The page's whole data with `section.html`, `section.toc` and `section.footnotes` left out.
    var context: TemplateValue
    /// The entities the section lists, with their URLs: the mentions its text links.
    var listed: [EntityRef: String]
    /// Each listed entity once, in listing order, and where it is listed: those the text never names are reported.
    var unnamed: [(ref: EntityRef, location: SourceLocation)]
    /// The severity `site.yaml` gives rule `listed-not-named`; nil when it is off.
    var unnamedSeverity: Diagnostic.Severity?
    /// The entries that follow the body's headings in the table of contents: one per list of entities the page shows.
    var trailingTOC: [TemplateValue]
    /// Whether listed mentions become links (site option `auto_link`).
    var autoLink: Bool

    func mentions(_ matcher: MentionMatcher) -> MarkdownRenderer.Mentions {
        MarkdownRenderer.Mentions(matcher: matcher, listed: Set(listed.keys), urls: listed, link: autoLink)
    }

    /// The page's data with `body` filled in, and what rendering the body found.
    func filled(with body: MarkdownRenderer.Output) -> (context: TemplateValue, diagnostics: [Diagnostic]) {
        var toc: [TemplateValue] = body.headings.filter { $0.level <= 3 }.map {
            ["id": .string($0.id), "text": .string($0.text), "level": .int($0.level), "sub": .bool($0.level > 2)]
        }
        if !body.footnotes.isEmpty { toc.append(["id": "notes", "text": "Notes", "level": 2, "sub": false]) }
        toc += trailingTOC
        let footnotes: [TemplateValue] = body.footnotes.map {
            ["number": .string($0.number), "id": .string($0.id), "referenceID": .string($0.referenceID), "html": .string($0.html)]
        }
        var context = self.context
        if case .object(var fields) = context, case .object(var section)? = fields["section"] {
            section["html"] = .string(body.html)
            section["toc"] = toc.isEmpty ? .null : ["items": .list(toc)]
            section["footnotes"] = footnotes.isEmpty ? .null : ["items": .list(footnotes)]
            fields["section"] = .object(section)
            context = .object(fields)
        }
        let named = Set(body.named)
        guard let unnamedSeverity else { return (context, body.diagnostics) }
        return (context, body.diagnostics + unnamed.filter { !named.contains($0.ref) }.map { ref, location in
            var diagnostic = Diagnostic(unnamedSeverity, location,
                                        "'\(ref.id)' is listed in '\(ref.kind.plural)' but its name and aliases never occur in the section's text",
                                        notes: ["name it in the text, give its record the alias the text uses, or move it to 'related' if the section concerns it without naming it"])
            diagnostic.rule = SectionPageShell.unnamedRule
            return diagnostic
        })
    }

    static let unnamedRule = "listed-not-named"

    /// The severity of rule `listed-not-named` under `config`: a warning unless `site.yaml` says otherwise.
    static func unnamedSeverity(_ config: SiteConfig) -> Diagnostic.Severity? {
        var probe = Diagnostic(.warning, SourceLocation(path: ""), "")
        probe.rule = unnamedRule
        return config.withSeverity(probe)?.severity
    }
}
