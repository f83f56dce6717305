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

    @Test("feed states read in one call equal the one-by-one reads, for few and for many feeds")
    func batchedFeedStates() async throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: dir.file("s.sqlite"))
        let t0 = Date(timeIntervalSince1970: 1_762_470_000)
        var results: [FeedFetchResult] = []
        for i in 0..<30 where i % 3 != 2 {
            let outcome: FetchRecord.Outcome = i % 3 == 0 ? .fetched : .failed(message: "HTTP 50\(i % 10)")
            results.append(FeedFetchResult(feedID: "f\(i)", result: FetchRecord(
                outcome: outcome, at: t0 + Double(i), httpStatus: i % 3 == 0 ? 200 : 500 + i % 10,
                etag: "\"e\(i)\"", lastModified: "Fri, 07 Nov 2025 02:\(10 + i):00 GMT", nextDueAt: t0 + 600)))
        }
        try await store.recordFetches(results)
        for ids in [["f0", "f1", "f2"], (0..<30).map { "f\($0)" } + ["never-seen"], []] {
            let batch = try await store.feedStates(ids)
            var one: [String: FeedState] = [:]
            for id in ids { one[id] = try await store.feedState(feedID: id) }
            #expect(batch == one)
            #expect(batch["never-seen"] == nil && batch["f2"] == nil)
        }
        // Feeds not asked for stay out of the answer.
        #expect(try await store.feedStates(["f0", "f3"]).keys.sorted() == ["f0", "f3"])
        #expect(try await store.feedStates((0..<12).map { "f\($0)" }).count == 8)
    }

    @Test("classify finds stored items whatever their ids contain (quotes, backslashes, controls, NUL, Han)")
    func classifyOddItemIDs() async throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: dir.file("s.sqlite"))
        let ids = ["plain", "with \"quotes\"", #"back\slash"#, "tab\tnew\nline", "nul\u{0}inside", "脱钩/42", "[1,2]", ""]
        let first = try await store.classify(ids.map { fingerprint("f", $0, "h1") })
        #expect(first == Array(repeating: ItemDisposition.new, count: ids.count))
        try await store.commitEmitted([PartCommit(name: "p1", items: ids.map { emitted("f", $0, "h1", 1) })], runID: "r1")
        let again = try await store.classify(ids.map { fingerprint("f", $0, $0 == "脱钩/42" ? "h2" : "h1") })
        #expect(again == ids.map { $0 == "脱钩/42" ? ItemDisposition.changed(revision: 2) : .unchanged(revision: 1) })
        // The same ids under another feed are other items.
        #expect(try await store.classify(ids.map { fingerprint("g", $0, "h1") }) == Array(repeating: .new, count: ids.count))
    }
}
