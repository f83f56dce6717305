import Foundation
import State
import StatePostgres
import Testing

/// Several workers on one database: two (or more) store instances are two workers.
@Suite("PostgresStateStore: leases, workers and races", .enabled(if: postgresAvailable, postgresSkipMessage))
struct WorkerLeaseTests {
    let now = Date(timeIntervalSince1970: 1_762_470_000)

    @Test("a feed claimed by one worker is not handed to another until recorded or released")
    func leasesAreExclusive() async throws {
        try await withDatabase { db in
            let a = try await db.store("a") { $0.claimBatch = 100 }
            let b = try await db.store("b") { $0.claimBatch = 100 }
            #expect(try await a.claimDueFeeds(["f1", "f2"], now: now) == ["f1", "f2"])
            #expect(try await b.claimDueFeeds(["f1", "f2", "f3"], now: now) == ["f3"])
            // recordFetch ends a's lease, but with a later due time nobody may take it.
            try await a.recordFetch(feedID: "f1", result: FetchRecord(outcome: .fetched, at: now, nextDueAt: now + 600))
            #expect(try await b.claimDueFeeds(["f1", "f2"], now: now) == [])
            // A failure due again at once, or a release, lets the other worker have it.
            try await a.recordFetch(feedID: "f2", result: FetchRecord(outcome: .failed(message: "x"), at: now, nextDueAt: now))
            #expect(try await b.claimDueFeeds(["f1", "f2"], now: now) == ["f2"])
            try await b.releaseClaims(["f3"])
            #expect(try await a.claimDueFeeds(["f3"], now: now) == ["f3"])
            // b cannot end or release a lease it does not hold.
            try await b.releaseClaims(["f3"])
            #expect(try await b.claimDueFeeds(["f3"], now: now) == [])
            await a.close()
            await b.close()
        }
    }

    @Test("a worker unsure of its leases asks the database: renewed when nobody took them, lost when a feed was taken over")
    func confirmLeasesAfterALapse() async throws {
        try await withDatabase { db in
            // A margin as long as the lease: never fresh by the clock alone, so every fetch would ask.
            let a = try await db.store("a") { $0.leaseDuration = .seconds(30); $0.leaseMargin = .seconds(30); $0.claimBatch = 100 }
            let b = try await db.store("b") { $0.leaseDuration = .seconds(30); $0.claimBatch = 100 }
            #expect(a.leasesAreFresh, "no claim yet: nothing to lose")
            #expect(try await a.claimDueFeeds(["f1", "f2"], now: now) == ["f1", "f2"])
            #expect(!a.leasesAreFresh)
            // Lapsed on the server but nobody claimed them: still a's, renewed.
            _ = try await db.sql("UPDATE feeds SET lease_expires_at = now() - interval '1 second' WHERE lease_owner = 'a'")
            #expect(await a.confirmLeases())
            #expect(try await b.claimDueFeeds(["f1", "f2"], now: now) == [], "renewed: b cannot take them")
            // Lapsed again and b took one over: the claim is lost for good.
            _ = try await db.sql("UPDATE feeds SET lease_expires_at = now() - interval '1 second' WHERE lease_owner = 'a'")
            #expect(try await b.claimDueFeeds(["f2"], now: now) == ["f2"])
            #expect(await a.confirmLeases() == false)
            #expect(await a.confirmLeases() == false)
            #expect(!a.leasesAreFresh)
            // A feed recorded by a meanwhile does not count as lost; a new claim starts afresh.
            try await a.recordFetch(feedID: "f1", result: FetchRecord(outcome: .fetched, at: now, nextDueAt: now))
            #expect(try await a.claimDueFeeds(["f1", "f3"], now: now) == ["f1", "f3"])
            #expect(await a.confirmLeases())
            await a.close()
            await b.close()
        }
    }

    @Test("a dead worker's leases expire and are taken over, and the takeover is recorded")
    func expiredLeasesAreTakenOver() async throws {
        try await withDatabase { db in
            // Both leases outlast any stall of this process (a loaded CI machine starves it for
            // seconds): with 1 s leases the dead worker's lapsed before the survivor's first claim,
            // or the survivor's own before the status read. Expiry is made on the server's clock.
            let dead = try await db.store("dead") { $0.leaseDuration = .seconds(60); $0.claimBatch = 100 }
            let live = try await db.store("live") { $0.leaseDuration = .seconds(60); $0.claimBatch = 100 }
            #expect(try await dead.claimDueFeeds(["f1", "f2"], now: now) == ["f1", "f2"])
            #expect(try await live.claimDueFeeds(["f1", "f2"], now: now) == [])
            // Stops heartbeating without handing anything back, like SIGKILL; then its leases run out.
            await dead.close(releaseLeases: false)
            _ = try await db.sql("UPDATE feeds SET lease_expires_at = clock_timestamp() - interval '1 second' WHERE lease_owner = 'dead'")
            #expect(try await live.claimDueFeeds(["f1", "f2"], now: now) == ["f1", "f2"])
            let cluster = try await live.clusterStatus()
            #expect(cluster.takeovers["dead"] == 2)
            #expect(Set(cluster.liveLeases.map(\.feedID)) == ["f1", "f2"])
            #expect(cluster.liveLeases.allSatisfy { $0.owner == "live" })
            await live.close()
        }
    }

    @Test("a live worker's heartbeat keeps its leases past their first expiry")
    func heartbeatRenewsLeases() async throws {
        try await withDatabase { db in
            // a's own timer renews every third of the lease. The lease must outlast a stall of
            // this process (the timer is a task on the cooperative pool, which a loaded CI
            // machine starves for seconds): with 3 s, renewing every second, a 2-3 s stall let
            // it lapse and b took the feed. 9 s, renewed every 3 s, survives a 6 s stall.
            let a = try await db.store("a") { $0.leaseDuration = .seconds(9); $0.claimBatch = 100 }
            let b = try await db.store("b") { $0.leaseDuration = .seconds(9); $0.claimBatch = 100 }
            #expect(try await a.claimDueFeeds(["f"], now: now) == ["f"])
            // Wait, on the server's clock, until the lease as first granted has run out (the
            // deadline is a hang guard only).
            let firstExpiry = try #require(try await db.sql("SELECT lease_expires_at::text FROM feeds WHERE feed_id = 'f'").first?.first ?? nil)
            let waitBy = ContinuousClock.now + .seconds(120)
            while try await db.sql("SELECT (clock_timestamp() > '\(firstExpiry)'::timestamptz)::text") != [["true"]],
                  ContinuousClock.now < waitBy {
                try await Task.sleep(for: .milliseconds(500))
            }
            try await a.heartbeat()
            #expect(try await b.claimDueFeeds(["f"], now: now) == [])
            #expect(try await b.clusterStatus().takeovers.isEmpty)
            await a.close()
            await b.close()
        }
    }

    @Test("per-host limits hold across workers: leases of one host never exceed the limit")
    func perHostLimitAcrossWorkers() async throws {
        try await withDatabase { db in
            let hosts = ["a1": "h", "a2": "h", "a3": "h", "a4": "h", "b1": "g"]
            let w1 = try await db.store("w1") { $0.perHostLimit = 2; $0.feedHosts = hosts; $0.claimBatch = 100 }
            let w2 = try await db.store("w2") { $0.perHostLimit = 2; $0.feedHosts = hosts; $0.claimBatch = 100 }
            let all = Array(hosts.keys)
            let first = try await w1.claimDueFeeds(["a1", "a2", "a3", "b1"], now: now)
            #expect(first == ["a1", "a2", "b1"])
            // Host h is full: the other worker gets nothing of it.
            #expect(try await w2.claimDueFeeds(all, now: now) == [])
            try await w1.recordFetch(feedID: "a1", result: FetchRecord(outcome: .fetched, at: now, nextDueAt: now + 600))
            #expect(try await w2.claimDueFeeds(all, now: now) == ["a3"])
            await w1.close()
            await w2.close()
        }
    }

    @Test("without a batch size each live worker claims a fair share")
    func fairShares() async throws {
        try await withDatabase { db in
            let feeds = (1...9).map { "f\($0)" }
            let a = try await db.store("a")
            let b = try await db.store("b")
            let c = try await db.store("c")
            let first = try await a.claimDueFeeds(feeds, now: now)
            let second = try await b.claimDueFeeds(feeds, now: now)
            let third = try await c.claimDueFeeds(feeds, now: now)
            #expect(first.count == 3 && second.count == 3 && third.count == 3)
            #expect(first.union(second).union(third) == Set(feeds))
            await a.close()
            await b.close()
            await c.close()
        }
    }

    @Test("many workers claiming at once never get the same feed")
    func concurrentClaims() async throws {
        try await withDatabase { db in
            let feeds = (1...300).map { "feed-\($0)" }
            var stores: [PostgresStateStore] = []
            for w in 0..<4 { stores.append(try await db.store("w\(w)") { $0.claimBatch = 20 }) }
            let now = now
            let claims = try await withThrowingTaskGroup(of: [String].self) { group in
                for store in stores {
                    group.addTask {
                        var mine: [String] = []
                        while true {
                            let got = try await store.claimDueFeeds(feeds, now: now)
                            if got.isEmpty { return mine }
                            mine += got
                        }
                    }
                }
                var all: [[String]] = []
                for try await c in group { all.append(c) }
                return all
            }
            let flat = claims.flatMap { $0 }
            #expect(flat.count == feeds.count)
            #expect(Set(flat) == Set(feeds))
            for store in stores { await store.close() }
        }
    }

    @Test("the unique revision key makes a second emission impossible even when two workers race")
    func uniqueEmissionUnderRace() async throws {
        try await withDatabase { db in
            let a = try await db.store("a")
            let b = try await db.store("b")
            let items = (0..<200).map { emitted("f", "i\($0)", "h", 1) }
            // Each worker commits every item in its own parts, in batches of 10, at the same time.
            async let ra: [CommitReceipt] = {
                var out: [CommitReceipt] = []
                for (n, start) in stride(from: 0, to: items.count, by: 10).enumerated() {
                    out.append(try await a.commitEmitted(
                        [PartCommit(name: "part-a-\(n)", items: Array(items[start..<start + 10]))], runID: "ra"))
                }
                return out
            }()
            async let rb: [CommitReceipt] = {
                var out: [CommitReceipt] = []
                for (n, start) in stride(from: 0, to: items.count, by: 10).enumerated().reversed() {
                    out.append(try await b.commitEmitted(
                        [PartCommit(name: "part-b-\(n)", items: Array(items[start..<start + 10]))], runID: "rb"))
                }
                return out
            }()
            let (receiptsA, receiptsB) = try await (ra, rb)
            let recorded = (receiptsA + receiptsB).map(\.recorded).reduce(0, +)
            let duplicates = (receiptsA + receiptsB).flatMap(\.duplicates)
            #expect(recorded == items.count)
            #expect(duplicates.count == items.count)
            #expect(Set(duplicates).count == items.count)
            let rows = try await db.sql("SELECT count(*)::text, count(DISTINCT (feed_id, item_id, revision))::text FROM item_revisions")
            #expect(rows.first == ["200", "200"])
            await a.close()
            await b.close()
        }
    }

    @Test("workers run migrations at the same time: the advisory lock lets exactly one apply them")
    func concurrentMigrations() async throws {
        try await withDatabase { db in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for w in 0..<6 {
                    group.addTask {
                        let store = try await db.store("m\(w)")
                        #expect(try await store.schemaVersion() == PostgresStateStore.latestSchemaVersion)
                        await store.close()
                    }
                }
                try await group.waitForAll()
            }
            let rows = try await db.sql("SELECT count(*)::text, max(version)::text FROM ingest_migrations")
            #expect(rows.first == ["\(PostgresStateStore.latestSchemaVersion)", "\(PostgresStateStore.latestSchemaVersion)"])
        }
    }

    /// Workers with a short statement timeout wait for another's migration as long as it takes:
    /// their wait for the migration lock is exempt from the timeout (a cancelled wait only starts
    /// again and spends the retry budget; under load two migration tests failed so), and exactly
    /// one applies each migration. Another client holds the migration lock (namespace 0x696E67,
    /// key 1) for at least 3 s, three times the workers' timeout, after all four wait on it.
    @Test("workers with a 1 s statement timeout wait out another's migration and migrate exactly once", .timeLimit(.minutes(10)))
    func migrationsWaitPastStatementTimeout() async throws {
        try await withDatabase { db in
            let hold = try await db.holdLock("SELECT pg_advisory_lock(6909543, 1)", atMost: .seconds(240))
            let workers = Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for w in 0..<4 {
                        group.addTask {
                            let store = try await db.store("m\(w)", query: "statement_timeout=1s")
                            #expect(try await store.schemaVersion() == PostgresStateStore.latestSchemaVersion)
                            await store.close()
                        }
                    }
                    try await group.waitForAll()
                }
            }
            var waits = Set<String>()
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(180)
            var allWaitingSince: ContinuousClock.Instant?
            while clock.now < deadline {
                let now = try await db.lockWaiters(running: "pg_advisory_lock")
                for waiter in now { waits.insert(waiter.pid + "@" + waiter.started) }
                if now.count >= 4, allWaitingSince == nil { allWaitingSince = clock.now }
                if let since = allWaitingSince, clock.now - since >= .seconds(3) { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            await hold.end()
            #expect(allWaitingSince != nil, "the four workers never all waited for the migration lock")
            #expect(waits.count == 4, "a wait for the migration lock was cancelled and started again: \(waits)")
            try await workers.value
            let rows = try await db.sql("SELECT count(*)::text, max(version)::text FROM ingest_migrations")
            #expect(rows.first == ["\(PostgresStateStore.latestSchemaVersion)", "\(PostgresStateStore.latestSchemaVersion)"])
        }
    }

    @Test("pending parts are per worker; a dead worker's are adopted by one survivor")
    func pendingPartsPerWorker() async throws {
        try await withDatabase { db in
            // Leases long enough that a and b stay alive however long this process is starved:
            // with 1 s leases a worker counted as dead after 2 s without a heartbeat, and on a
            // loaded machine a's heartbeat task could wait that long for the cooperative pool,
            // so b adopted part-a.
            let dead = try await db.store("dead") { $0.leaseDuration = .seconds(60) }
            let a = try await db.store("a") { $0.leaseDuration = .seconds(60) }
            let b = try await db.store("b") { $0.leaseDuration = .seconds(60) }
            try await dead.commitEmitted([PartCommit(name: "part-dead", items: [emitted("f", "x", "h", 1)])], runID: "rd")
            try await a.commitEmitted([PartCommit(name: "part-a", items: [emitted("f", "y", "h", 1)])], runID: "ra")
            #expect(try await a.pendingParts().map(\.name) == ["part-a"])
            #expect(try await b.pendingParts().isEmpty)
            await dead.close(releaseLeases: false)
            // Dead once unseen for two leases: its last heartbeat is made 2.6 leases old on the
            // server's clock (as the time that passes would), while a and b were seen just now.
            _ = try await db.sql("UPDATE workers SET last_seen_at = clock_timestamp() - interval '156 seconds' WHERE worker_id = 'dead'")
            async let fromA = a.pendingParts()
            async let fromB = b.pendingParts()
            let (pa, pb) = try await (fromA.map(\.name), fromB.map(\.name))
            #expect(pa.filter { $0 == "part-dead" }.count + pb.filter { $0 == "part-dead" }.count == 1)
            #expect(pa.contains("part-a"))
            await a.close()
            await b.close()
        }
    }

    /// Each worker is judged by its own lease: by the observer's, a worker with 60 s leases
    /// (a heartbeat every 20 s) looked dead to one with 2 s leases 4 s after a heartbeat, which
    /// then adopted its pending parts. The slow worker is closed so no heartbeat of its own
    /// moves its row; its last heartbeat is aged on the server's clock.
    @Test("a worker counts as alive for two of its own leases, whatever the observer's lease")
    func aliveByOwnLease() async throws {
        try await withDatabase { db in
            let slow = try await db.store("slow") { $0.leaseDuration = .seconds(60) }
            let quick = try await db.store("quick") { $0.leaseDuration = .seconds(2) }
            try await slow.commitEmitted([PartCommit(name: "part-slow", items: [emitted("f", "x", "h", 1)])], runID: "rs")
            await slow.close(releaseLeases: false)
            _ = try await db.sql("UPDATE workers SET last_seen_at = clock_timestamp() - interval '10 seconds' WHERE worker_id = 'slow'")
            let seen = try await quick.clusterStatus().workers.first { $0.workerID == "slow" }
            #expect(seen?.alive == true)
            #expect(try await quick.pendingParts().isEmpty)
            // Past two of its own leases it is dead, and its part is adopted.
            _ = try await db.sql("UPDATE workers SET last_seen_at = clock_timestamp() - interval '130 seconds' WHERE worker_id = 'slow'")
            #expect(try await quick.clusterStatus().workers.first { $0.workerID == "slow" }?.alive == false)
            #expect(try await quick.pendingParts().map(\.name) == ["part-slow"])
            await quick.close()
        }
    }

    @Test("earliestClaimable: now for new or due feeds, the lease expiry for another's, else the due time")
    func earliestClaimable() async throws {
        try await withDatabase { db in
            let a = try await db.store("a") { $0.claimBatch = 100 }
            let b = try await db.store("b") { $0.claimBatch = 100 }
            let now = Date()
            #expect(try await a.earliestClaimable([], now: now) == nil)
            // timestamptz keeps microseconds; Date carries more: compare within a millisecond.
            let new = try #require(try await a.earliestClaimable(["new"], now: now))
            #expect(abs(new.timeIntervalSince(now)) < 0.001)
            try await a.recordFetch(feedID: "later", result: FetchRecord(outcome: .fetched, at: now, nextDueAt: now + 600))
            try await a.recordFetch(feedID: "soon", result: FetchRecord(outcome: .fetched, at: now, nextDueAt: now + 60))
            let later = try #require(try await b.earliestClaimable(["later", "soon"], now: now))
            #expect(abs(later.timeIntervalSince(now + 60)) < 0.001)
            // Held by a: b may have it when the lease runs out, not before.
            #expect(try await a.claimDueFeeds(["held"], now: now) == ["held"])
            let held = try #require(try await b.earliestClaimable(["held", "later"], now: now))
            #expect(held > now && held <= now + 130)
            // Its own lease does not make a worker wait.
            let own = try #require(try await a.earliestClaimable(["held"], now: now))
            #expect(abs(own.timeIntervalSince(now)) < 0.001)
            await a.close()
            await b.close()
        }
    }
}
