import ArgumentParser
import Chancery
import Foundation

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the site without writing it: references, templates, links, anchors, orphan pages.",
        discussion: """
        Runs the whole pipeline without touching public/, then checks the rendered pages: every \
        internal href and src reaches a page or file of the site, every #fragment exists on its \
        page, every page can be reached from the home page, no two pages claim one URL. External \
        links are listed and checked for syntax only (no network is used). The severity of each \
        link rule can be set in site.yaml under 'check:' (error, warning or off).

        Exit status: 0 when there are no errors (warnings allowed), 1 when there are, 2 for a usage error.

        Examples:
          chancery check
          chancery check --site my-report --format json > check.json
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @OptionGroup var site: SiteOptions

    @Option(help: ArgumentHelp("text (path:line:col lines) or json (stable, for CI).", valueName: "format"))
    var format: Format = .text

    @Option(name: .customLong("base-url"), help: ArgumentHelp("Check as if served from this URL, overriding site.yaml.", valueName: "url"))
    var baseURL: String?

    @Flag(name: .long, help: "Include sections marked 'draft: true'.")
    var drafts = false

    func run() async throws {
        let options = BuildOptions(siteRoot: site.site, displayPrefix: site.displayPrefix, baseURL: baseURL, includeDrafts: drafts)
        let report = await SiteBuilder(options: options).check()
        switch format {
        case .json:
            FileHandle.standardOutput.write(Data(report.json().bytes()))
        case .text:
            DiagnosticPrinter.print(report.diagnostics)
            if !report.externalLinks.isEmpty {
                DiagnosticPrinter.printOutput("External links (\(report.externalLinks.count), not fetched):")
                for link in report.externalLinks {
                    DiagnosticPrinter.printOutput("  \(link.url)  (\(link.pages.count) page\(link.pages.count == 1 ? "" : "s"))")
                }
            }
            let errors = report.diagnostics.errors.count, warnings = report.diagnostics.warnings.count
            DiagnosticPrinter.printOutput("Checked \(report.pages) pages: \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s").")
        }
        if report.diagnostics.hasErrors { throw ExitCode(1) }
    }
}
