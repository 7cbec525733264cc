/// A date known to the day, the month or only the year: `2012-11-10`, `2012-11` or `2012`.
///
/// Sources often give no more than a month ("visited Japan in October"); a record keeps exactly
/// that precision, so no page and no rule ever claims a day the source does not give. A partial
/// date stands for every day it may be: `earliest...latest`. Rules that compare dates ask whether
/// something is *certain* (true for every day it may be) or *possible* (true for one of them).
public struct PartialDate: Hashable, Sendable, Comparable, CustomStringConvertible {
    public enum Precision: Int, Sendable, Comparable {
        case year, month, day

        public static func < (lhs: Precision, rhs: Precision) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public var year: Int
    /// 1–12, nil when only the year is known.
    public var month: Int?
    /// Nil unless the month is known and the day too.
    public var day: Int?

    public init(_ day: Day) {
        year = day.year
        month = day.month
        self.day = day.day
    }

    public init(year: Int, month: Int? = nil, day: Int? = nil) {
        self.year = year
        self.month = month
        self.day = month == nil ? nil : day
    }

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; months and days that do not exist (2012-13, 2012-02-30) are nil.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts[0].count == 4,
              parts.dropFirst().allSatisfy({ $0.count == 2 }),
              parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }),
              let year = Int(parts[0]) else { return nil }
        switch parts.count {
        case 1:
            self.init(year: year)
        case 2:
            guard let month = Int(parts[1]), (1...12).contains(month) else { return nil }
            self.init(year: year, month: month)
        default:
            guard let day = Day(text) else { return nil }
            self.init(day)
        }
    }

    public var precision: Precision {
        day != nil ? .day : month != nil ? .month : .year
    }

    /// The first day the date may be.
    public var earliest: Day {
        Day(year: year, month: month ?? 1, day: day ?? 1)
    }

    /// The last day the date may be.
    public var latest: Day {
        let month = self.month ?? 12
        return Day(year: year, month: month, day: day ?? Day.daysIn(month: month, year: year))
    }

    /// The one day it is, when known to the day.
    public var exactDay: Day? {
        day == nil ? nil : earliest
    }

    /// As written in front matter and in the API: `2012`, `2012-11` or `2012-11-10`.
    public var description: String {
        switch precision {
        case .year: String(year)
        case .month: String(earliest.description.prefix(7))
        case .day: earliest.description
        }
    }

    /// As readers see it: `2012`, `November 2012` or `10 November 2012`.
    public var longForm: String {
        switch precision {
        case .year: String(year)
        case .month: "\(Day.monthName(month!)) \(year)"
        case .day: earliest.longForm
        }
    }

    /// Whether every day this may be comes before every day `other` may be.
    public func isCertainlyBefore(_ other: PartialDate) -> Bool {
        latest < other.earliest
    }

    /// Ordered by first possible day, then less precise first (`2012` before `2012-01` before `2012-01-01`).
    public static func < (lhs: PartialDate, rhs: PartialDate) -> Bool {
        (lhs.earliest, lhs.precision.rawValue, lhs.latest) < (rhs.earliest, rhs.precision.rawValue, rhs.latest)
    }
}

extension Day {
    /// The month's English name: 1 is `January`.
    static func monthName(_ month: Int) -> String {
        ["January", "February", "March", "April", "May", "June", "July",
         "August", "September", "October", "November", "December"][month - 1]
    }
}
