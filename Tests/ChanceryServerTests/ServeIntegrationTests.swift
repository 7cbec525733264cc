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

        init(port: Int? = nil) throws {
            site = NSTemporaryDirectory() + "chancery-serve-it-" + UUID().uuidString
            try FileManager.default.copyItem(atPath: ServeIntegrationTests.packageRoot + "/Tests/ChanceryTests/Fixtures/valid/small-report", toPath: site)
            self.port = port ?? RawHTTP.freePort()
            process.executableURL = URL(fileURLWithPath: ServeIntegrationTests.binary)
            process.arguments = ["serve", "--site", site, "--port", String(self.port)]
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

        /// Sends SIGINT and waits for the process to end; nil if it did not within the timeout.
        func interrupt(timeout: Duration = .seconds(15)) -> Int32? {
            kill(process.processIdentifier, SIGINT)
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
}
