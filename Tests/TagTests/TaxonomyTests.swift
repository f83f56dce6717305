import Foundation
import Testing
@testable import Tag

@Suite struct TaxonomyTests {
    @Test func shippedTaxonomyHasTheContractTopics() throws {
        let taxonomy = try Taxonomy.load(from: TestPaths.taxonomy)
        let ids = taxonomy.topics.map(\.id)
        for id in ["decoupling", "open-source", "ai", "semiconductors", "export-controls", "trade", "us-china",
                   "electric-vehicles", "cybersecurity"] {
            #expect(ids.contains(id))
        }
        #expect(taxonomy.topics.allSatisfy { $0.labelZh != nil && $0.labelEn != nil })
    }

    func error(_ yaml: String) -> TaxonomyError? {
        do {
            _ = try Taxonomy.parse(yaml: yaml, file: "t.yaml")
            return nil
        } catch let e as TaxonomyError {
            return e
        } catch {
            Issue.record("unexpected error type \(error)")
            return nil
        }
    }

    @Test func unknownKeyIsReportedWithLineAndKey() {
        let e = error("""
            topics:
              - id: ai
                en: [ai]
                synonyms: [ml]
            """)
        #expect(e?.line == 4)
        #expect(e?.key == "topics[0].synonyms")
        #expect(e?.description.hasPrefix("t.yaml:4: topics[0].synonyms: unknown key") == true)
    }

    @Test func wrongTypesAndMissingKeysAreReported() {
        #expect(error("topics:\n  - id: ai\n    en: ai\n")?.key == "topics[0].en")
        #expect(error("topics:\n  - en: [ai]\n")?.key == "topics[0].id")
        #expect(error("threshold: lots\ntopics: []\n")?.key == "threshold")
        #expect(error("version: 1\n")?.key == "topics")
        #expect(error("topics:\n  - id: ai\n")?.message.contains("no terms") == true)
        #expect(error("topics:\n  - id: AI Topic\n    en: [ai]\n")?.key == "topics[0].id")
    }

    @Test func duplicateTopicIdsAreReported() {
        let e = error("topics:\n  - id: ai\n    en: [ai]\n  - id: ai\n    zh: [人工智能]\n")
        #expect(e?.key == "topics[1].id")
        #expect(e?.line == 4)
    }

    @Test func badTermsAreReportedAtTheirLine() {
        let e = error("topics:\n  - id: ai\n    en: [ai,\n         '*']\n")
        #expect(e?.key == "topics[0].en[1]")
        #expect(e?.line == 4)
        #expect(error("topics:\n  - id: ai\n    en: [a*i]\n")?.message.contains("only at the end") == true)
    }

    @Test func yamlSyntaxErrorsCarryTheLine() {
        let e = error("topics:\n  - id: ai\n    en: [ai\n  - id: x\n")
        #expect(e != nil)
        #expect(e?.line != nil)
        #expect(e?.message.hasPrefix("invalid YAML") == true)
    }

    @Test func missingFileIsAClearError() {
        #expect(throws: TaxonomyError.self) {
            try Taxonomy.load(from: URL(fileURLWithPath: "/nonexistent/topics.yaml"))
        }
    }
}

@Suite struct TermAutomatonTests {
    /// The automaton must find exactly what a naive search finds, for random patterns
    /// over a small alphabet (many overlaps and shared suffixes).
    @Test func findsTheSameOccurrencesAsNaiveSearch() {
        var rng = SplitMix(seed: 42)
        let alphabet: [UInt32] = [0x61, 0x62, 0x63, 0x4E2D, 0x7F8E]
        for _ in 0..<50 {
            let patterns: [[UInt32]] = (0..<Int(rng.next() % 30 + 1)).map { _ in
                (0..<Int(rng.next() % 4 + 1)).map { _ in alphabet[Int(rng.next() % 5)] }
            }
            let text: [UInt32] = (0..<200).map { _ in alphabet[Int(rng.next() % 5)] }
            let automaton = TermAutomaton(patterns: patterns)
            var found: [[Int]] = []
            automaton.scan(text.map { Unicode.Scalar($0)! }) { id, end in found.append([id, end]) }
            var expected: [[Int]] = []
            for end in 1...text.count {
                for (id, p) in patterns.enumerated() where p.count <= end && Array(text[(end - p.count)..<end]) == p {
                    expected.append([id, end])
                }
            }
            #expect(found.sorted { $0.lexicographicallyPrecedes($1) } == expected.sorted { $0.lexicographicallyPrecedes($1) })
        }
    }

    @Test func termSyntaxExpandsToSeparatorAndPluralVariants() {
        let forms = Set(TermPattern.expand("open source").map { String(String.UnicodeScalarView($0.scalars.map { Unicode.Scalar($0)! })) })
        #expect(forms.isSuperset(of: ["open source", "open-source", "opensource", "open sources"]))
        let open = TermPattern.expand("decoupl*")
        #expect(open.count == 1 && !open[0].needsRightBoundary && open[0].needsLeftBoundary)
        let chinese = TermPattern.expand("开源")
        #expect(chinese.count == 1 && !chinese[0].needsLeftBoundary && !chinese[0].needsRightBoundary)
        #expect(TermPattern.expand("=US").first?.exactCase == "US")
    }
}

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// `muted_titles`: a headline naming a muted form (a broker's rating note) tags nothing from its
/// title, however many topic terms it names; the same terms elsewhere still tag.
@Suite struct MutedTitleTests {
    static let yaml = """
        muted_titles: [开源证券]
        topics:
          - id: electric-vehicles
            en: [byd]
            zh: [比亚迪, 宁德时代]
          - id: open-source
            zh: [开源]
            exclude: [开源证券]
        """

    @Test func aBrokersRatingNoteTagsNothingFromItsTitle() throws {
        let tagger = TopicTagger(taxonomy: try Taxonomy.parse(yaml: Self.yaml))
        #expect(tagger.tag(title: "开源证券：给予比亚迪“增持”评级", summary: nil, content: nil).isEmpty)
        #expect(tagger.tag(title: "開源證券：維持寧德時代“買入”評級", summary: nil, content: nil).isEmpty)
        #expect(tagger.tag(title: "比亚迪销量创新高", summary: nil, content: nil).map(\.topic) == ["electric-vehicles"])
        // The body of a muted headline still counts, at body weight (three mentions reach the threshold).
        let body = tagger.tag(title: "开源证券：点评", summary: nil, content: "比亚迪 比亚迪 比亚迪")
        #expect(body.map(\.topic) == ["electric-vehicles"])
    }

    @Test func mutedTitlesMustBeAListOfStrings() {
        #expect(throws: TaxonomyError.self) { try Taxonomy.parse(yaml: "muted_titles: 开源证券\ntopics:\n  - id: x\n    en: [x]\n") }
    }

    @Test func theShippedTaxonomyMutesTheBrokerNamedInTheIssue() throws {
        let tagger = TopicTagger(taxonomy: try Taxonomy.load(from: TestPaths.taxonomy))
        #expect(tagger.tag(title: "开源证券：维持宁德时代“买入”评级", summary: nil, content: nil).isEmpty)
        #expect(tagger.tag(title: "开源证券：给予中芯国际“买入”评级", summary: nil, content: nil).isEmpty)
    }
}
