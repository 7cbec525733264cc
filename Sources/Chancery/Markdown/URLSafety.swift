/// Rules for URLs that come from Markdown: which schemes are unsafe, and how to write them into `href`.
enum URLSafety {
    /// `javascript:`, `vbscript:`, `file:` and `data:` can run code or read local files; only an image's
    /// source may be a `data:` URL, and only of a raster format (an SVG can hold scripts).
    static func isDangerous(_ url: String, image: Bool = false) -> Bool {
        // Most links start plainly with a web scheme or a path, which no dangerous scheme can hide behind.
        let bytes = url.utf8
        if bytes.starts(with: "https://".utf8) || bytes.starts(with: "http://".utf8) || bytes.first == UInt8(ascii: "/") { return false }
        let lowered = String(url.lowercased().unicodeScalars.filter { $0.value > 0x20 })
        for scheme in ["javascript:", "vbscript:", "file:"] where lowered.hasPrefix(scheme) { return true }
        if lowered.hasPrefix("data:") {
            // The allowed prefixes must be there as written: a control character inside one is kept
            // (percent-encoded) by browsers, so `data:ima\u{3}ge/png` is no image URL.
            let written = String(url.lowercased().unicodeScalars.drop { $0.value <= 0x20 })
            return !image || !["data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"].contains { written.hasPrefix($0) }
        }
        return false
    }

    /// Percent-encodes what may not appear raw in a URL attribute; `%` sequences already there are kept.
    static func encode(_ url: String) -> String {
        func isAllowed(_ byte: UInt8) -> Bool {
            switch byte {
            case 0x21, 0x23...0x3B, 0x3D, 0x3F...0x5B, 0x5D, 0x5F, 0x61...0x7A, 0x7E: true
            default: false
            }
        }
        if url.utf8.allSatisfy(isAllowed) { return url }
        var out = ""
        for byte in url.utf8 {
            switch byte {
            case _ where isAllowed(byte):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
