import Foundation
import IngestCore

/// What a response says about when to come back, for schedulers (issue 4) that decide a
/// feed's next due time and back off failing feeds the same way the fetcher retries.
public enum FetchHints {
    /// `Cache-Control: max-age=N` (or `s-maxage`) in seconds; nil when absent, and 0 for
    /// `no-cache`/`no-store`, which ask for revalidation every time.
    public static func maxAgeSeconds(_ headers: HTTPHeaders) -> Int? {
        guard let value = headers["Cache-Control"]?.lowercased() else { return nil }
        var maxAge: Int?
        for directive in value.split(separator: ",") {
            let parts = directive.split(separator: "=", maxSplits: 1).map {
                $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
            guard let name = parts.first else { continue }
            switch name {
            case "no-cache", "no-store":
                return 0
            case "s-maxage", "max-age":
                if parts.count == 2, let seconds = Int(parts[1]), seconds >= 0 {
                    // s-maxage is for shared caches; max-age is what applies to a client.
                    if name == "max-age" || maxAge == nil { maxAge = seconds }
                }
            default:
                continue
            }
        }
        return maxAge
    }

    /// `Retry-After` as seconds from `now` (delta-seconds or an HTTP date).
    public static func retryAfterSeconds(_ headers: HTTPHeaders, now: Date = Date()) -> Int? {
        headers["Retry-After"].flatMap { RetryPolicy.parseRetryAfter($0, now: now) }
    }

    /// The wait before attempt `attempt + 1` (0-based), as the fetcher itself computes it:
    /// `base × 2^attempt` with jitter, raised to `Retry-After`, capped at `maximum`.
    public static func backoff(
        attempt: Int, base: Duration, maximum: Duration, retryAfterSeconds: Int? = nil
    ) -> Duration {
        var configuration = FetchConfiguration()
        configuration.retryBaseDelay = base
        configuration.maxRetryDelay = maximum
        return RetryPolicy.delay(attempt: attempt, retryAfterSeconds: retryAfterSeconds, configuration: configuration)
    }
}
