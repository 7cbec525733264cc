import Foundation
import Hummingbird
import Testing
@testable import ChanceryServer

/// The preview server's routing: real requests over loopback to a Hummingbird server serving a small site.
@Suite("Preview server routing")
struct StaticSiteResponderTests {
    /// A small built-looking site: pages, a stylesheet, a 404 page and a secret beside the root.
    static func makeSite() throws -> (parent: String, root: String) {
        let parent = NSTemporaryDirectory() + "chancery-serve-test-" + UUID().uuidString
        let root = parent + "/site"
        let files = [
            "index.html": "<!DOCTYPE html><html><body><h1>Home</h1></body></html>",
            "chapter-2/index.html": "<!DOCTYPE html><html><body>Chapter</body></html>",
            "chapter-2/russia/index.html": "<!DOCTYPE html><html><body>Russia</body></html>",
            "assets/style.abc.css": "body{}",
            "api/countries.json": "[]",
            "404.html": "<!DOCTYPE html><html><body>Not here</body></html>",
            "empty/.keep": "",
        ]
        for (path, text) in files {
            let full = root + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: full))
        }
        try Data("secret".utf8).write(to: URL(fileURLWithPath: parent + "/secret.txt"))
        try FileManager.default.createSymbolicLink(atPath: root + "/leak.txt", withDestinationPath: parent + "/secret.txt")
        try FileManager.default.createSymbolicLink(atPath: root + "/inside.css", withDestinationPath: root + "/assets/style.abc.css")
        return (parent, root)
    }

    func withServer(_ body: (LoopbackClient) async throws -> Void) async throws {
        let (parent, root) = try Self.makeSite()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        try await LoopbackServer.run(StaticSiteResponder(root: root, broadcaster: ReloadBroadcaster()), body)
    }

    @Test("serves pages at clean URLs with the live-reload script added", arguments: ["/", "/chapter-2/", "/chapter-2/russia/", "/chapter-2/russia/index.html"])
    func cleanURLs(path: String) async throws {
        try await withServer { client in
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                let body = String(buffer: response.body)
                #expect(body.contains("<script src=\"/__chancery/live.js\" defer></script></body>"))
            }
        }
    }

    @Test("redirects a folder without its slash, keeping the query")
    func redirect() async throws {
        try await withServer { client in
            try await client.execute(uri: "/chapter-2/russia?x=1", method: .get) { response in
                #expect(response.status == .movedPermanently)
                #expect(response.headers[.location] == "/chapter-2/russia/?x=1")
            }
        }
    }

    @Test("answers with the right content type", arguments: [
        ("/assets/style.abc.css", "text/css; charset=utf-8"), ("/api/countries.json", "application/json"), ("/__chancery/live.js", "text/javascript; charset=utf-8"),
    ])
    func contentTypes(path: String, type: String) async throws {
        try await withServer { client in
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == type)
            }
        }
    }

    @Test("answers the site's 404 page with status 404 for anything outside the site or not there", arguments: [
        "/nope/", "/nope", "/empty/", "/empty", "/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/%2e%2e/etc/passwd", "/%252e%252e/secret.txt",
        "/..%2fsecret.txt", "/..%5csecret.txt", "/chapter-2/..%5c..%5csecret.txt", "/leak.txt", "/.hidden", "/empty/.keep", "/%00", "/index.html%00.css",
    ])
    func notFound(path: String) async throws {
        try await withServer { client in
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == .notFound, "\(path)")
                #expect(String(buffer: response.body).contains("Not here"), "\(path)")
            }
        }
    }

    @Test("follows symbolic links that stay inside the site")
    func insideLink() async throws {
        try await withServer { client in
            try await client.execute(uri: "/inside.css", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("answers HEAD without a body and refuses other methods")
    func methods() async throws {
        try await withServer { client in
            try await client.execute(uri: "/", method: .head) { response in
                #expect(response.status == .ok)
                #expect(response.body.readableBytes == 0)
            }
            try await client.execute(uri: "/", method: .post) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET, HEAD")
            }
        }
    }

    @Test("maps output files to the URLs a browser shows", arguments: [
        ("index.html", "/"), ("chapter-2/russia/index.html", "/chapter-2/russia/"), ("404.html", "/404.html"),
    ])
    func fileURLs(file: String, url: String) {
        #expect(PreviewServer.url(forFile: file) == url)
        #expect(PreviewServer.file(forURL: url) == file)
    }

    @Test("knows no file for a path that leaves the site", arguments: ["../etc/passwd", "/a/../../b", "//evil/"])
    func outsideURLs(url: String) {
        #expect(PreviewServer.file(forURL: url) == nil)
    }

    @Test("knows which pages connected browsers show, each once")
    func shownPages() async {
        let broadcaster = ReloadBroadcaster()
        let streams = [broadcaster.subscribe(showing: "/chapter-2/russia/"), broadcaster.subscribe(showing: "/"),
                       broadcaster.subscribe(showing: "/chapter-2/russia/"), broadcaster.subscribe()]
        #expect(broadcaster.shownPages == ["/", "/chapter-2/russia/"])
        withExtendedLifetime(streams) {}
        broadcaster.finish()
        #expect(broadcaster.shownPages.isEmpty)
    }

    @Test("adds the script before the last </body>, or at the end")
    func injection() {
        #expect(String(decoding: LiveReloadScript.inject(into: Array("<p>a</body></body>".utf8)), as: UTF8.self)
                == "<p>a</body>" + LiveReloadScript.tag + "</body>")
        #expect(String(decoding: LiveReloadScript.inject(into: Array("<p>a".utf8)), as: UTF8.self) == "<p>a" + LiveReloadScript.tag)
    }

    @Test("replays the latest build status to a new event-stream client")
    func broadcasterReplaysStatus() async {
        let broadcaster = ReloadBroadcaster()
        broadcaster.send(.init(name: "status", data: "{\"ok\":false}"))
        var iterator = broadcaster.subscribe().makeAsyncIterator()
        let first = await iterator.next()
        #expect(first == .init(name: "status", data: "{\"ok\":false}"))
        broadcaster.send(.init(name: "reload", data: "[\"/\"]"))
        #expect(await iterator.next()?.wire == "event: reload\ndata: [\"/\"]\n\n")
    }
}
