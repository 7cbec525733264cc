import CCmark
import Foundation

/// Renders a Markdown body to HTML with libcmark's parser and a writer of our own over its node tree.
///
/// Our writer (rather than `cmark_render_html`) gives headings stable ids, turns `[^label]`
/// into footnotes linked both ways, links the first mention of each listed entity, rewrites
/// root-relative links under the site's base path, and reports raw HTML and unsafe links as
/// warnings in safe mode. The tree is walked with cmark's iterator, not recursion, so deeply
/// nested input cannot exhaust the stack. No cmark pointer leaves this file.
public struct MarkdownRenderer: Sendable {
    public struct Options: Sendable {
        public var allowRawHTML: Bool
        /// Prefix for root-relative links (`/chapter-2/` → `/bluebook/chapter-2/`), ending in `/`.
        public var basePath: String
        /// Ids the page template uses itself, which headings must not take.
        public var reservedIDs: Set<String>

        public init(allowRawHTML: Bool = false, basePath: String = "/", reservedIDs: Set<String> = []) {
            self.allowRawHTML = allowRawHTML
            self.basePath = basePath
            self.reservedIDs = reservedIDs
        }
    }

    /// The entities a body may mention: which are listed (and so linked) and where their pages are.
    public struct Mentions: Sendable {
        public var matcher: MentionMatcher
        public var listed: Set<EntityRef>
        public var urls: [EntityRef: String]
        /// Whether listed mentions become links (site option `auto_link`); unlisted ones are reported either way.
        public var link: Bool

        public init(matcher: MentionMatcher, listed: Set<EntityRef>, urls: [EntityRef: String], link: Bool) {
            self.matcher = matcher
            self.listed = listed
            self.urls = urls
            self.link = link
        }
    }

    public struct Heading: Sendable, Hashable {
        public var level: Int
        public var id: String
        public var text: String
    }

    public struct Footnote: Sendable, Hashable {
        /// The number shown: the label if it is a number (the Bluebook numbers notes across the report), else the order of first use.
        public var number: String
        public var id: String
        public var referenceID: String
        public var html: String
    }

    public struct Output: Sendable {
        /// The body without its notes (a section page lists them in a place of its own).
        public var html: String

        /// The body followed by its notes, for pages whose template has no place for them (introductions, descriptions).
        public var htmlWithFootnotes: String {
            guard !footnotes.isEmpty else { return html }
            return html + "<aside class=\"footnotes\" aria-label=\"Notes\">\n<ol>\n"
                + footnotes.map { "<li id=\"\($0.id)\" value=\"\($0.number)\">\($0.html)</li>\n" }.joined() + "</ol>\n</aside>\n"
        }

        public var headings: [Heading]
        public var footnotes: [Footnote]
        /// Entities linked in the text, in order of first link.
        public var linked: [EntityRef]
        /// Listed entities whose name or alias occurs anywhere in the text (headings, links and notes included), in order of first occurrence.
        public var named: [EntityRef]
        public var diagnostics: [Diagnostic]
    }

    public var options: Options

    public init(options: Options) {
        self.options = options
    }

    public func render(_ source: MarkdownSource, mentions: Mentions? = nil) -> Output {
        let extracted = FootnoteExtractor(source.text)
        var writer = TreeWriter(options: options, source: source, mentions: mentions)
        var definitions: [String: FootnoteExtractor.Definition] = [:]
        for definition in extracted.definitions {
            if definitions[definition.label] != nil {
                writer.diagnostics.append(.error(writer.location(line: definition.line, column: 1),
                                                 "footnote [^\(definition.label)] is defined twice"))
            } else {
                definitions[definition.label] = definition
            }
        }
        writer.knownFootnotes = Set(definitions.keys)
        writer.write(markdown: extracted.body, firstLine: 1)
        let body = writer.out
        var footnotes: [Footnote] = []
        for (order, label) in writer.footnoteOrder.enumerated() {
            let definition = definitions[label]!
            writer.out = HTMLBuffer()
            writer.inFootnote = true
            writer.write(markdown: definition.text, firstLine: definition.line)
            let number = label.allSatisfy(\.isASCIIDigit) ? label : String(order + 1)
            let back = "<a class=\"footnote-back\" href=\"#fnref-\(label)\" aria-label=\"Back to the text of note \(number)\">\u{21A9}\u{FE0E}</a>"
            var html = writer.out.string
            if html.hasSuffix("</p>\n") {
                html = String(html.dropLast(5)) + " " + back + "</p>\n"
            } else {
                html += back
            }
            footnotes.append(Footnote(number: number, id: "fn-\(label)", referenceID: "fnref-\(label)", html: html))
        }
        for definition in extracted.definitions where !writer.footnoteOrder.contains(definition.label) {
            writer.diagnostics.append(.warning(writer.location(line: definition.line, column: 1),
                                               "footnote [^\(definition.label)] is never referenced in the text"))
        }
        return Output(html: body.string, headings: writer.headings, footnotes: footnotes,
                      linked: writer.linkedOrder, named: writer.namedOrder, diagnostics: writer.diagnostics)
    }
}

/// The walk over one cmark tree, writing HTML; state is shared across the body and its footnotes.
private struct TreeWriter {
    let options: MarkdownRenderer.Options
    let source: MarkdownSource
    let mentions: MarkdownRenderer.Mentions?
    var out = HTMLBuffer()
    var headings: [MarkdownRenderer.Heading] = []
    var slugger: HeadingSlugger
    var diagnostics: [Diagnostic] = []
    var knownFootnotes: Set<String> = []
    var footnoteOrder: [String] = []
    let listed: RefSet
    var linked = RefSet()
    var linkedOrder: [EntityRef] = []
    var reported = RefSet()
    var named = RefSet()
    var namedOrder: [EntityRef] = []
    var inFootnote = false
    private var lineStarts: [Int]?
    private lazy var sourceBytes: [UInt8] = Array(source.text.utf8)

    // Per-document state.
    private var firstLine = 1
    private var headingShift = 0
    /// The level of the heading before, so that none skips a level (a `###` straight after a `#` becomes `h3`, not `h4`).
    private var previousLevel = 1
    private var blockLine = 1
    private var linkDepth = 0
    private var headingDepth = 0
    /// For each open link: whether its `<a>` was written (unsafe links are dropped, their text kept).
    private var linkWritten: [Bool] = []

    init(options: MarkdownRenderer.Options, source: MarkdownSource, mentions: MarkdownRenderer.Mentions?) {
        self.options = options
        self.source = source
        self.mentions = mentions
        self.listed = RefSet(mentions?.listed ?? [])
        self.slugger = HeadingSlugger(reserved: options.reservedIDs)
    }

    func location(line: Int, column: Int) -> SourceLocation {
        SourceLocation(path: source.path, line: source.firstLine + line - 1, column: column)
    }

    mutating func write(markdown: String, firstLine: Int) {
        self.firstLine = firstLine
        var cmarkOptions = CMARK_OPT_SMART
        if options.allowRawHTML { cmarkOptions |= CMARK_OPT_UNSAFE }
        let utf8 = Array(markdown.utf8)
        guard let root = utf8.withUnsafeBufferPointer({ buffer in
            buffer.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    cmark_parse_document($0, buffer.count, cmarkOptions)
                }
            } ?? cmark_parse_document("", 0, cmarkOptions)
        }) else { return }
        defer { cmark_node_free(root) }
        headingShift = 0
        // The body sits below the page's `h1`; a footnote below the "Notes" `h2`.
        previousLevel = inFootnote ? 2 : 1
        var child = cmark_node_first_child(root)
        while let node = child {
            if cmark_node_get_type(node) == CMARK_NODE_HEADING && cmark_node_get_heading_level(node) == 1 { headingShift = 1 }
            child = cmark_node_next(node)
        }
        walk(root)
    }

    private mutating func walk(_ root: OpaquePointer) {
        guard let iterator = cmark_iter_new(root) else { return }
        defer { cmark_iter_free(iterator) }
        var skipUntilExitOf: OpaquePointer?
        var skipTextThrough: OpaquePointer?
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard let node = cmark_iter_get_node(iterator) else { continue }
            if let skipping = skipUntilExitOf {
                if node == skipping && event == CMARK_EVENT_EXIT { skipUntilExitOf = nil }
                continue
            }
            if let last = skipTextThrough {
                if node == last { skipTextThrough = nil }
                continue
            }
            let entering = event == CMARK_EVENT_ENTER
            let type = cmark_node_get_type(node)
            if entering {
                let line = Int(cmark_node_get_start_line(node))
                if line > 0 && type.rawValue <= CMARK_NODE_LAST_BLOCK.rawValue { blockLine = line }
            }
            switch type {
            case CMARK_NODE_DOCUMENT:
                break
            case CMARK_NODE_PARAGRAPH:
                if !isTight(node) { out.raw(entering ? "<p>" : "</p>\n") }
            case CMARK_NODE_HEADING:
                if entering {
                    let level = min(6, max(2, Int(cmark_node_get_heading_level(node)) + headingShift), previousLevel + 1)
                    previousLevel = level
                    let text = plainText(node)
                    let id = slugger.slug(for: text)
                    if !inFootnote { headings.append(.init(level: level, id: id, text: text)) }
                    out.raw("<h\(level) id=\"")
                    out.escaped(id)
                    out.raw("\">")
                    headingDepth += 1
                } else {
                    out.raw("</h\(previousLevel)>\n")
                    headingDepth -= 1
                }
            case CMARK_NODE_BLOCK_QUOTE:
                out.raw(entering ? "<blockquote>\n" : "</blockquote>\n")
            case CMARK_NODE_LIST:
                let ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST
                if entering {
                    if ordered {
                        let start = cmark_node_get_list_start(node)
                        out.raw(start == 1 ? "<ol>\n" : "<ol start=\"\(start)\">\n")
                    } else {
                        out.raw("<ul>\n")
                    }
                } else {
                    out.raw(ordered ? "</ol>\n" : "</ul>\n")
                }
            case CMARK_NODE_ITEM:
                out.raw(entering ? "<li>" : "</li>\n")
            case CMARK_NODE_CODE_BLOCK:
                let info = string(cmark_node_get_fence_info(node)).split(separator: " ").first.map(String.init) ?? ""
                out.raw(info.isEmpty ? "<pre><code>" : "<pre><code class=\"language-")
                if !info.isEmpty {
                    out.escaped(info)
                    out.raw("\">")
                }
                out.escaped(string(cmark_node_get_literal(node)))
                out.raw("</code></pre>\n")
            case CMARK_NODE_HTML_BLOCK, CMARK_NODE_HTML_INLINE:
                let literal = string(cmark_node_get_literal(node))
                if options.allowRawHTML {
                    out.raw(literal)
                } else if !isComment(literal) {
                    diagnostics.append(.warning(location(line: blockLine, column: 1), "raw HTML removed: \(preview(literal))",
                                                notes: ["raw HTML is off for safety; write Markdown, or set 'options: {raw_html: true}' in site.yaml"]))
                }
            case CMARK_NODE_THEMATIC_BREAK:
                out.raw("<hr>\n")
            case CMARK_NODE_TEXT:
                var text: [UInt8] = []
                appendBytes(cmark_node_get_literal(node), to: &text)
                var next = cmark_node_next(node)
                while let sibling = next, cmark_node_get_type(sibling) == CMARK_NODE_TEXT {
                    appendBytes(cmark_node_get_literal(sibling), to: &text)
                    skipTextThrough = sibling
                    next = cmark_node_next(sibling)
                }
                writeText(text)
            case CMARK_NODE_SOFTBREAK:
                out.raw("\n")
            case CMARK_NODE_LINEBREAK:
                out.raw("<br>\n")
            case CMARK_NODE_CODE:
                out.raw("<code>")
                out.escaped(string(cmark_node_get_literal(node)))
                out.raw("</code>")
            case CMARK_NODE_EMPH:
                out.raw(entering ? "<em>" : "</em>")
            case CMARK_NODE_STRONG:
                out.raw(entering ? "<strong>" : "</strong>")
            case CMARK_NODE_LINK:
                if entering {
                    let url = string(cmark_node_get_url(node))
                    let safe = options.allowRawHTML || !URLSafety.isDangerous(url)
                    if safe {
                        out.raw("<a href=\"")
                        out.escaped(URLSafety.encode(resolve(url)))
                        out.raw("\"")
                        writeTitle(node)
                        out.raw(">")
                    } else {
                        diagnostics.append(.warning(location(line: blockLine, column: 1), "unsafe link removed: \(preview(url))",
                                                    notes: ["links to javascript:, vbscript:, file: and data: URLs are dropped; the link text is kept"]))
                    }
                    linkWritten.append(safe)
                    linkDepth += 1
                } else {
                    if linkWritten.removeLast() { out.raw("</a>") }
                    linkDepth -= 1
                }
            case CMARK_NODE_IMAGE:
                guard entering else { break }
                let url = string(cmark_node_get_url(node))
                if options.allowRawHTML || !URLSafety.isDangerous(url, image: true) {
                    out.raw("<img src=\"")
                    out.escaped(URLSafety.encode(resolve(url)))
                    out.raw("\" alt=\"")
                    out.escaped(plainText(node))
                    out.raw("\"")
                    writeTitle(node)
                    out.raw(">")
                } else {
                    diagnostics.append(.warning(location(line: blockLine, column: 1), "unsafe image source removed: \(preview(url))"))
                }
                skipUntilExitOf = node
            default:
                break
            }
        }
    }

    private func isTight(_ paragraph: OpaquePointer) -> Bool {
        guard let item = cmark_node_parent(paragraph), cmark_node_get_type(item) == CMARK_NODE_ITEM,
              let list = cmark_node_parent(item) else { return false }
        return cmark_node_get_list_tight(list) == 1
    }

    private mutating func writeTitle(_ node: OpaquePointer) {
        let title = string(cmark_node_get_title(node))
        guard !title.isEmpty else { return }
        out.raw(" title=\"")
        out.escaped(title)
        out.raw("\"")
    }

    /// Root-relative links live under the base path; everything else is left as written.
    private func resolve(_ url: String) -> String {
        guard url.hasPrefix("/"), !url.hasPrefix("//") else { return url }
        return options.basePath + url.dropFirst()
    }

    /// The text content of a node's subtree: what a heading id or an image's alt text is made of.
    private func plainText(_ node: OpaquePointer) -> String {
        guard let iterator = cmark_iter_new(node) else { return "" }
        defer { cmark_iter_free(iterator) }
        var text = ""
        while cmark_iter_next(iterator) != CMARK_EVENT_DONE {
            guard let inner = cmark_iter_get_node(iterator), cmark_iter_get_event_type(iterator) == CMARK_EVENT_ENTER else { continue }
            switch cmark_node_get_type(inner) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE: text += string(cmark_node_get_literal(inner))
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK: text += " "
            default: break
            }
        }
        return text
    }

    /// Writes a run of text: footnote references become superscript links, entity names become links.
    private mutating func writeText(_ text: [UInt8]) {
        var segmentStart = 0
        var i = 0
        if linkDepth == 0 {
            while i + 3 < text.count {
                guard text[i] == UInt8(ascii: "["), text[i + 1] == UInt8(ascii: "^") else { i += 1; continue }
                var j = i + 2
                while j < text.count, FootnoteExtractor.isLabelByte(text[j]) { j += 1 }
                guard j > i + 2, j < text.count, text[j] == UInt8(ascii: "]") else { i += 1; continue }
                let label = String(decoding: text[(i + 2)..<j], as: UTF8.self)
                writeMentions(text, segmentStart..<i)
                writeFootnoteReference(label, raw: Array(text[i...j]))
                i = j + 1
                segmentStart = i
            }
        }
        writeMentions(text, segmentStart..<text.count)
    }

    private mutating func writeFootnoteReference(_ label: String, raw: [UInt8]) {
        guard knownFootnotes.contains(label), !inFootnote else {
            if !inFootnote {
                diagnostics.append(.error(locate(raw), "footnote [^\(label)] has no definition",
                                          notes: ["add a paragraph '[^\(label)]: …' at the end of the text"]))
            }
            out.escaped(bytes: raw)
            return
        }
        let first = !footnoteOrder.contains(label)
        if first { footnoteOrder.append(label) }
        let number = label.allSatisfy(\.isASCIIDigit) ? label : String((footnoteOrder.firstIndex(of: label) ?? 0) + 1)
        out.raw("<sup class=\"footnote-ref\"")
        if first {
            out.raw(" id=\"fnref-")
            out.escaped(label)
            out.raw("\"")
        }
        out.raw("><a href=\"#fn-")
        out.escaped(label)
        out.raw("\" aria-label=\"Note ")
        out.escaped(number)
        out.raw("\">")
        out.escaped(number)
        out.raw("</a></sup>")
    }

    private mutating func writeMentions(_ text: [UInt8], _ range: Range<Int>) {
        guard !range.isEmpty else { return }
        guard let mentions, !mentions.matcher.isEmpty else {
            out.escaped(bytes: text[range])
            return
        }
        var position = range.lowerBound
        for match in mentions.matcher.matches(in: text, range: range) {
            let ref = match.ref
            guard listed.contains(ref) else {
                if reported.insert(ref) {
                    let name = String(decoding: text[match.range], as: UTF8.self)
                    diagnostics.append(.warning(locate(Array(text[match.range])), "'\(name)' names \(ref) but the section does not list '\(ref.id)' in '\(ref.kind.plural)'",
                                                notes: ["add '\(ref.id)' to the front matter's '\(ref.kind.plural)' so the index pages are complete"]))
                }
                continue
            }
            if named.insert(ref) { namedOrder.append(ref) }
            guard mentions.link, linkDepth == 0, headingDepth == 0, !linked.contains(ref), let url = mentions.urls[ref] else { continue }
            out.escaped(bytes: text[position..<match.range.lowerBound])
            out.raw("<a class=\"mention\" href=\"")
            out.escaped(url)
            out.raw("\">")
            out.escaped(bytes: text[match.range])
            out.raw("</a>")
            position = match.range.upperBound
            linked.insert(ref)
            linkedOrder.append(ref)
        }
        out.escaped(bytes: text[position..<range.upperBound])
    }

    /// The file position of `needle` at or after the current block's line, else the block's start.
    private mutating func locate(_ needle: [UInt8]) -> SourceLocation {
        if lineStarts == nil {
            var starts = [0]
            for (offset, byte) in sourceBytes.enumerated() where byte == 0x0A { starts.append(offset + 1) }
            lineStarts = starts
        }
        let starts = lineStarts!
        let first = firstLine + blockLine - 2
        guard first >= 0, first < starts.count, !needle.isEmpty else {
            return SourceLocation(path: source.path, line: source.firstLine + max(0, first), column: 1)
        }
        let limit = min(sourceBytes.count, first + 200 < starts.count ? starts[first + 200] : sourceBytes.count)
        var offset = starts[first]
        while offset + needle.count <= limit {
            if sourceBytes[offset] == needle[0], sourceBytes[offset..<(offset + needle.count)].elementsEqual(needle) {
                var line = first
                while line + 1 < starts.count, starts[line + 1] <= offset { line += 1 }
                let column = sourceBytes[starts[line]..<offset].reduce(1) { $0 + (($1 & 0xC0) == 0x80 ? 0 : 1) }
                return SourceLocation(path: source.path, line: source.firstLine + line, column: column)
            }
            offset += 1
        }
        return SourceLocation(path: source.path, line: source.firstLine + first, column: 1)
    }

    private func isComment(_ html: String) -> Bool {
        let trimmed = html.trimmingWhitespace()
        return trimmed.hasPrefix("<!--") && trimmed.hasSuffix("-->")
    }

    private func preview(_ text: String) -> String {
        let line = text.trimmingWhitespace().split(separator: "\n").first.map(String.init) ?? ""
        return line.count > 60 ? String(line.prefix(60)) + "…" : line
    }

    private func string(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    /// Appends a node's text as bytes, without making a `String` of it first.
    private func appendBytes(_ pointer: UnsafePointer<CChar>?, to bytes: inout [UInt8]) {
        guard let pointer else { return }
        pointer.withMemoryRebound(to: UInt8.self, capacity: 1) { start in
            bytes.append(contentsOf: UnsafeBufferPointer(start: start, count: strlen(pointer)))
        }
    }
}
