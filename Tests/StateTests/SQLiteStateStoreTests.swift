import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import State

@Suite("SQLite state store")
struct SQLiteStateStoreTests {
    // MARK: Schema

    @Test("a new file is migrated to the latest schema, in WAL mode")
    func migratesFromEmpty() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("demo.state.sqlite")
        #expect(!FileManager.default.fileExists(atPath: path))
        let store = try SQLiteStateStore(path: path)
        #expect(try await store.schemaVersion == SQLiteSchema.latestVersion)
        #expect(SQLiteSchema.latestVersion == 2)

        let raw = try SQLiteConnection(path: path)
        let tables = Set(try raw.query("SELECT name FROM sqlite_master WHERE type = 'table'") { $0.text(0) ?? "" })
        #expect(tables.isSuperset(of: ["feeds", "items", "item_revisions", "parts", "runs"]))
        let mode = try raw.queryFirst("PRAGMA journal_mode") { $0.text(0) } ?? nil
        #expect(mode == "wal")
    }

    @Test("re-opening keeps the data and does not migrate again")
    func reopenKeepsData() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("s.sqlite")
        let due = Date(timeIntervalSince1970: 1_800_000_000)
        do {
            let store = try SQLiteStateStore(path: path)
            try await store.recordFetch(
                feedID: "tmtpost",
                result: FetchRecord(outcome: .fetched, at: due.addingTimeInterval(-3600), httpStatus: 200,
                                    etag: "\"v1\"", nextDueAt: due, intervalSeconds: 3600))
            try await store.commitEmitted([PartCommit(name: "p1", items: [emitted("tmtpost", "a", "h1", 1)])], runID: "r1")
        }
        let reopened = try SQLiteStateStore(path: path)
        #expect(try await reopened.schemaVersion == SQLiteSchema.latestVersion)
        let state = try #require(try await reopened.feedState(feedID: "tmtpost"))
        #expect(state.etag == "\"v1\"")
        #expect(state.nextDueAt == due)
        #expect(try await reopened.classify([fingerprint("tmtpost", "a", "h1")]) == [.unchanged(revision: 1)])
        #expect(try await reopened.pendingParts().map(\.name) == ["p1"])
    }

    @Test("a file at schema version 1 is migrated forward with its rows intact")
    func migratesFromOlderVersion() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("old.sqlite")
        do {
            let raw = try SQLiteConnection(path: path)
            try raw.execute(SQLiteSchema.migrations[0])
            try raw.execute("PRAGMA user_version = 1")
            try raw.run(
                "INSERT INTO feeds (feed_id, etag, consecutive_failures) VALUES (?, ?, 0)",
                [.text("reuters"), .text("\"old\"")])
        }
        let store = try SQLiteStateStore(path: path)
        #expect(try await store.schemaVersion == 2)
        #expect(try await store.feedState(feedID: "reuters")?.etag == "\"old\"")
        let raw = try SQLiteConnection(path: path)
        let indexes = try raw.query("SELECT name FROM sqlite_master WHERE type = 'index'") { $0.text(0) ?? "" }
        #expect(indexes.contains("feeds_next_due"))
    }

    @Test("a file written by a newer version is refused, not damaged")
    func refusesNewerSchema() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("future.sqlite")
        do {
            let raw = try SQLiteConnection(path: path)
            try raw.execute("CREATE TABLE something_new (x); PRAGMA user_version = 99")
        }
        do {
            _ = try SQLiteStateStore(path: path)
            Issue.record("opening a newer schema must fail")
        } catch let error as StateStoreError {
            #expect(error.kind == .schemaTooNew(found: 99, supported: SQLiteSchema.latestVersion))
            #expect(error.description.contains(path))
        }
        let raw = try SQLiteConnection(path: path)
        #expect(try raw.scalarInt("PRAGMA user_version") == 99)
    }

    @Test("an unusable path gives an error naming the file")
    func unusablePath() throws {
        let dir = try TemporaryDirectory()
        // A missing directory is created, as on a pipeline's first run...
        let fresh = try SQLiteStateStore(path: dir.file("output/demo/state.sqlite"))
        #expect(FileManager.default.fileExists(atPath: fresh.path))
        // ...but a path through a regular file cannot work.
        try Data().write(to: URL(fileURLWithPath: dir.file("not-a-dir")))
        let path = dir.file("not-a-dir/state.sqlite")
        #expect {
            _ = try SQLiteStateStore(path: path)
        } throws: { error in
            guard let error = error as? StateStoreError else { return false }
            return error.kind == .cannotOpen && error.description.contains("not-a-dir/state.sqlite")
        }
    }

    @Test("a file that is not a database is reported as corrupt")
    func notADatabase() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("junk.sqlite")
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try SQLiteStateStore(path: path)
        } throws: { error in
            (error as? StateStoreError)?.kind == .corrupt
        }
    }

    // MARK: Items and revisions

    @Test("new, unchanged and changed items get the right revisions")
    func revisions() async throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: dir.file("s.sqlite"))

        #expect(try await store.classify([fingerprint("f", "a", "h1"), fingerprint("f", "b", "x")]) == [.new, .new])
        try await store.commitEmitted(
            [PartCommit(name: "p1", items: [emitted("f", "a", "h1", 1), emitted("f", "b", "x", 1)])], runID: "r1")

        // Unchanged content is never emitted again; new content is revision 2.
        let second = try await store.classify([fingerprint("f", "a", "h2"), fingerprint("f", "b", "x")])
        #expect(second == [.changed(revision: 2), .unchanged(revision: 1)])
        #expect(second.map(\.revisionToEmit) == [2, nil])
        try await store.commitEmitted([PartCommit(name: "p2", items: [emitted("f", "a", "h2", 2)])], runID: "r2")
        #expect(try await store.classify([fingerprint("f", "a", "h2")]) == [.unchanged(revision: 2)])

        // Going back to the first content is a change relative to what readers last saw.
        #expect(try await store.classify([fingerprint("f", "a", "h1")]) == [.changed(revision: 3)])

        // The same item id in another feed is another item.
        #expect(try await store.classify([fingerprint("g", "a", "h1")]) == [.new])
    }

    @Test("classify is read-only: a crash before commit loses nothing")
    func classifyIsReadOnly() async throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: dir.file("s.sqlite"))
        let items = [fingerprint("f", "a", "h1")]
        #expect(try await store.classify(items) == [.new])
        #expect(try await store.classify(items) == [.new])
        #expect(try await store.status(now: Date()).items == 0)
    }

    @Test("a key repeated within one batch is judged against its earlier occurrence")
    func repeatedWithinBatch() async throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: dir.file("s.sqlite"))
        let result = try await store.classify([
            fingerprint("f", "a", "h1"), fingerprint("f", "a", "h1"), fingerprint("f", "a", "h2"),
        ])
        #expect(result == [.new, .unchanged(revision: 1), .changed(revision: 2)])
    }

    @Test("replaying a commit changes nothing; a published part stays published")
    func idempotentCommit() async throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: dir.file("s.sqlite"))
        let part = PartCommit(name: "date=2025-11-07/part-r1.jsonl", items: [emitted("f", "a", "h1", 1), emitted("f", "b", "h", 1)])

        let first = try await store.commitEmitted([part], runID: "r1")
        #expect(first == CommitReceipt(recorded: 2, duplicates: []))
        let replay = try await store.commitEmitted([part], runID: "r1")
        #expect(replay == CommitReceipt(recorded: 0, duplicates: []))
        #expect(try await store.pendingParts().map(\.name) == [part.name])
        #expect(try await store.pendingParts().first?.itemCount == 2)

        try await store.markPublished(parts: [part.name])
        try await store.markPublished(parts: [part.name, "never-committed"])
        try await store.commitEmitted([part], runID: "r1")
        #expect(try await store.pendingParts().isEmpty)
        #expect(try await store.classify([fingerprint("f", "a", "h1")]) == [.unchanged(revision: 1)])
    }

    @Test("the same revision emitted by another part is reported as a duplicate")
    func duplicateAcrossParts() async throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: dir.file("s.sqlite"))
        try await store.commitEmitted([PartCommit(name: "p1", items: [emitted("f", "a", "h1", 1)])], runID: "r1")
        let receipt = try await store.commitEmitted(
            [PartCommit(name: "p2", items: [emitted("f", "a", "h1", 1), emitted("f", "b", "h", 1)])], runID: "r2")
        #expect(receipt.recorded == 1)
        #expect(receipt.duplicates == [ItemKey(feedID: "f", itemID: "a")])
    }

    @Test("an older revision committed late never moves an item back")
    func lateOlderRevision() async throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: dir.file("s.sqlite"))
        try await store.commitEmitted([PartCommit(name: "p2", items: [emitted("f", "a", "h2", 2)])], runID: "r")
        try await store.commitEmitted([PartCommit(name: "p1", items: [emitted("f", "a", "h1", 1)])], runID: "r")
        #expect(try await store.classify([fingerprint("f", "a", "h2")]) == [.unchanged(revision: 2)])
    }

    @Test("revision 0 is rejected with a message naming the item and part")
    func invalidRevision() async throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: dir.file("s.sqlite"))
        await #expect {
            try await store.commitEmitted([PartCommit(name: "p1", items: [emitted("f", "a", "h1", 0)])], runID: "r")
        } throws: { error in
            guard let error = error as? StateStoreError else { return false }
            return error.kind == .invalidArgument && error.message.contains("f / a") && error.message.contains("p1")
        }
        // The transaction rolled back: nothing half-recorded.
        #expect(try await store.pendingParts().isEmpty)
    }

    @Test("one commit covers several parts atomically")
    func atomicAcrossParts() async throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: dir.file("s.sqlite"))
        // The second part is invalid: neither part nor any item may be recorded.
        await #expect(throws: StateStoreError.self) {
            try await store.commitEmitted(
                [
                    PartCommit(name: "date=2025-11-06/p", items: [emitted("f", "a", "h", 1)]),
                    PartCommit(name: "date=2025-11-07/p", items: [emitted("f", "b", "h", -1)]),
                ], runID: "r")
        }
        #expect(try await store.pendingParts().isEmpty)
        #expect(try await store.classify([fingerprint("f", "a", "h")]) == [.new])

        try await store.commitEmitted(
            [
                PartCommit(name: "date=2025-11-06/p", items: [emitted("f", "a", "h", 1)]),
                PartCommit(name: "date=2025-11-07/p", items: [emitted("f", "b", "h", 1)]),
            ], runID: "r")
        #expect(Set(try await store.pendingParts().map(\.name)) == ["date=2025-11-06/p", "date=2025-11-07/p"])
    }

    @Test("abandoning a lost pending part takes back exactly its marks")
    func abandonPart() async throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: dir.file("s.sqlite"))
        try await store.commitEmitted([PartCommit(name: "p1", items: [emitted("f", "a", "h1", 1)])], runID: "r1")
        try await store.markPublished(parts: ["p1"])
        try await store.commitEmitted(
            [PartCommit(name: "p2", items: [emitted("f", "a", "h2", 2), emitted("f", "b", "x", 1)])], runID: "r2")

        // A published part's records are visible: never taken back.
        #expect(try await store.abandonPart("p1") == 0)
        #expect(try await store.abandonPart("p2") == 2)
        #expect(try await store.pendingParts().isEmpty)
        // `a` is back at revision 1 (still on disk in p1); `b` was never visibly emitted.
        #expect(try await store.classify([fingerprint("f", "a", "h2"), fingerprint("f", "b", "x")])
            == [.changed(revision: 2), .new])
        #expect(try await store.classify([fingerprint("f", "a", "h1")]) == [.unchanged(revision: 1)])
        // Re-emitting revision 2 later is allowed again.
        let receipt = try await store.commitEmitted([PartCommit(name: "p3", items: [emitted("f", "a", "h2", 2)])], runID: "r3")
        #expect(receipt == CommitReceipt(recorded: 1, duplicates: []))
    }

    // MARK: Feeds

    @Test("validators round-trip and follow the rules for 200, 304 and failures")
    func validatorsRoundTrip() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("s.sqlite")
        let store = try SQLiteStateStore(path: path)
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
        #expect(state.conditionalRequestHeaders.map(\.name) == ["If-None-Match", "If-Modified-Since"])
        #expect(state.conditionalRequestHeaders.map(\.value) == ["W/\"abc\"", "Fri, 07 Nov 2025 02:25:00 GMT"])

        // 304 without validators keeps the old ones.
        try await store.recordFetch(
            feedID: "f", result: FetchRecord(outcome: .notModified, at: t0 + 3600, httpStatus: 304, nextDueAt: t0 + 7200))
        state = try #require(try await store.feedState(feedID: "f"))
        #expect(state.etag == "W/\"abc\"")
        #expect(state.lastModified != nil)
        #expect(state.lastSuccessAt == t0 + 3600)

        // 304 with a fresh ETag takes it.
        try await store.recordFetch(
            feedID: "f",
            result: FetchRecord(outcome: .notModified, at: t0 + 7200, httpStatus: 304, etag: "\"def\"", nextDueAt: t0 + 9000))
        #expect(try await store.feedState(feedID: "f")?.etag == "\"def\"")

        // Failures keep validators and count up.
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
        #expect(try await store.status(now: t0).failingFeeds == 1)
        try await store.recordFetch(
            feedID: "g", result: FetchRecord(outcome: .failed(message: "DNS"), at: t0, nextDueAt: t0 + 300))
        #expect(try await store.failingFeeds(limit: 10).map(\.feedID) == ["f", "g"])
        #expect(try await store.failingFeeds(limit: 10).first?.lastHTTPStatus == 503)
        #expect(try await store.failingFeeds(limit: 1).map(\.feedID) == ["f"])

        // A 200 without validators clears them (the server stopped sending them) and resets health.
        try await store.recordFetch(
            feedID: "f", result: FetchRecord(outcome: .fetched, at: t0 + 30000, httpStatus: 200, nextDueAt: t0 + 33600))
        let reopened = try SQLiteStateStore(path: path)
        state = try #require(try await reopened.feedState(feedID: "f"))
        #expect(state.etag == nil && state.lastModified == nil)
        #expect(state.conditionalRequestHeaders.isEmpty)
        #expect(state.consecutiveFailures == 0)
        #expect(state.lastError == "HTTP 503 from example.org")
        #expect(try await reopened.status(now: t0).failingFeeds == 1)
        #expect(try await reopened.failingFeeds(limit: 10).map(\.feedID) == ["g"])
    }

    @Test("never-fetched and overdue feeds are due; feeds scheduled later are not")
    func dueFeeds() async throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: dir.file("s.sqlite"))
        let now = Date(timeIntervalSince1970: 1_762_470_000)
        try await store.recordFetch(feedID: "later", result: FetchRecord(outcome: .fetched, at: now, nextDueAt: now + 60))
        try await store.recordFetch(feedID: "overdue", result: FetchRecord(outcome: .fetched, at: now - 7200, nextDueAt: now - 1))
        try await store.recordFetch(feedID: "exactly", result: FetchRecord(outcome: .fetched, at: now - 3600, nextDueAt: now))

        let due = try await store.claimDueFeeds(["new", "later", "overdue", "exactly"], now: now)
        #expect(due == ["new", "overdue", "exactly"])
        #expect(try await store.claimDueFeeds(["later"], now: now + 61) == ["later"])
        // Feeds in state but not asked about are not returned.
        let other = try SQLiteStateStore(path: dir.file("s.sqlite"))
        #expect(try await other.claimDueFeeds(["new"], now: now) == ["new"])
        let status = try await store.status(now: now)
        #expect(status.feeds == 3)
        #expect(status.dueFeeds == 2)
    }

    @Test("a claimed feed is not handed out again until its fetch is recorded or released")
    func claims() async throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: dir.file("s.sqlite"))
        let now = Date(timeIntervalSince1970: 1_762_470_000)
        #expect(try await store.claimDueFeeds(["a", "b", "c"], now: now) == ["a", "b", "c"])
        // In flight: a second scheduler tick must not start them again.
        #expect(try await store.claimDueFeeds(["a", "b", "c", "d"], now: now) == ["d"])

        // Recorded with a later due time: not due, so not claimable.
        try await store.recordFetch(feedID: "a", result: FetchRecord(outcome: .fetched, at: now, nextDueAt: now + 600))
        // Recorded as failed with an immediate retry: claimable again.
        try await store.recordFetches([
            FeedFetchResult(feedID: "b", result: FetchRecord(outcome: .failed(message: "reset"), at: now, nextDueAt: now))
        ])
        // Released unfetched (shutdown): claimable again.
        try await store.releaseClaims(["c"])
        #expect(try await store.claimDueFeeds(["a", "b", "c"], now: now) == ["b", "c"])
        #expect(try await store.claimDueFeeds(["a"], now: now + 600) == ["a"])

        // Claims die with their holder: a fresh store on the same file (the next process) sees none.
        let next = try SQLiteStateStore(path: dir.file("s.sqlite"))
        #expect(try await next.claimDueFeeds(["b", "c", "d"], now: now) == ["b", "c", "d"])
    }

    // MARK: Runs and status

    @Test("run records are stored, updated in place and listed newest first")
    func runs() async throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: dir.file("s.sqlite"))
        let t0 = Date(timeIntervalSince1970: 1_762_470_000)
        try await store.recordRun(RunRecord(runID: "r1", pipeline: "demo", startedAt: t0, status: "running"))
        try await store.recordRun(
            RunRecord(runID: "r1", pipeline: "demo", startedAt: t0, finishedAt: t0 + 5, status: "completed",
                      feedsTotal: 3, feedsFailed: 1, itemsNew: 10, itemsChanged: 2, itemsUnchanged: 7,
                      summaryJSON: #"{"feeds":[]}"#))
        try await store.recordRun(RunRecord(runID: "r2", pipeline: "demo", startedAt: t0 + 600, status: "interrupted"))

        let runs = try await store.recentRuns(limit: 10)
        #expect(runs.map(\.runID) == ["r2", "r1"])
        #expect(runs[1].status == "completed")
        #expect(runs[1].itemsNew == 10 && runs[1].itemsChanged == 2 && runs[1].itemsUnchanged == 7)
        #expect(runs[1].feedsFailed == 1 && runs[1].finishedAt == t0 + 5)
        #expect(runs[1].summaryJSON == #"{"feeds":[]}"#)
        #expect(try await store.recentRuns(limit: 1).map(\.runID) == ["r2"])
        #expect(try await store.status(now: t0).lastRun?.runID == "r2")
    }

    // MARK: Concurrency

    @Test("concurrent callers and a second connection see consistent state")
    func concurrentUse() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("s.sqlite")
        let store = try SQLiteStateStore(path: path)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for batch in 0..<10 {
                        let items = (0..<20).map { emitted("f\(worker)", "i\(batch)-\($0)", "h", 1) }
                        _ = try await store.classify(items.map { fingerprint($0.key.feedID, $0.key.itemID, "h") })
                        try await store.commitEmitted([PartCommit(name: "w\(worker)-b\(batch)", items: items)], runID: "r")
                    }
                }
            }
            try await group.waitForAll()
        }
        // Another connection, as `ingest state status` next to a running pipeline would open.
        let other = try SQLiteStateStore(path: path)
        let status = try await other.status(now: Date())
        #expect(status.items == 8 * 10 * 20)
        #expect(status.pendingParts == 80)
        #expect(try await other.classify([fingerprint("f7", "i9-19", "h")]) == [.unchanged(revision: 1)])
    }

    @Test("text with quotes, NUL and CJK survives storage unchanged")
    func textFidelity() async throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: dir.file("s.sqlite"))
        let id = "https://example.cn/新闻?id=1&x='\"\u{0}tail"
        try await store.commitEmitted([PartCommit(name: "p", items: [emitted("钛媒体", id, "h", 1)])], runID: "r")
        #expect(try await store.classify([fingerprint("钛媒体", id, "h")]) == [.unchanged(revision: 1)])
        #expect(try await store.classify([fingerprint("钛媒体", "https://example.cn/新闻?id=1&x='\"", "h")]) == [.new])
    }
}

/// Two real writers on one file: the busy timeout, its error, and a writer killed mid-transaction.
@Suite("SQLite state store with other writers")
struct SQLiteContentionTests {
    static let sqliteShell = "/usr/bin/sqlite3"
    static var shellPresent: Bool { FileManager.default.isExecutableFile(atPath: sqliteShell) }

    @Test("a writer holding the file past the busy timeout gives a busy error; readers go on")
    func busyWriter() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("s.sqlite")
        let store = try await SQLiteStateStore.open(path: path, busyTimeout: .milliseconds(200))
        try await store.commitEmitted([PartCommit(name: "p0", items: [emitted("f", "a", "h", 1)])], runID: "r0")

        let other = try SQLiteConnection(path: path)
        try other.execute("BEGIN IMMEDIATE")
        await #expect {
            try await store.commitEmitted([PartCommit(name: "p1", items: [emitted("f", "b", "h", 1)])], runID: "r1")
        } throws: { error in
            guard let error = error as? StateStoreError else { return false }
            return error.kind == .busy && error.description.contains(path)
        }
        // WAL: reads are not blocked by the writer.
        #expect(try await store.classify([fingerprint("f", "a", "h")]) == [.unchanged(revision: 1)])
        try other.execute("ROLLBACK")
        try await store.commitEmitted([PartCommit(name: "p1", items: [emitted("f", "b", "h", 1)])], runID: "r1")
        #expect(try await store.pendingParts().map(\.name) == ["p0", "p1"])
    }

    @Test("a process killed in the middle of a transaction leaves nothing half-written", .enabled(if: shellPresent))
    func writerKilledMidTransaction() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("s.sqlite")
        let store = try SQLiteStateStore(path: path, busyTimeout: .milliseconds(50))

        // Another process starts a write transaction and is killed before COMMIT.
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: Self.sqliteShell)
        writer.arguments = [path]
        let input = Pipe()
        writer.standardInput = input
        writer.standardOutput = FileHandle.nullDevice
        try writer.run()
        defer {
            if writer.isRunning { kill(writer.processIdentifier, SIGKILL) }
            writer.waitUntilExit()
        }
        // `.timeout`: BEGIN IMMEDIATE may meet this test's own probe writes below; without a busy
        // timeout sqlite3 would fail it at once and run the INSERTs in autocommit, so no lock would
        // be held. `.bail on`: never go on after a failed statement.
        input.fileHandleForWriting.write(Data("""
            .timeout 60000
            .bail on
            BEGIN IMMEDIATE;
            INSERT INTO parts (name, run_id, state, item_count, committed_at) VALUES ('ghost', 'rX', 'pending', 1, 0);
            INSERT INTO items (feed_id, item_id, revision, content_hash, first_seen_at, last_emitted_at) VALUES ('f', 'ghost', 1, 'h', 0, 0);

            """.utf8))

        // Wait until the other process holds the write lock. A probe always comes after each
        // wake-up and before the deadline is looked at: a full parallel run starves this task for
        // minutes, and a loop that checked its 120 s deadline on waking gave up without probing
        // again. Giving up needs both 200 probes and 120 s, so neither a slow start of sqlite3 nor
        // a starved test can end the wait early; it is a hang guard only.
        var held = false
        var probes = 0
        let heldBy = ContinuousClock.now + .seconds(120)
        while true {
            probes += 1
            do {
                try await store.recordRun(RunRecord(runID: "probe", pipeline: "p", startedAt: Date(), status: "probe"))
            } catch let error as StateStoreError where error.kind == .busy {
                held = true
                break
            }
            if probes >= 200, ContinuousClock.now >= heldBy { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        try #require(held, """
            the sqlite3 process never took the write lock (\(probes) probes; sqlite3 \(writer.isRunning
                ? "still running" : "exited with \(writer.terminationStatus)"))
            """)

        kill(writer.processIdentifier, SIGKILL)
        writer.waitUntilExit()

        // Its uncommitted rows are gone and the file is healthy for the next writer.
        #expect(try await store.pendingParts().isEmpty)
        #expect(try await store.classify([fingerprint("f", "ghost", "h")]) == [.new])
        try await store.commitEmitted([PartCommit(name: "p1", items: [emitted("f", "ghost", "h", 1)])], runID: "r1")
        let reopened = try SQLiteStateStore(path: path)
        #expect(try await reopened.classify([fingerprint("f", "ghost", "h")]) == [.unchanged(revision: 1)])
        let raw = try SQLiteConnection(path: path)
        #expect(try raw.queryFirst("PRAGMA integrity_check") { $0.text(0) } == "ok")
    }
}

@Suite("SQLite state store opening")
struct SQLiteOpeningTests {
    @Test("an in-memory store works for tests of other modules")
    func inMemory() async throws {
        let store = try SQLiteStateStore(path: ":memory:")
        try await store.commitEmitted([PartCommit(name: "p", items: [emitted("f", "a", "h", 1)])], runID: "r")
        #expect(try await store.classify([fingerprint("f", "a", "h")]) == [.unchanged(revision: 1)])
        #expect(!FileManager.default.fileExists(atPath: ":memory:"))
    }

    @Test("several connections opening a new file at once migrate it exactly once")
    func concurrentFirstOpen() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("race.sqlite")
        let stores = try await withThrowingTaskGroup(of: SQLiteStateStore.self) { group in
            for _ in 0..<6 { group.addTask { try await SQLiteStateStore.open(path: path) } }
            var opened: [SQLiteStateStore] = []
            for try await store in group { opened.append(store) }
            return opened
        }
        #expect(stores.count == 6)
        for store in stores { #expect(try await store.schemaVersion == SQLiteSchema.latestVersion) }
        // Each migration ran once: a second run of migration 1 would have failed on CREATE TABLE.
        let raw = try SQLiteConnection(path: path)
        #expect(try raw.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'feeds'") == 1)
    }
}
