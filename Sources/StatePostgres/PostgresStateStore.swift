import Foundation
import IngestCore
import Logging
import PostgresNIO
import State
import Synchronization

/// How one worker takes part in a shared PostgreSQL state.
public struct PostgresWorkerOptions: Sendable {
    /// Names this worker's leases, runs and part files; unique among live workers.
    public var workerID: String
    /// How long a claim lives without a heartbeat. A dead worker's feeds wait this long
    /// before another worker takes them; a live worker renews every third of it.
    public var leaseDuration: Duration = .seconds(120)
    /// How long before its leases could expire this worker stops starting fetches under
    /// them (`leasesAreFresh`): the longest one fetch may take, so that a fetch started
    /// under a live lease ends before another worker can claim the feed.
    public var leaseMargin: Duration = .seconds(30)
    /// Feeds of one host leased at once across all workers (`fetch.per_host`); 0 = no limit.
    /// A feed is fetched only while leased, so this bounds concurrent fetches per host globally.
    public var perHostLimit = 0
    /// Host of each feed id, for `perHostLimit` (feeds not listed are not limited).
    public var feedHosts: [String: String] = [:]
    /// Most feeds one `claimDueFeeds` call takes; `nil` = a fair share among live workers.
    public var claimBatch: Int?
    public var maxConnections = 8
    /// How long an operation keeps being retried after lost connections (a server restart
    /// or failover), with exponential backoff up to 5 s in between, before it fails. Every
    /// operation is safe to repeat, so a worker rides out an outage shorter than this.
    public var retryFor: Duration = .seconds(60)
    /// Most attempts per operation (within `retryFor`); 1 = fail at the first error.
    public var retryAttempts = Int.max
    /// How long an attempt may wait (for a connection, or for a server that stopped
    /// answering) before the server is probed with a connection of its own; when that
    /// fails too, the attempt is abandoned and retried instead of queueing in the pool.
    public var connectionWait: Duration = .seconds(3)
    /// How long one attempt may run, while the server still accepts new connections, before
    /// its connection is closed and it is retried, once more even when that is past
    /// `retryFor` (which a default limit always is). A last resort for what the server's own
    /// `statement_timeout` cannot end (a frozen backend, a connection a firewall or NAT dropped
    /// silently, or the timeout turned off), so it is long: it counts the whole attempt, and a
    /// bulk operation (a million-feed list, a large commit) may rightly take minutes.
    public var attemptLimit: Duration = .seconds(300)
    /// Run migrations on open (the default); `false` only checks the version.
    public var migrate = true
    /// `false` for onlookers (`ingest state status`): no worker row, no heartbeat, so
    /// they neither count in fair shares nor look like a dead worker afterwards.
    public var registersWorker = true

    public init(workerID: String) { self.workerID = workerID }

    /// `hostname-pid`: unique among live processes, and never reused by a later process
    /// that could mistake a dead worker's files for its own.
    public static func defaultWorkerID() -> String {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "worker"
        return "\(host)-\(getpid())"
    }

    var leaseSeconds: Double {
        Double(leaseDuration.components.seconds) + Double(leaseDuration.components.attoseconds) / 1e18
    }
}

/// Pipeline state in PostgreSQL, shared by several workers on several machines (issue 7).
///
/// Work sharing: `claimDueFeeds` leases due feeds to this worker (`FOR UPDATE SKIP
/// LOCKED`, owner and expiry on the feed row); a heartbeat renews this worker's live leases;
/// `recordFetch` ends a lease; an expired lease is taken over by whoever claims next, and
/// the takeover is logged in `lease_takeovers`. Claims are serialised by a transaction-level
/// advisory lock so the per-host count they check cannot be raced.
///
/// Exactly once: `item_revisions` has a unique `(feed_id, item_id, revision)`, so a
/// revision can be marked emitted by one part only, whatever two workers do at once.
///
/// Timestamps of leases and heartbeats use the server's clock (workers' clocks may
/// differ); due times use the caller's `now`, as with SQLite.
public final class PostgresStateStore: StateStore, Sendable {
    public let url: PostgresURL
    public let options: PostgresWorkerOptions
    /// The pool in use. Replaced by a fresh one when the server could not be reached: a
    /// pool that failed to connect for a while backs off for up to a minute between attempts
    /// (and then refuses every request), long after the server is back.
    private let pool: Mutex<Pool>
    /// `close()` began: a closed pool is no longer a reason to retry.
    private let closing = Atomic<Bool>(false)
    private var client: PostgresClient { pool.withLock { $0.client } }
    private let heartbeatTask = Mutex<Task<Void, Never>?>(nil)
    /// The feed list this process last made the database's (see `registerFeeds`).
    private let registered = Mutex<RegisteredList?>(nil)
    /// Token of each lease this process holds, by feed: a commit for a feed whose token
    /// changed came from a worker that outlived its lease, and is refused.
    private let leaseTokens = Mutex<[String: Int64]>([:])
    /// Until when (this process's monotonic clock, which keeps running while the process is
    /// stopped) every lease of the latest claim is known to be live; `nil` before any claim.
    /// Lease expiries are set by the server at least a lease after the request that set
    /// them was sent, so the send time plus a lease is a safe lower bound.
    private let leasesLiveUntil = Mutex<ContinuousClock.Instant?>(nil)
    /// `confirmLeases` found a lease of the latest claim taken by another worker.
    private let leasesLost = Atomic<Bool>(false)
    /// The feeds of the latest claim: the ones `leasesAreFresh` and `confirmLeases` are about.
    private let latestClaim = Mutex<Set<String>>([])
    private let logger: Logger

    public var location: String { url.redacted }
    public var workerID: String { options.workerID }

    private init(url: PostgresURL, options: PostgresWorkerOptions) {
        self.url = url
        self.options = options
        var logger = Logger(label: "ingest.state.postgres")
        logger.logLevel = .critical
        self.logger = logger
        pool = Mutex(Pool(url: url, options: options, logger: logger, generation: 0))
    }

    /// A `PostgresClient` and the task running it.
    private struct Pool: Sendable {
        let client: PostgresClient
        let runner: Task<Void, Never>
        let generation: Int

        init(url: PostgresURL, options: PostgresWorkerOptions, logger: Logger, generation: Int) {
            var configuration = url.clientConfiguration()
            configuration.options.maximumConnections = max(2, options.maxConnections)
            configuration.options.minimumConnections = 0
            configuration.options.connectTimeout = .seconds(10)
            let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
            self.client = client
            runner = Task { await client.run() }
            self.generation = generation
        }
    }

    /// Swaps in a fresh pool unless another caller already replaced `generation`.
    private func renewPool(replacing generation: Int) {
        guard !closing.load(ordering: .acquiring) else { return }
        let old: Pool? = pool.withLock { current in
            guard current.generation == generation else { return nil }
            let old = current
            current = Pool(url: url, options: options, logger: logger, generation: generation + 1)
            return old
        }
        // Its queued and in-flight calls fail with "pool closed" and are retried on the new one.
        old?.runner.cancel()
    }

    /// Connects, migrates under the advisory lock (or checks the version), registers the
    /// worker and starts its heartbeat.
    public static func open(url: String, options: PostgresWorkerOptions) async throws -> PostgresStateStore {
        let parsed = try PostgresURL(url)
        let store = PostgresStateStore(url: parsed, options: options)
        do {
            // One direct connection first: a wrong password, database or TLS setting is
            // reported at once and by name instead of the pool retrying it in the background.
            // A few quick attempts only: a wrong host or port is reported in seconds, not a minute.
            try await store.retrying("connect", attempts: 6, limit: nil) { _ in
                let connection = try await PostgresConnection.connect(
                    configuration: parsed.connectionConfiguration(), id: 0, logger: store.logger)
                try await connection.close()
            }
            if options.migrate {
                _ = try await store.migrate()
            } else {
                let version = try await store.schemaVersion()
                if version != PostgresSchema.latestVersion {
                    throw StateStoreError(
                        kind: version > PostgresSchema.latestVersion
                            ? .schemaTooNew(found: version, supported: PostgresSchema.latestVersion) : .other,
                        location: store.location,
                        message: "schema version \(version), this ingest needs \(PostgresSchema.latestVersion); run 'ingest state migrate'")
                }
            }
            if options.registersWorker { try await store.heartbeat() }
        } catch {
            await store.close(releaseLeases: false)
            throw error
        }
        if options.registersWorker { store.startHeartbeat() }
        return store
    }

    /// Stops the heartbeat, hands back this worker's leases, deregisters it and closes
    /// the pool. A worker that dies without this simply lets its leases expire.
    public func close(releaseLeases: Bool = true) async {
        heartbeatTask.withLock { $0?.cancel(); $0 = nil }
        if releaseLeases, options.registersWorker {
            let me = workerID
            let client = client
            let logger = logger
            // Best effort and bounded: with the server gone, the leases simply expire.
            let release = Task {
                _ = try? await client.query(
                    "UPDATE feeds SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner = \(me)", logger: logger)
                _ = try? await client.query("DELETE FROM workers WHERE worker_id = \(me)", logger: logger)
            }
            await Self.waitBounded(release, seconds: 5)
            release.cancel()
        }
        closing.store(true, ordering: .releasing)
        let runner = pool.withLock { $0.runner }
        runner.cancel()
        // The pool normally stops at once; a connection stuck on a dead peer must not
        // keep a worker from exiting, so wait a bounded time.
        await Self.waitBounded(runner, seconds: 5)
    }

    private static func waitBounded(_ task: Task<Void, Never>, seconds: Int64) async {
        final class Once: Sendable { let done = Atomic<Bool>(false) }
        let resumed = Once()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let once: @Sendable () -> Void = {
                if !resumed.done.exchange(true, ordering: .acquiringAndReleasing) { continuation.resume() }
            }
            Task { await task.value; once() }
            Task { try? await Task.sleep(for: .seconds(seconds)); once() }
        }
    }

    deinit {
        heartbeatTask.withLock { $0?.cancel() }
        pool.withLock { $0.runner.cancel() }
    }

    // MARK: Schema

    /// Applies missing migrations while holding the migration advisory lock.
    @discardableResult
    public func migrate() async throws -> [Int] {
        let location = location
        let logger = logger
        // Exempt from the attempt bound: a migration may rightly run long, and its statements
        // lift the statement timeout (see `PostgresSchema.migrate`).
        return try await withRetry("migrate", bounded: false) { connection in
            try await PostgresSchema.migrate(connection, location: location, logger: logger)
        }
    }

    public func schemaVersion() async throws -> Int {
        let logger = logger
        return try await withRetry("read the schema version") { connection in
            try await PostgresSchema.currentVersion(connection, logger: logger)
        }
    }

    public static var latestSchemaVersion: Int { PostgresSchema.latestVersion }

    // MARK: Workers and leases

    /// Records that this worker is alive and renews its unexpired leases. Runs by itself
    /// every third of the lease; public for tests and for callers with their own timer.
    public func heartbeat() async throws {
        let me = workerID
        let host = ProcessInfo.processInfo.hostName
        let pid = Int(getpid())
        let seconds = options.leaseSeconds
        let sent = ContinuousClock.now
        try await withRetry("heartbeat") { connection in
            try await connection.query(
                """
                INSERT INTO workers (worker_id, hostname, pid, started_at, last_seen_at, lease_seconds)
                VALUES (\(me), \(host), \(pid), clock_timestamp(), clock_timestamp(), \(seconds))
                ON CONFLICT (worker_id) DO UPDATE SET last_seen_at = clock_timestamp(), lease_seconds = \(seconds)
                """, logger: self.logger)
            // Only live leases: an expired one may already belong to someone else's claim.
            try await connection.query(
                """
                UPDATE feeds SET lease_expires_at = clock_timestamp() + make_interval(secs => \(seconds))
                WHERE lease_owner = \(me) AND lease_expires_at > clock_timestamp()
                """, logger: self.logger)
        }
        // Renewed only if they were still live when the update ran (it ran before now): a
        // heartbeat that comes back after they may have lapsed proves nothing about them.
        let answered = ContinuousClock.now
        leasesLiveUntil.withLock { until in
            if let current = until, answered < current { until = max(current, sent + options.leaseDuration) }
        }
    }

    /// See `StateStore.leasesAreFresh`. Runs choose feeds one claim at a time and end every
    /// lease of a claim before the next, so the latest claim's leases are the only ones held.
    public var leasesAreFresh: Bool {
        if leasesLost.load(ordering: .acquiring) { return false }
        guard let until = leasesLiveUntil.withLock({ $0 }) else { return true }
        return ContinuousClock.now + options.leaseMargin < until
    }

    /// Renews every lease this process still holds whose token is unchanged (nobody claimed
    /// the feed since, even if the lease lapsed: a claim always draws a new token), in one
    /// statement. Any token changed means another worker took a feed over: the claim is
    /// lost and no more fetches start under it. Waits out a brief outage (`withRetry`).
    public func confirmLeases() async -> Bool {
        if leasesLost.load(ordering: .acquiring) { return false }
        let claim = latestClaim.withLock { $0 }
        let held = leaseTokens.withLock { $0.filter { claim.contains($0.key) } }
        let sent = ContinuousClock.now
        guard !held.isEmpty else {
            leasesLiveUntil.withLock { until in until = max(until ?? sent, sent + options.leaseDuration) }
            return true
        }
        let ids = Array(held.keys)
        let tokens = ids.map { held[$0]! }
        let me = workerID
        let seconds = options.leaseSeconds
        let taken: Int
        do {
            taken = try await withRetry("confirm leases") { connection in
                try await connection.query(
                    """
                    WITH held AS (SELECT * FROM unnest(\(ids)::text[], \(tokens)::int8[]) AS t(id, tok)),
                    renewed AS (
                        UPDATE feeds f SET lease_expires_at = clock_timestamp() + make_interval(secs => \(seconds))
                        FROM held h WHERE f.feed_id = h.id AND f.lease_token = h.tok AND f.lease_owner = \(me)
                        RETURNING 1)
                    SELECT (SELECT count(*) FROM held h JOIN feeds f ON f.feed_id = h.id
                            WHERE f.lease_token IS DISTINCT FROM h.tok)::int8
                    """, logger: self.logger
                ).collect().first?.decode(Int.self) ?? 0
            }
        } catch {
            FileHandle.standardError.write(Data(
                "ingest: warning: state \(location): could not confirm this worker's leases: \(Self.describe(error))\n".utf8))
            return false
        }
        if taken > 0 {
            leasesLost.store(true, ordering: .releasing)
            FileHandle.standardError.write(Data(
                ("ingest: warning: state \(location): \(taken) feed(s) of this worker's claim were taken over after its "
                    + "leases ran out; no more fetches start under it\n").utf8))
            return false
        }
        leasesLiveUntil.withLock { until in until = max(until ?? sent, sent + options.leaseDuration) }
        return true
    }

    private func startHeartbeat() {
        let period = options.leaseDuration / 3
        let task = Task { [weak self] in
            while !Task.isCancelled {
                do { try await Task.sleep(for: period) } catch { return }
                guard let self else { return }
                do {
                    try await self.heartbeat()
                } catch {
                    FileHandle.standardError.write(Data(
                        "ingest: warning: state \(self.location): heartbeat failed: \(Self.describe(error))\n".utf8))
                }
            }
        }
        heartbeatTask.withLock { $0 = task }
    }

    // Workers seen within two of their own leases (`lease_seconds`) count as alive: for fair
    // shares and for adopting a dead worker's pending parts. A row without a lease (written
    // by an older ingest) is judged by this worker's lease.

    /// The pipeline's feed list as this process last registered it, with its ids as a set
    /// (to recognise claimed ids this worker's pipeline file does not have).
    private struct RegisteredList: Sendable {
        var ids: [String]
        var known: Set<String>
    }

    /// What `registerFeeds` changed in the database (all zero when it was already current).
    public struct FeedListChange: Sendable, Hashable {
        public var added = 0
        /// Known rows listed again or whose host changed.
        public var updated = 0
        /// Feeds no longer in the list (removed or disabled): never claimed again, history kept.
        public var unlisted = 0
        /// `false` when the database already held this exact list (nothing was sent).
        public var uploaded = false
        public init() {}
    }

    /// Order-independent digest of ids and hosts, so workers started with the same
    /// pipeline file agree without sorting a million ids.
    private func feedListDigest(_ ids: [String]) -> String {
        var sum: UInt64 = 0
        var mix: UInt64 = 0
        for id in ids {
            var h = FNV1a64()
            h.add(id)
            h.add(options.feedHosts[id] ?? "")
            sum &+= h.value
            mix ^= h.value &* 0x9E37_79B9_7F4A_7C15
        }
        func hex(_ v: UInt64) -> String {
            let s = String(v, radix: 16)
            return String(repeating: "0", count: 16 - s.count) + s
        }
        return "\(ids.count):\(hex(sum))\(hex(mix))"
    }

    /// Makes the database's feed list equal to `feedIDs` (the pipeline's enabled feeds,
    /// hosts from `options.feedHosts`): adds rows for new feeds, unlists feeds that left
    /// the list, so claims read only the `feeds_claimable` index and never need the ids.
    ///
    /// Cheap when nothing changed: the same list again in this process costs an in-memory
    /// comparison; a list another worker already registered costs one digest query. Only
    /// a changed list is uploaded, in batches, into a temporary table and merged in one
    /// transaction under an advisory lock, writing only rows that change. Workers running
    /// different pipeline files take turns overwriting the list; each then hands back
    /// claimed feeds it does not know (see `claimDueFeeds`).
    @discardableResult
    public func registerFeeds(_ feedIDs: [String]) async throws -> FeedListChange {
        if registered.withLock({ $0?.ids == feedIDs }) { return FeedListChange() }
        let digest = feedListDigest(feedIDs)
        let hosts = feedIDs.map { options.feedHosts[$0] ?? "" }
        let me = workerID
        let logger = logger
        let change: FeedListChange = try await withRetry("register the feed list") { connection in
            try await connection.withTransaction(logger: logger) { connection in
                // Read to the end: only then has the lock been granted, or its error seen.
                _ = try await connection.query(
                    "SELECT pg_advisory_xact_lock(\(PostgresSchema.lockNamespace), \(PostgresSchema.feedListLock))",
                    logger: logger).collect()
                let stored = try await connection.query("SELECT digest FROM feed_list", logger: logger)
                    .collect().first?.decode(String.self)
                var change = FeedListChange()
                guard stored != digest else { return change }
                change.uploaded = true
                try await connection.query(
                    "CREATE TEMP TABLE configured_feeds (feed_id TEXT NOT NULL, host TEXT) ON COMMIT DROP",
                    logger: logger)
                let batch = 20_000
                for start in stride(from: 0, to: feedIDs.count, by: batch) {
                    let ids = Array(feedIDs[start..<min(feedIDs.count, start + batch)])
                    let hs = Array(hosts[start..<min(hosts.count, start + batch)])
                    try await connection.query(
                        """
                        INSERT INTO configured_feeds (feed_id, host)
                        SELECT id, nullif(h, '') FROM unnest(\(ids)::text[], \(hs)::text[]) AS t(id, h)
                        """, logger: logger)
                }
                // Statistics, so the merges below hash-join instead of looping a million times.
                try await connection.query("ANALYZE configured_feeds", logger: logger)
                func count(_ query: PostgresQuery) async throws -> Int {
                    try await connection.query(query, logger: logger).collect().first?.decode(Int.self) ?? 0
                }
                change.added = try await count(
                    """
                    WITH added AS (
                        INSERT INTO feeds (feed_id, host, listed)
                        SELECT DISTINCT ON (feed_id) feed_id, host, true FROM configured_feeds ORDER BY feed_id
                        ON CONFLICT (feed_id) DO NOTHING RETURNING 1)
                    SELECT count(*)::int8 FROM added
                    """)
                // Only rows that change are written (and locked): a million unchanged rows stay untouched.
                change.updated = try await count(
                    """
                    WITH updated AS (
                        UPDATE feeds f SET listed = true, host = c.host
                        FROM (SELECT DISTINCT ON (feed_id) feed_id, host FROM configured_feeds ORDER BY feed_id) c
                        WHERE f.feed_id = c.feed_id AND (NOT f.listed OR f.host IS DISTINCT FROM c.host)
                        RETURNING 1)
                    SELECT count(*)::int8 FROM updated
                    """)
                change.unlisted = try await count(
                    """
                    WITH unlisted AS (
                        UPDATE feeds f SET listed = false
                        WHERE f.listed AND NOT EXISTS (SELECT 1 FROM configured_feeds c WHERE c.feed_id = f.feed_id)
                        RETURNING 1)
                    SELECT count(*)::int8 FROM unlisted
                    """)
                try await connection.query(
                    """
                    INSERT INTO feed_list (singleton, digest, feeds, updated_at, updated_by)
                    VALUES (true, \(digest), \(feedIDs.count), clock_timestamp(), \(me))
                    ON CONFLICT (singleton) DO UPDATE SET digest = excluded.digest, feeds = excluded.feeds,
                        updated_at = excluded.updated_at, updated_by = excluded.updated_by
                    """, logger: logger)
                return change
            }
        }
        registered.withLock { $0 = RegisteredList(ids: feedIDs, known: Set(feedIDs)) }
        return change
    }

    /// Due, listed, unleased feeds, oldest due first, up to a fair share (or the batch
    /// size), read through the `feeds_claimable` index: the cost grows with the feeds
    /// claimed and those in flight, not with the size of the feed list. `feedIDs` is the
    /// pipeline's list; it is registered first (a no-op when unchanged).
    public func claimDueFeeds(_ feedIDs: [String], now: Date) async throws -> Set<String> {
        guard !feedIDs.isEmpty else { return [] }
        try await registerFeeds(feedIDs)
        let known = registered.withLock { $0?.known } ?? Set(feedIDs)
        let me = workerID
        let seconds = options.leaseSeconds
        let perHost = options.perHostLimit
        let batch = options.claimBatch
        let logger = logger
        let sent = ContinuousClock.now
        let rows: [(String, String?, Int64)] = try await withRetry("claim due feeds") { connection in
            try await connection.withTransaction(logger: logger) { connection in
                // One claimer at a time: the per-host count below must not change under it.
                // Read to the end: only then has the lock been granted, or its error seen.
                _ = try await connection.query(
                    "SELECT pg_advisory_xact_lock(\(PostgresSchema.lockNamespace), \(PostgresSchema.claimLock))",
                    logger: logger).collect()
                var limit = batch ?? Int.max
                if batch == nil {
                    let counts = try await connection.query(
                        """
                        SELECT (SELECT count(*) FROM feeds
                                 WHERE listed AND coalesce(next_due_at, '-infinity'::timestamptz) <= \(now)
                                   AND (lease_owner IS NULL OR lease_expires_at <= clock_timestamp()))::int8
                             + (SELECT count(*) FROM feeds
                                 WHERE lease_owner IS NOT NULL AND lease_owner <> \(me)
                                   AND lease_expires_at > clock_timestamp())::int8,
                               (SELECT count(*) FROM workers
                                 WHERE worker_id <> \(me)
                                   AND last_seen_at > clock_timestamp() - make_interval(secs => 2 * coalesce(lease_seconds, \(seconds))))::int8
                        """, logger: logger
                    ).collect()
                    if let row = counts.first {
                        // Work outstanding = due and free, plus what the others hold now; this
                        // worker's share of it, so the first to ask does not take everything.
                        let (outstanding, others) = try row.decode((Int, Int).self)
                        let workers = others + 1
                        limit = max(1, (outstanding + workers - 1) / workers)
                    }
                }
                // With a per-host limit some candidates are passed over, so look a little
                // further than the share; the window bounds the rows locked either way.
                let window = perHost > 0 ? limit.multipliedReportingOverflow(by: 4).partialValue : limit
                let windowLimit = window <= 0 ? Int.max : window
                var claimed: [(String, String?, Int64)] = []
                let result = try await connection.query(
                    """
                    WITH live AS (
                        SELECT host, count(*) AS n FROM feeds
                        WHERE lease_owner IS NOT NULL AND lease_expires_at > clock_timestamp() AND host IS NOT NULL
                        GROUP BY host
                    ), candidates AS (
                        SELECT feed_id, host, lease_owner AS previous_owner,
                               coalesce(next_due_at, '-infinity'::timestamptz) AS due
                        FROM feeds
                        WHERE listed AND coalesce(next_due_at, '-infinity'::timestamptz) <= \(now)
                          AND (lease_owner IS NULL OR lease_expires_at <= clock_timestamp())
                        ORDER BY listed, coalesce(next_due_at, '-infinity'::timestamptz), feed_id
                        LIMIT \(windowLimit)
                        FOR UPDATE SKIP LOCKED
                    ), ranked AS (
                        SELECT c.feed_id, c.host, c.previous_owner, c.due,
                               row_number() OVER (PARTITION BY c.host ORDER BY c.due, c.feed_id)
                                   + coalesce(l.n, 0) AS slot
                        FROM candidates c LEFT JOIN live l ON l.host = c.host
                    ), granted AS (
                        SELECT feed_id, previous_owner FROM ranked
                        WHERE host IS NULL OR \(perHost) <= 0 OR slot <= \(perHost)
                        ORDER BY due, feed_id
                        LIMIT \(limit)
                    )
                    UPDATE feeds f SET lease_owner = \(me),
                        lease_expires_at = clock_timestamp() + make_interval(secs => \(seconds)),
                        lease_token = nextval('lease_tokens')
                    FROM granted g WHERE f.feed_id = g.feed_id
                    RETURNING f.feed_id, g.previous_owner, f.lease_token
                    """, logger: logger)
                for try await row in result.decode((String, String?, Int64).self) { claimed.append(row) }
                // Listed by a worker with another pipeline file: not ours to fetch, hand back at once.
                let foreign = claimed.filter { !known.contains($0.0) }.map(\.0)
                if !foreign.isEmpty {
                    try await connection.query(
                        """
                        UPDATE feeds SET lease_owner = NULL, lease_expires_at = NULL
                        WHERE feed_id = ANY(\(foreign)) AND lease_owner = \(me)
                        """, logger: logger)
                    claimed.removeAll { !known.contains($0.0) }
                }
                let takenOver = claimed.filter { $0.1 != nil && $0.1 != me }
                if !takenOver.isEmpty {
                    let feeds = takenOver.map(\.0)
                    let from = takenOver.map { $0.1 ?? "" }
                    try await connection.query(
                        """
                        INSERT INTO lease_takeovers (feed_id, from_worker, to_worker, taken_at)
                        SELECT f, w, \(me), clock_timestamp() FROM unnest(\(feeds)::text[], \(from)::text[]) AS t(f, w)
                        """, logger: logger)
                }
                if !foreign.isEmpty {
                    FileHandle.standardError.write(Data(
                        ("ingest: warning: state \(self.location): \(foreign.count) due feed(s) listed by another worker's "
                            + "pipeline file are not in this one (\(foreign.prefix(3).joined(separator: ", "))); handed back\n").utf8))
                }
                return claimed
            }
        }
        leaseTokens.withLock { tokens in
            for (feed, _, token) in rows { tokens[feed] = token }
        }
        leasesLiveUntil.withLock { $0 = sent + options.leaseDuration }
        leasesLost.store(false, ordering: .releasing)
        let claimed = Set(rows.map(\.0))
        latestClaim.withLock { $0 = claimed }
        return claimed
    }

    /// When this worker may next find a feed claimable, in one query through the indexes
    /// (a `serve` loop asking feed by feed would cost a round trip per feed): `now` when a
    /// listed feed is due and free, the earliest expiry of a lease another worker holds,
    /// else the earliest due time. `nil` for no feeds. `feedIDs` is registered first.
    public func earliestClaimable(_ feedIDs: [String], now: Date) async throws -> Date? {
        guard !feedIDs.isEmpty else { return nil }
        try await registerFeeds(feedIDs)
        let me = workerID
        return try await withRetry("read next due time") { connection in
            try await connection.query(
                """
                SELECT least(
                    (SELECT greatest(coalesce(next_due_at, '-infinity'::timestamptz), \(now)::timestamptz) FROM feeds
                     WHERE listed AND (lease_owner IS NULL OR lease_owner = \(me) OR lease_expires_at <= clock_timestamp())
                     ORDER BY listed, coalesce(next_due_at, '-infinity'::timestamptz), feed_id LIMIT 1),
                    (SELECT min(lease_expires_at) FROM feeds
                     WHERE lease_owner IS NOT NULL AND lease_owner <> \(me) AND lease_expires_at > clock_timestamp()
                       AND listed))
                """, logger: self.logger
            ).collect().first?.decode(Date?.self) ?? nil
        }
    }

    public func releaseClaims(_ feedIDs: [String]) async throws {
        guard !feedIDs.isEmpty else { return }
        let me = workerID
        leaseTokens.withLock { tokens in for id in feedIDs { tokens[id] = nil } }
        try await withRetry("release claims") { connection in
            try await connection.query(
                """
                UPDATE feeds SET lease_owner = NULL, lease_expires_at = NULL
                WHERE feed_id = ANY(\(feedIDs)) AND lease_owner = \(me)
                """, logger: self.logger)
        }
    }

    // MARK: Feeds

    private static let feedColumns = """
        feed_id, etag, last_modified, last_attempt_at, last_success_at, last_error_at, last_error,
        last_http_status, consecutive_failures, next_due_at, interval_seconds
        """

    private typealias FeedRow = (
        String, String?, String?, Date?, Date?, Date?, String?, Int?, Int, Date?, Int?
    )

    private static func feedState(_ r: FeedRow) -> FeedState {
        FeedState(
            feedID: r.0, etag: r.1, lastModified: r.2, lastAttemptAt: r.3, lastSuccessAt: r.4, lastErrorAt: r.5,
            lastError: r.6, lastHTTPStatus: r.7, consecutiveFailures: r.8, nextDueAt: r.9, intervalSeconds: r.10)
    }

    private func readFeeds(_ query: PostgresQuery, _ what: String) async throws -> [FeedState] {
        try await withRetry(what) { connection in
            var out: [FeedState] = []
            let rows = try await connection.query(query, logger: self.logger)
            for try await row in rows.decode(FeedRow.self) { out.append(Self.feedState(row)) }
            return out
        }
    }

    public func feedState(feedID: String) async throws -> FeedState? {
        // A row made by a claim but never fetched is, to the pipeline, a feed not yet seen.
        try await readFeeds(
            """
            SELECT feed_id, etag, last_modified, last_attempt_at, last_success_at, last_error_at, last_error,
                   last_http_status, consecutive_failures, next_due_at, interval_seconds
            FROM feeds WHERE feed_id = \(feedID) AND last_attempt_at IS NOT NULL
            """, "read feed \(feedID)"
        ).first
    }

    /// Ids per `feedStates` query: big enough that a run's claim is one round trip, small
    /// enough that the array's planning cost stays in milliseconds (see the README).
    static let feedStateChunk = 10_000

    /// One query per 10,000 ids through the primary key (`= ANY`), instead of a round
    /// trip per feed before the first fetch can start.
    public func feedStates(_ feedIDs: [String]) async throws -> [String: FeedState] {
        guard !feedIDs.isEmpty else { return [:] }
        var states: [String: FeedState] = [:]
        states.reserveCapacity(feedIDs.count)
        for start in stride(from: 0, to: feedIDs.count, by: Self.feedStateChunk) {
            let ids = Array(feedIDs[start..<min(feedIDs.count, start + Self.feedStateChunk)])
            for state in try await readFeeds(
                """
                SELECT feed_id, etag, last_modified, last_attempt_at, last_success_at, last_error_at, last_error,
                       last_http_status, consecutive_failures, next_due_at, interval_seconds
                FROM feeds WHERE feed_id = ANY(\(ids)) AND last_attempt_at IS NOT NULL
                """, "read \(ids.count) feed(s)")
            {
                states[state.feedID] = state
            }
        }
        return states
    }

    public func failingFeeds(limit: Int) async throws -> [FeedState] {
        try await readFeeds(
            """
            SELECT feed_id, etag, last_modified, last_attempt_at, last_success_at, last_error_at, last_error,
                   last_http_status, consecutive_failures, next_due_at, interval_seconds
            FROM feeds WHERE consecutive_failures > 0
            ORDER BY consecutive_failures DESC, feed_id LIMIT \(max(0, limit))
            """, "read failing feeds")
    }

    public func recordFetch(feedID: String, result: FetchRecord) async throws {
        try await recordFetches([FeedFetchResult(feedID: feedID, result: result)])
    }

    /// One transaction of three statements however many feeds: the rows are made to exist,
    /// locked in key order (so two workers' batches cannot deadlock), and updated from
    /// arrays in one `UPDATE … FROM unnest(…)`. Each update ends this worker's lease on the
    /// feed in the same write that stores its next due time, so no other worker can claim
    /// it in between.
    public func recordFetches(_ results: [FeedFetchResult]) async throws {
        guard !results.isEmpty else { return }
        let me = workerID
        let hosts = options.feedHosts
        let logger = logger
        let tokens = leaseTokens.withLock { held in
            var taken: [String: Int64] = [:]
            for entry in results { taken[entry.feedID] = held.removeValue(forKey: entry.feedID) }
            return taken
        }
        let rounds = FetchBatch.rounds(results, hosts: hosts, tokens: tokens)
        let fenced: [String] = try await withRetry("record fetches") { connection in
            try await connection.withTransaction(logger: logger) { connection in
                var fenced: [String] = []
                for batch in rounds {
                    fenced += try await Self.record(batch, worker: me, on: connection, logger: logger)
                }
                return fenced
            }
        }
        if !fenced.isEmpty {
            // The lease was claimed by another worker since: its record is the newer one.
            FileHandle.standardError.write(Data(
                ("ingest: warning: state \(location): fetch result(s) of \(fenced.count) feed(s) not recorded, another worker "
                    + "claimed them after this worker's lease ran out (\(fenced.prefix(3).joined(separator: ", ")))\n").utf8))
        }
    }

    /// Writes one batch (each feed at most once); returns the feeds not written because
    /// another worker holds their lease now.
    private static func record(
        _ batch: FetchBatch, worker me: String, on connection: PostgresConnection, logger: Logger
    ) async throws -> [String] {
        try await connection.query(
            """
            INSERT INTO feeds (feed_id, host)
            SELECT id, nullif(h, '') FROM unnest(\(batch.ids)::text[], \(batch.hosts)::text[]) AS t(id, h)
            ORDER BY id
            ON CONFLICT (feed_id) DO NOTHING
            """, logger: logger)
        // Read to the end: only then are the rows locked, or a deadlock seen (and retried).
        _ = try await connection.query(
            "SELECT 1 FROM feeds WHERE feed_id = ANY(\(batch.ids)) ORDER BY feed_id FOR UPDATE",
            logger: logger).collect()
        // `present` has a bit per nullable text (postgres-nio sends no NULLs inside
        // arrays): 1 etag, 2 last_modified, 4 message; absent integers are `Int64.min`.
        // A feed this worker claimed is written only while its lease token is still
        // the feed's: a worker that outlived its lease must not overwrite the newer record.
        let written = try await connection.query(
            """
            UPDATE feeds f SET
                etag = CASE i.kind WHEN 'fetched' THEN i.etag
                                   WHEN 'not_modified' THEN coalesce(i.etag, f.etag)
                                   ELSE f.etag END,
                last_modified = CASE i.kind WHEN 'fetched' THEN i.last_modified
                                   WHEN 'not_modified' THEN coalesce(i.last_modified, f.last_modified)
                                   ELSE f.last_modified END,
                last_attempt_at = i.attempt_at,
                last_success_at = CASE WHEN i.kind = 'failed' THEN f.last_success_at ELSE i.attempt_at END,
                last_error_at = CASE WHEN i.kind = 'failed' THEN i.attempt_at ELSE f.last_error_at END,
                last_error = CASE WHEN i.kind = 'failed' THEN coalesce(i.message, f.last_error) ELSE f.last_error END,
                last_http_status = i.http_status,
                consecutive_failures = CASE WHEN i.kind = 'failed' THEN f.consecutive_failures + 1 ELSE 0 END,
                next_due_at = i.next_due_at,
                interval_seconds = i.interval_seconds,
                lease_owner = CASE WHEN f.lease_owner = \(me) THEN NULL ELSE f.lease_owner END,
                lease_expires_at = CASE WHEN f.lease_owner = \(me) THEN NULL ELSE f.lease_expires_at END
            FROM (
                SELECT id, kind, attempt_at, next_due_at,
                       CASE WHEN present & 1 <> 0 THEN etag END AS etag,
                       CASE WHEN present & 2 <> 0 THEN lm END AS last_modified,
                       CASE WHEN present & 4 <> 0 THEN msg END AS message,
                       nullif(status, \(Int64.min))::int AS http_status,
                       nullif(ivl, \(Int64.min))::int AS interval_seconds,
                       nullif(token, \(Int64.min)) AS token
                FROM unnest(\(batch.ids)::text[], \(batch.kinds)::text[], \(batch.etags)::text[],
                            \(batch.lastModified)::text[], \(batch.messages)::text[], \(batch.present)::int8[],
                            \(batch.at)::timestamptz[], \(batch.nextDueAt)::timestamptz[],
                            \(batch.httpStatus)::int8[], \(batch.intervals)::int8[], \(batch.tokens)::int8[])
                    AS t(id, kind, etag, lm, msg, present, attempt_at, next_due_at, status, ivl, token)
            ) i
            WHERE f.feed_id = i.id AND (i.token IS NULL OR f.lease_token = i.token)
            RETURNING f.feed_id
            """, logger: logger)
        var recorded = Set<String>()
        for try await id in written.decode(String.self) { recorded.insert(id) }
        return batch.ids.filter { !recorded.contains($0) }
    }

    // MARK: Items

    public func classify(_ items: [ItemFingerprint]) async throws -> [ItemDisposition] {
        guard !items.isEmpty else { return [] }
        let feeds = items.map(\.key.feedID)
        let itemIDs = items.map(\.key.itemID)
        let known: [ItemKey: (revision: Int, hash: String)] = try await withRetry("classify items") { connection in
            var known: [ItemKey: (revision: Int, hash: String)] = [:]
            let rows = try await connection.query(
                """
                SELECT i.feed_id, i.item_id, i.revision::int8, i.content_hash
                FROM items i JOIN (SELECT DISTINCT f, n FROM unnest(\(feeds)::text[], \(itemIDs)::text[]) AS t(f, n)) k
                  ON i.feed_id = k.f AND i.item_id = k.n
                """, logger: self.logger)
            for try await (feed, item, revision, hash) in rows.decode((String, String, Int, String).self) {
                known[ItemKey(feedID: feed, itemID: item)] = (revision, hash)
            }
            return known
        }
        // Earlier occurrences in this batch, so a repeated item is judged against what
        // this batch is about to emit, not only against the database.
        var pending: [ItemKey: (revision: Int, hash: String)] = [:]
        var result: [ItemDisposition] = []
        result.reserveCapacity(items.count)
        for item in items {
            let disposition: ItemDisposition
            switch pending[item.key] ?? known[item.key] {
            case nil: disposition = .new
            case let (revision, hash)? where hash == item.contentHash: disposition = .unchanged(revision: revision)
            case let (revision, _)?: disposition = .changed(revision: revision + 1)
            }
            if let revision = disposition.revisionToEmit { pending[item.key] = (revision, item.contentHash) }
            result.append(disposition)
        }
        return result
    }

    @discardableResult
    public func commitEmitted(_ parts: [PartCommit], runID: String) async throws -> CommitReceipt {
        for part in parts {
            for item in part.items where item.revision < 1 {
                throw StateStoreError(
                    kind: .invalidArgument, location: location,
                    message: "item \(item.key) in part \(part.name) has revision \(item.revision); revisions start at 1")
            }
        }
        let me = workerID
        let logger = logger
        let held = leaseTokens.withLock { $0 }
        var fencedFeeds: [String] = []
        var fencedTokens: [Int64] = []
        for feed in Set(parts.flatMap { $0.items.map(\.key.feedID) }).sorted() {
            if let token = held[feed] { fencedFeeds.append(feed); fencedTokens.append(token) }
        }
        let fenceFeeds = fencedFeeds
        let fenceTokens = fencedTokens
        let location = location
        return try await withRetry("commit emitted items") { connection in
            try await connection.withTransaction(logger: logger) { connection in
                if !fenceFeeds.isEmpty {
                    // Fencing: the feeds this worker leased must still carry its lease tokens. The
                    // share locks keep a claim from taking them over until this commit ends, so a
                    // worker that takes one afterwards sees these items as already emitted.
                    var lost: [String] = []
                    let rows = try await connection.query(
                        """
                        SELECT f.feed_id, f.lease_token IS NOT DISTINCT FROM t.token
                        FROM feeds f JOIN unnest(\(fenceFeeds)::text[], \(fenceTokens)::int8[]) AS t(id, token)
                          ON f.feed_id = t.id
                        ORDER BY f.feed_id FOR SHARE OF f
                        """, logger: logger)
                    for try await (feed, held) in rows.decode((String, Bool).self) where !held { lost.append(feed) }
                    if !lost.isEmpty {
                        throw StateStoreError(
                            kind: .leaseLost(feeds: lost), location: location,
                            message: "commit refused: this worker's lease on \(lost.count) feed(s) ran out and another "
                                + "worker claimed them (\(lost.prefix(3).joined(separator: ", ")))")
                    }
                }
                var recorded = 0
                var duplicates: [ItemKey] = []
                for part in parts {
                    let feeds = part.items.map(\.key.feedID)
                    let itemIDs = part.items.map(\.key.itemID)
                    let revisions = part.items.map(\.revision)
                    let hashes = part.items.map(\.contentHash)
                    // The unique key decides; a row another transaction is inserting makes
                    // this one wait for it and then count as a conflict.
                    var inserted = Set<EmittedKey>()
                    let rows = try await connection.query(
                        """
                        INSERT INTO item_revisions (feed_id, item_id, revision, content_hash, part, emitted_at)
                        SELECT f, n, r, h, \(part.name), now()
                        FROM unnest(\(feeds)::text[], \(itemIDs)::text[], \(revisions)::int8[], \(hashes)::text[]) AS t(f, n, r, h)
                        ON CONFLICT ON CONSTRAINT item_revision_emitted_once DO NOTHING
                        RETURNING feed_id, item_id, revision::int8
                        """, logger: logger)
                    for try await (f, n, r) in rows.decode((String, String, Int).self) {
                        inserted.insert(EmittedKey(feedID: f, itemID: n, revision: r))
                    }
                    recorded += inserted.count
                    let conflicting = part.items.filter {
                        !inserted.contains(EmittedKey(feedID: $0.key.feedID, itemID: $0.key.itemID, revision: $0.revision))
                    }
                    if !conflicting.isEmpty {
                        // A replay of this very commit is fine; the revision held by another part is a duplicate.
                        let cf = conflicting.map(\.key.feedID)
                        let ci = conflicting.map(\.key.itemID)
                        let cr = conflicting.map(\.revision)
                        let holders = try await connection.query(
                            """
                            SELECT ir.feed_id, ir.item_id FROM item_revisions ir
                            JOIN unnest(\(cf)::text[], \(ci)::text[], \(cr)::int8[]) AS t(f, n, r)
                              ON ir.feed_id = t.f AND ir.item_id = t.n AND ir.revision = t.r
                            WHERE ir.part <> \(part.name)
                            """, logger: logger)
                        for try await (f, n) in holders.decode((String, String).self) {
                            duplicates.append(ItemKey(feedID: f, itemID: n))
                        }
                    }
                    if !inserted.isEmpty {
                        let keep = part.items.filter {
                            inserted.contains(EmittedKey(feedID: $0.key.feedID, itemID: $0.key.itemID, revision: $0.revision))
                        }
                        // The latest revision wins; an older one replayed late never moves it back.
                        try await connection.query(
                            """
                            INSERT INTO items (feed_id, item_id, revision, content_hash, first_seen_at, last_emitted_at)
                            SELECT DISTINCT ON (f, n) f, n, r, h, now(), now()
                            FROM unnest(\(keep.map(\.key.feedID))::text[], \(keep.map(\.key.itemID))::text[],
                                        \(keep.map(\.revision))::int8[], \(keep.map(\.contentHash))::text[]) AS t(f, n, r, h)
                            ORDER BY f, n, r DESC
                            ON CONFLICT (feed_id, item_id) DO UPDATE SET
                                revision = excluded.revision, content_hash = excluded.content_hash,
                                last_emitted_at = excluded.last_emitted_at
                            WHERE excluded.revision > items.revision
                            """, logger: logger)
                    }
                    try await connection.query(
                        """
                        INSERT INTO parts (name, run_id, worker_id, state, item_count, committed_at)
                        VALUES (\(part.name), \(runID), \(me), 'pending', \(part.items.count), now())
                        ON CONFLICT (name) DO NOTHING
                        """, logger: logger)
                }
                return CommitReceipt(recorded: recorded, duplicates: duplicates)
            }
        }
    }

    /// This worker's pending parts, after adopting those of workers that stopped
    /// heartbeating (they will never finish them; the output directory is shared).
    /// Adoption moves ownership in one statement, so two survivors never both adopt.
    public func pendingParts() async throws -> [PendingPart] {
        let me = workerID
        let ownLease = options.leaseSeconds
        return try await withRetry("read pending parts") { connection in
            try await connection.query(
                """
                UPDATE parts SET worker_id = \(me)
                WHERE state = 'pending' AND worker_id <> \(me)
                  AND worker_id NOT IN (SELECT worker_id FROM workers
                                        WHERE last_seen_at > clock_timestamp() - make_interval(secs => 2 * coalesce(lease_seconds, \(ownLease))))
                """, logger: self.logger)
            var out: [PendingPart] = []
            let rows = try await connection.query(
                """
                SELECT name, run_id, item_count::int8, committed_at FROM parts
                WHERE state = 'pending' AND worker_id = \(me) ORDER BY committed_at, name
                """, logger: self.logger)
            for try await (name, run, count, at) in rows.decode((String, String, Int, Date).self) {
                out.append(PendingPart(name: name, runID: run, itemCount: count, committedAt: at))
            }
            return out
        }
    }

    public func markPublished(parts: [String]) async throws {
        guard !parts.isEmpty else { return }
        try await withRetry("mark parts published") { connection in
            try await connection.query(
                """
                UPDATE parts SET state = 'published', published_at = now()
                WHERE name = ANY(\(parts)) AND state = 'pending'
                """, logger: self.logger)
        }
    }

    @discardableResult
    public func abandonPart(_ part: String) async throws -> Int {
        let logger = logger
        return try await withRetry("abandon part \(part)") { connection in
            try await connection.withTransaction(logger: logger) { connection in
                let state = try await connection.query(
                    "SELECT state FROM parts WHERE name = \(part) FOR UPDATE", logger: logger
                ).collect().first?.decode(String.self)
                guard state == "pending" else { return 0 }
                var keys = Set<ItemKey>()
                var removed = 0
                let rows = try await connection.query(
                    "DELETE FROM item_revisions WHERE part = \(part) RETURNING feed_id, item_id", logger: logger)
                for try await (f, n) in rows.decode((String, String).self) {
                    keys.insert(ItemKey(feedID: f, itemID: n))
                    removed += 1
                }
                if !keys.isEmpty {
                    let feeds = keys.map(\.feedID)
                    let itemIDs = keys.map(\.itemID)
                    // Back to the newest revision still on disk, or forgotten when none is.
                    try await connection.query(
                        """
                        UPDATE items i SET revision = latest.revision, content_hash = latest.content_hash,
                                           last_emitted_at = latest.emitted_at
                        FROM (SELECT DISTINCT ON (ir.feed_id, ir.item_id) ir.feed_id, ir.item_id, ir.revision,
                                     ir.content_hash, ir.emitted_at
                              FROM item_revisions ir
                              JOIN unnest(\(feeds)::text[], \(itemIDs)::text[]) AS t(f, n)
                                ON ir.feed_id = t.f AND ir.item_id = t.n
                              ORDER BY ir.feed_id, ir.item_id, ir.revision DESC) latest
                        WHERE i.feed_id = latest.feed_id AND i.item_id = latest.item_id
                        """, logger: logger)
                    try await connection.query(
                        """
                        DELETE FROM items i USING unnest(\(feeds)::text[], \(itemIDs)::text[]) AS t(f, n)
                        WHERE i.feed_id = t.f AND i.item_id = t.n
                          AND NOT EXISTS (SELECT 1 FROM item_revisions ir
                                          WHERE ir.feed_id = t.f AND ir.item_id = t.n)
                        """, logger: logger)
                }
                try await connection.query("DELETE FROM parts WHERE name = \(part)", logger: logger)
                return removed
            }
        }
    }

    // MARK: Runs

    public func recordRun(_ summary: RunRecord) async throws {
        let me = workerID
        try await withRetry("record run") { connection in
            try await connection.query(
                """
                INSERT INTO runs (run_id, worker_id, pipeline, started_at, finished_at, status, feeds_total,
                                  feeds_failed, items_new, items_changed, items_unchanged, summary_json)
                VALUES (\(summary.runID), \(me), \(summary.pipeline), \(summary.startedAt), \(summary.finishedAt),
                        \(summary.status), \(summary.feedsTotal), \(summary.feedsFailed), \(summary.itemsNew),
                        \(summary.itemsChanged), \(summary.itemsUnchanged), \(summary.summaryJSON))
                ON CONFLICT (run_id) DO UPDATE SET
                    pipeline = excluded.pipeline, started_at = excluded.started_at,
                    finished_at = excluded.finished_at, status = excluded.status,
                    feeds_total = excluded.feeds_total, feeds_failed = excluded.feeds_failed,
                    items_new = excluded.items_new, items_changed = excluded.items_changed,
                    items_unchanged = excluded.items_unchanged, summary_json = excluded.summary_json
                """, logger: self.logger)
        }
    }

    public func recentRuns(limit: Int) async throws -> [RunRecord] {
        try await withRetry("read runs") { connection in
            var out: [RunRecord] = []
            let rows = try await connection.query(
                """
                SELECT run_id, pipeline, started_at, finished_at, status, feeds_total::int8, feeds_failed::int8,
                       items_new::int8, items_changed::int8, items_unchanged::int8, summary_json
                FROM runs ORDER BY started_at DESC, run_id DESC LIMIT \(max(0, limit))
                """, logger: self.logger)
            for try await r in rows.decode((String, String, Date, Date?, String, Int, Int, Int, Int, Int, String?).self) {
                out.append(RunRecord(
                    runID: r.0, pipeline: r.1, startedAt: r.2, finishedAt: r.3, status: r.4, feedsTotal: r.5,
                    feedsFailed: r.6, itemsNew: r.7, itemsChanged: r.8, itemsUnchanged: r.9, summaryJSON: r.10))
            }
            return out
        }
    }

    public func status(now: Date) async throws -> StateStatus {
        let counts = try await withRetry("read status") { connection in
            try await connection.query(
                """
                SELECT (SELECT count(*) FROM feeds WHERE last_attempt_at IS NOT NULL)::int8,
                       (SELECT count(*) FROM feeds WHERE consecutive_failures > 0)::int8,
                       (SELECT count(*) FROM feeds
                         WHERE listed AND coalesce(next_due_at, '-infinity'::timestamptz) <= \(now))::int8,
                       (SELECT count(*) FROM items)::int8,
                       (SELECT count(*) FROM parts WHERE state = 'pending')::int8
                """, logger: self.logger
            ).collect().first?.decode((Int, Int, Int, Int, Int).self)
        }
        let version = try await schemaVersion()
        let c = counts ?? (0, 0, 0, 0, 0)
        return StateStatus(
            location: location, schemaVersion: version, feeds: c.0, failingFeeds: c.1, dueFeeds: c.2, items: c.3,
            pendingParts: c.4, lastRun: try await recentRuns(limit: 1).first)
    }

    // MARK: Cluster view (for `ingest state status`)

    public struct WorkerInfo: Sendable, Hashable {
        public var workerID: String
        public var hostname: String
        public var pid: Int
        public var startedAt: Date
        public var lastSeenAt: Date
        public var alive: Bool
        public var liveLeases: Int
        public var takenOverFrom: Int
    }

    public struct LeaseInfo: Sendable, Hashable {
        public var feedID: String
        public var owner: String
        public var expiresAt: Date
    }

    public struct ClusterStatus: Sendable, Hashable {
        public var workers: [WorkerInfo]
        public var liveLeases: [LeaseInfo]
        /// Feeds whose lease a worker took over from another, by former owner.
        public var takeovers: [String: Int]
    }

    /// Workers (recently seen or holding leases), live leases, and takeovers.
    public func clusterStatus(leaseLimit: Int = 50) async throws -> ClusterStatus {
        let ownLease = options.leaseSeconds
        return try await withRetry("read workers") { connection in
            var takeovers: [String: Int] = [:]
            for try await (from, n) in try await connection.query(
                "SELECT from_worker, count(*)::int8 FROM lease_takeovers GROUP BY from_worker", logger: self.logger
            ).decode((String, Int).self) { takeovers[from] = n }
            var workers: [WorkerInfo] = []
            let rows = try await connection.query(
                """
                SELECT w.worker_id, w.hostname, w.pid::int8, w.started_at, w.last_seen_at,
                       w.last_seen_at > clock_timestamp() - make_interval(secs => 2 * coalesce(w.lease_seconds, \(ownLease))),
                       (SELECT count(*) FROM feeds f WHERE f.lease_owner = w.worker_id
                          AND f.lease_expires_at > clock_timestamp())::int8
                FROM workers w ORDER BY w.worker_id
                """, logger: self.logger)
            for try await r in rows.decode((String, String, Int, Date, Date, Bool, Int).self) {
                workers.append(WorkerInfo(
                    workerID: r.0, hostname: r.1, pid: r.2, startedAt: r.3, lastSeenAt: r.4, alive: r.5,
                    liveLeases: r.6, takenOverFrom: takeovers[r.0] ?? 0))
            }
            var leases: [LeaseInfo] = []
            let leaseRows = try await connection.query(
                """
                SELECT feed_id, lease_owner, lease_expires_at FROM feeds
                WHERE lease_owner IS NOT NULL AND lease_expires_at > clock_timestamp()
                ORDER BY lease_expires_at, feed_id LIMIT \(max(0, leaseLimit))
                """, logger: self.logger)
            for try await (f, o, e) in leaseRows.decode((String, String, Date).self) {
                leases.append(LeaseInfo(feedID: f, owner: o, expiresAt: e))
            }
            return ClusterStatus(workers: workers, liveLeases: leases, takeovers: takeovers)
        }
    }

    /// Live leases in total (the list in `clusterStatus` is capped).
    public func liveLeaseCount() async throws -> Int {
        try await withRetry("count leases") { connection in
            try await connection.query(
                "SELECT count(*)::int8 FROM feeds WHERE lease_owner IS NOT NULL AND lease_expires_at > clock_timestamp()",
                logger: self.logger
            ).collect().first?.decode(Int.self) ?? 0
        }
    }

    // MARK: Retry and errors

    /// Runs `body` on a pooled connection, again after a lost connection, a deadlock, a
    /// serialisation failure or a statement the server cancelled, with exponential backoff and
    /// jitter, for up to `retryFor`; every operation above is safe to repeat. `bounded: false`
    /// exempts the operation from `attemptLimit` (migrations only).
    @discardableResult
    private func withRetry<T: Sendable>(
        _ what: String, attempts: Int = .max, bounded: Bool = true,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        RunTrace.note("state: \(what)")
        do {
            let result = try await retrying(what, attempts: attempts, limit: bounded ? options.attemptLimit : nil) { attempt in
                try await self.client.withConnection { connection in
                    try await attempt.run(on: connection, body)
                }
            }
            RunTrace.note("state: \(what): done")
            return result
        } catch {
            RunTrace.note("state: \(what): failed: \(error)")
            throw error
        }
    }

    /// The retry loop. An attempt stuck while the server does not answer is abandoned (see
    /// `watched`), and the pool is renewed so the first attempt after the server is back
    /// connects at once.
    @discardableResult
    private func retrying<T: Sendable>(
        _ what: String, attempts: Int, limit: Duration?,
        _ body: @escaping @Sendable (AttemptConnection) async throws -> T
    ) async throws -> T {
        let clock = ContinuousClock()
        let started = clock.now
        var delay = 0.1
        var attempt = 1
        // An attempt abandoned unanswered has used `attemptLimit`, by default longer than
        // `retryFor`: without one retry past it, a connection postgres-nio lost track of (seen
        // after `pg_terminate_backend`) failed the operation instead of reconnecting.
        var unansweredRetried = false
        while true {
            let generation = pool.withLock { $0.generation }
            do {
                return try await watched(limit: limit, body)
            } catch {
                let closed = Self.isPoolClosed(error)
                let transient = Self.isTransient(error) || error is ServerUnreachable || error is AttemptUnanswered
                    || (closed && !closing.load(ordering: .acquiring))
                var inTime = clock.now - started < options.retryFor
                if !inTime, error is AttemptUnanswered, !unansweredRetried {
                    unansweredRetried = true
                    inTime = true
                }
                guard transient, attempt < min(attempts, options.retryAttempts), inTime, !Task.isCancelled
                else {
                    throw Self.translate(error, doing: what, location: location)
                }
                // A fresh pool also after an attempt was abandoned: the pool it was queued in, or
                // whose connection it lost, may not serve the retry either.
                if error is ServerUnreachable || error is AttemptUnanswered || Self.poolGaveUp(error) {
                    renewPool(replacing: generation)
                }
                RunTrace.note("state: \(what): attempt \(attempt) failed (\(error)); retrying")
                let jitter = Double.random(in: 0...(delay / 2))
                try await Task.sleep(for: .milliseconds(Int64((delay + jitter) * 1000)))
                delay = min(delay * 2, 5)
                attempt += 1
            }
        }
    }

    /// The server did not accept a connection of its own while an attempt was waiting.
    struct ServerUnreachable: Error, CustomStringConvertible {
        var reason: String
        var description: String { "the server does not answer (\(reason))" }
    }

    /// The server accepted new connections but an attempt was still unfinished past
    /// `attemptLimit` (a frozen backend, a connection a firewall dropped silently, or one
    /// postgres-nio lost track of), so it was revoked and its connection closed.
    struct AttemptUnanswered: Error, CustomStringConvertible {
        var limit: Duration
        var description: String {
            "no answer within \(limit.components.seconds) s while the server accepts new connections; the attempt was abandoned and its connection closed"
        }
    }

    /// The pooled connection an attempt is using, so that the watcher can revoke the attempt.
    final class AttemptConnection: Sendable {
        private let state = Mutex<(connection: PostgresConnection?, revoked: Bool)>((nil, false))

        func run<T>(
            on connection: PostgresConnection, _ body: (PostgresConnection) async throws -> T
        ) async throws -> T {
            let allowed = state.withLock { s -> Bool in
                if s.revoked { return false }
                s.connection = connection
                return true
            }
            // A revoked attempt that is handed a connection afterwards never uses it.
            guard allowed else { throw CancellationError() }
            defer { state.withLock { $0.connection = nil } }
            return try await body(connection)
        }

        /// Closes the attempt's socket at once, if it has one, and forbids it any later one, so
        /// that nothing more of the attempt reaches the server: then it is safe to retry without
        /// waiting for the attempt's task, which a connection postgres-nio lost track of may
        /// never end (`retriesLostConnections` hung so, after `pg_terminate_backend`). Not
        /// `closeGracefully()`, and not closing the pool: both wait for the unanswered query.
        func revoke() {
            let connection = state.withLock { s -> PostgresConnection? in
                s.revoked = true
                return s.connection
            }
            if let connection {
                let closed: EventLoopFuture<Void> = connection.close()
                _ = closed
            }
        }
    }

    /// The first outcome of an attempt or its watcher; later ones are ignored.
    final class AttemptOutcome<T: Sendable>: Sendable {
        private let state = Mutex<(result: Result<T, any Error>?, waiter: CheckedContinuation<T, any Error>?)>((nil, nil))

        func finish(_ result: Result<T, any Error>) {
            let waiter = state.withLock { s -> CheckedContinuation<T, any Error>? in
                guard s.result == nil else { return nil }
                s.result = result
                defer { s.waiter = nil }
                return s.waiter
            }
            waiter?.resume(with: result)
        }

        func value() async throws -> T {
            try await withCheckedThrowingContinuation { continuation in
                let ready = state.withLock { s -> Result<T, any Error>? in
                    if let result = s.result { return result }
                    s.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        }
    }

    /// Runs one attempt. Every `connectionWait` it is still running, the server is probed
    /// with a direct connection: a slow query on a live server goes on, but an attempt
    /// queued in a pool that cannot connect (it would wait up to a minute) or talking to a
    /// server that went away fails with `ServerUnreachable`. Past `limit`, an attempt the
    /// reachable server has not finished fails with `AttemptUnanswered`. Either way the
    /// attempt is revoked first (its connection closed, no later one used), so nothing more
    /// of it reaches the server and the retry need not wait for its task. Cancelling the
    /// caller cancels the attempt and waits for it, as before.
    private func watched<T: Sendable>(
        limit: Duration?, _ body: @escaping @Sendable (AttemptConnection) async throws -> T
    ) async throws -> T {
        let wait = options.connectionWait
        let url = url
        let logger = logger
        let attempt = AttemptConnection()
        let outcome = AttemptOutcome<T>()
        let work = Task {
            do {
                outcome.finish(.success(try await body(attempt)))
            } catch {
                outcome.finish(.failure(error))
            }
        }
        let watcher = Task {
            let clock = ContinuousClock()
            let started = clock.now
            while true {
                do { try await Task.sleep(for: wait) } catch { return }
                var failure: (any Error)?
                if let reason = await Self.unreachable(url, logger: logger) {
                    failure = ServerUnreachable(reason: reason)
                } else if let limit, clock.now - started >= limit {
                    failure = AttemptUnanswered(limit: limit)
                }
                if let failure {
                    attempt.revoke()
                    work.cancel()
                    outcome.finish(.failure(failure))
                    return
                }
            }
        }
        defer { watcher.cancel() }
        return try await withTaskCancellationHandler {
            try await outcome.value()
        } onCancel: {
            work.cancel()
        }
    }

    /// `nil` when the server accepts a connection now, else why not.
    private static func unreachable(_ url: PostgresURL, logger: Logger) async -> String? {
        do {
            var configuration = try url.connectionConfiguration()
            configuration.options.connectTimeout = .seconds(3)
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            try? await connection.close()
            return nil
        } catch {
            // Refused, timed out, or "the database system is starting up / shutting down".
            return isTransient(error) ? describe(error) : nil
        }
    }

    /// The pool stopped trying to connect for a while and refuses every request.
    static func poolGaveUp(_ error: any Error) -> Bool {
        // `ConnectionPoolError` lives in postgres-nio's underscored pool module; its
        // circuit breaker is the only such error that reaches a caller here.
        String(reflecting: type(of: unwrap(error))).hasSuffix("ConnectionPoolError")
    }

    static func isPoolClosed(_ error: any Error) -> Bool {
        (unwrap(error) as? PSQLError)?.code == .poolClosed
    }

    static func unwrap(_ error: any Error) -> any Error {
        if let t = error as? PostgresTransactionError {
            if let e = t.closureError { return unwrap(e) }
            if let e = t.beginError { return unwrap(e) }
            if let e = t.commitError { return unwrap(e) }
        }
        return error
    }

    static func isTransient(_ error: any Error) -> Bool {
        let error = unwrap(error)
        if let p = error as? PSQLError {
            switch p.code {
            // clientClosedConnection: the pool noticed a connection the server had ended
            // (terminated backend, restart) and failed the query queued on it.
            case .connectionError, .serverClosedConnection, .clientClosedConnection: return true
            case .server:
                let state = p.serverInfo?[.sqlState] ?? ""
                // serialization_failure, deadlock_detected, query_canceled (the server's statement_timeout
                // ended a statement stuck behind a lock), admin/crash shutdown, cannot connect now,
                // connection exceptions.
                return state == "40001" || state == "40P01" || state == "57014" || state.hasPrefix("57P")
                    || state.hasPrefix("08")
            default: return false
            }
        }
        if error is StateStoreError { return false }
        if poolGaveUp(error) { return true }
        // NIO channel and socket errors: the connection went away.
        return error is ChannelError || error is IOError
    }

    static func describe(_ error: any Error) -> String {
        let error = unwrap(error)
        if let p = error as? PSQLError {
            if let info = p.serverInfo {
                let message = info[.message] ?? "server error"
                let detail = info[.detail].map { " (\($0))" } ?? ""
                return "\(message)\(detail) [SQLSTATE \(info[.sqlState] ?? "?")]"
            }
            if let underlying = p.underlying { return "\(p.code): \(underlying)" }
            return "\(p.code)"
        }
        return "\(error)"
    }

    static func translate(_ error: any Error, doing what: String, location: String) -> any Error {
        let inner = unwrap(error)
        if inner is StateStoreError { return inner }
        let kind: StateStoreError.Kind
        if let p = inner as? PSQLError {
            switch p.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed: kind = .cannotOpen
            case .server:
                let state = p.serverInfo?[.sqlState] ?? ""
                if state.hasPrefix("23") { kind = .constraint }
                else if state == "53100" { kind = .diskFull }
                else if state == "25006" { kind = .readOnly }
                else if state.hasPrefix("28") || state == "3D000" { kind = .cannotOpen }
                else { kind = .other }
            default: kind = .other
            }
        } else {
            kind = .cannotOpen
        }
        return StateStoreError(kind: kind, location: location, message: "\(what): \(describe(inner))")
    }
}

/// Fetch results as the parallel arrays one `UNNEST` reads.
private struct FetchBatch: Sendable {
    var ids: [String] = []
    var hosts: [String] = []
    var kinds: [String] = []
    var etags: [String] = []
    var lastModified: [String] = []
    var messages: [String] = []
    var present: [Int64] = []
    var at: [Date] = []
    var nextDueAt: [Date] = []
    var httpStatus: [Int64] = []
    var intervals: [Int64] = []
    var tokens: [Int64] = []

    /// One statement may update a row only once: a feed reported twice goes into a second
    /// batch, applied after the first, as if the results were recorded one by one.
    static func rounds(
        _ results: [FeedFetchResult], hosts: [String: String], tokens: [String: Int64]
    ) -> [FetchBatch] {
        var rounds: [[FeedFetchResult]] = []
        var seen: [String: Int] = [:]
        for entry in results {
            let round = seen[entry.feedID, default: 0]
            seen[entry.feedID] = round + 1
            if round == rounds.count { rounds.append([]) }
            rounds[round].append(entry)
        }
        return rounds.map { FetchBatch($0, hosts: hosts, tokens: tokens) }
    }

    init(_ results: [FeedFetchResult], hosts hostOf: [String: String], tokens tokenOf: [String: Int64]) {
        for entry in results {
            let r = entry.result
            var bits: Int64 = 0
            var message = ""
            let kind: String
            switch r.outcome {
            case .fetched: kind = "fetched"
            case .notModified: kind = "not_modified"
            case .failed(let m): kind = "failed"; message = m; bits |= 4
            }
            if r.etag != nil { bits |= 1 }
            if r.lastModified != nil { bits |= 2 }
            ids.append(entry.feedID)
            hosts.append(hostOf[entry.feedID] ?? "")
            kinds.append(kind)
            etags.append(r.etag ?? "")
            lastModified.append(r.lastModified ?? "")
            messages.append(message)
            present.append(bits)
            at.append(r.at)
            nextDueAt.append(r.nextDueAt)
            httpStatus.append(r.httpStatus.map(Int64.init) ?? .min)
            intervals.append(r.intervalSeconds.map(Int64.init) ?? .min)
            tokens.append(tokenOf[entry.feedID] ?? .min)
        }
    }
}

private struct EmittedKey: Hashable {
    var feedID: String
    var itemID: String
    var revision: Int
}
