import Foundation
import State
import StatePostgres
import Testing

/// A worker stalled longer than its lease (GC pause, suspended VM, SIGSTOP) must not
/// publish or record what another worker has taken over since.
@Suite("PostgresStateStore: fencing a worker that outlived its lease", .enabled(if: postgresAvailable, postgresSkipMessage))
struct FencingTests {
    let now = Date(timeIntervalSince1970: 1_762_470_000)

    @Test("a stale worker's commit is refused naming the feeds, its fetch record is dropped; the new owner's stand")
    func staleWorkerIsFenced() async throws {
        try await withDatabase { db in
            let stale = try await db.store("stale") { $0.claimBatch = 10 }
            let fresh = try await db.store("fresh") { $0.claimBatch = 10 }
            #expect(try await stale.claimDueFeeds(["f", "g"], now: now) == ["f", "g"])
            // The stale worker was suspended past its leases (a heartbeat never revives an
            // expired one); the other worker takes f over.
            _ = try await db.sql("UPDATE feeds SET lease_expires_at = now() - interval '1 second' WHERE lease_owner = 'stale'")
            #expect(try await fresh.claimDueFeeds(["f"], now: now) == ["f"])

            // The suspended worker wakes and tries to commit what it fetched before: refused as a whole.
            let woken = stale
            await #expect {
                try await woken.commitEmitted(
                    [PartCommit(name: "part-stale", items: [emitted("f", "i1", "h1", 1), emitted("g", "j1", "h1", 1)])],
                    runID: "r-stale")
            } throws: { error in
                guard let e = error as? StateStoreError, case .leaseLost(let feeds) = e.kind else { return false }
                return feeds == ["f"] && e.description.contains("another worker claimed them")
            }
            #expect(try await db.sql("SELECT count(*)::text FROM item_revisions") == [["0"]])
            #expect(try await db.sql("SELECT count(*)::text FROM parts") == [["0"]])
            // g was not taken over: committing it alone is still this worker's to do.
            let receipt = try await woken.commitEmitted(
                [PartCommit(name: "part-stale-g", items: [emitted("g", "j1", "h1", 1)])], runID: "r-stale")
            #expect(receipt.recorded == 1)

            // Its fetch result for f is not written over the lease the new owner holds.
            try await woken.recordFetch(feedID: "f", result: FetchRecord(
                outcome: .fetched, at: now, etag: "\"stale\"", nextDueAt: now + 3600))
            #expect(try await db.sql("SELECT lease_owner, etag FROM feeds WHERE feed_id = 'f'") == [["fresh", nil]])
            // The new owner fetches, classifies (item new: nothing was marked) and commits.
            #expect(try await fresh.classify([fingerprint("f", "i1", "h1")]) == [.new])
            let own = try await fresh.commitEmitted(
                [PartCommit(name: "part-fresh", items: [emitted("f", "i1", "h1", 1)])], runID: "r-fresh")
            #expect(own.recorded == 1 && own.duplicates.isEmpty)
            try await fresh.recordFetch(feedID: "f", result: FetchRecord(
                outcome: .fetched, at: now, etag: "\"fresh\"", nextDueAt: now + 600))
            #expect(try await db.sql("SELECT lease_owner, etag FROM feeds WHERE feed_id = 'f'") == [[nil, "\"fresh\""]])
            await fresh.close()
            await stale.close()
        }
    }
}
