import Foundation

/// Parses loaded files into typed records: front matter fields checked for type and spelling.
///
/// Each file is parsed on its own (so files parse in parallel); problems come back as
/// diagnostics next to whatever could still be read.
public enum DocumentParser {
    /// One parsed file: at most one record, plus its diagnostics.
    public enum Record: Sendable {
        case config(SiteConfig)
        case home(title: String?, body: MarkdownSource, sources: [SourceReference])
        case chapter(Chapter)
        case section(Section)
        case country(Country)
        case official(Official)
        case agreement(Agreement)
        case organization(Organization)
    }

    public static let sectionKeys = ["title", "number", "summary", "date", "draft"] + EntityKind.allCases.map(\.plural) + ["related", "sources"]

    public static func parse(_ file: SourceFile) -> (record: Record?, diagnostics: [Diagnostic]) {
        let text: String
        switch TextDecoder.decode(file.bytes, path: file.path) {
        case .success(let decoded): text = decoded
        case .failure(let diagnostic): return (nil, [diagnostic])
        }
        if file.role == .config {
            return parseConfig(text, path: file.path)
        }
        let parts: FrontMatterSplitter.Parts
        switch FrontMatterSplitter.split(text, path: file.path) {
        case .success(let split): parts = split
        case .failure(let diagnostic): return (nil, [diagnostic])
        }
        var fm: FrontMatter
        switch FrontMatter.parse(yaml: parts.yaml, firstLine: parts.yamlFirstLine, path: file.path) {
        case .success(let parsed): fm = parsed
        case .failure(let diagnostic): return (nil, [diagnostic])
        }
        var diagnostics: [Diagnostic] = []
        let record: Record?
        switch file.role {
        case .config:
            record = nil
        case .home:
            let title = fm.string("title")
            let (sources, readers) = DocumentParser.sources(&fm)
            fm.finish(allowed: ["title", "sources"], adopting: readers)
            record = .home(title: title?.value, body: parts.body, sources: sources)
        case .chapter(let slug):
            checkSlug(slug, what: "chapter folder name", path: file.path, into: &diagnostics)
            let number = fm.int("number", required: true)
            let title = fm.string("title", required: true)
            let summary = fm.string("summary")
            let (sources, readers) = DocumentParser.sources(&fm)
            fm.finish(allowed: ["number", "title", "summary", "sources"], adopting: readers)
            if let number, let title {
                record = .chapter(Chapter(slug: slug, path: file.path, number: number, title: title.value,
                                          summary: summary?.value, body: parts.body, sources: sources))
            } else {
                record = nil
            }
        case .section(let chapter):
            record = parseSection(&fm, file: file, chapter: chapter, body: parts.body, diagnostics: &diagnostics)
        case .entity(let kind):
            record = parseEntity(kind, &fm, file: file, body: parts.body, diagnostics: &diagnostics)
        }
        diagnostics += fm.diagnostics
        return (diagnostics.hasErrors ? nil : record, diagnostics)
    }

    static func parseConfig(_ text: String, path: String) -> (record: Record?, diagnostics: [Diagnostic]) {
        var fm: FrontMatter
        switch FrontMatter.parse(yaml: text, firstLine: 1, path: path) {
        case .success(let parsed): fm = parsed
        case .failure(let diagnostic): return (nil, [diagnostic])
        }
        let title = fm.string("title", required: true)
        let edition = fm.string("edition")
        let asOf = fm.day("as_of")
        let language = fm.string("language")
        let description = fm.string("description")
        let root = fm.string("breadcrumb_root")
        let base = fm.string("base_url")
        var options = fm.nested("options")
        let rawHTML = options?.bool("raw_html")
        let autoLink = options?.bool("auto_link")
        options?.finish(allowed: ["raw_html", "auto_link"])
        var check = fm.nested("check")
        var severities: [String: Diagnostic.Severity?] = [:]
        for rule in SiteConfig.checkRules {
            guard let setting = check?.string(rule) else { continue }
            switch setting.value {
            case "error": severities[rule] = .error
            case "warning": severities[rule] = .warning
            case "off": severities[rule] = .some(nil)
            default: check?.report(setting.location, "'check.\(rule)' must be error, warning or off, not '\(setting.value)'")
            }
        }
        check?.finish(allowed: SiteConfig.checkRules)
        fm.finish(allowed: ["title", "edition", "as_of", "language", "description", "breadcrumb_root", "base_url", "options", "check"],
                  adopting: (options.map { [$0] } ?? []) + (check.map { [$0] } ?? []))
        var diagnostics = fm.diagnostics
        if let base, let problem = SiteConfig.baseURLProblem(base.value, name: "base_url") {
            diagnostics.append(.error(base.location, problem.message, notes: problem.notes))
        }
        if let language, !language.value.allSatisfy({ $0.isASCII && ($0.isLetter || $0 == "-") }) {
            diagnostics.append(.error(language.location, "'language' must be a language tag such as 'en' or 'ja'"))
        }
        guard let title, !diagnostics.hasErrors else { return (nil, diagnostics) }
        var config = SiteConfig(title: title.value, edition: edition?.value, language: language?.value ?? "en",
                                description: description?.value, breadcrumbRoot: root?.value ?? "Home",
                                baseURL: base?.value ?? "/", allowRawHTML: rawHTML ?? false, autoLink: autoLink ?? true)
        config.checkSeverities = severities
        config.asOf = asOf?.value
        return (.config(config), diagnostics)
    }

    private static func parseSection(_ fm: inout FrontMatter, file: SourceFile, chapter: String, body: MarkdownSource,
                                     diagnostics: inout [Diagnostic]) -> Record? {
        let stem = file.stem
        var slug = stem
        if let dash = stem.firstIndex(of: "-"), stem[..<dash].allSatisfy(\.isASCIIDigit), dash != stem.startIndex {
            slug = String(stem[stem.index(after: dash)...])
        }
        checkSlug(slug, what: "section file name", path: file.path, into: &diagnostics)
        let title = fm.string("title", required: true)
        let number = fm.int("number", required: true)
        let summary = fm.string("summary")
        let date = fm.day("date")
        let draft = fm.bool("draft") ?? false
        var references: [EntityKind: [Located<String>]] = [:]
        for kind in EntityKind.allCases {
            references[kind] = fm.strings(kind.plural)
        }
        let related = fm.strings("related")
        let (sources, readers) = DocumentParser.sources(&fm)
        fm.finish(allowed: sectionKeys, adopting: readers)
        guard let title, let number else { return nil }
        return .section(Section(path: file.path, relativePath: file.relativePath, chapterSlug: chapter, slug: slug, fileStem: stem, title: title.value,
                                number: number, summary: summary?.value, date: date?.value, draft: draft,
                                references: references, related: related, body: body, sources: sources))
    }

    private static func parseEntity(_ kind: EntityKind, _ fm: inout FrontMatter, file: SourceFile, body: MarkdownSource,
                                    diagnostics: inout [Diagnostic]) -> Record? {
        let id = file.stem
        checkSlug(id, what: "\(kind.rawValue) id (the file name)", path: file.path, into: &diagnostics)
        let name: Located<String>?
        var nameIsDescription = false
        if kind == .agreement {
            // An agreement is named by its real title, or, where the sources give none, by a description marked as one.
            let title = fm.string("title"), described = fm.string("description")
            switch (title, described) {
            case (let title?, let described?):
                diagnostics.append(.error(described.location, "an agreement has either a 'title' or a 'description', not both",
                                          notes: ["keep 'title' for the document's real title (on line \(title.location.line)); use 'description' only when the sources give no title"]))
                name = title
            case (nil, nil):
                name = fm.string("title", required: true)
            default:
                name = title ?? described
                nameIsDescription = title == nil
            }
        } else {
            name = fm.string("name", required: true)
        }
        let aliases = fm.strings("aliases").map(\.value)
        let (sources, sourceReaders) = DocumentParser.sources(&fm)
        func header(_ name: Located<String>) -> EntityHeader {
            EntityHeader(kind: kind, id: id, path: file.path, name: name.value, aliases: aliases, body: body, sources: sources)
        }
        switch kind {
        case .country:
            let iso = fm.string("iso", required: true)
            let iso3 = fm.string("iso3")
            let region = fm.string("region", required: true)
            if let iso, !(iso.value.count == 2 && iso.value.allSatisfy { $0.isASCII && $0.isUppercase }) {
                diagnostics.append(.error(iso.location, "'iso' must be an ISO 3166-1 alpha-2 code: two capital letters, like RU"))
            }
            if let iso3, !(iso3.value.count == 3 && iso3.value.allSatisfy { $0.isASCII && $0.isUppercase }) {
                diagnostics.append(.error(iso3.location, "'iso3' must be an ISO 3166-1 alpha-3 code: three capital letters, like RUS"))
            }
            fm.finish(allowed: ["name", "iso", "iso3", "region", "aliases", "sources"], adopting: sourceReaders)
            guard let name, let iso, let region else { return nil }
            return .country(Country(header: header(name), iso: iso.value, iso3: iso3?.value, region: region.value))
        case .official:
            let country = fm.string("country", required: true)
            var readers = fm.mappings("positions", required: true)
            var positions: [Position] = []
            for index in readers.indices {
                let title = readers[index].string("title", required: true)
                let from = readers[index].partialDate("from")
                let to = readers[index].partialDate("to")
                let held = readers[index].partialDates("held")
                readers[index].finish(allowed: ["title", "from", "to", "held"])
                if let from, let to, to.value.isCertainlyBefore(from.value) {
                    diagnostics.append(.error(to.location, "tenure ends (\(to.value)) before it starts (\(from.value))"))
                }
                for date in held {
                    if let from, date.value.isCertainlyBefore(from.value) {
                        diagnostics.append(.error(date.location, "'held' date \(date.value) is before the tenure starts (\(from.value))",
                                                  notes: ["a 'held' date is a day the sources show the office held, so it lies within 'from' and 'to'"]))
                    } else if let to, to.value.isCertainlyBefore(date.value) {
                        diagnostics.append(.error(date.location, "'held' date \(date.value) is after the tenure ends (\(to.value))",
                                                  notes: ["a 'held' date is a day the sources show the office held, so it lies within 'from' and 'to'"]))
                    }
                }
                if let title {
                    positions.append(Position(title: title.value, from: from?.value, to: to?.value, held: held.map(\.value), location: readers[index].start))
                }
            }
            fm.finish(allowed: ["name", "country", "positions", "aliases", "sources"], adopting: readers + sourceReaders)
            guard let name, let country else { return nil }
            return .official(Official(header: header(name), country: country, positions: positions))
        case .agreement:
            let shortTitle = fm.string("short_title")
            let agreementKind = fm.string("kind", required: true)
            let signed = fm.partialDate("signed")
            let place = fm.string("place")
            let parties = fm.strings("parties")
            let signatories = fm.strings("signatories")
            let inForce = fm.partialDate("in_force")
            let binding = fm.bool("binding")
            if let signed, let inForce, inForce.value.isCertainlyBefore(signed.value) {
                diagnostics.append(.error(inForce.location, "'in_force' (\(inForce.value)) is before 'signed' (\(signed.value))"))
            }
            fm.finish(allowed: ["title", "description", "short_title", "kind", "signed", "place", "parties", "signatories",
                                "in_force", "binding", "aliases", "sources"], adopting: sourceReaders)
            guard let name, let agreementKind else { return nil }
            return .agreement(Agreement(header: header(name), nameIsDescription: nameIsDescription, shortTitle: shortTitle?.value,
                                        kind: agreementKind.value, signed: signed, place: place?.value, parties: parties,
                                        signatories: signatories, inForce: inForce?.value, binding: binding))
        case .organization:
            let shortName = fm.string("short_name")
            fm.finish(allowed: ["name", "short_name", "aliases", "sources"], adopting: sourceReaders)
            guard let name else { return nil }
            return .organization(Organization(header: header(name), shortName: shortName?.value))
        }
    }

    /// The `sources:` list: each entry a `title`, an http(s) `url` and an optional `note`. The readers
    /// come back so the caller's `finish` reports their unknown keys.
    static func sources(_ fm: inout FrontMatter) -> ([SourceReference], [FrontMatter]) {
        var readers = fm.mappings("sources")
        var sources: [SourceReference] = []
        for index in readers.indices {
            let title = readers[index].string("title", required: true)
            let url = readers[index].string("url", required: true)
            let note = readers[index].string("note")
            readers[index].finish(allowed: ["title", "url", "note"])
            if let url, !(url.value.hasPrefix("https://") || url.value.hasPrefix("http://")) || url.value.contains(where: { $0 == " " || $0 == "\"" || $0 == "<" || $0 == ">" }) {
                readers[index].report(url.location, "'url' of a source must be an http(s) URL without spaces, quotes or angle brackets")
                continue
            }
            if let title, let url { sources.append(SourceReference(title: title.value, url: url.value, note: note?.value)) }
        }
        return (sources, readers)
    }

    /// Ids, chapter folders and section slugs become URL segments: lowercase ASCII letters, digits, single hyphens.
    static func isValidSlug(_ slug: String) -> Bool {
        guard let first = slug.utf8.first, (97...122).contains(first), slug.utf8.last != UInt8(ascii: "-"),
              !slug.contains("--") else { return false }
        return slug.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == UInt8(ascii: "-") }
    }

    private static func checkSlug(_ slug: String, what: String, path: String, into diagnostics: inout [Diagnostic]) {
        guard !isValidSlug(slug) else { return }
        let notes = suggestedSlug(for: slug).map { ["did you mean '\($0)'?"] } ?? []
        diagnostics.append(.error(SourceLocation(path: path), "invalid \(what) '\(slug)': use lowercase letters a–z, digits and single hyphens, starting with a letter",
                                  notes: notes))
    }

    /// A valid slug close to `slug`: lowercased, with spaces, underscores and other signs turned into single hyphens.
    static func suggestedSlug(for slug: String) -> String? {
        var out = ""
        // Letters with accents suggest their plain letter (Türkiye → turkiye), not a hyphen.
        for scalar in slug.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased().unicodeScalars {
            if (97...122).contains(scalar.value) || (48...57).contains(scalar.value) {
                out.unicodeScalars.append(scalar)
            } else if !out.isEmpty && !out.hasSuffix("-") {
                out += "-"
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return isValidSlug(out) && out != slug ? out : nil
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
