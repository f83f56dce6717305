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
        case pairMember(group: Int)
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
    private let patterns: [PatternInfo]
    /// Per pattern, what the scan callback needs, as plain values (no copies of
    /// `PatternInfo`, which holds references): length in scalars and `scanFlag*` bits.
    private let patternLengths: [Int32]
    private let patternFlags: [UInt8]
    private static let scanLeftBoundary: UInt8 = 1
    private static let scanRightBoundary: UInt8 = 2
    private static let scanExactCase: UInt8 = 4
    private static let scanToWordEnd: UInt8 = 8

    public init(taxonomy: Taxonomy) {
        self.taxonomy = taxonomy
        var infos: [PatternInfo] = []
        var termKeys: [String: Int] = [:]
        func add(_ written: String, topic: Int, role: Role) {
            let key = termKeys["\(topic)\u{0}\(written)", default: termKeys.count]
            termKeys["\(topic)\u{0}\(written)"] = key
            for p in TermPattern.expand(written) {
                infos.append(PatternInfo(topic: topic, role: role, termKey: key, pattern: p))
            }
        }
        for (t, topic) in taxonomy.topics.enumerated() {
            for term in topic.terms { add(term, topic: t, role: .term(weight: 1)) }
            for term in topic.weakTerms { add(term, topic: t, role: .term(weight: taxonomy.weakWeight)) }
            for term in topic.exclusions { add(term, topic: t, role: .exclusion) }
            for (g, group) in topic.pairs.enumerated() {
                for term in group { add(term, topic: t, role: .pairMember(group: g)) }
            }
        }
        self.patterns = infos
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

    /// Topics for an item's text, in taxonomy order, each with the terms that matched as
    /// they appear in the text.
    public func tag(title: String, summary: String?, content: String?) -> [(topic: String, terms: [String])] {
        let topicCount = taxonomy.topics.count
        var scores = [Double](repeating: 0, count: topicCount)
        var evidence = [[String]](repeating: [], count: topicCount)
        var scratch = FoldScratch()
        for (field, text) in [(Field.title, title), (.summary, summary), (.content, content)] {
            guard let text, !text.isEmpty else { continue }
            score(field: field, text: text, scratch: &scratch, scores: &scores, evidence: &evidence)
        }
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

    private struct Hit {
        var pattern: Int
        var start: Int
        var end: Int
    }

    /// Buffers reused across an item's fields.
    private struct FoldScratch {
        var folded: [UInt32] = []
        var sourceUTF8: [Int32] = []
    }

    /// The text as published behind folded scalars `start..<end`.
    private static func quote(_ text: String, sourceUTF8: [Int32], start: Int, end: Int) -> String {
        let from = Int(sourceUTF8[start])
        let last = sourceUTF8[end - 1]
        var k = end
        while sourceUTF8[k] == last { k += 1 }  // a scalar folded to several (`İ` -> `i̇`)
        let to = Int(sourceUTF8[k])
        if let s = text.utf8.withContiguousStorageIfAvailable({
            String(decoding: UnsafeBufferPointer(rebasing: $0[from..<to]), as: UTF8.self)
        }) {
            return s
        }
        return String(decoding: Array(text.utf8)[from..<to], as: UTF8.self)
    }

    private func score(
        field: Field, text: String, scratch: inout FoldScratch, scores: inout [Double], evidence: inout [[String]]
    ) {
        let count = TextFolding.foldScalars(text, into: &scratch.folded, sourceUTF8: &scratch.sourceUTF8)
        let sourceUTF8 = scratch.sourceUTF8
        var hits: [Hit] = []
        scratch.folded.withUnsafeBufferPointer { all in
        let scalars = UnsafeBufferPointer(rebasing: all[0..<count])
        patternLengths.withUnsafeBufferPointer { lengths in
        patternFlags.withUnsafeBufferPointer { flags in
            automaton.scan(scalars) { id, end in
                let start = end - Int(lengths[id])
                let f = flags[id]
                if f & Self.scanLeftBoundary != 0 && start > 0 && isWordScalarValue(scalars[start - 1]) { return }
                if f & Self.scanRightBoundary != 0 && end < scalars.count && isWordScalarValue(scalars[end]) {
                    return
                }
                if f & Self.scanExactCase != 0,
                    TermPattern.halfWidth(Self.quote(text, sourceUTF8: sourceUTF8, start: start, end: end))
                        != patterns[id].pattern.exactCase
                {
                    return
                }
                var wordEnd = end
                if f & Self.scanToWordEnd != 0 {
                    while wordEnd < scalars.count && isWordScalarValue(scalars[wordEnd]) { wordEnd += 1 }
                }
                hits.append(Hit(pattern: id, start: start, end: wordEnd))
            }
        }}}
        guard !hits.isEmpty else { return }

        // Hits per topic; most items touch no topic or one, so a small dictionary suffices.
        var byTopic: [Int: [Hit]] = [:]
        for h in hits { byTopic[patterns[h.pattern].topic, default: []].append(h) }

        for (t, topicHits) in byTopic {
            let exclusions = topicHits.filter { patterns[$0.pattern].role == .exclusion }
            let live = topicHits.filter { h in
                patterns[h.pattern].role != .exclusion
                    && !exclusions.contains { $0.start < h.end && h.start < $0.end }
            }
            // Two written terms can yield the same form (`trade` -> `trades`, and `trades`):
            // one span is one mention, at the larger weight.
            var bySpan: [Int: Hit] = [:]
            for h in live {
                guard case .term(let w) = patterns[h.pattern].role else { continue }
                let key = h.start << 32 | h.end
                if let old = bySpan[key], case .term(let ow) = patterns[old.pattern].role, ow >= w { continue }
                bySpan[key] = h
            }
            let terms = Array(bySpan.values)
            // A term inside a longer term of the same topic (数据安全 in 数据安全法) is the
            // same evidence, not a second mention.
            let counted = terms.filter { h in
                !terms.contains { o in
                    (o.start <= h.start && h.end <= o.end) && (o.end - o.start > h.end - h.start)
                }
            }
            let topic = taxonomy.topics[t]
            let weights = topic.fieldWeights ?? taxonomy.fieldWeights
            let fieldWeight: Double
            switch field {
            case .title: fieldWeight = weights.title
            case .summary: fieldWeight = weights.summary
            case .content: fieldWeight = weights.content
            }
            var repeats: [Int: Int] = [:]
            var found: [Hit] = []
            for h in counted.sorted(by: { $0.start < $1.start }) {
                let info = patterns[h.pattern]
                guard case .term(let weight) = info.role else { continue }
                let n = repeats[info.termKey, default: 0]
                guard n < taxonomy.maxRepeats else { continue }
                repeats[info.termKey] = n + 1
                scores[t] += weight * fieldWeight
                found.append(h)
            }
            if !topic.pairs.isEmpty {
                var groupHits = [Hit?](repeating: nil, count: topic.pairs.count)
                for h in live.sorted(by: { $0.start < $1.start }) {
                    if case .pairMember(let g) = patterns[h.pattern].role, groupHits[g] == nil { groupHits[g] = h }
                }
                if groupHits.allSatisfy({ $0 != nil }) {
                    scores[t] += fieldWeight
                    found += topic.pairEvidenceFirstGroupOnly ? [groupHits[0]!] : groupHits.compactMap { $0 }
                }
            }
            for h in found.sorted(by: { $0.start < $1.start }) {
                let quoted = Self.quote(text, sourceUTF8: sourceUTF8, start: h.start, end: h.end)
                if !evidence[t].contains(quoted) { evidence[t].append(quoted) }
            }
        }
    }
}
