import Foundation
import Testing

@testable import Tag

/// A company's name says the topic only when the headline is about the company's business
/// (`names`, `business_titles`, `offstory_titles` in the taxonomy).
@Suite struct CompanyNameTests {
    static let yaml = """
        offstory_titles: [赞助, speeding]
        business_titles: [销量, 发布, recall*, sales]
        names: [比亚迪, tesla, 英伟达]
        topics:
          - id: electric-vehicles
            en: [tesla, electric car]
            zh: [比亚迪, 电动车]
          - id: semiconductors
            zh: [英伟达, 芯片]
        """

    static func topics(_ tagger: TopicTagger, _ title: String, content: String? = nil) -> [String] {
        tagger.tag(title: title, summary: nil, content: content).map(\.topic)
    }

    @Test func aNameTagsOnlyWhenTheHeadlineIsAboutTheBusiness() throws {
        let tagger = TopicTagger(taxonomy: try Taxonomy.parse(yaml: Self.yaml))
        #expect(Self.topics(tagger, "比亚迪销量创新高") == ["electric-vehicles"])
        #expect(Self.topics(tagger, "Tesla recalls two million cars") == ["electric-vehicles"])
        #expect(Self.topics(tagger, "英伟达发布新一代架构") == ["semiconductors"])
        // Named, but the story is not the business: no business word.
        #expect(Self.topics(tagger, "比亚迪出资设立乡村教育基金").isEmpty)
        #expect(Self.topics(tagger, "Tesla owners club raises money for a hospice").isEmpty)
        #expect(Self.topics(tagger, "英伟达员工家庭日 包场游乐园").isEmpty)
        // The topic's own words still tag a headline whose company name does not.
        #expect(Self.topics(tagger, "比亚迪出资设立电动车研究基金") == ["electric-vehicles"])
        #expect(Self.topics(tagger, "英伟达员工家庭日 芯片展区最受欢迎") == ["semiconductors"])
    }

    @Test func anOffstoryHeadlineDropsNamesEvenWithBusinessWords() throws {
        let tagger = TopicTagger(taxonomy: try Taxonomy.parse(yaml: Self.yaml))
        #expect(Self.topics(tagger, "比亚迪赞助欧洲杯 销量广告铺满球场").isEmpty)
        #expect(Self.topics(tagger, "Tesla driver fined for speeding after sales event").isEmpty)
        #expect(Self.topics(tagger, "比亚迪赞助欧洲杯 借势推广电动车") == ["electric-vehicles"])
        // The whole item is read without names: the body's mentions of the name do not tag either,
        // while the body's own topic words still do.
        #expect(Self.topics(tagger, "比亚迪赞助欧洲杯", content: "比亚迪 比亚迪 比亚迪").isEmpty)
        #expect(Self.topics(tagger, "比亚迪赞助欧洲杯", content: "电动车 电动车 电动车") == ["electric-vehicles"])
    }

    /// 华虹半导体 is a name that holds the topic word 半导体: an off-story headline drops that word
    /// with the name, while the same word outside any name still counts.
    @Test func aTopicWordInsideADroppedNameGoesWithIt() throws {
        let tagger = TopicTagger(taxonomy: try Taxonomy.parse(yaml: """
            offstory_titles: [联谊, 冠名]
            business_titles: [营收]
            names: [华虹半导体]
            topics:
              - id: semiconductors
                zh: [华虹半导体, 半导体]
            """))
        #expect(Self.topics(tagger, "华虹半导体工会举办单身青年联谊活动").isEmpty)
        #expect(Self.topics(tagger, "华虹半导体冠名城市马拉松").isEmpty)
        #expect(Self.topics(tagger, "华虹半导体第三季度营收增长") == ["semiconductors"])
        #expect(Self.topics(tagger, "华虹半导体冠名半导体产业论坛") == ["semiconductors"])
        for title in ["华虹半导体工会举办单身青年联谊活动", "华虹半导体冠名半导体产业论坛", "华虹半导体第三季度营收增长"] {
            for foldingFirst in [false, true] {
                let fast = tagger.tag(title: title, summary: nil, content: nil, foldingFirst: foldingFirst)
                let reference = tagger.referenceTag(title: title, summary: nil, content: nil, foldingFirst: foldingFirst)
                #expect(fast.map(\.topic) == reference.map(\.topic), "\(title)")
                #expect(fast.map(\.terms) == reference.map(\.terms), "\(title)")
            }
        }
    }

    @Test func withoutBusinessWordsOrOffstoryHeadlinesNamesAlwaysCount() throws {
        let tagger = TopicTagger(taxonomy: try Taxonomy.parse(yaml: """
            names: [比亚迪]
            topics:
              - id: electric-vehicles
                zh: [比亚迪]
            """))
        #expect(Self.topics(tagger, "比亚迪出资设立乡村教育基金") == ["electric-vehicles"])
    }

    @Test func theFastPathAgreesWithTheReferenceReading() throws {
        let tagger = TopicTagger(taxonomy: try Taxonomy.parse(yaml: Self.yaml))
        for title in ["比亚迪销量创新高", "比亚迪出资设立乡村教育基金", "比亚迪赞助欧洲杯 借势推广电动车", "Tesla driver fined for speeding",
                      "英伟达员工家庭日 芯片展区最受欢迎", "Tesla recalls two million cars"] {
            for foldingFirst in [false, true] {
                let fast = tagger.tag(title: title, summary: nil, content: "比亚迪 比亚迪 比亚迪", foldingFirst: foldingFirst)
                let reference = tagger.referenceTag(title: title, summary: nil, content: "比亚迪 比亚迪 比亚迪", foldingFirst: foldingFirst)
                #expect(fast.map(\.topic) == reference.map(\.topic), "\(title)")
                #expect(fast.map(\.terms) == reference.map(\.terms), "\(title)")
            }
        }
    }

    @Test func aNameThatIsNoTermIsAnErrorNamingIt() {
        do {
            _ = try Taxonomy.parse(yaml: """
                names: [蔚来]
                topics:
                  - id: electric-vehicles
                    zh: [比亚迪]
                """, file: "topics.yaml")
            Issue.record("a stray name was accepted")
        } catch let error as TaxonomyError {
            #expect(error.description.contains("蔚来"))
            #expect(error.description.contains("names"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    /// The shipped taxonomy on headlines written for this test: companies in stories about their
    /// business, and the same companies in stories about something else.
    @Test func theShippedTaxonomyReadsCompaniesInAndOutOfTheirBusiness() throws {
        let tagger = TopicTagger(taxonomy: try Taxonomy.load(from: TestPaths.taxonomy))
        #expect(Self.topics(tagger, "中芯国际四季度营收同比增长") == ["semiconductors"])
        #expect(Self.topics(tagger, "宁德时代发布新一代钠离子电池") == ["electric-vehicles"])
        #expect(Self.topics(tagger, "Nvidia shares hit record ahead of earnings") == ["semiconductors"])
        #expect(Self.topics(tagger, "中芯国际职工合唱团获全国比赛金奖").isEmpty)
        #expect(Self.topics(tagger, "宁德时代出资设立乡村教育基金").isEmpty)
        #expect(Self.topics(tagger, "台积电冠名新竹马拉松 两万跑者开跑").isEmpty)
        #expect(Self.topics(tagger, "Tesla owners club raises £20,000 for children's hospice").isEmpty)
        #expect(Self.topics(tagger, "Intel Extreme Masters final packs Katowice arena").isEmpty)
    }
}
