import Foundation
import IngestCore
import NewsText

/// The tagger's scoring as it was before the per-item buffers and deferred quoting
/// (session 4): a straightforward reading of the rules, kept as the oracle that tests
/// compare the fast path with (`TagFastPathTests`). Not used by the pipeline.
extension TopicTagger {
    /// Topics and evidence by the reference scoring; `foldingFirst` forces the general path.
    func referenceTag(
        title: String, summary: String?, content: String?, foldingFirst: Bool = false
    ) -> [(topic: String, terms: [String])] {
        let topicCount = taxonomy.topics.count
        var scores = [Double](repeating: 0, count: topicCount)
        var evidence = [[String]](repeating: [], count: topicCount)
        var scratch = ReferenceScratch()
        scratch.foldingFirst = foldingFirst
        // An off-story item is read without its names: their hits, and the hits inside them, go.
        scratch.namesOff = isOffstory(title)
        if !isMuted(title) {
            referenceScore(field: .title, text: title, scratch: &scratch, scores: &scores, evidence: &evidence)
        }
        if let summary { referenceScore(field: .summary, text: summary, scratch: &scratch, scores: &scores, evidence: &evidence) }
        if let content { referenceScore(field: .content, text: content, scratch: &scratch, scores: &scores, evidence: &evidence) }
        var result: [(topic: String, terms: [String])] = []
        for (t, topic) in taxonomy.topics.enumerated() where scores[t] >= taxonomy.threshold - 1e-9 {
            result.append((topic: topic.id, terms: evidence[t]))
        }
        return result
    }

    /// A term occurrence that passed its edge rules: `start..<end` in folded scalars (for
    /// comparing spans) and `startByte..<endByte` in the text's UTF-8 (for quoting).
    struct ReferenceHit {
        var pattern: Int
        var start: Int
        var end: Int
        var startByte: Int
        var endByte: Int
    }

    /// Buffers reused across an item's fields.
    struct ReferenceScratch {
        var occurrences: [TermAutomaton.Occurrence] = []
        var hits: [ReferenceHit] = []
        var folded: [UInt32] = []
        var sourceUTF8: [Int32] = []
        var foldingFirst = false
        var namesOff = false
        var scoring = ReferenceScoringBuffers()
    }

    /// Every name hit, and every hit that lies inside one, removed.
    func referenceDropNames(_ hits: inout [ReferenceHit]) {
        let names = hits.filter { facts[$0.pattern].flags & Self.scanName != 0 }
        hits.removeAll { h in
            facts[h.pattern].flags & Self.scanName != 0
                || names.contains { $0.start <= h.start && h.end <= $0.end }
        }
    }

    static func referenceQuote(_ bytes: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<to]), as: UTF8.self)
    }

    func referenceScore(
        field: Field, text: String, scratch: inout ReferenceScratch, scores: inout [Double], evidence: inout [[String]]
    ) {
        guard !text.isEmpty else { return }
        var text = text
        if text.utf8.withContiguousStorageIfAvailable({ _ in }) == nil { text.makeContiguousUTF8() }
        text.utf8.withContiguousStorageIfAvailable { bytes in
            scratch.hits.removeAll(keepingCapacity: true)
            if scratch.foldingFirst || !referenceCollectHits(bytes, scratch: &scratch) {
                scratch.hits.removeAll(keepingCapacity: true)
                referenceCollectHitsOnFoldedText(text, scratch: &scratch)
            }
            if scratch.namesOff { referenceDropNames(&scratch.hits) }
            guard !scratch.hits.isEmpty else { return }
            referenceAccumulate(field: field, hits: scratch.hits, bytes: bytes, scores: &scores, evidence: &evidence,
                       buffers: &scratch.scoring)
        }
    }

    /// The hot path: scans the UTF-8 as published, folding on the fly, and checks the few
    /// occurrences against their edge rules by decoding their neighbours in place. Returns
    /// false when the text has a scalar that folds to several (then offsets in folded
    /// scalars and in the text no longer correspond one to one).
    func referenceCollectHits(_ bytes: UnsafeBufferPointer<UInt8>, scratch: inout ReferenceScratch) -> Bool {
        scratch.occurrences.removeAll(keepingCapacity: true)
        guard automaton.scanUTF8(bytes, into: &scratch.occurrences) else { return false }
        let n = bytes.count
        for o in scratch.occurrences {
            let id = Int(o.pattern)
            let length = Int(facts[id].length)
            let f = facts[id].flags
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
                TermPattern.halfWidth(Self.referenceQuote(bytes, startByte, endByte)) != patternExactCase[Int32(id)]
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
                ReferenceHit(pattern: id, start: end - length, end: wordEnd, startByte: startByte, endByte: wordEndByte))
        }
        return true
    }

    /// The general path: folds the text into scalars first, keeping each folded scalar's
    /// UTF-8 offset in the text, and scans the folded form.
    func referenceCollectHitsOnFoldedText(_ text: String, scratch: inout ReferenceScratch) {
        let count = TextFolding.foldScalars(text, into: &scratch.folded, sourceUTF8: &scratch.sourceUTF8)
        let sourceUTF8 = scratch.sourceUTF8
        var hits: [ReferenceHit] = []
        /// The text as published behind folded scalars `start..<end`, as UTF-8 offsets.
        func bytes(_ start: Int, _ end: Int) -> (Int, Int) {
            let last = sourceUTF8[end - 1]
            var k = end
            while sourceUTF8[k] == last { k += 1 }  // a scalar folded to several (`İ` -> `i̇`)
            return (Int(sourceUTF8[start]), Int(sourceUTF8[k]))
        }
        scratch.folded.withUnsafeBufferPointer { all in
        let scalars = UnsafeBufferPointer(rebasing: all[0..<count])
        facts.withUnsafeBufferPointer { facts in
            automaton.scanFolded(scalars) { id, end in
                let start = end - Int(facts[id].length)
                let f = facts[id].flags
                if f & Self.scanLeftBoundary != 0 && start > 0 && isWordScalarValue(scalars[start - 1]) { return }
                if f & Self.scanRightBoundary != 0 && end < scalars.count && isWordScalarValue(scalars[end]) {
                    return
                }
                if f & Self.scanExactCase != 0 {
                    let (from, to) = bytes(start, end)
                    let quoted = String(decoding: Array(text.utf8)[from..<to], as: UTF8.self)
                    if TermPattern.halfWidth(quoted) != patternExactCase[Int32(id)] { return }
                }
                var wordEnd = end
                if f & Self.scanToWordEnd != 0 {
                    while wordEnd < scalars.count && isWordScalarValue(scalars[wordEnd]) { wordEnd += 1 }
                }
                let (from, to) = bytes(start, wordEnd)
                hits.append(ReferenceHit(pattern: id, start: start, end: wordEnd, startByte: from, endByte: to))
            }
        }}
        scratch.hits = hits
    }

    /// Scores one field's hits per topic: exclusions, one mention per span, nested terms,
    /// repeat caps, pairs; then quotes the evidence. Hits per topic are few, so small
    /// linear searches in reused buffers replace the dictionaries this once used.
    func referenceAccumulate(
        field: Field, hits: [ReferenceHit], bytes: UnsafeBufferPointer<UInt8>, scores: inout [Double],
        evidence: inout [[String]], buffers b: inout ReferenceScoringBuffers
    ) {
        // Hit indices grouped by topic, in scan order within a topic.
        b.order.removeAll(keepingCapacity: true)
        for i in hits.indices { b.order.append(Int32(i)) }
        let facts = self.facts
        b.order.sort { x, y in
            let tx = facts[hits[Int(x)].pattern].topic
            let ty = facts[hits[Int(y)].pattern].topic
            return tx != ty ? tx < ty : x < y
        }
        var g = 0
        while g < b.order.count {
            let t = Int(facts[hits[Int(b.order[g])].pattern].topic)
            var e = g + 1
            while e < b.order.count && Int(facts[hits[Int(b.order[e])].pattern].topic) == t { e += 1 }
            referenceScore(topic: t, hits: hits, group: g..<e, field: field, bytes: bytes, scores: &scores,
                  evidence: &evidence, buffers: &b)
            g = e
        }
    }

    struct ReferenceScoringBuffers {
        var order: [Int32] = []
        var exclusions: [ReferenceHit] = []
        var live: [ReferenceHit] = []
        var spans: [ReferenceHit] = []
        var counted: [ReferenceHit] = []
        var repeats: [(key: Int32, count: Int)] = []
        var found: [ReferenceHit] = []
    }

    func referenceScore(
        topic t: Int, hits: [ReferenceHit], group: Range<Int>, field: Field, bytes: UnsafeBufferPointer<UInt8>,
        scores: inout [Double], evidence: inout [[String]], buffers b: inout ReferenceScoringBuffers
    ) {
        b.exclusions.removeAll(keepingCapacity: true)
        for k in group where facts[hits[Int(b.order[k])].pattern].kind == Self.kindExclusion {
            let h = hits[Int(b.order[k])]
            // An `exclude_with` exclusion holds only with a hit of each of its rule's later groups, an
            // `exclude_unless` one only without.
            let rule = Int(patternRule[h.pattern])
            if rule >= 0 {
                let groups = taxonomy.topics[t].contextExclusions[rule].count
                let company = (1..<groups).allSatisfy { g in
                    group.contains { k in
                        let p = hits[Int(b.order[k])].pattern
                        return facts[p].kind == Self.kindExclusionContext && Int(patternRule[p]) == rule && Int(patternGroup[p]) == g
                    }
                }
                if company == taxonomy.topics[t].exclusionHoldsWithoutCompany(rule) { continue }
            }
            b.exclusions.append(h)
        }
        b.live.removeAll(keepingCapacity: true)
        for k in group {
            let h = hits[Int(b.order[k])]
            guard facts[h.pattern].kind != Self.kindExclusion else { continue }
            if b.exclusions.contains(where: { $0.start < h.end && h.start < $0.end }) { continue }
            b.live.append(h)
        }
        // Two written terms can yield the same form (`trade` -> `trades`, and `trades`):
        // one span is one mention, at the larger weight (the first seen among equals).
        b.spans.removeAll(keepingCapacity: true)
        for h in b.live where facts[h.pattern].kind == Self.kindTerm {
            let w = facts[h.pattern].weight
            if let k = b.spans.firstIndex(where: { $0.start == h.start && $0.end == h.end }) {
                if facts[b.spans[k].pattern].weight >= w { continue }
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
            let key = facts[h.pattern].termKey
            // A weak term is a hint: saying it again is not more evidence, so it counts once
            // per field ("security ... security" is still one hint).
            let limit = facts[h.pattern].weight < 1 ? 1 : taxonomy.maxRepeats
            if let k = b.repeats.firstIndex(where: { $0.key == key }) {
                guard b.repeats[k].count < limit else { continue }
                b.repeats[k].count += 1
            } else {
                guard taxonomy.maxRepeats > 0 else { continue }
                b.repeats.append((key, 1))
            }
            scores[t] += facts[h.pattern].weight * fieldWeight
            b.found.append(h)
        }
        // Context rules: the first rule whose groups all match gives the field's weight once,
        // however many rules match (they are alternative readings of the same evidence).
        let rules = topic.contextRules
        if !rules.isEmpty {
            let sorted = b.live.sorted(by: { $0.start < $1.start })
            for (r, rule) in rules.enumerated() {
                var groupHits = [ReferenceHit?](repeating: nil, count: rule.count)
                for h in sorted where facts[h.pattern].kind == Self.kindPairMember && Int(patternRule[h.pattern]) == r {
                    let g = Int(patternGroup[h.pattern])
                    if groupHits[g] == nil { groupHits[g] = h }
                }
                if groupHits.allSatisfy({ $0 != nil }) {
                    scores[t] += fieldWeight
                    let quoted = topic.pairEvidenceFirstGroupOnly ? [groupHits[0]!] : groupHits.compactMap { $0 }
                    let terms = b.found
                    b.found += quoted.filter { h in !terms.contains { $0.start <= h.start && h.end <= $0.end } }
                    break
                }
            }
        }
        guard !b.found.isEmpty else { return }
        for h in b.found.sorted(by: { $0.start < $1.start }) {
            let quoted = Self.referenceQuote(bytes, h.startByte, h.endByte)
            if !evidence[t].contains(quoted) { evidence[t].append(quoted) }
        }
    }
}
