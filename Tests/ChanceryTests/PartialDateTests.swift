import Testing
@testable import Chancery

@Suite("Partial dates and positions")
struct PartialDateTests {
    @Test("parses a day, a month or a year, and nothing else", arguments: [
        ("2012-11-10", "2012-11-10", "10 November 2012"), ("2012-11", "2012-11", "November 2012"), ("2012", "2012", "2012"),
        ("2012-02-29", "2012-02-29", "29 February 2012"),
    ])
    func parses(_ text: String, _ written: String, _ long: String) throws {
        let date = try #require(PartialDate(text))
        #expect(date.description == written)
        #expect(date.longForm == long)
    }

    @Test("refuses dates that do not exist or are not written as dates",
          arguments: ["2012-13", "2012-00", "2012-02-30", "2013-02-29", "12-11-10", "2012-1", "2012-11-1", "November 2012", "2012-11-10-01", ""])
    func refuses(_ text: String) {
        #expect(PartialDate(text) == nil)
    }

    @Test("spans every day it may be")
    func span() throws {
        let month = try #require(PartialDate("2012-02")), year = try #require(PartialDate("2012"))
        #expect(month.earliest == Day(year: 2012, month: 2, day: 1) && month.latest == Day(year: 2012, month: 2, day: 29))
        #expect(year.earliest == Day(year: 2012, month: 1, day: 1) && year.latest == Day(year: 2012, month: 12, day: 31))
        #expect(!year.isCertainlyBefore(month) && !month.isCertainlyBefore(year))
        #expect(month.isCertainlyBefore(try #require(PartialDate("2012-03-01"))))
        let first = try #require(PartialDate("2012-02-01"))
        #expect(year < month && month < first)
    }

    func position(from: String? = nil, to: String? = nil, held: [String] = []) -> Position {
        Position(title: "Minister of Foreign Affairs", from: from.flatMap(PartialDate.init), to: to.flatMap(PartialDate.init),
                 held: held.compactMap(PartialDate.init), location: SourceLocation(path: "x.md"))
    }

    @Test("covers a date certainly only when the sources prove it, possibly unless they rule it out")
    func coverage() throws {
        let october = try #require(PartialDate("2012-10")), day = try #require(PartialDate("2012-11-10"))
        let tenure = position(from: "2012-09", to: "2012-12-26")
        #expect(tenure.certainlyCovers(october))
        #expect(!tenure.certainlyCovers(try #require(PartialDate("2012-09-15"))), "September is the start month: a day in it is not proven")
        #expect(tenure.possiblyCovers(try #require(PartialDate("2012-09-15"))))
        #expect(!tenure.possiblyCovers(try #require(PartialDate("2013"))))
        let attested = position(held: ["2012-11-10"])
        #expect(attested.certainlyCovers(day))
        #expect(!attested.certainlyCovers(try #require(PartialDate("2012-11-11"))))
        #expect(attested.possiblyCovers(try #require(PartialDate("1990"))), "nothing rules out any other date")
        #expect(position().certainTenure == nil && attested.certainTenure == nil)
    }

    @Test("says exactly what is known, open-ended tenures as of the edition", arguments: [
        (nil, nil, ["2012-11-10"], "in office on 10 November 2012"),
        (nil, nil, ["2012-11-10", "2012-01-28"], "in office on 28 January 2012 and 10 November 2012"),
        ("2012-09", nil, [], "from September 2012; in office as of April 2013"),
        (nil, "2012-12-26", [], "until 26 December 2012"),
        ("2012", "2012-12-26", [], "from 2012 to 26 December 2012"),
    ] as [(String?, String?, [String], String)])
    func dates(_ from: String?, _ to: String?, _ held: [String], _ text: String) {
        #expect(position(from: from, to: to, held: held).dates(asOf: Day(year: 2013, month: 4, day: 5)) == text)
    }

    @Test("a position with no date says nothing of when, and is not shown as held")
    func undated() {
        #expect(position().dates(asOf: Day(year: 2013, month: 4, day: 5)) == nil)
        #expect(!position().isHeld(asOf: Day(year: 2013, month: 4, day: 5)))
        #expect(position(from: "2012-12-26").isHeld(asOf: Day(year: 2013, month: 4, day: 5)))
        #expect(!position(from: "2011", to: "2012-12-26").isHeld(asOf: Day(year: 2013, month: 4, day: 5)))
    }
}
