import Foundation
import State
import StatePostgres
import Testing

/// The `StateStore` contract on a real PostgreSQL server, case for case with the SQLite
/// backend's tests.
@Suite("PostgresStateStore: the StateStore protocol", .enabled(if: postgresAvailable, postgresSkipMessage))
struct PostgresStateStoreTests {
    // MARK: Schema

    @Test("an empty database is migrated to the latest version; reopening does not migrate again")
    func migratesFromEmpty() async throws {
        try await withDatabase { db in
            let store = try await db.store("w1")
            #expect(try await store.schemaVersion() == PostgresStateStore.latestSchemaVersion)
            #expect(try await store.migrate() == [])
            try await store.recordFetch(
                feedID: "f", result: FetchRecord(outcome: .fetched, at: Date(), nextDueAt: Date() + 60))
            await store.close()
            let again = try await db.store("w2")
            #expect(try await again.feedState(feedID: "f") != nil)
            let rows = try await db.sql("SELECT count(*)::text FROM ingest_migrations")
            #expect(rows.first?.first == "\(PostgresStateStore.latestSchemaVersion)")
            await again.close()
        }
    }

    @Test("a database written by a newer version is refused, not touched")
    func refusesNewerSchema() async throws {
        try await withDatabase { db in
            let store = try await db.store("w1")
            await store.close()
            _ = try await db.sql("INSERT INTO ingest_migrations (version) VALUES (99)")
            await #expect {
                _ = try await db.store("w2")
            } throws: { error in
                guard let error = error as? StateStoreError,
                      case .schemaTooNew(found: 99, supported: PostgresStateStore.latestSchemaVersion) = error.kind
                else { return false }
                return error.message.contains("newer ingest")
            }
        }
    }

    // MARK: Items

    @Test("new, unchanged and changed items get the right revisions")
    func revisions() async throws {
        try await withDatabase { db in
            let store = try await db.store("w1")
            #expect(try await store.classify([fingerprint("f", "a", "h1"), fingerprint("f", "b", "x")]) == [.new, .new])
            try await store.commitEmitted(
                [PartCommit(name: "p1", items: [emitted("f", "a", "h1", 1), emitted("f", "b", "x", 1)])], runID: "r1")
            let second = try await store.classify([fingerprint("f", "a", "h2"), fingerprint("f", "b", "x")])
            #expect(second == [.changed(revision: 2), .unchanged(revision: 1)])
            try await store.commitEmitted([PartCommit(name: "p2", items: [emitted("f", "a", "h2", 2)])], runID: "r2")
            #expect(try await store.classify([fingerprint("f", "a", "h2")]) == [.unchanged(revision: 2)])
            #expect(try await store.classify([fingerprint("f", "a", "h1")]) == [.changed(revision: 3)])
            #expect(try await store.classify([fingerprint("g", "a", "h1")]) == [.new])
            await store.close()
        }
    }

    @Test("classify is read-only, and a key repeated in one batch is judged against its earlier occurrence")
    func classifyReadOnlyAndRepeats() async throws {
        try await withDatabase { db in
            let store = try await db.store("w1")
            #expect(try await store.classify([fingerprint("f", "a", "h1")]) == [.new])
            #expect(try await store.classify([fingerprint("f", "a", "h1")]) == [.new])
            #expect(try await store.status(now: Date()).items == 0)
            let result = try await store.classify([
                fingerprint("f", "a", "h1"), fingerprint("f", "a", "h1"), fingerprint("f", "a", "h2"),
            ])
            #expect(result == [.new, .unchanged(revision: 1), .changed(revision: 2)])
            await store.close()
        }
    }

    @Test("replaying a commit changes nothing; a published part stays published")
    func idempotentCommit() async throws {
        try await withDatabase { db in
            let store = try await db.store("w1")
            let part = PartCommit(
                name: "date=2025-11-07/.part-w1-r1.jsonl.tmp", items: [emitted("f", "a", "h1", 1), emitted("f", "b", "h", 1)])
            #expect(try await store.commitEmitted([part], runID: "r1") == CommitReceipt(recorded: 2, duplicates: []))
            #expect(try await store.commitEmitted([part], runID: "r1") == CommitReceipt(recorded: 0, duplicates: []))
            #expect(try await store.pendingParts().map(\.name) == [part.name])
            #expect(try await store.pendingParts().first?.itemCount == 2)
            try await store.markPublished(parts: [part.name, "never-committed"])
            try await store.commitEmitted([part], runID: "r1")
            #expect(try await store.pendingParts().isEmpty)
            #expect(try await store.classify([fingerprint("f", "a", "h1")]) == [.unchanged(revision: 1)])
            await store.close()
        }
    }

    @Test("the same revision emitted by another part is reported as a duplicate; an older one never moves an item back")
    func duplicatesAndLateRevisions() async throws {
        try await withDatabase { db in
            let store = try await db.store("w1")
            try await store.commitEmitted([PartCommit(name: "p1", items: [emitted("f", "a", "h1", 1)])], runID: "r1")
            let receipt = try await store.commitEmitted(
                [PartCommit(name: "p2", items: [emitted("f", "a", "h1", 1), emitted("f", "b", "h", 1)])], runID: "r2")
            #expect(receipt.recorded == 1)
            #expect(receipt.duplicates == [ItemKey(feedID: "f", itemID: "a")])

            try await store.commitEmitted([PartCommit(name: "p4", items: [emitted("g", "a", "h2", 2)])], runID: "r")
            try await store.commitEmitted([PartCommit(name: "p3", items: [emitted("g", "a", "h1", 1)])], runID: "r")
            #expect(try await store.classify([fingerprint("g", "a", "h2")]) == [.unchanged(revision: 2)])
            await store.close()
        }
    }

    @Test("an invalid revision rolls back the whole multi-part commit, naming item and part")
    func atomicAcrossParts() async throws {
        try await withDatabase { db in
            let store = try await db.store("w1")
            await #expect {
                try await store.commitEmitted(
                    [
                        PartCommit(name: "date=2025-11-06/p", items: [emitted("f", "a", "h", 1)]),
                        PartCommit(name: "date=2025-11-07/p", items: [emitted("f", "b", "h", 0)]),
                    ], runID: "r")
            } throws: { error in
                guard let error = error as? StateStoreError else { return false }
                return error.kind == .invalidArgument && error.message.contains("f / b") && error.message.contains("2025-11-07/p")
            }
            #expect(try await store.pendingParts().isEmpty)
            #expect(try await store.classify([fingerprint("f", "a", "h")]) == [.new])
            try await store.commitEmitted(
                [
                    PartCommit(name: "date=2025-11-06/p", items: [emitted("f", "a", "h", 1)]),
                    PartCommit(name: "date=2025-11-07/p", items: [emitted("f", "b", "h", 1)]),
                ], runID: "r")
            #expect(Set(try await store.pendingParts().map(\.name)) == ["date=2025-11-06/p", "date=2025-11-07/p"])
            await store.close()
        }
    }

    @Test("abandoning a lost pending part takes back exactly its marks")
    func abandonPart() async throws {
        try await withDatabase { db in
            let store = try await db.store("w1")
            try await store.commitEmitted([PartCommit(name: "p1", items: [emitted("f", "a", "h1", 1)])], runID: "r1")
            try await store.markPublished(parts: ["p1"])
            try await store.commitEmitted(
                [PartCommit(name: "p2", items: [emitted("f", "a", "h2", 2), emitted("f", "b", "x", 1)])], runID: "r2")
            #expect(try await store.abandonPart("p1") == 0)
            #expect(try await store.abandonPart("p2") == 2)
            #expect(try await store.pendingParts().isEmpty)
            #expect(try await store.classify([fingerprint("f", "a", "h2"), fingerprint("f", "b", "x")])
                == [.changed(revision: 2), .new])
            #expect(try await store.classify([fingerprint("f", "a", "h1")]) == [.unchanged(revision: 1)])
            let receipt = try await store.commitEmitted([PartCommit(name: "p3", items: [emitted("f", "a", "h2", 2)])], runID: "r3")
            #expect(receipt == CommitReceipt(recorded: 1, duplicates: []))
            await store.close()
        }
    }

    // MARK: Feeds

    @Test("validators round-trip and follow the rules for 200, 304 and failures")
    func validatorsRoundTrip() async throws {
        try await withDatabase { db in
            let store = try await db.store("w1")
            let t0 = Date(timeIntervalSince1970: 1_762_470_000)
            #expect(try await store.feedState(feedID: "f") == nil)
            try await store.recordFetch(
                feedID: "f",
                result: FetchRecord(outcome: .fetched, at: t0, httpStatus: 200, etag: "W/\"abc\"",
                                    lastModified: "Fri, 07 Nov 2025 02:25:00 GMT", nextDueAt: t0 + 3600, intervalSeconds: 3600))
            var state = try #require(try await store.feedState(feedID: "f"))
            #expect(state.etag == "W/\"abc\"")
            #expect(state.lastModified == "Fri, 07 Nov 2025 02:25:00 GMT")
            #expect(state.lastSuccessAt == t0)
            #expect(state.lastHTTPStatus == 200)
            #expect(state.intervalSeconds == 3600)
            #expect(state.nextDueAt == t0 + 3600)

            try await store.recordFetch(
                feedID: "f", result: FetchRecord(outcome: .notModified, at: t0 + 3600, httpStatus: 304, nextDueAt: t0 + 7200))
            state = try #require(try await store.feedState(feedID: "f"))
            #expect(state.etag == "W/\"abc\"")
            #expect(state.lastModified != nil)
            #expect(state.lastSuccessAt == t0 + 3600)

            try await store.recordFetch(
                feedID: "f",
                result: FetchRecord(outcome: .notModified, at: t0 + 7200, httpStatus: 304, etag: "\"def\"", nextDueAt: t0 + 9000))
            #expect(try await store.feedState(feedID: "f")?.etag == "\"def\"")

            for n in 1...3 {
                try await store.recordFetch(
                    feedID: "f",
                    result: FetchRecord(outcome: .failed(message: "HTTP 503 from example.org"), at: t0 + Double(9000 + n),
                                        httpStatus: 503, nextDueAt: t0 + 20000))
            }
            state = try #require(try await store.feedState(feedID: "f"))
            #expect(state.consecutiveFailures == 3)
            #expect(state.lastError == "HTTP 503 from example.org")
            #expect(state.lastErrorAt == t0 + 9003)
            #expect(state.etag == "\"def\"")
            try await store.recordFetch(
                feedID: "g", result: FetchRecord(outcome: .failed(message: "DNS"), at: t0, nextDueAt: t0 + 300))
            #expect(try await store.failingFeeds(limit: 10).map(\.feedID) == ["f", "g"])
            #expect(try await store.failingFeeds(limit: 1).map(\.feedID) == ["f"])

            try await store.recordFetches([FeedFetchResult(
                feedID: "f", result: FetchRecord(outcome: .fetched, at: t0 + 30000, httpStatus: 200, nextDueAt: t0 + 33600))])
            state = try #require(try await store.feedState(feedID: "f"))
            #expect(state.etag == nil && state.lastModified == nil)
            #expect(state.consecutiveFailures == 0)
            #expect(state.lastError == "HTTP 503 from example.org")
            let status = try await store.status(now: t0)
            #expect(status.failingFeeds == 1)
            #expect(status.feeds == 2)
            #expect(try await store.failingFeeds(limit: 10).map(\.feedID) == ["g"])
            await store.close()
        }
    }

    @Test("never-fetched and overdue feeds are due; feeds scheduled later are not")
    func dueFeeds() async throws {
        try await withDatabase { db in
            let store = try await db.store("w1")
            let now = Date(timeIntervalSince1970: 1_762_470_000)
            try await store.recordFetch(feedID: "later", result: FetchRecord(outcome: .fetched, at: now, nextDueAt: now + 60))
            try await store.recordFetch(feedID: "overdue", result: FetchRecord(outcome: .fetched, at: now - 7200, nextDueAt: now - 1))
            try await store.recordFetch(feedID: "exactly", result: FetchRecord(outcome: .fetched, at: now - 3600, nextDueAt: now))
            #expect(try await store.claimDueFeeds(["new", "later", "overdue", "exactly"], now: now) == ["new", "overdue", "exactly"])
            #expect(try await store.claimDueFeeds(["later"], now: now + 61) == ["later"])
            let status = try await store.status(now: now)
            #expect(status.feeds == 3)
            await store.close()
        }
    }

    @Test("a claimed feed is not handed out again until its fetch is recorded or released")
    func claims() async throws {
        try await withDatabase { db in
            let store = try await db.store("w1")
            let now = Date(timeIntervalSince1970: 1_762_470_000)
            #expect(try await store.claimDueFeeds(["a", "b", "c"], now: now) == ["a", "b", "c"])
            #expect(try await store.claimDueFeeds(["a", "b", "c", "d"], now: now) == ["d"])
            try await store.recordFetch(feedID: "a", result: FetchRecord(outcome: .fetched, at: now, nextDueAt: now + 600))
            try await store.recordFetches([
                FeedFetchResult(feedID: "b", result: FetchRecord(outcome: .failed(message: "reset"), at: now, nextDueAt: now))
            ])
            try await store.releaseClaims(["c"])
            #expect(try await store.claimDueFeeds(["a", "b", "c"], now: now) == ["b", "c"])
            #expect(try await store.claimDueFeeds(["a"], now: now + 600) == ["a"])
            // A clean close hands every lease back.
            await store.close()
            let next = try await db.store("w2")
            #expect(try await next.claimDueFeeds(["b", "c", "d"], now: now) == ["b", "c", "d"])
            await next.close()
        }
    }

    // MARK: Runs and status

    @Test("run records are stored, updated in place and listed newest first; status counts")
    func runsAndStatus() async throws {
        try await withDatabase { db in
            let store = try await db.store("w1")
            let t0 = Date(timeIntervalSince1970: 1_762_470_000)
            try await store.recordRun(RunRecord(runID: "r1", pipeline: "demo", startedAt: t0, status: "running"))
            try await store.recordRun(RunRecord(
                runID: "r1", pipeline: "demo", startedAt: t0, finishedAt: t0 + 5, status: "completed", feedsTotal: 3,
                feedsFailed: 1, itemsNew: 10, itemsChanged: 2, itemsUnchanged: 4, summaryJSON: #"{"ok":true}"#))
            try await store.recordRun(RunRecord(runID: "r2", pipeline: "demo", startedAt: t0 + 60, status: "completed"))
            let runs = try await store.recentRuns(limit: 10)
            #expect(runs.map(\.runID) == ["r2", "r1"])
            #expect(runs[1].status == "completed" && runs[1].itemsNew == 10 && runs[1].summaryJSON == #"{"ok":true}"#)
            #expect(runs[1].finishedAt == t0 + 5)
            #expect(try await store.recentRuns(limit: 1).map(\.runID) == ["r2"])
            try await store.commitEmitted([PartCommit(name: "p", items: [emitted("f", "a", "h", 1)])], runID: "r2")
            let status = try await store.status(now: t0)
            #expect(status.schemaVersion == PostgresStateStore.latestSchemaVersion)
            #expect(status.items == 1 && status.pendingParts == 1)
            #expect(status.lastRun?.runID == "r2")
            #expect(!status.location.contains("password"))
            await store.close()
        }
    }

    @Test("text with quotes, NUL-free control characters and CJK survives storage unchanged")
    func textFidelity() async throws {
        try await withDatabase { db in
            let store = try await db.store("w1")
            let id = "新华社/it's \"quoted\"\t; DROP TABLE feeds; --"
            try await store.recordFetch(
                feedID: id, result: FetchRecord(outcome: .failed(message: "超时 ✓ 'x'"), at: Date(), nextDueAt: Date()))
            #expect(try await store.feedState(feedID: id)?.lastError == "超时 ✓ 'x'")
            try await store.commitEmitted([PartCommit(name: "p", items: [emitted(id, "条目", "哈希", 1)])], runID: "r")
            #expect(try await store.classify([fingerprint(id, "条目", "哈希")]) == [.unchanged(revision: 1)])
            await store.close()
        }
    }

    // MARK: Connections

    @Test("sslmode=require encrypts every connection of the store, disable does not, verify-full refuses a self-signed server; bad URLs are named")
    func tlsAndURLs() async throws {
        let db = try await TestDatabase()
        defer { Task { await db.drop() } }
        func url(_ mode: String) -> String {
            var c = URLComponents(string: db.url)!
            c.queryItems = [URLQueryItem(name: "sslmode", value: mode)]
            return c.string!
        }
        /// Whether this database's client connections are encrypted, as the server sees them.
        func encryption() async throws -> [String?] {
            try await db.sql("""
                SELECT s.ssl::text FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
                WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()
                """).map { $0.first ?? nil }
        }
        var options = PostgresWorkerOptions(workerID: "w")
        options.retryAttempts = 1
        options.registersWorker = false
        let serverOffersTLS = try await db.sql("SHOW ssl").first?.first == "on"
        if serverOffersTLS {
            let secure = try await PostgresStateStore.open(url: url("require"), options: options)
            _ = try await secure.feedStates(["any"])
            let seen = try await encryption()
            #expect(!seen.isEmpty && seen.allSatisfy { $0 == "true" }, "require: \(seen)")
            await secure.close()
            let plain = try await PostgresStateStore.open(url: url("disable"), options: options)
            _ = try await plain.feedStates(["any"])
            let plainSeen = try await encryption()
            #expect(!plainSeen.isEmpty && plainSeen.allSatisfy { $0 == "false" }, "disable: \(plainSeen)")
            await plain.close()
            // The throwaway certificate is signed by nobody the system trusts.
            await #expect(throws: StateStoreError.self) {
                _ = try await PostgresStateStore.open(url: url("verify-full"), options: options)
            }
        } else {
            // Without openssl the test server has no TLS: asking for it must fail, naming the URL.
            await #expect {
                _ = try await PostgresStateStore.open(url: url("require"), options: options)
            } throws: { error in
                (error as? StateStoreError)?.location.contains("sslmode=require") == true
            }
        }
        #expect(throws: StateStoreError.self) { try PostgresURL("mysql://h/db") }
        #expect(throws: StateStoreError.self) { try PostgresURL("postgres://h/db?sslmode=sometimes") }
        let url = try PostgresURL("postgres://u:secret@db.example:6543/ingest?sslmode=verify-full")
        #expect(url.port == 6543 && url.database == "ingest" && url.tls == .verifyFull && url.password == "secret")
        #expect(!url.redacted.contains("secret"))
        #expect(url.statementTimeout == .seconds(30))
        #expect(try PostgresURL("postgres://h/db?statement_timeout=2min").statementTimeout == .seconds(120))
        #expect(try PostgresURL("postgres://h/db?statement_timeout=1500").statementTimeout == .milliseconds(1500))
        #expect(try PostgresURL("postgres://h/db?statement_timeout=0").statementTimeout == .zero)
        #expect {
            try PostgresURL("postgres://h/db?statement_timeout=soon")
        } throws: { error in
            (error as? StateStoreError)?.message.contains("statement_timeout 'soon' is not a duration") == true
        }
    }

    /// A statement stuck behind another client's lock is ended by the server itself
    /// (`statement_timeout`, sent when connecting) and the operation is retried, instead of
    /// waiting for as long as the lock is held. Seen from the server: the waiting statement
    /// starts again. Without the timeout one statement waits for the whole test.
    @Test("a statement stuck behind another client's lock is cancelled by the server and retried", .timeLimit(.minutes(10)))
    func lockedStatementsTimeOutAndRetry() async throws {
        let starts = try await Self.waitersOfLockedRead(query: "statement_timeout=1s", distinctBy: \.started) {
            $0.attemptLimit = .seconds(600)
        }
        #expect(starts.count >= 2, "the waiting statement never started again: \(starts)")
    }

    /// What the server's own timeout cannot end (a frozen backend, a connection a firewall
    /// dropped silently) the client bounds: with the server's timeout off, an attempt still
    /// unanswered after `attemptLimit` has its connection closed and is retried on another.
    /// Seen from the server: a second backend starts waiting. Without the bound, one backend
    /// waits for the whole test. The session-9 hang in `retriesLostConnections` was such a wait.
    @Test("an attempt left unanswered while the server accepts connections is closed and retried", .timeLimit(.minutes(10)))
    func unansweredAttemptsAreClosedAndRetried() async throws {
        let backends = try await Self.waitersOfLockedRead(query: "statement_timeout=0", distinctBy: \.pid) {
            $0.connectionWait = .milliseconds(500)
            $0.attemptLimit = .seconds(2)
        }
        #expect(backends.count >= 2, "the unanswered attempt was never retried on another connection: \(backends)")
    }

    @Test("an attempt abandoned unanswered is retried once even past retryFor", .timeLimit(.minutes(10)))
    func unansweredAttemptIsRetriedPastRetryFor() async throws {
        try await withDatabase { db in
            // retryFor is shorter than one attempt's limit, as with the defaults (60 s and 300 s).
            let store = try await db.store("w1", query: "statement_timeout=0") {
                $0.retryFor = .milliseconds(500)
                $0.connectionWait = .milliseconds(500)
                $0.attemptLimit = .seconds(3)
            }
            let now = Date()
            try await store.recordFetch(feedID: "f", result: FetchRecord(outcome: .fetched, at: now, nextDueAt: now + 60))
            // The first read waits behind the lock until it is abandoned (3–3.5 s); the lock goes
            // at 5 s, so the retry, started past retryFor, finishes well within its own limit.
            let hold = try await db.holdLock("LOCK TABLE feeds IN ACCESS EXCLUSIVE MODE", atMost: .seconds(5))
            let state = try await store.feedState(feedID: "f")
            #expect(state?.nextDueAt != nil)
            await hold.end()
            await store.close()
        }
    }

    /// Another client locks `feeds` while a store opened with `query` reads a feed behind the
    /// lock. Collects `distinctBy` of every statement seen waiting until two differ or 180 s
    /// pass, then releases the lock and checks that the read completes.
    static func waitersOfLockedRead(
        query: String, distinctBy key: KeyPath<(pid: String, started: String), String>,
        _ configure: (inout PostgresWorkerOptions) -> Void
    ) async throws -> Set<String> {
        var seen = Set<String>()
        try await withDatabase { db in
            let store = try await db.store("w1", query: query) {
                $0.retryFor = .seconds(600)
                configure(&$0)
            }
            let now = Date()
            try await store.recordFetch(feedID: "f", result: FetchRecord(outcome: .fetched, at: now, nextDueAt: now + 60))
            let hold = try await db.holdLock("LOCK TABLE feeds IN ACCESS EXCLUSIVE MODE", atMost: .seconds(240))
            let read = Task { try await store.feedState(feedID: "f") }
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(180)
            while true {
                for waiter in try await db.lockWaiters(running: "FROM feeds WHERE feed_id") { seen.insert(waiter[keyPath: key]) }
                if seen.count >= 2 || clock.now > deadline { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            await hold.end()
            #expect(try await read.value?.nextDueAt != nil)
            await store.close()
        }
        return seen
    }

    @Test("connections killed by the server are re-opened and the call retried")
    func retriesLostConnections() async throws {
        try await withDatabase { db in
            let store = try await db.store("w1")
            let now = Date()
            try await store.recordFetch(feedID: "f", result: FetchRecord(outcome: .fetched, at: now, nextDueAt: now + 60))
            let killed = try await db.sql(
                """
                SELECT count(pg_terminate_backend(pid))::text FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid()
                """)
            #expect(Int((killed.first?.first ?? nil) ?? "0") ?? 0 >= 1)
            #expect(try await store.feedState(feedID: "f")?.nextDueAt != nil)
            try await store.commitEmitted([PartCommit(name: "p", items: [emitted("f", "a", "h", 1)])], runID: "r")
            #expect(try await store.classify([fingerprint("f", "a", "h")]) == [.unchanged(revision: 1)])
            await store.close()
        }
    }
}
