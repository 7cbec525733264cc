import Foundation
import Testing
@testable import ChanceryFuzz
import Chancery

// Inputs the fuzzers once broke Chancery with, replayed through the same harness (`make fuzz`).
//
// `Fixtures/fuzz/<target>/` holds one file per finding, named after what it was; each broke a
// promise of `FuzzHarness` before its fix: a diagnostic pointing at a line the file does not have,
// a `data:` image URL the browser would not see as an image, and so on. A new crash artifact
// from `.build-fuzz/artifacts/<target>/` goes here once it is fixed (the ordinary build's
// `fuzz-<target> FILE` replays it while debugging).
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static var folder: String { TestSite.fixturesFolder + "/fuzz" }

    @Test("saved fuzz inputs keep every promise", arguments: FuzzHarness.Target.allCases)
    func replay(_ target: FuzzHarness.Target) throws {
        let inputs = try FileManager.default.contentsOfDirectory(atPath: FuzzRegressionTests.folder + "/" + target.rawValue)
            .filter { !$0.hasPrefix(".") }.sorted()
        #expect(!inputs.isEmpty, "no saved inputs for \(target.rawValue)")
        for name in inputs {
            let data = try Data(contentsOf: URL(fileURLWithPath: FuzzRegressionTests.folder + "/" + target.rawValue + "/" + name))
            let problems = target.run([UInt8](data))
            #expect(problems.isEmpty, "\(target.rawValue)/\(name): \(problems)")
        }
    }

    /// The harness must notice what it is there to notice, or a quiet fuzz run proves nothing.
    @Test("the harness reports broken promises, and passes the minimal site")
    func harnessCatches() {
        let outside = Diagnostic.error(SourceLocation(path: "site.yaml", line: 3, column: 1), "x")
        #expect(!FuzzHarness.locationProblems([outside], path: "site.yaml", lines: 2).isEmpty)
        let elsewhere = Diagnostic.error(SourceLocation(path: "other.md", line: 1, column: 1), "x")
        #expect(!FuzzHarness.locationProblems([elsewhere], path: "site.yaml", lines: 2).isEmpty)
        #expect(FuzzHarness.lineCount(Array("a\r\nb\rc\nd".utf8)) == 4)
        let paths = ["site.yaml", "content/_index.md", "content/chapter-1/_index.md", "content/chapter-1/01-russia.md",
                     "content/countries/russia.md", "content/officials/nikolai-patrushev.md", "content/agreements/security-memorandum.md"]
        #expect(FuzzHarness.sitePaths.prefix(paths.count).map(\.1) == paths)
        let minimal = paths.map { MinimalSite.files[$0]! }.joined(separator: "\0")
        #expect(FuzzHarness.site(Array(minimal.utf8)).isEmpty)
        #expect(FuzzHarness.frontMatter([4] + Array(MinimalSite.files["content/countries/russia.md"]!.utf8)).isEmpty)
        #expect(FuzzHarness.markdown([0b1010] + Array("Russia and the EU met.[^1]\n\n[^1]: A note.\n".utf8)).isEmpty)
    }
}
