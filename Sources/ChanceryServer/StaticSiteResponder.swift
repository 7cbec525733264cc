import Foundation
import Hummingbird
import ServiceLifecycle

/// Serves a built site from a folder the way static hosting does, plus the live-reload endpoints.
///
/// Clean URLs (`/x/` is `/x/index.html`, `/x` redirects to `/x/`), the site's `404.html` with
/// status 404, no directory listings, and nothing outside the folder: a path with `..`, a
/// hidden component, a backslash or a NUL (after percent-decoding), or a symbolic link whose
/// target lies outside, is answered 404. HTML responses get the live-reload script.
public struct StaticSiteResponder: HTTPResponder {
    public typealias Context = BasicRequestContext

    let root: String
    let realRoot: String
    let broadcaster: ReloadBroadcaster

    public init(root: String, broadcaster: ReloadBroadcaster) {
        self.root = root
        self.realRoot = (root as NSString).resolvingSymlinksInPath
        self.broadcaster = broadcaster
    }

    enum Resolution: Equatable {
        case file(String)
        case redirect(String)
        case notFound
    }

    public func respond(to request: Request, context: Context) async throws -> Response {
        guard request.method == .get || request.method == .head else {
            return Response(status: .methodNotAllowed, headers: [.allow: "GET, HEAD"])
        }
        let path = request.uri.path
        if path == LiveReloadScript.eventsPath { return events(showing: request.uri.queryParameters.get("page")) }
        if path == LiveReloadScript.path {
            return respond(bytes: Array(LiveReloadScript.source.utf8), type: "text/javascript; charset=utf-8", status: .ok, head: request.method == .head)
        }
        switch resolve(path) {
        case .file(let file):
            return serve(file, status: .ok, head: request.method == .head)
        case .redirect(let location):
            let query = request.uri.query.map { "?" + $0 } ?? ""
            return Response(status: .movedPermanently, headers: [.location: location + query])
        case .notFound:
            let page = root + "/404.html"
            if FileManager.default.fileExists(atPath: page) { return serve(page, status: .notFound, head: request.method == .head) }
            // No 404 page: the first build failed. An HTML page still carries the script, so the error overlay shows.
            let placeholder = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Chancery preview</title></head><body><p>The site is not built yet.</p></body></html>\n"
            return respond(bytes: LiveReloadScript.inject(into: Array(placeholder.utf8)), type: "text/html; charset=utf-8", status: .notFound, head: request.method == .head)
        }
    }

    /// Maps a request path (still percent-encoded) to a file inside the root, a redirect, or nothing.
    func resolve(_ rawPath: String) -> Resolution {
        guard rawPath.hasPrefix("/"), let decoded = rawPath.removingPercentEncoding,
              !decoded.contains("\0"), !decoded.contains("\\") else { return .notFound }
        let components = decoded.split(separator: "/", omittingEmptySubsequences: true)
        guard !components.contains(where: { $0.hasPrefix(".") }) else { return .notFound }
        let relative = components.joined(separator: "/")
        let candidate = relative.isEmpty ? root : root + "/" + relative
        var file = candidate
        if decoded.hasSuffix("/") {
            file = candidate + "/index.html"
        } else if isDirectory(candidate) {
            return isRegularFile(candidate + "/index.html") ? .redirect(rawPath + "/") : .notFound
        }
        guard isRegularFile(file) else { return .notFound }
        let real = (file as NSString).resolvingSymlinksInPath
        guard real.hasPrefix(realRoot + "/") else { return .notFound }
        return .file(file)
    }

    private func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    private func isRegularFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    private func serve(_ file: String, status: HTTPResponse.Status, head: Bool) -> Response {
        guard var bytes = FileManager.default.contents(atPath: file).map({ [UInt8]($0) }) else {
            return respond(bytes: Array("Not found\n".utf8), type: "text/plain; charset=utf-8", status: .notFound, head: head)
        }
        let type = ContentTypes.forPath(file)
        if type.hasPrefix("text/html") { bytes = LiveReloadScript.inject(into: bytes) }
        return respond(bytes: bytes, type: type, status: status, head: head)
    }

    private func respond(bytes: [UInt8], type: String, status: HTTPResponse.Status, head: Bool) -> Response {
        var headers: HTTPFields = [.contentType: type, .cacheControl: "no-store"]
        headers[.contentLength] = String(bytes.count)
        return Response(status: status, headers: headers, body: head ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The Server-Sent Events stream of build events for a browser showing `page`; ends at graceful shutdown.
    private func events(showing page: String?) -> Response {
        let broadcaster = self.broadcaster
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: "retry: 500\n\n"))
                for await event in broadcaster.subscribe(showing: page).cancelOnGracefulShutdown() {
                    try await writer.write(ByteBuffer(string: event.wire))
                }
                try await writer.finish(nil)
            }
        )
    }
}
