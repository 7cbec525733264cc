import ArgumentParser
import Chancery

/// The `--site` option shared by the commands that read a site.
struct SiteOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The site folder, holding site.yaml and content/.", valueName: "dir"))
    var site: String = "."

    /// The site folder as given, for paths in messages: nothing for the current folder.
    var displayPrefix: String {
        site == "." || site == "./" ? "" : (site.hasSuffix("/") ? site : site + "/")
    }
}
