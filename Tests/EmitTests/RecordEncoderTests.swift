import Foundation
import IngestCore
import Testing
@testable import Emit

@Suite struct RecordEncoderTests {
    @Test func fullItemGoldenLine() {
        let expected = #"""
        {"schema":"ingest.item/1","id":"a1b2c3d4e5f60718","url":"https://example.com/a?x=1","guid":"tag:example.com,2025:1","title":"当全球习惯了中国技术，所谓“脱钩”就失去了根基","title_raw":"当全球习惯了中国技术,所谓“脱钩”就失去了根基","summary":"Line one\nLine \"two\" \\ tab\there","content":null,"lang":"zh-Hans","published_at":"2025-11-06T18:25:00Z","updated_at":null,"published_local":"2025-11-07T02:25:00+08:00","authors":["张三","Jane Doe"],"categories":["科技"],"source":{"name":"钛媒体APP","name_en":"TMTPost App","id":"tmtpost"},"feed":{"url":"https://example.com/feed.xml","title":"Example","link":"https://example.com/","language":"zh-cn"},"topics":["decoupling","open-source"],"topic_evidence":{"decoupling":["脱钩"],"open-source":["开源"]},"fetched_at":"2025-11-07T00:00:00Z","title_key":"当全球习惯了中国技术所谓脱钩就失去了根基","revision":2}
        """# + "\n"
        #expect(RecordEncoder.string(fullItem()) == expected)
    }

    @Test func bareItemHasEveryKeyWithNullsAndEmptyCollections() throws {
        let expected = #"""
        {"schema":"ingest.item/1","id":"bare","url":null,"guid":null,"title":"","title_raw":"","summary":null,"content":null,"lang":null,"published_at":null,"updated_at":null,"published_local":null,"authors":[],"categories":[],"source":{"name":null,"name_en":null,"id":null},"feed":{"url":null,"title":null,"link":null,"language":null},"topics":[],"topic_evidence":{},"fetched_at":"2025-11-07T01:02:03Z","title_key":null,"revision":1}
        """# + "\n"
        #expect(RecordEncoder.string(bareItem()) == expected)
        let object = try parseLine(RecordEncoder.line(bareItem()))
        #expect(object.count == 21)
        #expect(object["url"] is NSNull)
        #expect((object["topic_evidence"] as? [String: Any])?.isEmpty == true)
    }

    @Test func feedRecordGoldenLines() {
        let ok = FeedRecord(
            url: "https://example.com/feed.xml", finalURL: "https://www.example.com/feed.xml", title: "科技 & “新闻”",
            link: "https://example.com/", language: "zh-cn", description: "a\tb", format: "rss2", encoding: "GB18030",
            httpStatus: 200, items: 12, warnings: ["item 3: date \"昨天\" not understood"], error: nil,
            feedID: "example-zh", fetchedAt: utcDate(2025, 11, 7, 0, 0, 1))
        #expect(RecordEncoder.string(ok) == #"""
        {"schema":"ingest.feed/1","url":"https://example.com/feed.xml","final_url":"https://www.example.com/feed.xml","title":"科技 & “新闻”","link":"https://example.com/","language":"zh-cn","description":"a\tb","format":"rss2","encoding":"GB18030","http_status":200,"items":12,"warnings":["item 3: date \"昨天\" not understood"],"error":null,"feed_id":"example-zh","fetched_at":"2025-11-07T00:00:01Z"}
        """# + "\n")
        let failed = FeedRecord(url: "http://127.0.0.1:1/x", error: "HTTP 404")
        #expect(RecordEncoder.string(failed) == #"""
        {"schema":"ingest.feed/1","url":"http://127.0.0.1:1/x","final_url":null,"title":null,"link":null,"language":null,"description":null,"format":null,"encoding":null,"http_status":null,"items":0,"warnings":[],"error":"HTTP 404","feed_id":null,"fetched_at":null}
        """# + "\n")
    }

    @Test func escapesWhatJSONAndJavaScriptNeedAndNothingElse() throws {
        var controls = ""
        for v in 0..<0x20 { controls.unicodeScalars.append(Unicode.Scalar(UInt8(v))) }
        let tricky = "\"\\/" + controls + "\u{7F}\u{2028}\u{2029}…€😀中文"
        var it = bareItem()
        it.title = tricky
        let line = RecordEncoder.string(it)
        let expectedTitle = #""\"\\/\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f"#
            + #"\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f"#
            + "\u{7F}" + #"\u2028\u2029"# + "…€😀中文\""
        #expect(line.contains("\"title\":" + expectedTitle + ","))
        // One physical line: the only raw newline is the terminator.
        #expect(line.utf8.filter { $0 == 0x0A }.count == 1)
        #expect(line.last == "\n")
        let object = try parseLine(RecordEncoder.line(it))
        #expect(object["title"] as? String == tricky)
    }

    @Test func noByteOrderMarkAndChineseStaysUTF8() {
        let bytes = RecordEncoder.line(fullItem())
        #expect(Array(bytes.prefix(3)) != [0xEF, 0xBB, 0xBF])
        #expect(bytes.first == UInt8(ascii: "{"))
        #expect(!String(decoding: bytes, as: UTF8.self).contains("\\u5f53"))
        #expect(String(decoding: bytes, as: UTF8.self).contains("钛媒体APP"))
    }

    @Test func datesAreUTCWithZAndLocalKeepsTheOffset() throws {
        var it = bareItem()
        it.published = LocalizedDate(instant: utcDate(2025, 11, 6, 18, 25), utcOffsetSeconds: -5 * 3600)
        it.updated = LocalizedDate(instant: Date(timeIntervalSince1970: 1_762_453_500.25), utcOffsetSeconds: 0)
        let o = try parseLine(RecordEncoder.line(it))
        #expect(o["published_at"] as? String == "2025-11-06T18:25:00Z")
        #expect(o["published_local"] as? String == "2025-11-06T13:25:00-05:00")
        #expect(o["updated_at"] as? String == "2025-11-06T18:25:00.250Z")
    }

    @Test func unrepresentableDatesBecomeNullNotGarbage() throws {
        var it = bareItem()
        it.published = LocalizedDate(instant: Date(timeIntervalSince1970: 1e15), utcOffsetSeconds: 0)
        it.updated = LocalizedDate(instant: Date(timeIntervalSince1970: .nan), utcOffsetSeconds: 0)
        let o = try parseLine(RecordEncoder.line(it))
        #expect(o["published_at"] is NSNull)
        #expect(o["published_local"] is NSNull)
        #expect(o["updated_at"] is NSNull)
        // An absurd offset cannot be printed as ±hh:mm: the local form is unknown, the instant is not.
        it.published = LocalizedDate(instant: utcDate(2020, 1, 1), utcOffsetSeconds: 30 * 3600)
        let o2 = try parseLine(RecordEncoder.line(it))
        #expect(o2["published_at"] as? String == "2020-01-01T00:00:00Z")
        #expect(o2["published_local"] is NSNull)
    }

    @Test func duplicateTopicEvidenceIsMergedIntoOneKey() throws {
        var it = bareItem()
        it.topics = ["ai"]
        it.topicEvidence = [("ai", ["AI", "大模型"]), ("trade", ["关税"]), ("ai", ["大模型", "LLM"])]
        let line = RecordEncoder.string(it)
        #expect(line.contains(#""topic_evidence":{"ai":["AI","大模型","LLM"],"trade":["关税"]}"#))
    }

    @Test func integersIncludingExtremes() throws {
        var it = bareItem()
        for r in [0, 1, 9, 10, 123_456_789, Int.max, Int.min] {
            it.revision = r
            let o = try parseLine(RecordEncoder.line(it))
            #expect((o["revision"] as? NSNumber)?.int64Value == Int64(r))
        }
    }

    /// Random strings over a hostile alphabet: every one must survive the trip through
    /// JSONSerialization unchanged, in every string field.
    @Test func randomTextRoundTripsThroughJSONSerialization() throws {
        let alphabet: [Character] = ["a", "Z", " ", "\"", "\\", "/", "\n", "\r", "\t", "\u{0}", "\u{1F}", "\u{7F}",
                                     "\u{2028}", "\u{2029}", "…", "€", "中", "開", "😀", "\u{200B}", "\u{3000}", "é", "e\u{301}"]
        var rng = SplitMix64(seed: 42)
        for _ in 0..<500 {
            func text() -> String {
                String((0..<Int(rng.next() % 24)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            }
            var it = bareItem(id: text().isEmpty ? "x" : text())
            it.title = text(); it.titleRaw = text(); it.summary = text(); it.content = text()
            it.authors = [text(), text()]
            it.source = SourceRef(id: text(), name: text(), nameEn: text())
            it.topicEvidence = [(text(), [text()])]
            let bytes = RecordEncoder.line(it)
            #expect(bytes.filter { $0 == 0x0A }.count == 1 && bytes.last == 0x0A)
            let o = try parseLine(bytes)
            #expect(o["id"] as? String == it.id)
            #expect(o["title"] as? String == it.title)
            #expect(o["title_raw"] as? String == it.titleRaw)
            #expect(o["summary"] as? String == it.summary)
            #expect(o["content"] as? String == it.content)
            #expect(o["authors"] as? [String] == it.authors)
            let source = o["source"] as? [String: Any]
            #expect(source?["name_en"] as? String == it.source.nameEn)
            let ev = o["topic_evidence"] as? [String: [String]]
            #expect(ev?[it.topicEvidence[0].topic] == it.topicEvidence[0].terms)
        }
    }
}

/// The escaper skips eight plain bytes at a time and jumps to the first byte that may need
/// escaping; it must write what escaping scalar by scalar writes, with every special at
/// every offset of a block.
@Suite struct EscapeFastPathTests {
    static func reference(_ s: String) -> [UInt8] {
        var out: [UInt8] = [0x22]
        for u in s.unicodeScalars {
            switch u.value {
            case 0x22: out += Array(#"\""#.utf8)
            case 0x5C: out += Array(#"\\"#.utf8)
            case 0x0A: out += Array(#"\n"#.utf8)
            case 0x0D: out += Array(#"\r"#.utf8)
            case 0x09: out += Array(#"\t"#.utf8)
            case 0x08: out += Array(#"\b"#.utf8)
            case 0x0C: out += Array(#"\f"#.utf8)
            case 0x2028: out += Array(#"\u2028"#.utf8)
            case 0x2029: out += Array(#"\u2029"#.utf8)
            case 0..<0x20: out += Array(String(format: "\\u%04x", u.value).utf8)
            default: out += Array(String(u).utf8)
            }
        }
        out.append(0x22)
        return out
    }

    @Test func escapingEqualsTheScalarRule() {
        let specials = ["\"", "\\", "\n", "\r", "\t", "\u{8}", "\u{C}", "\u{0}", "\u{1F}", "\u{7F}", "\u{2028}",
                        "\u{2029}", "\u{2027}", "\u{202A}", "“", "…", "—", "中", "😀", "é", " ", "\u{A0}"]
        let word = "abcdefghijklmnopqrstuvwxyz0123456789"
        var texts: [String] = ["", "a", "abcdefgh", "abcdefghi"]
        for s in specials {
            for k in 0...17 {
                let head = String(word.prefix(k)), tail = String(word.dropFirst(k))
                texts += [head + s + tail, head + s, s + tail, head + s + s + tail + s, "中文" + head + s + "中" + tail]
            }
        }
        var rng = SplitMix64(seed: 0xE5C)
        for _ in 0..<2000 {
            texts.append((0..<Int(rng.next() % 30)).map { _ in
                rng.next() % 2 == 0 ? specials[Int(rng.next() % UInt64(specials.count))] : String(word.prefix(Int(rng.next() % 9)))
            }.joined())
        }
        for text in texts {
            var w = JSONWriter(out: [])
            w.string(text)
            #expect(w.out == Self.reference(text), "\(text.debugDescription)")
        }
    }
}

/// Deterministic generator so a failure reproduces.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct DateFormattingTests {
    /// The encoder prints dates into its byte buffer itself, for speed; it must agree with
    /// IngestCore's RFC3339 (the single definition of the text) on every instant and offset.
    @Test func byteFormatterAgreesWithIngestCoreRFC3339() throws {
        var rng = SplitMix64(seed: 7)
        let offsets = [0, 8 * 3600, -5 * 3600, 5 * 3600 + 1800, -(9 * 3600 + 30 * 60), 14 * 3600, -12 * 3600]
        for i in 0..<20_000 {
            // 0001-01-01 ... 9998-12-31, with whole seconds, milliseconds and odd fractions.
            let secs = -62_135_596_800 + Double(rng.next() % 315_500_000_000)
            let fraction: Double = [0, 0.25, 0.999, 0.0004, 0.9996, 0.5][i % 6]
            let date = Date(timeIntervalSince1970: secs + fraction)
            let offset = offsets[i % offsets.count]
            var w = JSONWriter(out: [])
            w.rfc3339(date, offsetSeconds: offset)
            let mine = String(decoding: w.out, as: UTF8.self)
            let reference = "\"" + RFC3339.format(date, offsetSeconds: offset) + "\""
            guard mine == reference else {
                Issue.record("\(date.timeIntervalSince1970) offset \(offset): \(mine) != \(reference)")
                return
            }
        }
        let partition = PartitionedFileSink.partitionDate(utcDate(1999, 12, 31, 23, 59, 59), fallback: Date(), now: Date())
        #expect(partition == "1999-12-31")
        #expect(PartitionedFileSink.partitionDate(Date(timeIntervalSince1970: -1), fallback: Date(), now: Date()) == "1969-12-31")
        #expect(PartitionedFileSink.partitionDate(Date(timeIntervalSince1970: .nan), fallback: utcDate(2025, 1, 2), now: Date()) == "2025-01-02")
    }
}
