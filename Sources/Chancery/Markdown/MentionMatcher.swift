import Foundation

/// Finds names of entities in running text: whole words, case-sensitive, the longest covering name winning.
///
/// Names form a trie of word segments (the first word, then each separator-and-word), hashed
/// from bytes so scanning allocates nothing. At each word start of the text the trie is walked
/// as far as the text follows it, and the deepest name that matches exactly wins; so the work per
/// word stays small even when thousands of names share their first words ("United States–…").
/// A straight apostrophe or double quote in a name also matches its typographic form,
/// since bodies are rendered with smart punctuation. Built once per build and shared read-only.
public struct MentionMatcher: Sendable {
    /// A name as the trie is built from it.
    private struct Pattern {
        var bytes: [UInt8]
        var ref: EntityRef
        var endsInWord: Bool
    }

    public struct Match: Sendable, Hashable {
        public var range: Range<Int>
        public var ref: EntityRef
    }

    /// Trie edges in an open-addressing table: `key(node, segment hash)` → child node; the root is
    /// node 0. A child of -1 marks an empty slot. The keys are hashes already, so none is hashed again.
    private var edgeKeys: [UInt64] = []
    private var edgeChildren: [Int32] = []
    private var edgeMask = 0
    /// Names ending at each node (after its last word they may have trailing punctuation, as in
    /// "U.S."), longest first: node n's are the patterns `terminalStart[n]..<terminalStart[n + 1]`.
    private var terminalStart: [Int32] = []
    /// Each pattern's bytes are `patternBytes[patternStart[k]..<patternStart[k] + patternLength[k]]`.
    private var patternBytes: [UInt8] = []
    private var patternStart: [Int32] = []
    private var patternLength: [Int32] = []
    /// Whether the name ends in a word character, so the text must not continue with one.
    private var patternEndsInWord: [Bool] = []
    private var patternRefs: [EntityRef] = []
    /// One bit per low 16 bits of a first-word hash: most words of a text start no name, and
    /// this answers them without a table lookup.
    private var filter = [UInt64](repeating: 0, count: 1024)

    public init(names: [(name: String, ref: EntityRef)]) {
        var edges: [UInt64: Int32] = [:]
        var terminals: [Int32: [Pattern]] = [:]
        var seen: Set<[UInt8]> = []
        var firstWords: Set<UInt64> = []
        var nodeCount: Int32 = 1
        for (name, ref) in names.sorted(by: { ($0.ref, $0.name) < ($1.ref, $1.name) }) {
            for variant in MentionMatcher.variants(of: name) {
                let bytes = Array(variant.utf8)
                guard !bytes.isEmpty, MentionMatcher.wordLength(bytes, 0) > 0, seen.insert(bytes).inserted else { continue }
                var position = MentionMatcher.wordEnd(bytes, from: 0)
                let firstHash = MentionMatcher.hash(bytes, 0, position)
                firstWords.insert(firstHash)
                func child(of node: Int32, _ segment: UInt64) -> Int32 {
                    let edge = MentionMatcher.key(node, segment)
                    if let existing = edges[edge] { return existing }
                    edges[edge] = nodeCount
                    nodeCount += 1
                    return nodeCount - 1
                }
                var node = child(of: 0, firstHash)
                while let next = MentionMatcher.nextSegmentEnd(bytes, after: position) {
                    node = child(of: node, MentionMatcher.hash(bytes, position, next))
                    position = next
                }
                terminals[node, default: []].append(Pattern(bytes: bytes, ref: ref, endsInWord: MentionMatcher.lastIsWord(bytes)))
            }
        }
        var capacity = 16
        while capacity < edges.count * 2 { capacity *= 2 }
        edgeKeys = [UInt64](repeating: 0, count: capacity)
        edgeChildren = [Int32](repeating: -1, count: capacity)
        edgeMask = capacity - 1
        for (key, child) in edges.sorted(by: { $0.key < $1.key }) {
            var slot = MentionMatcher.slot(key, edgeMask)
            while edgeChildren[slot] >= 0 { slot = (slot + 1) & edgeMask }
            edgeKeys[slot] = key
            edgeChildren[slot] = child
        }
        for node in 0..<nodeCount {
            terminalStart.append(Int32(patternStart.count))
            let patterns = (terminals[node] ?? []).sorted { ($0.bytes.count, $1.ref) > ($1.bytes.count, $0.ref) }
            for pattern in patterns {
                patternStart.append(Int32(patternBytes.count))
                patternLength.append(Int32(pattern.bytes.count))
                patternBytes += pattern.bytes
                patternEndsInWord.append(pattern.endsInWord)
                patternRefs.append(pattern.ref)
            }
        }
        terminalStart.append(Int32(patternStart.count))
        for hash in firstWords {
            filter[Int(hash & 0xFFFF) >> 6] |= 1 << (hash & 63)
        }
    }

    @inline(__always)
    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: key ^ (key >> 31)) & mask
    }

    /// The child of `node` along a segment with this hash, if the trie has one.
    @inline(__always)
    private func child(of node: Int32, _ segment: UInt64) -> Int32? {
        let key = MentionMatcher.key(node, segment)
        var slot = MentionMatcher.slot(key, edgeMask)
        while true {
            let child = edgeChildren[slot]
            if child < 0 { return nil }
            if edgeKeys[slot] == key { return child }
            slot = (slot + 1) & edgeMask
        }
    }

    @inline(__always)
    static func key(_ node: Int32, _ segment: UInt64) -> UInt64 {
        (UInt64(UInt32(bitPattern: node)) &* 0x9E3779B97F4A7C15) ^ segment
    }

    /// The end of the separator and word that follow a first word ending at `end`, or nil when no word follows.
    @inline(__always)
    static func nextSegmentEnd(_ bytes: some RandomAccessCollection<UInt8>, after end: Int, limit: Int? = nil) -> Int? {
        let stop = limit ?? bytes.count
        var index = end
        while index < stop, wordLength(bytes, index) == 0 { index += 1 }
        guard index < stop else { return nil }
        return min(wordEnd(bytes, from: index), stop)
    }

    private static func lastIsWord(_ bytes: [UInt8]) -> Bool {
        var start = bytes.count - 1
        while start > 0, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        return wordLength(bytes, start) > 0
    }

    public var isEmpty: Bool { patternRefs.isEmpty }

    static func variants(of name: String) -> [String] {
        var result = [name]
        if name.utf8.contains(UInt8(ascii: "'")) { result.append(name.replacingAll("'", with: "\u{2019}")) }
        if name.utf8.contains(UInt8(ascii: "\"")) {
            var curly = ""
            var open = true
            for ch in name {
                if ch == "\"" { curly.append(open ? "\u{201C}" : "\u{201D}"); open.toggle() } else { curly.append(ch) }
            }
            result.append(curly)
        }
        return result
    }

    /// The byte length of the character at `i` if it is a word character, else 0.
    ///
    /// ASCII letters and digits and non-ASCII characters are word characters, except the
    /// no-break space and the General Punctuation block (’ “ ” – — …), which smart punctuation produces.
    @inline(__always)
    static func wordLength(_ text: some RandomAccessCollection<UInt8>, _ i: Int) -> Int {
        let base = text.startIndex
        let byte = text[text.index(base, offsetBy: i)]
        if byte < 0x80 {
            return (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte) ? 1 : 0
        }
        let count = text.count
        func at(_ k: Int) -> UInt8 { i + k < count ? text[text.index(base, offsetBy: i + k)] : 0 }
        if byte == 0xE2 && at(1) == 0x80 { return 0 }
        if byte == 0xC2 && at(1) == 0xA0 { return 0 }
        var length = 1
        while i + length < count, at(length) & 0xC0 == 0x80 { length += 1 }
        return length
    }

    /// The end of the run of word characters starting at `i`.
    @inline(__always)
    static func wordEnd(_ text: some RandomAccessCollection<UInt8>, from i: Int) -> Int {
        var end = i
        while end < text.count {
            let length = wordLength(text, end)
            if length == 0 { break }
            end += length
        }
        return end
    }

    @inline(__always)
    static func hash(_ bytes: some RandomAccessCollection<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        var i = bytes.index(bytes.startIndex, offsetBy: start)
        let stop = bytes.index(bytes.startIndex, offsetBy: end)
        while i != stop {
            h = (h ^ UInt64(bytes[i])) &* 0x100000001b3
            i = bytes.index(after: i)
        }
        return h
    }

    /// Non-overlapping matches in `text`, left to right; where names overlap the longest wins.
    public func matches(in text: [UInt8]) -> [Match] {
        matches(in: text, range: 0..<text.count)
    }

    /// Matches within `range` of `text`; match ranges are offsets into the whole `text`.
    public func matches(in text: [UInt8], range: Range<Int>) -> [Match] {
        guard !isEmpty else { return [] }
        return text.withUnsafeBufferPointer { text in
            patternBytes.withUnsafeBufferPointer { names in matches(in: text, range: range, names: names) }
        }
    }

    /// Matches left to right, where the longest name covering a position wins.
    ///
    /// A match that starts at a word is compared with every match starting inside it that runs
    /// further: one for the same entity extends it ("Premier Wen" + "Wen Jiabao" link as one
    /// "Premier Wen Jiabao"), a longer one for another entity replaces it, a shorter one is dropped.
    private func matches(in text: UnsafeBufferPointer<UInt8>, range: Range<Int>, names: UnsafeBufferPointer<UInt8>) -> [Match] {
        var result: [Match] = []
        var i = range.lowerBound
        let n = range.upperBound
        while i < n {
            guard MentionMatcher.wordLength(text, i) > 0 else {
                i = MentionMatcher.afterNonWord(text, i, n)
                continue
            }
            let end = min(MentionMatcher.wordEnd(text, from: i), n)
            guard var current = longestMatch(in: text, at: i, wordEnd: end, limit: n, names: names) else {
                i = end
                continue
            }
            var j = end
            while j < current.range.upperBound {
                guard MentionMatcher.wordLength(text, j) > 0 else {
                    j = MentionMatcher.afterNonWord(text, j, n)
                    continue
                }
                let wordEnd = min(MentionMatcher.wordEnd(text, from: j), n)
                if let inner = longestMatch(in: text, at: j, wordEnd: wordEnd, limit: n, names: names),
                   inner.range.upperBound > current.range.upperBound {
                    if inner.ref == current.ref {
                        current.range = current.range.lowerBound..<inner.range.upperBound
                    } else if inner.range.count > current.range.count {
                        current = inner
                    }
                }
                j = wordEnd
            }
            result.append(current)
            i = current.range.upperBound
        }
        return result
    }

    /// The position after the non-word character at `i`, skipping the rest of a multi-byte punctuation mark.
    @inline(__always)
    private static func afterNonWord(_ text: UnsafeBufferPointer<UInt8>, _ i: Int, _ n: Int) -> Int {
        var next = i + 1
        while next < n, text[next] & 0xC0 == 0x80 { next += 1 }
        return next
    }

    /// The longest name starting at the word `i..<end`, if any.
    @inline(__always)
    private func longestMatch(in text: UnsafeBufferPointer<UInt8>, at i: Int, wordEnd end: Int, limit n: Int,
                              names: UnsafeBufferPointer<UInt8>) -> Match? {
        let hash = MentionMatcher.hash(text, i, end)
        guard filter[Int(hash & 0xFFFF) >> 6] & (1 << (hash & 63)) != 0, var node = child(of: 0, hash) else { return nil }
        var matched: Match?
        var position = end
        while true {
            for k in Int(terminalStart[Int(node)])..<Int(terminalStart[Int(node) + 1]) {
                let length = Int(patternLength[k])
                guard length <= n - i else { continue }
                let stop = i + length
                guard stop == n || MentionMatcher.wordLength(text, stop) == 0 || !patternEndsInWord[k] else { continue }
                if memcmp(text.baseAddress! + i, names.baseAddress! + Int(patternStart[k]), length) == 0 {
                    matched = Match(range: i..<stop, ref: patternRefs[k])
                    break
                }
            }
            guard let segmentEnd = MentionMatcher.nextSegmentEnd(text, after: position, limit: n),
                  let deeper = child(of: node, MentionMatcher.hash(text, position, segmentEnd)) else { break }
            node = deeper
            position = segmentEnd
        }
        return matched
    }
}
