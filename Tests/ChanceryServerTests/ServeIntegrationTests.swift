import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `chancery serve` as a user runs it: a real process, a real socket, real file edits.
@Suite("chancery serve", .serialized)
struct ServeIntegrationTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let binary = packageRoot + "/.build/debug/chancery"

    /// A running `chancery serve` on a copy of the small fixture site.
    final class Server {
        let site: String
        let port: Int
        let process = Process()
        let output = Pipe()
        let errors = Pipe()
        private var log = ""

        init(port: Int? = nil, arguments: [String] = [], site: String? = nil) throws {
            self.site = site ?? NSTemporaryDirectory() + "chancery-serve-it-" + UUID().uuidString
            if site == nil {
                try FileManager.default.copyItem(atPath: ServeIntegrationTests.packageRoot + "/Tests/ChanceryTests/Fixtures/valid/small-report", toPath: self.site)
            }
            self.port = port ?? RawHTTP.freePort()
            process.executableURL = URL(fileURLWithPath: ServeIntegrationTests.binary)
            process.arguments = ["serve", "--site", self.site, "--port", String(self.port)] + arguments
            process.standardOutput = output
            process.standardError = errors
            try process.run()
        }

        /// Waits for a line of standard output containing `text`.
        func waitForOutput(_ text: String, timeout: Duration = .seconds(60)) -> Bool {
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                if log.contains(text) { return true }
                let data = output.fileHandleForReading.availableData
                if data.isEmpty { if !process.isRunning { return log.contains(text) }; usleep(50_000); continue }
                log += String(decoding: data, as: UTF8.self)
            }
            return log.contains(text)
        }

        func edit(_ path: String, _ old: String, _ new: String) throws {
            let full = site + "/" + path
            let text = try String(contentsOfFile: full, encoding: .utf8)
            try Data(text.replacingOccurrences(of: old, with: new).utf8).write(to: URL(fileURLWithPath: full))
        }

        /// Standard output as read so far by `waitForOutput`.
        var printed: String { log }

        /// Standard error, once the process has ended.
        func errorText() -> String {
            process.waitUntilExit()
            return String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        }

        /// Sends SIGINT (or another signal) and waits for the process to end; nil if it did not within the timeout.
        func interrupt(_ signal: Int32 = SIGINT, timeout: Duration = .seconds(15)) -> Int32? {
            kill(process.processIdentifier, signal)
            let deadline = ContinuousClock.now + timeout
            while process.isRunning && ContinuousClock.now < deadline { usleep(50_000) }
            if process.isRunning {
                process.terminate()
                return nil
            }
            return process.terminationStatus
        }

        deinit {
            if process.isRunning { process.terminate() }
            try? FileManager.default.removeItem(atPath: site)
        }
    }

    @Test("serves the site, pushes a reload event after an edit, serves the new text, and stops cleanly on Ctrl-C")
    func editReloadStop() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build the CLI first (swift build)")
        let server = try Server()
        #expect(server.waitForOutput("Serving"))
        #expect(server.waitForOutput("Built in"), "the first build finishes after the port is bound")
        let home = try RawHTTP.fetch(port: server.port, path: "/")
        #expect(home.hasPrefix("HTTP/1.1 200"))
        #expect(home.contains("/__chancery/live.js"))

        let events = try RawHTTP(port: server.port)
        events.get("/__chancery/events", keepAlive: true)
        #expect(events.read(until: "event: status", timeout: .seconds(5)).contains("\"ok\":true"))

        try server.edit("content/chapter-1/01-russia.md", "Relations with Kazakhstan deepened.", "Relations with Kazakhstan deepened in 2012.")
        let received = events.read(until: "/chapter-1/russia/", timeout: .seconds(10))
        #expect(received.contains("event: reload"))
        #expect(received.contains("[\"/chapter-1/russia/\"]"))
        #expect(try RawHTTP.fetch(port: server.port, path: "/chapter-1/russia/").contains("deepened in 2012."))

        try server.edit("content/chapter-1/01-russia.md", "countries: [russia, kazakhstan]", "countries: [russia, kazakstan]")
        let failure = events.read(until: "kazakstan", timeout: .seconds(10))
        #expect(failure.contains("\"ok\":false"))
        #expect(failure.contains("content/chapter-1/01-russia.md:6:21: error: unknown country 'kazakstan'"))
        #expect(try RawHTTP.fetch(port: server.port, path: "/chapter-1/russia/").contains("deepened in 2012."))

        #expect(server.interrupt() == 0, "stops on SIGINT with an event stream open")
    }

    @Test("says clearly that the port is busy")
    func busyPort() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build the CLI first (swift build)")
        let first = try Server()
        #expect(first.waitForOutput("Serving"))
        let second = try Server(port: first.port)
        second.process.waitUntilExit()
        #expect(second.process.terminationStatus == 1)
        let message = String(decoding: second.errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(message.contains("port \(first.port) on 127.0.0.1 is already in use"))
        #expect(first.interrupt() == 0)
    }

    @Test("--port 0 listens on a free port and prints the port it bound; SIGTERM stops it")
    func portZero() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build the CLI first (swift build)")
        let server = try Server(port: 0)
        #expect(server.waitForOutput("Built"))
        let line = server.printed.split(separator: "\n").first { $0.hasPrefix("Serving") } ?? ""
        let port = line.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) } ?? 0
        #expect(port > 0, "prints the bound port: \(line)")
        #expect(!line.contains(":0/"))
        #expect(try RawHTTP.fetch(port: port, path: "/").hasPrefix("HTTP/1.1 200"))
        #expect(try RawHTTP.fetch(port: port, path: "/").contains("http://127.0.0.1:\(port)/"), "pages use the bound port")
        #expect(server.interrupt(SIGTERM, timeout: .seconds(5)) == 0)
    }

    @Test("refuses a port out of range", arguments: ["99999", "-1", "65536"])
    func portOutOfRange(_ port: String) throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build the CLI first (swift build)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["serve", "--port=\(port)", "--site", Self.packageRoot + "/Tests/ChanceryTests/Fixtures/valid/small-report"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains("--port must be between 0 and 65535"))
    }

    @Test("exits with an error for a site folder that does not exist, and warns about a non-loopback address")
    func missingSite() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build the CLI first (swift build)")
        let missing = NSTemporaryDirectory() + "chancery-no-such-site-" + UUID().uuidString
        let server = try Server(arguments: ["--host", "0.0.0.0"], site: missing)
        let message = server.errorText()
        #expect(server.process.terminationStatus == 1)
        #expect(message.contains("error: no site folder at '\(missing)'"))
        #expect(message.contains("warning: listening on 0.0.0.0, not on loopback"))
        #expect(!server.waitForOutput("still serving", timeout: .seconds(5)), "the process has ended: this reads its output to the end")
    }
}
