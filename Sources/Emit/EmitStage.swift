import Foundation
import IngestCore

/// What one durable write carried: the records in output order, the items among them and
/// the outcomes of the feeds whose every item is in this batch (or an earlier one).
public struct EmitBatch: Sendable {
    public var records: [EmitRecord] = []
    public var items: [FeedItem] = []
    public var outcomes: [FeedOutcome] = []
    public init() {}
    public var isEmpty: Bool { records.isEmpty && outcomes.isEmpty }
}

/// The state store's side of exactly-once output, as Emit sees it. Nothing here assumes
/// a particular database.
public protocol EmitLedger: Sendable {
    /// In one transaction: mark `batch.items` emitted (id, revision, content hash), record
    /// `batch.outcomes`, and register `part.pendingNames`. Called after the files are
    /// durable under temporary names and before they become visible. Throwing means the
    /// transaction did not commit; the files are then discarded.
    func commit(_ batch: EmitBatch, part: PreparedPart) async throws
    /// The part is visible; forget its pending names.
    func published(_ part: PreparedPart) async throws
}

/// The Emit stage: collects each feed's items until the feed's `end`, so that the feed
/// record can precede them and a feed is acknowledged only once all of its items are
/// durable, then writes completed feeds in batches.
///
/// A batch is written when it holds `maxBatchRecords` items, when its oldest feed has
/// waited `maxBatchDelay` (so a quiet `serve` still makes items durable promptly), and
/// when the input ends. Larger batches mean fewer, larger part files.
public struct EmitStage: Sendable {
    public struct Options: Sendable {
        /// Put each feed's `ingest.feed/1` record in the batch, before its items. File
        /// sinks route it to `feeds-*.jsonl`; the stdout sink prints it inline
        /// (`--feed-records`). Feeds skipped as not due never get one.
        public var feedRecords: Bool
        public var maxBatchRecords: Int
        public var maxBatchDelay: Duration

        public init(feedRecords: Bool = false, maxBatchRecords: Int = 5_000, maxBatchDelay: Duration = .seconds(2)) {
            self.feedRecords = feedRecords
            self.maxBatchRecords = max(1, maxBatchRecords)
            self.maxBatchDelay = maxBatchDelay
        }
    }

    /// Totals of one run of the stage.
    public struct Summary: Sendable, Hashable {
        public var batches = 0
        public var records = 0
        public var items = 0
        public var bytes = 0
        public var files: [String] = []
    }

    public let sink: any RecordSink
    public let ledger: (any EmitLedger)?
    public let options: Options

    public init(sink: any RecordSink, ledger: (any EmitLedger)? = nil, options: Options = .init()) {
        self.sink = sink
        self.ledger = ledger
        self.options = options
    }

    /// Runs until `input` ends. `onDurable` sees each batch after its acknowledgement (and
    /// after the ledger commit), for progress and the run summary. On a write error the
    /// input is closed, so producers stop instead of blocking, and the error is rethrown.
    @discardableResult
    public func run(
        input: BoundedChannel<FeedEvent<FeedItem>>,
        onDurable: @Sendable (EmitBatch, SinkAck) async throws -> Void = { _, _ in }
    ) async throws -> Summary {
        try await run(input: input, item: { $0 }, onDurable: onDurable)
    }

    /// The same for an edge whose items carry more than the record (`item` extracts it).
    @discardableResult
    public func run<Item: Sendable>(
        input: BoundedChannel<FeedEvent<Item>>,
        item extract: @Sendable (Item) -> FeedItem,
        onDurable: @Sendable (EmitBatch, SinkAck) async throws -> Void = { _, _ in }
    ) async throws -> Summary {
        var summary = Summary()
        var open: [String: [FeedItem]] = [:]
        var openOrder: [String] = []
        var ready = EmitBatch()
        var readySince: ContinuousClock.Instant?
        let clock = ContinuousClock()

        func flush() async throws {
            guard !ready.isEmpty else { readySince = nil; return }
            let batch = ready
            ready = EmitBatch()
            readySince = nil
            let ack = try await write(batch)
            summary.batches += 1
            summary.records += batch.records.count
            summary.items += batch.items.count
            summary.bytes += ack.bytes
            summary.files += ack.files
            try await onDurable(batch, ack)
        }

        do {
            loop: while true {
                let deadline = readySince.map { $0 + options.maxBatchDelay }
                if let deadline, clock.now >= deadline {
                    try await flush()
                    continue
                }
                switch await next(input, deadline: deadline) {
                case .event(.begin(let context)):
                    if open[context.source.id] == nil {
                        open[context.source.id] = []
                        openOrder.append(context.source.id)
                    }
                case .event(.item(let payload, let feedID)):
                    if open[feedID] == nil { openOrder.append(feedID) }
                    open[feedID, default: []].append(extract(payload))
                case .event(.end(let outcome)):
                    let items = open.removeValue(forKey: outcome.source.id) ?? []
                    openOrder.removeAll { $0 == outcome.source.id }
                    if options.feedRecords && outcome.status != .skipped {
                        ready.records.append(.feed(outcome.record))
                    }
                    ready.records.append(contentsOf: items.map(EmitRecord.item))
                    ready.items.append(contentsOf: items)
                    ready.outcomes.append(outcome)
                    if readySince == nil { readySince = clock.now }
                    if ready.items.count >= options.maxBatchRecords { try await flush() }
                case .tick:
                    try await flush()
                case .end:
                    break loop
                }
            }
            // Items of a feed whose `end` never came (its producer failed): emitting them
            // keeps them; the state store marks them like any other.
            for feedID in openOrder {
                let items = open[feedID] ?? []
                ready.records.append(contentsOf: items.map(EmitRecord.item))
                ready.items.append(contentsOf: items)
            }
            try await flush()
        } catch {
            input.close()
            throw error
        }
        return summary
    }

    private func write(_ batch: EmitBatch) async throws -> SinkAck {
        if let transactional = sink as? any TransactionalRecordSink, let ledger {
            return try await transactional.writeExactlyOnce(
                batch.records,
                commit: { try await ledger.commit(batch, part: $0) },
                published: { try await ledger.published($0) })
        }
        // A stream cannot take back what it wrote: the ledger follows the write, so a
        // crash in between repeats the batch on the next run (at least once).
        let ack = batch.records.isEmpty ? SinkAck(records: 0, bytes: 0) : try await sink.write(batch.records)
        if let ledger {
            let none = PreparedPart(files: [])
            try await ledger.commit(batch, part: none)
            try await ledger.published(none)
        }
        return ack
    }

    private enum Next<Item: Sendable>: Sendable {
        case event(FeedEvent<Item>)
        case end
        case tick
    }

    /// The next event, or `.tick` when `deadline` passes first. An element that arrives
    /// while the wait is being cancelled is returned, never dropped.
    private func next<Item: Sendable>(
        _ input: BoundedChannel<FeedEvent<Item>>, deadline: ContinuousClock.Instant?
    ) async -> Next<Item> {
        guard let deadline, input.count == 0 else {
            if let e = await input.receive() { return .event(e) }
            return .end
        }
        return await withTaskGroup(of: Next<Item>?.self) { group in
            group.addTask {
                if let e = await input.receive() { return .event(e) }
                return Task.isCancelled ? nil : .end
            }
            group.addTask {
                try? await Task.sleep(until: deadline, clock: .continuous)
                return Task.isCancelled ? nil : .tick
            }
            var event: FeedEvent<Item>?
            var ended = false
            var ticked = false
            while let result = await group.next() {
                switch result {
                case .event(let e)?: event = e; group.cancelAll()
                case .end?: ended = true; group.cancelAll()
                case .tick?: ticked = true; group.cancelAll()
                case nil: break
                }
            }
            if let event { return .event(event) }
            if ended { return .end }
            _ = ticked
            return .tick
        }
    }
}
