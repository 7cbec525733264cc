import ArgumentParser
import Chancery
import Foundation

struct BuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build the site into a folder of static files (public/ by default).",
        discussion: """
        Reads site.yaml and content/, checks every reference between sections, countries, \
        officials and agreements, renders the pages through the templates, and writes them into a \
        staging folder that replaces the output folder only when everything succeeded. On any \
        error it prints each problem as path:line:col, exits with status 1 and leaves the previous \
        output untouched.

        Examples:
          chancery build
          chancery build --site my-report --output /tmp/site --base-url https://example.org/bluebook/
        """
    )

    @OptionGroup var site: SiteOptions

    @Option(name: .long, help: ArgumentHelp("Where to write the site (default: public/ in the site folder).", valueName: "dir"))
    var output: String?

    @Option(name: .customLong("base-url"), help: ArgumentHelp("The URL the site will be served from, overriding site.yaml; use a sub-path such as https://example.org/bluebook/ to host under it.", valueName: "url"))
    var baseURL: String?

    @Flag(name: .long, help: "Include sections marked 'draft: true'.")
    var drafts = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    func run() async throws {
        let options = BuildOptions(siteRoot: site.site, displayPrefix: site.displayPrefix, output: output,
                                   baseURL: baseURL, includeDrafts: drafts)
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let report = try await SiteBuilder(options: options).build()
            if !quiet {
                DiagnosticPrinter.print(report.diagnostics)
                let seconds = Double((clock.now - start).components.attoseconds) / 1e18 + Double((clock.now - start).components.seconds)
                let warnings = report.diagnostics.warnings.count
                print("Built \(report.pages) pages (\(report.files) files, \(String(format: "%.1f", Double(report.bytes) / 1_000_000)) MB) in \(String(format: "%.2f", seconds)) s into \(output ?? site.displayPrefix + "public")/" + (warnings > 0 ? " with \(warnings) warning\(warnings == 1 ? "" : "s")" : ""))
            }
        } catch {
            DiagnosticPrinter.print(error.diagnostics)
            let count = error.diagnostics.errors.count
            DiagnosticPrinter.printError("Build failed: \(count) error\(count == 1 ? "" : "s") (\(error.stage) stage); the output folder was not changed.")
            throw ExitCode(1)
        }
    }
}
