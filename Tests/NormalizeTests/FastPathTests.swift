import Foundation
import Testing
@testable import NewsText
@testable import Normalize

/// The fast paths of normalization (eight-byte ASCII skipping in `TextCollapse`, the byte
/// loop of `Tally.addLeadingCharacters`) against the general rules, on text built so that
/// every special scalar lands at every offset of a long ASCII run.
@Suite("Normalize fast paths equal the general rules")
struct FastPathTests {
    /// Scalars that end or change an ASCII run, and ordinary non-ASCII text.
    static let specials: [String] = [
        " ", "  ", "\t", "\n", "\r", "\r\n", "\u{0B}", "\u{0C}", "\u{7F}", "\u{01}", "\u{85}", "\u{A0}", "\u{AD}",
        "\u{2028}", "\u{2029}", "\u{3000}", "\u{200B}", "\u{200D}", "\u{FEFF}", "\u{0301}", "e\u{0301}", "é", "Ａ", "ｚ",
        "５", "，", "中", "國", "開源", "㐀", "\u{4DC0}", "\u{F900}", "𠀀", "😀", "“", "—", "ᄀ", "한", "Привет", "ά", "~", "!",
        // Around the lead bytes E2, E3 and EF, which `isUnchanged` looks past: kept and
        // dropped scalars sharing their first or first two bytes.
        "\u{2010}", "\u{2027}", "\u{2028}", "\u{200A}", "\u{202F}", "\u{2030}", "\u{205F}", "\u{2069}", "…", "、", "。",
        "\u{3001}", "\u{FEF0}", "\u{FEFF}", "\u{FF0C}", "\u{E000}",
        "",
    ]

    /// Long printable-ASCII stretches with one special scalar at each offset 0...20, and
    /// text that ends inside, at and just after an eight-byte block.
    static var samples: [String] {
        var out: [String] = ["", "abcdefgh", "abcdefghi", "abcdefg", " abcdefghijklmnop ", "abcdefghijklmnop\n"]
        let word = "Reuters~reports!the[quick]brown_fox{jumps}over"
        for s in specials {
            for k in 0...20 {
                let head = String(word.prefix(k))
                let tail = String(word.dropFirst(k))
                out.append(head + s + tail)
                out.append(" " + head + s + s + tail + " ")
                out.append(head + s)
                out.append(s + tail)
                out.append(head + " " + s + " " + tail + "\n\n" + tail)
            }
        }
        return out
    }

    /// The same specials inside Han text and mixed text, so that they fall at every offset
    /// of an eight-byte block that holds multi-byte scalars (blocks may start and end
    /// inside a scalar), plus seeded random mixtures of all of them.
    static var multiByteSamples: [String] {
        var out: [String] = []
        for word in ["中国开源大模型之后芯片出口管制新规", "DeepSeek开源了模型权重·AI芯片", "é中ä文·ß“引”—。"] {
            for s in specials {
                for k in 0...12 {
                    let head = String(word.prefix(k)), tail = String(word.dropFirst(k))
                    out.append(head + s + tail)
                    out.append(head + s + s + tail + " " + tail)
                    out.append(head + "\n" + s + tail)
                    out.append(s + tail + head)
                }
            }
        }
        // Seeded, so a failure names a reproducible case.
        var rng = SplitMix(state: 0x5EED)
        let pieces = specials + ["a", "bc", "中", "文字", "开源", "。", "、", "，", "·", " ", "\n", "x y"]
        for _ in 0..<3000 {
            var t = ""
            for _ in 0..<Int.random(in: 0..<24, using: &rng) { t += pieces.randomElement(using: &rng)! }
            out.append(t)
        }
        return out
    }

    @Test func multiByteTextEqualsTheScalarRules() {
        for s in Self.multiByteSamples {
            #expect(ItemNormalizer.paragraphs(s) == ItemNormalizer.paragraphsScalars(s), "\(Array(s.unicodeScalars))")
            #expect(HeadlineNormalizer.cleanLine(s) == HeadlineNormalizer.cleanLineScalars(s), "\(Array(s.unicodeScalars))")
            #expect(HeadlineNormalizer.clean(s) == HeadlineNormalizer.cleanScalars(s), "\(Array(s.unicodeScalars))")
        }
    }

    @Test func paragraphsEqualTheScalarRule() {
        for s in Self.samples {
            #expect(ItemNormalizer.paragraphs(s) == ItemNormalizer.paragraphsScalars(s), "\(Array(s.unicodeScalars))")
        }
    }

    @Test func cleanAndCleanLineEqualTheScalarRules() {
        for s in Self.samples {
            #expect(HeadlineNormalizer.clean(s) == HeadlineNormalizer.cleanScalars(s), "\(Array(s.unicodeScalars))")
            #expect(HeadlineNormalizer.cleanLine(s) == HeadlineNormalizer.cleanLineScalars(s), "\(Array(s.unicodeScalars))")
        }
    }

    /// Everything a tally holds, to compare two of them.
    static func fields(_ t: LanguageDetector.Tally) -> [Int] {
        [t.han, t.kana, t.hangul, t.cyrillic, t.arabic, t.persian, t.hebrew, t.greek, t.thai, t.devanagari,
         t.latinWords, t.ukrainian, t.urdu, t.trad, t.simp, t.hanRun, t.longestHanRun, t.inLatinWord ? 1 : 0, t.scanned]
            + [Int(truncatingIfNeeded: t.words.key), t.words.length, t.words.count, t.words.functionWords,
               Int(truncatingIfNeeded: t.words.perLanguage)]
    }

    /// `addLeadingCharacters(of:n)` counts exactly the scalars of `text.prefix(n)`, after a
    /// headline or on its own, for cuts inside, at and past the text's end.
    @Test func leadingCharactersEqualThePrefix() {
        let bodies = Self.samples + [
            String(repeating: "The cat and 貓 ", count: 60), String(repeating: "全角　空格，繁體與简体混合。", count: 40),
            String(repeating: "a", count: 4100), String(repeating: "ab\r", count: 200), String(repeating: "e\u{0301}x ", count: 150),
        ]
        for body in bodies {
            for n in [0, 1, 7, 8, 9, 13, 400] {
                // The last two titles bring the 4,000-scalar cap inside the body's first Han run,
                // one of them while a Latin word is still open.
                for title in ["", "DeepSeek开源了模型权重", "The state of AI", String(repeating: "ab ", count: 1333),
                              String(repeating: "ab ", count: 1332) + "xy"] {
                    var fast = LanguageDetector.Tally()
                    _ = fast.add(contentsOf: title)
                    var reference = fast
                    fast.addLeadingCharacters(of: body, n)
                    for u in body.prefix(n).unicodeScalars where !reference.add(u.value) { break }
                    #expect(Self.fields(fast) == Self.fields(reference), "n=\(n) \(Array(body.unicodeScalars).prefix(30))")
                }
            }
        }
    }

    /// The probed word table answers exactly as the dictionary it was built from, for every
    /// function word and for words next to them (prefixes, extensions, other languages).
    @Test func functionWordTableEqualsTheDictionary() {
        let table = LanguageDetector.functionWordTable
        var probes: [UInt64] = Array(LanguageDetector.packedFunctionWordBits.keys)
        for (word, _) in LanguageDetector.functionWordBits {
            for variant in [String(word.dropLast()), word + "s", "x" + word, word.uppercased(), String(word.reversed())] {
                var k: UInt64 = 0
                for (i, b) in variant.utf8.prefix(8).enumerated() { k |= UInt64(b) << UInt64(8 * i) }
                if k != 0 { probes.append(k) }
            }
        }
        for k in probes { #expect(table.bits(k) == LanguageDetector.packedFunctionWordBits[k], "\(k)") }
        #expect(LanguageDetector.latinLanguage("le chat est sur la table et les chiens") == "fr")
        #expect(LanguageDetector.latinLanguage("the cat is on the table") == "en")
    }

    /// Built-in tracking prefixes are recognised on the bytes in any case; names that only
    /// resemble them are kept, and extra names still apply.
    @Test func trackingPrefixesOnBytes() {
        let t = TrackingParameters(extra: ["campaign_*", "src"])
        let cases: [(String, String)] = [
            ("https://a.cn/x?UTM_Source=rss&id=3", "https://a.cn/x?id=3"),
            ("https://a.cn/x?Utm_=1&utm=2&utmx_a=3", "https://a.cn/x?utm=2&utmx_a=3"),
            ("https://a.cn/x?pk_campaign=a&pk=1&PK_kwd=b#f", "https://a.cn/x?pk=1#f"),
            ("https://a.cn/x?hmsr=a&hmsrx=b&hms=c&ga_x=1&ga=2", "https://a.cn/x?hms=c&ga=2"),
            ("https://a.cn/x?mtm_source=a&mtm=b&from=timeline&from=home", "https://a.cn/x?mtm=b&from=home"),
            ("https://a.cn/x?campaign_id=1&src=2&source=3&spm=4", "https://a.cn/x?source=3"),
            ("https://a.cn/x?utm_source=a", "https://a.cn/x"),
            ("https://a.cn/x?u=1&&utm_medium", "https://a.cn/x?u=1"),
        ]
        for (url, expected) in cases { #expect(t.strip(url) == expected, "\(url)") }
    }

    /// `queryStart` finds the `?` with memchr; it must be the first `?` Character, as
    /// `firstIndex(of:)` finds it, whatever surrounds it (a combining mark may join it).
    @Test func queryStartIsTheFirstQuestionMarkCharacter() {
        let t = TrackingParameters(extra: [])
        var urls = ["", "?", "https://a.cn/x", "https://a.cn/x?", "https://a.cn/x?a=1?b", "https://a.cn/中?文=1",
                    "https://a.cn/x?\u{301}a=1&b=2?c", "https://a.cn/é?é", "https://a.cn/x#?y", "??"]
        var rng = SplitMix(state: 0x9E7)
        let pieces = ["https://", "a.cn", "/", "?", "&", "=", "#", "中", "\u{301}", "é", "utm_source", "x", "1"]
        for _ in 0..<500 {
            urls.append((0..<Int.random(in: 0..<12, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined())
        }
        for url in urls {
            #expect(t.queryStart(url) == url.firstIndex(of: "?"), "\(url)")
        }
    }

    /// `dedupe` compares pairwise up to 32 names and hashes beyond; both keep the first
    /// of equal names in order, as a `Set` filter does (canonically equal spellings too).
    @Test func dedupeEqualsTheSetFilter() {
        var rng = SplitMix(state: 0xDED)
        let names = ["a", "b", "A", "开源", "開源", "e\u{301}", "é", "Tech", "tech", "", " "]
        for _ in 0..<800 {
            let xs = (0..<Int.random(in: 0..<45, using: &rng)).map { _ in names.randomElement(using: &rng)! }
            var seen = Set<String>()
            #expect(ItemNormalizer.dedupe(xs) == xs.filter { seen.insert($0).inserted }, "\(xs)")
        }
    }

    /// `SourceRegistry.string` (straight UTF-8) equals the scalar view it replaced.
    @Test func scalarsToStringEqualsTheScalarView() {
        for text in Self.samples + Self.multiByteSamples {
            let scalars = Array(text.unicodeScalars)
            for r in [0..<scalars.count, (scalars.count / 2)..<scalars.count, 0..<(scalars.count / 3)] {
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars[r])
                let made = SourceRegistry.string(scalars[r])
                #expect(made == String(view))
                #expect(Array(made.utf8) == Array(String(view).utf8))
            }
        }
    }
}
