import Foundation
import Testing
@testable import Parse

/// `count` texts of up to `maxPieces` pieces each, from a seeded SplitMix64, so that a
/// failure names a reproducible case.
func randomTexts(of pieces: [String], count: Int, maxPieces: Int, seed: UInt64) -> [String] {
    var state = seed
    func next() -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: (z ^ (z >> 31)) >> 1)
    }
    return (0..<count).map { _ in
        var t = ""
        for _ in 0..<(next() % maxPieces) { t += pieces[next() % pieces.count] }
        return t
    }
}

/// The byte path of `PageReading.collapse` against the Character rule it stands for, on
/// text where white space meets every kind of neighbour: combining marks and joiners after
/// it, a Prepend scalar before it, CR LF, and the white space of other scripts.
@Suite("Page text collapse")
struct CollapseTests {
    static let pieces = [
        " ", "  ", "\t", "\n", "\r\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{A0}", "\u{1680}", "\u{2003}", "\u{2028}",
        "\u{202F}", "\u{3000}", "\u{0301}", "\u{200D}", "\u{200C}", "\u{FE0F}", "\u{0600}", "\u{302A}", "a", "Bc", "中",
        "文字", "，", "。", "“", "—", "é", "😀", "👍🏽", "ก", "\u{0E31}", "x y", "",
    ]

    @Test func bytePathEqualsTheCharacterRule() {
        var samples = Self.pieces.flatMap { a in Self.pieces.map { b in a + b } }
        samples += randomTexts(of: Self.pieces, count: 5000, maxPieces: 12, seed: 0xC011A95E)
        var fast = 0
        for s in samples {
            #expect(Array(PageReading.collapse(s).utf8) == Array(PageReading.collapseCharacters(s).utf8), "\(Array(s.unicodeScalars))")
            if PageReading.collapseOnBytes(s) != nil { fast += 1 }
        }
        // Most text takes the byte path; the fallback is for the rare clusters.
        #expect(fast * 2 > samples.count)
        #expect(PageReading.collapse("  Tai Mei Ti A P P·2025-11-07\t02:25 \n") == "Tai Mei Ti A P P·2025-11-07 02:25")
    }
}

/// `trimmed` on the bytes against the Character rule it stands for.
@Suite("Field trimming")
struct TrimmedTests {
    static func characterRule(_ s: String) -> String {
        let white: Set<Character> = [" ", "\t", "\r", "\n", "\r\n"]
        var t = Substring(s)
        while let f = t.first, white.contains(f) { t = t.dropFirst() }
        while let l = t.last, white.contains(l) { t = t.dropLast() }
        return String(t)
    }

    @Test func bytePathEqualsTheCharacterRule() {
        let pieces = [" ", "\t", "\r", "\n", "\r\n", "\u{A0}", "\u{0301}", "\u{200D}", "\u{0600}", "a", "中", "é", "😀", "x y", ""]
        var samples = pieces.flatMap { a in pieces.map { b in a + b } }
        samples += randomTexts(of: pieces, count: 5000, maxPieces: 8, seed: 0x7A1A)
        for s in samples {
            #expect(Array(s.trimmed.utf8) == Array(Self.characterRule(s).utf8), "\(Array(s.unicodeScalars))")
            #expect(Array(s.dropFirst(0).trimmed.utf8) == Array(Self.characterRule(s).utf8), "\(Array(s.unicodeScalars))")
        }
    }

    /// A lone line break at either end goes too (the rule once kept it: `"\n"` was not
    /// among the Characters of `" \t\r\n"`, whose last two form one `"\r\n"`).
    @Test func loneLineBreaksAreTrimmed() {
        #expect("\nTech\n".trimmed == "Tech")
        #expect("60\r".trimmed == "60")
        #expect(" \r\n 科技 \n".trimmed == "科技")
    }
}

@Suite("Comma lists")
struct CommaListTests {
    @Test func bytePathEqualsTheCharacterSplit() {
        let pieces = [",", ",,", "a", "科技", " ", "\u{0301}", "\u{0600}", "é", "😀", "x,y", ""]
        for a in pieces { for b in pieces { for c in pieces {
            let s = a + b + c
            #expect(commaSeparated(s).map { Array($0.utf8) } == s.split(separator: ",").map { Array($0.utf8) },
                    "\(Array(s.unicodeScalars))")
        } } }
    }
}
