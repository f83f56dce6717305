import Foundation
import IngestCore
import Emit
import State

/// What a scheduled run's sink end hands back: both lists keep their first
/// `ScheduledSettings.feedsInMemory` entries in memory and the rest in temporary files.
public struct Delivered: Sendable {
    public var reports: FeedReportLog
    public var feedRecords: FeedRecordLog
}

/// The Emit end of a scheduled run: holds each feed's items until its `end`, asks the
/// state which are new or changed, and commits them in batches with the two-phase
/// protocol (durable temp file → state commit → rename → published → feed validators).
struct TransactionalDelivery: Sendable {
    let job: ScheduledJob
    let sink: PartitionedFileSink
    let runID: String
    let previous: [String: FeedState]
    /// Configured intervals only: a feed without one takes its hints and the pipeline's default.
    let intervals: [String: TimeInterval]
    let total: Int

    private struct Pending {
        /// `hash` is the feed item's own content hash: what the next run compares with,
        /// whatever full-text enrichment added to the record.
        var items: [(item: FeedItem, feedID: String, hash: String)] = []
        var outcomes: [FeedOutcome] = []
        /// The items' text, estimated (`textBytes`): what the batch holds in memory.
        var bytes = 0
    }

    /// An item's text in UTF-8 bytes, the bulk of what a pending item holds (a feed's full
    /// bodies run to tens of kilobytes an item); the fixed part of the record is left out.
    static func textBytes(_ item: FeedItem) -> Int {
        var n = item.id.utf8.count + item.title.utf8.count + item.titleRaw.utf8.count
        n += (item.titleKey?.utf8.count ?? 0) + (item.summary?.utf8.count ?? 0) + (item.content?.utf8.count ?? 0)
        n += (item.url?.utf8.count ?? 0) + (item.guid?.utf8.count ?? 0)
        for a in item.authors { n += a.utf8.count }
        for c in item.categories { n += c.utf8.count }
        for e in item.topicEvidence { for t in e.terms { n += t.utf8.count } }
        return n
    }

    func consume(_ input: BoundedChannel<FeedEvent<FeedItem>>) async throws -> Delivered {
        var buffers: [String: [FeedItem]] = [:]
        let reports = FeedReportLog(memoryLimit: job.settings.feedsInMemory)
        let feedRecords = FeedRecordLog(memoryLimit: job.settings.feedsInMemory)
        var pending = Pending()
        var lastCommit = ContinuousClock.now
        let progress = ProgressLine(total: total, enabled: job.settings.progress)
        // One commit runs behind the loop at a time, so fsyncs never stall the stages
        // upstream; commits still happen strictly in order.
        var committing: Task<Void, any Error>?
        func commitBehind() async throws {
            if let previous = committing { try await previous.value }
            let batch = pending
            pending = Pending()
            committing = Task { try await commit(batch) }
        }

        do {
            for await event in input {
                switch event {
                case .begin(let context):
                    buffers[context.source.id] = []
                case .item(let item, let feedID):
                    buffers[feedID, default: []].append(item)
                case .end(let outcome):
                    let id = outcome.source.id
                    RunTrace.note("deliver \(id): \(outcome.status)")
                    var report = FeedReport.empty(id)
                    report.fill(from: outcome)
                    let items = buffers.removeValue(forKey: id) ?? []
                    if outcome.status == .ok, !items.isEmpty {
                        // Hashing reads every text field: once per item.
                        let fingerprints = items.map {
                            ItemFingerprint(feedID: id, itemID: $0.id, contentHash: $0.contentHash)
                        }
                        let dispositions = try await job.store.classify(fingerprints)
                        var toEmit: [(item: FeedItem, hash: String)] = []
                        toEmit.reserveCapacity(items.count)
                        for (i, disposition) in dispositions.enumerated() {
                            let item = items[i]
                            report.warnings += item.warnings
                            switch disposition {
                            case .new: report.new += 1
                            case .changed: report.changed += 1
                            case .unchanged: report.unchanged += 1
                            }
                            guard let revision = disposition.revisionToEmit else { continue }
                            var emitted = item
                            emitted.revision = revision
                            toEmit.append((emitted, fingerprints[i].contentHash))
                        }
                        if job.settings.fullText {
                            let enriched = await FullTextEnricher(stages: job.stages).enrich(toEmit.map(\.item), feedID: id)
                            for (i, e) in enriched.enumerated() {
                                report.warnings += e.warnings.filter { !toEmit[i].item.warnings.contains($0) }
                                toEmit[i].item = e
                            }
                        }
                        for e in toEmit {
                            pending.items.append((e.item, id, e.hash))
                            pending.bytes += Self.textBytes(e.item)
                        }
                        report.emitted = report.new + report.changed
                    }
                    var record = outcome.record
                    record.items = items.count
                    feedRecords.append(record)
                    pending.outcomes.append(outcome)
                    reports.append(report)
                    ProcessMemory.feedEnded(count: reports.count)
                    progress.feedDone(items: report.emitted, failed: outcome.status == .failed)
                    // Commit by size, and by time so a slow run (or `serve`) makes steady progress
                    // that a crash cannot take back.
                    if pending.items.count >= job.settings.commitEvery || pending.bytes >= job.settings.commitBytes
                        || ContinuousClock.now - lastCommit >= job.settings.commitInterval
                    {
                        try await commitBehind()
                        lastCommit = ContinuousClock.now
                    }
                }
            }
            try await commitBehind()
            try await committing?.value
        } catch {
            // Never leave a commit running past the run that started it.
            _ = try? await committing?.value
            throw error
        }
        progress.finish()
        return Delivered(reports: reports, feedRecords: feedRecords)
    }

    /// The acknowledgement path: nothing is marked emitted before its file is durable,
    /// and no feed's validators move before its items are marked.
    private func commit(_ pending: Pending) async throws {
        RunTrace.note("commit: \(pending.items.count) item(s) (\(pending.bytes) bytes of text) of \(pending.outcomes.count) feed(s)")
        defer { RunTrace.note("commit: \(pending.outcomes.count) feed(s) ended") }
        if !pending.items.isEmpty {
            // One prepared part per day partition, so every file maps to a known run of items.
            var byDay: [String: [(item: FeedItem, feedID: String, hash: String)]] = [:]
            var days: [String] = []
            for entry in pending.items {
                let day = Self.partitionDay(entry.item)
                if byDay[day] == nil { days.append(day) }
                byDay[day, default: []].append(entry)
            }
            let sink = sink
            let (groups, dayOrder) = (byDay, days)
            let (prepared, commits) = try await Self.offThePool {
                var prepared: [PreparedPart] = []
                var commits: [PartCommit] = []
                do {
                    for day in dayOrder {
                        let entries = groups[day]!
                        let part = try sink.prepare(entries.map { EmitRecord.item($0.item) })
                        prepared.append(part)
                        var offset = 0
                        for file in part.files {
                            let slice = entries[offset..<min(entries.count, offset + file.records)]
                            offset += file.records
                            commits.append(PartCommit(name: file.temporaryName, items: slice.map {
                                EmittedItem(feedID: $0.feedID, itemID: $0.item.id, contentHash: $0.hash,
                                            revision: $0.item.revision)
                            }))
                        }
                    }
                } catch {
                    for part in prepared { try? sink.discard(part) }
                    throw error
                }
                return (prepared, commits)
            }
            let receipt: CommitReceipt
            do {
                receipt = try await job.store.commitEmitted(commits, runID: runID)
            } catch let error as StateStoreError {
                guard case .leaseLost(let lost) = error.kind, !lost.isEmpty else { throw error }
                // Stalled past a lease: another worker fetches these feeds now. Publish nothing
                // of theirs and record nothing for them; commit the rest again.
                for part in prepared { try? sink.discard(part) }
                Diagnostics.warn(
                    "\(job.settings.name): lease lost on \(lost.count) feed(s) while they were in flight "
                        + "(\(lost.prefix(3).joined(separator: ", "))); another worker has them now, their items are left to it")
                let gone = Set(lost)
                var rest = pending
                rest.items.removeAll { gone.contains($0.feedID) }
                rest.outcomes.removeAll { gone.contains($0.source.id) }
                rest.bytes = rest.items.reduce(0) { $0 + Self.textBytes($1.item) }
                try await commit(rest)
                return
            }
            if !receipt.duplicates.isEmpty {
                // Only possible when two workers fetched one feed (a lease lost mid-fetch); the
                // state kept one mark per revision, the files hold the record twice.
                Diagnostics.warn(
                    "\(job.settings.name): \(receipt.duplicates.count) item revision(s) were already emitted by another part "
                        + "(\(receipt.duplicates.prefix(3).map(\.description).joined(separator: ", ")))")
            }
            try await Self.offThePool { for part in prepared { _ = try sink.publish(part) } }
            try await job.store.markPublished(parts: commits.map(\.name))
        }
        if !pending.outcomes.isEmpty {
            try await job.store.recordFetches(pending.outcomes.map(fetchResult))
        }
    }

    /// Encoding, writing and fsyncing part files blocks for milliseconds per fsync: done on
    /// a thread of its own, it never holds one of the few threads the stages run on.
    private static func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            commitQueue.async { continuation.resume(with: Result { try body() }) }
        }
    }

    private static let commitQueue = DispatchQueue(label: "ingest.emit.commit")

    /// Same rule as `PartitionedFileSink`: the UTC day of `published_at`, else `fetched_at`.
    static func partitionDay(_ item: FeedItem) -> String {
        String(RFC3339.utc(item.published?.instant ?? item.fetchedAt).prefix(10))
    }

    private func fetchResult(_ outcome: FeedOutcome) -> FeedFetchResult {
        let id = outcome.source.id
        let failures = outcome.status == .failed ? (previous[id]?.consecutiveFailures ?? 0) + 1 : 0
        var hints = FeedHints(headers: outcome.headers, receivedAt: outcome.fetchedAt)
        if let ttl = outcome.info?.ttlMinutes { hints.ttlMinutes = ttl }
        if let sy = outcome.info?.updateIntervalSeconds { hints.syndicationPeriodSeconds = sy }
        if let after = outcome.failure?.retryAfterSeconds { hints.retryAfterSeconds = after }
        let decision = job.settings.schedule.decide(
            now: outcome.fetchedAt, succeeded: outcome.status != .failed, httpStatus: outcome.record.httpStatus,
            consecutiveFailures: failures, configuredInterval: intervals[id], hints: hints)
        let result: FetchRecord.Outcome
        switch outcome.status {
        case .ok: result = .fetched
        case .notModified: result = .notModified
        case .failed, .skipped: result = .failed(message: outcome.failure?.description ?? outcome.record.error ?? "failed")
        }
        return FeedFetchResult(feedID: id, result: FetchRecord(
            outcome: result, at: outcome.fetchedAt, httpStatus: outcome.record.httpStatus,
            etag: outcome.headers["ETag"], lastModified: outcome.headers["Last-Modified"],
            nextDueAt: decision.nextDueAt, intervalSeconds: decision.intervalSeconds))
    }
}

/// `[12/40 feeds] 340 records, 2 failed, 35.2 feeds/s` on a terminal, redrawn in place.
final class ProgressLine: @unchecked Sendable {
    private let total: Int
    private let enabled: Bool
    private var done = 0
    private var items = 0
    private var failed = 0
    private let started = Date()
    private var lastDraw = Date.distantPast

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled && isatty(STDERR_FILENO) == 1
    }

    func feedDone(items: Int, failed: Bool) {
        done += 1
        self.items += items
        if failed { self.failed += 1 }
        let now = Date()
        guard enabled, now.timeIntervalSince(lastDraw) > 0.1 || done == total else { return }
        lastDraw = now
        let rate = Double(done) / max(0.001, now.timeIntervalSince(started))
        let line = String(format: "\r\u{1B}[K[%d/%d feeds] %d records, %d failed, %.1f feeds/s", done, total, self.items,
                          self.failed, rate)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        guard enabled, done > 0 else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
