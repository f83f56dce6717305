import Foundation
import IngestCore
import Fetch
import State
import Testing
@testable import Pipeline

private let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// A scheduled run (`ingest run`) over more feeds than it keeps in memory must write what a
/// run that keeps them all writes (issue 3's memory bound): the reports and feed records wait
/// in temporary files, `runs/<run>.json` is streamed from them, the state's run record stays
/// bounded, and pending items commit by bytes as well as by count. Real SQLite state, real
/// files, real feed files read by the fetcher.
@Suite("Scheduled runs over more feeds than they hold in memory", .serialized)
struct ScheduledRunMemoryTests {
    /// Built once: the taxonomy's compile is most of a debug run's time, and `serve` reuses
    /// one set of stages for every run too.
    private static let stages: Stages = {
        var fetch = FetchConfiguration()
        fetch.retries = 0
        return try! StageFactory.make(
            fetch: fetch, taxonomyPath: checkout.appendingPathComponent("pipelines/topics.yaml").path,
            sourcesPath: checkout.appendingPathComponent("pipelines/sources.yaml").path, fetchesOverHTTP: false)
    }()

    private func streamed(_ summary: RunSummary) throws -> Data {
        let dir = try TemporaryFolder()
        let url = dir.url.appendingPathComponent("run.json")
        try AtomicFile.write(to: url) { emit in try summary.writeJSON(in: emit) }
        return try Data(contentsOf: url)
    }

    @Test("runs/<run>.json streamed from the report log is byte for byte what jsonData() encodes")
    func streamedSummaryIsByteIdentical() throws {
        let start = Date(timeIntervalSince1970: 1_764_600_000.25)
        for (count, limit) in [(0, 256), (1, 256), (3, 256), (600, 16)] {
            for pipeline in [nil, "news/中文"] {
                let log = FeedReportLog((0..<count).map(FeedReport.sample), memoryLimit: limit)
                #expect(log.isSpilled == (count > limit))
                let summary = RunSummary(runID: "20261202T103000Z-abc123", pipeline: pipeline, startedAt: start,
                                         finishedAt: start + 61.5, reports: log, notDue: count % 7)
                let whole = try summary.jsonData()
                #expect(try streamed(summary) == whole, "\(count) reports, pipeline \(pipeline ?? "nil")")
                // The pieces stay small, however many reports there are.
                var largest = 0
                try summary.writeJSON { largest = max(largest, $0.count) }
                #expect(largest < 80 * 1024)
            }
        }
    }

    @Test("the state's copy of a summary is whole up to the limit; past it, valid JSON that names the file instead")
    func stateSummaryIsBounded() throws {
        let start = Date(timeIntervalSince1970: 1_764_600_000)
        let summary = RunSummary(runID: "r-1", pipeline: "p", startedAt: start, finishedAt: start + 5,
                                 reports: FeedReportLog((0..<10).map(FeedReport.sample), memoryLimit: 4), notDue: 3)
        #expect(try summary.stateJSON(feedLimit: 10) == String(decoding: try summary.jsonData(), as: UTF8.self))
        let bounded = try summary.stateJSON(feedLimit: 9)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bounded.utf8)) as? [String: Any])
        let full = try #require(try JSONSerialization.jsonObject(with: try summary.jsonData()) as? [String: Any])
        #expect(object["feeds"] == nil)
        #expect(object["feeds_omitted"] as? Int == 10)
        #expect(object["feeds_file"] as? String == "runs/r-1.json")
        #expect(Set(object.keys) == Set(full.keys).subtracting(["feeds"]).union(["feeds_omitted", "feeds_file"]))
        for key in ["run_id", "pipeline", "started_at", "finished_at", "not_due", "totals"] {
            #expect((object[key] as? NSObject) == (full[key] as? NSObject), "\(key)")
        }
        #expect(bounded.utf8.count < 1_000)
    }

    // MARK: whole runs

    /// Three items of feed `n`, all on one day, so every commit makes exactly one items file.
    private func feedDocument(_ n: Int) -> String {
        var s = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0"><channel><title>Feed \(n)</title><link>https://example.com/\(n)/</link>
            <description>Feed number \(n) of the test</description>
            """
        for i in 0..<(n % 9 == 4 ? 0 : 3) {
            s += """
                <item><title>Feed \(n) story \(i) about chips and export controls</title>
                <link>https://example.com/\(n)/\(i).html</link><guid>feed-\(n)-item-\(i)</guid>
                <pubDate>Fri, 07 Nov 2025 0\(i):25:00 +0000</pubDate>
                <description>Body of story \(i) of feed \(n): \(String(repeating: "semiconductor supply ", count: n % 5 + 1))</description></item>
                """
        }
        return s + "</channel></rss>\n"
    }

    /// `count` feed files (every ninth one missing, so some feeds fail) in `dir/feeds`.
    private func makeFeeds(_ count: Int, in dir: URL) throws -> [ScheduledFeed] {
        let feeds = dir.appendingPathComponent("feeds")
        try FileManager.default.createDirectory(at: feeds, withIntermediateDirectories: true)
        return try (0..<count).map { n in
            let path = feeds.appendingPathComponent("f\(n).xml").path
            if n % 9 != 7 { try feedDocument(n).write(toFile: path, atomically: false, encoding: .utf8) }
            return ScheduledFeed(source: FeedSource(location: path, kind: .feed, id: "f\(n)"))
        }
    }

    private func run(_ feeds: [ScheduledFeed], into out: URL, _ configure: (inout ScheduledSettings) -> Void = { _ in })
        async throws -> (summary: RunSummary, job: ScheduledJob)
    {
        var settings = ScheduledSettings(
            name: "memory", feeds: feeds, outputDirectory: out, statePath: out.appendingPathComponent("state.sqlite").path)
        configure(&settings)
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let job = ScheduledJob(settings: settings, store: try SQLiteStateStore(path: settings.statePath), stages: Self.stages)
        return (try await job.runOnce(), job)
    }

    /// Every JSON line of the files whose names start with `prefix`, without `fetched_at`
    /// (the one field two runs cannot share), sorted.
    private func lines(_ prefix: String, under out: URL) throws -> [String] {
        var all: [String] = []
        let fm = FileManager.default
        for partition in try fm.contentsOfDirectory(atPath: out.path) where partition.hasPrefix("date=") {
            let dir = out.appendingPathComponent(partition)
            for name in try fm.contentsOfDirectory(atPath: dir.path) where name.hasPrefix(prefix) {
                let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
                for line in text.split(separator: "\n") {
                    var object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                    object["fetched_at"] = nil
                    let canonical = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                    all.append(String(decoding: canonical, as: UTF8.self))
                }
            }
        }
        return all.sorted()
    }

    private func files(_ prefix: String, under out: URL) throws -> Int {
        let fm = FileManager.default
        return try fm.contentsOfDirectory(atPath: out.path).filter { $0.hasPrefix("date=") }.reduce(0) { n, partition in
            n + (try fm.contentsOfDirectory(atPath: out.appendingPathComponent(partition).path)).filter { $0.hasPrefix(prefix) }.count
        }
    }

    @Test("a run over more feeds than it holds writes the same records, feeds dimension and summary as one that holds them all")
    func spilledRunWritesTheSame() async throws {
        let dir = try TemporaryFolder()
        let feeds = try makeFeeds(40, in: dir.url)
        let heldOut = dir.url.appendingPathComponent("held"), spilledOut = dir.url.appendingPathComponent("spilled")
        let held = try await run(feeds, into: heldOut) { $0.feedsInMemory = 1_000 }
        let spilled = try await run(feeds, into: spilledOut) { $0.feedsInMemory = 4 }
        #expect(!held.summary.reports.isSpilled && !held.job.feeds.isSpilled)
        #expect(spilled.summary.reports.isSpilled && spilled.job.feeds.isSpilled)
        #expect(spilled.job.settings.feeds.isEmpty, "the job's list is the only copy")
        #expect(spilled.summary.totals.feeds == 40 && spilled.summary.totals.failed == 4)

        // The items and the feeds dimension: the same lines, one feed record per feed.
        let items = try lines("part-", under: spilledOut)
        #expect(items.count == 32 * 3)
        #expect(items == (try lines("part-", under: heldOut)))
        let feedLines = try lines("feeds-", under: spilledOut)
        #expect(feedLines.count == 40)
        #expect(feedLines == (try lines("feeds-", under: heldOut)))
        #expect(try files("feeds-", under: spilledOut) == 1, "the feeds dimension is still one file per day")

        // runs/<run>.json: what jsonData() encodes from the same reports, read back from the file.
        for (out, result) in [(heldOut, held), (spilledOut, spilled)] {
            let file = out.appendingPathComponent("runs/\(result.summary.runID).json")
            #expect(try Data(contentsOf: file) == (try result.summary.jsonData()))
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any]
            #expect((object?["feeds"] as? [Any])?.count == 40)
        }

        // The state's run record: whole for the run that held its reports, bounded past the limit.
        let heldRecord = try #require(try await held.job.store.recentRuns(limit: 1).first)
        #expect(heldRecord.summaryJSON == String(decoding: try held.summary.jsonData(), as: UTF8.self))
        let spilledRecord = try #require(try await spilled.job.store.recentRuns(limit: 1).first)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data((spilledRecord.summaryJSON ?? "").utf8)) as? [String: Any])
        #expect(object["feeds"] == nil && object["feeds_omitted"] as? Int == 40)
        #expect(object["feeds_file"] as? String == "runs/\(spilled.summary.runID).json")
        #expect(spilledRecord.feedsTotal == 40 && spilledRecord.itemsNew == 96)
    }

    @Test("pending items commit once their text passes the byte budget, whatever their count")
    func commitsByBytes() async throws {
        let dir = try TemporaryFolder()
        let feeds = try makeFeeds(12, in: dir.url)
        let withItems = (0..<12).filter { $0 % 9 != 4 && $0 % 9 != 7 }.count
        func configure(bytes: Int) -> (inout ScheduledSettings) -> Void {
            { s in
                s.commitEvery = 1_000_000
                s.commitInterval = .seconds(3_600)
                s.commitBytes = bytes
            }
        }
        let byFeed = dir.url.appendingPathComponent("by-feed"), once = dir.url.appendingPathComponent("once")
        // Every feed's items pass a one-byte budget: a commit (one items file, all on one day) per feed.
        _ = try await run(feeds, into: byFeed, configure(bytes: 1))
        #expect(try files("part-", under: byFeed) == withItems)
        // A budget larger than the run: one commit at the end.
        _ = try await run(feeds, into: once, configure(bytes: 1 << 30))
        #expect(try files("part-", under: once) == 1)
        #expect(try lines("part-", under: byFeed) == (try lines("part-", under: once)))
    }
}

/// A directory removed when the value goes.
private final class TemporaryFolder {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-runmem-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
}
