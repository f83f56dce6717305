import Foundation
import Testing
import IngestCore
import Emit
@testable import Pipeline

/// A run over tens of thousands of feeds keeps only the feeds in flight in memory (issue 3's
/// memory bound): the feed list and the finished feeds' reports wait in temporary files, and
/// repeats are looked for within a feed. These pin that nothing is lost, reordered or
/// emitted twice on the way.
@Suite struct PerFeedStateTests {
    /// Every field of a report, for comparing two of them (FeedReport has no `==`).
    private func fields(_ r: FeedReport) -> String {
        "\(r.feedID)|\(r.url)|\(r.status)|\(String(describing: r.httpStatus))|\(String(describing: r.format))|"
            + "\(String(describing: r.encoding))|\(r.emitted)|\(r.new)|\(r.changed)|\(r.unchanged)|\(r.warnings)|"
            + "\(String(describing: r.error))|\(r.bytes)|\(r.seconds.bitPattern)"
    }

    @Test func reportsPastTheLimitComeBackWholeAndInOrder() {
        let reports = (0..<600).map(FeedReport.sample)
        let log = FeedReportLog(memoryLimit: 16)
        for r in reports.prefix(300) { log.append(r) }
        #expect(log.isSpilled)
        // Read once mid-run, then appended to again: the file must continue, not restart.
        #expect(log.all.map(fields) == reports.prefix(300).map(fields))
        for r in reports.dropFirst(300) { log.append(r) }
        #expect(log.count == 600)
        #expect(log.all.map(fields) == reports.map(fields))
        #expect(log.all.map(fields) == reports.map(fields), "a second read gives the same")

        let summary = RunSummary(runID: "r", pipeline: nil, startedAt: Date(), finishedAt: Date(), reports: log, notDue: 4)
        let inMemory = RunSummary(runID: "r", pipeline: nil, startedAt: Date(), finishedAt: Date(),
                                  reports: FeedReportLog(reports, memoryLimit: .max), notDue: 4)
        #expect(!inMemory.reports.isSpilled)
        let a = summary.totals, b = inMemory.totals
        func sum(_ f: (FeedReport) -> Int) -> Int { reports.map(f).reduce(0, +) }
        let got: [Int] = [a.feeds, a.ok, a.notModified, a.failed, a.skipped, a.emitted, a.new, a.changed, a.unchanged,
                          a.warnings, a.bytes]
        let want: [Int] = [604, 150, 150, 150, 154, sum(\.emitted), sum(\.new), sum(\.changed), sum(\.unchanged),
                           sum { $0.warnings.count }, sum(\.bytes)]
        #expect(got == want)
        let fromMemory: [Int] = [b.feeds, b.ok, b.failed, b.skipped, b.emitted, b.warnings, b.bytes]
        #expect(fromMemory == [a.feeds, a.ok, a.failed, a.skipped, a.emitted, a.warnings, a.bytes])
        #expect(summary.render() == inMemory.render())
        #expect(summary.failedFeeds.map(fields) == reports.filter { $0.status == .failed }.map(fields))
    }

    /// A scheduled run's feeds dimension waits in the same kind of file: every field must come back.
    @Test func feedRecordsPastTheLimitComeBackWholeAndInOrder() {
        let records = (0..<300).map { (i: Int) -> FeedRecord in
            let url: String = i % 2 == 0 ? "https://例子.cn/\(i).xml" : "/srv/feeds/\(i) x.xml"
            let title: String? = i % 4 == 0 ? nil : "标题 \(i)\n"
            let description: String? = i % 7 == 0 ? "" : "about \(i)"
            let http: Int? = i % 8 == 0 ? nil : 200 + i % 5
            let warnings: [String] = (0..<(i % 3)).map { "w\($0) 警告" }
            let fetched: Date? = i % 12 == 0 ? nil : Date(timeIntervalSince1970: 1_764_600_000.123_456 + Double(i) / 3)
            var r = FeedRecord(url: url, title: title, description: description, httpStatus: http, items: i % 13,
                               warnings: warnings, fetchedAt: fetched)
            if i % 3 == 0 { r.finalURL = "https://e.com/\(i)" }
            if i % 5 == 0 { r.link = "https://e.com/" }
            if i % 6 == 0 { r.language = "zh-Hans" }
            if i % 2 == 0 { r.format = "rss2" }
            if i % 9 == 0 { r.encoding = "gb18030" }
            if i % 10 == 1 { r.error = "http 500: 服务器错误" }
            if i % 11 != 0 { r.feedID = "id-\(i)" }
            return r
        }
        let log = FeedRecordLog(memoryLimit: 20)
        for r in records { log.append(r) }
        #expect(log.isSpilled)
        #expect(log.count == 300)
        #expect(Array(log) == records)
        #expect(Array(log) == records, "a second pass gives the same")
        #expect(!FeedRecordLog(Array(records.prefix(10))).isSpilled)
    }

    /// A scheduled job's feeds wait there too, between runs and across them.
    @Test func scheduledFeedsPastTheLimitComeBackWholeAndInOrder() {
        let feeds = (0..<500).map { (i: Int) -> ScheduledFeed in
            let kind: FeedSource.Kind = i % 7 == 0 ? .page : .feed
            let language: String? = i % 3 == 0 ? "zh-Hant" : nil
            let title: String? = i % 5 == 0 ? "标题 \(i)" : nil
            let interval: TimeInterval? = i % 4 == 0 ? nil : Double(i) * 60.5
            let source = FeedSource(location: "https://例子.cn/\(i).xml", kind: kind, id: "id-\(i)", language: language, title: title)
            return ScheduledFeed(source: source, interval: interval, enabled: i % 6 != 1)
        }
        let list = ScheduledFeedList(feeds, memoryLimit: 30)
        #expect(list.isSpilled && list.count == 500)
        func fields(_ f: ScheduledFeed) -> String { "\(f.source)|\(String(describing: f.interval?.bitPattern))|\(f.enabled)" }
        for _ in 0..<2 {
            var read: [String] = []
            list.forEach { read.append(fields($0)) }
            #expect(read == feeds.map(fields))
        }
        let enabled: [String] = feeds.filter { $0.enabled }.map { $0.source.id }
        #expect(list.enabledIDs == enabled)
    }

    @Test func sourcesPastTheLimitComeBackWholeAndInOrder() {
        let sources = (0..<700).map { i in
            FeedSource(
                location: i % 2 == 0 ? "https://例子.cn/\(i).xml" : "/srv/feeds/\(i) x.xml", kind: i % 9 == 0 ? .page : .feed,
                id: "id-\(i)", language: i % 3 == 0 ? "zh-Hant" : nil, timeZone: i % 4 == 0 ? "Asia/Taipei" : nil,
                sourceID: i % 5 == 0 ? "cna" : nil, title: i % 6 == 0 ? "中央社 \(i)" : nil)
        }
        let list = FeedSourceList(sources, memoryLimit: 50)
        #expect(list.isSpilled)
        #expect(list.count == 700)
        #expect(Array(list) == sources)
        #expect(Array(list) == sources, "a second pass gives the same")
        let small = FeedSourceList(Array(sources.prefix(10)))
        #expect(!small.isSpilled)
        #expect(Array(small) == Array(sources.prefix(10)))
    }

    // MARK: repeats, per feed

    private actor CollectingSink: RecordSink {
        var ids: [String] = []
        func write(_ batch: [EmitRecord]) async throws -> SinkAck {
            for case .item(let item) in batch { ids.append(item.id) }
            return SinkAck(records: batch.count, bytes: 0)
        }
        func close() async throws {}
    }

    private func outcome(_ id: String, kind: FeedSource.Kind = .feed) -> FeedOutcome {
        FeedOutcome(source: FeedSource(location: "/feeds/\(id)", kind: kind, id: id), status: .ok,
                    record: FeedRecord(url: "/feeds/\(id)"))
    }

    private func item(_ id: String) -> FeedItem { FeedItem(id: id, title: "t", titleRaw: "t", fetchedAt: Date()) }

    private func deliver(_ events: [FeedEvent<FeedItem>], shared: Set<String> = []) async throws
        -> (ids: [String], summary: RunSummary)
    {
        let sink = CollectingSink()
        var delivery = StreamDelivery(sink: sink, feedRecords: false)
        delivery.feedIDsSharedBySources = shared
        let channel = BoundedChannel<FeedEvent<FeedItem>>(capacity: events.count + 1)
        for e in events { try await channel.send(e) }
        channel.finish()
        let log = try await delivery.consume(channel)
        return (await sink.ids, RunSummary(runID: "r", pipeline: nil, startedAt: Date(), finishedAt: Date(), reports: log))
    }

    @Test func repeatsWithinAFeedAreDroppedWhileFeedsInterleave() async throws {
        let (ids, summary) = try await deliver([
            .item(item("a1"), feedID: "a"), .item(item("b1"), feedID: "b"), .item(item("a1"), feedID: "a"),
            .item(item("b1"), feedID: "b"), .item(item("a2"), feedID: "a"), .end(outcome("a")),
            .item(item("b2"), feedID: "b"), .item(item("b2"), feedID: "b"), .end(outcome("b")),
        ])
        #expect(ids == ["a1", "b1", "a2", "b2"])
        #expect(summary.feeds.map(\.emitted) == [2, 2])
    }

    /// A feed and a page read from one address share a feed id, so their items can share ids:
    /// the first source's ids are kept past its end for the second.
    @Test func sourcesSharingAFeedIDStillEmitAnItemOnce() async throws {
        let events: [FeedEvent<FeedItem>] = [
            .item(item("x1"), feedID: "x"), .item(item("x2"), feedID: "x"), .end(outcome("x")),
            .item(item("x2"), feedID: "x"), .end(outcome("x", kind: .page)),
        ]
        let kept = try await deliver(events, shared: ["x"])
        #expect(kept.ids == ["x1", "x2"])
        // Without the shared id the second source's item is new to it: the test above would
        // catch a delivery that forgot a shared feed's ids.
        let forgotten = try await deliver(events)
        #expect(forgotten.ids == ["x1", "x2", "x2"])

        var options = AdHocJob.Options()
        options.feeds = ["/srv/a.xml", "/srv/b.xml", "/srv/a.xml"]
        options.pages = ["/srv/a.xml", "/srv/c.html"]
        let sources = try AdHocJob.resolveSources(options)
        #expect(sources.count == 4)
        #expect(AdHocJob.feedIDsShared(by: sources) == [FeedID.derive(from: "/srv/a.xml")])
    }
}
