import Foundation
import Synchronization

/// Runs work on every core with structured concurrency, keeping results in input order.
enum Parallel {
    /// How many workers run at once: one per core.
    static var cores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Maps `items` with one worker per core; each worker takes the next small batch of items as it
    /// finishes the last, so a few slow items (a long section, a large index) do not leave cores idle.
    static func map<Input: Sendable, Output: Sendable>(_ items: [Input], _ transform: @escaping @Sendable (Input) -> Output) async -> [Output] {
        guard items.count > 1 else { return items.map(transform) }
        let workers = min(cores, items.count)
        let batch = max(1, min(32, items.count / (workers * 32)))
        let next = Cursor()
        return await withTaskGroup(of: [(start: Int, outputs: [Output])].self) { group in
            for _ in 0..<workers {
                group.addTask {
                    var done: [(start: Int, outputs: [Output])] = []
                    while true {
                        let start = next.take(batch)
                        guard start < items.count else { break }
                        done.append((start, items[start..<min(start + batch, items.count)].map(transform)))
                    }
                    return done
                }
            }
            var batches: [(start: Int, outputs: [Output])] = []
            for await done in group { batches += done }
            var results: [Output] = []
            results.reserveCapacity(items.count)
            for done in batches.sorted(by: { $0.start < $1.start }) { results += done.outputs }
            return results
        }
    }

    /// The index of the next item no worker has taken.
    private final class Cursor: Sendable {
        private let position = Atomic<Int>(0)

        func take(_ count: Int) -> Int {
            position.add(count, ordering: .relaxed).oldValue
        }
    }
}
