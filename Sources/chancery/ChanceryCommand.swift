import ArgumentParser

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
        subcommands: [BuildCommand.self, ServeCommand.self, NewCommand.self]
    )
}
