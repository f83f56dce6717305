import Foundation

/// What Parse knows about a document before its items go downstream; later stages
/// need it to read items in context (zone, language, source, document URL).
public struct FeedContext: Sendable {
    public var source: FeedSource
    public var info: FeedInfo
    public var requestedURL: String
    public var finalURL: String
    public var httpStatus: Int?
    public var fetchedAt: Date
    public var headers: HTTPHeaders
    /// The feed's own record (`ingest.feed/1`), known once the document is parsed, so
    /// the sink can write it before the feed's items.
    public var record: FeedRecord?

    public init(
        source: FeedSource, info: FeedInfo, requestedURL: String, finalURL: String, httpStatus: Int?,
        fetchedAt: Date, headers: HTTPHeaders = HTTPHeaders(), record: FeedRecord? = nil
    ) {
        self.source = source
        self.info = info
        self.requestedURL = requestedURL
        self.finalURL = finalURL
        self.httpStatus = httpStatus
        self.fetchedAt = fetchedAt
        self.headers = headers
        self.record = record
    }
}

/// How one source ended, for the run summary and the state store.
public struct FeedOutcome: Sendable {
    public enum Status: String, Sendable, Codable {
        case ok
        case notModified = "not-modified"
        case failed
        /// Skipped because it was not due (scheduled runs).
        case skipped
    }

    public var source: FeedSource
    public var status: Status
    public var record: FeedRecord
    public var failure: SourceFailure?
    public var bytes: Int
    public var elapsed: Duration
    public var headers: HTTPHeaders
    public var fetchedAt: Date
    /// What the document said about itself (ttl, sy:update* for scheduling); `nil` when
    /// nothing was parsed.
    public var info: FeedInfo?

    public init(
        source: FeedSource, status: Status, record: FeedRecord, failure: SourceFailure? = nil,
        bytes: Int = 0, elapsed: Duration = .zero, headers: HTTPHeaders = HTTPHeaders(), fetchedAt: Date = Date(),
        info: FeedInfo? = nil
    ) {
        self.source = source
        self.status = status
        self.record = record
        self.failure = failure
        self.bytes = bytes
        self.elapsed = elapsed
        self.headers = headers
        self.fetchedAt = fetchedAt
        self.info = info
    }
}

/// The unit on every edge after Fetch. A feed's events arrive in order —
/// `begin`, its items, `end` — so the sink can put the feed record before the items
/// and acknowledge the feed only once all of them are durable.
public enum FeedEvent<Item: Sendable>: Sendable {
    case begin(FeedContext)
    case item(Item, feedID: String)
    case end(FeedOutcome)
}

extension FeedEvent {
    /// Transforms the item case and passes the feed framing through unchanged.
    public func mapItem<T: Sendable>(_ transform: (Item) throws -> T) rethrows -> FeedEvent<T> {
        switch self {
        case .begin(let c): return .begin(c)
        case .item(let i, let f): return .item(try transform(i), feedID: f)
        case .end(let o): return .end(o)
        }
    }
}

/// An item as it travels from Normalize onwards: the record plus its context.
public struct ContextualItem<Payload: Sendable>: Sendable {
    public var payload: Payload
    public var context: FeedContext
    public init(_ payload: Payload, context: FeedContext) {
        self.payload = payload
        self.context = context
    }
}
