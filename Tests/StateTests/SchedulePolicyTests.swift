import Foundation
import IngestCore
import Testing
@testable import State

@Suite("Schedule policy")
struct SchedulePolicyTests {
    let policy = SchedulePolicy()  // 5 min .. 24 h, default 1 h, backoff 5 min doubling to 24 h, jitter 25 %
    let now = Date(timeIntervalSince1970: 1_762_470_000)

    @Test("a configured interval wins over every hint")
    func configuredWins() {
        let hints = FeedHints(ttlMinutes: 600, cacheMaxAgeSeconds: 60)
        #expect(policy.interval(configured: 900, hints: hints) == 900)
        // The operator's choice is kept even outside the bounds for hints.
        #expect(policy.interval(configured: 60, hints: hints) == 60)
    }

    @Test("without config the longest hint wins, clamped to 5 min .. 24 h")
    func hintsClamped() {
        #expect(policy.interval(configured: nil, hints: FeedHints()) == 3600)
        #expect(policy.interval(configured: nil, hints: FeedHints(ttlMinutes: 30)) == 1800)
        #expect(policy.interval(configured: nil, hints: FeedHints(ttlMinutes: 30, cacheMaxAgeSeconds: 7200)) == 7200)
        #expect(policy.interval(configured: nil, hints: FeedHints(syndicationPeriodSeconds: 3 * 3600)) == 3 * 3600)
        #expect(policy.interval(configured: nil, hints: FeedHints(ttlMinutes: 1)) == 300)
        #expect(policy.interval(configured: nil, hints: FeedHints(cacheMaxAgeSeconds: 0)) == 3600)
        #expect(policy.interval(configured: nil, hints: FeedHints(syndicationPeriodSeconds: 365 * 86_400)) == 86_400)
        #expect(policy.interval(configured: nil, hints: FeedHints(retryAfterSeconds: 5400)) == 5400)
    }

    @Test("hint parsing: Cache-Control, Retry-After (seconds and dates), sy:updatePeriod")
    func hintParsing() {
        #expect(FeedHints.maxAge(cacheControl: "public, max-age=600") == 600)
        #expect(FeedHints.maxAge(cacheControl: "Max-Age=\"120\", must-revalidate") == 120)
        #expect(FeedHints.maxAge(cacheControl: "no-cache, max-age=600") == nil)
        #expect(FeedHints.maxAge(cacheControl: "private") == nil)
        #expect(FeedHints.maxAge(cacheControl: "max-age=soon") == nil)

        #expect(FeedHints.retryAfter("120", now: now) == 120)
        #expect(FeedHints.retryAfter(" 0 ", now: now) == 0)
        #expect(FeedHints.retryAfter("-5", now: now) == nil)
        // now is 2025-11-06T23:00:00Z; 23:50 is 3000 s later.
        #expect(FeedHints.retryAfter("Thu, 06 Nov 2025 23:50:00 GMT", now: now) == 3000)
        #expect(FeedHints.retryAfter("Thursday, 06-Nov-25 23:50:00 GMT", now: now) == 3000)
        #expect(FeedHints.retryAfter("Thu Nov  6 23:50:00 2025", now: now) == 3000)
        #expect(FeedHints.retryAfter("Thu, 06 Nov 2025 20:00:00 GMT", now: now) == 0)
        #expect(FeedHints.retryAfter("whenever", now: now) == nil)

        #expect(FeedHints.syndicationPeriod(updatePeriod: "hourly") == 3600)
        #expect(FeedHints.syndicationPeriod(updatePeriod: " Daily ", updateFrequency: 4) == 21_600)
        #expect(FeedHints.syndicationPeriod(updatePeriod: "weekly", updateFrequency: 0) == nil)
        #expect(FeedHints.syndicationPeriod(updatePeriod: "fortnightly") == nil)

        let headers = HTTPHeaders([
            .init(name: "cache-control", value: "max-age=900"), .init(name: "Retry-After", value: "60"),
        ])
        #expect(FeedHints(headers: headers, receivedAt: now) == FeedHints(cacheMaxAgeSeconds: 900, retryAfterSeconds: 60))
    }

    @Test("backoff doubles per failure up to the cap and jitter stays within bounds")
    func backoffBounds() {
        #expect(policy.backoffCeiling(consecutiveFailures: 1) == 300)
        #expect(policy.backoffCeiling(consecutiveFailures: 2) == 600)
        #expect(policy.backoffCeiling(consecutiveFailures: 5) == 4800)
        #expect(policy.backoffCeiling(consecutiveFailures: 9) == 76_800)
        #expect(policy.backoffCeiling(consecutiveFailures: 10) == 86_400)
        #expect(policy.backoffCeiling(consecutiveFailures: 10_000) == 86_400)

        var rng = SystemRandomNumberGenerator()
        for failures in 1...14 {
            let ceiling = policy.backoffCeiling(consecutiveFailures: failures)
            var seen: Set<Double> = []
            for _ in 0..<200 {
                let delay = policy.backoff(consecutiveFailures: failures, using: &rng)
                #expect(delay <= ceiling && delay >= ceiling * 0.75, "failures \(failures): \(delay)")
                seen.insert(delay)
            }
            // Jitter actually spreads retries.
            #expect(seen.count > 100)
        }
        // Same seed, same schedule: reproducible runs for debugging.
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42)
        #expect(policy.backoff(consecutiveFailures: 3, using: &a) == policy.backoff(consecutiveFailures: 3, using: &b))
        // No jitter configured: exact ceiling.
        var c = SeededGenerator(seed: 1)
        #expect(SchedulePolicy(jitter: 0).backoff(consecutiveFailures: 3, using: &c) == 1200)
    }

    @Test("429 and 503 honour Retry-After, capped; other failures back off; success uses the interval")
    func decisions() {
        var rng = SeededGenerator(seed: 7)
        let hints = FeedHints(ttlMinutes: 120, retryAfterSeconds: 900)

        let ok = policy.decide(now: now, succeeded: true, httpStatus: 200, consecutiveFailures: 0,
                               configuredInterval: nil, hints: FeedHints(ttlMinutes: 120), using: &rng)
        #expect(ok.nextDueAt == now + 7200 && ok.reason == .interval && ok.intervalSeconds == 7200)

        for status in [429, 503] {
            let d = policy.decide(now: now, succeeded: false, httpStatus: status, consecutiveFailures: 1,
                                  configuredInterval: 600, hints: hints, using: &rng)
            #expect(d.nextDueAt == now + 900 && d.reason == .retryAfter && d.intervalSeconds == 600)
        }
        let hostile = policy.decide(now: now, succeeded: false, httpStatus: 429, consecutiveFailures: 1,
                                    configuredInterval: nil, hints: FeedHints(retryAfterSeconds: 365 * 86_400), using: &rng)
        #expect(hostile.nextDueAt == now + 86_400)

        // A 500 with Retry-After is an ordinary failure: backoff for the 3rd failure in a row.
        let failed = policy.decide(now: now, succeeded: false, httpStatus: 500, consecutiveFailures: 3,
                                   configuredInterval: nil, hints: hints, using: &rng)
        #expect(failed.reason == .backoff)
        let delay = failed.nextDueAt.timeIntervalSince(now)
        #expect(delay <= 1200 && delay >= 900)

        // 429 without Retry-After backs off too.
        let bare = policy.decide(now: now, succeeded: false, httpStatus: 429, consecutiveFailures: 1,
                                 configuredInterval: nil, hints: FeedHints(), using: &rng)
        #expect(bare.reason == .backoff && bare.nextDueAt.timeIntervalSince(now) <= 300)
    }

    @Test("a decision stored through recordFetch makes the feed due exactly then")
    func decisionDrivesDueFeeds() async throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStateStore(path: dir.file("s.sqlite"))
        var rng = SeededGenerator(seed: 3)
        let d = policy.decide(now: now, succeeded: false, httpStatus: 503, consecutiveFailures: 1,
                              configuredInterval: nil, hints: FeedHints(retryAfterSeconds: 1200), using: &rng)
        try await store.recordFetch(
            feedID: "f",
            result: FetchRecord(outcome: .failed(message: "HTTP 503"), at: now, httpStatus: 503,
                                nextDueAt: d.nextDueAt, intervalSeconds: d.intervalSeconds))
        #expect(try await store.claimDueFeeds(["f"], now: now + 1199).isEmpty)
        #expect(try await store.claimDueFeeds(["f"], now: now + 1200) == ["f"])
    }
}
