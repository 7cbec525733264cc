/// How the values a build memo holds are written and read back.
extension ByteWriter {
    mutating func value(_ value: TemplateValue) {
        switch value {
        case .null: int(0)
        case .string(let text): int(1); string(text)
        case .bool(let flag): int(2); bool(flag)
        case .int(let number): int(3); int(number)
        case .double(let number): int(4); uint64(number.bitPattern)
        case .list(let items):
            int(5)
            int(items.count)
            for item in items { self.value(item) }
        case .object(let fields):
            int(6)
            int(fields.count)
            for (key, item) in fields.sorted(by: { $0.key < $1.key }) {
                string(key)
                self.value(item)
            }
        }
    }

    mutating func ref(_ ref: EntityRef) {
        string(ref.kind.rawValue)
        string(ref.id)
    }

    mutating func location(_ location: SourceLocation) {
        string(location.path)
        int(location.line)
        int(location.column)
    }

    mutating func diagnostic(_ diagnostic: Diagnostic) {
        bool(diagnostic.severity == .error)
        location(diagnostic.location)
        string(diagnostic.message)
        strings(diagnostic.notes)
        optionalString(diagnostic.rule)
    }

    mutating func diagnostics(_ list: [Diagnostic]) {
        int(list.count)
        for item in list { diagnostic(item) }
    }

    mutating func page(_ page: PageSpec) {
        switch page.kind {
        case .home: int(0)
        case .chapter(let index): int(1); int(index)
        case .section(let index): int(2); int(index)
        case .entityIndex(let kind): int(3); string(kind.rawValue)
        case .entity(let ref): int(4); self.ref(ref)
        case .search: int(5)
        case .notFound: int(6)
        case .staticPage: int(7)
        }
        string(page.url)
        string(page.file)
        string(page.template)
        string(page.sourcePath)
    }

    mutating func entry(_ entry: InputManifest.Entry) {
        string(entry.path)
        bool(entry.isFolder)
        int(entry.size)
        int(entry.modified)
        int(entry.changed)
        uint64(entry.inode)
        bool(entry.racy)
    }

    mutating func links(_ found: LinkChecker.PageLinks, withIDs: Bool) {
        int(found.index)
        strings(withIDs ? found.ids.sorted() : [])
        int(found.targets.count)
        for target in found.targets { int(Int(target)) }
        // Not the external links: they matter to `chancery check` alone, which does not use the cache.
        diagnostics(found.diagnostics)
        int(found.anchors.count)
        for anchor in found.anchors {
            string(anchor.link)
            int(anchor.target)
            string(anchor.fragment)
        }
    }
}

extension ByteReader {
    mutating func value(depth: Int = 0) throws(Malformed) -> TemplateValue {
        guard depth < 64 else { throw Malformed() }
        switch try int() {
        case 0: return .null
        case 1: return .string(try string())
        case 2: return .bool(try bool())
        case 3: return .int(try int())
        case 4: return .double(Double(bitPattern: try uint64()))
        case 5:
            var items: [TemplateValue] = []
            for _ in 0..<(try count()) { items.append(try value(depth: depth + 1)) }
            return .list(items)
        case 6:
            var fields: [String: TemplateValue] = [:]
            for _ in 0..<(try count()) {
                let key = try string()
                fields[key] = try value(depth: depth + 1)
            }
            return .object(fields)
        default: throw Malformed()
        }
    }

    mutating func entry() throws(Malformed) -> InputManifest.Entry {
        InputManifest.Entry(path: try string(), isFolder: try bool(), size: try int(), modified: try int(), changed: try int(),
                            inode: try uint64(), racy: try bool())
    }

    mutating func ref() throws(Malformed) -> EntityRef {
        guard let kind = EntityKind(rawValue: try string()) else { throw Malformed() }
        return EntityRef(kind, try string())
    }

    mutating func location() throws(Malformed) -> SourceLocation {
        SourceLocation(path: try string(), line: try int(), column: try int())
    }

    mutating func diagnostic() throws(Malformed) -> Diagnostic {
        let severity: Diagnostic.Severity = try bool() ? .error : .warning
        var diagnostic = Diagnostic(severity, try location(), try string(), notes: try strings())
        diagnostic.rule = try optionalString()
        return diagnostic
    }

    mutating func diagnostics() throws(Malformed) -> [Diagnostic] {
        var list: [Diagnostic] = []
        for _ in 0..<(try count()) { list.append(try diagnostic()) }
        return list
    }

    mutating func page() throws(Malformed) -> PageSpec {
        let kind: PageSpec.Kind
        switch try int() {
        case 0: kind = .home
        case 1: kind = .chapter(try count())
        case 2: kind = .section(try count())
        case 3:
            guard let entityKind = EntityKind(rawValue: try string()) else { throw Malformed() }
            kind = .entityIndex(entityKind)
        case 4: kind = .entity(try ref())
        case 5: kind = .search
        case 6: kind = .notFound
        case 7: kind = .staticPage
        default: throw Malformed()
        }
        return PageSpec(kind: kind, url: try string(), file: try string(), template: try string(), sourcePath: try string())
    }

    /// A page's link findings; its targets must be pages of a list of `pages`.
    mutating func links(pages: Int) throws(Malformed) -> LinkChecker.PageLinks {
        var found = LinkChecker.PageLinks(index: try count(max: pages - 1), ids: Set(try strings()))
        for _ in 0..<(try count()) { found.targets.append(Int32(try count(max: pages - 1))) }
        found.diagnostics = try diagnostics()
        for _ in 0..<(try count()) { found.anchors.append((try string(), try count(max: pages - 1), try string())) }
        return found
    }

    mutating func shell() throws(Malformed) -> SectionPageShell {
        let context = try value()
        let severity: Diagnostic.Severity? = switch try int() {
        case 0: nil
        case 1: .warning
        case 2: .error
        default: throw Malformed()
        }
        var listed: [EntityRef: String] = [:]
        for _ in 0..<(try count()) {
            let ref = try ref()
            listed[ref] = try string()
        }
        var unnamed: [(ref: EntityRef, location: SourceLocation)] = []
        for _ in 0..<(try count()) { unnamed.append((try ref(), try location())) }
        var trailingTOC: [TemplateValue] = []
        for _ in 0..<(try count()) { trailingTOC.append(try value()) }
        let autoLink = try bool()
        return SectionPageShell(context: context, listed: listed, unnamed: unnamed, unnamedSeverity: severity, trailingTOC: trailingTOC, autoLink: autoLink)
    }
}
