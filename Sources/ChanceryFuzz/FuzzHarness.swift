import Chancery
import Foundation

/// The three fuzz targets, as plain functions over bytes, using only Chancery's public API.
///
/// Each runs one input through a stage of the pipeline and returns the broken promises it found
/// (empty when all is well); a crash, trap or sanitizer report is a finding too. The libFuzzer
/// executables (`fuzz-front-matter`, `fuzz-markdown`, `fuzz-site`) call these from
/// `LLVMFuzzerTestOneInput`, and the regression tests replay saved inputs through them.
public enum FuzzHarness {
    public enum Target: String, CaseIterable, Sendable {
        case frontMatter = "front-matter"
        case markdown
        case site

        public func run(_ data: [UInt8]) -> [String] {
            switch self {
            case .frontMatter: FuzzHarness.frontMatter(data)
            case .markdown: FuzzHarness.markdown(data)
            case .site: FuzzHarness.site(data)
            }
        }
    }

    // MARK: (a) front matter

    /// The roles a fuzzed file can play, chosen by its first byte, with the path it would have.
    static let roles: [(SourceFile.Role, String)] = [
        (.config, "site.yaml"),
        (.home, "content/_index.md"),
        (.chapter(slug: "chapter-1"), "content/chapter-1/_index.md"),
        (.section(chapter: "chapter-1"), "content/chapter-1/01-russia.md"),
        (.entity(.country), "content/countries/russia.md"),
        (.entity(.official), "content/officials/nikolai-patrushev.md"),
        (.entity(.agreement), "content/agreements/security-memorandum.md"),
        (.entity(.organization), "content/organizations/csto.md"),
    ]

    /// Parses one file: the first byte picks its role (`roles`), the rest are its bytes.
    ///
    /// Promises: no crash; every diagnostic names the file and a line that exists in it.
    public static func frontMatter(_ data: [UInt8]) -> [String] {
        guard let selector = data.first else { return [] }
        let (role, path) = roles[Int(selector) % roles.count]
        let bytes = Array(data.dropFirst())
        let file = SourceFile(role: role, path: path, relativePath: path, bytes: bytes)
        let result = DocumentParser.parse(file)
        var problems = locationProblems(result.diagnostics, path: path, lines: lineCount(bytes))
        if result.record != nil && result.diagnostics.hasErrors { problems.append("a record came back together with errors") }
        return problems
    }

    // MARK: (b) Markdown

    static let mentionNames: [(name: String, ref: EntityRef)] = [
        ("Russia", EntityRef(.country, "russia")),
        ("Russian Federation", EntityRef(.country, "russia")),
        ("Republic of Korea", EntityRef(.country, "south-korea")),
        ("Korea", EntityRef(.country, "south-korea")),
        ("Côte d'Ivoire", EntityRef(.country, "cote-divoire")),
        ("U.S.", EntityRef(.country, "united-states")),
        ("United States", EntityRef(.country, "united-states")),
        ("United States–Japan Security Treaty", EntityRef(.agreement, "security-treaty")),
        ("Mr. Patrushev", EntityRef(.official, "nikolai-patrushev")),
        ("\"Quoted\" Group", EntityRef(.organization, "quoted")),
        ("EU", EntityRef(.organization, "european-union")),
    ]
    static let matcher = MentionMatcher(names: mentionNames)

    /// Renders one Markdown body with footnotes and mention linking.
    ///
    /// The first byte holds options: bit 0 raw HTML allowed, bit 1 mentions linked, bit 2 a
    /// sub-path base URL, bit 3 Korea and the EU listed; the rest is the body.
    /// Promises: no crash; in safe mode no script or unexpected markup in the HTML or any
    /// footnote (`HTMLSafetyScanner`); diagnostics point into the body.
    public static func markdown(_ data: [UInt8]) -> [String] {
        guard let flags = data.first else { return [] }
        let raw = flags & 1 != 0
        let body = Array(data.dropFirst())
        let renderer = MarkdownRenderer(options: .init(allowRawHTML: raw, basePath: flags & 4 != 0 ? "/sub/" : "/",
                                                       reservedIDs: ["notes", "main"]))
        var listed: Set<EntityRef> = [EntityRef(.country, "russia"), EntityRef(.official, "nikolai-patrushev"),
                                      EntityRef(.agreement, "security-treaty"), EntityRef(.organization, "quoted")]
        if flags & 8 != 0 { listed.formUnion([EntityRef(.country, "south-korea"), EntityRef(.organization, "european-union")]) }
        var urls: [EntityRef: String] = [:]
        for (_, ref) in mentionNames { urls[ref] = "/\(ref.kind.plural)/\(ref.id)/" }
        let mentions = MarkdownRenderer.Mentions(matcher: matcher, listed: listed, urls: urls, link: flags & 2 != 0)
        let path = "content/chapter-1/01-russia.md"
        let firstLine = 9
        let output = renderer.render(MarkdownSource(text: String(decoding: body, as: UTF8.self), firstLine: firstLine, path: path),
                                     mentions: mentions)
        var problems: [String] = []
        if !raw {
            problems += HTMLSafetyScanner.scan(output.html).map { "body HTML: \($0)" }
            for footnote in output.footnotes {
                problems += HTMLSafetyScanner.scan(footnote.html).map { "footnote \(footnote.number) HTML: \($0)" }
            }
        }
        let lines = firstLine - 1 + lineCount(body)
        problems += locationProblems(output.diagnostics, path: path, lines: lines)
        for diagnostic in output.diagnostics where diagnostic.location.line < firstLine {
            problems.append("diagnostic before the body's first line: \(diagnostic)")
        }
        return problems
    }

    // MARK: (c) a whole small site

    /// The files of the fuzzed site, in the order the input's NUL-separated parts fill them.
    public static let sitePaths: [(SourceFile.Role, String)] = roles + [
        (.section(chapter: "chapter-1"), "content/chapter-1/02-ukraine.md"),
        (.entity(.country), "content/countries/ukraine.md"),
        (.chapter(slug: "chapter-2"), "content/chapter-2/_index.md"),
        (.section(chapter: "chapter-2"), "content/chapter-2/01-asia.md"),
    ]

    /// The theme, compiled once: the default one, as every fuzzed site uses it.
    static let engine: (any TemplateEngine)? = {
        let (theme, diagnostics) = Theme.load(siteRoot: nil, displayPrefix: "")
        guard !diagnostics.hasErrors else { return nil }
        return try? CompiledMustacheEngine(theme: theme)
    }()

    /// Splits the input at NUL bytes into the files of `sitePaths` (missing ones are left out),
    /// then parses, resolves, indexes and renders every page and API document.
    ///
    /// Promises: no crash; diagnostics name a file of the site and a line inside it; a resolved
    /// graph gives pages at distinct files; in safe mode no page holds script or unexpected
    /// markup; every API document is valid JSON.
    public static func site(_ data: [UInt8]) -> [String] {
        let parts = data.split(separator: 0, maxSplits: sitePaths.count - 1, omittingEmptySubsequences: false)
        var files: [SourceFile] = []
        for (part, (role, path)) in zip(parts, sitePaths) where !part.isEmpty || role == .config {
            files.append(SourceFile(role: role, path: path, relativePath: path, bytes: Array(part)))
        }
        var problems: [String] = []
        var config: SiteConfig?
        var site = ParsedSite(config: SiteConfig(title: "untitled"), configPath: "site.yaml")
        var diagnostics: [Diagnostic] = []
        for file in files {
            let result = DocumentParser.parse(file)
            problems += locationProblems(result.diagnostics, path: file.path, lines: lineCount(file.bytes))
            diagnostics += result.diagnostics
            switch result.record {
            case .config(let parsed)?: config = parsed
            case .home(let title, let body, _)?:
                site.homeTitle = title
                site.homeBody = body.isBlank ? nil : body
            case .chapter(let chapter)?: site.chapters.append(chapter)
            case .section(let section)?: site.sections.append(section)
            case .country(let country)?: site.countries.append(country)
            case .official(let official)?: site.officials.append(official)
            case .agreement(let agreement)?: site.agreements.append(agreement)
            case .organization(let organization)?: site.organizations.append(organization)
            case nil: break
            }
        }
        guard let config, !diagnostics.hasErrors else { return problems }
        site.config = config
        let resolved = ReferenceResolver(includeDrafts: data.count % 2 == 0).resolve(site)
        let known = Set(files.map(\.path))
        for diagnostic in resolved.diagnostics where !known.contains(diagnostic.location.path) {
            problems.append("resolver diagnostic names no file of the site: \(diagnostic)")
        }
        guard let graph = resolved.graph else { return problems }
        let urls = SiteURLs(basePath: graph.config.basePath)
        let (pages, pageDiagnostics) = PageIndexer(urls: urls).pages(for: graph)
        if pageDiagnostics.hasErrors { problems.append("pages collide: \(pageDiagnostics)") }
        guard let engine else { return problems + ["the default theme does not compile"] }
        let renderer = PageRenderer(graph: graph, engine: engine, styleURL: urls.asset("assets/style.css"))
        for page in pages {
            do {
                let rendered = try renderer.render(page)
                if !graph.config.allowRawHTML {
                    problems += HTMLSafetyScanner.scan(bytes: rendered.bytes).map { "\(page.file): \($0)" }
                }
            } catch {
                problems.append("\(page.file): the default theme failed: \(error.diagnostic)")
            }
        }
        let exporter = APIExporter(graph: graph, urls: urls)
        for name in APIExporter.names {
            let bytes = exporter.bytes(name)
            if (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) == nil {
                problems.append("api/\(name) is not valid JSON")
            }
        }
        return problems
    }

    // MARK: shared checks

    /// The number of lines in a file as editors count them (`\r\n`, `\r` and `\n` each end one).
    static func lineCount(_ bytes: [UInt8]) -> Int {
        var lines = 1
        var previous: UInt8 = 0
        for byte in bytes {
            if byte == 0x0A && previous != 0x0D { lines += 1 }
            if byte == 0x0D { lines += 1 }
            previous = byte
        }
        return lines
    }

    static func locationProblems(_ diagnostics: [Diagnostic], path: String, lines: Int) -> [String] {
        var problems: [String] = []
        for diagnostic in diagnostics {
            if diagnostic.location.path != path { problems.append("diagnostic names another file: \(diagnostic)") }
            if diagnostic.location.line < 0 || diagnostic.location.line > lines {
                problems.append("diagnostic points at line \(diagnostic.location.line) of a \(lines)-line file: \(diagnostic)")
            }
            if diagnostic.location.line > 0 && diagnostic.location.column < 1 {
                problems.append("diagnostic has column \(diagnostic.location.column): \(diagnostic)")
            }
        }
        return problems
    }

    /// Replays saved inputs (files, or every file in the given folders) through `target`; returns the failures.
    public static func replay(_ paths: [String], target: Target) -> [(path: String, problems: [String])] {
        var failures: [(String, [String])] = []
        let fs = FileManager.default
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fs.fileExists(atPath: path, isDirectory: &isDirectory) else {
                failures.append((path, ["no such file"]))
                continue
            }
            if isDirectory.boolValue {
                let names = ((try? fs.contentsOfDirectory(atPath: path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
                files += names.map { path + "/" + $0 }
            } else {
                files.append(path)
            }
        }
        for file in files {
            guard let data = fs.contents(atPath: file) else {
                failures.append((file, ["cannot read"]))
                continue
            }
            let problems = target.run([UInt8](data))
            if !problems.isEmpty { failures.append((file, problems)) }
        }
        return failures
    }
}
