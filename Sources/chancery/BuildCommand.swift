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

        The output folder is replaced only when it is missing, empty, or an earlier build's \
        output (it holds .chancery-output); anything else is refused unless you pass --force.

        The build keeps a cache in .chancery-cache/ in the site folder. When only the text of \
        sections (or files of static/ other than HTML) changed since the last build, the next one \
        renders just their pages (copies just those files) into the output; anything else is \
        built in full. --no-cache builds everything without the cache; 'chancery clean' removes it.
        """
    )

    @OptionGroup var site: SiteOptions

    @Option(name: .long, help: ArgumentHelp("Where to write the site (default: public/ in the site folder).", valueName: "dir"))
    var output: String?

    @Option(name: .customLong("base-url"), help: ArgumentHelp("The URL the site will be served from, overriding site.yaml; use a sub-path such as https://example.org/bluebook/ to host under it.", valueName: "url"))
    var baseURL: String?

    @Flag(name: .long, help: "Include sections marked 'draft: true'.")
    var drafts = false

    @Flag(name: .long, help: "Replace the output folder even if it holds files Chancery did not write (they are deleted).")
    var force = false

    @Flag(name: .customLong("no-cache"), help: "Build everything, without reading or writing the cache in .chancery-cache/.")
    var noCache = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    @Option(name: .customLong("max-warnings"), help: ArgumentHelp("Print at most this many warnings (0: all); errors are always printed.", valueName: "n"))
    var maxWarnings = 200

    @Flag(name: .long, help: "Print how long each stage took.")
    var timings = false

    func run() async throws {
        let options = BuildOptions(siteRoot: site.site, displayPrefix: site.displayPrefix, output: output,
                                   baseURL: baseURL, includeDrafts: drafts, replaceForeignOutput: force,
                                   cacheIdentity: noCache ? nil : ExecutableIdentity.current)
        let timer = StageTimer(showsProgress: !quiet && isatty(STDERR_FILENO) != 0)
        do {
            let report = try await SiteBuilder(options: options).build(progress: timer.record)
            timer.finish()
            guard !quiet else { return }
            if case .cold(let warning?)? = report.cache { DiagnosticPrinter.print([warning], limit: 0) }
            DiagnosticPrinter.print(report.diagnostics, limit: maxWarnings)
            let warnings = report.diagnostics.warnings.count
            var how = ""
            if case .warm(let rendered)? = report.cache { how = " (from the cache: \(rendered.count) page\(rendered.count == 1 ? "" : "s") rendered)" }
            print("Built \(report.pages) pages (\(report.files) files, \(String(format: "%.1f", Double(report.bytes) / 1_000_000)) MB) in \(String(format: "%.2f", timer.elapsed)) s into \(output ?? site.displayPrefix + "public")/\(how)"
                  + (warnings > 0 ? " with \(warnings) warning\(warnings == 1 ? "" : "s")" : ""))
            if timings || timer.elapsed > 1 { print(timer.summary) }
        } catch {
            timer.finish()
            DiagnosticPrinter.print(error.diagnostics, limit: maxWarnings)
            let count = error.diagnostics.errors.count
            DiagnosticPrinter.printError("Build failed: \(count) error\(count == 1 ? "" : "s") (\(error.stage.rawValue) stage); the output folder was not changed.")
            throw ExitCode(1)
        }
    }
}
