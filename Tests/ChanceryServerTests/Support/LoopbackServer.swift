import Foundation
import Hummingbird
import ServiceLifecycle
import ChanceryServer

/// A response as it came over the wire.
struct LoopbackResponse: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    /// The bytes after the header: for HEAD, whatever the server sent (it should send none).
    let body: ByteBuffer
}

/// HTTPTypes' field type (Hummingbird re-exports `HTTPFields` but not `HTTPField`).
typealias HeaderField = HTTPFields.Element

struct LoopbackError: Error, CustomStringConvertible {
    let description: String
}

/// Sends HTTP/1.1 requests to a server on 127.0.0.1, one connection per request (`Connection: close`).
///
/// The socket is blocking, so each exchange runs on a thread of its own, never on the concurrency pool the server's handlers may need.
struct LoopbackClient: Sendable {
    let port: Int

    func execute<Result>(uri: String, method: HTTPRequest.Method, _ check: (LoopbackResponse) async throws -> Result) async throws -> Result {
        let request = "\(method.rawValue) \(uri) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n"
        let port = self.port
        let bytes: [UInt8] = try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Swift.Result {
                    let connection = try RawHTTP(port: port)
                    connection.send(request)
                    return try connection.readToEnd(timeout: .seconds(10))
                })
            }.start()
        }
        return try await check(Self.parse(bytes, head: method == .head))
    }

    /// Splits a response into status, header fields and body (decoding a chunked body, checking a Content-Length).
    static func parse(_ bytes: [UInt8], head: Bool) throws -> LoopbackResponse {
        guard let end = bytes.firstRange(of: Array("\r\n\r\n".utf8)) else {
            throw LoopbackError(description: "no end of header in \(bytes.count) bytes: \(String(decoding: bytes, as: UTF8.self).prefix(200))")
        }
        var lines = String(decoding: bytes[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ", maxSplits: 2)
        guard statusLine.count >= 2, statusLine[0] == "HTTP/1.1", let code = Int(statusLine[1]) else {
            throw LoopbackError(description: "bad status line in \(lines)")
        }
        var headers = HTTPFields()
        for line in lines {
            guard let colon = line.firstIndex(of: ":"), let name = HeaderField.Name(String(line[..<colon])) else {
                throw LoopbackError(description: "bad header line '\(line)'")
            }
            headers.append(HeaderField(name: name, value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var body = Array(bytes[end.upperBound...])
        if !head && code != 204 && code != 304 {
            if headers[.transferEncoding]?.lowercased() == "chunked" {
                body = try dechunk(body)
            } else if let length = headers[.contentLength].flatMap(Int.init), length != body.count {
                throw LoopbackError(description: "Content-Length \(length) but \(body.count) bytes of body")
            }
        }
        return LoopbackResponse(status: HTTPResponse.Status(code: code), headers: headers, body: ByteBuffer(bytes: body))
    }

    private static func dechunk(_ bytes: [UInt8]) throws -> [UInt8] {
        var body: [UInt8] = []
        var rest = bytes[...]
        while true {
            guard let lineEnd = rest.firstRange(of: Array("\r\n".utf8)),
                  let size = Int(String(decoding: rest[..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";")[0], radix: 16),
                  rest.count >= lineEnd.upperBound - rest.startIndex + size + 2 else {
                throw LoopbackError(description: "malformed chunked body")
            }
            if size == 0 { return body }
            let start = lineEnd.upperBound
            body += rest[start..<(start + size)]
            rest = rest[(start + size + 2)...]
        }
    }
}

/// Runs a real Hummingbird server for the site on a free loopback port (port 0) while `body` sends it requests,
/// then shuts it down gracefully.
enum LoopbackServer {
    static func run(_ responder: StaticSiteResponder, _ body: (LoopbackClient) async throws -> Void) async throws {
        let (ports, portFound) = AsyncStream.makeStream(of: Int.self)
        var app = Application(
            responder: responder,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portFound.yield(channel.localAddress?.port ?? 0)
                portFound.finish()
            }
        )
        app.logger.logLevel = .warning  // not a line per test case saying the server started
        let services = ServiceGroup(configuration: .init(services: [app], logger: app.logger))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { portFound.finish() }  // a server that fails to start still ends the wait below
                try await services.run()
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                await services.triggerGracefulShutdown()
                try await group.waitForAll()
                throw LoopbackError(description: "the server did not start")
            }
            do {
                try await body(LoopbackClient(port: port))
            } catch {
                await services.triggerGracefulShutdown()
                throw error
            }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
        }
    }
}
