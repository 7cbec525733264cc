import ArgumentParser
import Chancery

struct CleanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clean",
        abstract: "Remove the build cache (.chancery-cache/ in the site folder).",
        discussion: """
        Deletes the files the build cache wrote, then the folder if nothing else is in it. The \
        output folder is left alone; the next build builds everything.

        Example:
          chancery clean --site my-report
        """
    )

    @OptionGroup var site: SiteOptions

    func run() throws {
        let removed = SiteBuilder.removeCache(siteRoot: site.site)
        let place = site.displayPrefix.isEmpty ? "this folder" : site.displayPrefix
        print(removed.isEmpty ? "No build cache in \(place)." : "Removed \(removed.map { site.displayPrefix + $0 }.joined(separator: ", ")).")
    }
}
