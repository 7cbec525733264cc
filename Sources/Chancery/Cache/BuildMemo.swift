/// What a build remembers for the next one, kept in `.chancery-cache/` in the site folder: enough to
/// bring the output up to date after edits to the text of sections without loading the rest of the site.
///
/// It holds the inputs as they were on disk, what the Markdown renderer and the link checker need of
/// the whole site, and every page's diagnostics and links, so the warm build reports what a cold one
/// would. Each section page's data but for its body (`SectionPageShell`) lies in a file of its own,
/// written by cold builds only and read a shell at a time.
struct BuildMemo {
    /// The first bytes of a memo file; a file of another format version is not read further.
    static let magic = Array("chancery-build-memo 2\n".utf8)

    /// Chancery's identity, the options and the templates: a memo made under another key is not used.
    var key: String
    /// The output folder's device and inode after the build: a memo of an output since replaced is not used.
    var outputDevice: UInt64
    var outputInode: UInt64
    var inputs: InputManifest
    /// Every name the text may mention an entity by.
    var names: [(String, EntityRef)]
    var basePath: String
    var allowRawHTML: Bool
    /// What every page's template sees under `site`.
    var siteContext: TemplateValue
    /// The link checker's pages (the site's, then HTML files from `static/`) and every output file.
    var checkerPages: [PageSpec]
    var files: [String]
    /// The build's diagnostics but the link check's, each page's once, in display order.
    var contentDiagnostics: [Diagnostic]
    /// Whether `contentDiagnostics` differ from the memo file's (a delta then carries them whole).
    var contentChanged = false
    /// The diagnostics before rendering, then each page's, encoded: decoded only when a page's change.
    private var diagnosticBytes: [UInt8]
    /// Where in `diagnosticBytes`: the site's first, then each page's.
    private var diagnosticRanges: [Range<Int>]
    /// Pages' diagnostics since the memo file was written.
    private var pageOverrides: [Int: [Diagnostic]] = [:]
    /// What the link checker found on each of `checkerPages`; the ids of a page only where `idsKnown` says so.
    var links: [LinkChecker.PageLinks]
    /// Whether the memo keeps a page's ids: only for pages other pages link into with a fragment, the
    /// only ids the link check looks up on pages it does not render.
    var idsKnown: [Bool]
    /// By the section's path in the site folder.
    var sections: [String: SectionEntry]
    var pageCount: Int
    var bytes: Int

    /// The checksum that ends the memo file, which a delta names; what the memo file held of the inputs;
    /// and the pages rendered since it was written (see `encodedDelta`).
    var baseHash: UInt64 = 0
    var baseInputs: InputManifest
    var dirtyPages: Set<Int> = []

    struct SectionEntry {
        /// The section's page in `checkerPages`.
        var page: Int
        var chapter: String
        var head: Fingerprint
        /// The size of the page as written.
        var size: Int
        /// Where the section's shell lies in the shells file, and the hash of its bytes.
        var shell: Range<Int>
        var shellHash: UInt64
    }

    /// A section's shell from the bytes the shells file holds for it; throws when they are not what the memo recorded.
    func shell(_ entry: SectionEntry, from bytes: [UInt8]) throws(ByteReader.Malformed) -> SectionPageShell {
        guard bytes.count == entry.shell.count, Fingerprint.checksum(bytes[...]) == entry.shellHash else { throw ByteReader.Malformed() }
        var reader = ByteReader(bytes)
        var shell = try reader.shell()
        guard case .object(var fields) = shell.context else { throw ByteReader.Malformed() }
        fields["site"] = siteContext
        shell.context = .object(fields)
        return shell
    }

    /// The diagnostics rendering page `page` gave.
    func pageDiagnostics(_ page: Int) throws(ByteReader.Malformed) -> [Diagnostic] {
        if let list = pageOverrides[page] { return list }
        var reader = ByteReader(diagnosticBytes, from: diagnosticRanges[page + 1].lowerBound, to: diagnosticRanges[page + 1].upperBound)
        return try reader.diagnostics()
    }

    mutating func setPageDiagnostics(_ page: Int, _ list: [Diagnostic]) {
        pageOverrides[page] = list
    }

    /// `contentDiagnostics` worked out again from the site's diagnostics and every page's, as a cold build gathers them.
    func gatheredDiagnostics() throws(ByteReader.Malformed) -> [Diagnostic] {
        var reader = ByteReader(diagnosticBytes, from: diagnosticRanges[0].lowerBound, to: diagnosticRanges[0].upperBound)
        let site = try reader.diagnostics()
        var pages: [[Diagnostic]] = []
        for page in 0..<pageCount { pages.append(try pageDiagnostics(page)) }
        return Diagnostic.gathered(site, pages).sortedForDisplay()
    }

    /// Writes a shell without the site's part of its data, which every page shares and the memo keeps once.
    static func encode(_ shell: SectionPageShell, into writer: inout ByteWriter) {
        var context = shell.context
        if case .object(var fields) = context {
            fields["site"] = nil
            context = .object(fields)
        }
        writer.value(context)
        writer.int(shell.unnamedSeverity == nil ? 0 : shell.unnamedSeverity == .warning ? 1 : 2)
        let listed = shell.listed.sorted { $0.key < $1.key }
        writer.int(listed.count)
        for (ref, url) in listed {
            writer.ref(ref)
            writer.string(url)
        }
        writer.int(shell.unnamed.count)
        for (ref, location) in shell.unnamed {
            writer.ref(ref)
            writer.location(location)
        }
        writer.int(shell.trailingTOC.count)
        for entry in shell.trailingTOC { writer.value(entry) }
        writer.bool(shell.autoLink)
    }

    /// The memo as a file's bytes: the magic, the fields, then a hash of everything before it.
    func encoded() -> [UInt8] {
        var writer = ByteWriter(capacity: 1 << 24)
        writer.raw(BuildMemo.magic)
        writer.string(key)
        writer.uint64(outputDevice)
        writer.uint64(outputInode)
        writer.int(inputs.entries.count)
        for entry in inputs.entries { writer.entry(entry) }
        writer.int(names.count)
        for (name, ref) in names {
            writer.string(name)
            writer.ref(ref)
        }
        writer.string(basePath)
        writer.bool(allowRawHTML)
        writer.value(siteContext)
        writer.int(checkerPages.count)
        for page in checkerPages { writer.page(page) }
        writer.strings(files)
        writer.diagnostics(contentDiagnostics)
        writer.int(diagnosticRanges.count)
        for range in diagnosticRanges { writer.int(range.count) }
        writer.raw(diagnosticBytes)
        writer.int(links.count)
        for (found, withIDs) in zip(links, idsKnown) {
            writer.bool(withIDs)
            writer.links(found, withIDs: withIDs)
        }
        writer.int(sections.count)
        for (path, entry) in sections.sorted(by: { $0.key < $1.key }) {
            writer.string(path)
            writer.int(entry.page)
            writer.string(entry.chapter)
            writer.uint64(entry.head.value)
            writer.int(entry.size)
            writer.int(entry.shell.lowerBound)
            writer.int(entry.shell.upperBound)
            writer.uint64(entry.shellHash)
        }
        writer.int(pageCount)
        writer.int(bytes)
        writer.appendChecksum()
        return writer.bytes
    }

    /// The first bytes of a delta file.
    static let deltaMagic = Array("chancery-build-delta 2\n".utf8)

    /// What changed since the memo file was written, as a delta file's bytes: the inputs that differ,
    /// and the findings of the pages and the sizes of the sections rendered since. Warm builds write
    /// this instead of the whole memo; it names the memo file it applies to by its hash.
    func encodedDelta() -> [UInt8] {
        var writer = ByteWriter(capacity: 1 << 16)
        writer.raw(BuildMemo.deltaMagic)
        writer.uint64(baseHash)
        let changed = inputs.entries.indices.filter { inputs.entries[$0] != baseInputs.entries[$0] }
        writer.int(changed.count)
        for index in changed {
            writer.int(index)
            writer.entry(inputs.entries[index])
        }
        writer.int(dirtyPages.count)
        for page in dirtyPages.sorted() {
            writer.int(page)
            writer.bool(idsKnown[page])
            writer.links(links[page], withIDs: idsKnown[page])
            writer.diagnostics(page < pageCount ? (try? pageDiagnostics(page)) ?? [] : [])
        }
        writer.bool(contentChanged)
        if contentChanged { writer.diagnostics(contentDiagnostics) }
        let dirtySections = sections.filter { dirtyPages.contains($0.value.page) }.sorted { $0.key < $1.key }
        writer.int(dirtySections.count)
        for (path, entry) in dirtySections {
            writer.string(path)
            writer.int(entry.size)
        }
        writer.int(bytes)
        writer.appendChecksum()
        return writer.bytes
    }

    /// Applies a delta file's bytes; throws, changing nothing, when they are damaged or belong to another memo file.
    mutating func apply(delta bytes: [UInt8]) throws(ByteReader.Malformed) {
        var (reader, _) = try ByteReader.checked(bytes, magic: BuildMemo.deltaMagic)
        guard try reader.uint64() == baseHash else { throw ByteReader.Malformed() }
        var next = self
        for _ in 0..<(try reader.count()) {
            let index = try reader.count(max: inputs.entries.count - 1)
            next.inputs.entries[index] = try reader.entry()
        }
        for _ in 0..<(try reader.count()) {
            let page = try reader.count(max: links.count - 1)
            next.idsKnown[page] = try reader.bool()
            next.links[page] = try reader.links(pages: checkerPages.count)
            let diagnostics = try reader.diagnostics()
            if page < pageCount { next.setPageDiagnostics(page, diagnostics) }
            next.dirtyPages.insert(page)
        }
        if try reader.bool() {
            next.contentDiagnostics = try reader.diagnostics()
            next.contentChanged = true
        }
        for _ in 0..<(try reader.count()) {
            let path = try reader.string()
            guard next.sections[path] != nil else { throw ByteReader.Malformed() }
            next.sections[path]?.size = try reader.count()
        }
        next.bytes = try reader.count(max: Int.max)
        guard reader.isAtEnd else { throw ByteReader.Malformed() }
        self = next
    }

    /// Reads a memo file's bytes, throwing when they are not one whole memo.
    init(decoding bytes: [UInt8]) throws(ByteReader.Malformed) {
        var (reader, hash) = try ByteReader.checked(bytes, magic: BuildMemo.magic)
        key = try reader.string()
        outputDevice = try reader.uint64()
        outputInode = try reader.uint64()
        var entries: [InputManifest.Entry] = []
        for _ in 0..<(try reader.count()) { entries.append(try reader.entry()) }
        inputs = InputManifest(entries: entries)
        baseInputs = inputs
        names = []
        for _ in 0..<(try reader.count()) { names.append((try reader.string(), try reader.ref())) }
        basePath = try reader.string()
        allowRawHTML = try reader.bool()
        siteContext = try reader.value()
        checkerPages = []
        for _ in 0..<(try reader.count()) { checkerPages.append(try reader.page()) }
        files = try reader.strings()
        contentDiagnostics = try reader.diagnostics()
        diagnosticRanges = []
        var end = 0
        for _ in 0..<(try reader.count()) {
            let count = try reader.count()
            diagnosticRanges.append(end..<end + count)
            end += count
        }
        diagnosticBytes = Array(try reader.raw(end))
        links = []
        idsKnown = []
        for _ in 0..<(try reader.count()) {
            idsKnown.append(try reader.bool())
            links.append(try reader.links(pages: checkerPages.count))
        }
        sections = [:]
        for _ in 0..<(try reader.count()) {
            let path = try reader.string()
            let page = try reader.count(max: checkerPages.count - 1), chapter = try reader.string()
            var head = Fingerprint()
            head.value = try reader.uint64()
            let size = try reader.count(), lower = try reader.count(max: Int.max), upper = try reader.count(max: Int.max)
            guard lower <= upper else { throw ByteReader.Malformed() }
            sections[path] = SectionEntry(page: page, chapter: chapter, head: head, size: size, shell: lower..<upper, shellHash: try reader.uint64())
        }
        pageCount = try reader.count()
        self.bytes = try reader.count(max: Int.max)
        guard reader.isAtEnd, links.count == checkerPages.count, diagnosticRanges.count == pageCount + 1, pageCount <= checkerPages.count,
              sections.values.allSatisfy({ $0.page < pageCount }) else { throw ByteReader.Malformed() }
        baseHash = hash
    }

    init(key: String, outputDevice: UInt64, outputInode: UInt64, inputs: InputManifest, names: [(String, EntityRef)], basePath: String,
         allowRawHTML: Bool, siteContext: TemplateValue, checkerPages: [PageSpec], files: [String], siteDiagnostics: [Diagnostic], pageDiagnostics: [[Diagnostic]], contentDiagnostics: [Diagnostic],
         links: [LinkChecker.PageLinks], sections: [String: SectionEntry], pageCount: Int, bytes: Int) {
        var anchored = [Bool](repeating: false, count: links.count)
        for found in links { for anchor in found.anchors where anchor.target < anchored.count { anchored[anchor.target] = true } }
        self.idsKnown = anchored
        self.baseInputs = inputs
        self.key = key
        self.outputDevice = outputDevice
        self.outputInode = outputInode
        self.inputs = inputs
        self.names = names
        self.basePath = basePath
        self.allowRawHTML = allowRawHTML
        self.siteContext = siteContext
        self.checkerPages = checkerPages
        self.files = files
        self.contentDiagnostics = contentDiagnostics
        var writer = ByteWriter()
        var ranges: [Range<Int>] = []
        for list in [siteDiagnostics] + pageDiagnostics {
            let start = writer.bytes.count
            writer.diagnostics(list)
            ranges.append(start..<writer.bytes.count)
        }
        self.diagnosticBytes = writer.bytes
        self.diagnosticRanges = ranges
        self.links = links
        self.sections = sections
        self.pageCount = pageCount
        self.bytes = bytes
    }
}
