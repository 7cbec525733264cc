/// A set of entity references that stays a short array while small: a section lists and mentions a
/// handful, and comparing those costs less than hashing each mention. Past 16 it hashes, so a
/// hostile body naming thousands of entities stays linear.
struct RefSet {
    private var small: [EntityRef] = []
    private var large: Set<EntityRef>?

    init(_ refs: some Sequence<EntityRef> = []) {
        for ref in refs { insert(ref) }
    }

    func contains(_ ref: EntityRef) -> Bool {
        large?.contains(ref) ?? small.contains(ref)
    }

    /// Whether `ref` was not there before.
    @discardableResult
    mutating func insert(_ ref: EntityRef) -> Bool {
        if large != nil { return large!.insert(ref).inserted }
        if small.contains(ref) { return false }
        small.append(ref)
        if small.count > 16 { large = Set(small) }
        return true
    }
}
