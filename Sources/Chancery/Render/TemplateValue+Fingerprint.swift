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

    /// The page data with the stylesheet's URL left out (`site.style`), to tell pages that changed only because the stylesheet did.
    var withoutStyle: MustacheValue {
        guard case .object(var fields) = self, case .object(var site)? = fields["site"] else { return self }
        site["style"] = nil
        fields["site"] = .object(site)
        return .object(fields)
    }
}
