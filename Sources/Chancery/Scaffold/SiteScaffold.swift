import Foundation

/// The starter site `chancery new site DIR` writes: one chapter, one section and one record of each kind, building with no warnings.
public enum SiteScaffold {
    public static func files(title: String) -> [(path: String, text: String)] {
        let quotedTitle = "\"" + title.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\""
        return [
            (".gitignore", """
            public/
            .chancery-cache/

            """),
            ("site.yaml", """
            title: \(quotedTitle)
            edition: "2013"
            as_of: 2013-04-05
            language: en
            base_url: https://example.org/
            breadcrumb_root: Summary
            description: A report built with Chancery.
            options:
              raw_html: false
              auto_link: true

            """),
            ("content/_index.md", """
            ---
            title: \(quotedTitle)
            ---
            Welcome. Each chapter below holds sections; every country, official and agreement has a page of its own.

            """),
            ("content/chapter-1/_index.md", """
            ---
            number: 1
            title: Foreign Policy by Region
            ---
            An introduction to the chapter.

            """),
            ("content/chapter-1/01-russia.md", """
            ---
            title: Russia
            number: 1
            summary: Relations with Russia in the year under review.
            date: 2013-04-05
            countries: [russia]
            officials: [nikolai-patrushev]
            agreements: [security-memorandum]
            sources:
              - title: Diplomatic Bluebook 2013, Russia, Central Asia, and the Caucasus
                url: https://www.mofa.go.jp/policy/other/bluebook/2013/html/chapter2/russia.html
            ---
            Mr. Patrushev, Secretary of the Security Council of the Russian Federation, visited in October
            and signed the security memorandum.[^1]

            ## Economic relations

            Write more paragraphs and `##` headings here; each heading appears in the table of contents.

            [^1]: A footnote: write `[^1]` in the text and `[^1]: …` as a paragraph at the end.

            """),
            ("content/countries/russia.md", """
            ---
            name: Russia
            iso: RU
            iso3: RUS
            region: Russia, Central Asia, and the Caucasus
            aliases: [Russian Federation]
            sources:
              - title: Diplomatic Bluebook 2013, Russia, Central Asia, and the Caucasus
                url: https://www.mofa.go.jp/policy/other/bluebook/2013/html/chapter2/russia.html
            ---
            An optional description of the country, in Markdown.

            """),
            ("content/officials/nikolai-patrushev.md", """
            ---
            name: Nikolai Patrushev
            country: russia
            aliases: [Mr. Patrushev, Patrushev]
            positions:
              - title: Secretary of the Security Council
                held: [2012-10]
            sources:
              - title: Diplomatic Bluebook 2013, Russia, Central Asia, and the Caucasus
                url: https://www.mofa.go.jp/policy/other/bluebook/2013/html/chapter2/russia.html
            ---

            """),
            ("content/agreements/security-memorandum.md", """
            ---
            description: Memorandum between the Ministry of Foreign Affairs of Japan and the Security Council of the Russian Federation
            short_title: security memorandum
            kind: memorandum
            signed: 2012-10
            place: Tokyo
            parties: [russia]
            signatories: [nikolai-patrushev]
            binding: false
            sources:
              - title: Diplomatic Bluebook 2013, Russia, Central Asia, and the Caucasus
                url: https://www.mofa.go.jp/policy/other/bluebook/2013/html/chapter2/russia.html
            ---

            """),
        ]
    }

    /// Writes the starter site into `directory`, which must not exist or be empty.
    public static func create(at directory: String, title: String) throws {
        let fs = FileManager.default
        if let existing = try? fs.contentsOfDirectory(atPath: directory), !existing.isEmpty {
            throw ScaffoldError(message: "'\(directory)' already exists and is not empty")
        }
        for (path, text) in files(title: title) {
            let full = directory + "/" + path
            try fs.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: full))
        }
    }

    /// Copies the built-in theme into `directory/templates` so it can be edited.
    public static func copyDefaultTheme(to directory: String) throws {
        guard let source = Theme.defaultThemeURL else { throw ScaffoldError(message: "the built-in theme is missing from this installation") }
        try FileManager.default.copyItem(atPath: source.path, toPath: directory + "/templates")
    }
}

public struct ScaffoldError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
