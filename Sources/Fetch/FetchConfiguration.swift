import IngestCore

/// Politeness, safety and retry limits for one `Fetcher`.
///
/// The defaults suit an ad-hoc run over a few hundred public feeds: enough parallelism to
/// hide latency, a per-host limit that no publisher would call abusive, and caps that stop
/// a hostile or broken server from holding a slot or memory forever.
public struct FetchConfiguration: Sendable {
    /// Transfers in flight at once across all hosts; the rest wait in a queue.
    public var maxConcurrent: Int = 16
    /// Transfers in flight at once to one host (scheme, name and port).
    public var maxPerHost: Int = 4
    public var connectTimeout: Duration = .seconds(10)
    /// Per attempt, redirects included.
    public var totalTimeout: Duration = .seconds(60)
    /// A transfer slower than this for `lowSpeedTime` is aborted as a timeout; 0 disables it.
    public var lowSpeedBytesPerSecond: Int = 64
    /// Rounded up to whole seconds (libcurl's resolution).
    public var lowSpeedTime: Duration = .seconds(20)
    public var maxRedirects: Int = 5
    /// Cap on the decoded body: counted after decompression, so a gzip bomb is caught too.
    public var maxBytes: Int = 20 * 1024 * 1024
    public var userAgent: String = IngestVersion.userAgent
    /// Extra attempts after a timeout, a connection error, a 5xx, 408 or 429.
    public var retries: Int = 2
    /// First retry waits about this long (with jitter); each further retry doubles it.
    public var retryBaseDelay: Duration = .milliseconds(500)
    /// Upper bound for any wait between attempts, `Retry-After` included.
    public var maxRetryDelay: Duration = .seconds(30)

    public init() {}
}

/// One source to fetch, with the validators of its previous fetch for a conditional GET.
public struct FetchRequest: Sendable {
    public var source: FeedSource
    /// Sent as `If-None-Match`.
    public var etag: String?
    /// Sent as `If-Modified-Since`, verbatim as the server gave it.
    public var lastModified: String?
    /// Asked when the fetch's turn comes (it may wait in the fetcher's queue behind the
    /// concurrency limits); `false` drops it unsent with kind `.notStarted`. This is how a
    /// run that has begun shutting down keeps queued fetches from starting.
    public var startsOnlyIf: (@Sendable () -> Bool)?

    public init(
        source: FeedSource, etag: String? = nil, lastModified: String? = nil,
        startsOnlyIf: (@Sendable () -> Bool)? = nil
    ) {
        self.source = source
        self.etag = etag
        self.lastModified = lastModified
        self.startsOnlyIf = startsOnlyIf
    }
}

/// Counters since the fetcher started, in a shape that maps onto Prometheus counters.
public struct FetchStatistics: Sendable, Hashable {
    /// Every HTTP attempt started, retries included.
    public var attempts: Int = 0
    public var retries: Int = 0
    public var succeeded: Int = 0
    public var notModified: Int = 0
    public var failed: Int = 0
    /// Decoded body bytes of successful fetches (HTTP and files).
    public var bodyBytes: Int = 0

    public init() {}
}

/// libcurl could not be set up at all; nothing can be fetched.
public struct FetchSetupError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

extension Duration {
    /// Whole milliseconds, at least `minimum`.
    func milliseconds(minimum: Int64 = 0) -> Int64 {
        let parts = components
        return max(minimum, parts.seconds * 1000 + parts.attoseconds / 1_000_000_000_000_000)
    }

    /// Whole seconds, rounded up.
    func secondsRoundedUp() -> Int64 {
        let parts = components
        return parts.seconds + (parts.attoseconds > 0 ? 1 : 0)
    }

    var secondsDouble: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
