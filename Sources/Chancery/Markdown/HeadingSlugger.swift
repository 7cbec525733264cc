/// Gives headings stable, unique `id`s derived from their text.
///
/// Lowercase letters and digits are kept (any script), everything else becomes one hyphen.
/// A repeated slug gets `-2`, `-3`…; ids the page template uses itself are reserved.
struct HeadingSlugger {
    private var used: Set<String>

    init(reserved: Set<String>) {
        used = reserved
    }

    mutating func slug(for text: String) -> String {
        var slug = ""
        var pendingHyphen = false
        for scalar in text.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                if pendingHyphen && !slug.isEmpty { slug.append("-") }
                pendingHyphen = false
                slug.unicodeScalars.append(scalar)
            } else if scalar != "\u{2019}" && scalar != "'" {
                pendingHyphen = true
            }
        }
        if slug.isEmpty { slug = "section" }
        var candidate = slug
        var counter = 2
        while used.contains(candidate) {
            candidate = "\(slug)-\(counter)"
            counter += 1
        }
        used.insert(candidate)
        return candidate
    }
}
