/// The four kinds of entity record, each kept in its own folder under `content/`.
public enum EntityKind: String, CaseIterable, Sendable, Hashable, Comparable {
    case country
    case official
    case agreement
    case organization

    /// The folder under `content/`, the URL segment and the front-matter list key: `countries`.
    public var plural: String {
        switch self {
        case .country: "countries"
        case .official: "officials"
        case .agreement: "agreements"
        case .organization: "organizations"
        }
    }

    /// The heading of the kind's index page.
    public var title: String {
        switch self {
        case .country: "Countries"
        case .official: "Officials"
        case .agreement: "Agreements"
        case .organization: "Organizations"
        }
    }

    public init?(plural: String) {
        guard let kind = EntityKind.allCases.first(where: { $0.plural == plural }) else { return nil }
        self = kind
    }

    public static func < (lhs: EntityKind, rhs: EntityKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
