/// Text and attribute values for the XML files a build writes (`sitemap.xml`, `feed.xml`).
enum XMLText {
    /// `text` with `&`, `<`, `>`, `"` and `'` escaped, and the characters XML 1.0 forbids (most C0 controls,
    /// U+FFFE, U+FFFF) left out, so any front-matter value makes a well-formed document.
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A date as an RFC 3339 timestamp at midnight UTC, as Atom wants it: `2013-04-05T00:00:00Z`.
    static func timestamp(_ day: Day) -> String {
        day.description + "T00:00:00Z"
    }
}
