import ArgumentParser
import Chancery

struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create something new.",
        subcommands: [NewSiteCommand.self]
    )
}

struct NewSiteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site",
        abstract: "Create a working starter site in a new folder.",
        discussion: """
        Writes site.yaml, a home page, one chapter with one section, and one country, official \
        and agreement record, so 'chancery build --site DIR' works straight away.

        Example:
          chancery new site my-report && chancery build --site my-report
        """
    )

    @Argument(help: ArgumentHelp("The folder to create (must not exist, or be empty).", valueName: "dir"))
    var directory: String

    @Option(name: .long, help: "The report's title.")
    var title = "My Report"

    @Flag(name: .long, help: "Also copy the built-in templates into DIR/templates to edit them.")
    var templates = false

    func run() throws {
        do {
            try SiteScaffold.create(at: directory, title: title)
            if templates { try SiteScaffold.copyDefaultTheme(to: directory) }
        } catch {
            DiagnosticPrinter.printError("error: \(error)")
            throw ExitCode(1)
        }
        print("Created \(directory)/. Build it with: chancery build --site \(directory)")
    }
}
