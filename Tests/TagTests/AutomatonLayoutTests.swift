import Foundation
import Testing
@testable import Tag

/// The automaton keeps shallow states as DFA rows and deeper ones as trie nodes, with a
/// budget deciding where one ends and the other begins. Whatever the budget, it must report
/// exactly what a naive search reports, in the same order (end position, then longer
/// patterns first, then pattern id), since the tagger's evidence follows that order.
@Suite struct AutomatonLayoutTests {
    /// Letters that make many overlaps (a small Latin alphabet) and many scattered classes
    /// (CJK), a separator, and a scalar beyond the BMP.
    static let alphabet: [String] = ["a", "b", "c", "d", " ", "-", "中", "美", "芯", "片", "开", "源", "\u{20BB7}"]

    /// Every occurrence by brute force (every substring of every length looked up among the
    /// patterns), in the order the automaton promises.
    static func naive(_ patterns: [[UInt32]], in text: [UInt32]) -> [[Int]] {
        var ids: [[UInt32]: [Int]] = [:]
        for (id, p) in patterns.enumerated() where !p.isEmpty { ids[p, default: []].append(id) }
        let longest = patterns.map(\.count).max() ?? 0
        var found: [[Int]] = []
        for end in stride(from: 1, through: text.count, by: 1) {
            for length in stride(from: min(longest, end), through: 1, by: -1) {
                for id in ids[Array(text[(end - length)..<end])] ?? [] { found.append([id, end]) }
            }
        }
        return found
    }

    static func randomCase(_ rng: inout SplitMix, patternCount: Int, maxLength: Int, textLength: Int)
        -> (patterns: [[UInt32]], text: String)
    {
        let scalars = alphabet.map { $0.unicodeScalars.first!.value }
        // Letters weighted toward the Latin ones, so patterns share prefixes and suffixes.
        func letter() -> Int { rng.next() % 3 == 0 ? Int(rng.next() % UInt64(scalars.count)) : Int(rng.next() % 4) }
        var patterns: [[UInt32]] = (0..<patternCount).map { _ in
            (0..<Int(rng.next() % UInt64(maxLength) + 1)).map { _ in scalars[letter()] }
        }
        if patternCount > 2 { patterns[1] = patterns[0] }  // equal patterns report in id order
        let text = (0..<textLength).map { _ in alphabet[letter()] }.joined()
        return (patterns, text)
    }

    @Test(arguments: [0, 1, 16, 256, TermAutomaton.denseCellBudget])
    func findsWhatANaiveSearchFindsInTheSameOrder(budget: Int) {
        var rng = SplitMix(seed: UInt64(1000 + budget))
        var sparseSeen = false
        for round in 0..<60 {
            let (patterns, text) = Self.randomCase(
                &rng, patternCount: round % 3 == 0 ? 300 : 40, maxLength: round % 2 == 0 ? 8 : 3, textLength: 300)
            let automaton = TermAutomaton(patterns: patterns, denseCellBudget: budget)
            if automaton.denseStateCount < automaton.stateCount { sparseSeen = true }
            let folded = text.unicodeScalars.map(\.value)
            let expected = Self.naive(patterns, in: folded)

            var viaFolded: [[Int]] = []
            automaton.scan(text.unicodeScalars.map { $0 }) { id, end in viaFolded.append([id, end]) }
            #expect(viaFolded == expected, "budget \(budget), round \(round)")

            var occurrences: [TermAutomaton.Occurrence] = []
            var copy = text
            #expect(copy.withUTF8 { automaton.scanUTF8($0, into: &occurrences) })
            #expect(occurrences.map { [Int($0.pattern), Int($0.end)] } == expected, "budget \(budget), round \(round)")
            // The byte offset of each end is that of the scalar it counts.
            let utf8Ends = text.unicodeScalars.indices.dropFirst().map { text.utf8.distance(from: text.startIndex, to: $0) }
                + [text.utf8.count]
            #expect(occurrences.allSatisfy { Int($0.endByte) == utf8Ends[Int($0.end) - 1] })
        }
        // A budget this small really leaves states as trie nodes, so both layouts are tested.
        if budget <= 16 { #expect(sparseSeen) }
    }

    /// A budget of zero keeps only the root and its children as rows: every deeper state is
    /// a trie node. A generous one takes every state of a small taxonomy into the DFA.
    @Test func budgetDecidesTheLayout() {
        let patterns = ["open source", "open-source", "opensource", "source", "芯片", "半导体"]
            .map { $0.unicodeScalars.map(\.value) }
        let small = TermAutomaton(patterns: patterns, denseCellBudget: 0)
        let roots = Set(patterns.map { $0[0] }).count
        #expect(small.denseStateCount == 1 + roots)
        let large = TermAutomaton(patterns: patterns)
        #expect(large.denseStateCount == large.stateCount)
        #expect(small.stateCount == large.stateCount)
    }

    /// The bench's shape at a size where rows and nodes both matter: thousands of random
    /// English two-word terms and Chinese words against random mixed text.
    @Test func largeRandomTaxonomyAgreesWithNaiveSearch() {
        var rng = SplitMix(seed: 99)
        let letters = Array("abcdefghij").map { $0.unicodeScalars.first!.value }
        func word(_ n: Int) -> [UInt32] { (0..<n).map { _ in letters[Int(rng.next() % UInt64(letters.count))] } }
        func chinese(_ n: Int) -> [UInt32] { (0..<n).map { _ in UInt32(0x4E00 + rng.next() % 40) } }
        var patterns: [[UInt32]] = []
        for i in 0..<3000 {
            patterns.append(i % 2 == 0 ? word(3 + Int(rng.next() % 4)) + [0x20] + word(3 + Int(rng.next() % 4))
                : chinese(2 + Int(rng.next() % 3)))
        }
        var text: [UInt32] = []
        while text.count < 3000 {
            text += rng.next() % 2 == 0 ? word(2 + Int(rng.next() % 6)) + [0x20] : chinese(1 + Int(rng.next() % 4))
        }
        for budget in [64, 4096, TermAutomaton.denseCellBudget] {
            let automaton = TermAutomaton(patterns: patterns, denseCellBudget: budget)
            var found: [[Int]] = []
            text.withUnsafeBufferPointer { automaton.scanFolded($0) { id, end in found.append([id, end]) } }
            let expected = Self.naive(patterns, in: text)
            #expect(found == expected, "budget \(budget)")
            #expect(expected.count > 100)
        }
    }
}
