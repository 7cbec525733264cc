extension Array where Element == UInt8 {
    /// Appends `source` with each byte that `replacement` names replaced by its text, copying the runs
    /// between them whole: most text needs no escaping, and a byte-by-byte append is several times slower.
    @inline(__always)
    mutating func append(escaping source: UnsafeBufferPointer<UInt8>, _ replacement: (UInt8) -> String?) {
        var runStart = 0
        for (index, byte) in source.enumerated() {
            guard let text = replacement(byte) else { continue }
            append(contentsOf: UnsafeBufferPointer(rebasing: source[runStart..<index]))
            append(contentsOf: text.utf8)
            runStart = index + 1
        }
        append(contentsOf: UnsafeBufferPointer(rebasing: source[runStart...]))
    }
}
