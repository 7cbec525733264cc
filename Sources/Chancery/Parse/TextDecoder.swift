import Foundation

/// Turns a file's bytes into text the parsers accept: valid UTF-8, no NUL bytes, `\n` line endings.
///
/// A leading byte-order mark is dropped and `\r\n` or lone `\r` become `\n`, so line numbers
/// match what an editor shows for any of the three conventions.
enum TextDecoder {
    static func decode(_ bytes: [UInt8], path: String) -> Result<String, Diagnostic> {
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        // Nearly every file is valid and has no NUL: the standard library's validation says so at
        // once. Only a file it rejects is walked byte by byte, to place the problem.
        let hasNUL = bytes.withUnsafeBufferPointer { memchr($0.baseAddress! + start, 0, $0.count - start) != nil }
        if !hasNUL, let text = String(validating: bytes[start...], as: UTF8.self) {
            return .success(bytes.contains(0x0D) ? text.replacingAll("\r\n", with: "\n").replacingAll("\r", with: "\n") : text)
        }
        var line = 1
        var lineStart = start
        var index = start
        var needsNormalising = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0 {
                return .failure(.error(location(bytes, path, line, lineStart, index), "the file contains a NUL byte; is it a binary file?"))
            }
            if byte == 0x0A {
                line += 1
                lineStart = index + 1
            } else if byte == 0x0D {
                needsNormalising = true
            }
            if byte < 0x80 {
                index += 1
                continue
            }
            let length = sequenceLength(bytes, at: index)
            guard length > 0 else {
                return .failure(.error(location(bytes, path, line, lineStart, index),
                                       "invalid UTF-8 (byte 0x\(String(byte, radix: 16, uppercase: true))); save the file as UTF-8"))
            }
            index += length
        }
        var text = String(decoding: bytes[start...], as: UTF8.self)
        if needsNormalising {
            text = text.replacingAll("\r\n", with: "\n").replacingAll("\r", with: "\n")
        }
        return .success(text)
    }

    private static func location(_ bytes: [UInt8], _ path: String, _ line: Int, _ lineStart: Int, _ index: Int) -> SourceLocation {
        let prefix = bytes[lineStart..<index]
        let column = prefix.reduce(0) { $0 + (($1 & 0xC0) == 0x80 ? 0 : 1) } + 1
        return SourceLocation(path: path, line: line, column: column)
    }

    /// The length of a well-formed UTF-8 sequence at `index`, or 0 (RFC 3629: no overlongs, no surrogates).
    private static func sequenceLength(_ b: [UInt8], at i: Int) -> Int {
        func cont(_ k: Int) -> Bool { i + k < b.count && b[i + k] & 0xC0 == 0x80 }
        let c = b[i]
        switch c {
        case 0xC2...0xDF: return cont(1) ? 2 : 0
        case 0xE0: return cont(1) && b[i + 1] >= 0xA0 && cont(2) ? 3 : 0
        case 0xED: return cont(1) && b[i + 1] < 0xA0 && cont(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF: return cont(1) && cont(2) ? 3 : 0
        case 0xF0: return cont(1) && b[i + 1] >= 0x90 && cont(2) && cont(3) ? 4 : 0
        case 0xF1...0xF3: return cont(1) && cont(2) && cont(3) ? 4 : 0
        case 0xF4: return cont(1) && b[i + 1] < 0x90 && cont(2) && cont(3) ? 4 : 0
        default: return 0
        }
    }
}

extension String {
    /// Replaces every occurrence of `target` (compared as UTF-8 bytes, not by Unicode equivalence).
    func replacingAll(_ target: String, with replacement: String) -> String {
        let source = Array(utf8), needle = Array(target.utf8), substitute = Array(replacement.utf8)
        guard !needle.isEmpty, source.count >= needle.count else { return self }
        var out: [UInt8] = []
        out.reserveCapacity(source.count)
        var i = 0
        while i < source.count {
            if source[i] == needle[0], i + needle.count <= source.count, source[i..<(i + needle.count)].elementsEqual(needle) {
                out += substitute
                i += needle.count
            } else {
                out.append(source[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
