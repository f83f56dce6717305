import Foundation
import IngestCore
import NewsText

/// Assigns taxonomy topics to items the way a bilingual news editor would: from what the
/// headline is about, or from repeated mentions in the body, never from one passing word
/// or a false friend.
///
/// All terms of all topics are compiled into a single automaton over folded text, so each
/// field is read once whatever the size of the taxonomy.
public final class TopicTagger: Sendable {
    /// What a pattern means for its topic.
    enum Role: Sendable, Equatable {
        case term(weight: Double)
        case exclusion
        case pairMember(rule: Int, group: Int)
    }

    struct PatternInfo: Sendable {
        var topic: Int
        var role: Role
        /// The term as written in the taxonomy: repeats are counted per written term, so
        /// `chip` and `chips` are one term.
        var termKey: Int
        var pattern: TermPattern
    }

    enum Field: Int, CaseIterable { case title, summary, content }

    public let taxonomy: Taxonomy
    private let automaton: TermAutomaton
    /// Finds the taxonomy's muted headline forms (one topic whose terms they are), with the same
    /// folding and word edges as every other term; nil when the taxonomy mutes nothing.
    private let titleMute: TopicTagger?
    private let patterns: [PatternInfo]
    /// Per pattern, what the scan callback needs, as plain values (no copies of
    /// `PatternInfo`, which holds references): length in scalars and `scanFlag*` bits.
    private let patternLengths: [Int32]
    private let patternFlags: [UInt8]
    /// Per pattern, what scoring reads, as plain values (`patterns` holds references, and
    /// copying its elements in the scoring loops costs reference counting).
    private let patternTopic: [Int32]
    private let patternKind: [UInt8]
    private let patternWeight: [Double]
    private let patternGroup: [Int32]
    private let patternRule: [Int32]
    private let patternTermKey: [Int32]
    private static let kindTerm: UInt8 = 0
    private static let kindExclusion: UInt8 = 1
    private static let kindPairMember: UInt8 = 2
    private static let scanLeftBoundary: UInt8 = 1
    private static let scanRightBoundary: UInt8 = 2
    private static let scanExactCase: UInt8 = 4
    private static let scanToWordEnd: UInt8 = 8

    public init(taxonomy: Taxonomy) {
        self.taxonomy = taxonomy
        self.titleMute = taxonomy.mutedTitles.isEmpty ? nil : TopicTagger(taxonomy: Taxonomy(
            topics: [Taxonomy.Topic(id: "muted", terms: taxonomy.mutedTitles)], threshold: 1,
            fieldWeights: Taxonomy.FieldWeights(title: 1, summary: 1, content: 1)))
        var infos: [PatternInfo] = []
        var termKeys: [String: Int] = [:]
        func add(_ written: String, topic: Int, role: Role) {
            let key = termKeys["\(topic)\u{0}\(written)", default: termKeys.count]
            termKeys["\(topic)\u{0}\(written)"] = key
            // `*term` is left-open: it may end a longer word, as in compounds written solid
            // (`*attack` finds "cyberattack"); the right edge keeps its word boundary.
            let leftOpen = written.hasPrefix("*")
            for var p in TermPattern.expand(leftOpen ? String(written.dropFirst()) : written) {
                if leftOpen { p.needsLeftBoundary = false }
                infos.append(PatternInfo(topic: topic, role: role, termKey: key, pattern: p))
            }
        }
        for (t, topic) in taxonomy.topics.enumerated() {
            for term in topic.terms { add(term, topic: t, role: .term(weight: 1)) }
            for term in topic.weakTerms { add(term, topic: t, role: .term(weight: taxonomy.weakWeight)) }
            for term in topic.exclusions { add(term, topic: t, role: .exclusion) }
            for (r, rule) in topic.contextRules.enumerated() {
                for (g, group) in rule.enumerated() {
                    for term in group { add(term, topic: t, role: .pairMember(rule: r, group: g)) }
                }
            }
        }
        self.patterns = infos
        self.patternTopic = infos.map { Int32($0.topic) }
        self.patternKind = infos.map {
            switch $0.role {
            case .term: return Self.kindTerm
            case .exclusion: return Self.kindExclusion
            case .pairMember: return Self.kindPairMember
            }
        }
        self.patternWeight = infos.map { if case .term(let w) = $0.role { return w } else { return 0 } }
        self.patternGroup = infos.map { if case .pairMember(_, let g) = $0.role { return Int32(g) } else { return -1 } }
        self.patternRule = infos.map { if case .pairMember(let r, _) = $0.role { return Int32(r) } else { return -1 } }
        self.patternTermKey = infos.map { Int32($0.termKey) }
        self.patternLengths = infos.map { Int32($0.pattern.scalars.count) }
        self.patternFlags = infos.map { info in
            var f: UInt8 = 0
            if info.pattern.needsLeftBoundary { f |= Self.scanLeftBoundary }
            if info.pattern.needsRightBoundary { f |= Self.scanRightBoundary }
            if info.pattern.exactCase != nil { f |= Self.scanExactCase }
            if info.pattern.extendsToWordEnd { f |= Self.scanToWordEnd }
            return f
        }
        self.automaton = TermAutomaton(patterns: infos.map(\.pattern.scalars))
    }

    /// Number of searchable patterns (after expanding variants), for benchmarks.
    public var patternCount: Int { patterns.count }

    /// Size of the compiled automaton (states, letter classes, bytes of its tables), for benchmarks.
    public var automatonSize: (states: Int, classes: Int, bytes: Int) {
        (automaton.stateCount, automaton.classCount, automaton.memoryBytes)
    }

    /// For benchmarks: the raw pattern occurrences in `text` before edge rules and scoring,
    /// which separates the cost of the walk from the cost of what it finds.
    public func occurrenceCount(in text: String) -> Int {
        var text = text
        var found: [TermAutomaton.Occurrence] = []
        if text.withUTF8({ automaton.scanUTF8($0, into: &found) }) { return found.count }
        var folded: [UInt32] = []
        var offsets: [Int32] = []
        let count = TextFolding.foldScalars(text, into: &folded, sourceUTF8: &offsets)
        var n = 0
        folded.withUnsafeBufferPointer { automaton.scanFolded(UnsafeBufferPointer(rebasing: $0[0..<count])) { _, _ in n += 1 } }
        return n
    }

    /// Topics for an item's text, in taxonomy order, each with the terms that matched as
    /// they appear in the text.
    public func tag(title: String, summary: String?, content: String?) -> [(topic: String, terms: [String])] {
        tag(title: title, summary: summary, content: content, foldingFirst: false)
    }

    /// `foldingFirst` forces the general path (fold, then scan), for tests that check it
    /// agrees with the byte path.
    func tag(
        title: String, summary: String?, content: String?, foldingFirst: Bool
    ) -> [(topic: String, terms: [String])] {
        let topicCount = taxonomy.topics.count
        var scores = [Double](repeating: 0, count: topicCount)
        var evidence = [[String]](repeating: [], count: topicCount)
        var scratch = Scratch()
        scratch.foldingFirst = foldingFirst
        let muted = titleMute.map { !$0.tag(title: title, summary: nil, content: nil).isEmpty } ?? false
        if !muted { score(field: .title, text: title, scratch: &scratch, scores: &scores, evidence: &evidence) }
        if let summary { score(field: .summary, text: summary, scratch: &scratch, scores: &scores, evidence: &evidence) }
        if let content { score(field: .content, text: content, scratch: &scratch, scores: &scores, evidence: &evidence) }
        var result: [(topic: String, terms: [String])] = []
        for (t, topic) in taxonomy.topics.enumerated() where scores[t] >= taxonomy.threshold - 1e-9 {
            result.append((topic: topic.id, terms: evidence[t]))
        }
        return result
    }

    /// Sets `topics` and `topicEvidence` from the item's title, summary and content.
    public func tag(_ item: inout FeedItem) {
        let tags = tag(title: item.title, summary: item.summary, content: item.content)
        item.topics = tags.map(\.topic)
        item.topicEvidence = tags
    }

    /// A term occurrence that passed its edge rules: `start..<end` in folded scalars (for
    /// comparing spans) and `startByte..<endByte` in the text's UTF-8 (for quoting).
    private struct Hit {
        var pattern: Int
        var start: Int
        var end: Int
        var startByte: Int
        var endByte: Int
    }

    /// Buffers reused across an item's fields.
    private struct Scratch {
        var occurrences: [TermAutomaton.Occurrence] = []
        var hits: [Hit] = []
        var folded: [UInt32] = []
        var sourceUTF8: [Int32] = []
        var foldingFirst = false
        var scoring = ScoringBuffers()
    }

    private static func quote(_ bytes: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<to]), as: UTF8.self)
    }

    private func score(
        field: Field, text: String, scratch: inout Scratch, scores: inout [Double], evidence: inout [[String]]
    ) {
        guard !text.isEmpty else { return }
        var text = text
        if text.utf8.withContiguousStorageIfAvailable({ _ in }) == nil { text.makeContiguousUTF8() }
        text.utf8.withContiguousStorageIfAvailable { bytes in
            scratch.hits.removeAll(keepingCapacity: true)
            if scratch.foldingFirst || !collectHits(bytes, scratch: &scratch) {
                scratch.hits.removeAll(keepingCapacity: true)
                collectHitsOnFoldedText(text, scratch: &scratch)
            }
            guard !scratch.hits.isEmpty else { return }
            accumulate(field: field, hits: scratch.hits, bytes: bytes, scores: &scores, evidence: &evidence,
                       buffers: &scratch.scoring)
        }
    }

    /// The hot path: scans the UTF-8 as published, folding on the fly, and checks the few
    /// occurrences against their edge rules by decoding their neighbours in place. Returns
    /// false when the text has a scalar that folds to several (then offsets in folded
    /// scalars and in the text no longer correspond one to one).
    private func collectHits(_ bytes: UnsafeBufferPointer<UInt8>, scratch: inout Scratch) -> Bool {
        scratch.occurrences.removeAll(keepingCapacity: true)
        guard automaton.scanUTF8(bytes, into: &scratch.occurrences) else { return false }
        let n = bytes.count
        for o in scratch.occurrences {
            let id = Int(o.pattern)
            let length = Int(patternLengths[id])
            let f = patternFlags[id]
            let end = Int(o.end)
            let endByte = Int(o.endByte)
            var startByte = endByte
            for _ in 0..<length { startByte = TermAutomaton.scalarStart(bytes, before: startByte) }
            if f & Self.scanLeftBoundary != 0 && startByte > 0 {
                let before = TermAutomaton.scalarStart(bytes, before: startByte)
                let v = TermAutomaton.decode(bytes, at: before).0
                if automaton.isWordClass(automaton.classOfSource(v)) { continue }
            }
            if f & Self.scanRightBoundary != 0 && endByte < n {
                let v = TermAutomaton.decode(bytes, at: endByte).0
                if automaton.isWordClass(automaton.classOfSource(v)) { continue }
            }
            if f & Self.scanExactCase != 0,
                TermPattern.halfWidth(Self.quote(bytes, startByte, endByte)) != patterns[id].pattern.exactCase
            {
                continue
            }
            var wordEnd = end
            var wordEndByte = endByte
            if f & Self.scanToWordEnd != 0 {
                while wordEndByte < n {
                    let (v, width) = TermAutomaton.decode(bytes, at: wordEndByte)
                    guard automaton.isWordClass(automaton.classOfSource(v)) else { break }
                    wordEnd += 1
                    wordEndByte += width
                }
            }
            scratch.hits.append(
                Hit(pattern: id, start: end - length, end: wordEnd, startByte: startByte, endByte: wordEndByte))
        }
        return true
    }

    /// The general path: folds the text into scalars first, keeping each folded scalar's
    /// UTF-8 offset in the text, and scans the folded form.
    private func collectHitsOnFoldedText(_ text: String, scratch: inout Scratch) {
        let count = TextFolding.foldScalars(text, into: &scratch.folded, sourceUTF8: &scratch.sourceUTF8)
        let sourceUTF8 = scratch.sourceUTF8
        var hits: [Hit] = []
        /// The text as published behind folded scalars `start..<end`, as UTF-8 offsets.
        func bytes(_ start: Int, _ end: Int) -> (Int, Int) {
            let last = sourceUTF8[end - 1]
            var k = end
            while sourceUTF8[k] == last { k += 1 }  // a scalar folded to several (`İ` -> `i̇`)
            return (Int(sourceUTF8[start]), Int(sourceUTF8[k]))
        }
        scratch.folded.withUnsafeBufferPointer { all in
        let scalars = UnsafeBufferPointer(rebasing: all[0..<count])
        patternLengths.withUnsafeBufferPointer { lengths in
        patternFlags.withUnsafeBufferPointer { flags in
            automaton.scanFolded(scalars) { id, end in
                let start = end - Int(lengths[id])
                let f = flags[id]
                if f & Self.scanLeftBoundary != 0 && start > 0 && isWordScalarValue(scalars[start - 1]) { return }
                if f & Self.scanRightBoundary != 0 && end < scalars.count && isWordScalarValue(scalars[end]) {
                    return
                }
                if f & Self.scanExactCase != 0 {
                    let (from, to) = bytes(start, end)
                    let quoted = String(decoding: Array(text.utf8)[from..<to], as: UTF8.self)
                    if TermPattern.halfWidth(quoted) != patterns[id].pattern.exactCase { return }
                }
                var wordEnd = end
                if f & Self.scanToWordEnd != 0 {
                    while wordEnd < scalars.count && isWordScalarValue(scalars[wordEnd]) { wordEnd += 1 }
                }
                let (from, to) = bytes(start, wordEnd)
                hits.append(Hit(pattern: id, start: start, end: wordEnd, startByte: from, endByte: to))
            }
        }}}
        scratch.hits = hits
    }

    /// Scores one field's hits per topic: exclusions, one mention per span, nested terms,
    /// repeat caps, pairs; then quotes the evidence. Hits per topic are few, so small
    /// linear searches in reused buffers replace the dictionaries this once used.
    private func accumulate(
        field: Field, hits: [Hit], bytes: UnsafeBufferPointer<UInt8>, scores: inout [Double],
        evidence: inout [[String]], buffers b: inout ScoringBuffers
    ) {
        // Hit indices grouped by topic, in scan order within a topic.
        b.order.removeAll(keepingCapacity: true)
        for i in hits.indices { b.order.append(Int32(i)) }
        let topicOf = patternTopic
        b.order.sort { x, y in
            let tx = topicOf[hits[Int(x)].pattern]
            let ty = topicOf[hits[Int(y)].pattern]
            return tx != ty ? tx < ty : x < y
        }
        var g = 0
        while g < b.order.count {
            let t = Int(topicOf[hits[Int(b.order[g])].pattern])
            var e = g + 1
            while e < b.order.count && Int(topicOf[hits[Int(b.order[e])].pattern]) == t { e += 1 }
            score(topic: t, hits: hits, group: g..<e, field: field, bytes: bytes, scores: &scores,
                  evidence: &evidence, buffers: &b)
            g = e
        }
    }

    private struct ScoringBuffers {
        var order: [Int32] = []
        var exclusions: [Hit] = []
        var live: [Hit] = []
        var spans: [Hit] = []
        var counted: [Hit] = []
        var repeats: [(key: Int32, count: Int)] = []
        var found: [Hit] = []
    }

    private func score(
        topic t: Int, hits: [Hit], group: Range<Int>, field: Field, bytes: UnsafeBufferPointer<UInt8>,
        scores: inout [Double], evidence: inout [[String]], buffers b: inout ScoringBuffers
    ) {
        b.exclusions.removeAll(keepingCapacity: true)
        for k in group where patternKind[hits[Int(b.order[k])].pattern] == Self.kindExclusion {
            b.exclusions.append(hits[Int(b.order[k])])
        }
        b.live.removeAll(keepingCapacity: true)
        for k in group {
            let h = hits[Int(b.order[k])]
            guard patternKind[h.pattern] != Self.kindExclusion else { continue }
            if b.exclusions.contains(where: { $0.start < h.end && h.start < $0.end }) { continue }
            b.live.append(h)
        }
        // Two written terms can yield the same form (`trade` -> `trades`, and `trades`):
        // one span is one mention, at the larger weight (the first seen among equals).
        b.spans.removeAll(keepingCapacity: true)
        for h in b.live where patternKind[h.pattern] == Self.kindTerm {
            let w = patternWeight[h.pattern]
            if let k = b.spans.firstIndex(where: { $0.start == h.start && $0.end == h.end }) {
                if patternWeight[b.spans[k].pattern] >= w { continue }
                b.spans[k] = h
            } else {
                b.spans.append(h)
            }
        }
        // A term inside a longer term of the same topic (数据安全 in 数据安全法) is the
        // same evidence, not a second mention. Counted spans then have distinct starts.
        b.counted.removeAll(keepingCapacity: true)
        for h in b.spans where !b.spans.contains(where: { o in
            (o.start <= h.start && h.end <= o.end) && (o.end - o.start > h.end - h.start)
        }) {
            b.counted.append(h)
        }
        b.counted.sort { $0.start < $1.start }
        let topic = taxonomy.topics[t]
        let weights = topic.fieldWeights ?? taxonomy.fieldWeights
        let fieldWeight: Double
        switch field {
        case .title: fieldWeight = weights.title
        case .summary: fieldWeight = weights.summary
        case .content: fieldWeight = weights.content
        }
        b.repeats.removeAll(keepingCapacity: true)
        b.found.removeAll(keepingCapacity: true)
        for h in b.counted {
            let key = patternTermKey[h.pattern]
            // A weak term is a hint: saying it again is not more evidence, so it counts once
            // per field ("security ... security" is still one hint).
            let limit = patternWeight[h.pattern] < 1 ? 1 : taxonomy.maxRepeats
            if let k = b.repeats.firstIndex(where: { $0.key == key }) {
                guard b.repeats[k].count < limit else { continue }
                b.repeats[k].count += 1
            } else {
                guard taxonomy.maxRepeats > 0 else { continue }
                b.repeats.append((key, 1))
            }
            scores[t] += patternWeight[h.pattern] * fieldWeight
            b.found.append(h)
        }
        // Context rules: the first rule whose groups all match gives the field's weight once,
        // however many rules match (they are alternative readings of the same evidence).
        let rules = topic.contextRules
        if !rules.isEmpty {
            let sorted = b.live.sorted(by: { $0.start < $1.start })
            for (r, rule) in rules.enumerated() {
                var groupHits = [Hit?](repeating: nil, count: rule.count)
                for h in sorted where patternKind[h.pattern] == Self.kindPairMember && Int(patternRule[h.pattern]) == r {
                    let g = Int(patternGroup[h.pattern])
                    if groupHits[g] == nil { groupHits[g] = h }
                }
                if groupHits.allSatisfy({ $0 != nil }) {
                    scores[t] += fieldWeight
                    b.found += topic.pairEvidenceFirstGroupOnly ? [groupHits[0]!] : groupHits.compactMap { $0 }
                    break
                }
            }
        }
        guard !b.found.isEmpty else { return }
        for h in b.found.sorted(by: { $0.start < $1.start }) {
            let quoted = Self.quote(bytes, h.startByte, h.endByte)
            if !evidence[t].contains(quoted) { evidence[t].append(quoted) }
        }
    }
}
