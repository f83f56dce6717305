import Foundation
import Testing
@testable import Tag

/// The scoring rules added after the fresh6 round: several context rules per topic, weak terms
/// that count once per field, and left-open terms. Each test builds a small taxonomy of its own
/// so that it checks the rule, not the shipped word lists.
@Suite struct ContextRuleTests {
    func tagger(_ yaml: String) throws -> TopicTagger {
        TopicTagger(taxonomy: try Taxonomy.parse(yaml: yaml, file: "t.yaml"))
    }

    func topics(_ t: TopicTagger, _ title: String) -> [String] {
        t.tag(title: title, summary: nil, content: nil).map(\.topic)
    }

    @Test func anyOfSeveralContextRulesTagsButEachNeedsAllItsGroups() throws {
        let t = try tagger("""
            topics:
              - id: cybersecurity
                en: [malware]
                contexts:
                  - - [leaked, stolen]
                    - [passwords, source code]
                  - - [compromised]
                    - [script, server]
            """)
        #expect(topics(t, "Intern stole and leaked the source code") == ["cybersecurity"])
        #expect(topics(t, "Third-party script was compromised") == ["cybersecurity"])
        // One group of a rule alone, or groups of two different rules, are not enough.
        #expect(topics(t, "Leaked memo shows a new plan").isEmpty)
        #expect(topics(t, "Compromised talks over source code licence").isEmpty)
    }

    @Test func matchingSeveralRulesCountsOnce() throws {
        // Body weight 1, threshold 2: two rules satisfied in one body must not add up to a tag.
        let t = try tagger("""
            threshold: 2
            topics:
              - id: cybersecurity
                en: [malware]
                contexts:
                  - - [leaked]
                    - [passwords]
                  - - [compromised]
                    - [server]
            """)
        let body = "Passwords leaked after a server was compromised"
        #expect(t.tag(title: "", summary: nil, content: body).isEmpty)
        #expect(t.tag(title: "", summary: nil, content: body + "; malware found").map(\.topic) == ["cybersecurity"])
    }

    @Test func contextRulesNeedTwoGroupsAndListsOfLists() throws {
        #expect(throws: TaxonomyError.self) {
            _ = try Taxonomy.parse(yaml: """
                topics:
                  - id: a
                    en: [x]
                    contexts:
                      - - [only, one, group]
                """)
        }
        #expect(throws: TaxonomyError.self) {
            _ = try Taxonomy.parse(yaml: """
                topics:
                  - id: a
                    en: [x]
                    contexts: [a, b]
                """)
        }
    }

    @Test func aRepeatedWeakTermIsStillOneHint() throws {
        // Title weight 3, weak weight 0.5: one weak mention scores 1.5, two different weak terms 3.
        let t = try tagger("""
            topics:
              - id: cybersecurity
                en: [ransomware]
                weak_en: [security, password]
            """)
        #expect(topics(t, "Security, security, security: the airport queue").isEmpty)
        #expect(topics(t, "Security question: reuse a password?") == ["cybersecurity"])
        #expect(topics(t, "Ransomware") == ["cybersecurity"])
    }

    @Test func leftOpenTermsMayEndALongerWord() throws {
        let t = try tagger("""
            topics:
              - id: cybersecurity
                en: ['*attack']
            """)
        #expect(topics(t, "Cyberattack hits the port") == ["cybersecurity"])
        #expect(topics(t, "Attack on the port") == ["cybersecurity"])
        // The right edge still ends the word.
        #expect(topics(t, "Cyberattacker unmasked").isEmpty)
        let evidence = t.tag(title: "Cyberattack hits the port", summary: nil, content: nil).first?.terms
        #expect(evidence == ["attack"])
    }

    @Test func anExclusionWithCompanyHoldsOnlyWhereEveryLaterGroupMatches() throws {
        let yaml = """
            topics:
              - id: trade
                en: [tariff*, trade war]
                exclude_with:
                  - - [tariff*]
                    - [water utility, insurer]
                    - [approved, raises]
            """
        let t = try tagger(yaml)
        // Both company groups in the field: the tariff is a price list.
        #expect(topics(t, "Water utility's new tariff approved by regulator").isEmpty)
        #expect(topics(t, "Insurer raises tariffs after floods").isEmpty)
        // One company group alone, or none, leaves the tariff a duty.
        #expect(topics(t, "Water utility warns of tariff on imported pipes") == ["trade"])
        #expect(topics(t, "Senate approved tariff on steel") == ["trade"])
        // Only the first group's matches go: another term of the topic still counts.
        #expect(topics(t, "Insurer raises tariffs as the trade war bites") == ["trade"])
        // Company in another field does not reach the title.
        #expect(t.tag(title: "Tariff on steel doubles", summary: "The water utility's insurer approved it", content: nil)
            .map(\.topic) == ["trade"])
        // The scoring the fast path must equal agrees on every case.
        for title in ["Water utility's new tariff approved by regulator", "Insurer raises tariffs as the trade war bites",
                      "Senate approved tariff on steel", "WATER UTILITY\u{3000}TARIFF　APPROVED"] {
            for folding in [false, true] {
                let fast = t.tag(title: title, summary: nil, content: nil, foldingFirst: folding)
                let reference = t.referenceTag(title: title, summary: nil, content: nil, foldingFirst: folding)
                #expect(TagFastPathTests.render(fast) == TagFastPathTests.render(reference), "\(title)")
            }
        }
    }

    @Test func anExclusionUnlessItsCompanyHoldsOnlyWhereSomeLaterGroupIsMissing() throws {
        // Written before `exclude_with` on purpose: rule indices must not depend on the order of the keys.
        let yaml = """
            topics:
              - id: trade
                zh: [关税, 反倾销]
                exclude_unless:
                  - - ['关税”', '“关税', '关税」', '「关税']
                    - [进口, 出口, 加征, 美国]
                exclude_with:
                  - - [反倾销]
                    - [卖家]
            """
        let t = try tagger(yaml)
        // Quoted without company: a figure of speech.
        #expect(topics(t, "破除观演“关税”：乐团推出十元学生票").isEmpty)
        #expect(topics(t, "遠距離戀愛也要繳「關稅」？").isEmpty)
        #expect(topics(t, "社交“关税”成年轻人负担").isEmpty)
        // Quoted with company, or not quoted at all: trade.
        #expect(topics(t, "美国加征“关税” 出口企业承压") == ["trade"])
        #expect(topics(t, "关税成年轻人负担") == ["trade"])
        // The `exclude_with` rule beside it still holds only in its company.
        #expect(topics(t, "卖家呼吁反倾销").isEmpty)
        #expect(topics(t, "商务部反倾销调查") == ["trade"])
        for title in ["破除观演“关税”：乐团推出十元学生票", "美国加征“关税” 出口企业承压", "卖家呼吁反倾销", "遠距離戀愛也要繳「關稅」？"] {
            for folding in [false, true] {
                let fast = t.tag(title: title, summary: nil, content: nil, foldingFirst: folding)
                let reference = t.referenceTag(title: title, summary: nil, content: nil, foldingFirst: folding)
                #expect(TagFastPathTests.render(fast) == TagFastPathTests.render(reference), "\(title)")
            }
        }
    }

    @Test func exclusionsWithCompanyNeedTwoGroups() throws {
        #expect(throws: TaxonomyError.self) {
            _ = try Taxonomy.parse(yaml: """
                topics:
                  - id: a
                    en: [x]
                    exclude_with:
                      - - [x]
                """, file: "t.yaml")
        }
        #expect(throws: TaxonomyError.self) {
            _ = try Taxonomy.parse(yaml: """
                topics:
                  - id: a
                    en: [x]
                    exclude_with: [x, y]
                """, file: "t.yaml")
        }
    }
}
