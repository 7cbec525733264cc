import Chancery
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// `chancery serve`: builds the site into a private folder, serves it, and rebuilds and reloads on every edit.
///
/// The site is built with the server's own address as base URL, into a temporary folder
/// (never into `public/`), by an `IncrementalBuilder`: an edit re-renders only the pages it
/// affects. A failed rebuild keeps the last good site and shows its errors in the browser.
/// SIGINT and SIGTERM stop it gracefully, open event streams included.
public struct PreviewServer: Sendable {
    public struct Options: Sendable {
        public var siteRoot: String
        public var displayPrefix: String
        public var host: String
        public var port: Int
        public var includeDrafts: Bool

        public init(siteRoot: String, displayPrefix: String = "", host: String = "127.0.0.1", port: Int = 8000, includeDrafts: Bool = false) {
            self.siteRoot = siteRoot
            self.displayPrefix = displayPrefix
            self.host = host
            self.port = port
            self.includeDrafts = includeDrafts
        }
    }

    /// What happened in one build, for the command line to print.
    public struct BuildEvent: Sendable {
        public var result: IncrementalBuilder.Result
        public var duration: Duration
        /// The source files whose change started it (empty for the first build).
        public var trigger: [String]
    }

    public let options: Options
    public let output: String
    let broadcaster = ReloadBroadcaster()
    let logger: Logger

    public init(options: Options, logger: Logger) {
        self.options = options
        self.logger = logger
        output = NSTemporaryDirectory() + "chancery-serve-\(getpid())-\(options.port)"
    }

    public var url: String {
        let host = options.host.contains(":") ? "[\(options.host)]" : options.host
        return "http://\(host):\(options.port)/"
    }

    /// Builds once, then serves until SIGINT or SIGTERM; `onBuild` reports every build, `onReady` the first moment requests are answered.
    public func run(onBuild: @escaping @Sendable (BuildEvent) -> Void, onReady: @escaping @Sendable () -> Void = {}) async throws {
        let builder = IncrementalBuilder(options: BuildOptions(siteRoot: options.siteRoot, displayPrefix: options.displayPrefix,
                                                               output: output, baseURL: url, includeDrafts: options.includeDrafts))
        defer { try? FileManager.default.removeItem(atPath: output) }
        await rebuild(builder, trigger: [], onBuild: onBuild)

        let watcher = try FileWatcher(root: options.siteRoot)
        let app = Application(
            responder: StaticSiteResponder(root: output, broadcaster: broadcaster),
            // A connection that stops sending in the middle of a request (slowloris) is closed after 15 s;
            // an open event stream is a request in progress and is not.
            server: .http1(configuration: .init(idleTimeout: .seconds(15))),
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "chancery"),
            onServerRunning: { _ in onReady() },
            logger: logger
        )
        let rebuilds = RebuildService(watcher: watcher) { trigger in
            await self.rebuild(builder, trigger: trigger, onBuild: onBuild)
        }
        let group = ServiceGroup(configuration: .init(services: [app, rebuilds], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        defer {
            watcher.stop()
            broadcaster.finish()
        }
        try await group.run()
    }

    func rebuild(_ builder: IncrementalBuilder, trigger: [String], onBuild: @Sendable (BuildEvent) -> Void) async {
        let clock = ContinuousClock()
        let start = clock.now
        let result = await builder.build()
        onBuild(BuildEvent(result: result, duration: clock.now - start, trigger: trigger))
        guard result.succeeded else {
            let errors = result.diagnostics.filter { $0.severity == .error }.map(\.description)
            broadcaster.send(.init(name: "status", data: PreviewServer.json(["ok": false, "diagnostics": errors])))
            return
        }
        broadcaster.send(.init(name: "status", data: "{\"ok\":true}"))
        if let style = result.newStyleURL {
            broadcaster.send(.init(name: "css", data: PreviewServer.json(style)))
        }
        let pages = result.contentChanged.map(PreviewServer.url(forFile:))
        let structural = trigger.contains("site.yaml")
        if structural || !pages.isEmpty {
            broadcaster.send(.init(name: "reload", data: PreviewServer.json(structural ? ["*"] : pages)))
        }
    }

    /// The URL path of an output file: `x/y/index.html` → `/x/y/`.
    static func url(forFile file: String) -> String {
        if file == "index.html" { return "/" }
        if file.hasSuffix("/index.html") { return "/" + file.dropLast("index.html".count) }
        return "/" + file
    }

    static func json(_ value: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes]) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Runs a rebuild for every burst of file changes, one at a time, until shutdown.
struct RebuildService: Service {
    let watcher: FileWatcher
    let rebuild: @Sendable ([String]) async -> Void

    func run() async throws {
        for await batch in watcher.changes().cancelOnGracefulShutdown() {
            await rebuild(batch)
        }
        watcher.stop()
    }
}
