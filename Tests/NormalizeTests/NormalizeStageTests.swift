import Foundation
import IngestCore
import Normalize
import Testing

@Suite("Normalize stage")
struct NormalizeStageTests {
    @Test func mapsItemsInContextAndPassesFramingThrough() async throws {
        let input = BoundedChannel<FeedEvent<RawItem>>(capacity: 2)
        let output = BoundedChannel<FeedEvent<ContextualItem<FeedItem>>>(capacity: 2)
        let source = FeedSource(location: "https://www.tmtpost.com/rss", id: "tmt", timeZone: "Asia/Shanghai")
        let ctx = FeedContext(
            source: source, info: FeedInfo(format: .rss2, title: "钛媒体", link: "https://www.tmtpost.com/", language: "zh-CN"),
            requestedURL: source.location, finalURL: source.location, httpStatus: 200,
            fetchedAt: Date(timeIntervalSince1970: 1_762_480_800))
        let stats = StageStats(name: "normalize")
        let normalizer = ItemNormalizer(registry: shippedRegistry)
        let stage = Task { try await normalizer.run(input: input, output: output, stats: stats) }
        let producer = Task {
            try await input.send(.begin(ctx))
            for i in 0..<5 {
                try await input.send(.item(RawItem(guid: "g\(i)", title: "标题\(i)之一,测试 - 钛媒体", published: "2025-11-07 02:2\(i)"), feedID: "tmt"))
            }
            try await input.send(.end(FeedOutcome(source: source, status: .ok, record: FeedRecord(url: source.location, items: 5))))
            input.finish()
        }
        var kinds: [String] = []
        var titles: [String] = []
        for await event in output {
            switch event {
            case .begin: kinds.append("begin")
            case .item(let item, let feedID):
                kinds.append("item")
                #expect(feedID == "tmt")
                #expect(item.payload.source.id == "tmtpost")
                #expect(item.context.source.id == "tmt")
                titles.append(item.payload.title)
            case .end: kinds.append("end")
            }
        }
        try await producer.value
        try await stage.value
        #expect(kinds == ["begin", "item", "item", "item", "item", "item", "end"])
        #expect(titles == (0..<5).map { "标题\($0)之一，测试" })
        #expect(stats.received == 7)
        #expect(stats.emitted == 7)
    }
}
