import Foundation
import Logging
import PostgresNIO
import State
import StatePostgres
import Synchronization
import Testing

/// The server started by `scripts/postgres-test.sh start` (or `.ci/run`); tests skip without it.
let postgresBaseURL = ProcessInfo.processInfo.environment["INGEST_TEST_POSTGRES_URL"]
let postgresAvailable = postgresBaseURL != nil
let postgresSkipMessage: Comment =
    "INGEST_TEST_POSTGRES_URL is not set: run `eval \"$(scripts/postgres-test.sh start)\"` for a PostgreSQL 15 test server"

/// A fresh database per test (tests run in parallel), dropped afterwards.
struct TestDatabase: Sendable {
    let name: String
    let url: String
    private let base: PostgresURL

    init() async throws {
        let baseText = try require_(postgresBaseURL)
        base = try PostgresURL(baseText)
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        self.name = name
        try await Self.admin(base) { c, logger in
            try await c.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        }
        var components = URLComponents(string: baseText)!
        components.path = "/" + name
        url = components.string!
    }

    /// This test's database, for connections of the test's own.
    private var ownDatabase: PostgresURL {
        var target = base
        target.database = name
        return target
    }

    /// `query`: extra URL parameters, such as `statement_timeout=1s`.
    func store(
        _ worker: String, query: String? = nil, _ configure: (inout PostgresWorkerOptions) -> Void = { _ in }
    ) async throws -> PostgresStateStore {
        var options = PostgresWorkerOptions(workerID: worker)
        options.maxConnections = 4
        configure(&options)
        return try await PostgresStateStore.open(
            url: query.map { url + (url.contains("?") ? "&" : "?") + $0 } ?? url, options: options)
    }

    /// Another client holds `lockSQL` in an open transaction until `release()`, or until
    /// `atMost` has passed, so that a test that fails can never leave the lock held and hang.
    func holdLock(_ lockSQL: String, atMost: Duration) async throws -> LockHold {
        let target = ownDatabase
        let hold = LockHold()
        let task = Task {
            try await Self.admin(target) { c, logger in
                try await c.query("BEGIN", logger: logger)
                // Read to the end: `query` returns before a statement such as pg_advisory_lock has run.
                _ = try await c.query(PostgresQuery(unsafeSQL: lockSQL), logger: logger).collect()
                hold.state.store(1, ordering: .releasing)
                let clock = ContinuousClock()
                let deadline = clock.now + atMost
                while hold.state.load(ordering: .acquiring) != 2, clock.now < deadline {
                    try? await Task.sleep(for: .milliseconds(50))
                }
                try await c.query("ROLLBACK", logger: logger)
            }
        }
        hold.task.withLock { $0 = task }
        // Hang guard only: the lock is normally taken in milliseconds.
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(300)
        while hold.state.load(ordering: .acquiring) == 0 {
            if clock.now > deadline { hold.release(); throw LockNotTaken() }
            try await Task.sleep(for: .milliseconds(20))
        }
        return hold
    }

    /// Backends of this database waiting for a lock while running a statement that contains
    /// `fragment`: (pid, when the statement started).
    func lockWaiters(running fragment: String) async throws -> [(pid: String, started: String)] {
        try await sql(
            """
            SELECT pid::text, query_start::text FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%\(fragment)%'
            """
        ).map { ($0[0] ?? "", $0[1] ?? "") }
    }

    /// Runs SQL on this database directly, as another client would.
    func sql(_ text: String) async throws -> [[String?]] {
        try await Self.admin(ownDatabase) { c, logger in
            var out: [[String?]] = []
            for try await row in try await c.query(PostgresQuery(unsafeSQL: text), logger: logger) {
                out.append(row.map { cell in cell.bytes.map { String(buffer: $0) } })
            }
            return out
        }
    }

    func drop() async {
        _ = try? await Self.admin(base) { c, logger in
            try await c.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger)
        }
    }

    @discardableResult
    private static func admin<T: Sendable>(
        _ url: PostgresURL, _ body: @Sendable (PostgresConnection, Logger) async throws -> T
    ) async throws -> T {
        let logger = Logger(label: "test")
        let config = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database,
            tls: .disable)
        let connection = try await PostgresConnection.connect(configuration: config, id: 1, logger: logger)
        do {
            let result = try await body(connection, logger)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

final class LockHold: Sendable {
    /// 0 = taking the lock, 1 = held, 2 = release asked.
    let state = Atomic<Int>(0)
    let task = Mutex<Task<Void, any Error>?>(nil)

    func release() { state.store(2, ordering: .releasing) }

    /// Releases and waits until the lock holder's transaction has ended.
    func end() async {
        release()
        _ = await task.withLock({ $0 })?.result
    }
}

struct LockNotTaken: Error {}

struct MissingEnvironment: Error {}
func require_<T>(_ value: T?) throws -> T {
    guard let value else { throw MissingEnvironment() }
    return value
}

func fingerprint(_ feed: String, _ item: String, _ hash: String) -> ItemFingerprint {
    ItemFingerprint(feedID: feed, itemID: item, contentHash: hash)
}

func emitted(_ feed: String, _ item: String, _ hash: String, _ revision: Int) -> EmittedItem {
    EmittedItem(feedID: feed, itemID: item, contentHash: hash, revision: revision)
}

/// Opens a store on a fresh database, runs `body`, closes and drops.
func withDatabase(_ body: (TestDatabase) async throws -> Void) async throws {
    let db = try await TestDatabase()
    do {
        try await body(db)
    } catch {
        await db.drop()
        throw error
    }
    await db.drop()
}
