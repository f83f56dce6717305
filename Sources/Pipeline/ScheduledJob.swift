import Foundation
import IngestCore
import Fetch
import Emit
import State
import Normalize
import StatePostgres

/// A feed as a pipeline schedules it.
public struct ScheduledFeed: Sendable {
    public var source: FeedSource
    /// Configured polling interval; `nil` lets the feed's own hints decide.
    public var interval: TimeInterval?
    public var enabled: Bool
    public init(source: FeedSource, interval: TimeInterval? = nil, enabled: Bool = true) {
        self.source = source
        self.interval = interval
        self.enabled = enabled
    }
}

/// Everything a scheduled run needs, resolved from a pipeline file.
public struct ScheduledSettings: Sendable {
    public var name: String
    /// Every feed of the pipeline. A `ScheduledJob` moves them into its own list (`feeds`),
    /// which keeps most of a long list on disk; its `settings.feeds` is then empty.
    public var feeds: [ScheduledFeed]
    public var outputDirectory: URL
    public var sink: PartitionedFileSinkOptions = .init()
    public var feedRecords = true
    public var statePath: String
    public var fetch = FetchConfiguration()
    public var capacities = EdgeCapacities()
    public var taxonomyPath: String?
    public var sourcesPath: String?
    public var normalize = NormalizeOptions()
    public var schedule = SchedulePolicy()
    /// Fetch every enabled feed, due or not.
    public var ignoreSchedule = false
    /// Records gathered before one durable commit; smaller means less re-done work after a
    /// crash, larger means fewer fsyncs.
    public var commitEvery = 2_000
    /// Text (UTF-8 bytes, `TransactionalDelivery.textBytes`) gathered before one durable
    /// commit, whatever the count. One batch fills while the one before it commits, and an
    /// item in memory costs two to three times its text, so 2,000 items (2 MB of text in the
    /// real-feed corpus, tens of megabytes with full bodies) held 10 MB and more at once.
    /// Over the 3,474-feed corpus, 512 KB peaked 7–8 MB lower than the count alone, 2 MB and
    /// 1 MB between the two; the extra fsyncs did not show in wall time beside the disk's noise.
    public var commitBytes = 512 << 10
    /// Finished feeds' reports and feed records kept in memory; the rest wait in temporary
    /// files until the run's files are written. Also the most feeds the state's run record
    /// lists (`RunSummary.stateJSON`).
    public var feedsInMemory = FeedReportLog.defaultMemoryLimit
    /// Longest time finished feeds wait for their commit.
    public var commitInterval: Duration = .seconds(1)
    /// Fetch the article page of each new or changed item whose feed has no body.
    public var fullText = false
    /// Live progress line on standard error (only on a terminal).
    public var progress = false
    /// Shared PostgreSQL state (issue 7): the connection URL; `nil` = SQLite at `statePath`.
    public var stateURL: String?
    /// This worker's id when several share the state: in run ids, part names and leases.
    public var workerID: String?
    /// Most due feeds one run claims from shared state; `nil` = a fair share of the live workers'.
    public var claimBatch: Int?

    public init(name: String, feeds: [ScheduledFeed], outputDirectory: URL, statePath: String) {
        self.name = name
        self.feeds = feeds
        self.outputDirectory = outputDirectory
        self.statePath = statePath
    }

    /// The lock that keeps two runs of this pipeline apart; beside the state. Workers
    /// sharing PostgreSQL state coordinate through leases; each only locks its own id.
    public var lockPath: String {
        guard let workerID else { return statePath + ".lock" }
        let safe = String(workerID.unicodeScalars.map { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" || $0 == ".") ? Character($0) : "_" })
        return outputDirectory.appendingPathComponent(".worker-\(safe).lock").path
    }
}

/// One scheduled run of a pipeline (`ingest run`), and the unit `serve` repeats.
///
/// Exactly-once: records are written to temporary files and fsynced; then one state
/// transaction marks them emitted and registers the files as pending; then the files
/// are renamed into place and marked published. Feed validators are recorded only
/// after that, so a crash anywhere re-fetches rather than loses. The next run rolls
/// registered temporary files forward and deletes unregistered ones.
public final class ScheduledJob: Sendable {
    public let settings: ScheduledSettings
    /// `settings.feeds`, past the first `settings.feedsInMemory` in a temporary file.
    public let feeds: ScheduledFeedList
    public let store: any StateStore
    let stages: Stages

    public init(settings: ScheduledSettings, store: any StateStore, stages: Stages) {
        feeds = ScheduledFeedList(settings.feeds, memoryLimit: settings.feedsInMemory)
        var kept = settings
        kept.feeds = []
        self.settings = kept
        self.store = store
        self.stages = stages
    }

    /// Builds the stages and opens the state store named by `settings`.
    public static func open(_ settings: ScheduledSettings) throws -> ScheduledJob {
        let stages = try StageFactory.make(
            fetch: settings.fetch, taxonomyPath: settings.taxonomyPath, sourcesPath: settings.sourcesPath,
            normalize: settings.normalize)
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: settings.statePath).deletingLastPathComponent(), withIntermediateDirectories: true)
        let store = try SQLiteStateStore(path: settings.statePath)
        return ScheduledJob(settings: settings, store: store, stages: stages)
    }

    public func shutdown() { stages.fetcher.shutdown() }

    /// Waits for the normalizer and tagger, which build in the background: `serve` checks
    /// them before it starts, so a broken taxonomy stops a daemon at once rather than
    /// failing every run. (`run` lets its first fetches overlap with the build.)
    public func awaitTextStages() async throws { _ = try await stages.text() }

    // MARK: Shared PostgreSQL state (issue 7)

    /// Builds the stages and opens the state named by `settings`: SQLite at `statePath`,
    /// or the PostgreSQL database at `stateURL` as worker `workerID`.
    public static func connect(_ settings: ScheduledSettings) async throws -> ScheduledJob {
        guard let url = settings.stateURL else { return try open(settings) }
        let stages = try StageFactory.make(
            fetch: settings.fetch, taxonomyPath: settings.taxonomyPath, sourcesPath: settings.sourcesPath,
            normalize: settings.normalize)
        var options = PostgresWorkerOptions(workerID: settings.workerID ?? PostgresWorkerOptions.defaultWorkerID())
        // Heartbeats renew leases; the length only decides how soon a dead worker's feeds move.
        let timeout = Double(settings.fetch.totalTimeout.components.seconds)
        options.leaseDuration = .seconds(max(5, Int64(2 * timeout)))
        // A fetch (one attempt) ends within the timeout: one started this long before expiry ends in time.
        options.leaseMargin = min(settings.fetch.totalTimeout, options.leaseDuration / 2)
        options.perHostLimit = settings.fetch.maxPerHost
        options.claimBatch = settings.claimBatch
        options.maxConnections = 4
        var hosts: [String: String] = [:]
        for feed in settings.feeds {
            if let c = URLComponents(string: feed.source.location), let host = c.host?.lowercased(),
               c.scheme == "http" || c.scheme == "https"
            {
                hosts[feed.source.id] = c.port.map { "\(host):\($0)" } ?? host
            }
        }
        options.feedHosts = hosts
        let store = try await PostgresStateStore.open(url: url, options: options)
        var resolved = settings
        resolved.workerID = options.workerID
        return ScheduledJob(settings: resolved, store: store, stages: stages)
    }

    /// Ends this worker's part in shared state (hands back leases, deregisters); nothing for SQLite.
    public func closeState() async {
        if let shared = store as? PostgresStateStore { await shared.close() }
    }

    /// Run ids carry the worker id when workers share the output directory.
    func makeRunID(now: Date) -> String {
        guard let worker = settings.workerID else { return RunID.make(now: now) }
        return PartitionedFileSink.makeRunID(startedAt: now, worker: worker)
    }

    /// Only this worker's unregistered temporary files are its to delete.
    var ownTemporaryPrefix: String? {
        guard let worker = settings.workerID else { return nil }
        return String(PartitionedFileSink.makeRunID(worker: worker).prefix(worker.unicodeScalars.count + 1))
    }

    /// Brings output and state back in step after a crash: registered temporary files
    /// are renamed into place, unregistered ones deleted.
    public func recover(sink: PartitionedFileSink) async throws -> RecoveryReport {
        let pending = try await store.pendingParts().map(\.name)
        let report = try sink.recover(pending: pending, rollBackOnlyRunIDPrefix: ownTemporaryPrefix)
        let published = report.rolledForward + report.alreadyPublished
        if !published.isEmpty { try await store.markPublished(parts: published) }
        for name in report.missing { try await store.abandonPart(name) }
        return report
    }

    /// Runs every due feed once. The caller holds the pipeline's `RunLock`.
    public func runOnce(
        now: Date = Date(), admitsMoreFetches: @escaping @Sendable () -> Bool = { true }
    ) async throws -> RunSummary {
        let runID = makeRunID(now: now)
        let started = Date()
        let sink = try PartitionedFileSink(
            directory: settings.outputDirectory.path, runID: runID, options: settings.sink)
        let recovery = try await recover(sink: sink)
        if !recovery.missing.isEmpty {
            Diagnostics.warn(
                "\(settings.name): \(recovery.missing.count) committed output file(s) are gone "
                    + "(\(recovery.missing.prefix(3).joined(separator: ", "))); their items will be emitted again")
        }

        // Per feed, only what the run needs is built from `feeds`: the ids it claims, the due
        // feeds' sources (past the first 256 in a temporary file, as Fetch reads them) and the
        // intervals a feed list configures. Copies of the whole list cost about a kilobyte a
        // feed for the length of the run (issue 3).
        var enabledCount = 0
        let due: Set<String>
        if settings.ignoreSchedule, settings.stateURL == nil {
            var ids = Set<String>()
            feeds.forEach { feed in
                guard feed.enabled else { return }
                ids.insert(feed.source.id)
                enabledCount += 1
            }
            due = ids
        } else {
            // A worker that shares the feeds claims them only once it can carry them through: a
            // lease held while the normalizer and tagger still build (seconds, and minutes on a
            // starved machine) holds the feeds' per-host slots, so every other worker waited on a
            // run that could not deliver. A broken taxonomy ends the run here, before any claim.
            if settings.stateURL != nil {
                _ = try await stages.text()
                RunTrace.note("run \(runID): normalizer and tagger ready")
            }
            // Shared state: `--all` still takes leases, so two workers never fetch one feed at once.
            let ids = feeds.enabledIDs
            enabledCount = ids.count
            due = try await store.claimDueFeeds(ids, now: settings.ignoreSchedule ? .distantFuture : now)
        }
        RunTrace.note("run \(runID): \(due.count) of \(enabledCount) feed(s) due: \(due.sorted().prefix(12).joined(separator: " "))")
        let sources = FeedSourceList(memoryLimit: settings.feedsInMemory)
        var intervals: [String: TimeInterval] = [:]
        var dueIDs: [String] = []
        dueIDs.reserveCapacity(due.count)
        feeds.forEach { feed in
            guard feed.enabled, due.contains(feed.source.id) else { return }
            sources.append(feed.source)
            dueIDs.append(feed.source.id)
            if let interval = feed.interval, intervals[feed.source.id] == nil { intervals[feed.source.id] = interval }
        }
        let known = try await store.feedStates(dueIDs)
        dueIDs = []
        var runner = PipelineRunner(
            stages: stages, capacities: settings.capacities, concurrency: settings.fetch.maxConcurrent,
            lanes: PipelineRunner.lanesForThisMachine,
            validators: { source in (known[source.id]?.etag, known[source.id]?.lastModified) })
        // A worker that outlived its leases (stopped past them) starts no more fetches: another
        // worker may have taken those feeds over. The rest go back as unstarted below.
        let store = store
        runner.admitsMoreFetches = { admitsMoreFetches() && store.leasesAreFresh }
        // Not sure any more (a heartbeat came late, the database was briefly away): ask the
        // database whether the leases are still this worker's before giving up on the rest.
        runner.reconsidersAdmission = { admitsMoreFetches() ? await store.confirmLeases() : false }
        let delivery = TransactionalDelivery(
            job: self, sink: sink, runID: runID, previous: known, intervals: intervals, total: due.count)
        let delivered: Delivered
        do {
            delivered = try await runner.run(sources: sources) { edge in try await delivery.consume(edge) }
        } catch {
            try? await store.releaseClaims(Array(due))
            throw error
        }
        let reports = delivered.reports
        RunTrace.note("run \(runID): stages done, \(reports.count) feed(s) reported")
        // Feeds never started (shutdown began first, or the leases went stale) go back to the
        // pool; a lease another worker has taken since is left alone by `releaseClaims`.
        var unstarted = due
        reports.forEach { unstarted.remove($0.feedID) }
        if !unstarted.isEmpty { try await store.releaseClaims(Array(unstarted)) }
        let notDue = enabledCount - due.count
        let summary = RunSummary(
            runID: runID, pipeline: settings.name, startedAt: started, finishedAt: Date(), reports: reports, notDue: notDue)
        let t = summary.totals
        // Before the files: the log of reports is read by one pass at a time.
        let stateJSON = try summary.stateJSON(feedLimit: settings.feedsInMemory)
        // The state's run record and the files (each fsynced) are independent: write them side by side.
        async let recorded: Void = store.recordRun(RunRecord(
            runID: runID, pipeline: settings.name, startedAt: started, finishedAt: summary.finishedAt,
            status: "completed", feedsTotal: t.feeds, feedsFailed: t.failed, itemsNew: t.new, itemsChanged: t.changed,
            itemsUnchanged: t.unchanged, summaryJSON: stateJSON))
        do {
            try writeRunFiles(summary, records: delivered.feedRecords, sink: sink)
        } catch {
            try? await recorded
            throw error
        }
        try await recorded
        RunTrace.note("run \(runID): recorded")
        return summary
    }

    /// `runs/<run>.json` and the feeds dimension (`feeds-<run>.jsonl` beside the items),
    /// both written whole or not at all, and both read from their logs as they are written:
    /// a run over tens of thousands of feeds never holds either whole.
    private func writeRunFiles(_ summary: RunSummary, records: FeedRecordLog, sink: PartitionedFileSink) throws {
        if settings.feedRecords, records.count > 0 {
            let part = try sink.prepare(streaming: records.lazy.map { EmitRecord.feed($0) })
            _ = try sink.publish(part)
        }
        let runs = settings.outputDirectory.appendingPathComponent("runs", isDirectory: true)
        try FileManager.default.createDirectory(at: runs, withIntermediateDirectories: true)
        let final = runs.appendingPathComponent("\(summary.runID).json")
        try AtomicFile.write(to: final) { emit in try summary.writeJSON(in: emit) }
    }
}

/// Standard-error diagnostics; never mixed into records.
public enum Diagnostics {
    public static func warn(_ message: String) {
        FileHandle.standardError.write(Data("ingest: warning: \(message)\n".utf8))
    }
    public static func info(_ message: String) {
        FileHandle.standardError.write(Data("ingest: \(message)\n".utf8))
    }
}
