import Foundation

/// A read-only map from URLs, as bytes, to small integers: the link checker's table of every
/// page and file URL, looked up once per link of every page.
///
/// Open addressing over a power-of-two table, hashed eight bytes at a time. Links are looked up
/// as the bytes the scanner found, so the common case (a link to one of the site's own pages)
/// makes no `String` and no seeded hash. Keys are the site's own URLs, not page content.
struct URLTable: Sendable {
    private var keyBytes: [UInt8] = []
    /// Per entry: where its key starts and ends in `keyBytes`, and its value.
    private var entries: [(start: Int32, end: Int32, value: Int32)] = []
    /// Entry index + 1 per slot; 0 is empty.
    private var slots: [Int32]
    private let mask: Int

    init(_ pairs: [(key: String, value: Int32)]) {
        var capacity = 16
        while capacity < pairs.count * 2 { capacity *= 2 }
        slots = [Int32](repeating: 0, count: capacity)
        mask = capacity - 1
        for (key, value) in pairs {
            var key = key
            key.withUTF8 { insert($0, value) }
        }
    }

    /// Sets the value of `key`; a key given twice keeps its last value.
    private mutating func insert(_ key: UnsafeBufferPointer<UInt8>, _ value: Int32) {
        var slot = Int(truncatingIfNeeded: URLTable.hash(key)) & mask
        while slots[slot] != 0 {
            let index = Int(slots[slot] - 1)
            if matches(index, key) {
                entries[index].value = value
                return
            }
            slot = (slot + 1) & mask
        }
        let start = Int32(keyBytes.count)
        keyBytes.append(contentsOf: key)
        entries.append((start, Int32(keyBytes.count), value))
        slots[slot] = Int32(entries.count)
    }

    func value(for key: UnsafeBufferPointer<UInt8>) -> Int32? {
        var slot = Int(truncatingIfNeeded: URLTable.hash(key)) & mask
        while slots[slot] != 0 {
            let index = Int(slots[slot] - 1)
            if matches(index, key) { return entries[index].value }
            slot = (slot + 1) & mask
        }
        return nil
    }

    func value(for key: String) -> Int32? {
        var key = key
        return key.withUTF8 { value(for: $0) }
    }

    private func matches(_ index: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let entry = entries[index]
        guard Int(entry.end - entry.start) == key.count else { return false }
        return keyBytes.withUnsafeBufferPointer { stored in
            key.isEmpty || memcmp(stored.baseAddress! + Int(entry.start), key.baseAddress!, key.count) == 0
        }
    }

    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let raw = UnsafeRawBufferPointer(bytes)
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(raw.count)
        var i = 0
        while i + 8 <= raw.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < raw.count {
            tail |= UInt64(raw[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 29)
    }
}
