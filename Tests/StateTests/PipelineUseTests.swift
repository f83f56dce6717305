import Foundation
import IngestCore
import Testing
@testable import State

/// The calls the pipeline makes, with the core's own record and hash.
@Suite("State as the pipeline uses it")
struct PipelineUseTests {
    @Test("a FeedItem's revision follows content changes, not topics or fetch time")
    func feedItemRevisions() async throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: dir.file("s.sqlite"))
        let fetched = Date(timeIntervalSince1970: 1_762_470_000)
        var item = FeedItem(
            id: "tmtpost:8123", url: "https://www.tmtpost.com/8123.html",
            title: "当全球习惯了中国技术，所谓“脱钩”就失去了根基", titleRaw: "当全球习惯了中国技术,所谓“脱钩”就失去了根基",
            summary: "An English summary.", fetchedAt: fetched)

        #expect(try await store.classify([ItemFingerprint(item: item, feedID: "tmtpost")]) == [.new])
        try await store.commitEmitted([PartCommit(name: "p1", items: [EmittedItem(item: item, feedID: "tmtpost")])], runID: "r1")

        // Derived or incidental fields do not make a new revision.
        item.topics = ["decoupling", "open-source"]
        item.fetchedAt = fetched.addingTimeInterval(3600)
        #expect(try await store.classify([ItemFingerprint(item: item, feedID: "tmtpost")]) == [.unchanged(revision: 1)])

        // An edited summary does.
        item.summary = "An updated English summary."
        let disposition = try #require(try await store.classify([ItemFingerprint(item: item, feedID: "tmtpost")]).first)
        #expect(disposition == .changed(revision: 2))
        item.revision = try #require(disposition.revisionToEmit)
        try await store.commitEmitted([PartCommit(name: "p2", items: [EmittedItem(item: item, feedID: "tmtpost")])], runID: "r2")
        #expect(try await store.classify([ItemFingerprint(item: item, feedID: "tmtpost")]) == [.unchanged(revision: 2)])
    }

    @Test("batched fetch results apply in order, in one transaction")
    func batchedFetchResults() async throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: dir.file("s.sqlite"))
        let t0 = Date(timeIntervalSince1970: 1_762_470_000)
        let policy = SchedulePolicy()
        var rng = SeededGenerator(seed: 11)
        let ok = policy.decide(now: t0, succeeded: true, httpStatus: 200, consecutiveFailures: 0,
                               configuredInterval: nil, hints: FeedHints(ttlMinutes: 90), using: &rng)
        try await store.recordFetches([
            FeedFetchResult(feedID: "a", result: FetchRecord(outcome: .fetched, at: t0, httpStatus: 200, etag: "\"1\"", schedule: ok)),
            FeedFetchResult(feedID: "b", result: FetchRecord(outcome: .failed(message: "timeout"), at: t0, nextDueAt: t0 + 300)),
            FeedFetchResult(feedID: "b", result: FetchRecord(outcome: .failed(message: "HTTP 502"), at: t0 + 1, httpStatus: 502, nextDueAt: t0 + 600)),
        ])
        let a = try #require(try await store.feedState(feedID: "a"))
        #expect(a.etag == "\"1\"" && a.nextDueAt == t0 + 5400 && a.intervalSeconds == 5400)
        let b = try #require(try await store.feedState(feedID: "b"))
        #expect(b.consecutiveFailures == 2 && b.lastError == "HTTP 502" && b.nextDueAt == t0 + 600)
        #expect(try await store.claimDueFeeds(["a", "b", "c"], now: t0 + 601) == ["b", "c"])
    }
}
