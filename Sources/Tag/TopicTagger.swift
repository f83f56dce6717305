import Foundation
import IngestCore
import NewsText
import Synchronization

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
        /// `rule` is the topic's `exclude_with` rule whose company the exclusion needs, nil for
        /// one that always holds.
        case exclusion(rule: Int?)
        case pairMember(rule: Int, group: Int)
        /// Company for `exclude_with` rule `rule` (group 1 and later).
        case exclusionContext(rule: Int, group: Int)
    }

    enum Field: Int, CaseIterable { case title, summary, content }

    /// What a hit's pattern means to the fast path (32 bytes, half a cache line).
    struct PatternFacts {
        /// The term's weight (0 for exclusions and pair members).
        var weight: Double
        var topic: Int32
        /// Length in folded scalars.
        var length: Int32
        /// UTF-8 width of the folded scalars, which is usually that of the text it matches.
        var width: Int32
        var termKey: Int32
        /// Its context group's slot counted from the first slot of its topic (-1 for patterns
        /// that are no pair member).
        var slot: Int32
        /// `kind*` value.
        var kind: UInt8
        /// `scanFlag*` bits.
        var flags: UInt8
    }

    public let taxonomy: Taxonomy
    let automaton: TermAutomaton
    /// Finds the taxonomy's muted headline forms (one topic whose terms they are), with the same
    /// folding and word edges as every other term; nil when the taxonomy mutes nothing.
    let titleMute: TopicTagger?
    /// Find the taxonomy's `offstory_titles`, `names` and `business_titles` in a headline; all nil
    /// when the taxonomy has no names, or neither off-story nor business words.
    let offstoryCue: TopicTagger?
    let nameCue: TopicTagger?
    let businessCue: TopicTagger?
    // No per-pattern objects are kept: their scalar arrays and strings
    // were 5 MB of a run's resident size (measured with heaptrack over the 3,474-feed corpus),
    // and every reader needs only the flat arrays below.
    let patternGroup: [Int32]
    let patternRule: [Int32]
    static let kindTerm: UInt8 = 0
    static let kindExclusion: UInt8 = 1
    static let kindPairMember: UInt8 = 2
    static let kindExclusionContext: UInt8 = 3
    static let scanLeftBoundary: UInt8 = 1
    static let scanRightBoundary: UInt8 = 2
    static let scanExactCase: UInt8 = 4
    static let scanToWordEnd: UInt8 = 8
    /// The pattern is one of the taxonomy's `names` as a term or context word (not as an
    /// exclusion): dropped from an item whose headline is not about the business.
    static let scanName: UInt8 = 16
    /// Per pattern, everything the fast path reads for each hit, in one record: a hit used
    /// to read up to eight separate arrays (length, flags, width, topic, kind, weight, term,
    /// slot), and with thousands of patterns next to an automaton larger than the cache,
    /// each read was a likely miss of its own.
    let facts: [PatternFacts]
    /// By pattern: the `=` term's required published form (absent for the rest).
    let patternExactCase: [Int32: String]
    /// The same as scalars, present only when all of them are canonically inert, so the
    /// check can compare scalars without building a `String`.
    let patternExactScalars: [Int32: [UInt32]]

    /// Per topic and field (`t * 3 + field`): the field weight scoring multiplies by.
    private let topicFieldWeights: [Double]
    /// Per topic: its context rules as group counts, `ruleGroupCounts[ruleStart[t]..<ruleStart[t + 1]]`.
    private let ruleStart: [Int32]
    private let ruleGroupCounts: [Int32]
    /// Per rule (same numbering as `ruleGroupCounts`, plus one end entry): where its groups'
    /// slots start, so that one pass over a topic's hits finds every rule's earliest hit
    /// per group (a pass per rule over every hit was most of the scoring on dense text).
    private let ruleSlotStart: [Int32]
    /// Per topic: its `exclude_with` and `exclude_unless` rules' group counts,
    /// `exclusionRuleGroupCounts[exclusionRuleStart[t]...]`, and whether each holds without its company.
    private let exclusionRuleStart: [Int32]
    private let exclusionRuleGroupCounts: [Int32]
    private let exclusionRuleHoldsWithoutCompany: [Bool]
    /// Per topic: a rule with no groups, which every field with a hit of the topic satisfies.
    private let topicHasEmptyRule: [Bool]
    private let topicPairFirstOnly: [Bool]
    private let topicIDs: [String]
    /// Most group slots of one topic's rules together.
    private let maxGroups: Int
    /// Per topic: its longest pattern in scalars, which bounds how far apart a span and a
    /// span containing it can end.
    private let topicMaxLength: [Int32]
    private let termKeyCount: Int
    /// Scoring buffers, reused across items (taken out for the length of one `tag` call).
    private let scratchPool = Mutex<[TagScratchBox]>([])

    public init(taxonomy: Taxonomy) {
        self.taxonomy = taxonomy
        /// A tagger that tags a text when any of `terms` occurs in it (one topic, every hit enough).
        func cue(_ terms: [String]) -> TopicTagger? {
            terms.isEmpty ? nil : TopicTagger(taxonomy: Taxonomy(
                topics: [Taxonomy.Topic(id: "cue", terms: terms)], threshold: 1,
                fieldWeights: Taxonomy.FieldWeights(title: 1, summary: 1, content: 1)))
        }
        self.titleMute = cue(taxonomy.mutedTitles)
        let namesCount = !taxonomy.names.isEmpty && !(taxonomy.offstoryTitles.isEmpty && taxonomy.businessTitles.isEmpty)
        if namesCount {
            self.offstoryCue = cue(taxonomy.offstoryTitles)
            self.businessCue = cue(taxonomy.businessTitles)
            self.nameCue = taxonomy.businessTitles.isEmpty ? nil : cue(taxonomy.names)
        } else {
            (self.offstoryCue, self.nameCue, self.businessCue) = (nil, nil, nil)
        }
        let names = namesCount ? Set(taxonomy.names) : []

        // Per-topic tables first: a pattern's facts need its topic's rule slots.
        var fieldWeights: [Double] = []
        var ruleStart: [Int32] = [0]
        var ruleGroupCounts: [Int32] = []
        for topic in taxonomy.topics {
            let w = topic.fieldWeights ?? taxonomy.fieldWeights
            fieldWeights += [w.title, w.summary, w.content]
            for rule in topic.contextRules { ruleGroupCounts.append(Int32(rule.count)) }
            ruleStart.append(Int32(ruleGroupCounts.count))
        }
        self.topicFieldWeights = fieldWeights
        var exclusionRuleStart: [Int32] = [0]
        var exclusionRuleGroupCounts: [Int32] = []
        var exclusionRuleHoldsWithoutCompany: [Bool] = []
        for topic in taxonomy.topics {
            exclusionRuleGroupCounts += topic.contextExclusions.map { Int32($0.count) }
            exclusionRuleHoldsWithoutCompany += topic.contextExclusions.indices.map(topic.exclusionHoldsWithoutCompany)
            exclusionRuleStart.append(Int32(exclusionRuleGroupCounts.count))
        }
        self.exclusionRuleStart = exclusionRuleStart
        self.exclusionRuleGroupCounts = exclusionRuleGroupCounts
        self.exclusionRuleHoldsWithoutCompany = exclusionRuleHoldsWithoutCompany
        self.ruleStart = ruleStart
        self.ruleGroupCounts = ruleGroupCounts
        var slotStart: [Int32] = [0]
        for count in ruleGroupCounts { slotStart.append(slotStart.last! + count) }
        self.ruleSlotStart = slotStart

        // Each pattern's facts, rule, group and scalars are written as the pattern is
        // expanded, straight into the arrays the tagger keeps and the automaton's flat list.
        // A list of the expanded patterns first held one small array per pattern; freed,
        // those blocks stayed resident in the heap under the compile's own tables, the peak
        // of a short run.
        var facts: [PatternFacts] = []
        var patternGroup: [Int32] = []
        var patternRule: [Int32] = []
        var exactCase: [Int32: String] = [:]
        var exactScalars: [Int32: [UInt32]] = [:]
        var maxLength = [Int32](repeating: 0, count: taxonomy.topics.count)
        var scalars = PatternList()
        // Repeats are counted per term as written in the taxonomy, so `chip` and `chips` are one term.
        var termKeys: [String: Int] = [:]
        // `scalars` goes in by argument, not by capture: the compile consumes it afterwards.
        func add(_ written: String, topic: Int, role: Role, into scalars: inout PatternList) {
            let key = termKeys["\(topic)\u{0}\(written)", default: termKeys.count]
            termKeys["\(topic)\u{0}\(written)"] = key
            // `*term` is left-open: it may end a longer word, as in compounds written solid
            // (`*attack` finds "cyberattack"); the right edge keeps its word boundary.
            let leftOpen = written.hasPrefix("*")
            let isName: Bool
            switch role {
            case .term, .pairMember: isName = names.contains(written)
            case .exclusion, .exclusionContext: isName = false
            }
            let kind: UInt8, weight: Double, group: Int32, rule: Int32, slot: Int32
            switch role {
            case .term(let w):
                (kind, weight, group, rule, slot) = (Self.kindTerm, w, -1, -1, -1)
            case .exclusion(let r):
                // An `exclude_with` rule's first group is its group 0; a plain exclusion has none.
                (kind, weight, group, rule, slot) = (Self.kindExclusion, 0, r == nil ? -1 : 0, Int32(r ?? -1), -1)
            case .pairMember(let r, let g):
                let first = Int(ruleStart[topic])
                (kind, weight, group, rule) = (Self.kindPairMember, 0, Int32(g), Int32(r))
                slot = slotStart[first + r] - slotStart[first] + Int32(g)
            case .exclusionContext(let r, let g):
                (kind, weight, group, rule, slot) = (Self.kindExclusionContext, 0, Int32(g), Int32(r), -1)
            }
            for var pattern in TermPattern.expand(leftOpen ? String(written.dropFirst()) : written) {
                if leftOpen { pattern.needsLeftBoundary = false }
                let p = Int32(facts.count)
                var flags: UInt8 = isName ? Self.scanName : 0
                if pattern.needsLeftBoundary { flags |= Self.scanLeftBoundary }
                if pattern.needsRightBoundary { flags |= Self.scanRightBoundary }
                if pattern.exactCase != nil { flags |= Self.scanExactCase }
                if pattern.extendsToWordEnd { flags |= Self.scanToWordEnd }
                let length = Int32(pattern.scalars.count)
                let width = Int32(pattern.scalars.reduce(0) { $0 + (Unicode.Scalar($1).map { UTF8.width($0) } ?? 0) })
                facts.append(PatternFacts(
                    weight: weight, topic: Int32(topic), length: length, width: width, termKey: Int32(key),
                    slot: slot, kind: kind, flags: flags))
                patternGroup.append(group)
                patternRule.append(rule)
                maxLength[topic] = max(maxLength[topic], length)
                // Sparse: a few dozen `=` terms among tens of thousands of patterns, and an optional
                // String a pattern was 16 bytes each of the tagger's resident size.
                if var exact = pattern.exactCase {
                    exactCase[p] = exact
                    if exact.withUTF8({ Self.isCanonicallyInert($0) }) { exactScalars[p] = exact.unicodeScalars.map(\.value) }
                }
                scalars.append(pattern.scalars)
            }
        }
        for (t, topic) in taxonomy.topics.enumerated() {
            for term in topic.terms { add(term, topic: t, role: .term(weight: 1), into: &scalars) }
            for term in topic.weakTerms { add(term, topic: t, role: .term(weight: taxonomy.weakWeight), into: &scalars) }
            for term in topic.exclusions { add(term, topic: t, role: .exclusion(rule: nil), into: &scalars) }
            for (r, rule) in topic.contextExclusions.enumerated() {
                for (g, group) in rule.enumerated() {
                    for term in group { add(term, topic: t, role: g == 0 ? .exclusion(rule: r) : .exclusionContext(rule: r, group: g), into: &scalars) }
                }
            }
            for (r, rule) in topic.contextRules.enumerated() {
                for (g, group) in rule.enumerated() {
                    for term in group { add(term, topic: t, role: .pairMember(rule: r, group: g), into: &scalars) }
                }
            }
        }
        let termKeyCount = termKeys.count
        termKeys = [:]
        self.facts = facts
        self.patternGroup = patternGroup
        self.patternRule = patternRule
        self.patternExactCase = exactCase
        self.patternExactScalars = exactScalars
        self.topicMaxLength = maxLength
        self.automaton = TermAutomaton(patterns: scalars)
        self.topicHasEmptyRule = taxonomy.topics.map { $0.contextRules.contains { $0.isEmpty } }
        self.topicPairFirstOnly = taxonomy.topics.map(\.pairEvidenceFirstGroupOnly)
        self.topicIDs = taxonomy.topics.map(\.id)
        self.maxGroups = taxonomy.topics.indices.map {
            Int(slotStart[Int(ruleStart[$0 + 1])] - slotStart[Int(ruleStart[$0])])
        }.max() ?? 0
        self.termKeyCount = termKeyCount
    }

    /// Number of searchable patterns (after expanding variants), for benchmarks.
    public var patternCount: Int { facts.count }

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

    /// For benchmarks: the occurrences in `text` that pass their edge rules (the hits
    /// scoring reads), against `occurrenceCount`'s raw ones.
    public func hitCount(in text: String) -> Int {
        withScratch { scratch in
            scratch.foldingFirst = false
            var utf8 = text
            utf8.withUTF8 { collectFieldHits(text, bytes: $0, scratch: &scratch) }
            return scratch.hits.count
        }
    }

    /// Runs `body` with a scratch from the pool, returned afterwards: the buffers outlive
    /// one item so tagging allocates nothing in the steady state.
    private func withScratch<R>(_ body: (inout TagScratch) -> R) -> R {
        let box = scratchPool.withLock { $0.popLast() }
            ?? TagScratchBox(TagScratch(topicCount: taxonomy.topics.count, maxGroups: maxGroups, termKeys: termKeyCount))
        var scratch = box.scratch
        let result = body(&scratch)
        box.scratch = scratch  // buffers may have moved as they grew
        scratchPool.withLock { if $0.count < 64 { $0.append(box) } }
        return result
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
        withScratch { scratch in
            scratch.foldingFirst = foldingFirst
            // Evidence is quoted only for the topics that pass, after all three fields are read,
            // so the three texts stay open for the whole item.
            var titleText = title
            var summaryText = summary ?? ""
            var contentText = content ?? ""
            return titleText.withUTF8 { titleBytes in
                summaryText.withUTF8 { summaryBytes in
                    contentText.withUTF8 { contentBytes in
                        // A headline that names a company without saying anything of its business: the
                        // whole item is read without the names' hits.
                        scratch.namesOff = !titleBytes.isEmpty && isOffstory(title, bytes: titleBytes, scratch: &scratch)
                        let fields = FieldTexts(title: titleBytes, summary: summaryBytes, content: contentBytes)
                        if !titleIsMuted(title, bytes: titleBytes, scratch: &scratch) {
                            scoreField(.title, text: title, bytes: titleBytes, fields: fields, scratch: &scratch)
                        }
                        if let summary {
                            scoreField(.summary, text: summary, bytes: summaryBytes, fields: fields, scratch: &scratch)
                        }
                        if let content {
                            // Feeds often repeat the summary as the content: the same bytes give the
                            // same hits, which the summary's scoring left in place.
                            let same = summary != nil && contentBytes.count == summaryBytes.count
                                && (contentBytes.isEmpty
                                    || memcmp(contentBytes.baseAddress!, summaryBytes.baseAddress!, contentBytes.count) == 0)
                            scoreField(.content, text: content, bytes: contentBytes, fields: fields, scratch: &scratch,
                                       reusingHits: same)
                        }
                        return finish(fields: fields, scratch: &scratch)
                    }
                }
            }
        }
    }

    /// A headline naming one of the taxonomy's `muted_titles` adds nothing from its title.
    /// (The reference scoring's reading; `tag` asks `titleIsMuted`, which agrees.)
    func isMuted(_ title: String) -> Bool {
        guard let titleMute else { return false }
        return !titleMute.tag(title: title, summary: nil, content: nil).isEmpty
    }

    /// A headline naming one of the taxonomy's `offstory_titles`, or naming one of its `names` with
    /// none of its `business_titles`: the item is read without `names`. (The reference reading.)
    func isOffstory(_ title: String) -> Bool {
        isOffstory { $0.map { !$0.tag(title: title, summary: nil, content: nil).isEmpty } ?? false }
    }

    /// `isOffstory` on the item's scratch (the title's own scan overwrites the hits afterwards).
    private func isOffstory(_ title: String, bytes: UnsafeBufferPointer<UInt8>, scratch s: inout TagScratch) -> Bool {
        isOffstory { cue in
            guard let cue else { return false }
            cue.collectFieldHits(title, bytes: bytes, scratch: &s)
            return !s.hits.isEmpty
        }
    }

    /// The rule itself, whatever finds a cue in the headline (`says`).
    private func isOffstory(_ says: (TopicTagger?) -> Bool) -> Bool {
        if says(offstoryCue) { return true }
        return businessCue != nil && says(nameCue) && !says(businessCue)
    }

    /// `isMuted` without tagging the title a second time: the muted forms make one topic
    /// whose terms weigh 1 against a threshold of 1, so the title is muted exactly when one
    /// of their hits passes its edge rules (the longest of nested hits always counts). Reads
    /// the hits into the item's scratch, which the title's own scan then overwrites; a whole
    /// second `tag` per item (its own scratch, scoring and result) cost more than the scan.
    private func titleIsMuted(_ title: String, bytes: UnsafeBufferPointer<UInt8>, scratch s: inout TagScratch) -> Bool {
        guard let titleMute, !bytes.isEmpty, titleMute.taxonomy.maxRepeats > 0 else { return false }
        titleMute.collectFieldHits(title, bytes: bytes, scratch: &s)
        return !s.hits.isEmpty
    }

    /// Sets `topics` and `topicEvidence` from the item's title, summary and content.
    public func tag(_ item: inout FeedItem) {
        let tags = tag(title: item.title, summary: item.summary, content: item.content)
        item.topics = tags.map(\.topic)
        item.topicEvidence = tags
    }

    /// A term occurrence that passed its edge rules: `start..<end` in folded scalars (for
    /// comparing spans) and `startByte..<endByte` in the text's UTF-8 (for quoting).
    struct Hit {
        var pattern: Int32
        var start: Int32
        var end: Int32
        var startByte: Int32
        var endByte: Int32
    }

    /// Quoted evidence not yet turned into a `String`: bytes `start..<end` of a field,
    /// chained per topic through `next`.
    struct EvidenceRef {
        var field: Int32
        var start: Int32
        var end: Int32
        var next: Int32
        /// `isCanonicallyInert` of the quote, worked out once.
        var inert = false
    }

    /// The item's three texts as UTF-8 (empty when absent).
    struct FieldTexts {
        var title: UnsafeBufferPointer<UInt8>
        var summary: UnsafeBufferPointer<UInt8>
        var content: UnsafeBufferPointer<UInt8>
        @inline(__always)
        func quote(_ e: EvidenceRef) -> UnsafeBufferPointer<UInt8> {
            let text = e.field == 0 ? title : e.field == 1 ? summary : content
            return UnsafeBufferPointer(rebasing: text[Int(e.start)..<Int(e.end)])
        }
    }

    /// Everything one item's scoring needs, sized once per taxonomy and reused: a field's
    /// hits chained per topic (no sort), per-topic scores and evidence references, and the
    /// small work lists of the scoring rules.
    struct TagScratch {
        var foldingFirst = false
        /// This item's names do not count (`isOffstory`).
        var namesOff = false
        var occurrences = ScratchBuffer<TermAutomaton.Occurrence>(capacity: 256)
        var spareOccurrences = ScratchBuffer<TermAutomaton.Occurrence>(capacity: 256)
        var hits = ScratchBuffer<Hit>(capacity: 256)
        /// Per hit: its topic; then the hit indices grouped by topic, in scan order within a
        /// topic, topic `t`'s at `byTopic[topicHitStart[t]..<][..<topicHitCount[t]]`.
        var hitTopic = ScratchBuffer<Int32>(capacity: 256)
        var byTopic = ScratchBuffer<Int32>(capacity: 256)
        /// Per topic, this field: where its hits start in `byTopic`, how many there are, and
        /// how many are exclusions and pair members.
        var topicHitStart: ScratchBuffer<Int32>
        var topicHitCount: ScratchBuffer<Int32>
        var exclusionHits: ScratchBuffer<Int32>
        var pairHits: ScratchBuffer<Int32>
        /// Hits of `*` patterns, whose span may end past their scan position.
        var extendedHits: ScratchBuffer<Int32>
        var fieldTopics = ScratchBuffer<Int32>()
        /// Topics with a hit anywhere in the item, and a flag per topic.
        var itemTopics = ScratchBuffer<Int32>()
        var touched: ScratchBuffer<Bool>
        var scores: ScratchBuffer<Double>
        var evidence = ScratchBuffer<EvidenceRef>(capacity: 64)
        var evidenceHead: ScratchBuffer<Int32>
        var evidenceTail: ScratchBuffer<Int32>
        var live = ScratchBuffer<Int32>()
        var exclusions = ScratchBuffer<Int32>()
        var spans = ScratchBuffer<Int32>()
        var counted = ScratchBuffer<Int32>()
        var found = ScratchBuffer<Int32>()
        /// Per written term: how often it counted in this topic and field; `repeatKeys`
        /// lists the terms to reset.
        var repeatCounts: ScratchBuffer<Int32>
        var repeatKeys = ScratchBuffer<Int32>()
        var groupHits: ScratchBuffer<Int32>
        var folded: [UInt32] = []
        var sourceUTF8: [Int32] = []

        init(topicCount: Int, maxGroups: Int, termKeys: Int) {
            topicHitStart = ScratchBuffer(repeating: 0, count: topicCount)
            topicHitCount = ScratchBuffer(repeating: 0, count: topicCount)
            exclusionHits = ScratchBuffer(repeating: 0, count: topicCount)
            pairHits = ScratchBuffer(repeating: 0, count: topicCount)
            extendedHits = ScratchBuffer(repeating: 0, count: topicCount)
            touched = ScratchBuffer(repeating: false, count: topicCount)
            scores = ScratchBuffer(repeating: 0, count: topicCount)
            evidenceHead = ScratchBuffer(repeating: -1, count: topicCount)
            evidenceTail = ScratchBuffer(repeating: -1, count: topicCount)
            repeatCounts = ScratchBuffer(repeating: 0, count: termKeys)
            groupHits = ScratchBuffer(repeating: -1, count: max(1, maxGroups))
        }

        func deallocate() {
            occurrences.deallocate(); spareOccurrences.deallocate(); hits.deallocate(); hitTopic.deallocate(); byTopic.deallocate()
            topicHitStart.deallocate(); topicHitCount.deallocate(); exclusionHits.deallocate(); pairHits.deallocate(); extendedHits.deallocate()
            fieldTopics.deallocate(); itemTopics.deallocate(); touched.deallocate(); scores.deallocate()
            evidence.deallocate(); evidenceHead.deallocate(); evidenceTail.deallocate(); live.deallocate()
            exclusions.deallocate(); spans.deallocate(); counted.deallocate(); found.deallocate()
            repeatCounts.deallocate(); repeatKeys.deallocate(); groupHits.deallocate()
        }
    }

    /// Owns a `TagScratch`'s memory while it waits in the pool; one `tag` call at a time
    /// takes it out, so it is never shared.
    final class TagScratchBox: @unchecked Sendable {
        var scratch: TagScratch
        init(_ scratch: TagScratch) { self.scratch = scratch }
        deinit { scratch.deallocate() }
    }

    private static func quote(_ bytes: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<to]), as: UTF8.self)
    }

    /// The field's hits into `s.hits`: the byte scan when it can read the text as is, else
    /// the scan of the folded text.
    private func collectFieldHits(_ text: String, bytes: UnsafeBufferPointer<UInt8>, scratch s: inout TagScratch) {
        s.hits.removeAll()
        if s.foldingFirst || !collectHits(bytes, scratch: &s) {
            s.hits.removeAll()
            collectHitsOnFoldedText(text, bytes: bytes, scratch: &s)
        }
    }

    /// - Parameter reusingHits: `s.hits` holds this text's hits already (the previous field
    ///   had the same bytes, and scoring reads hits without changing them).
    private func scoreField(
        _ field: Field, text: String, bytes: UnsafeBufferPointer<UInt8>, fields: FieldTexts,
        scratch s: inout TagScratch, reusingHits: Bool = false
    ) {
        guard !bytes.isEmpty else { return }
        if !reusingHits {
            collectFieldHits(text, bytes: bytes, scratch: &s)
            if s.namesOff { dropNameHits(&s) }
        }
        guard !s.hits.isEmpty else { return }
        // Group the hits by topic, in scan order within a topic: a counting sort, so that each
        // topic reads its hits as one run (a list chained through the hits was a chase of
        // dependent loads per topic).
        s.fieldTopics.removeAll()
        s.hitTopic.removeAll()
        s.hitTopic.reserve(s.hits.count)
        for i in s.hits.indices {
            let fact = facts[Int(s.hits[i].pattern)]
            let t = Int(fact.topic)
            s.hitTopic.appendUnchecked(fact.topic)
            if s.topicHitCount[t] == 0 {
                s.fieldTopics.append(Int32(t))
                if !s.touched[t] {
                    s.touched[t] = true
                    s.itemTopics.append(Int32(t))
                }
            }
            s.topicHitCount[t] += 1
            if fact.kind == Self.kindExclusion {
                s.exclusionHits[t] += 1
            } else if fact.kind == Self.kindPairMember {
                s.pairHits[t] += 1
            }
            if fact.flags & Self.scanToWordEnd != 0 { s.extendedHits[t] += 1 }
        }
        var start: Int32 = 0
        for t in s.fieldTopics.buffer {
            s.topicHitStart[t] = start
            start += s.topicHitCount[t]
        }
        s.byTopic.removeAll()
        s.byTopic.reserve(s.hits.count)
        s.byTopic.setCount(s.hits.count)
        for i in s.hitTopic.indices {
            let t = s.hitTopic[i]
            s.byTopic[s.topicHitStart[t]] = Int32(i)
            s.topicHitStart[t] += 1
        }
        for k in s.fieldTopics.indices {
            let t = Int(s.fieldTopics[k])
            let count = Int(s.topicHitCount[t])
            let end = Int(s.topicHitStart[t])  // advanced past the topic's hits by the scatter
            scoreTopic(t, hits: UnsafeBufferPointer(start: s.byTopic.base + (end - count), count: count),
                       field: field, fields: fields, scratch: &s)
            s.topicHitCount[t] = 0
            s.exclusionHits[t] = 0
            s.pairHits[t] = 0
            s.extendedHits[t] = 0
        }
    }

    /// Removes the hits of `names` (what the taxonomy without its names would not have found:
    /// hits are per pattern, and scoring reads only the hits it is given), and every hit inside
    /// one: a topic word that is part of a company's name (半导体 in 华虹半导体) is the name.
    private func dropNameHits(_ s: inout TagScratch) {
        var names: [(start: Int32, end: Int32)] = []
        for i in s.hits.indices where facts[Int(s.hits[i].pattern)].flags & Self.scanName != 0 {
            names.append((s.hits[i].start, s.hits[i].end))
        }
        guard !names.isEmpty else { return }
        var kept = 0
        for i in s.hits.indices {
            let h = s.hits[i]
            if facts[Int(h.pattern)].flags & Self.scanName != 0 { continue }
            if names.contains(where: { $0.start <= h.start && h.end <= $0.end }) { continue }
            s.hits[kept] = h
            kept += 1
        }
        s.hits.setCount(kept)
    }

    /// The hot path: scans the UTF-8 as published, folding on the fly, and checks the few
    /// occurrences against their edge rules by decoding their neighbours in place. Returns
    /// false when the text has a scalar that folds to several (then offsets in folded
    /// scalars and in the text no longer correspond one to one).
    private func collectHits(_ bytes: UnsafeBufferPointer<UInt8>, scratch s: inout TagScratch) -> Bool {
        s.occurrences.removeAll()
        guard automaton.scanUTF8(bytes, into: &s.occurrences, spare: &s.spareOccurrences) else { return false }
        let n = bytes.count
        for o in s.occurrences.buffer {
            let id = Int(o.pattern)
            let fact = facts[id]
            let length = Int(fact.length)
            let f = fact.flags
            let end = Int(o.end)
            let endByte = Int(o.endByte)
            // The scan remembers where the last scalars began; a longer pattern is usually
            // its own UTF-8 width back: right when that byte starts a scalar and exactly
            // `length` scalars start from there to the end.
            var startByte = Int(o.startByte)
            if startByte < 0 {
                startByte = endByte - Int(fact.width)
                if startByte < 0 || bytes[startByte] & 0xC0 == 0x80 || Self.scalarCount(bytes, startByte, endByte) != length {
                    startByte = endByte
                    for _ in 0..<length { startByte = TermAutomaton.scalarStart(bytes, before: startByte) }
                }
            }
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
                !matchesExactCase(id, UnsafeBufferPointer(rebasing: bytes[startByte..<endByte]))
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
            s.hits.append(Hit(
                pattern: Int32(id), start: Int32(end - length), end: Int32(wordEnd), startByte: Int32(startByte),
                endByte: Int32(wordEndByte)))
        }
        return true
    }

    /// The general path: folds the text into scalars first, keeping each folded scalar's
    /// UTF-8 offset in the text, and scans the folded form.
    private func collectHitsOnFoldedText(_ text: String, bytes text8: UnsafeBufferPointer<UInt8>, scratch: inout TagScratch) {
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
                    if !matchesExactCase(id, UnsafeBufferPointer(rebasing: text8[from..<to])) { return }
                }
                var wordEnd = end
                if f & Self.scanToWordEnd != 0 {
                    while wordEnd < scalars.count && isWordScalarValue(scalars[wordEnd]) { wordEnd += 1 }
                }
                let (from, to) = bytes(start, wordEnd)
                hits.append(Hit(
                    pattern: Int32(id), start: Int32(start), end: Int32(wordEnd), startByte: Int32(from),
                    endByte: Int32(to)))
            }
        }}
        for h in hits { scratch.hits.append(h) }
    }

    /// Whether exclusion rule `rule` of topic `t` is an `exclude_unless` rule.
    func exclusionHoldsWithoutCompany(_ t: Int, _ rule: Int) -> Bool {
        exclusionRuleHoldsWithoutCompany[Int(exclusionRuleStart[t]) + rule]
    }

    /// Whether exclusion rule `rule` of topic `t` has its company in this field: one of the topic's
    /// hits (`topicHits`, indices into `hits`) from each of the rule's company groups.
    func exclusionHasCompany(
        _ t: Int, rule: Int, among topicHits: UnsafeBufferPointer<Int32>, _ hits: ScratchBuffer<Hit>
    ) -> Bool {
        let groups = Int(exclusionRuleGroupCounts[Int(exclusionRuleStart[t]) + rule])
        for g in 1..<groups {
            let found = topicHits.contains { k in
                let p = Int(hits[Int(k)].pattern)
                return facts[p].kind == Self.kindExclusionContext && Int(patternRule[p]) == rule && Int(patternGroup[p]) == g
            }
            if !found { return false }
        }
        return true
    }

    /// Scores one field's hits of topic `t` (`topicHits`, hit indices in scan order):
    /// exclusions, one mention per span, nested terms, repeat caps, pairs; then records the
    /// evidence. Hits per topic are few, so small linear searches over hit indices do the work.
    private func scoreTopic(
        _ t: Int, hits topicHits: UnsafeBufferPointer<Int32>, field: Field, fields: FieldTexts,
        scratch s: inout TagScratch
    ) {
        // Hits that are not exclusions and overlap none.
        let live: UnsafeBufferPointer<Int32>
        if s.exclusionHits[t] == 0 {
            live = topicHits
        } else {
            s.exclusions.removeAll()
            for k in topicHits where facts[Int(s.hits[Int(k)].pattern)].kind == Self.kindExclusion {
                let rule = Int(patternRule[Int(s.hits[Int(k)].pattern)])
                // `exclude_with` holds in its company, `exclude_unless` out of it.
                if rule >= 0 && exclusionHasCompany(t, rule: rule, among: topicHits, s.hits) == exclusionHoldsWithoutCompany(t, rule) {
                    continue
                }
                s.exclusions.append(k)
            }
            s.live.removeAll()
            for i in topicHits {
                let h = s.hits[Int(i)]
                if facts[Int(h.pattern)].kind != Self.kindExclusion
                    && !s.exclusions.buffer.contains(where: { s.hits[Int($0)].start < h.end && h.start < s.hits[Int($0)].end })
                {
                    s.live.append(i)
                }
            }
            live = s.live.buffer
        }
        // Two written terms can yield the same form (`trade` -> `trades`, and `trades`):
        // one span is one mention, at the larger weight (the first seen among equals).
        // Without `*` hits, spans end in scan order, so an equal span is among the last
        // ones with the same end.
        let inScanOrder = s.extendedHits[t] == 0
        s.spans.removeAll()
        // The same pass finds each context group's earliest hit (by start, then scan order)
        // for the rules below; `groupHits` is all -1 between topics.
        for i in live {
            let h = s.hits[Int(i)]
            let fact = facts[Int(h.pattern)]
            guard fact.kind == Self.kindTerm else {
                if fact.kind == Self.kindPairMember {
                    let k = Int(fact.slot)
                    if s.groupHits[k] < 0 || h.start < s.hits[Int(s.groupHits[k])].start { s.groupHits[k] = i }
                }
                continue
            }
            let w = fact.weight
            var k = -1
            if inScanOrder {
                var b = s.spans.count - 1
                while b >= 0 {
                    let o = s.hits[Int(s.spans[b])]
                    if o.end != h.end { break }
                    if o.start == h.start {
                        k = b
                        break
                    }
                    b -= 1
                }
            } else {
                for b in s.spans.indices {
                    let o = s.hits[Int(s.spans[b])]
                    if o.start == h.start && o.end == h.end {
                        k = b
                        break
                    }
                }
            }
            if k >= 0 {
                if facts[Int(s.hits[Int(s.spans[k])].pattern)].weight >= w { continue }
                s.spans[k] = i
            } else {
                s.spans.append(i)
            }
        }
        // A term inside a longer term of the same topic (数据安全 in 数据安全法) is the
        // same evidence, not a second mention. Counted spans then have distinct starts.
        // In scan order, a span that contains another ends with it or after it, and no
        // further than the topic's longest pattern past its start.
        s.counted.removeAll()
        let maxLength = topicMaxLength[t]
        for a in s.spans.indices {
            let i = s.spans[a]
            let h = s.hits[Int(i)]
            @inline(__always) func contains(_ x: Hit) -> Bool {
                x.start <= h.start && h.end <= x.end && x.end - x.start > h.end - h.start
            }
            var inside = false
            if inScanOrder {
                var b = a - 1
                while b >= 0 && !inside {
                    let x = s.hits[Int(s.spans[b])]
                    if x.end != h.end { break }
                    inside = contains(x)
                    b -= 1
                }
                b = a + 1
                while b < s.spans.count && !inside {
                    let x = s.hits[Int(s.spans[b])]
                    if x.end > h.start + maxLength { break }
                    inside = contains(x)
                    b += 1
                }
            } else {
                for o in s.spans.buffer {
                    if contains(s.hits[Int(o)]) {
                        inside = true
                        break
                    }
                }
            }
            if !inside { s.counted.append(i) }
        }
        Self.sortByStart(&s.counted, s.hits)
        let fieldWeight = topicFieldWeights[t * 3 + field.rawValue]
        let maxRepeats = taxonomy.maxRepeats
        s.found.removeAll()
        for i in s.counted.buffer {
            let p = Int(s.hits[Int(i)].pattern)
            let fact = facts[p]
            let key = Int(fact.termKey)
            // A weak term is a hint: saying it again is not more evidence, so it counts once
            // per field ("security ... security" is still one hint).
            let limit = fact.weight < 1 ? 1 : maxRepeats
            let seen = Int(s.repeatCounts[key])
            if seen > 0 {
                guard seen < limit else { continue }
                s.repeatCounts[key] += 1
            } else {
                guard maxRepeats > 0 else { continue }
                s.repeatCounts[key] = 1
                s.repeatKeys.append(Int32(key))
            }
            s.scores[t] += fact.weight * fieldWeight
            s.found.append(i)
        }
        for key in s.repeatKeys.buffer { s.repeatCounts[Int(key)] = 0 }
        s.repeatKeys.removeAll()
        // Context rules: the first rule whose groups all match gives the field's weight once,
        // however many rules match (they are alternative readings of the same evidence).
        // Each group's hit is its earliest (found with the spans above).
        let firstRule = Int(ruleStart[t])
        let endRule = Int(ruleStart[t + 1])
        if firstRule < endRule && (s.pairHits[t] > 0 || topicHasEmptyRule[t]) {
            let base = Int(ruleSlotStart[firstRule])
            let slots = Int(ruleSlotStart[endRule]) - base
            defer { for k in 0..<slots { s.groupHits[k] = -1 } }
            for r in firstRule..<endRule {
                let groups = Int(ruleGroupCounts[r])
                let first = Int(ruleSlotStart[r]) - base
                var all = true
                for g in 0..<groups where s.groupHits[first + g] < 0 {
                    all = false
                    break
                }
                if all {
                    s.scores[t] += fieldWeight
                    // A rule's word inside a term already quoted (开源 and 社区 in 开源社区) adds
                    // no evidence of its own.
                    let terms = s.found.count
                    for g in 0..<(topicPairFirstOnly[t] ? min(groups, 1) : groups) {
                        let i = s.groupHits[first + g]
                        let h = s.hits[Int(i)]
                        var inside = false
                        for k in 0..<terms {
                            let x = s.hits[Int(s.found[k])]
                            if x.start <= h.start && h.end <= x.end {
                                inside = true
                                break
                            }
                        }
                        if !inside { s.found.append(i) }
                    }
                    break
                }
            }
        }
        guard !s.found.isEmpty else { return }
        Self.sortByStart(&s.found, s.hits)
        for i in s.found.buffer {
            let h = s.hits[Int(i)]
            addEvidence(t, EvidenceRef(field: Int32(field.rawValue), start: h.startByte, end: h.endByte, next: -1),
                        fields: fields, scratch: &s)
        }
    }

    /// Scalars that start in `bytes[from..<to]` of valid UTF-8.
    @inline(__always)
    private static func scalarCount(_ bytes: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Int {
        var n = 0
        for k in from..<to where bytes[k] & 0xC0 != 0x80 { n += 1 }
        return n
    }

    /// `TermPattern.halfWidth(quoted) == exactCase` for an `=` pattern: scalar by scalar
    /// while both sides are canonically inert (where `String ==` compares scalars), else
    /// as `String`s.
    private func matchesExactCase(_ id: Int, _ quoted: UnsafeBufferPointer<UInt8>) -> Bool {
        if let exact = patternExactScalars[Int32(id)] {
            var i = 0
            var k = 0
            var inert = true
            var equal = true
            while i < quoted.count {
                var (v, width) = TermAutomaton.decode(quoted, at: i)
                i += width
                if v >= 0xFF01 && v <= 0xFF5E { v = v - 0xFF01 + 0x21 }
                guard Self.isInertScalar(v) else {
                    inert = false
                    break
                }
                if k >= exact.count || exact[k] != v { equal = false }
                k += 1
            }
            if inert { return equal && k == exact.count }
        }
        return TermPattern.halfWidth(String(decoding: quoted, as: UTF8.self)) == patternExactCase[Int32(id)]
    }

    /// Stable insertion sort of hit indices by start (the lists are short and nearly sorted).
    @inline(__always)
    private static func sortByStart(_ list: inout ScratchBuffer<Int32>, _ hits: ScratchBuffer<Hit>) {
        guard list.count > 1 else { return }
        for a in 1..<list.count {
            let x = list[a]
            let key = hits[Int(x)].start
            var b = a
            while b > 0 && hits[Int(list[b - 1])].start > key {
                list[b] = list[b - 1]
                b -= 1
            }
            list[b] = x
        }
    }

    /// Appends a quote to topic `t`'s evidence unless an equal one (as `String`s compare) is there.
    private func addEvidence(_ t: Int, _ ref: EvidenceRef, fields: FieldTexts, scratch s: inout TagScratch) {
        var ref = ref
        let quoted = fields.quote(ref)
        // Equal bytes first: a repeated term is the usual duplicate, and it then needs
        // neither the inertness of its quote nor a `String` comparison.
        var k = s.evidenceHead[t]
        while k >= 0 {
            let e = s.evidence[k]
            let other = fields.quote(e)
            if other.count == quoted.count && memcmp(other.baseAddress!, quoted.baseAddress!, other.count) == 0 { return }
            k = e.next
        }
        ref.inert = Self.isCanonicallyInert(quoted)
        k = s.evidenceHead[t]
        while k >= 0 {
            let e = s.evidence[k]
            if !(e.inert && ref.inert)
                && String(decoding: fields.quote(e), as: UTF8.self) == String(decoding: quoted, as: UTF8.self)
            {
                return
            }
            k = e.next
        }
        let index = Int32(s.evidence.count)
        s.evidence.append(ref)
        if s.evidenceTail[t] >= 0 { s.evidence[s.evidenceTail[t]].next = index } else { s.evidenceHead[t] = index }
        s.evidenceTail[t] = index
    }

    /// `String ==` on two pieces of valid UTF-8, which compares canonical equivalence: equal
    /// bytes are equal; different bytes made only of scalars that have no decomposition and
    /// combine with nothing (ASCII, Han, CJK and full-width punctuation) differ; anything
    /// else is left to `String`.
    static func sameText(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        if a.count == b.count && (a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0) { return true }
        if isCanonicallyInert(a) && isCanonicallyInert(b) { return false }
        return String(decoding: a, as: UTF8.self) == String(decoding: b, as: UTF8.self)
    }

    /// Whether every scalar of the UTF-8 is its own canonical decomposition with combining
    /// class 0, so that its canonical form is itself.
    static func isCanonicallyInert(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < bytes.count {
            let (v, width) = TermAutomaton.decode(bytes, at: i)
            i += width
            if !isInertScalar(v) { return false }
        }
        return true
    }

    @inline(__always)
    static func isInertScalar(_ v: UInt32) -> Bool {
        v < 0xC0 || (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0x3400 && v <= 0x4DBF) || (v >= 0x3000 && v <= 0x3029)
            || (v >= 0xFF01 && v <= 0xFF5E)
    }

    /// The item's topics in taxonomy order with their evidence as `String`s; resets the
    /// per-item state for the next item.
    private func finish(fields: FieldTexts, scratch s: inout TagScratch) -> [(topic: String, terms: [String])] {
        let bar = taxonomy.threshold - 1e-9
        var result: [(topic: String, terms: [String])] = []
        func emit(_ t: Int) {
            guard s.scores[t] >= bar else { return }
            var terms: [String] = []
            var k = s.evidenceHead[t]
            while k >= 0 {
                let e = s.evidence[Int(k)]
                terms.append(String(decoding: fields.quote(e), as: UTF8.self))
                k = e.next
            }
            result.append((topic: topicIDs[t], terms: terms))
        }
        if bar <= 0 {
            // Every topic passes, even one without a hit.
            for t in topicIDs.indices { emit(t) }
        } else {
            // Sorted in place: the reset below does not care about the order.
            let order = s.itemTopics
            if order.count > 1 {
                for a in 1..<order.count {
                    let x = order[a]
                    var b = a
                    while b > 0 && order[b - 1] > x {
                        order[b] = order[b - 1]
                        b -= 1
                    }
                    order[b] = x
                }
            }
            for t in order.buffer { emit(Int(t)) }
        }
        for t in s.itemTopics.buffer {
            s.scores[Int(t)] = 0
            s.evidenceHead[Int(t)] = -1
            s.evidenceTail[Int(t)] = -1
            s.touched[Int(t)] = false
        }
        s.itemTopics.removeAll()
        s.evidence.removeAll()
        return result
    }
}
