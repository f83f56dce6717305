import Testing
@testable import Pipeline

/// The ad-hoc run's duplicate filter keeps hex ids as numbers; these pin that no two
/// different ids collapse into one and no repeat slips through.
@Suite struct ItemIDSetTests {
    /// Inserts each id in turn; true where it was new.
    private func inserting(_ ids: [String], into set: inout ItemIDSet) -> [Bool] {
        ids.map { set.insert($0) }
    }

    @Test func repeatsAreCaughtAndDistinctIdsKept() {
        var set = ItemIDSet()
        let ids = ["00000000000000ab", "00000000000000ab", "10000000000000ab", "ffffffffffffffff", "ffffffffffffffff"]
        let inserted = inserting(ids, into: &set)
        #expect(inserted == [true, false, true, true, false])
        #expect(set.count == 3)
    }

    @Test func idsOfOtherShapesStayStrings() {
        var set = ItemIDSet()
        // The same number as hex, but different ids: shorter, upper-case, longer; then a URI.
        let ids = ["00000000000000ab", "ab", "00000000000000AB", "000000000000000ab", "tag:example.com,2025:1",
                   "ab", "00000000000000AB", "tag:example.com,2025:1"]
        let inserted = inserting(ids, into: &set)
        #expect(inserted == [true, true, true, true, true, false, false, false])
        #expect(set.count == 5)
    }

    @Test func manyHashesAllKept() {
        var set = ItemIDSet()
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var ids: [String] = []
        for _ in 0..<5_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let hex = String(state, radix: 16)
            ids.append(String(repeating: "0", count: 16 - hex.count) + hex)
        }
        let first = inserting(ids, into: &set)
        let again = inserting(ids, into: &set)
        #expect(first.allSatisfy { $0 })
        #expect(again.allSatisfy { !$0 })
        #expect(set.count == 5_000)
    }
}
