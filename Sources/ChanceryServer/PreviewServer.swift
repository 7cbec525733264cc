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
        /// Whether an earlier build succeeded, so a failed one leaves a good site being served.
        public var servesEarlierBuild: Bool
    }

    /// Why the server cannot start.
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
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

    /// The preview's address once the server listens on `port`.
    public func url(port: Int) -> String {
        let host = options.host.contains(":") ? "[\(options.host)]" : options.host
        return "http://\(host):\(port)/"
    }

    /// Whether `host` is a loopback address, reachable only from this machine.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    /// Binds, then builds once and serves until SIGINT or SIGTERM.
    ///
    /// The port is bound before the first build, so a busy port fails at once and the build knows
    /// the real port (`--port 0` picks a free one). `onListening` receives the address,
    /// `onBuild` every build. A signal stops the server even in the middle of a build.
    public func run(onBuild: @escaping @Sendable (BuildEvent) -> Void, onListening: @escaping @Sendable (String) -> Void = { _ in }) async throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: options.siteRoot, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw StartError(description: "no site folder at '\(options.siteRoot)'")
        }
        guard FileManager.default.fileExists(atPath: options.siteRoot + "/site.yaml") else {
            throw StartError(description: "'\(options.siteRoot)' is not a Chancery site: it has no site.yaml (create one with 'chancery new site DIR')")
        }
        let watcher = try FileWatcher(root: options.siteRoot)
        let (ports, bound) = AsyncStream<Int>.makeStream()
        let app = Application(
            responder: StaticSiteResponder(root: output, broadcaster: broadcaster),
            // A connection that stops sending in the middle of a request (slowloris) is closed after 15 s;
            // an open event stream is a request in progress and is not.
            server: .http1(configuration: .init(idleTimeout: .seconds(15))),
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "chancery"),
            onServerRunning: { channel in
                bound.yield(channel.localAddress?.port ?? options.port)
                bound.finish()
            },
            logger: logger
        )
        let rebuilds = RebuildService(watcher: watcher, ports: ports) { port in
            let url = self.url(port: port)
            onListening(url)
            return IncrementalBuilder(options: BuildOptions(siteRoot: self.options.siteRoot, displayPrefix: self.options.displayPrefix,
                                                            output: self.output, baseURL: url, includeDrafts: self.options.includeDrafts))
        } rebuild: { builder, trigger, servesEarlier in
            await self.rebuild(builder, trigger: trigger, servesEarlierBuild: servesEarlier, onBuild: onBuild)
        }
        let group = ServiceGroup(configuration: .init(services: [app, rebuilds], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        defer {
            watcher.stop()
            broadcaster.finish()
            PreviewServer.removeInBackground(output)
        }
        try await group.run()
    }

    /// Removes the preview's folder in the background: for a caller that ends the process itself.
    public func removeOutputInBackground() {
        PreviewServer.removeInBackground(output)
    }

    /// Moves the preview's folder aside and deletes it in a process of its own, so stopping does not wait
    /// for thousands of files to be unlinked; the lock file its builds kept beside it goes too.
    static func removeInBackground(_ folder: String) {
        OutputWriter.removeLock(beside: folder)
        let doomed = folder + ".removing"
        guard rename(folder, doomed) == 0 else {
            try? FileManager.default.removeItem(atPath: folder)
            return
        }
        let remover = Process()
        remover.executableURL = URL(fileURLWithPath: "/bin/rm")
        remover.arguments = ["-rf", "--", doomed]
        if (try? remover.run()) == nil { try? FileManager.default.removeItem(atPath: doomed) }
    }

    /// Returns whether the build succeeded.
    func rebuild(_ builder: IncrementalBuilder, trigger: [String], servesEarlierBuild: Bool, onBuild: @Sendable (BuildEvent) -> Void) async -> Bool {
        let clock = ContinuousClock()
        let start = clock.now
        // Pages an edit rewrites are announced as soon as they are in place; the rest of the build follows.
        var announced: Set<String> = []
        let showing = Set(broadcaster.shownPages.compactMap(PreviewServer.file(forURL:)))
        let result = await builder.build(changed: trigger.isEmpty ? nil : trigger, showing: showing) { pages in
            let fresh = pages.filter { announced.insert($0).inserted }
            broadcaster.send(.init(name: "status", data: "{\"ok\":true}"))
            if !fresh.isEmpty { broadcaster.send(.init(name: "reload", data: PreviewServer.json(fresh.map(PreviewServer.url(forFile:))))) }
        }
        let event = BuildEvent(result: result, duration: clock.now - start, trigger: trigger, servesEarlierBuild: servesEarlierBuild)
        // The browser hears first; printing the build's warnings to the terminal comes after, then the memory is returned.
        defer { AllocatorPurge.returnFreedMemory() }
        defer { onBuild(event) }
        guard result.succeeded else {
            let errors = result.diagnostics.filter { $0.severity == .error }.map(\.description)
            broadcaster.send(.init(name: "status", data: PreviewServer.json(["ok": false, "diagnostics": errors])))
            return false
        }
        broadcaster.send(.init(name: "status", data: "{\"ok\":true}"))
        if let style = result.newStyleURL {
            broadcaster.send(.init(name: "css", data: PreviewServer.json(style)))
        }
        let pages = result.contentChanged.filter { !announced.contains($0) }.map(PreviewServer.url(forFile:))
        let structural = trigger.contains("site.yaml")
        if structural || !pages.isEmpty {
            broadcaster.send(.init(name: "reload", data: PreviewServer.json(structural ? ["*"] : pages)))
        }
        return true
    }

    /// The URL path of an output file: `x/y/index.html` → `/x/y/`.
    static func url(forFile file: String) -> String {
        if file == "index.html" { return "/" }
        if file.hasSuffix("/index.html") { return "/" + file.dropLast("index.html".count) }
        return "/" + file
    }

    /// The output file of a URL path: `/x/y/` → `x/y/index.html`; nil for a path that names no file of the site.
    static func file(forURL path: String) -> String? {
        guard path.hasPrefix("/"), !path.contains(".."), !path.contains("//") else { return nil }
        let relative = String(path.dropFirst())
        return relative.isEmpty || relative.hasSuffix("/") ? relative + "index.html" : relative
    }

    static func json(_ value: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes]) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Waits for the server to listen, builds once, then rebuilds for every burst of file changes, one at a time, until shutdown.
///
/// Each build runs in a task of its own that a graceful shutdown abandons rather than awaits, so a
/// signal stops the server within moments even in the middle of a long build.
struct RebuildService: Service {
    let watcher: FileWatcher
    let ports: AsyncStream<Int>
    let makeBuilder: @Sendable (Int) -> IncrementalBuilder
    let rebuild: @Sendable (IncrementalBuilder, [String], Bool) async -> Bool

    init(watcher: FileWatcher, ports: AsyncStream<Int>, makeBuilder: @escaping @Sendable (Int) -> IncrementalBuilder,
         rebuild: @escaping @Sendable (IncrementalBuilder, [String], Bool) async -> Bool) {
        self.watcher = watcher
        self.ports = ports
        self.makeBuilder = makeBuilder
        self.rebuild = rebuild
    }

    func run() async throws {
        defer { watcher.stop() }
        var bound: Int?
        for await port in ports.cancelOnGracefulShutdown() { bound = port }
        guard let port = bound else { return }
        let builder = makeBuilder(port)
        guard var good = await untilShutdown(priority: nil, { await rebuild(builder, [], false) }) else { return }
        for await batch in watcher.changes().cancelOnGracefulShutdown() {
            // Rebuilds run below the server's own tasks, so the pages they announce early, and their reload events, go out while they run.
            guard let succeeded = await untilShutdown(priority: .utility, { [good] in await rebuild(builder, batch, good) }) else { return }
            good = good || succeeded
        }
    }

    /// The result of `work`, or nil when a graceful shutdown comes first (the work is then left to the process's end).
    private func untilShutdown<T: Sendable>(priority: TaskPriority?, _ work: @escaping @Sendable () async -> T) async -> T? {
        let (finished, done) = AsyncStream<T>.makeStream()
        let task = Task(priority: priority) {
            done.yield(await work())
            done.finish()
        }
        for await value in finished.cancelOnGracefulShutdown() { return value }
        task.cancel()
        return nil
    }
}
