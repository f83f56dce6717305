import Foundation
import IngestCore
import Emit

/// The Emit end of an ad-hoc run: records are written as they come, each feed's record
/// first, duplicates within the run dropped, and a report kept per source.
public struct StreamDelivery: Sendable {
    public var sink: any RecordSink
    public var feedRecords: Bool
    /// Records held before one write; bounds memory and keeps syscalls few.
    public var batchSize: Int = 256
    /// Set for `--full-text`: a feed's items wait for its end, then for their pages.
    var enricher: FullTextEnricher?
    /// Write at every feed's end, so a reader of standard output sees each feed as it
    /// finishes. Off for `--output DIR`: per feed, a run over 3,474 feeds left about as many
    /// part files and spent 15 s of system time in fsync; there records are handed over every
    /// `batchSize`, and the sink holds each partition's part across writes.
    public var flushAtFeedEnd: Bool = true
    /// Feed ids that more than one source of the run carries (a feed and a page read from the
    /// same address). An item's id hashes its feed's id, so only items of one feed id can
    /// repeat each other: repeats are looked for within a feed, and the ids a feed emitted are
    /// dropped at its end, unless another source shares its feed id. A run over a list of tens of
    /// thousands of feeds then holds the ids of the feeds in flight, not of every item.
    public var feedIDsSharedBySources: Set<String> = []

    public init(sink: any RecordSink, feedRecords: Bool) {
        self.sink = sink
        self.feedRecords = feedRecords
    }

    public func consume(_ input: BoundedChannel<FeedEvent<FeedItem>>) async throws -> FeedReportLog {
        do {
            return try await deliver(input)
        } catch {
            // What was written stays: the records before the failure are out, as on standard
            // output, and a sink that holds parts across writes publishes them.
            try? await sink.close()
            throw error
        }
    }

    private func deliver(_ input: BoundedChannel<FeedEvent<FeedItem>>) async throws -> FeedReportLog {
        // Reports of feeds still in flight, by feed; a feed's report moves to `finished` at its
        // end, which keeps a few hundred in memory and writes the rest to a temporary file.
        var reports: [String: FeedReport] = [:]
        let finished = FeedReportLog()
        var seen: [String: ItemIDSet] = [:]
        var batch: [EmitRecord] = []
        var held: [String: [FeedItem]] = [:]
        func flush() async throws {
            guard !batch.isEmpty else { return }
            _ = try await sink.write(batch)
            batch.removeAll(keepingCapacity: true)
        }
        for await event in input {
            switch event {
            case .begin(let context):
                if feedRecords, let record = context.record { batch.append(.feed(record)) }
            case .item(let item, let feedID):
                guard seen[feedID, default: ItemIDSet()].insert(item.id) else { continue }
                reports[feedID, default: .empty(feedID)].emitted += 1
                if enricher != nil {
                    held[feedID, default: []].append(item)
                    continue
                }
                reports[feedID]!.warnings += item.warnings
                batch.append(.item(item))
                if batch.count >= batchSize { try await flush() }
            case .end(let outcome):
                let id = outcome.source.id
                if !feedIDsSharedBySources.contains(id) { seen.removeValue(forKey: id) }
                if let enricher, let items = held.removeValue(forKey: id) {
                    for item in await enricher.enrich(items, feedID: id) {
                        reports[id, default: .empty(id)].warnings += item.warnings
                        batch.append(.item(item))
                    }
                }
                if feedRecords, outcome.status != .ok { batch.append(.feed(outcome.record)) }
                var report = reports.removeValue(forKey: id) ?? .empty(id)
                report.fill(from: outcome)
                finished.append(report)
                ProcessMemory.feedEnded(count: finished.count)
                if flushAtFeedEnd || batch.count >= batchSize { try await flush() }
            }
        }
        try await flush()
        try await sink.close()
        return finished
    }
}

extension FeedReport {
    static func empty(_ feedID: String) -> FeedReport {
        FeedReport(feedID: feedID, url: "", status: .ok, httpStatus: nil, format: nil, encoding: nil, emitted: 0, new: 0,
                   changed: 0, unchanged: 0, warnings: [], error: nil, bytes: 0, seconds: 0)
    }

    mutating func fill(from outcome: FeedOutcome) {
        url = outcome.source.location
        status = outcome.status
        httpStatus = outcome.record.httpStatus
        format = outcome.record.format
        encoding = outcome.record.encoding
        warnings = outcome.record.warnings + warnings
        error = outcome.failure?.description ?? outcome.record.error
        bytes = outcome.bytes
        let c = outcome.elapsed.components
        seconds = Double(c.seconds) + Double(c.attoseconds) / 1e18
    }
}
