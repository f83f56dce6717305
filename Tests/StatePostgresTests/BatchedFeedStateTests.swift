import Foundation
import State
import StatePostgres
import Testing

/// A run reads the state of every feed it claimed before its first fetch and records
/// their results in batches: with PostgreSQL a round trip per feed held back the start of
/// every run, and the commit of every batch, by the number of feeds times the latency.
@Suite("PostgresStateStore: feed states read and written in batches", .enabled(if: postgresAvailable, postgresSkipMessage))
struct BatchedFeedStateTests {
    let t0 = Date(timeIntervalSince1970: 1_762_470_000)

    /// Statements this database has run whose text contains `fragment`, from
    /// `pg_stat_statements`; `nil` when the server was started without it.
    private func statements(_ db: TestDatabase, containing fragment: String) async throws -> Int? {
        let loaded = try await db.sql("SELECT current_setting('shared_preload_libraries')")
        guard (loaded.first?.first ?? nil)?.contains("pg_stat_statements") == true else { return nil }
        _ = try await db.sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        let rows = try await db.sql(
            """
            SELECT coalesce(sum(calls), 0)::int8::text FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND query LIKE '%\(fragment)%' AND query NOT LIKE '%pg_stat_statements%'
            """)
        return Int((rows.first?.first ?? nil) ?? "")
    }

    @Test("feedStates equals the per-feed read for known, never-fetched, claimed-only and unknown feeds, past a chunk")
    func batchedReadEqualsPerFeedRead() async throws {
        try await withDatabase { db in
            let store = try await db.store("w1") { $0.claimBatch = 10 }
            try await store.recordFetches([
                FeedFetchResult(feedID: "ok", result: FetchRecord(
                    outcome: .fetched, at: t0, httpStatus: 200, etag: "\"e1\"", lastModified: "Fri, 07 Nov 2025 02:25:00 GMT",
                    nextDueAt: t0 + 3600, intervalSeconds: 3600)),
                FeedFetchResult(feedID: "down", result: FetchRecord(
                    outcome: .failed(message: "HTTP 503 from example.org"), at: t0, httpStatus: 503, nextDueAt: t0 + 300)),
                FeedFetchResult(feedID: "新闻", result: FetchRecord(outcome: .fetched, at: t0, nextDueAt: t0 + 60)),
            ])
            // A claim makes a row that was never fetched: to the pipeline, a feed not yet seen.
            #expect(try await store.claimDueFeeds(["claimed-only"], now: t0) == ["claimed-only"])
            // Known feeds on both sides of the 10,000-id chunk boundary, among unknown ones.
            var ids = (0..<10_050).map { "unknown-\($0)" }
            ids.insert("ok", at: 3)
            ids.insert("down", at: 9_999)
            ids.insert("新闻", at: 10_000)
            ids.insert("claimed-only", at: 10_020)
            ids.append("ok")  // asked twice

            let batched = try await store.feedStates(ids)
            var perFeed: [String: FeedState] = [:]
            for id in ["ok", "down", "新闻", "claimed-only", "unknown-0", "unknown-10049"] {
                if let state = try await store.feedState(feedID: id) { perFeed[id] = state }
            }
            #expect(batched == perFeed)
            #expect(Set(batched.keys) == ["ok", "down", "新闻"])
            #expect(batched["ok"]?.etag == "\"e1\"" && batched["down"]?.consecutiveFailures == 1)
            #expect(try await store.feedStates([]) == [:])
            await store.close()
        }
    }

    @Test("feedStates of 500 feeds is one statement, not one per feed")
    func batchedReadIsOneStatement() async throws {
        try await withDatabase { db in
            let store = try await db.store("w1")
            let ids = (0..<500).map { "f\($0)" }
            try await store.recordFetches(ids.map {
                FeedFetchResult(feedID: $0, result: FetchRecord(outcome: .fetched, at: t0, nextDueAt: t0 + 60))
            })
            guard let before = try await statements(db, containing: "FROM feeds WHERE feed_id = ANY(") else {
                // Without pg_stat_statements only the equality test above can run.
                await store.close()
                return
            }
            let states = try await store.feedStates(ids)
            let after = try #require(try await statements(db, containing: "FROM feeds WHERE feed_id = ANY("))
            #expect(states.count == 500)
            #expect(after - before == 1)
            await store.close()
        }
    }

    @Test("a batch of fetch results leaves the same state as recording them one by one, in one UPDATE per batch")
    func batchedWriteEqualsOneByOne() async throws {
        try await withDatabase { db in
            let store = try await db.store("w1")
            // The same history for two sets of feeds: "a-*" one result at a time, "b-*" in batches.
            func history(_ p: String) -> [[FeedFetchResult]] {
                func r(_ id: String, _ record: FetchRecord) -> FeedFetchResult { FeedFetchResult(feedID: p + id, result: record) }
                return [
                    [
                        r("etag", FetchRecord(outcome: .fetched, at: t0, httpStatus: 200, etag: "W/\"1\"",
                                              lastModified: "Fri, 07 Nov 2025 02:25:00 GMT", nextDueAt: t0 + 3600, intervalSeconds: 3600)),
                        r("fails", FetchRecord(outcome: .failed(message: "timeout"), at: t0, nextDueAt: t0 + 60)),
                        r("plain", FetchRecord(outcome: .fetched, at: t0, httpStatus: 200, nextDueAt: t0 + 600)),
                    ],
                    [
                        // 304 without validators keeps the old ones; with one, takes it.
                        r("etag", FetchRecord(outcome: .notModified, at: t0 + 3600, httpStatus: 304, nextDueAt: t0 + 7200)),
                        r("plain", FetchRecord(outcome: .notModified, at: t0 + 600, httpStatus: 304, etag: "\"p\"", nextDueAt: t0 + 1200)),
                        r("fails", FetchRecord(outcome: .failed(message: "HTTP 503 from example.org"), at: t0 + 60,
                                               httpStatus: 503, nextDueAt: t0 + 180)),
                        // Reported twice in one batch: the later result stands.
                        r("twice", FetchRecord(outcome: .failed(message: "first"), at: t0, nextDueAt: t0 + 5)),
                        r("twice", FetchRecord(outcome: .fetched, at: t0 + 1, httpStatus: 200, etag: "\"t\"", nextDueAt: t0 + 9)),
                    ],
                    [
                        // A failure keeps validators; a body without them drops them; success resets the count.
                        r("etag", FetchRecord(outcome: .failed(message: "DNS"), at: t0 + 7200, nextDueAt: t0 + 7500)),
                        r("plain", FetchRecord(outcome: .fetched, at: t0 + 1200, httpStatus: 200, nextDueAt: t0 + 1800,
                                               intervalSeconds: 600)),
                        r("fails", FetchRecord(outcome: .fetched, at: t0 + 180, httpStatus: 200, nextDueAt: t0 + 3780)),
                    ],
                ]
            }
            for batch in history("a-") {
                for entry in batch { try await store.recordFetch(feedID: entry.feedID, result: entry.result) }
            }
            let updatesBefore = try await statements(db, containing: "UPDATE feeds f SET")
            for batch in history("b-") { try await store.recordFetches(batch) }
            let updatesAfter = try await statements(db, containing: "UPDATE feeds f SET")

            let names = ["etag", "fails", "plain", "twice"]
            let a = try await store.feedStates(names.map { "a-" + $0 })
            let b = try await store.feedStates(names.map { "b-" + $0 })
            #expect(a.count == 4 && b.count == 4)
            for name in names {
                var renamed = try #require(b["b-" + name])
                renamed.feedID = "a-" + name
                #expect(renamed == a["a-" + name], "feed \(name)")
            }
            #expect(b["b-etag"]?.etag == "W/\"1\"" && b["b-etag"]?.consecutiveFailures == 1)
            #expect(b["b-fails"]?.consecutiveFailures == 0 && b["b-fails"]?.lastError == "HTTP 503 from example.org")
            #expect(b["b-plain"]?.etag == nil && b["b-plain"]?.intervalSeconds == 600)
            #expect(b["b-twice"]?.etag == "\"t\"" && b["b-twice"]?.consecutiveFailures == 0)
            if let before = updatesBefore, let after = updatesAfter {
                // One per batch, plus one for the feed reported a second time in the middle batch.
                #expect(after - before == 4)
            }
            await store.close()
        }
    }
}
