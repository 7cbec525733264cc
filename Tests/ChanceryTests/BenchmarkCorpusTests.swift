import Foundation
import Testing
@testable import Chancery

/// The benchmark corpus (`bench/gen_corpus.py --format chancery`) must build without errors.
///
/// A small corpus keeps the test quick; `make bench` builds the 1,000 and 10,000-section ones.
@Suite("Benchmark corpus")
struct BenchmarkCorpusTests {
    @Test("builds a generated 300-section corpus with zero errors")
    func generatedCorpus() async throws {
        let generator = TestSite.packageRoot + "/bench/gen_corpus.py"
        guard FileManager.default.fileExists(atPath: generator) else {
            Issue.record("the corpus generator is missing at \(generator)")
            return
        }
        let root = NSTemporaryDirectory() + "chancery-corpus-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", generator, "--sections", "300", "--out", root, "--format", "chancery"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)

        let report = try await SiteBuilder(options: BuildOptions(siteRoot: root)).build()
        #expect(!report.diagnostics.hasErrors)
        // 300 sections, 12 chapters, the home, search and 404 pages, 3 index pages, and one page per entity.
        let graph = try await SiteBuilder(options: BuildOptions(siteRoot: root)).prepare().graph
        let entities = graph.countries.count + graph.officials.count + graph.agreements.count
        #expect(graph.sections.count == 300)
        #expect(report.pages == 300 + 12 + 3 + 3 + entities)
    }
}
