/// A conservative check of generated HTML for anything that could run script.
///
/// It tokenises the HTML the way a browser would at the level that matters here (text, comments,
/// the doctype, start and end tags with their attributes) and reports:
///
/// * a `<` that does not start a tag, comment or doctype (text from input must arrive as `&lt;`);
/// * a tag that neither the theme nor the Markdown writer produces (`<iframe>`, `<svg>`, `<style>`,
///   `<x-anything>` …): only `allowedTags` may appear;
/// * a `<script>` other than the theme's own kind: an empty element whose `src` is a root-relative
///   path to a `.js` file under an `assets/` folder (`<script src="/assets/search.js" defer></script>`);
/// * an event-handler attribute (`on…=`), `srcdoc`, `http-equiv`, or a `style` attribute with
///   `url(`, `expression(` or a script URL;
/// * a URL attribute (`href`, `src`, `action`, `srcset` …) whose scheme, after decoding character
///   references and dropping the control characters and spaces browsers ignore, is anything but
///   one a browser runs or reads local files through (`javascript:`, `vbscript:`, `livescript:`,
///   `mocha:`, `file:`, or `data:`, except a `data:image/png|gif|jpeg|webp` URL as an `<img src>`);
/// * malformed markup: an unterminated tag, comment or quoted attribute value, or an unquoted
///   value holding a quote, `<`, `=` or backtick.
///
/// It is meant for Chancery's own output, which is regular; it does not try to be an HTML parser,
/// so it reports anything it does not understand rather than guessing.
public enum HTMLSafetyScanner {
    public struct Finding: Sendable, Hashable, CustomStringConvertible {
        /// The 1-based line of the HTML where the problem starts.
        public var line: Int
        public var problem: String
        /// Up to 80 bytes of the HTML from the problem on.
        public var excerpt: String

        public var description: String { "line \(line): \(problem): \(excerpt)" }
    }

    /// Every element the default theme and `MarkdownRenderer` write.
    public static let allowedTags: Set<String> = [
        "html", "head", "meta", "title", "link", "body", "header", "footer", "nav", "main", "aside", "section", "article",
        "div", "span", "p", "a", "ul", "ol", "li", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em",
        "code", "pre", "blockquote", "hr", "br", "img", "sup", "time", "small", "form", "label", "input", "button",
    ]

    static let urlAttributes: Set<String> = [
        "href", "src", "action", "formaction", "xlink:href", "poster", "cite", "background", "data", "codebase",
        "ping", "lowsrc", "dynsrc", "manifest", "longdesc", "usemap", "profile", "icon",
    ]

    /// Schemes through which a link or source runs script or reads local files (`data:` is handled apart).
    static let dangerousSchemes: Set<String> = ["javascript", "vbscript", "livescript", "mocha", "file"]

    public static func scan(_ html: String, allowedTags: Set<String> = allowedTags) -> [Finding] {
        scan(bytes: Array(html.utf8), allowedTags: allowedTags)
    }

    public static func scan(bytes: [UInt8], allowedTags: Set<String> = allowedTags) -> [Finding] {
        var scanner = Scanner(bytes: bytes, allowedTags: allowedTags)
        scanner.run()
        return scanner.findings
    }

    private struct Scanner {
        let b: [UInt8]
        let allowedTags: Set<String>
        var findings: [Finding] = []
        var i = 0

        init(bytes: [UInt8], allowedTags: Set<String>) {
            b = bytes
            self.allowedTags = allowedTags
        }

        mutating func report(_ problem: String, at offset: Int) {
            let line = b[0..<min(offset, b.count)].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
            let end = min(b.count, offset + 80)
            findings.append(Finding(line: line, problem: problem, excerpt: String(decoding: b[min(offset, b.count)..<end], as: UTF8.self)))
        }

        func startsWith(_ text: String, at offset: Int, ignoringCase: Bool = false) -> Bool {
            let needle = Array(text.utf8)
            guard offset + needle.count <= b.count else { return false }
            for k in 0..<needle.count {
                var byte = b[offset + k]
                if ignoringCase, (65...90).contains(byte) { byte += 32 }
                if byte != needle[k] { return false }
            }
            return true
        }

        func find(_ text: String, from offset: Int) -> Int? {
            let needle = Array(text.utf8)
            var k = offset
            while k + needle.count <= b.count {
                if b[k] == needle[0] && b[k..<(k + needle.count)].elementsEqual(needle) { return k }
                k += 1
            }
            return nil
        }

        static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D }

        mutating func run() {
            while i < b.count {
                guard b[i] == UInt8(ascii: "<") else { i += 1; continue }
                if startsWith("<!--", at: i) {
                    // `<!-->` and `<!--->` are whole (empty) comments to a browser, and `--!>` also ends one.
                    if startsWith("<!-->", at: i) || startsWith("<!--->", at: i) {
                        report("abruptly closed comment", at: i)
                        i += 5
                        continue
                    }
                    let ends = [find("-->", from: i + 4).map { ($0, 3) }, find("--!>", from: i + 4).map { ($0, 4) }].compactMap { $0 }
                    guard let end = ends.min(by: { $0.0 < $1.0 }) else {
                        report("unterminated comment", at: i)
                        return
                    }
                    if end.1 == 4 { report("comment closed with '--!>'", at: i) }
                    i = end.0 + end.1
                } else if startsWith("<!doctype html>", at: i, ignoringCase: true) {
                    i += 15
                } else if i + 1 < b.count, b[i + 1] == UInt8(ascii: "!") || b[i + 1] == UInt8(ascii: "?") {
                    report("markup declaration or processing instruction", at: i)
                    i += 2
                } else {
                    tag()
                }
            }
        }

        /// One tag starting at `i` (a `<`); leaves `i` after its `>`.
        mutating func tag() {
            let start = i
            var j = i + 1
            let closing = j < b.count && b[j] == UInt8(ascii: "/")
            if closing { j += 1 }
            let nameStart = j
            while j < b.count, !Scanner.isSpace(b[j]), b[j] != UInt8(ascii: ">"), b[j] != UInt8(ascii: "/") { j += 1 }
            let rawName = b[nameStart..<j]
            guard let first = rawName.first, (65...90).contains(first) || (97...122).contains(first) else {
                // The browser would take this `<` as text, but no `<` written by Chancery is: input reached the page.
                report("unescaped '<' in text", at: start)
                i = start + 1
                return
            }
            let name = String(decoding: rawName.map { (65...90).contains($0) ? $0 + 32 : $0 }, as: UTF8.self)
            if name == "script" {
                script(at: start, closing: closing)
                return
            }
            if !allowedTags.contains(name) { report("element <\(name)> is not one Chancery writes", at: start) }
            guard rawName.allSatisfy({ (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) || $0 == UInt8(ascii: "-") }) else {
                report("malformed tag name '\(String(decoding: rawName, as: UTF8.self))'", at: start)
                i = j
                return
            }
            // Attributes.
            var seen: Set<String> = []
            while true {
                while j < b.count, Scanner.isSpace(b[j]) { j += 1 }
                guard j < b.count else {
                    report("unterminated tag", at: start)
                    i = b.count
                    return
                }
                if b[j] == UInt8(ascii: ">") { j += 1; break }
                if b[j] == UInt8(ascii: "/"), j + 1 < b.count, b[j + 1] == UInt8(ascii: ">") { j += 2; break }
                if b[j] == UInt8(ascii: "/") { j += 1; continue }
                let attributeStart = j
                while j < b.count, !Scanner.isSpace(b[j]), b[j] != UInt8(ascii: "="), b[j] != UInt8(ascii: ">"),
                      !(b[j] == UInt8(ascii: "/") && j + 1 < b.count && b[j + 1] == UInt8(ascii: ">")) { j += 1 }
                let rawAttribute = b[attributeStart..<j]
                let attribute = String(decoding: rawAttribute.map { (65...90).contains($0) ? $0 + 32 : $0 }, as: UTF8.self)
                if rawAttribute.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "`") }) {
                    report("malformed attribute name '\(attribute)'", at: attributeStart)
                }
                var k = j
                while k < b.count, Scanner.isSpace(b[k]) { k += 1 }
                var value: [UInt8]? = nil
                if k < b.count, b[k] == UInt8(ascii: "=") {
                    k += 1
                    while k < b.count, Scanner.isSpace(b[k]) { k += 1 }
                    guard k < b.count else {
                        report("unterminated tag", at: start)
                        i = b.count
                        return
                    }
                    if b[k] == UInt8(ascii: "\"") || b[k] == UInt8(ascii: "'") {
                        let quote = b[k]
                        var end = k + 1
                        while end < b.count, b[end] != quote { end += 1 }
                        guard end < b.count else {
                            report("unterminated attribute value", at: attributeStart)
                            i = b.count
                            return
                        }
                        value = Array(b[(k + 1)..<end])
                        if value!.contains(UInt8(ascii: "<")) { report("raw '<' in the value of '\(attribute)'", at: attributeStart) }
                        k = end + 1
                        if k < b.count, !Scanner.isSpace(b[k]), b[k] != UInt8(ascii: ">"), b[k] != UInt8(ascii: "/") {
                            report("attribute '\(attribute)' runs into the next one", at: attributeStart)
                        }
                    } else {
                        var end = k
                        while end < b.count, !Scanner.isSpace(b[end]), b[end] != UInt8(ascii: ">") { end += 1 }
                        value = Array(b[k..<end])
                        if value!.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: "`") }) {
                            report("unquoted value of '\(attribute)' holds a quote, '<', '=' or '`'", at: attributeStart)
                        }
                        k = end
                    }
                    j = k
                }
                if !seen.insert(attribute).inserted { report("attribute '\(attribute)' given twice", at: attributeStart) }
                check(tag: name, attribute: attribute, value: value.map(Scanner.decode) ?? "", at: attributeStart)
            }
            i = j
        }

        /// A `<script>` is accepted only in the form the theme writes it: `<script src="/…/assets/….js" [defer]></script>`.
        mutating func script(at start: Int, closing: Bool) {
            let pattern = Array("<script src=\"".utf8)
            var j = start
            guard !closing, b[j..<min(b.count, j + pattern.count)].elementsEqual(pattern) else {
                report("script element", at: start)
                i = start + 1
                return
            }
            j += pattern.count
            let valueStart = j
            while j < b.count, b[j] != UInt8(ascii: "\"") { j += 1 }
            let source = String(decoding: b[valueStart..<min(j, b.count)], as: UTF8.self)
            let path = source.split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
            var rest = j + 1
            if startsWith(" defer", at: rest) { rest += 6 }
            let themeScript = source.hasPrefix("/") && !source.hasPrefix("//") && path.hasSuffix(".js") && path.contains("/assets/")
                && !source.contains(where: { $0 == "<" || $0 == ">" || $0 == "\n" }) && startsWith("></script>", at: rest)
            guard themeScript else {
                report("script element", at: start)
                i = start + 1
                return
            }
            i = rest + 10
        }

        mutating func check(tag: String, attribute: String, value: String, at offset: Int) {
            if attribute.hasPrefix("on") {
                report("event-handler attribute '\(attribute)'", at: offset)
                return
            }
            switch attribute {
            case "srcdoc", "http-equiv":
                report("attribute '\(attribute)'", at: offset)
            case "style":
                let squeezed = Scanner.squeeze(value)
                if squeezed.contains("url(") || squeezed.contains("expression(") || squeezed.contains("javascript:") || squeezed.contains("@import") {
                    report("style attribute loads or runs something", at: offset)
                }
            case "srcset", "imagesrcset":
                for candidate in value.split(separator: ",") {
                    let url = candidate.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first.map(String.init) ?? ""
                    if let problem = Scanner.urlProblem(url, dataImageAllowed: tag == "img") { report(problem + " in '\(attribute)'", at: offset) }
                }
            default:
                if HTMLSafetyScanner.urlAttributes.contains(attribute),
                   let problem = Scanner.urlProblem(value, dataImageAllowed: tag == "img" && attribute == "src") {
                    report(problem + " in '\(attribute)'", at: offset)
                }
            }
        }

        /// The value lowercased, without the characters browsers skip inside a URL scheme (controls, spaces).
        static func squeeze(_ value: String) -> String {
            String(String.UnicodeScalarView(value.lowercased().unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F }))
        }

        static func urlProblem(_ value: String, dataImageAllowed: Bool) -> String? {
            let url = squeeze(value)
            // A scheme is letters, digits, '+', '-', '.' before the first ':', if no '/', '?' or '#' comes first.
            guard let colon = url.firstIndex(of: ":") else { return nil }
            let scheme = url[..<colon]
            guard let first = scheme.unicodeScalars.first, ("a"..."z").contains(first),
                  scheme.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "+" || $0 == "-" || $0 == "." }) else {
                return nil
            }
            if scheme == "data" {
                let image = ["data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"].contains { url.hasPrefix($0) }
                return dataImageAllowed && image ? nil : "data: URL"
            }
            return HTMLSafetyScanner.dangerousSchemes.contains(String(scheme)) ? "\(scheme): URL" : nil
        }

        static let namedReferences: [String: String] = [
            "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "colon": ":", "tab": "\t", "newline": "\n",
            "lpar": "(", "rpar": ")", "sol": "/", "period": ".", "comma": ",", "num": "#", "quest": "?", "equals": "=",
            "nbsp": "\u{A0}", "semi": ";",
        ]

        /// Decodes character references the way a browser does in an attribute value (numeric ones, and the named ones that matter here).
        static func decode(_ bytes: [UInt8]) -> String {
            var out = ""
            var k = 0
            while k < bytes.count {
                guard bytes[k] == UInt8(ascii: "&") else {
                    var end = k + 1
                    while end < bytes.count, bytes[end] != UInt8(ascii: "&") { end += 1 }
                    out += String(decoding: bytes[k..<end], as: UTF8.self)
                    k = end
                    continue
                }
                var end = k + 1
                if end < bytes.count, bytes[end] == UInt8(ascii: "#") {
                    end += 1
                    let hex = end < bytes.count && (bytes[end] == UInt8(ascii: "x") || bytes[end] == UInt8(ascii: "X"))
                    if hex { end += 1 }
                    let digitsStart = end
                    // Any number of digits, leading zeros included (`&#0000106;` is `j`), as browsers read them.
                    var code: UInt32 = 0
                    while end < bytes.count, hex ? isHexDigit(bytes[end]) : (48...57).contains(bytes[end]) {
                        let digit = UInt32(hex ? (bytes[end] <= 57 ? bytes[end] - 48 : (bytes[end] | 0x20) - 87) : bytes[end] - 48)
                        code = min(0x110000, code * (hex ? 16 : 10) + digit)
                        end += 1
                    }
                    if end > digitsStart {
                        out.unicodeScalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                        if end < bytes.count, bytes[end] == UInt8(ascii: ";") { end += 1 }
                        k = end
                        continue
                    }
                } else {
                    while end < bytes.count, end - k <= 10, (65...90).contains(bytes[end]) || (97...122).contains(bytes[end]) { end += 1 }
                    let name = String(decoding: bytes[(k + 1)..<end], as: UTF8.self).lowercased()
                    if let replacement = namedReferences[name] {
                        out += replacement
                        if end < bytes.count, bytes[end] == UInt8(ascii: ";") { end += 1 }
                        k = end
                        continue
                    }
                }
                out += "&"
                k += 1
            }
            return out
        }

        static func isHexDigit(_ byte: UInt8) -> Bool {
            (48...57).contains(byte) || (65...70).contains(byte) || (97...102).contains(byte)
        }
    }
}
