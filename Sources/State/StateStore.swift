import Foundation

/// Everything a pipeline remembers between runs, behind one protocol so that the
/// pipeline never learns which database holds it.
///
/// The SQLite backend (`SQLiteStateStore`) serves one machine; a PostgreSQL backend
/// shared by several workers must be able to implement the same calls. That is why
/// feed selection is a *claim* (a shared backend leases each due feed to one worker
/// until `recordFetch` ends the claim) and why emission marks go through
/// `commitEmitted` with the part files that hold them (a unique `(feed, item, revision)`
/// key makes a second emission impossible even under a race).
///
/// Exactly-once protocol followed by the sink:
/// 1. write the records to a temporary file and fsync it;
/// 2. `commitEmitted` — one transaction marks the items emitted *and* registers the
///    part as pending;
/// 3. rename temporary → final, fsync the directory, then `markPublished`.
///
/// On restart, for every name in `pendingParts()`: a temporary file that still exists is
/// renamed (roll forward); a final file that exists only needs `markPublished`; a part
/// whose files are both gone is handed to `abandonPart`, which takes back its emission
/// marks so those items are emitted again. Temporary files whose part is not pending were
/// never committed: delete them (their items were never marked and will be re-emitted).
public protocol StateStore: Sendable {
    /// Validators, health and schedule of one feed; `nil` before its first fetch.
    func feedState(feedID: String) async throws -> FeedState?

    /// The states of many feeds in one round trip, keyed by feed id; feeds never fetched
    /// are absent. A run reads every due feed's validators before its first fetch, and a
    /// round trip per feed would hold back the start of thousands of fetches.
    func feedStates(_ feedIDs: [String]) async throws -> [String: FeedState]

    /// The subset of `feedIDs` that is due and not already claimed, now claimed by the
    /// caller until `recordFetch`/`recordFetches` or `releaseClaims` for it. A feed never
    /// fetched is due. Claims keep a long-running `serve` from starting a feed twice while
    /// its fetch is in flight; a backend shared by several workers makes them leases that
    /// expire when their worker dies. Claims never outlive the process that took them.
    func claimDueFeeds(_ feedIDs: [String], now: Date) async throws -> Set<String>

    /// What to do with each item, in input order. Read-only: calling it again before
    /// `commitEmitted` gives the same answer, so a crash in between loses nothing.
    /// Within one call, a repeated key is judged against its earlier occurrence.
    func classify(_ items: [ItemFingerprint]) async throws -> [ItemDisposition]

    /// One transaction: marks every item of every part emitted at its revision and
    /// registers each part as pending. Idempotent: replaying the same commit changes
    /// nothing, and a part already published stays published.
    @discardableResult
    func commitEmitted(_ parts: [PartCommit], runID: String) async throws -> CommitReceipt

    /// Parts committed but not yet confirmed renamed into place, oldest first. A backend
    /// shared by several workers returns only this worker's parts (its id is in their names).
    func pendingParts() async throws -> [PendingPart]

    /// Confirms that these parts are visible under their final names. Unknown names are ignored.
    func markPublished(parts: [String]) async throws

    /// Takes back the emission marks of a pending part whose file was lost before it was
    /// renamed, so its items count as not emitted. Returns how many marks were removed.
    /// A published part is never abandoned (its records are visible): returns 0.
    @discardableResult
    func abandonPart(_ part: String) async throws -> Int

    /// Ends a fetch attempt: validators, health, next due time. Ends the feed's claim.
    func recordFetch(feedID: String, result: FetchRecord) async throws

    /// Several fetch results in one transaction: a pipeline finishing thousands of 304s
    /// records them in batches rather than paying a commit per feed.
    func recordFetches(_ results: [FeedFetchResult]) async throws

    /// Hands back claimed feeds that will not be fetched after all (shutdown while they
    /// waited), so another worker may take them at once rather than at lease expiry.
    func releaseClaims(_ feedIDs: [String]) async throws

    func recordRun(_ summary: RunRecord) async throws

    /// Most recent first.
    func recentRuns(limit: Int) async throws -> [RunRecord]

    /// What `ingest state status` shows.
    func status(now: Date) async throws -> StateStatus

    /// Feeds whose last attempts failed, longest-failing first, for status and alerts.
    func failingFeeds(limit: Int) async throws -> [FeedState]

    /// Whether a fetch started now under this worker's claims would end before any of them
    /// could expire. A worker that was stopped (SIGSTOP, a VM pause, a long GC-like stall)
    /// past its leases must not go on fetching feeds another worker may already have taken
    /// over: that would fetch them twice in one interval. Asked before every fetch starts,
    /// so it must be cheap and synchronous: no round trip. Backends without leases
    /// (SQLite: one machine, claims die with the process) are always fresh.
    var leasesAreFresh: Bool { get }

    /// Asked when `leasesAreFresh` said no: renews this worker's claims if none was taken
    /// by another worker meanwhile (waiting out a brief database outage), and says whether
    /// fetching may go on. `false` is final until the next claim.
    func confirmLeases() async -> Bool
}

extension StateStore {
    public var leasesAreFresh: Bool { true }
    public func confirmLeases() async -> Bool { true }

    public func feedStates(_ feedIDs: [String]) async throws -> [String: FeedState] {
        var states: [String: FeedState] = [:]
        for id in feedIDs {
            if let state = try await feedState(feedID: id) { states[id] = state }
        }
        return states
    }

    public func recordFetches(_ results: [FeedFetchResult]) async throws {
        for entry in results { try await recordFetch(feedID: entry.feedID, result: entry.result) }
    }
}

public struct FeedFetchResult: Sendable, Hashable {
    public var feedID: String
    public var result: FetchRecord
    public init(feedID: String, result: FetchRecord) {
        self.feedID = feedID
        self.result = result
    }
}

/// Items are keyed per feed: a guid is only unique within the feed that published it,
/// and two feeds carrying the same story each owe their readers the record.
public struct ItemKey: Sendable, Hashable, Codable, CustomStringConvertible {
    public var feedID: String
    public var itemID: String
    public init(feedID: String, itemID: String) {
        self.feedID = feedID
        self.itemID = itemID
    }
    public var description: String { "\(feedID) / \(itemID)" }
}

/// What the store needs to know about an item to tell new, changed and unchanged apart.
public struct ItemFingerprint: Sendable, Hashable {
    public var key: ItemKey
    /// Hash of the fields whose change makes a new revision (`FeedItem.contentHash`).
    public var contentHash: String
    public init(feedID: String, itemID: String, contentHash: String) {
        self.key = ItemKey(feedID: feedID, itemID: itemID)
        self.contentHash = contentHash
    }
}

public enum ItemDisposition: Sendable, Hashable {
    /// Never emitted: emit as revision 1.
    case new
    /// Emitted before with other content: emit again as this revision.
    case changed(revision: Int)
    /// Emitted before with this content at this revision: never emit again.
    case unchanged(revision: Int)

    /// The revision to emit, or `nil` when the item must not be emitted.
    public var revisionToEmit: Int? {
        switch self {
        case .new: 1
        case .changed(let revision): revision
        case .unchanged: nil
        }
    }
}

/// One item written to a part file at a revision.
public struct EmittedItem: Sendable, Hashable {
    public var key: ItemKey
    public var contentHash: String
    public var revision: Int
    public init(feedID: String, itemID: String, contentHash: String, revision: Int) {
        self.key = ItemKey(feedID: feedID, itemID: itemID)
        self.contentHash = contentHash
        self.revision = revision
    }
}

/// A durable (fsynced, not yet renamed) part file and the items it holds.
public struct PartCommit: Sendable, Hashable {
    /// The part's final name, relative to the pipeline's output directory
    /// (e.g. `date=2025-11-07/part-<run>.jsonl`).
    public var name: String
    public var items: [EmittedItem]
    public init(name: String, items: [EmittedItem]) {
        self.name = name
        self.items = items
    }
}

public struct CommitReceipt: Sendable, Hashable {
    /// Item revisions newly marked emitted by this commit.
    public var recorded: Int
    /// Item revisions that another part had already emitted: the caller wrote a duplicate
    /// record (a pipeline bug or a race between workers), reported rather than hidden.
    public var duplicates: [ItemKey]
    public init(recorded: Int, duplicates: [ItemKey]) {
        self.recorded = recorded
        self.duplicates = duplicates
    }
}

public struct PendingPart: Sendable, Hashable {
    public var name: String
    public var runID: String
    public var itemCount: Int
    public var committedAt: Date
    public init(name: String, runID: String, itemCount: Int, committedAt: Date) {
        self.name = name
        self.runID = runID
        self.itemCount = itemCount
        self.committedAt = committedAt
    }
}

/// What the store knows about a feed.
public struct FeedState: Sendable, Hashable {
    public var feedID: String
    public var etag: String?
    public var lastModified: String?
    public var lastAttemptAt: Date?
    public var lastSuccessAt: Date?
    public var lastErrorAt: Date?
    /// Kept after a later success: `consecutiveFailures == 0` says the feed is healthy again.
    public var lastError: String?
    public var lastHTTPStatus: Int?
    public var consecutiveFailures: Int
    public var nextDueAt: Date?
    /// The interval in force when the feed was last scheduled (configured or from its hints).
    public var intervalSeconds: Int?

    public init(
        feedID: String, etag: String? = nil, lastModified: String? = nil, lastAttemptAt: Date? = nil,
        lastSuccessAt: Date? = nil, lastErrorAt: Date? = nil, lastError: String? = nil,
        lastHTTPStatus: Int? = nil, consecutiveFailures: Int = 0, nextDueAt: Date? = nil,
        intervalSeconds: Int? = nil
    ) {
        self.feedID = feedID
        self.etag = etag
        self.lastModified = lastModified
        self.lastAttemptAt = lastAttemptAt
        self.lastSuccessAt = lastSuccessAt
        self.lastErrorAt = lastErrorAt
        self.lastError = lastError
        self.lastHTTPStatus = lastHTTPStatus
        self.consecutiveFailures = consecutiveFailures
        self.nextDueAt = nextDueAt
        self.intervalSeconds = intervalSeconds
    }

    /// Headers for a conditional GET, so an unchanged feed costs a 304 and no parsing.
    public var conditionalRequestHeaders: [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        if let etag { headers.append((name: "If-None-Match", value: etag)) }
        if let lastModified { headers.append((name: "If-Modified-Since", value: lastModified)) }
        return headers
    }
}

/// The end of one fetch attempt, as `recordFetch` stores it.
public struct FetchRecord: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        /// A body was fetched (and parsed): the validators it came with replace the old ones,
        /// absent ones included, so a server that stopped sending an ETag is not sent a stale one.
        case fetched
        /// 304: the old validators stay unless the answer carried fresh ones.
        case notModified
        /// Nothing usable: the validators stay, the failure count grows.
        case failed(message: String)
    }

    public var outcome: Outcome
    public var at: Date
    public var httpStatus: Int?
    public var etag: String?
    public var lastModified: String?
    /// When to come back, from `SchedulePolicy`.
    public var nextDueAt: Date
    public var intervalSeconds: Int?

    public init(
        outcome: Outcome, at: Date, httpStatus: Int? = nil, etag: String? = nil, lastModified: String? = nil,
        nextDueAt: Date, intervalSeconds: Int? = nil
    ) {
        self.outcome = outcome
        self.at = at
        self.httpStatus = httpStatus
        self.etag = etag
        self.lastModified = lastModified
        self.nextDueAt = nextDueAt
        self.intervalSeconds = intervalSeconds
    }

    public var isFailure: Bool {
        if case .failed = outcome { return true }
        return false
    }
}

/// One run's totals; the full per-feed summary travels as JSON text so the store need
/// not follow every change of the summary's shape.
public struct RunRecord: Sendable, Hashable {
    public var runID: String
    public var pipeline: String
    public var startedAt: Date
    public var finishedAt: Date?
    /// e.g. `completed`, `interrupted`, `failed`.
    public var status: String
    public var feedsTotal: Int
    public var feedsFailed: Int
    public var itemsNew: Int
    public var itemsChanged: Int
    public var itemsUnchanged: Int
    public var summaryJSON: String?

    public init(
        runID: String, pipeline: String, startedAt: Date, finishedAt: Date? = nil, status: String,
        feedsTotal: Int = 0, feedsFailed: Int = 0, itemsNew: Int = 0, itemsChanged: Int = 0,
        itemsUnchanged: Int = 0, summaryJSON: String? = nil
    ) {
        self.runID = runID
        self.pipeline = pipeline
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.status = status
        self.feedsTotal = feedsTotal
        self.feedsFailed = feedsFailed
        self.itemsNew = itemsNew
        self.itemsChanged = itemsChanged
        self.itemsUnchanged = itemsUnchanged
        self.summaryJSON = summaryJSON
    }
}

public struct StateStatus: Sendable, Hashable {
    /// Where the state lives, for humans (a file path, a database URL without password).
    public var location: String
    public var schemaVersion: Int
    public var feeds: Int
    public var failingFeeds: Int
    public var dueFeeds: Int
    public var items: Int
    public var pendingParts: Int
    public var lastRun: RunRecord?

    public init(
        location: String, schemaVersion: Int, feeds: Int, failingFeeds: Int, dueFeeds: Int, items: Int,
        pendingParts: Int, lastRun: RunRecord?
    ) {
        self.location = location
        self.schemaVersion = schemaVersion
        self.feeds = feeds
        self.failingFeeds = failingFeeds
        self.dueFeeds = dueFeeds
        self.items = items
        self.pendingParts = pendingParts
        self.lastRun = lastRun
    }
}

/// Failures of any backend, in terms a user can act on.
public struct StateStoreError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// Another process holds the database longer than the busy timeout.
        case busy
        case corrupt
        case diskFull
        case readOnly
        case cannotOpen
        /// Written by a newer `ingest`; opening it would risk damaging it.
        case schemaTooNew(found: Int, supported: Int)
        case constraint
        case invalidArgument
        /// A shared backend refused a commit for these feeds: this worker outlived its lease
        /// on them and another worker has claimed them since (its items are that worker's now).
        case leaseLost(feeds: [String])
        case other
    }

    public var kind: Kind
    public var location: String
    public var message: String

    public init(kind: Kind, location: String, message: String) {
        self.kind = kind
        self.location = location
        self.message = message
    }

    public var description: String { "state \(location): \(message)" }
}
