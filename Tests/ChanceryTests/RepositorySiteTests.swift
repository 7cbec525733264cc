import Foundation
import Testing
@testable import Chancery

/// Checks on the repository's own site: the Diplomatic Bluebook 2013, Chapter 2.
@Suite("The Bluebook site", .serialized)
struct RepositorySiteTests {
    static let root = TestSite.packageRoot

    static func prepared() async throws -> SiteBuilder.Prepared {
        try await SiteBuilder(options: BuildOptions(siteRoot: root)).prepare()
    }

    @Test("builds with zero errors and zero warnings")
    func cleanBuild() async throws {
        let output = NSTemporaryDirectory() + "chancery-repo-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: output) }
        let report = try await SiteBuilder(options: BuildOptions(siteRoot: Self.root, output: output)).build()
        #expect(report.diagnostics.isEmpty, "\(report.diagnostics.map(\.description).joined(separator: "\n"))")
        let section = try String(contentsOfFile: output + "/chapter-2/russia-central-asia-caucasus/index.html", encoding: .utf8)
        #expect(section.contains("<li><a href=\"/\">Home</a></li>\n<li><a href=\"/chapter-2/\">Chapter 2: Japan’s Foreign Policy by Region</a></li>\n<li><span aria-current=\"page\">5. Russia, Central Asia, and the Caucasus</span></li>"))
        #expect(section.contains("<sup class=\"footnote-ref\" id=\"fnref-11\"><a href=\"#fn-11\""))
        #expect(section.contains("<li id=\"fn-11\" value=\"11\">"))
        #expect(section.contains("href=\"#fnref-11\""))
        #expect(section.contains("<nav class=\"toc\" id=\"toc\""))
        #expect(section.contains("rel=\"prev\" href=\"/chapter-2/europe/\""))
        #expect(section.contains("rel=\"next\" href=\"/chapter-2/middle-east-north-africa/\""))
        for id in ["countries/russia", "countries/kazakhstan", "countries/kyrgyzstan", "countries/tajikistan", "countries/turkmenistan",
                   "countries/uzbekistan", "countries/armenia", "countries/azerbaijan", "countries/georgia",
                   "officials/nikolai-patrushev", "officials/koichiro-gemba", "officials/igor-shuvalov",
                   "agreements/mofa-russia-security-council-memorandum"] {
            #expect(section.contains("href=\"/\(id)/\""), "section 5 links \(id)")
        }
        let patrushev = try String(contentsOfFile: output + "/officials/nikolai-patrushev/index.html", encoding: .utf8)
        for text in ["Secretary of the Security Council", "href=\"/countries/russia/\"", "href=\"/chapter-2/russia-central-asia-caucasus/\"",
                     "href=\"/agreements/mofa-russia-security-council-memorandum/\""] {
            #expect(patrushev.contains(text), "Patrushev's page shows \(text)")
        }
        let russia = try String(contentsOfFile: output + "/countries/russia/index.html", encoding: .utf8)
        for text in ["href=\"/chapter-2/russia-central-asia-caucasus/\"", "href=\"/officials/vladimir-putin/\"",
                     "href=\"/agreements/japan-russia-visa-simplification-agreement/\""] {
            #expect(russia.contains(text), "Russia's page shows \(text)")
        }
    }

    @Test("every section lists the countries it names and its sources; every entity is listed or related by a section")
    func completeness() async throws {
        let prepared = try await Self.prepared()
        let graph = prepared.graph
        #expect(graph.sections.count == 7)
        #expect(graph.sections.map(\.title) == ["Asia and Oceania", "North America", "Latin America and the Caribbean", "Europe",
                                                "Russia, Central Asia, and the Caucasus", "The Middle East and North Africa", "Sub-Saharan Africa"])
        // How many entities a section lists is the source's to say; each lists the countries it names and cites its sources.
        for section in graph.sections {
            #expect(!(section.references[.country] ?? []).isEmpty, "\(section.path)")
            #expect(!section.sources.isEmpty, "\(section.path) cites its sources")
        }
        var entities = 0
        for kind in EntityKind.allCases {
            for id in graph.ids(kind) {
                entities += 1
                let ref = EntityRef(kind, id)
                #expect(!(graph.sectionsMentioning[ref] ?? []).isEmpty || !(graph.sectionsRelated[ref] ?? []).isEmpty,
                        "\(kind.plural)/\(id) is listed by a section")
            }
        }
        #expect(graph.countries.count >= 30 && graph.officials.count >= 25 && graph.agreements.count >= 10)
        #expect(entities == graph.countries.count + graph.officials.count + graph.agreements.count + graph.organizations.count)
    }

    @Test("official tenures are ordered and do not overlap; signatories held office on the signing date")
    func tenuresAndSignatories() async throws {
        let graph = try await Self.prepared().graph
        for (id, official) in graph.officials {
            let path = "content/officials/\(id).md"
            let original = try DocumentParser.parse(SourceFile(role: .entity(.official), path: path, relativePath: path,
                                                               bytes: Array(try Data(contentsOf: URL(fileURLWithPath: Self.root + "/" + path)))))
            guard case .official(let written)? = original.record else { Issue.record("cannot parse \(path)"); continue }
            let order = written.positions.map(\.title)
            #expect(order == written.positions.sorted(by: ReferenceResolver.chronological).map(\.title), "\(id): tenures in order")
            let tenures = official.positions.compactMap(\.certainTenure)
            for (index, later) in tenures.enumerated() {
                for earlier in tenures[..<index] {
                    #expect(max(earlier.lowerBound, later.lowerBound) >= min(earlier.upperBound, later.upperBound), "\(id): tenures overlap")
                }
            }
        }
        for (id, agreement) in graph.agreements {
            for signatory in agreement.signatories {
                let official = try #require(graph.officials[signatory.value])
                if let signed = agreement.signed {
                    #expect(official.title(on: signed.value) != nil, "\(id): \(signatory.value) attested or in office on \(signed.value)")
                }
            }
        }
    }

    @Test("section 5 keeps the seed text word for word")
    func seedText() throws {
        let seedPath = TestSite.fixturesFolder + "/seed/diplomatic-bluebook-2013-ch2-5-russia-central-asia-caucasus.txt"
        guard FileManager.default.fileExists(atPath: seedPath) else {
            Issue.record("the seed text is missing at \(seedPath)")
            return
        }
        var seedLines = try String(contentsOfFile: seedPath, encoding: .utf8).split(separator: "\n").map(String.init)
        seedLines.removeFirst(2)  // the breadcrumb and the title, which are front matter and template
        let seed = seedLines.joined(separator: " ").replacingOccurrences(of: "(*11)", with: " ")
        let source = try String(contentsOfFile: Self.root + "/content/chapter-2/05-russia-central-asia-caucasus.md", encoding: .utf8)
        let body = source.components(separatedBy: "\n---\n").dropFirst().joined(separator: "\n---\n")
            .replacingOccurrences(of: "[^11]:", with: "11").replacingOccurrences(of: "[^11]", with: " ")
        func words(_ text: String) -> [String] {
            text.replacingOccurrences(of: "*", with: "").replacingOccurrences(of: "_", with: "")
                .split(whereSeparator: { $0.isWhitespace }).map(String.init)
        }
        #expect(words(body) == words(seed))
    }
}
