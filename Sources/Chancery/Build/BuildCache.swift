import Synchronization

/// What a long-running preview keeps between builds: parsed files by content, and rendered section bodies.
///
/// A file is parsed again only when its bytes change; entries are keyed by path and content
/// fingerprint, so a cached result is exactly what parsing would produce again.
public final class BuildCache: Sendable {
    private let parsed = Mutex<[String: (key: Fingerprint, result: ParseResult)]>([:])
    public let markdown = MarkdownCache()

    typealias ParseResult = (record: DocumentParser.Record?, diagnostics: [Diagnostic])

    public init() {}

    func parse(_ file: SourceFile) -> ParseResult {
        var key = Fingerprint.of(file.bytes)
        key.add(String(describing: file.role))
        if let hit = parsed.withLock({ $0[file.path] }), hit.key == key { return hit.result }
        let result = DocumentParser.parse(file)
        parsed.withLock { $0[file.path] = (key, result) }
        return result
    }
}
