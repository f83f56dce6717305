import Foundation
import IngestCore
@testable import NewsText
import Testing

/// The byte-level fast path must agree with the general scanner wherever it answers.
@Suite("NewsDate fast path")
struct StrictDateTests {
    static let samples: [String] = {
        var s = [
            "Fri, 07 Nov 2025 02:25:00 +0800", "Fri, 7 Nov 2025 02:25:00 -0530", "Sun, 31 Dec 1999 23:59:59 GMT",
            "Mon, 01 Jan 2024 00:00:00 UT", "Tue, 29 Feb 2024 12:00:00 EST", "Wed, 15 Mar 2023 08:00:00 PDT",
            "Thu, 06 Nov 2025 10:00:00 CST", "Sat, 08 Nov 2025 10:00:00 Z", "Fri, 07 NOV 2025 02:25:00 gmt",
            "2025-11-06T18:25:00Z", "2025-11-06T18:25:00.5Z", "2025-11-07T02:25:00+08:00", "2025-11-06t13:25:00.123456-05:00",
            "  2025-11-06T18:25:00Z\\n", "2024-02-29T00:00:00+00:00",
            // fall through to the scanner (or fail there)
            "2023-02-29T00:00:00Z", "2025-11-06T24:00:00Z", "2025-11-06T18:25:00+0800", "Fri, 07 Nov 2025 02:25:00 +0860",
            "Fri, 31 Nov 2025 02:25:00 GMT", "Fri, 07 Nov 2025 02:25:00 XYZ", "Fri, 07 Nov 2025 25:25:00 GMT",
            "Fri, 07 Nov 2025 02:25 GMT", "2025-13-06T18:25:00Z", "2025-11-06T18:25:00.Z",
        ]
        // Dates as real feeds print them: every pubDate in rss-parser's expected outputs.
        let dir = corpusRoot.appendingPathComponent("feeds-parser-fixtures-en-multi/rss-parser/test/output")
        for f in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] where f.hasSuffix(".json") {
            guard let data = FileManager.default.contents(atPath: dir.appendingPathComponent(f).path),
                  let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { continue }
            let feed = (json["feed"] as? [String: Any]) ?? json
            s += ((feed["items"] as? [[String: Any]]) ?? []).compactMap { $0["pubDate"] as? String }
        }
        return s
    }()

    @Test func agreesWithTheGeneralScanner() {
        let utc = TimeZone(identifier: "UTC")!
        var fastAnswered = 0
        for chinese in [false, true] {
            for text in Self.samples {
                guard let fast = StrictDate.parse(text, chineseContext: chinese) else { continue }
                fastAnswered += 1
                var scanner = DateScanner(text: text, chineseContext: chinese)
                let slow = try? scanner.run(defaultZone: utc, reference: Date()).get()
                #expect(slow == fast, "\(text.debugDescription): fast \(fast) vs scanner \(String(describing: slow))")
            }
        }
        #expect(fastAnswered >= 26)
    }
}
