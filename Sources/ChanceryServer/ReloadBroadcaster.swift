import Synchronization

/// Fans out build events to every browser connected to the event stream.
///
/// Each client gets its own `AsyncStream`; the latest status is replayed to new clients,
/// so a browser that opens a page while the site is broken sees the error overlay at once.
public final class ReloadBroadcaster: Sendable {
    /// One Server-Sent Event.
    public struct Event: Sendable, Equatable {
        public var name: String
        public var data: String

        /// The event as sent on the wire.
        var wire: String {
            "event: \(name)\n" + data.split(separator: "\n", omittingEmptySubsequences: false).map { "data: \($0)\n" }.joined() + "\n"
        }
    }

    private struct State {
        var clients: [Int: AsyncStream<Event>.Continuation] = [:]
        /// The page each client shows (its URL path), when it said.
        var pages: [Int: String] = [:]
        var nextID = 0
        var status = Event(name: "status", data: "{\"ok\":true}")
    }

    private let state = Mutex(State())

    public init() {}

    /// A stream of events for one client showing `page` (a URL path, when known); it ends when the client goes away.
    public func subscribe(showing page: String? = nil) -> AsyncStream<Event> {
        let (stream, continuation) = AsyncStream<Event>.makeStream(bufferingPolicy: .bufferingNewest(16))
        let id = state.withLock { state -> Int in
            let id = state.nextID
            state.nextID += 1
            state.clients[id] = continuation
            state.pages[id] = page
            continuation.yield(state.status)
            return id
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { state in
                state.clients[id] = nil
                state.pages[id] = nil
            }
        }
        return stream
    }

    public func send(_ event: Event) {
        let clients = state.withLock { state in
            if event.name == "status" { state.status = event }
            return Array(state.clients.values)
        }
        for client in clients { client.yield(event) }
    }

    public var clientCount: Int { state.withLock { $0.clients.count } }

    /// The URL paths connected clients show, each once, sorted.
    public var shownPages: [String] { state.withLock { Set($0.pages.values).sorted() } }

    /// Ends every stream (at shutdown).
    public func finish() {
        let clients = state.withLock { state in
            defer {
                state.clients = [:]
                state.pages = [:]
            }
            return Array(state.clients.values)
        }
        for client in clients { client.finish() }
    }
}
