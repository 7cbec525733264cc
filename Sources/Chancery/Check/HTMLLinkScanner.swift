import Foundation

/// Pulls the link targets and element ids out of rendered HTML, reading bytes once.
///
/// It reads `href`, `src` and `id` attributes written with double or single quotes (as every
/// template and the Markdown writer produce them), skipping comments. It is not a full HTML
/// parser: an attribute written without quotes is not seen.
public enum HTMLLinkScanner {
    public struct Result: Sendable {
        /// The `href` and `src` values end to end, HTML entities (`&amp;`) decoded, in document order;
        /// `linkEnds` holds where each ends. One buffer per page, not one string per link.
        var linkBytes: [UInt8] = []
        var linkEnds: [Int32] = []
        public var ids: Set<String> = []

        /// Calls `body` with the bytes of each link in document order.
        func forEachLink(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
            linkBytes.withUnsafeBufferPointer { all in
                var start = 0
                for end in linkEnds {
                    body(UnsafeBufferPointer(rebasing: all[start..<Int(end)]))
                    start = Int(end)
                }
            }
        }
    }

    public static func scan(_ html: [UInt8]) -> Result {
        html.withUnsafeBufferPointer { scan(buffer: $0) }
    }

    private static func scan(buffer html: UnsafeBufferPointer<UInt8>) -> Result {
        var result = Result()
        guard let base = html.baseAddress else { return result }
        var i = 0
        let n = html.count
        while i < n {
            // Text between tags is skipped with memchr, which reads many bytes at a time.
            guard let tag = memchr(base + i, Int32(UInt8(ascii: "<")), n - i) else { break }
            i = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(tag))
            if i + 3 < n, html[i + 1] == UInt8(ascii: "!"), html[i + 2] == UInt8(ascii: "-"), html[i + 3] == UInt8(ascii: "-") {
                i = skipComment(html, from: i + 4)
                continue
            }
            i += 1
            guard i < n, isLetter(html[i]) else { continue }
            // Inside a start tag: attributes until '>'.
            while i < n, html[i] != UInt8(ascii: ">") {
                guard isNameByte(html[i]) else { i += 1; continue }
                let nameStart = i
                while i < n, isNameByte(html[i]) { i += 1 }
                let name = html[nameStart..<i]
                guard i + 1 < n, html[i] == UInt8(ascii: "="), html[i + 1] == UInt8(ascii: "\"") || html[i + 1] == UInt8(ascii: "'") else { continue }
                let quote = html[i + 1]
                let valueStart = i + 2
                var valueEnd = valueStart
                while valueEnd < n, html[valueEnd] != quote { valueEnd += 1 }
                i = valueEnd + 1
                if name.elementsEqual("href".utf8) || name.elementsEqual("src".utf8) {
                    let value = html[valueStart..<valueEnd]
                    if value.contains(UInt8(ascii: "&")) {
                        result.linkBytes += decodeEntities(value).utf8
                    } else {
                        result.linkBytes += value
                    }
                    result.linkEnds.append(Int32(result.linkBytes.count))
                } else if name.elementsEqual("id".utf8) {
                    result.ids.insert(decodeEntities(html[valueStart..<valueEnd]))
                }
            }
        }
        return result
    }

    private static func skipComment(_ html: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var i = start
        while i + 2 < html.count {
            if html[i] == UInt8(ascii: "-"), html[i + 1] == UInt8(ascii: "-"), html[i + 2] == UInt8(ascii: ">") { return i + 3 }
            i += 1
        }
        return html.count
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (65...90).contains(byte) || (97...122).contains(byte)
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || (48...57).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":")
    }

    /// Decodes the entities our escaping produces (`&amp;` `&lt;` `&gt;` `&quot;` `&#39;`).
    static func decodeEntities(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        guard bytes.contains(UInt8(ascii: "&")) else { return text }
        return text.replacingAll("&quot;", with: "\"").replacingAll("&#39;", with: "'").replacingAll("&lt;", with: "<")
            .replacingAll("&gt;", with: ">").replacingAll("&amp;", with: "&")
    }
}
