import Foundation
import State
@testable import StatePostgres
import Testing

/// The pipeline's feed list kept in the database (schema version 2), so a claim reads an
/// index instead of receiving every feed id.
@Suite("PostgresStateStore: the feed list in the database", .enabled(if: postgresAvailable, postgresSkipMessage))
struct FeedListTests {
    let now = Date(timeIntervalSince1970: 1_762_470_000)

    private func recordDueAgain(_ store: PostgresStateStore, _ feeds: [String]) async throws {
        try await store.recordFetches(feeds.map {
            FeedFetchResult(feedID: $0, result: FetchRecord(outcome: .fetched, at: now, nextDueAt: now))
        })
    }

    @Test("a feed removed from the pipeline file (or disabled) is no longer claimed; added back, it is")
    func removedFeedsAreNotClaimed() async throws {
        try await withDatabase { db in
            let a = try await db.store("a") { $0.claimBatch = 100 }
            #expect(try await a.claimDueFeeds(["f1", "f2", "f3"], now: now) == ["f1", "f2", "f3"])
            // All three fetched and due again at once.
            try await recordDueAgain(a, ["f1", "f2", "f3"])
            // The next run's file no longer has f2.
            let change = try await a.registerFeeds(["f1", "f3"])
            #expect(change.uploaded && change.unlisted == 1 && change.added == 0)
            #expect(try await a.claimDueFeeds(["f1", "f3"], now: now) == ["f1", "f3"])
            try await recordDueAgain(a, ["f1", "f3"])
            // Another worker with the same file does not get it either, and its history is kept.
            let b = try await db.store("b") { $0.claimBatch = 100 }
            #expect(try await b.claimDueFeeds(["f1", "f3"], now: now) == ["f1", "f3"])
            #expect(try await b.feedState(feedID: "f2")?.lastSuccessAt == now)
            // Status counts due feeds of the list only (f1 and f3, leased or not).
            #expect(try await b.status(now: now).dueFeeds == 2)
            // Back in the file: due again, claimed again.
            let back = try await b.registerFeeds(["f1", "f2", "f3"])
            #expect(back.updated == 1 && back.added == 0 && back.unlisted == 0)
            #expect(try await b.claimDueFeeds(["f1", "f2", "f3"], now: now) == ["f2"])
            await a.close()
            await b.close()
        }
    }

    @Test("a list the database already holds is not uploaded again; only changed rows are written")
    func unchangedListIsNotUploaded() async throws {
        try await withDatabase { db in
            let hosts = ["f1": "example.com", "f2": "example.org"]
            let a = try await db.store("a") { $0.feedHosts = hosts }
            let b = try await db.store("b") { $0.feedHosts = hosts }
            let first = try await a.registerFeeds(["f1", "f2"])
            #expect(first.uploaded && first.added == 2)
            // Same feeds in another order from another worker: same digest, nothing sent.
            #expect(try await b.registerFeeds(["f2", "f1"]) == .init())
            // A host moved: one row rewritten.
            let moved = try await db.store("c") { $0.feedHosts = ["f1": "example.com", "f2": "example.net"] }
            let change = try await moved.registerFeeds(["f1", "f2"])
            #expect(change.uploaded && change.updated == 1 && change.added == 0)
            let rows = try await db.sql("SELECT feed_id, host, listed::text FROM feeds ORDER BY feed_id")
            #expect(rows == [["f1", "example.com", "true"], ["f2", "example.net", "true"]])
            let list = try await db.sql("SELECT feeds::text, updated_by FROM feed_list")
            #expect(list == [["2", "c"]])
            await a.close()
            await b.close()
            await moved.close()
        }
    }

    @Test("a due feed listed only by another worker's pipeline file is handed back, not claimed")
    func foreignFeedsAreHandedBack() async throws {
        try await withDatabase { db in
            let old = try await db.store("old") { $0.claimBatch = 100 }
            let new = try await db.store("new") { $0.claimBatch = 100 }
            try await old.registerFeeds(["f1", "f2"])
            // A worker started with a newer file lists f3 as well.
            try await new.registerFeeds(["f1", "f2", "f3"])
            // The old worker (its list unchanged in memory) cannot fetch f3: it must not hold it.
            #expect(try await old.claimDueFeeds(["f1", "f2"], now: now) == ["f1", "f2"])
            #expect(try await new.claimDueFeeds(["f1", "f2", "f3"], now: now) == ["f3"])
            await old.close()
            await new.close()
        }
    }

    @Test("a long feed list is uploaded in batches, and claims take a fair share of it")
    func longListInBatches() async throws {
        try await withDatabase { db in
            let feeds = (0..<45_000).map { "feed-\($0)" }
            let a = try await db.store("a")
            let change = try await a.registerFeeds(feeds)
            #expect(change.added == feeds.count)
            #expect(try await db.sql("SELECT count(*)::text FROM feeds WHERE listed") == [["45000"]])
            let b = try await db.store("b") { $0.claimBatch = 10 }
            // Oldest due first, in id order among never-fetched feeds; the list is not re-sent.
            let claimed = try await b.claimDueFeeds(feeds, now: now)
            #expect(claimed == Set(feeds.sorted().prefix(10)))
            await a.close()
            await b.close()
        }
    }
}

/// Upgrading a database written by the first release (schema version 1).
@Suite("PostgresStateStore: migration 1 → 2", .enabled(if: postgresAvailable, postgresSkipMessage))
struct FeedListMigrationTests {
    @Test("a version-1 database is migrated to version 2; its feeds stay claimable and keep their state")
    func upgradeKeepsFeedsClaimable() async throws {
        try await withDatabase { db in
            // What version 1 left behind: its tables, and two feeds, one due, one not.
            _ = try await db.sql("CREATE TABLE ingest_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
            for statement in PostgresSchema.statements(PostgresSchema.migrations[0]) { _ = try await db.sql(statement) }
            _ = try await db.sql("INSERT INTO ingest_migrations (version) VALUES (1)")
            _ = try await db.sql(
                """
                INSERT INTO feeds (feed_id, host, etag, last_attempt_at, next_due_at)
                VALUES ('due', 'example.com', '"e1"', now() - interval '2 hours', now() - interval '1 hour'),
                       ('later', 'example.com', NULL, now() - interval '2 hours', now() + interval '1 hour')
                """)
            let store = try await db.store("w") { $0.claimBatch = 10 }
            #expect(try await store.schemaVersion() == PostgresStateStore.latestSchemaVersion)
            // Without any list registered yet, the old rows count as the list.
            #expect(try await store.status(now: Date()).dueFeeds == 1)
            #expect(try await store.claimDueFeeds(["due", "later"], now: Date()) == ["due"])
            #expect(try await store.feedState(feedID: "due")?.etag == "\"e1\"")
            await store.close()
        }
    }
}
