import Dispatch
import Foundation
import Synchronization

/// Pipeline state in one SQLite file per pipeline.
///
/// Durability: WAL journal. `commitEmitted` commits with `synchronous = FULL`, because a
/// commit that a power cut could undo would let a renamed part file hold items the state
/// forgets, and the next run would emit them twice. Everything else commits with
/// `NORMAL` (no fsync per commit): losing the last feed records to a power cut costs a
/// refetch, while an fsync per feed would cost more than the fetch of a 304. A FULL
/// commit also makes every earlier commit durable, since the WAL is written in order.
///
/// Concurrency: the connection lives on a private serial queue. Callers await a
/// continuation, so a busy wait (up to the busy timeout) blocks that queue's thread,
/// never a thread of Swift's cooperative pool. Several processes may open the same file
/// (e.g. `ingest state status` next to a running `ingest run`); WAL lets them read while
/// one writes.
public final class SQLiteStateStore: StateStore, @unchecked Sendable {
    // @unchecked: `connection` is touched only on `queue`.
    private let connection: SQLiteConnection
    private let queue: DispatchQueue
    public let path: String
    /// Feeds handed out by `claimDueFeeds` and not yet recorded. In memory: the run lock
    /// makes this process the only worker on the file, and a claim must die with it.
    private let claims = Mutex<Set<String>>([])

    /// Opens (creating it and its directory when needed) and migrates the state file.
    /// Blocks the caller while it migrates: call once at start-up, or use `open`.
    public init(path: String, busyTimeout: Duration = .seconds(10)) throws {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if path != ":memory:", !directory.isEmpty {
            // Failure surfaces below as "cannot open", naming the file.
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let queue = DispatchQueue(label: "ingest.state.sqlite")
        self.queue = queue
        connection = try queue.sync {
            let connection = try SQLiteConnection(path: path)
            let milliseconds = busyTimeout.components.seconds * 1000 + busyTimeout.components.attoseconds / 1_000_000_000_000_000
            try connection.execute("PRAGMA busy_timeout = \(milliseconds)")
            // journal_mode answers with a row; WAL persists in the file once set. Switching a
            // new file needs it to itself, and SQLite answers "busy" at once rather than
            // through the busy handler when another process opens the same new file at that
            // moment (cron starting two pipelines that share a state file): retry until the
            // busy timeout, like any other lock.
            let deadline = ContinuousClock.now + busyTimeout
            var mode: String?
            while true {
                do {
                    mode = try connection.queryFirst("PRAGMA journal_mode = WAL") { $0.text(0) } ?? nil
                    break
                } catch let error as StateStoreError where error.kind == .busy && ContinuousClock.now < deadline {
                    Thread.sleep(forTimeInterval: 0.005)
                }
            }
            if path != ":memory:", mode?.lowercased() != "wal" {
                throw StateStoreError(
                    kind: .other, location: path,
                    message: "cannot switch the journal to WAL (got \(mode ?? "nothing")); is the file on a network share?")
            }
            try connection.execute("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON")
            try SQLiteSchema.migrate(connection)
            return connection
        }
    }

    /// Opens off the caller's thread, for callers already in async code: opening may wait
    /// up to the busy timeout and migrations may take a while on a big file.
    public static func open(path: String, busyTimeout: Duration = .seconds(10)) async throws -> SQLiteStateStore {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try SQLiteStateStore(path: path, busyTimeout: busyTimeout) })
            }
        }
    }

    /// Runs `body` on the connection's queue.
    private func perform<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        let box = ConnectionBox(connection)
        return try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body(box.connection) })
            }
        }
    }

    public var schemaVersion: Int {
        get async throws { try await perform { try $0.scalarInt("PRAGMA user_version") } }
    }

    // MARK: Feeds

    public func feedState(feedID: String) async throws -> FeedState? {
        try await perform { db in try Self.readFeed(db, feedID) }
    }

    public func feedStates(_ feedIDs: [String]) async throws -> [String: FeedState] {
        guard !feedIDs.isEmpty else { return [:] }
        if feedIDs.count <= 8 {
            return try await perform { db in
                var states: [String: FeedState] = [:]
                for id in feedIDs { if let state = try Self.readFeed(db, id) { states[id] = state } }
                return states
            }
        }
        // One scan beats thousands of lookups: a pipeline's file holds only its own feeds,
        // so the rows not asked for are few.
        let wanted = Set(feedIDs)
        return try await perform { db in
            var states: [String: FeedState] = [:]
            states.reserveCapacity(wanted.count)
            _ = try db.query("SELECT \(Self.feedColumns) FROM feeds") { row -> Void in
                let state = Self.feedRow(row)
                if wanted.contains(state.feedID) { states[state.feedID] = state }
            }
            return states
        }
    }

    private static let feedColumns = """
        feed_id, etag, last_modified, last_attempt_at, last_success_at, last_error_at, last_error,
        last_http_status, consecutive_failures, next_due_at, interval_seconds
        """

    private static func feedRow(_ row: SQLiteStatement) -> FeedState {
        FeedState(
            feedID: row.text(0) ?? "", etag: row.text(1), lastModified: row.text(2), lastAttemptAt: row.date(3),
            lastSuccessAt: row.date(4), lastErrorAt: row.date(5), lastError: row.text(6),
            lastHTTPStatus: row.optionalInt(7), consecutiveFailures: row.int(8), nextDueAt: row.date(9),
            intervalSeconds: row.optionalInt(10))
    }

    private static func readFeed(_ db: SQLiteConnection, _ feedID: String) throws -> FeedState? {
        try db.queryFirst("SELECT \(feedColumns) FROM feeds WHERE feed_id = ?", [.text(feedID)], feedRow)
    }

    public func failingFeeds(limit: Int) async throws -> [FeedState] {
        try await perform { db in
            try db.query(
                """
                SELECT \(Self.feedColumns) FROM feeds WHERE consecutive_failures > 0
                ORDER BY consecutive_failures DESC, feed_id LIMIT ?
                """, [.int(max(0, limit))], Self.feedRow)
        }
    }

    public func claimDueFeeds(_ feedIDs: [String], now: Date) async throws -> Set<String> {
        // One scan of the (small) set of feeds not yet due beats a lookup per feed.
        let notDue = try await perform { db in
            try db.query(
                "SELECT feed_id FROM feeds WHERE next_due_at IS NOT NULL AND next_due_at > ?",
                [.date(now)]
            ) { $0.text(0) ?? "" }
        }
        let due = Set(feedIDs).subtracting(notDue)
        return claims.withLock { claimed in
            let granted = due.subtracting(claimed)
            claimed.formUnion(granted)
            return granted
        }
    }

    public func releaseClaims(_ feedIDs: [String]) async throws {
        claims.withLock { $0.subtract(feedIDs) }
    }

    public func recordFetch(feedID: String, result: FetchRecord) async throws {
        try await recordFetches([FeedFetchResult(feedID: feedID, result: result)])
    }

    public func recordFetches(_ results: [FeedFetchResult]) async throws {
        // Released only after the new due time is stored (or failed to be), so a feed
        // cannot be claimed again in between and fetched twice.
        defer { claims.withLock { $0.subtract(results.map(\.feedID)) } }
        try await perform { db in
            try db.transaction {
                for entry in results { try Self.writeFetch(db, feedID: entry.feedID, result: entry.result) }
            }
        }
    }

    private static func writeFetch(_ db: SQLiteConnection, feedID: String, result: FetchRecord) throws {
        var state = try Self.readFeed(db, feedID) ?? FeedState(feedID: feedID)
        state.lastAttemptAt = result.at
        state.lastHTTPStatus = result.httpStatus
        state.nextDueAt = result.nextDueAt
        state.intervalSeconds = result.intervalSeconds
        switch result.outcome {
        case .fetched:
            state.etag = result.etag
            state.lastModified = result.lastModified
            state.lastSuccessAt = result.at
            state.consecutiveFailures = 0
        case .notModified:
            if let etag = result.etag { state.etag = etag }
            if let lastModified = result.lastModified { state.lastModified = lastModified }
            state.lastSuccessAt = result.at
            state.consecutiveFailures = 0
        case .failed(let message):
            state.lastError = message
            state.lastErrorAt = result.at
            state.consecutiveFailures += 1
        }
        try db.run(
            """
            INSERT INTO feeds (feed_id, etag, last_modified, last_attempt_at, last_success_at, last_error_at,
                               last_error, last_http_status, consecutive_failures, next_due_at, interval_seconds)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (feed_id) DO UPDATE SET
                etag = excluded.etag, last_modified = excluded.last_modified,
                last_attempt_at = excluded.last_attempt_at, last_success_at = excluded.last_success_at,
                last_error_at = excluded.last_error_at, last_error = excluded.last_error,
                last_http_status = excluded.last_http_status,
                consecutive_failures = excluded.consecutive_failures,
                next_due_at = excluded.next_due_at, interval_seconds = excluded.interval_seconds
            """,
            [
                .text(feedID), .string(state.etag), .string(state.lastModified), .date(state.lastAttemptAt),
                .date(state.lastSuccessAt), .date(state.lastErrorAt), .string(state.lastError),
                .int(state.lastHTTPStatus), .int(state.consecutiveFailures), .date(state.nextDueAt),
                .int(state.intervalSeconds),
            ])
    }

    // MARK: Items

    public func classify(_ items: [ItemFingerprint]) async throws -> [ItemDisposition] {
        try await perform { db in
            try db.transaction(.deferred) {
                // Earlier occurrences in this batch, so a repeated item is judged against
                // what this batch is about to emit, not only against the database.
                var pending: [ItemKey: (revision: Int, hash: String)] = [:]
                let stored = try Self.storedItems(db, items.map(\.key))
                var result: [ItemDisposition] = []
                result.reserveCapacity(items.count)
                for item in items {
                    let known: (revision: Int, hash: String)?
                    if let earlier = pending[item.key] {
                        known = earlier
                    } else {
                        known = stored[item.key]
                    }
                    let disposition: ItemDisposition
                    switch known {
                    case nil: disposition = .new
                    case let (revision, hash)? where hash == item.contentHash: disposition = .unchanged(revision: revision)
                    case let (revision, _)?: disposition = .changed(revision: revision + 1)
                    }
                    if let revision = disposition.revisionToEmit {
                        pending[item.key] = (revision, item.contentHash)
                    }
                    result.append(disposition)
                }
                return result
            }
        }
    }

    /// Revision and hash of each of `keys` that the store knows. One query per feed (a
    /// JSON array of the feed's item ids, looked up through the primary key) rather than
    /// one per item: a run classifies every item of every feed it fetched.
    private static func storedItems(_ db: SQLiteConnection, _ keys: [ItemKey]) throws -> [ItemKey: (revision: Int, hash: String)] {
        var byFeed: [String: [String]] = [:]
        var found: [ItemKey: (revision: Int, hash: String)] = [:]
        found.reserveCapacity(keys.count)
        for key in keys {
            guard key.itemID.utf8.contains(0) else {
                byFeed[key.feedID, default: []].append(key.itemID)
                continue
            }
            // JSON text cannot carry a NUL through to SQLite intact: look such an id up alone.
            found[key] = try db.queryFirst(
                "SELECT revision, content_hash FROM items WHERE feed_id = ? AND item_id = ?",
                [.text(key.feedID), .text(key.itemID)]
            ) { (revision: $0.int(0), hash: $0.text(1) ?? "") }
        }
        for (feedID, itemIDs) in byFeed {
            _ = try db.query(
                """
                SELECT item_id, revision, content_hash FROM items
                WHERE feed_id = ? AND item_id IN (SELECT value FROM json_each(?))
                """, [.text(feedID), .text(jsonArray(itemIDs))]
            ) { row -> Void in
                found[ItemKey(feedID: feedID, itemID: row.text(0) ?? "")] = (row.int(1), row.text(2) ?? "")
            }
        }
        return found
    }

    /// `strings` as a JSON array, for `json_each`.
    static func jsonArray(_ strings: [String]) -> String {
        var out = "["
        for (i, string) in strings.enumerated() {
            if i > 0 { out += "," }
            out += "\""
            for u in string.unicodeScalars {
                switch u {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case _ where u.value < 0x20:
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: out.unicodeScalars.append(u)
                }
            }
            out += "\""
        }
        return out + "]"
    }

    @discardableResult
    public func commitEmitted(_ parts: [PartCommit], runID: String) async throws -> CommitReceipt {
        let now = Date()
        return try await perform { db in
            try db.transaction(durable: true) {
                var recorded = 0
                var duplicates: [ItemKey] = []
                for part in parts {
                    for item in part.items {
                        guard item.revision >= 1 else {
                            throw StateStoreError(
                                kind: .invalidArgument, location: db.path,
                                message: "item \(item.key) in part \(part.name) has revision \(item.revision); revisions start at 1")
                        }
                        let inserted = try db.run(
                            """
                            INSERT INTO item_revisions (feed_id, item_id, revision, content_hash, part, emitted_at)
                            VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                            """,
                            [
                                .text(item.key.feedID), .text(item.key.itemID), .int(item.revision),
                                .text(item.contentHash), .text(part.name), .date(now),
                            ])
                        if inserted == 0 {
                            // A replay of this very commit is fine; the same revision in another part is a duplicate record.
                            let holder = try db.queryFirst(
                                "SELECT part FROM item_revisions WHERE feed_id = ? AND item_id = ? AND revision = ?",
                                [.text(item.key.feedID), .text(item.key.itemID), .int(item.revision)]
                            ) { $0.text(0) } ?? nil
                            if holder != part.name { duplicates.append(item.key) }
                            continue
                        }
                        recorded += 1
                        // The latest revision wins; an older one replayed late never moves it back.
                        try db.run(
                            """
                            INSERT INTO items (feed_id, item_id, revision, content_hash, first_seen_at, last_emitted_at)
                            VALUES (?, ?, ?, ?, ?, ?)
                            ON CONFLICT (feed_id, item_id) DO UPDATE SET
                                revision = excluded.revision, content_hash = excluded.content_hash,
                                last_emitted_at = excluded.last_emitted_at
                            WHERE excluded.revision > items.revision
                            """,
                            [
                                .text(item.key.feedID), .text(item.key.itemID), .int(item.revision),
                                .text(item.contentHash), .date(now), .date(now),
                            ])
                    }
                    try db.run(
                        """
                        INSERT INTO parts (name, run_id, state, item_count, committed_at)
                        VALUES (?, ?, 'pending', ?, ?) ON CONFLICT (name) DO NOTHING
                        """,
                        [.text(part.name), .text(runID), .int(part.items.count), .date(now)])
                }
                return CommitReceipt(recorded: recorded, duplicates: duplicates)
            }
        }
    }

    public func pendingParts() async throws -> [PendingPart] {
        try await perform { db in
            try db.query(
                """
                SELECT name, run_id, item_count, committed_at FROM parts
                WHERE state = 'pending' ORDER BY committed_at, name
                """
            ) { row in
                PendingPart(
                    name: row.text(0) ?? "", runID: row.text(1) ?? "", itemCount: row.int(2),
                    committedAt: row.date(3) ?? Date(timeIntervalSince1970: 0))
            }
        }
    }

    public func markPublished(parts: [String]) async throws {
        let now = Date()
        try await perform { db in
            try db.transaction {
                for part in parts {
                    try db.run(
                        "UPDATE parts SET state = 'published', published_at = ? WHERE name = ? AND state = 'pending'",
                        [.date(now), .text(part)])
                }
            }
        }
    }

    @discardableResult
    public func abandonPart(_ part: String) async throws -> Int {
        try await perform { db in
            try db.transaction {
                let state = try db.queryFirst("SELECT state FROM parts WHERE name = ?", [.text(part)]) { $0.text(0) } ?? nil
                guard state == "pending" else { return 0 }
                let keys = try db.query(
                    "SELECT feed_id, item_id FROM item_revisions WHERE part = ?", [.text(part)]
                ) { ItemKey(feedID: $0.text(0) ?? "", itemID: $0.text(1) ?? "") }
                let removed = try db.run("DELETE FROM item_revisions WHERE part = ?", [.text(part)])
                for key in Set(keys) {
                    let args: [SQLValue] = [.text(key.feedID), .text(key.itemID)]
                    // Back to the newest revision still on disk, or forgotten when none is.
                    let latest = try db.queryFirst(
                        """
                        SELECT revision, content_hash, emitted_at FROM item_revisions
                        WHERE feed_id = ? AND item_id = ? ORDER BY revision DESC LIMIT 1
                        """, args
                    ) { (revision: $0.int(0), hash: $0.text(1) ?? "", at: $0.date(2)) }
                    if let latest {
                        try db.run(
                            """
                            UPDATE items SET revision = ?, content_hash = ?, last_emitted_at = ?
                            WHERE feed_id = ? AND item_id = ?
                            """,
                            [.int(latest.revision), .text(latest.hash), .date(latest.at)] + args)
                    } else {
                        try db.run("DELETE FROM items WHERE feed_id = ? AND item_id = ?", args)
                    }
                }
                try db.run("DELETE FROM parts WHERE name = ?", [.text(part)])
                return removed
            }
        }
    }

    // MARK: Runs

    public func recordRun(_ summary: RunRecord) async throws {
        try await perform { db in
            _ = try db.run(
                """
                INSERT INTO runs (run_id, pipeline, started_at, finished_at, status, feeds_total, feeds_failed,
                                  items_new, items_changed, items_unchanged, summary_json)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (run_id) DO UPDATE SET
                    pipeline = excluded.pipeline, started_at = excluded.started_at,
                    finished_at = excluded.finished_at, status = excluded.status,
                    feeds_total = excluded.feeds_total, feeds_failed = excluded.feeds_failed,
                    items_new = excluded.items_new, items_changed = excluded.items_changed,
                    items_unchanged = excluded.items_unchanged, summary_json = excluded.summary_json
                """,
                [
                    .text(summary.runID), .text(summary.pipeline), .date(summary.startedAt), .date(summary.finishedAt),
                    .text(summary.status), .int(summary.feedsTotal), .int(summary.feedsFailed), .int(summary.itemsNew),
                    .int(summary.itemsChanged), .int(summary.itemsUnchanged), .string(summary.summaryJSON),
                ])
        }
    }

    public func recentRuns(limit: Int) async throws -> [RunRecord] {
        try await perform { db in try Self.readRuns(db, limit: limit) }
    }

    private static func readRuns(_ db: SQLiteConnection, limit: Int) throws -> [RunRecord] {
        try db.query(
            """
            SELECT run_id, pipeline, started_at, finished_at, status, feeds_total, feeds_failed,
                   items_new, items_changed, items_unchanged, summary_json
            FROM runs ORDER BY started_at DESC, run_id DESC LIMIT ?
            """, [.int(max(0, limit))]
        ) { row in
            RunRecord(
                runID: row.text(0) ?? "", pipeline: row.text(1) ?? "",
                startedAt: row.date(2) ?? Date(timeIntervalSince1970: 0), finishedAt: row.date(3),
                status: row.text(4) ?? "", feedsTotal: row.int(5), feedsFailed: row.int(6), itemsNew: row.int(7),
                itemsChanged: row.int(8), itemsUnchanged: row.int(9), summaryJSON: row.text(10))
        }
    }

    public func status(now: Date) async throws -> StateStatus {
        let path = path
        return try await perform { db in
            try db.transaction(.deferred) {
                StateStatus(
                    location: path,
                    schemaVersion: try db.scalarInt("PRAGMA user_version"),
                    feeds: try db.scalarInt("SELECT count(*) FROM feeds"),
                    failingFeeds: try db.scalarInt("SELECT count(*) FROM feeds WHERE consecutive_failures > 0"),
                    dueFeeds: try db.scalarInt(
                        "SELECT count(*) FROM feeds WHERE next_due_at IS NULL OR next_due_at <= ?", [.date(now)]),
                    items: try db.scalarInt("SELECT count(*) FROM items"),
                    pendingParts: try db.scalarInt("SELECT count(*) FROM parts WHERE state = 'pending'"),
                    lastRun: try Self.readRuns(db, limit: 1).first)
            }
        }
    }
}

/// Carries the queue-confined connection into the queue's closure.
private struct ConnectionBox: @unchecked Sendable {
    let connection: SQLiteConnection
    init(_ connection: SQLiteConnection) { self.connection = connection }
}

/// The schema and its ordered migrations. `PRAGMA user_version` holds how many have run;
/// a migration is never edited once released, only followed by another.
enum SQLiteSchema {
    static let migrations: [String] = [
        // 1: feeds, items with their revisions, part files, runs.
        """
        CREATE TABLE feeds (
            feed_id              TEXT PRIMARY KEY NOT NULL,
            etag                 TEXT,
            last_modified        TEXT,
            last_attempt_at      REAL,
            last_success_at      REAL,
            last_error_at        REAL,
            last_error           TEXT,
            last_http_status     INTEGER,
            consecutive_failures INTEGER NOT NULL DEFAULT 0,
            next_due_at          REAL,
            interval_seconds     INTEGER
        );
        CREATE TABLE items (
            feed_id         TEXT NOT NULL,
            item_id         TEXT NOT NULL,
            revision        INTEGER NOT NULL CHECK (revision >= 1),
            content_hash    TEXT NOT NULL,
            first_seen_at   REAL NOT NULL,
            last_emitted_at REAL NOT NULL,
            PRIMARY KEY (feed_id, item_id)
        ) WITHOUT ROWID;
        CREATE TABLE parts (
            name         TEXT PRIMARY KEY NOT NULL,
            run_id       TEXT NOT NULL,
            state        TEXT NOT NULL CHECK (state IN ('pending', 'published')),
            item_count   INTEGER NOT NULL,
            committed_at REAL NOT NULL,
            published_at REAL
        );
        CREATE INDEX parts_pending ON parts (committed_at) WHERE state = 'pending';
        CREATE TABLE item_revisions (
            feed_id      TEXT NOT NULL,
            item_id      TEXT NOT NULL,
            revision     INTEGER NOT NULL,
            content_hash TEXT NOT NULL,
            part         TEXT NOT NULL,
            emitted_at   REAL NOT NULL,
            PRIMARY KEY (feed_id, item_id, revision)
        ) WITHOUT ROWID;
        CREATE INDEX item_revisions_part ON item_revisions (part);
        CREATE TABLE runs (
            run_id          TEXT PRIMARY KEY NOT NULL,
            pipeline        TEXT NOT NULL,
            started_at      REAL NOT NULL,
            finished_at     REAL,
            status          TEXT NOT NULL,
            feeds_total     INTEGER NOT NULL,
            feeds_failed    INTEGER NOT NULL,
            items_new       INTEGER NOT NULL,
            items_changed   INTEGER NOT NULL,
            items_unchanged INTEGER NOT NULL,
            summary_json    TEXT
        );
        CREATE INDEX runs_started ON runs (started_at);
        """,
        // 2: due-feed scans and status counts stay cheap with tens of thousands of feeds.
        """
        CREATE INDEX feeds_next_due ON feeds (next_due_at);
        """,
    ]

    static var latestVersion: Int { migrations.count }

    /// Brings the file to `latestVersion` in one immediate transaction, so two processes
    /// opening a new file at once cannot both migrate it.
    static func migrate(_ db: SQLiteConnection) throws {
        try db.transaction(.immediate) {
            let found = try db.scalarInt("PRAGMA user_version")
            if found > latestVersion {
                throw StateStoreError(
                    kind: .schemaTooNew(found: found, supported: latestVersion), location: db.path,
                    message: "schema version \(found) was written by a newer ingest (this one knows up to \(latestVersion)); refusing to touch it")
            }
            for version in found..<latestVersion {
                try db.execute(migrations[version])
                try db.execute("PRAGMA user_version = \(version + 1)")
            }
        }
    }
}
