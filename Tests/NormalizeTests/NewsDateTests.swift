import Foundation
import IngestCore
import NewsText
import Testing

private let shanghai = TimeZone(identifier: "Asia/Shanghai")!
private let utc = TimeZone(identifier: "UTC")!
private let newYork = TimeZone(identifier: "America/New_York")!
/// Fetch time for relative forms: 2025-11-07T10:00:00+08:00.
private let fetched = Date(timeIntervalSince1970: 1_762_480_800)

/// `published_at` / `published_local` as the emitter prints them.
private func both(_ text: String, zone: TimeZone = utc, chinese: Bool = false, reference: Date = fetched) -> (String, String)? {
    guard let r = NewsDate.parse(text, defaultZone: zone, reference: reference, chineseContext: chinese) else { return nil }
    return (RFC3339.utc(r.instant), RFC3339.local(r.instant, offsetSeconds: r.utcOffsetSeconds))
}

private func utcOf(_ text: String, zone: TimeZone = utc, chinese: Bool = false) -> String? {
    both(text, zone: zone, chinese: chinese)?.0
}

@Suite("NewsDate")
struct NewsDateTests {
    @Test("RFC 822 and its real-world breakage", arguments: [
        ("Fri, 07 Nov 2025 02:25:00 +0800", "2025-11-06T18:25:00Z"),
        ("07 Nov 2025 02:25:00 +0800", "2025-11-06T18:25:00Z"),  // no weekday
        ("Fri, 07 Nov 2025 02:25 +0800", "2025-11-06T18:25:00Z"),  // no seconds
        ("Fri, 07 Nov 25 02:25:00 +0800", "2025-11-06T18:25:00Z"),  // 2-digit year
        ("Thu, 01 Jan 04 19:48:21 GMT", "2004-01-01T19:48:21Z"),
        ("Sun, 31 Dec 99 23:59:59 GMT", "1999-12-31T23:59:59Z"),
        ("Fri, 07 Nov 2025 02:25:00 EST", "2025-11-07T07:25:00Z"),
        ("Fri, 07 Nov 2025 02:25:00 PDT", "2025-11-07T09:25:00Z"),
        ("Fri, 07 Nov 2025 02:25:00 Z", "2025-11-07T02:25:00Z"),
        ("Fri, 07 Nov 2025 02:25:00 A", "2025-11-07T03:25:00Z"),  // military A = -1 (RFC 822)
        ("Fri, 07 Nov 2025 02:25:00 N", "2025-11-07T01:25:00Z"),  // military N = +1
        ("Fri, 07 Nov 2025 02:25:00 GMT+8", "2025-11-06T18:25:00Z"),
        ("Fri, 07 Nov 2025 02:25:00 GMT+08:00", "2025-11-06T18:25:00Z"),
        ("Fri, 07 Nov 2025 02:25:00 UTC-0500", "2025-11-07T07:25:00Z"),
        ("Fri,07 Nov 2025 02:25:00 +0800", "2025-11-06T18:25:00Z"),  // no space after comma
        ("Fri, 07 Nov, 2025, 02:25:00 +0800", "2025-11-06T18:25:00Z"),  // odd commas
        ("Friday, 07 November 2025 02:25:00 +0800", "2025-11-06T18:25:00Z"),
        ("Fri, 7 Nov 2025 2:25:00 +0800", "2025-11-06T18:25:00Z"),
        ("Fri, 07 Nov 2025 02:25:00 +0800 (CST)", "2025-11-06T18:25:00Z"),
        ("Fri Nov 07 02:25:00 +0800 2025", "2025-11-06T18:25:00Z"),  // asctime / Twitter
        ("Nov 7, 2025 2:25 PM EST", "2025-11-07T19:25:00Z"),
        ("November 7, 2025 02:25 a.m. EST", "2025-11-07T07:25:00Z"),
        ("Fr, 07 Nov 2025 02:25:00 +0100", "2025-11-07T01:25:00Z"),  // German weekday
        ("ven., 07 nov. 2025 02:25:00 +0100", "2025-11-07T01:25:00Z"),  // French
        ("Mi, 05 Mär 2025 10:00:00 +0100", "2025-03-05T09:00:00Z"),
        ("jue, 07 dic 2023 02:25:00 GMT", "2023-12-07T02:25:00Z"),  // Spanish
        ("Fri, 07 Nov 2025 02:25:60 GMT", "2025-11-07T02:25:59Z"),  // leap second kept in its minute
    ])
    func rfc822(text: String, expected: String) {
        #expect(utcOf(text) == expected)
    }

    @Test("CST is China Standard Time only in Chinese context")
    func ambiguousCST() {
        #expect(utcOf("Fri, 07 Nov 2025 02:25:00 CST", chinese: true) == "2025-11-06T18:25:00Z")
        #expect(utcOf("Fri, 07 Nov 2025 02:25:00 CST", chinese: false) == "2025-11-07T08:25:00Z")
        let local = both("Fri, 07 Nov 2025 02:25:00 CST", chinese: true)?.1
        #expect(local == "2025-11-07T02:25:00+08:00")
    }

    @Test("ISO 8601 / W3CDTF with and without zones", arguments: [
        ("2025-11-07T02:25:00+08:00", "2025-11-06T18:25:00Z"),
        ("2025-11-06T18:25:00Z", "2025-11-06T18:25:00Z"),
        ("2025-11-06T18:25:00.123Z", "2025-11-06T18:25:00.123Z"),
        ("2025-11-06T18:25Z", "2025-11-06T18:25:00Z"),
        ("2025-11-07T02:25:00+0800", "2025-11-06T18:25:00Z"),
        ("2025-11-06T13:25:00-05:00", "2025-11-06T18:25:00Z"),
        ("2025-11-06", "2025-11-06T00:00:00Z"),
        ("2025-11", "2025-11-01T00:00:00Z"),
        ("2025", "2025-01-01T00:00:00Z"),
        ("20251106T182500Z", "2025-11-06T18:25:00Z"),
        ("2025-11-06 18:25:00", "2025-11-06T18:25:00Z"),  // zoneless: default zone (UTC here)
        ("2025/11/06 18:25", "2025-11-06T18:25:00Z"),
        ("2025-11-06T24:00:00Z", "2025-11-07T00:00:00Z"),
    ])
    func iso(text: String, expected: String) {
        #expect(utcOf(text) == expected)
    }

    @Test("Zoneless times are read in the feed's zone and keep their local offset")
    func zonelessInFeedZone() {
        let r = both("2025-11-07 02:25", zone: shanghai, chinese: true)
        #expect(r?.0 == "2025-11-06T18:25:00Z")
        #expect(r?.1 == "2025-11-07T02:25:00+08:00")
        // Daylight saving applies on the printed day: July is EDT (-4), January EST (-5).
        #expect(utcOf("2025-07-01 12:00", zone: newYork) == "2025-07-01T16:00:00Z")
        #expect(utcOf("2025-01-01 12:00", zone: newYork) == "2025-01-01T17:00:00Z")
        let stated = NewsDate.parse("2025-11-07T02:25:00+08:00", defaultZone: newYork, reference: fetched, chineseContext: false)
        #expect(stated?.zoneStated == true)
        #expect(stated?.utcOffsetSeconds == 28800)
    }

    @Test("Unix timestamps, seconds and milliseconds")
    func unix() {
        #expect(utcOf("1762453500") == "2025-11-06T18:25:00Z")
        #expect(utcOf("1762453500000") == "2025-11-06T18:25:00Z")
        #expect(both("1762453500", zone: shanghai)?.1 == "2025-11-07T02:25:00+08:00")
    }

    @Test("Chinese absolute forms", arguments: [
        ("2025年11月7日 02:25", "2025-11-07T02:25:00+08:00"),
        ("2025年11月7日02:25", "2025-11-07T02:25:00+08:00"),
        ("2025-11-07 02:25", "2025-11-07T02:25:00+08:00"),
        ("2019年09月07日 08:05:32", "2019-09-07T08:05:32+08:00"),
        ("2025年11月7日 下午2:25", "2025-11-07T14:25:00+08:00"),
        ("2025年11月7日 14时25分", "2025-11-07T14:25:00+08:00"),
        ("2025年11月7日 星期五 14:25", "2025-11-07T14:25:00+08:00"),
        ("２０２５年１１月７日　０２：２５", "2025-11-07T02:25:00+08:00"),  // full-width digits, U+3000
        ("北京时间2025年11月7日 02:25", "2025-11-07T02:25:00+08:00"),
        ("11月7日 02:25", "2025-11-07T02:25:00+08:00"),  // year from the fetch time
        ("11-07 02:25", "2025-11-07T02:25:00+08:00"),
        ("2025年11月7日", "2025-11-07T00:00:00+08:00"),
    ])
    func chinese(text: String, expected: String) {
        #expect(both(text, zone: shanghai, chinese: true)?.1 == expected)
    }

    @Test("A year-less date after the fetch time belongs to last year")
    func yearlessRollsBack() {
        #expect(both("12月30日 10:00", zone: shanghai, chinese: true)?.1 == "2024-12-30T10:00:00+08:00")
    }

    @Test("Relative forms against the fetch time", arguments: [
        ("刚刚", "2025-11-07T10:00:00+08:00"),
        ("3分钟前", "2025-11-07T09:57:00+08:00"),
        ("3小时前", "2025-11-07T07:00:00+08:00"),
        ("2天前", "2025-11-05T10:00:00+08:00"),
        ("昨天 14:30", "2025-11-06T14:30:00+08:00"),
        ("今天 08:15", "2025-11-07T08:15:00+08:00"),
        ("前天", "2025-11-05T00:00:00+08:00"),
        ("前天 23:59", "2025-11-05T23:59:00+08:00"),
        ("5 minutes ago", "2025-11-07T09:55:00+08:00"),
        ("yesterday", "2025-11-06T00:00:00+08:00"),
    ])
    func relative(text: String, expected: String) {
        let r = NewsDate.parse(text, defaultZone: shanghai, reference: fetched, chineseContext: true)
        #expect(r.map { RFC3339.local($0.instant, offsetSeconds: $0.utcOffsetSeconds) } == expected)
        #expect(r?.relative == true)
    }

    @Test("Impossible dates are nil with a reason, never a guess", arguments: [
        "2003-12-31T25:14:55Z", "2025-13-01T00:00:00Z", "2025-02-30", "Fri, 32 Nov 2025 02:25:00 GMT",
        "2025-11-07T12:60:00Z", "2025年13月1日", "2023-02-29",
    ])
    func impossible(text: String) {
        let r = NewsDate.read(text, defaultZone: utc, reference: fetched, chineseContext: false)
        guard case .failure(.impossible(_, let reason)) = r else {
            Issue.record("expected impossible for \(text), got \(r)")
            return
        }
        #expect(!reason.isEmpty)
        #expect(NewsDate.parse(text, defaultZone: utc, reference: fetched, chineseContext: false) == nil)
    }

    @Test("Text that is no date is unrecognized", arguments: ["", "tomorrow-ish", "not a date", "Fri, Nov 2025 banana"])
    func unrecognized(text: String) {
        let r = NewsDate.read(text, defaultZone: utc, reference: fetched, chineseContext: false)
        guard case .failure(.unrecognized) = r else {
            Issue.record("expected unrecognized for '\(text)', got \(r)")
            return
        }
    }
}

@Suite("NewsDate, universal-parser cases")
struct NewsDateUniversalTests {
    @Test("Forms the widely used universal parsers accept", arguments: [
        ("Thu, 30 Apr 2015 08:57:00 MET", "2015-04-30T07:57:00Z"),
        ("Thu, 30 Apr 2015 08:57:00 MEST", "2015-04-30T06:57:00Z"),
        ("Thu,  5 Apr 2012 10:00:00 GMT", "2012-04-05T10:00:00Z"),
        ("Wed, 19 Aug 2009 18:28:00 Etc/GMT", "2009-08-19T18:28:00Z"),
        ("Wed, 19 Feb 2012 22:40:00 GMT-01:01", "2012-02-19T23:41:00Z"),
        ("Wed, 19 Feb 2012 22:40:00 -01:01", "2012-02-19T23:41:00Z"),
        ("Mon, 13 Feb, 2012 06:28:00 UTC", "2012-02-13T06:28:00Z"),
        ("Thu, 01 Jan 2004", "2004-01-01T00:00:00Z"),
        ("Mon, 26 January 2004 16:31:00 AT", "2004-01-26T20:31:00Z"),
        ("Mon, 26 January 2004 16:31:00 ET", "2004-01-26T21:31:00Z"),
        ("Mon, 26 January 2004 16:31:00 PT", "2004-01-27T00:31:00Z"),
        ("Thu Aug 30 2012 17:26:16 +0200", "2012-08-30T15:26:16Z"),
        ("Sun Jan  4 16:29:06 2004", "2004-01-04T16:29:06Z"),
        ("Fri, 2006/09/15 08:19:53 EDT", "2006-09-15T12:19:53Z"),
        ("2004-07-08 23:56:58 -00:20", "2004-07-09T00:16:58Z"),
        ("2004-07-08 23:56:58.0", "2004-07-08T23:56:58Z"),
        ("2007-04-23T23:25:47.538+10:00", "2007-04-23T13:25:47.538Z"),
        ("2004-02-28T18:14:55-08:00", "2004-02-29T02:14:55Z"),
        ("2003-012-31T10:14:55+00:00", "2003-12-31T10:14:55Z"),
        ("03-12-31", "2003-12-31T00:00:00Z"),
        ("031231", "2003-12-31T00:00:00Z"),
        ("Κυρ, 11 Ιούλ 2004 12:00:00 EST", "2004-07-11T17:00:00Z"),
        ("2004-július-13T9:15-05:00", "2004-07-13T14:15:00Z"),
        ("2004-05-25 오후 11:23:17", "2004-05-25T14:23:17Z"),
        ("2004년 05월 28일  01:31:15", "2004-05-27T16:31:15Z"),
        ("at 10:00 on 7 Nov 2025", "2025-11-07T10:00:00Z"),
        ("Sat, 07 Sep 2019 09:59:22 +0800 (China Standard Time)", "2019-09-07T01:59:22Z"),
        ("Mon Aug 27 2012 12:13:35 GMT-0700 (PDT)", "2012-08-27T19:13:35Z"),
        ("Mon, 27 Aug 2012 12:13:35 (EDT)", "2012-08-27T16:13:35Z"),
    ])
    func accepted(text: String, expected: String) {
        let r = NewsDate.parse(text, defaultZone: TimeZone(identifier: "UTC")!, reference: Date(), chineseContext: false)
        #expect(r.map { RFC3339.utc($0.instant) } == expected)
    }

    @Test("... and the ones they reject", arguments: [
        "Sun, 16 Dec 2012 1:2:3:4 GMT", "Sun, 16 zzz 2012 11:47:32 GMT", "Sun, Dec x 2012 11:47:32 GMT",
        "Sun, 16 Dec zz 11:47:32 GMT", "Sun, 16 Dec 2012 11:47:32 +zz:00", "Sun, 16 Dec 2012 11:47:32 +00:zz",
        "Sun, 99 Jun 2009 12:00:00 GMT", "9999-12-31T23:59:59-99:99", "2003-12-31T10:61:55Z", "2003-12-31T10:14:61Z",
        "22013", "013", "2013-01-27-01", "2013-01-28T11:30:00-06:00Textra", "2013-xx-27", "2013-01-28T09:xx:00Z",
        "2013-01-28T09:00:00+00:xx",
    ])
    func rejected(text: String) {
        #expect(NewsDate.parse(text, defaultZone: TimeZone(identifier: "UTC")!, reference: Date(), chineseContext: false) == nil)
    }
}

@Suite("NewsDate against corpus ground truth")
struct NewsDateCorpusTests {
    /// rss-parser's expected outputs pair each `pubDate` as printed with its instant (`isoDate`).
    @Test(.enabled(if: corpusExists)) func rssParserExpectedDates() throws {
        let dir = corpusRoot.appendingPathComponent("feeds-parser-fixtures-en-multi/rss-parser/test/output")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }
        var checked = 0, agreed = 0
        var disagreements: [String] = []
        for f in files {
            guard let data = FileManager.default.contents(atPath: dir.appendingPathComponent(f).path),
                  let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { continue }
            let feed = (json["feed"] as? [String: Any]) ?? json
            for item in (feed["items"] as? [[String: Any]]) ?? [] {
                guard let printed = item["pubDate"] as? String, let iso = item["isoDate"] as? String else { continue }
                checked += 1
                let r = NewsDate.parse(printed, defaultZone: TimeZone(identifier: "UTC")!, reference: Date(), chineseContext: false)
                // isoDate always prints milliseconds; compare to the second.
                let got = r.map { RFC3339.utc($0.instant) }
                if let g = got, g.prefix(19) == iso.prefix(19) { agreed += 1 } else { disagreements.append("\(f): \(printed) → \(got ?? "nil") vs \(iso)") }
            }
        }
        #expect(checked >= 50)
        #expect(Double(agreed) >= Double(checked) * 0.97, "\(agreed)/\(checked); \(disagreements.prefix(10))")
    }
}
