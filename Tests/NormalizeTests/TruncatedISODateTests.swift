import Foundation
import IngestCore
import NewsText
import Testing

/// ISO 8601 (2000) reduced date forms, which universal feed parsers read; five bare digits
/// are not read as a year-of-century ordinal, since they are as often a mangled year.
@Suite("NewsDate truncated ISO 8601")
struct TruncatedISODateTests {
    private static let reference = Date(timeIntervalSince1970: 1_762_480_800)

    private func utc(_ text: String) -> String? {
        NewsDate.parse(text, defaultZone: TimeZone(identifier: "UTC")!, reference: Self.reference, chineseContext: false)
            .map { RFC3339.utc($0.instant) }
    }

    @Test("reduced forms", arguments: [
        ("-0711", "2007-11-01T00:00:00Z"),  // -YYMM
        ("-07-11", "2007-11-01T00:00:00Z"),  // -YY-MM
        ("2008060", "2008-02-29T00:00:00Z"),  // YYYYDDD in a leap year
        ("2007365", "2007-12-31T00:00:00Z"),
    ])
    func reduced(_ text: String, _ expected: String) {
        #expect(utc(text) == expected)
    }

    @Test("impossible or ambiguous ones are null", arguments: ["-0713", "2007366", "2007000", "07335", "22013"])
    func rejected(_ text: String) {
        #expect(utc(text) == nil)
    }

    @Test func ordinaryDatesAreUnchanged() {
        #expect(utc("07-11") != nil)  // month-day, read against the reference year as before
        #expect(utc("2007-11-05") == "2007-11-05T00:00:00Z")
        #expect(utc("20071105") == "2007-11-05T00:00:00Z")
    }
}
