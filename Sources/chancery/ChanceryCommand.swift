import ArgumentParser
import Foundation

@main
struct ChanceryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chancery",
        abstract: "A static site generator for diplomatic and foreign-policy reports.",
        discussion: """
        A site is a folder with site.yaml, content/ (chapters, sections, and records of \
        countries, officials, agreements and organizations) and optionally templates/ and static/. \
        'chancery build' turns it into a browsable website in public/.
        """,
        subcommands: [BuildCommand.self, ServeCommand.self, CheckCommand.self, CleanCommand.self, NewCommand.self]
    )

    /// Runs the command; a usage error exits with status 2 (ArgumentParser's default is 64), so every
    /// command documents one scheme: 0 success, 1 the site has errors, 2 the command line is wrong.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                DiagnosticPrinter.printError(fullMessage(for: error))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
