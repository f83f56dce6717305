import Foundation
import IngestCore
import NewsText
import Testing
@testable import Normalize

/// The byte-level text rules must give exactly what the scalar-by-scalar references give:
/// output is compared byte for byte across releases.
@Suite("Byte-level text rules equal their scalar references")
struct ByteTextTests {
    /// Scalars each rule treats specially, plus ordinary text of every kind.
    static let alphabet: [String] = [
        "a", "Z", "7", " ", "  ", "\t", "\n", "\r", "\r\n", "\u{0B}", "\u{0C}", "\u{7F}", "\u{01}", "\u{85}", "\u{9F}",
        "\u{A0}", "\u{AD}", "\u{2028}", "\u{2029}", "\u{3000}", "\u{200B}", "\u{200D}", "\u{FEFF}", "\u{180E}",
        "\u{2000}", "\u{2003}", "\u{202F}", "\u{205F}", "\u{1680}", "\u{0301}", "\u{0308}", "e\u{0301}", "é", "İ", "ß",
        "Ａ", "ｚ", "５", "，", "！", "中", "國", "开源", "開源", "脱钩", "㐀", "\u{F900}", "\u{2F800}", "𠀀", "😀", "👍🏽",
        "“", "”", "—", "…", "·", "・", "【", "】", "[", "]", "?", "&", "\"", "\\", "ᄀ", "ᅡ", "한", "Ω", "\u{2126}",
        "カ", "Привет", "ά", "\u{1F71}", "٣", "ﬁ", "²", "Ⅻ", "-", "_", "|", "：", "〇", "\u{4DC0}",
    ]

    /// Deterministic pseudo-random strings over `alphabet`.
    static func samples(count: Int, seed: UInt64) -> [String] {
        var state = seed
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        var out: [String] = ["", " ", "\n", "a", "中", " a ", "\u{200B}", "a\n\n b", "Ａ Ｂ"]
        for _ in 0..<count {
            let length = next() % 24
            var s = ""
            for _ in 0..<length { s += alphabet[next() % alphabet.count] }
            out.append(s)
        }
        return out
    }

    @Test func paragraphsMatchTheScalarRule() {
        for s in Self.samples(count: 4000, seed: 1) {
            #expect(ItemNormalizer.paragraphs(s) == ItemNormalizer.paragraphsScalars(s), "\(Array(s.unicodeScalars))")
        }
    }

    /// Prose that is mostly clean ASCII, where the unchanged-text check reads eight bytes at
    /// a time: a double space, a stray control, a line feed pair or a non-ASCII scalar may
    /// sit anywhere relative to those eight-byte steps, and at either end.
    @Test func asciiProseMatchesTheScalarRule() {
        let pieces = ["word", "a", "Text,", "1999.", "x-y", "(ok)", " ", " ", " ", "\n", "  ", "\t", "\n\n", " \n",
                      "\r", "\u{7F}", "\u{01}", "é", "中文", "\u{A0}", "\u{200B}", "~", "!"]
        var state: UInt64 = 99
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        for round in 0..<4000 {
            var s = ""
            let length = next() % 40
            for k in 0..<length {
                // Mostly words and single spaces; an odd piece now and then.
                if round % 4 == 0 || next() % 12 == 0 {
                    s += pieces[next() % pieces.count]
                } else {
                    s += k % 2 == 0 ? pieces[next() % 6] : " "
                }
            }
            #expect(ItemNormalizer.paragraphs(s) == ItemNormalizer.paragraphsScalars(s), "\(Array(s.unicodeScalars))")
            #expect(HeadlineNormalizer.cleanLine(s) == HeadlineNormalizer.cleanLineScalars(s), "\(Array(s.unicodeScalars))")
        }
    }

    @Test func cleanMatchesTheScalarRule() {
        for s in Self.samples(count: 4000, seed: 2) {
            #expect(HeadlineNormalizer.clean(s) == HeadlineNormalizer.cleanScalars(s), "\(Array(s.unicodeScalars))")
            #expect(HeadlineNormalizer.cleanLine(s) == HeadlineNormalizer.cleanLineScalars(s), "\(Array(s.unicodeScalars))")
        }
    }

    @Test func titleKeyMatchesTheScalarRule() {
        for s in Self.samples(count: 4000, seed: 3) {
            #expect(HeadlineNormalizer.titleKey(s) == HeadlineNormalizer.titleKeyScalars(s), "\(Array(s.unicodeScalars))")
        }
        // Every scalar of the Basic Multilingual Plane (and some beyond) on its own and
        // between letters.
        var v: UInt32 = 0
        while v < 0x30000 {
            if let u = Unicode.Scalar(v) {
                let s = "a" + String(Character(u)) + "中"
                if HeadlineNormalizer.titleKey(s) != HeadlineNormalizer.titleKeyScalars(s) {
                    Issue.record("title key differs for U+\(String(v, radix: 16))")
                }
            }
            v += v < 0x10000 ? 1 : 97
        }
    }

    @Test func unchangedTextIsReturnedAsIs() {
        let s = "DeepSeek开源了模型权重，“脱钩”失去根基"
        #expect(HeadlineNormalizer.clean(s) == s)
        #expect(ItemNormalizer.paragraphs("第一段\n第二段 text") == "第一段\n第二段 text")
        #expect(HeadlineNormalizer.cleanLine("  Jane \n Doe ") == "Jane Doe")
    }

    /// The one-pass language reading equals detection over the sample the way it was built
    /// before: headline, a line break and the body's first 400 characters.
    @Test func oneLanguagePassEqualsTwoDetections() {
        let titles = Self.samples(count: 600, seed: 4) + [
            "DeepSeek开源了模型权重", "Yahoo挑战Google AdSense", "當全球習慣了中國技術", "The state of open source in 2025",
            String(repeating: "中", count: 4001), String(repeating: "ab ", count: 1500),
        ]
        let bodies: [String?] = [nil, "", "An English abstract of the article, which says little.",
                                 "繁體中文的內容，說明這篇報導。", String(repeating: "e\u{0301}中 ", count: 300),
                                 String(repeating: "the cat and 貓 ", count: 60)] + Self.samples(count: 50, seed: 5)
        for (i, title) in titles.enumerated() {
            for body in [bodies[i % bodies.count], bodies[(i * 7 + 3) % bodies.count]] {
                for declared in [nil, "zh-TW", "en"] as [String?] {
                    let (lang, titleHan) = ItemNormalizer.itemLanguage(
                        title: title, body: body, declared: declared, declaredTag: declared.map(ItemNormalizer.canonicalLanguage))
                    // Reference: the sample as a String, detected twice.
                    var sample = title
                    if let body { sample += "\n" + ItemNormalizer.leadingCharacters(body, 400) }
                    let sampleLang = LanguageDetector.detect(sample, hint: declared)
                    let han = title.unicodeScalars.lazy.filter({ CJK.isHan($0.value) }).prefix(2).count
                    let titleLang = han == 2 ? LanguageDetector.detect(title, hint: declared) : nil
                    let expected: String?
                    if let t = titleLang, t.hasPrefix("zh") {
                        expected = sampleLang?.hasPrefix("zh") == true ? sampleLang : t
                    } else {
                        expected = sampleLang ?? declared.map(ItemNormalizer.canonicalLanguage)
                    }
                    #expect(lang == expected)
                    #expect(titleHan == han)
                }
            }
        }
    }

    @Test func itemIDHashEqualsFNV1a64() {
        for (a, b) in [("feed", "guid:x"), ("", ""), ("中文", "url:https://例子.cn/?a=1")] {
            var reference = FNV1a64()
            reference.add(a)
            reference.add(b)
            var h = ItemIDHash()
            h.add(a)
            if let colon = b.firstIndex(of: ":") {
                let prefix = String(b[...colon])
                let rest = String(b[b.index(after: colon)...])
                switch prefix {
                case "guid:": h.add("guid:", rest)
                case "url:": h.add("url:", rest)
                default: h.add(b)
                }
            } else {
                h.add(b)
            }
            #expect(h.hex == reference.hex)
        }
    }

    @Test func trackingStripFindsTheSameQuery() {
        let t = TrackingParameters(extra: [])
        #expect(t.strip("https://a.cn/x?utm_source=rss&id=3#top") == "https://a.cn/x?id=3#top")
        #expect(t.strip("https://a.cn/x") == "https://a.cn/x")
        // A `?` carrying a combining mark is not the query's `?`.
        #expect(t.strip("https://a.cn/x?\u{301}utm_a=1?utm_source=2&k=1") == "https://a.cn/x?\u{301}utm_a=1?k=1")
    }
}
