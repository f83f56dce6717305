import Foundation
import IngestCore
import Logging
import Metrics
import ServiceLifecycle
import State
import StatePostgres
import Synchronization

/// `ingest serve`: runs a pipeline's due feeds again and again until told to stop.
///
/// Graceful shutdown (SIGTERM/SIGINT) is kept apart from cancellation: it stops new
/// fetches, lets what is in flight reach disk and the state, and then returns. Only if
/// that takes longer than the service group's limit does cancellation cut it short, and
/// then the next start rolls the half-done batch back or forward.
public final class PipelineService: Service, Sendable {
    public let job: ScheduledJob
    /// Longest sleep between checks for due feeds.
    public let idleCheck: Duration
    let metrics: IngestMetrics
    let health: HealthState

    public init(job: ScheduledJob, idleCheck: Duration = .seconds(30), metrics: IngestMetrics, health: HealthState) {
        self.job = job
        self.idleCheck = idleCheck
        self.metrics = metrics
        self.health = health
    }

    public func run() async throws {
        let stopping = Atomic<Bool>(false)
        try await withGracefulShutdownHandler {
            while !stopping.load(ordering: .acquiring) {
                let summary = try await job.runOnce(admitsMoreFetches: { !stopping.load(ordering: .acquiring) })
                metrics.record(summary)
                health.update(summary)
                if summary.totals.feeds - summary.totals.skipped > 0 {
                    summary.writeReport(to: .standardError)
                }
                if stopping.load(ordering: .acquiring) { break }
                let wait = try await timeUntilNextDue()
                // Sleeping is the one thing a shutdown may simply cut short.
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: wait) }
            }
        } onGracefulShutdown: {
            stopping.store(true, ordering: .releasing)
        }
        Diagnostics.info("\(job.settings.name): stopped; in-flight work committed")
    }

    private func timeUntilNextDue() async throws -> Duration {
        let now = Date()
        var earliest = now.addingTimeInterval(Double(idleCheck.components.seconds))
        // Shared state: one query, and feeds other workers hold wait for their lease.
        if let shared = job.store as? PostgresStateStore {
            let ids = job.feeds.enabledIDs
            if let next = try await shared.earliestClaimable(ids, now: now), next < earliest { earliest = next }
            return .milliseconds(Int64(max(0.2, earliest.timeIntervalSince(now)) * 1000))
        }
        for id in job.feeds.enabledIDs {
            guard let state = try await job.store.feedState(feedID: id) else { return .zero }
            if let due = state.nextDueAt, due < earliest { earliest = due }
        }
        let seconds = max(0.2, earliest.timeIntervalSince(now))
        return .milliseconds(Int64(seconds * 1000))
    }
}

/// The last run, for `/health`.
public final class HealthState: Sendable {
    private let last = Mutex<(at: Date, failed: Int, feeds: Int)?>(nil)
    public init() {}
    func update(_ s: RunSummary) {
        let t = s.totals
        last.withLock { $0 = (s.finishedAt, t.failed, t.feeds) }
    }
    public var json: String {
        guard let l = last.withLock({ $0 }) else { return #"{"status":"starting"}"# }
        return #"{"status":"ok","last_run":"\#(RFC3339.utc(l.at))","feeds":\#(l.feeds),"failed":\#(l.failed)}"#
    }
}

/// Counters exported through swift-metrics; the Prometheus registry behind them is
/// served on `/metrics`.
public struct IngestMetrics: Sendable {
    public init() {}

    func record(_ summary: RunSummary) {
        summary.reports.forEach { f in
            Counter(label: "ingest_feeds_total", dimensions: [("status", f.status.rawValue)]).increment()
            if f.emitted > 0 { Counter(label: "ingest_records_emitted_total").increment(by: f.emitted) }
            if f.bytes > 0 { Counter(label: "ingest_fetched_bytes_total").increment(by: f.bytes) }
            if !f.warnings.isEmpty { Counter(label: "ingest_warnings_total").increment(by: f.warnings.count) }
        }
        let t = summary.totals
        Counter(label: "ingest_items_total", dimensions: [("disposition", "new")]).increment(by: t.new)
        Counter(label: "ingest_items_total", dimensions: [("disposition", "changed")]).increment(by: t.changed)
        Counter(label: "ingest_items_total", dimensions: [("disposition", "unchanged")]).increment(by: t.unchanged)
        Counter(label: "ingest_runs_total").increment()
        Timer(label: "ingest_run_duration_seconds").recordSeconds(summary.finishedAt.timeIntervalSince(summary.startedAt))
    }
}
