/// Why one source could not be read. It travels with the data to the run summary and
/// never stops the other feeds.
public struct SourceFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Stage: String, Sendable, Hashable, Codable {
        case fetch, parse, normalize, tag, emit, state
    }

    public enum Kind: String, Sendable, Hashable, Codable {
        /// DNS, connect, TLS, reset.
        case network
        case timeout
        /// A non-2xx/304 HTTP status.
        case httpStatus = "http-status"
        /// The body passed the size cap.
        case tooLarge = "too-large"
        /// Scheme refused (only http/https, redirects included) or a bad URL.
        case refused
        /// Local file missing or unreadable.
        case io
        /// The bytes are not a feed (HTML without a feed link, an image, empty).
        case notAFeed = "not-a-feed"
        /// The document could not be read at all.
        case malformed
        case other
        /// Never started: the run stopped taking new fetches first (graceful shutdown). Such
        /// a feed is not reported; it stays due for the next run.
        case notStarted = "not-started"
    }

    public var source: String
    public var stage: Stage
    public var kind: Kind
    public var reason: String
    public var httpStatus: Int?
    /// Whether a retry could plausibly succeed (timeouts, 5xx, 408, 429).
    public var retryable: Bool
    /// Server-requested delay (`Retry-After`) in seconds.
    public var retryAfterSeconds: Int?

    public init(
        source: String, stage: Stage, kind: Kind, reason: String, httpStatus: Int? = nil,
        retryable: Bool = false, retryAfterSeconds: Int? = nil
    ) {
        self.source = source
        self.stage = stage
        self.kind = kind
        self.reason = reason
        self.httpStatus = httpStatus
        self.retryable = retryable
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// `SOURCE: fetch: reason` — names the source and the reason, as users need.
    public var description: String { "\(source): \(stage.rawValue): \(reason)" }
}
