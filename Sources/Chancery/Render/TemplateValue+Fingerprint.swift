import ChanceryMustache

extension MustacheValue {
    /// Adds the whole value to a fingerprint, object keys in sorted order, so equal values always hash alike.
    func addFingerprint(to fingerprint: inout Fingerprint) {
        switch self {
        case .string(let text):
            fingerprint.add(1)
            fingerprint.add(text)
        case .bool(let flag):
            fingerprint.add(flag ? 2 : 3)
        case .int(let number):
            fingerprint.add(4)
            fingerprint.add(number)
        case .double(let number):
            fingerprint.add(5)
            fingerprint.add(String(number))
        case .list(let items):
            fingerprint.add(6)
            fingerprint.add(items.count)
            for item in items { item.addFingerprint(to: &fingerprint) }
        case .object(let fields):
            fingerprint.add(7)
            fingerprint.add(fields.count)
            for key in fields.keys.sorted() {
                fingerprint.add(key)
                fields[key]!.addFingerprint(to: &fingerprint)
            }
        case .null:
            fingerprint.add(8)
        }
    }
}
