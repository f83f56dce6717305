import Foundation
@testable import NewsText
import Testing

/// The Traditional→Simplified pairs are generated from ICU (`scripts/gen-hant-hans.swift`)
/// instead of asked of it at each start; these tests hold them to the ICU the tests run with.
@Suite("Traditional→Simplified pairs")
struct HantHansTests {
    /// ICU's transliteration of every ideograph in the folded blocks, computed here the way the
    /// generator does: one call, one character per line.
    static func icuMappings() throws -> [UInt32: UInt32] {
        var scalars: [UInt32] = []
        var source = String.UnicodeScalarView()
        for range in [0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF] as [ClosedRange<UInt32>] {
            for v in range {
                guard let u = Unicode.Scalar(v) else { continue }
                scalars.append(v)
                source.append(u)
                source.append("\n")
            }
        }
        let out = try #require(String(source).applyingTransform(StringTransform("Hant-Hans"), reverse: false))
        let lines = out.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        try #require(lines.count >= scalars.count)
        var map: [UInt32: UInt32] = [:]
        for (i, v) in scalars.enumerated() where lines[i].count == 1 {
            if let m = lines[i].first?.value, m != v { map[v] = m }
        }
        return map
    }

    @Test("the generated pairs are exactly ICU's Hant-Hans mapping (else: swift scripts/gen-hant-hans.swift)")
    func pairsMatchICU() throws {
        let icu = try Self.icuMappings()
        let generated = HantHans.mappings()
        #expect(generated.count > 2_500, "about 3,000 ideographs differ between the scripts")
        var ours: [UInt32: UInt32] = [:]
        for (t, s) in generated {
            #expect(ours[t] == nil, "U+\(String(t, radix: 16, uppercase: true)) listed twice")
            ours[t] = s
        }
        let differing = Set(icu.keys).symmetricDifference(ours.keys).union(icu.keys.filter { icu[$0] != ours[$0] })
        #expect(differing.isEmpty, "\(differing.count) ideographs differ from ICU, e.g. \(differing.sorted().prefix(5).map { String(Unicode.Scalar($0)!) })")
    }

    @Test("the table folds the characters the folding relies on, and leaves Simplified and shared ones alone")
    func tableFolds() {
        func fold(_ c: Character) -> Character {
            let v = c.unicodeScalars.first!.value
            return Character(Unicode.Scalar(HantHans.table[Int(v - HantHans.lowerBound)])!)
        }
        for (t, s) in [("開", "开"), ("源", "源"), ("脫", "脱"), ("鉤", "钩"), ("晶", "晶"), ("體", "体"), ("臺", "台"), ("灣", "湾"), ("陸", "陆")] as [(Character, Character)] {
            #expect(fold(t) == s, "\(t) -> \(fold(t)), want \(s)")
        }
        for c in "开源脱钩人工智能芯片中国" { #expect(fold(c) == c) }
    }
}
