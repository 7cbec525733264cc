import ArgumentParser
import Chancery
import ChanceryServer
import Foundation
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Preview the site locally; pages rebuild and reload by themselves as you edit.",
        discussion: """
        Builds the site into a temporary folder (public/ is not touched), serves it, and watches \
        site.yaml, content/, templates/ and static/. Each save rebuilds only the pages it affects \
        and the browser reloads them; a stylesheet change applies without a reload. If a rebuild \
        fails, the last good site stays up and the errors appear in the browser and here. \
        Stop with Ctrl-C.

        Examples:
          chancery serve
          chancery serve --site my-report --port 8080 --open
        """
    )

    @OptionGroup var site: SiteOptions

    @Option(help: ArgumentHelp("The address to listen on; loopback unless you say otherwise.", valueName: "address"))
    var host = "127.0.0.1"

    @Option(help: ArgumentHelp("The port to listen on (0: any free port).", valueName: "port"))
    var port = 8000

    @Flag(help: "Open the site in the default browser once it is served.")
    var open = false

    @Flag(name: .long, help: "Include sections marked 'draft: true'.")
    var drafts = false

    @Option(name: .customLong("max-warnings"), help: ArgumentHelp("Print at most this many warnings per build (0: all).", valueName: "n"))
    var maxWarnings = 50

    func validate() throws {
        guard (0...65535).contains(port) else {
            throw ValidationError("--port must be between 0 and 65535 (0 picks a free port), not \(port)")
        }
    }

    func run() async throws {
        var logger = Logger(label: "chancery.serve")
        logger.logLevel = .warning
        let server = PreviewServer(options: .init(siteRoot: site.site, displayPrefix: site.displayPrefix, host: host, port: port,
                                                  includeDrafts: drafts), logger: logger)
        if !PreviewServer.isLoopback(host) {
            DiagnosticPrinter.printError("warning: listening on \(host), not on loopback: anyone who can reach this machine over the network can see the preview")
        }
        // A signal starts a graceful shutdown; if a build keeps every core busy so that it cannot finish
        // within half a second, the process ends anyway (the build's output is a temporary folder).
        // A queue of its own, which gets a thread even while the build keeps the shared ones busy.
        let deadline = DispatchQueue(label: "chancery.serve.deadline")
        var deadlines: [DispatchSourceSignal] = []
        for number: Int32 in [SIGTERM, SIGINT] {
            let source = DispatchSource.makeSignalSource(signal: number, queue: deadline)
            source.setEventHandler {
                deadline.asyncAfter(deadline: .now() + .milliseconds(500)) {
                    server.removeOutputInBackground()
                    DiagnosticPrinter.printOutput("Stopped.")
                    Foundation.exit(0)
                }
            }
            source.resume()
            deadlines.append(source)
        }
        defer { deadlines.forEach { $0.cancel() } }
        let maxWarnings = self.maxWarnings
        let open = self.open
        let shown = site.displayPrefix.isEmpty ? "the site" : site.displayPrefix
        do {
            try await server.run(onBuild: { event in
                ServeCommand.report(event, maxWarnings: maxWarnings)
            }, onListening: { url in
                DiagnosticPrinter.printOutput("Serving \(shown) at \(url) (Ctrl-C to stop)")
                if open { ServeCommand.openBrowser(url) }
            })
        } catch let error as PreviewServer.StartError {
            DiagnosticPrinter.printError("error: \(error.description)")
            throw ExitCode(1)
        } catch {
            let text = String(describing: error)
            if text.contains("Address already in use") || text.contains("EADDRINUSE") {
                DiagnosticPrinter.printError("error: port \(port) on \(host) is already in use (another 'chancery serve'?); choose another with --port")
            } else {
                DiagnosticPrinter.printError("error: the preview server stopped: \(text)")
            }
            throw ExitCode(1)
        }
        DiagnosticPrinter.printOutput("Stopped.")
    }

    static func report(_ event: PreviewServer.BuildEvent, maxWarnings: Int) {
        let milliseconds = Int(StageTimer.seconds(event.duration) * 1000)
        DiagnosticPrinter.print(event.result.diagnostics, limit: maxWarnings)
        let cause = event.trigger.isEmpty ? "Built" : "Rebuilt after \(event.trigger.prefix(3).joined(separator: ", "))\(event.trigger.count > 3 ? "…" : "")"
        if event.result.succeeded {
            DiagnosticPrinter.printOutput("\(cause) in \(milliseconds) ms: \(event.result.rendered.count) of \(event.result.pages) pages rendered, \(event.result.changed.count) files changed")
        } else if event.servesEarlierBuild {
            DiagnosticPrinter.printOutput("\(cause): failed in \(milliseconds) ms; still serving the last good site")
        } else {
            DiagnosticPrinter.printOutput("\(cause): failed in \(milliseconds) ms; nothing to serve until the errors above are fixed (the preview rebuilds on every save)")
        }
    }

    static func openBrowser(_ url: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["xdg-open", url]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try? process.run()
    }
}
