import Foundation
import IngestCore
import NewsText
import Normalize
import Testing

/// Deterministic generator so a failure reproduces (SplitMix64).
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Pieces real dates, bylines and headlines are made of, plus hostile ones.
private let pieces: [String] = [
    "2025", "11", "7", "02", ":", "-", "/", ".", ",", " ", "　", "年", "月", "日", "时", "分", "秒", "前", "昨天", "刚刚",
    "小时", "分钟", "T", "Z", "+0800", "-05:00", "GMT", "CST", "Fri", "Nov", "PM", "来源：", "作者：", "·", "|", "_",
    "-", " - ", "【", "】", "(", ")", "钛媒体", "Reuters", "By ", "中国", "技術", "\u{200B}", "\u{0007}", "\u{FEFF}",
    "ＡＩ", "１２", "e\u{0301}", "99999999999999999999999", "0", "-", "+", "::", "99", "13", "32", "\n", "\t", "😀",
]

@Suite("Robustness")
struct RobustnessTests {
    @Test func randomTextNeverCrashesAndKeepsInvariants() {
        var rng = SplitMix(state: 20251107)
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        let reference = Date(timeIntervalSince1970: 1_762_480_800)
        let headlines = HeadlineNormalizer(registry: shippedRegistry)
        let items = ItemNormalizer(registry: shippedRegistry)
        let ctx = FeedContext(
            source: FeedSource(location: "https://example.org/f", id: "f"), info: FeedInfo(), requestedURL: "https://example.org/f",
            finalURL: "https://example.org/f", httpStatus: 200, fetchedAt: reference)
        for _ in 0..<3000 {
            let n = Int.random(in: 0...14, using: &rng)
            let text = (0..<n).map { _ in pieces.randomElement(using: &rng)! }.joined()
            if let d = NewsDate.parse(text, defaultZone: zone, reference: reference, chineseContext: true) {
                #expect(abs(d.utcOffsetSeconds) <= 14 * 3600, "offset out of range for \(text.debugDescription)")
                #expect(d.instant.timeIntervalSince1970.isFinite)
            }
            _ = Byline.parse(text, registry: shippedRegistry, reference: reference)
            let h = headlines.normalize(text).title
            #expect(!h.contains("  ") && h == h.trimmingCharacters(in: .whitespacesAndNewlines), "untidy: \(h.debugDescription)")
            #expect(!h.unicodeScalars.contains { $0.properties.generalCategory == .control || $0 == "\u{200B}" || $0 == "\u{FEFF}" })
            let item = items.normalize(RawItem(title: text, summary: text, published: text), context: ctx)
            #expect(item.id.count == 16)
            #expect(item.title == h)
        }
    }
}
