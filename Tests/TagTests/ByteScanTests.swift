import Foundation
import NewsText
import Testing
@testable import Tag

/// The tagger reads text as published (UTF-8, folding on the fly) and falls back to folding
/// first only for the rare scalars that fold to several. Both must find exactly the same
/// things, or the output would depend on which path an item took.
@Suite struct ByteScanTests {
    /// Scalars as they may be published, with what folding does to them: case, full width,
    /// Traditional script, typographic spaces and hyphens, and a scalar beyond the BMP.
    static let published: [String] = [
        "a", "b", "i", "A", "B", "I", "Ａ", "ｂ", "Ｉ", " ", "\u{3000}", "-", "\u{2011}", "é", "É",
        "开", "開", "源", "脱", "脫", "钩", "鉤", "中", "\u{20BB7}", "\u{1F600}", "，", ",", "1", "１",
    ]

    @Test func byteScanFindsWhatTheFoldedScanFinds() {
        var rng = SplitMix(seed: 7)
        let folded = Self.published.map { TextFolding.fold($0).unicodeScalars.map(\.value) }
        for _ in 0..<200 {
            let patterns: [[UInt32]] = (0..<Int(rng.next() % 20 + 1)).map { _ in
                (0..<Int(rng.next() % 4 + 1)).flatMap { _ in folded[Int(rng.next() % UInt64(folded.count))] }
            }
            let automaton = TermAutomaton(patterns: patterns)
            let text = (0..<Int(rng.next() % 60)).map { _ in Self.published[Int(rng.next() % UInt64(Self.published.count))] }
                .joined()
            var scalars: [UInt32] = []
            var offsets: [Int32] = []
            let count = TextFolding.foldScalars(text, into: &scalars, sourceUTF8: &offsets)
            var expected: [[Int]] = []
            scalars.withUnsafeBufferPointer { all in
                automaton.scanFolded(UnsafeBufferPointer(rebasing: all[0..<count])) { id, end in
                    expected.append([id, end, Int(offsets[end])])
                }
            }
            var occurrences: [TermAutomaton.Occurrence] = []
            var copy = text
            let complete = copy.withUTF8 { automaton.scanUTF8($0, into: &occurrences) }
            #expect(complete)
            #expect(occurrences.map { [Int($0.pattern), Int($0.end), Int($0.endByte)] } == expected)
        }
    }

    /// Long texts are read as two interleaved walks (`scanUTF8(_:into:spare:)`): the
    /// occurrences, their order, ends and starts must be those of one walk, including
    /// patterns that straddle the middle and patterns longer than the scan's start memory;
    /// and a scalar that folds to several, in either half, must still give way.
    @Test func twoWalksFindWhatOneWalkFinds() {
        var rng = SplitMix(seed: 23)
        let folded = Self.published.map { TextFolding.fold($0).unicodeScalars.map(\.value) }
        for round in 0..<300 {
            var patterns: [[UInt32]] = (0..<Int(rng.next() % 20 + 1)).map { _ in
                (0..<Int(rng.next() % 4 + 1)).flatMap { _ in folded[Int(rng.next() % UInt64(folded.count))] }
            }
            if round % 5 == 0 {
                // Longer than `startMemory` scalars: its start is found by walking back.
                patterns.append(Array(repeating: TextFolding.fold("a").unicodeScalars.first!.value, count: 70))
            }
            let automaton = TermAutomaton(patterns: patterns)
            var parts = (0..<Int(rng.next() % 400 + 40)).map { _ in Self.published[Int(rng.next() % UInt64(Self.published.count))] }
            if round % 5 == 0 { parts.insert(String(repeating: "A", count: 75), at: parts.count / 2) }
            if round % 7 == 0 { parts.insert("\u{130}", at: round % 2 == 0 ? 1 : parts.count - 1) }
            var text = parts.joined()
            var one: [TermAutomaton.Occurrence] = []
            let oneComplete = text.withUTF8 { automaton.scanUTF8($0, into: &one) }
            var two = ScratchBuffer<TermAutomaton.Occurrence>(capacity: 4)
            var spare = ScratchBuffer<TermAutomaton.Occurrence>(capacity: 4)
            defer {
                two.deallocate()
                spare.deallocate()
            }
            let twoComplete = text.withUTF8 { automaton.scanUTF8($0, into: &two, spare: &spare) }
            #expect(oneComplete == twoComplete)
            guard oneComplete else { continue }
            #expect(two.buffer.map { [$0.pattern, $0.end, $0.endByte, $0.startByte] }
                    == one.map { [$0.pattern, $0.end, $0.endByte, $0.startByte] })
        }
    }

    @Test func byteScanGivesWayToTextThatFoldsToSeveralScalars() {
        let automaton = TermAutomaton(patterns: [Array("ai".unicodeScalars.map(\.value))])
        var occurrences: [TermAutomaton.Occurrence] = []
        var text = "\u{130}stanbul AI"
        #expect(!text.withUTF8 { automaton.scanUTF8($0, into: &occurrences) })
        #expect(shippedTagger.tag(title: "\u{130}stanbul startup open-sources its AI model", summary: nil, content: nil)
            .first { $0.topic == "open-source" }?.terms == ["open-sources"])
    }

    /// Random headlines and bodies made of the shipped taxonomy's own terms in published
    /// variants (case, width, script, separators) and noise: the byte path and the
    /// fold-first path must give identical topics and evidence.
    @Test func bothPathsTagAlike() {
        var rng = SplitMix(seed: 11)
        let terms = shippedTagger.taxonomy.topics.flatMap { $0.terms + $0.weakTerms + $0.exclusions + $0.pairs.joined() }
            .map { $0.trimmingCharacters(in: ["=", "*"]) }
        let noise = ["said", "mail", "open", "sources", " ", " ", "，", "-", "的", "了", "美國", "中國", "Inc.", "2025", "開", "Ｉ"]
        func variant(_ term: String) -> String {
            switch rng.next() % 4 {
            case 0: return term.uppercased()
            case 1: return String(String.UnicodeScalarView(term.unicodeScalars.map { u in
                    u.value >= 0x21 && u.value <= 0x7E ? Unicode.Scalar(u.value - 0x21 + 0xFF01)! : u
                }))
            case 2: return term.applyingTransform(.init("Hans-Hant"), reverse: false) ?? term
            default: return term
            }
        }
        func text(_ pieces: Int) -> String {
            (0..<pieces).map { _ in
                rng.next() % 3 == 0 ? variant(terms[Int(rng.next() % UInt64(terms.count))])
                    : noise[Int(rng.next() % UInt64(noise.count))]
            }.joined(separator: rng.next() % 2 == 0 ? " " : "")
        }
        var tagged = 0
        for _ in 0..<400 {
            let title = text(6)
            let summary = rng.next() % 2 == 0 ? text(12) : nil
            let content = text(40)
            let fast = shippedTagger.tag(title: title, summary: summary, content: content, foldingFirst: false)
            let folded = shippedTagger.tag(title: title, summary: summary, content: content, foldingFirst: true)
            #expect(fast.map { "\($0.topic)\($0.terms)" } == folded.map { "\($0.topic)\($0.terms)" }, "\(title)")
            tagged += fast.count
        }
        #expect(tagged > 400)  // the texts really exercise the scoring, not just the scan
    }
}
