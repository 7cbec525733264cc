import Foundation

/// Runs work on every core with structured concurrency, keeping results in input order.
enum Parallel {
    /// How many pieces work is split into: a few per core, so uneven items even out.
    static var width: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) * 4 }

    static func map<Input: Sendable, Output: Sendable>(_ items: [Input], _ transform: @escaping @Sendable (Input) -> Output) async -> [Output] {
        guard items.count > 1 else { return items.map(transform) }
        let chunkSize = max(1, (items.count + width - 1) / width)
        let chunks = stride(from: 0, to: items.count, by: chunkSize).map { $0..<min($0 + chunkSize, items.count) }
        return await withTaskGroup(of: (Int, [Output]).self) { group in
            for (index, range) in chunks.enumerated() {
                group.addTask { (index, items[range].map(transform)) }
            }
            var results = [[Output]](repeating: [], count: chunks.count)
            for await (index, outputs) in group { results[index] = outputs }
            return results.flatMap { $0 }
        }
    }
}
