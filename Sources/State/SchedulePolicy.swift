import Foundation
import IngestCore

/// What a feed and its server say about how often to come back.
public struct FeedHints: Sendable, Hashable {
    /// RSS `<ttl>`, minutes.
    public var ttlMinutes: Int?
    /// `sy:updatePeriod` / `sy:updateFrequency`, as seconds between updates.
    public var syndicationPeriodSeconds: Int?
    /// `Cache-Control: max-age`.
    public var cacheMaxAgeSeconds: Int?
    /// `Retry-After`, as a delay from the response.
    public var retryAfterSeconds: Int?

    public init(
        ttlMinutes: Int? = nil, syndicationPeriodSeconds: Int? = nil, cacheMaxAgeSeconds: Int? = nil,
        retryAfterSeconds: Int? = nil
    ) {
        self.ttlMinutes = ttlMinutes
        self.syndicationPeriodSeconds = syndicationPeriodSeconds
        self.cacheMaxAgeSeconds = cacheMaxAgeSeconds
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// The HTTP half of the hints; the feed's own (`ttl`, `sy:*`) come from Parse.
    public init(headers: HTTPHeaders, receivedAt: Date) {
        self.init(
            cacheMaxAgeSeconds: headers["Cache-Control"].flatMap(FeedHints.maxAge(cacheControl:)),
            retryAfterSeconds: headers["Retry-After"].flatMap { FeedHints.retryAfter($0, now: receivedAt) })
    }

    /// `max-age` of a Cache-Control value; `nil` when absent or when the server forbids
    /// reuse (`no-store`, `no-cache`), which says nothing about how often it changes.
    public static func maxAge(cacheControl: String) -> Int? {
        var maxAge: Int?
        for directive in cacheControl.split(separator: ",") {
            let parts = directive.split(separator: "=", maxSplits: 1).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            let name = parts[0].lowercased()
            if name == "no-store" || name == "no-cache" { return nil }
            if name == "max-age", parts.count == 2 {
                let value = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                if let seconds = Int(value), seconds >= 0 { maxAge = seconds }
            }
        }
        return maxAge
    }

    /// `Retry-After` as seconds from `now`: either delay-seconds or an HTTP date
    /// (IMF-fixdate, or the obsolete RFC 850 and asctime forms). A date in the past is 0.
    public static func retryAfter(_ value: String, now: Date) -> Int? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(text) { return seconds >= 0 ? seconds : nil }
        let formats = ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"]
        for format in formats {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) {
                return max(0, Int(date.timeIntervalSince(now).rounded(.up)))
            }
        }
        return nil
    }

    /// Seconds between updates for `sy:updatePeriod` (hourly, daily, weekly, monthly,
    /// yearly) and `sy:updateFrequency` (times per period, default 1).
    public static func syndicationPeriod(updatePeriod: String, updateFrequency: Int? = nil) -> Int? {
        let period: Int
        switch updatePeriod.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() {
        case "hourly": period = 3600
        case "daily": period = 86_400
        case "weekly": period = 7 * 86_400
        case "monthly": period = 30 * 86_400
        case "yearly": period = 365 * 86_400
        default: return nil
        }
        let frequency = updateFrequency ?? 1
        guard frequency > 0 else { return nil }
        return period / frequency
    }
}

/// When to fetch a feed next. Pure: the clock and the randomness come in as arguments.
public struct SchedulePolicy: Sendable, Hashable {
    /// Bounds for intervals taken from hints: a feed saying `ttl 1` must not be polled every
    /// minute, and one saying `yearly` must still be looked at daily.
    public var minimumInterval: TimeInterval
    public var maximumInterval: TimeInterval
    /// When neither config nor feed says anything.
    public var defaultInterval: TimeInterval
    /// Delay after the first failure; doubles with each further one up to `maximumBackoff`.
    public var backoffBase: TimeInterval
    public var maximumBackoff: TimeInterval
    /// Fraction of each backoff delay taken off at random, so feeds that failed together
    /// (one host down) do not all come back in the same second.
    public var jitter: Double

    public init(
        minimumInterval: TimeInterval = 5 * 60, maximumInterval: TimeInterval = 24 * 3600,
        defaultInterval: TimeInterval = 3600, backoffBase: TimeInterval = 5 * 60,
        maximumBackoff: TimeInterval = 24 * 3600, jitter: Double = 0.25
    ) {
        self.minimumInterval = minimumInterval
        self.maximumInterval = max(minimumInterval, maximumInterval)
        self.defaultInterval = defaultInterval
        self.backoffBase = backoffBase
        self.maximumBackoff = maximumBackoff
        self.jitter = min(1, max(0, jitter))
    }

    /// The regular polling interval. A configured interval is the operator's decision and is
    /// kept as given; one derived from hints is clamped. Among several hints the longest
    /// wins: each is the publisher saying "not sooner than this", and CDNs often send a
    /// short max-age that says nothing about how often the feed changes.
    public func interval(configured: TimeInterval?, hints: FeedHints) -> TimeInterval {
        if let configured, configured > 0 { return configured }
        let stated: [TimeInterval] = [
            hints.ttlMinutes.map { TimeInterval($0) * 60 },
            hints.syndicationPeriodSeconds.map(TimeInterval.init),
            hints.cacheMaxAgeSeconds.map(TimeInterval.init),
            hints.retryAfterSeconds.map(TimeInterval.init),
        ].compactMap { $0 }.filter { $0 > 0 }
        guard let longest = stated.max() else { return clamp(defaultInterval) }
        return clamp(longest)
    }

    /// Exponential backoff with jitter after `consecutiveFailures` failures in a row (≥ 1):
    /// `min(maximumBackoff, backoffBase · 2^(n−1))`, less up to `jitter` of it at random.
    public func backoff<R: RandomNumberGenerator>(consecutiveFailures: Int, using rng: inout R) -> TimeInterval {
        let ceiling = backoffCeiling(consecutiveFailures: consecutiveFailures)
        let cut = jitter > 0 ? Double.random(in: 0..<jitter, using: &rng) : 0
        return ceiling * (1 - cut)
    }

    /// The backoff before jitter.
    public func backoffCeiling(consecutiveFailures: Int) -> TimeInterval {
        let exponent = min(max(consecutiveFailures, 1) - 1, 40)
        return min(maximumBackoff, backoffBase * pow(2, Double(exponent)))
    }

    public enum Reason: String, Sendable, Hashable {
        case interval, backoff, retryAfter
    }

    public struct Decision: Sendable, Hashable {
        public var nextDueAt: Date
        /// The regular interval, stored so `status` can show it even while backing off.
        public var intervalSeconds: Int
        public var reason: Reason
    }

    /// The next due time after an attempt.
    /// - Parameters:
    ///   - succeeded: a body or a 304 came back.
    ///   - httpStatus: of the final response, if any.
    ///   - consecutiveFailures: failures in a row *including* this attempt (0 after a success).
    public func decide<R: RandomNumberGenerator>(
        now: Date, succeeded: Bool, httpStatus: Int?, consecutiveFailures: Int,
        configuredInterval: TimeInterval?, hints: FeedHints, using rng: inout R
    ) -> Decision {
        let regular = interval(configured: configuredInterval, hints: hints)
        let intervalSeconds = Int(regular.rounded())
        if succeeded {
            return Decision(nextDueAt: now.addingTimeInterval(regular), intervalSeconds: intervalSeconds, reason: .interval)
        }
        // 429 and 503 say when to come back; honour it, but a hostile or mistaken
        // Retry-After of a year must not silence the feed for longer than the backoff cap.
        if httpStatus == 429 || httpStatus == 503, let retryAfter = hints.retryAfterSeconds {
            let delay = min(maximumBackoff, max(1, TimeInterval(retryAfter)))
            return Decision(nextDueAt: now.addingTimeInterval(delay), intervalSeconds: intervalSeconds, reason: .retryAfter)
        }
        let delay = backoff(consecutiveFailures: consecutiveFailures, using: &rng)
        return Decision(nextDueAt: now.addingTimeInterval(delay), intervalSeconds: intervalSeconds, reason: .backoff)
    }

    public func decide(
        now: Date, succeeded: Bool, httpStatus: Int?, consecutiveFailures: Int,
        configuredInterval: TimeInterval?, hints: FeedHints
    ) -> Decision {
        var rng = SystemRandomNumberGenerator()
        return decide(
            now: now, succeeded: succeeded, httpStatus: httpStatus, consecutiveFailures: consecutiveFailures,
            configuredInterval: configuredInterval, hints: hints, using: &rng)
    }

    private func clamp(_ value: TimeInterval) -> TimeInterval {
        min(maximumInterval, max(minimumInterval, value))
    }
}
