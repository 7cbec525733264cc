import Synchronization

/// Rendered section bodies kept between builds of a long-running preview, keyed by everything the rendering reads.
///
/// The key covers the body text and its position in the file, the entities the section lists,
/// every entity name the matcher knows and the rendering options, so a cached body is exactly
/// what rendering would produce again.
public final class MarkdownCache: Sendable {
    private let entries = Mutex<[String: (key: Fingerprint, output: MarkdownRenderer.Output)]>([:])

    public init() {}

    func output(for path: String, key: Fingerprint, render: () -> MarkdownRenderer.Output) -> MarkdownRenderer.Output {
        if let hit = entries.withLock({ $0[path] }), hit.key == key { return hit.output }
        let output = render()
        entries.withLock { $0[path] = (key, output) }
        return output
    }
}
