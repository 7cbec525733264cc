import Foundation
import Testing
@testable import Chancery

/// A long random sequence of edits of every kind, each followed by an incremental rebuild (as `serve` makes
/// them) and a build with the cache (as `build` makes them), both of which must equal a cold build byte
/// for byte (or fail as a cold build fails, leaving their output as it was).
///
/// The seed is fixed so `make test` is repeatable; `CHANCERY_EDIT_SEED=<n> swift test --filter RandomEditTests`
/// runs another sequence, and `CHANCERY_EDITS=<n>` a longer one.
@Suite("Random edit sequences")
struct RandomEditTests {
    /// SplitMix64: a small generator whose sequence depends on the seed alone.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// The state of the edited site the sequence keeps track of.
    struct Script {
        var site: TestSite
        var random: Generator
        var step = 0
        /// Sections the sequence added (relative paths), which it may rename or delete.
        var added: [String] = []
        var nextNumber = 3
        /// A file the sequence deleted or broke, to be put back by the next step.
        var restore: (path: String, text: String, name: String)?

        mutating func body(_ path: String) throws -> [String] {
            try site.write(try site.read(path) + "\nA sentence added by edit \(step).\n", to: path)
            return [path]
        }

        /// One edit; returns the changed paths and whether only the text of sections changed.
        mutating func apply() throws -> (paths: [String], name: String, textOnly: Bool) {
            step += 1
            if let restore {
                try site.write(restore.text, to: restore.path)
                self.restore = nil
                return ([restore.path], restore.name, false)
            }
            let sections = ["content/chapter-1/01-russia.md", "content/chapter-1/02-europe.md"] + added
            switch Int.random(in: 0..<20, using: &random) {
            case 0..<8:
                let path = sections.randomElement(using: &random)!
                return (try body(path), "text of \(path)", true)
            case 8:
                // One change to a section's front matter, made or undone: lists that gain or lose an entity (sometimes one
                // it also lists elsewhere, or twice), a new summary, no sources, or an unknown id (put right by the next step).
                let path = "content/chapter-1/02-europe.md"
                let text = try site.read(path)
                let toggles = [
                    ("countries: [russia]\n", "countries: [russia, kazakhstan]\n", "a section's countries"),
                    ("officials: [vladimir-putin]\n", "officials: [vladimir-putin, nikolai-patrushev]\n", "a section's officials"),
                    ("organizations: [european-union]\n", "organizations: [european-union]\nagreements: [security-memorandum]\n", "a section's agreements"),
                    ("related: [nikolai-patrushev]\n", "related: [kazakhstan]\n", "a section's related entities"),
                    ("date: 2013-04-05\n", "date: 2013-04-05\nsummary: Talks with the EU.\n", "a section's summary"),
                    ("organizations: [european-union]\n", "organizations: [european-union, european-union]\n", "an entity listed twice"),
                    ("sources:\n  - title: \"Diplomatic Bluebook 2013 <Summary> & notes\"\n    url: https://www.mofa.go.jp/policy/other/bluebook/2013/html/index.html?a=1&b=2\n    note: A fixture source.\n",
                     "sources: []\n", "a section without sources"),
                ]
                let (plain, changed, name) = toggles.randomElement(using: &random)!
                if Int.random(in: 0..<8, using: &random) == 0, text.contains("countries: [russia]\n") {
                    restore = (path, text, "an unknown id put right")
                    try site.write(text.replacingOccurrences(of: "countries: [russia]\n", with: "countries: [russia, kazakstan]\n"), to: path)
                    return ([path], "an unknown id", false)
                }
                let edited = text.contains(plain) ? text.replacingOccurrences(of: plain, with: changed) : text.replacingOccurrences(of: changed, with: plain)
                try site.write(edited, to: path)
                // Two changes to one line undo neither (listed twice, then gaining an agreement): the file is saved as it was.
                return edited == text ? ([path], "a section saved unchanged", true) : ([path], name, false)
            case 9:
                let path = sections.randomElement(using: &random)!
                let text = try site.read(path)
                guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("title: ") }) else { return ([], "nothing", false) }
                try site.write(text.replacingOccurrences(of: String(line), with: "title: Title \(step)"), to: path)
                return ([path], "a section's title", false)
            case 10:
                let path = "content/chapter-1/\(String(format: "%02d", nextNumber))-extra-\(step).md"
                try site.write("---\ntitle: Extra \(step)\nnumber: \(nextNumber)\ncountries: [russia]\nsources:\n  - title: Test\n    url: https://example.net/\n---\nRussia, again.\n", to: path)
                nextNumber += 1
                added.append(path)
                return ([path], "a new section", false)
            case 11:
                guard let old = added.randomElement(using: &random) else { return try apply() }
                let new = old.replacingOccurrences(of: ".md", with: "-renamed.md")
                try FileManager.default.moveItem(atPath: site.root + "/" + old, toPath: site.root + "/" + new)
                added[added.firstIndex(of: old)!] = new
                return ([old, new], "a renamed section", false)
            case 12:
                guard let path = added.popLast() else { return try apply() }
                try FileManager.default.removeItem(atPath: site.root + "/" + path)
                return ([path], "a deleted section", false)
            case 13 where Bool.random(using: &random):
                // A change to an entity that keeps its names: an official's offices (one that leaves the signing date
                // outside every tenure, so the agreement gains a warning), a country's region, an agreement's kind and place.
                let toggles = [
                    ("content/officials/nikolai-patrushev.md", "    from: 2008-05-12\n", "    from: 2013-05-12\n", "an official's positions"),
                    ("content/officials/nikolai-patrushev.md", "title: Secretary of the Security Council", "title: Security Council Secretary", "an official's title"),
                    ("content/countries/kazakhstan.md", "region: Russia, Central Asia, and the Caucasus", "region: Central Asia", "a country's region"),
                    ("content/agreements/security-memorandum.md", "kind: memorandum\nsigned: 2012-10-23\nplace: Tokyo", "kind: joint statement\nsigned: 2012-10-23\nplace: Moscow", "an agreement's kind"),
                ]
                let (path, plain, changed, name) = toggles.randomElement(using: &random)!
                guard FileManager.default.fileExists(atPath: site.root + "/" + path) else { return try apply() }
                let text = try site.read(path)
                try site.write(text.contains(plain) ? text.replacingOccurrences(of: plain, with: changed) : text.replacingOccurrences(of: changed, with: plain), to: path)
                return ([path], name, false)
            case 13:
                let path = "content/organizations/body-\(step).md"
                try site.write("---\nname: Body \(step)\nsources:\n  - title: Test\n    url: https://example.net/\n---\n", to: path)
                return ([path], "a new entity", false)
            case 14:
                let path = "content/countries/kazakhstan.md"
                restore = (path, try site.read(path), "restore a deleted entity")
                try FileManager.default.removeItem(atPath: site.root + "/" + path)
                return ([path], "deleting an entity a section lists", false)
            case 15:
                try site.write("<footer>{{site.title}}, edit \(step)</footer>\n", to: "templates/partials/footer.mustache")
                return (["templates/partials/footer.mustache"], "a partial", false)
            case 16:
                let existed = FileManager.default.fileExists(atPath: site.root + "/static/notes.txt")
                try site.write("Notes, edit \(step).\n", to: "static/notes.txt")
                return (["static/notes.txt"], existed ? "a static file" : "a new static file", false)
            case 17:
                let text = try site.read("site.yaml")
                let line = text.split(separator: "\n").first { $0.hasPrefix("description: ") }!
                try site.write(text.replacingOccurrences(of: String(line), with: "description: Edition \(step)"), to: "site.yaml")
                return (["site.yaml"], "site.yaml", false)
            case 18:
                let path = "content/chapter-1/01-russia.md"
                let text = try site.read(path)
                try site.write(text.replacingOccurrences(of: "Relations with Kazakhstan", with: "Relations with [Kazakhstan](/chapter-1/nowhere/)"), to: path)
                return ([path], "a broken link", true)
            default:
                let path = "content/chapter-1/01-russia.md"
                let text = try site.read(path)
                try site.write(text.replacingOccurrences(of: "[Kazakhstan](/chapter-1/nowhere/)", with: "Kazakhstan"), to: path)
                return ([path], "a fixed link", true)
            }
        }
    }

    @Test("every incremental rebuild and every cached build equals a cold build, over a long random sequence of edits")
    func randomSequence() async throws {
        let environment = ProcessInfo.processInfo.environment
        let seed = environment["CHANCERY_EDIT_SEED"].flatMap(UInt64.init) ?? 2013
        let count = environment["CHANCERY_EDITS"].flatMap(Int.init) ?? 200
        let site = try TestSite(fixture: "valid/small-report")
        defer { site.remove() }
        let served = site.root + "/served", cold = site.root + "/cold", cachedOutput = site.root + "/cached"
        let builder = IncrementalBuilder(options: BuildOptions(siteRoot: site.root, output: served))
        try #require(await builder.build().succeeded)
        let cachedBuilder = SiteBuilder(options: BuildOptions(siteRoot: site.root, output: cachedOutput, cacheIdentity: "test"))
        #expect(try await cachedBuilder.build().cache == .cold(warning: nil))
        var script = Script(site: site, random: Generator(state: seed))
        var kinds: [String: Int] = [:]
        var lastSucceeded = true
        var cachedSucceeded = true
        var warm = 0
        for _ in 0..<count {
            let before = try site.snapshotOutput(served), cachedBefore = try site.snapshotOutput(cachedOutput)
            let (paths, name, textOnly) = try script.apply()
            // Past the file system clock's tick, so the cache can trust the edit's time (see InputManifest).
            usleep(5_000)
            kinds[name.hasPrefix("text of") ? "text" : name, default: 0] += 1
            let result = await builder.build(changed: paths)
            let cached: Result<BuildReport, BuildFailure>
            do {
                cached = .success(try await cachedBuilder.build())
            } catch {
                cached = .failure(error)
            }
            defer { cachedSucceeded = (try? cached.get()) != nil }
            let full: Result<BuildReport, BuildFailure>
            do {
                full = .success(try await SiteBuilder(options: BuildOptions(siteRoot: site.root, output: cold)).build())
            } catch {
                full = .failure(error)
            }
            defer { lastSucceeded = result.succeeded }
            switch full {
            case .failure(let failure):
                #expect(!result.succeeded, "step \(script.step) (\(name)): a cold build fails, the rebuild did not")
                #expect(result.diagnostics.map(\.description) == failure.diagnostics.map(\.description), "step \(script.step) (\(name))")
                #expect(try site.snapshotOutput(served) == before, "step \(script.step) (\(name)): a failed rebuild changed the served site")
                if case .success = cached { Issue.record("step \(script.step) (\(name)): a cold build fails, the cached build did not") }
                if case .failure(let cachedFailure) = cached {
                    #expect(cachedFailure.diagnostics.map(\.description) == failure.diagnostics.map(\.description), "step \(script.step) (\(name)): cached")
                }
                #expect(try site.snapshotOutput(cachedOutput) == cachedBefore, "step \(script.step) (\(name)): a failed cached build changed its output")
            case .success(let report):
                #expect(result.succeeded, "step \(script.step) (\(name)): \(result.diagnostics)")
                #expect(result.diagnostics.map(\.description) == report.diagnostics.map(\.description), "step \(script.step) (\(name)): diagnostics")
                // After a good build, an edit to a section's text renders that section's page and no other.
                if textOnly && lastSucceeded {
                    #expect(result.rendered.count == paths.count, "step \(script.step) (\(name)) rendered \(result.rendered)")
                }
                switch cached {
                case .failure(let failure):
                    Issue.record("step \(script.step) (\(name)): the cached build failed: \(failure.diagnostics)")
                case .success(let cachedReport):
                    #expect(cachedReport.diagnostics.map(\.description) == report.diagnostics.map(\.description), "step \(script.step) (\(name)): cached diagnostics")
                    #expect((cachedReport.pages, cachedReport.files, cachedReport.bytes) == (report.pages, report.files, report.bytes), "step \(script.step) (\(name))")
                    // An edit to the text of sections after a good build renders their pages and nothing else; any other edit builds everything.
                    if textOnly && cachedSucceeded {
                        guard case .warm(let rendered)? = cachedReport.cache else {
                            Issue.record("step \(script.step) (\(name)): not built from the cache: \(String(describing: cachedReport.cache))")
                            break
                        }
                        #expect(rendered.count == Set(paths).count, "step \(script.step) (\(name)) rendered \(rendered)")
                        warm += 1
                    } else if name == "a static file" && cachedSucceeded {
                        // An edited file of static/ is copied; no page is rendered.
                        #expect(cachedReport.cache == .warm(rendered: []), "step \(script.step) (\(name))")
                    } else if !textOnly && cachedSucceeded && name != "an unknown id put right" {
                        // After a failed build the memo is older than the last edit, and an edit may give back what it holds
                        // (putting an id right does so always): such a build may be warm.
                        #expect(cachedReport.cache == .cold(warning: nil), "step \(script.step) (\(name))")
                    }
                    let output = try site.snapshotOutput(cachedOutput), expected = try site.snapshotOutput(cold)
                    #expect(output.keys.sorted() == expected.keys.sorted(), "step \(script.step) (\(name)): same files, cached")
                    for (path, bytes) in expected where output[path] != bytes {
                        Issue.record("step \(script.step) (\(name)): \(path) differs from a cold build, cached")
                    }
                }
                let incremental = try site.snapshotOutput(served), expected = try site.snapshotOutput(cold)
                #expect(incremental.keys.sorted() == expected.keys.sorted(), "step \(script.step) (\(name)): same files")
                for (path, bytes) in expected where incremental[path] != bytes {
                    Issue.record("step \(script.step) (\(name)): \(path) differs from a cold build")
                }
            }
        }
        // The sequence exercised every kind of edit, and the cache served many of them.
        #expect(kinds.count >= 12, "\(kinds)")
        #expect(warm >= count / 10, "\(warm) warm builds")
    }
}
