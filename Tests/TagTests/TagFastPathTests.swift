import Foundation
import NewsText
import Testing
@testable import Tag

/// The tagger's scoring keeps per-item buffers, chains hits per topic instead of sorting
/// them, and quotes evidence only for the topics that pass. `referenceTag` is the scoring
/// as it was written before that; both must give the same topics and the same evidence,
/// in the same order, on every input.
@Suite struct TagFastPathTests {
    static func render(_ tags: [(topic: String, terms: [String])]) -> [String] {
        tags.map { "\($0.topic)\($0.terms)" }
    }

    func expectAgree(_ tagger: TopicTagger, _ title: String, _ summary: String?, _ content: String?,
                     sourceLocation: SourceLocation = #_sourceLocation) {
        for folding in [false, true] {
            let fast = tagger.tag(title: title, summary: summary, content: content, foldingFirst: folding)
            let reference = tagger.referenceTag(title: title, summary: summary, content: content, foldingFirst: folding)
            #expect(Self.render(fast) == Self.render(reference), "\(title) | \(summary ?? "-") | \(content ?? "-")",
                    sourceLocation: sourceLocation)
        }
    }

    /// Published variants of the shipped terms (case, full width, Traditional, separators)
    /// among boundary traps, in all three fields.
    @Test func shippedTaxonomyAgreesWithTheReferenceOnRandomItems() {
        var rng = SplitMix(seed: 2026)
        let terms = shippedTagger.taxonomy.topics.flatMap { topic -> [String] in
            let rules: [String] = Array(topic.contexts.joined().joined()) + Array(topic.contextExclusions.joined().joined())
            return topic.terms + topic.weakTerms + topic.exclusions + Array(topic.pairs.joined()) + rules
        }.map { $0.trimmingCharacters(in: ["=", "*"]) }
        let noise = ["said", "SAID", "mail", "MAIL", "open", "sources", " ", " ", "，", "-", "的", "了", "美國", "中國",
                     "Inc.", "2025", "開", "Ｉ", "AI", "ai", "Ａｉ", "US", "us", "cyber", "ed", "ing", "s", "\u{130}", "é",
                     "e\u{301}", "\u{F90A}", "金", "🙂", "\n"]
        func variant(_ term: String) -> String {
            switch rng.next() % 5 {
            case 0: return term.uppercased()
            case 1: return String(String.UnicodeScalarView(term.unicodeScalars.map { u in
                    u.value >= 0x21 && u.value <= 0x7E ? Unicode.Scalar(u.value - 0x21 + 0xFF01)! : u
                }))
            case 2: return term.applyingTransform(.init("Hans-Hant"), reverse: false) ?? term
            case 3: return term.replacingOccurrences(of: " ", with: "-")
            default: return term
            }
        }
        func text(_ pieces: Int) -> String {
            (0..<pieces).map { _ in
                rng.next() % 2 == 0 ? variant(terms[Int(rng.next() % UInt64(terms.count))])
                    : noise[Int(rng.next() % UInt64(noise.count))]
            }.joined(separator: rng.next() % 2 == 0 ? " " : "")
        }
        var tagged = 0
        for round in 0..<600 {
            let title = text(Int(rng.next() % 8))
            let summary = round % 3 == 0 ? nil : text(Int(rng.next() % 20))
            let content = round % 4 == 0 ? nil : text(Int(rng.next() % 80))
            expectAgree(shippedTagger, title, summary, content)
            tagged += shippedTagger.tag(title: title, summary: summary, content: content).count
        }
        #expect(tagged > 600)  // the items really reach the scoring rules
    }

    /// Small taxonomies that stress one rule each: nested and equal spans, weak repeats,
    /// exclusions overlapping terms, several context rules, `*` and `=` terms, zero repeats,
    /// a zero threshold (every topic passes), and evidence that differs in bytes but not
    /// as `String`s (precomposed and decomposed é, a CJK compatibility ideograph).
    @Test func edgeRuleTaxonomiesAgreeWithTheReference() throws {
        let yamls = [
            """
            threshold: 2
            max_repeats: 2
            topics:
              - id: security
                en: [data security, security law, data, =US, open source*, "*attack"]
                zh: [数据安全, 数据安全法, 数据]
                weak_en: [security, data]
                exclude: [open sources said, data center]
                pairs: [[leak, leaked], [password, 密码]]
                contexts:
                  - - [stolen]
                    - [source code, 源代码]
              - id: cafe
                en: [café, cafe]
                zh: [金融, 金]
                pair_evidence: first
                pairs: [[café, 金], [price, 价格]]
            """,
            """
            threshold: 0.5
            max_repeats: 1
            topics:
              - id: a
                en: [ai, said]
              - id: b
                zh: [开源, 開源节流]
                exclude: [开源节流]
            """,
        ]
        let pieces = ["data security law", "DATA", "数据安全法", "数据", "数据安全", "US", "us", "open-sourced", "open sources said",
                      "cyberattack", "attack", "data center", "leak", "password", "密码", "stolen", "source code", "源代码",
                      "café", "cafe\u{301}", "CAFÉ", "金", "\u{F90A}", "金融", "price", "价格", "said", "SAID", "ai", "開源",
                      "开源节流", "security", " ", "，", "x", "\n", "ＵＳ", "Ｕs", "U\u{301}S", "ＵＳ\u{301}"]
        var rng = SplitMix(seed: 99)
        // Values the YAML loader refuses, built directly: every topic passes; no repeats count.
        let unchecked = Taxonomy(topics: [
            .init(id: "a", terms: ["ai", "said"], weakTerms: ["data"]),
            .init(id: "b", terms: ["开源"], exclusions: ["开源节流"], pairs: [["leak"], ["password"]]),
        ], threshold: 0, maxRepeats: 0)
        for taxonomy in try yamls.map({ try Taxonomy.parse(yaml: $0, file: "t.yaml") }) + [unchecked] {
            let tagger = TopicTagger(taxonomy: taxonomy)
            for _ in 0..<400 {
                func text(_ n: Int) -> String {
                    (0..<n).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined(separator: rng.next() % 3 == 0 ? "" : " ")
                }
                expectAgree(tagger, text(Int(rng.next() % 5)), rng.next() % 2 == 0 ? text(10) : nil,
                            rng.next() % 2 == 0 ? text(30) : nil)
            }
        }
    }

    /// The fast path reads muted headline forms from their hits alone instead of tagging the
    /// title a second time (`isMuted`, which the reference keeps): both must agree, including
    /// at the forms' edge rules (word boundaries, `=` case, `*` ends, folded variants).
    @Test func mutedTitlesAgreeWithTheReference() throws {
        let tagger = TopicTagger(taxonomy: try Taxonomy.parse(yaml: """
            muted_titles: [开源证券, "=ACME Research", open sources, "rating*"]
            topics:
              - id: ev
                en: [byd, acme]
                zh: [比亚迪, 开源]
            """, file: "t.yaml"))
        let pieces = ["开源证券", "開源證券", "开源", "证券", "ACME Research", "acme research", "ACME-Research", "ＡＣＭＥ Research",
                      "open sources", "reopen sources", "open-sources", "opensourcesx", "rating", "ratings", "berating", "byd",
                      "BYD", "比亚迪", "acme", " ", "：", "x", "\u{130}"]
        var rng = SplitMix(seed: 7)
        var muted = 0
        var unmuted = 0
        for _ in 0..<500 {
            let title = (0..<Int(rng.next() % 4)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }
                .joined(separator: rng.next() % 3 == 0 ? "" : " ")
            if tagger.isMuted(title) { muted += 1 } else { unmuted += 1 }
            expectAgree(tagger, title, rng.next() % 2 == 0 ? "byd byd byd" : nil, nil)
        }
        #expect(muted > 50 && unmuted > 50)  // both outcomes are exercised
    }

    @Test func canonicallyEquivalentQuotesAreOneEvidence() throws {
        let tagger = TopicTagger(taxonomy: try Taxonomy.parse(yaml: """
            topics:
              - id: cafe
                en: [café]
            """, file: "t.yaml"))
        let tags = tagger.tag(title: "café", summary: nil, content: "cafe\u{301} café cafe\u{301}")
        #expect(Self.render(tags) == Self.render(tagger.referenceTag(title: "café", summary: nil, content: "cafe\u{301} café cafe\u{301}")))
        #expect(tags.first?.terms == ["café"])
    }

    /// `sameText` decides byte inequality alone only for scalars whose canonical form is
    /// themselves: check that claim for every scalar it treats so.
    @Test func inertScalarsAreTheirOwnCanonicalForm() {
        var checked = 0
        for v in UInt32(0)..<0x10000 {
            guard let u = Unicode.Scalar(v) else { continue }
            var s = String(u)
            let inert = s.withUTF8 { TopicTagger.isCanonicallyInert($0) }
            guard inert else { continue }
            #expect(u.properties.canonicalCombiningClass == .notReordered, "U+\(String(v, radix: 16))")
            #expect(s.decomposedStringWithCanonicalMapping.unicodeScalars.elementsEqual([u]), "U+\(String(v, radix: 16))")
            checked += 1
        }
        #expect(checked > 20_000)
        var a = "金", b = "\u{F90A}"
        #expect(a.withUTF8 { x in b.withUTF8 { y in TopicTagger.sameText(x, y) } } == (a == b))
    }
}
