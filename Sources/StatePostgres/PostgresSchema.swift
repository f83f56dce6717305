import Foundation
import Logging
import PostgresNIO
import State

/// The schema and its ordered migrations. `ingest_migrations` holds one row per migration
/// applied; a migration is never edited once released, only followed by another.
///
/// Two workers starting at once must not both migrate: the migrator holds a session
/// advisory lock for the whole check-and-apply, and each migration commits together with
/// its row in `ingest_migrations`, so a worker dying half-way leaves a consistent version.
enum PostgresSchema {
    /// Advisory lock keys (two-int form): namespace `0x696E67` ("ing"), then a purpose.
    static let lockNamespace: Int32 = 0x696E67
    static let migrationLock: Int32 = 1
    static let claimLock: Int32 = 2
    static let feedListLock: Int32 = 3

    static let migrations: [String] = [
        // 1: the SQLite backend's tables, plus leases, workers and takeovers.
        """
        CREATE TABLE feeds (
            feed_id              TEXT PRIMARY KEY,
            host                 TEXT,
            etag                 TEXT,
            last_modified        TEXT,
            last_attempt_at      TIMESTAMPTZ,
            last_success_at      TIMESTAMPTZ,
            last_error_at        TIMESTAMPTZ,
            last_error           TEXT,
            last_http_status     INTEGER,
            consecutive_failures INTEGER NOT NULL DEFAULT 0,
            next_due_at          TIMESTAMPTZ,
            interval_seconds     INTEGER,
            lease_owner          TEXT,
            lease_expires_at     TIMESTAMPTZ,
            CHECK ((lease_owner IS NULL) = (lease_expires_at IS NULL))
        );
        CREATE INDEX feeds_next_due ON feeds (next_due_at);
        CREATE INDEX feeds_leased ON feeds (host, lease_expires_at) WHERE lease_owner IS NOT NULL;
        CREATE INDEX feeds_failing ON feeds (consecutive_failures) WHERE consecutive_failures > 0;
        CREATE TABLE items (
            feed_id         TEXT NOT NULL,
            item_id         TEXT NOT NULL,
            revision        INTEGER NOT NULL CHECK (revision >= 1),
            content_hash    TEXT NOT NULL,
            first_seen_at   TIMESTAMPTZ NOT NULL,
            last_emitted_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (feed_id, item_id)
        );
        CREATE TABLE parts (
            name         TEXT PRIMARY KEY,
            run_id       TEXT NOT NULL,
            worker_id    TEXT NOT NULL,
            state        TEXT NOT NULL CHECK (state IN ('pending', 'published')),
            item_count   INTEGER NOT NULL,
            committed_at TIMESTAMPTZ NOT NULL,
            published_at TIMESTAMPTZ
        );
        CREATE INDEX parts_pending ON parts (worker_id, committed_at) WHERE state = 'pending';
        CREATE TABLE item_revisions (
            feed_id      TEXT NOT NULL,
            item_id      TEXT NOT NULL,
            revision     INTEGER NOT NULL,
            content_hash TEXT NOT NULL,
            part         TEXT NOT NULL,
            emitted_at   TIMESTAMPTZ NOT NULL,
            CONSTRAINT item_revision_emitted_once UNIQUE (feed_id, item_id, revision)
        );
        CREATE INDEX item_revisions_part ON item_revisions (part);
        CREATE TABLE runs (
            run_id          TEXT PRIMARY KEY,
            worker_id       TEXT NOT NULL,
            pipeline        TEXT NOT NULL,
            started_at      TIMESTAMPTZ NOT NULL,
            finished_at     TIMESTAMPTZ,
            status          TEXT NOT NULL,
            feeds_total     INTEGER NOT NULL,
            feeds_failed    INTEGER NOT NULL,
            items_new       INTEGER NOT NULL,
            items_changed   INTEGER NOT NULL,
            items_unchanged INTEGER NOT NULL,
            summary_json    TEXT
        );
        CREATE INDEX runs_started ON runs (started_at);
        CREATE TABLE workers (
            worker_id    TEXT PRIMARY KEY,
            hostname     TEXT NOT NULL,
            pid          INTEGER NOT NULL,
            started_at   TIMESTAMPTZ NOT NULL,
            last_seen_at TIMESTAMPTZ NOT NULL
        );
        CREATE TABLE lease_takeovers (
            feed_id     TEXT NOT NULL,
            from_worker TEXT NOT NULL,
            to_worker   TEXT NOT NULL,
            taken_at    TIMESTAMPTZ NOT NULL
        );
        CREATE INDEX lease_takeovers_from ON lease_takeovers (from_worker);
        """,
        // 2: the pipeline's feed list lives in the database, so a claim reads an index of
        // due, listed feeds instead of receiving every feed id (4-9 s per claim at 1M ids).
        // Rows from version 1 were all claimed from a feed list, hence listed; new rows are
        // listed only by `registerFeeds`. `lease_token` fences a worker that outlived its lease.
        // The claim index is not partial: PostgreSQL estimates from a partial index's
        // expression statistics badly and then scans the whole table to count due feeds.
        """
        ALTER TABLE feeds ADD COLUMN listed BOOLEAN NOT NULL DEFAULT true;
        ALTER TABLE feeds ALTER COLUMN listed SET DEFAULT false;
        ALTER TABLE feeds ADD COLUMN lease_token BIGINT;
        CREATE SEQUENCE lease_tokens;
        CREATE INDEX feeds_claimable ON feeds (listed, (coalesce(next_due_at, '-infinity'::timestamptz)), feed_id);
        CREATE TABLE feed_list (
            singleton  BOOLEAN PRIMARY KEY DEFAULT true CHECK (singleton),
            digest     TEXT NOT NULL,
            feeds      INTEGER NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL,
            updated_by TEXT NOT NULL
        );
        """,
        // 3: each worker's own lease, so that others judge it dead after two of *its* leases:
        // judged by the observer's lease, a worker with longer leases (and so rarer heartbeats)
        // looked dead between heartbeats to one with short leases, which adopted its pending
        // parts and left it out of fair shares. NULL (a row of an older ingest): the
        // observer's lease, as before.
        """
        ALTER TABLE workers ADD COLUMN lease_seconds DOUBLE PRECISION;
        """,
    ]

    static var latestVersion: Int { migrations.count }

    /// A migration's statements (none of them holds a `;` inside a literal).
    static func statements(_ migration: String) -> [String] {
        migration.split(separator: ";").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    /// The version found, or 0 for an empty database.
    static func currentVersion(_ connection: PostgresConnection, logger: Logger) async throws -> Int {
        let exists = try await connection.query(
            "SELECT to_regclass('ingest_migrations') IS NOT NULL", logger: logger
        ).collect().first?.decode(Bool.self) ?? false
        guard exists else { return 0 }
        let rows = try await connection.query(
            "SELECT coalesce(max(version), 0)::int8 FROM ingest_migrations", logger: logger
        ).collect()
        return try rows.first?.decode(Int.self) ?? 0
    }

    /// Brings the database to `latestVersion`; returns the migrations applied.
    static func migrate(_ connection: PostgresConnection, location: String, logger: Logger) async throws -> [Int] {
        // `query` returns once the row description arrives, before the statement has run; only
        // reading the rows (`collect`) waits for it and surfaces its error. Unread, a lock wait the
        // server cancelled (statement_timeout) went unnoticed and the migration ran without the
        // lock: workers then created the same tables at once (seen in a fresh-clone test run).
        // Waits for another worker's migration as long as it takes: in a transaction of its
        // own with the statement timeout lifted, since a timed-out wait only starts again, and
        // each retry spends the operation's retry budget (a fresh-clone test run under load
        // failed two migration tests so). The lock is the session's and outlives the COMMIT.
        try await connection.query("BEGIN", logger: logger)
        do {
            try await connection.query("SET LOCAL statement_timeout = 0", logger: logger)
            _ = try await connection.query(
                "SELECT pg_advisory_lock(\(lockNamespace), \(migrationLock))", logger: logger).collect()
            try await connection.query("COMMIT", logger: logger)
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
        do {
            let applied = try await migrateHoldingLock(connection, location: location, logger: logger)
            _ = try await connection.query(
                "SELECT pg_advisory_unlock(\(lockNamespace), \(migrationLock))", logger: logger).collect()
            return applied
        } catch {
            // The lock dies with the session anyway; unlocking here only hands it on sooner.
            _ = try? await connection.query(
                "SELECT pg_advisory_unlock(\(lockNamespace), \(migrationLock))", logger: logger).collect()
            throw error
        }
    }

    private static func migrateHoldingLock(_ connection: PostgresConnection, location: String, logger: Logger) async throws -> [Int] {
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS ingest_migrations (
                version    INTEGER PRIMARY KEY,
                applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """, logger: logger)
        let found = try await currentVersion(connection, logger: logger)
        if found > latestVersion {
            throw StateStoreError(
                kind: .schemaTooNew(found: found, supported: latestVersion), location: location,
                message: "schema version \(found) was written by a newer ingest (this one knows up to \(latestVersion)); refusing to touch it")
        }
        var applied: [Int] = []
        for index in found..<latestVersion {
            let version = index + 1
            try await connection.query("BEGIN", logger: logger)
            do {
                // A migration may rewrite a large table: the session's statement_timeout is for
                // ingest's everyday statements, not for this.
                try await connection.query("SET LOCAL statement_timeout = 0", logger: logger)
                // The extended protocol takes one statement per query.
                for statement in statements(migrations[index]) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("INSERT INTO ingest_migrations (version) VALUES (\(version))", logger: logger)
                try await connection.query("COMMIT", logger: logger)
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
            applied.append(version)
        }
        return applied
    }
}
