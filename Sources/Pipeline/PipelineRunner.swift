import Foundation
import IngestCore
import Fetch
import Parse
import Normalize
import Tag
import Synchronization

/// Supplies HTTP validators (ETag / Last-Modified) for conditional GETs.
public typealias ValidatorLookup = @Sendable (FeedSource) async -> (etag: String?, lastModified: String?)

/// Runs sources through Fetch → Parse → Normalize → Tag and hands the tagged events
/// to a delivery (the Emit side), every edge a `BoundedChannel`.
///
/// Each stage is its own task; a stage that fails closes its input (so producers stop)
/// and finishes its output (so consumers drain and stop) — one broken feed becomes an
/// error event, never a stuck run.
public struct PipelineRunner: Sendable {
    public var stages: Stages
    public var capacities: EdgeCapacities
    /// Fetches in flight at once; the fetcher's own limit applies too.
    public var concurrency: Int
    /// Parallel Parse → Normalize → Tag lanes. A document goes down one lane whole, so each
    /// feed's events stay contiguous within it and framed by its own `begin`/`end`; more
    /// than one lane interleaves feeds on the tagged edge (a sink that buffers per feed, like
    /// the scheduled run's, does not mind) and lets the per-item work use every core.
    public var lanes: Int
    public var validators: ValidatorLookup?
    /// Asked before each new fetch starts; `false` stops starting fetches while what is in
    /// flight drains to the sink (graceful shutdown of `serve`).
    public var admitsMoreFetches: @Sendable () -> Bool = { true }
    /// Asked when `admitsMoreFetches` said no, before giving up on the rest: it may wait
    /// (re-confirm leases with a database that was briefly unreachable) and say the run
    /// can go on after all. `nil`: a no is final.
    public var reconsidersAdmission: (@Sendable () async -> Bool)?

    public init(
        stages: Stages, capacities: EdgeCapacities = .init(), concurrency: Int = 16,
        lanes: Int = 1,
        validators: ValidatorLookup? = nil
    ) {
        self.stages = stages
        self.capacities = capacities
        self.concurrency = max(1, concurrency)
        self.lanes = max(1, lanes)
        self.validators = validators
    }

    /// Lanes worth running on this machine: one per core, a few at most (each lane's
    /// stages are already separate tasks).
    public static var lanesForThisMachine: Int { min(4, max(1, ProcessInfo.processInfo.activeProcessorCount)) }

    /// Observers for tests and metrics: the edges, after the run has started.
    public struct Edges: Sendable {
        public let fetched: BoundedChannel<FetchOutcome>
        /// Per lane: Parse → Normalize and Normalize → Tag.
        public let parsedLanes: [BoundedChannel<FeedEvent<RawItem>>]
        public let normalizedLanes: [BoundedChannel<FeedEvent<FeedItem>>]
        /// Every lane's Tag stage feeds the one sink edge.
        public let tagged: BoundedChannel<FeedEvent<FeedItem>>

        /// The first lane's edges (the only ones with a single lane).
        public var parsed: BoundedChannel<FeedEvent<RawItem>> { parsedLanes[0] }
        public var normalized: BoundedChannel<FeedEvent<FeedItem>> { normalizedLanes[0] }
    }

    public func makeEdges() -> Edges {
        Edges(
            fetched: BoundedChannel(capacity: capacities.fetched),
            parsedLanes: (0..<lanes).map { _ in BoundedChannel(capacity: capacities.items) },
            normalizedLanes: (0..<lanes).map { _ in BoundedChannel(capacity: capacities.items) },
            tagged: BoundedChannel(capacity: capacities.items)
        )
    }

    /// Runs every source through the stages into `deliver`, which consumes the tagged
    /// edge and returns when it ends.
    public func run<Sources: Sequence & Sendable, Result: Sendable>(
        sources: Sources,
        edges: Edges? = nil,
        deliver: @escaping @Sendable (BoundedChannel<FeedEvent<FeedItem>>) async throws -> Result
    ) async throws -> Result where Sources.Element == FeedSource {
        let e = edges ?? makeEdges()
        precondition(e.parsedLanes.count == e.normalizedLanes.count && !e.parsedLanes.isEmpty, "edges need one or more whole lanes")
        let laneCount = e.parsedLanes.count
        // The tagged edge ends when the last lane's Tag stage does.
        let tagLanesLeft = Countdown(laneCount)
        return try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask {
                try await fetchStage(sources: sources, into: e.fetched)
                return nil
            }
            for lane in 0..<laneCount {
                let parsed = e.parsedLanes[lane], normalized = e.normalizedLanes[lane]
                group.addTask {
                    try await parseStage(from: e.fetched, into: parsed)
                    return nil
                }
                group.addTask {
                    // Asked for at the first event: a run with nothing due never waits for it.
                    var normalizer: ItemNormalizer?
                    let contexts = ContextTable()
                    var sinceYield = 0
                    try await runStage(input: parsed, output: normalized) { event, send in
                        if normalizer == nil { normalizer = try await stages.text().normalizer }
                        try await send(Self.normalize(event, with: normalizer!, contexts: contexts))
                        await Self.yieldNow(&sinceYield)
                    }
                    return nil
                }
                group.addTask {
                    defer { if tagLanesLeft.countDown() == 0 { e.tagged.finish() } }
                    do {
                        var tagger: TopicTagger?
                        var sinceYield = 0
                        for await event in normalized {
                            guard case .item(var item, let feedID) = event else {
                                try await e.tagged.send(event)
                                continue
                            }
                            if tagger == nil { tagger = try await stages.text().tagger }
                            tagger!.tag(&item)
                            try await e.tagged.send(.item(item, feedID: feedID))
                            await Self.yieldNow(&sinceYield)
                        }
                    } catch {
                        normalized.close()
                        throw error
                    }
                    return nil
                }
            }
            group.addTask {
                defer { e.tagged.close() }
                return try await deliver(e.tagged)
            }
            // When one stage fails, the stages beside it fail too, with a closed channel or a
            // cancellation, and whichever reaches the group first used to be reported: a broken
            // taxonomy showed as "channel closed by its consumer". The cause is reported instead.
            var result: Result?
            var failure: (any Error)?
            while true {
                do {
                    guard let r = try await group.next() else { break }
                    if let r { result = r }
                } catch {
                    if failure == nil { group.cancelAll() }
                    if failure == nil || (Self.isConsequence(failure!) && !Self.isConsequence(error)) { failure = error }
                }
            }
            if let failure { throw failure }
            guard let result else { throw CancellationError() }
            return result
        }
    }

    /// An error a stage gets because another stage failed (its channel closed under it, or the
    /// run cancelled), not a cause of its own.
    static func isConsequence(_ error: any Error) -> Bool {
        error is ChannelClosed || error is CancellationError
    }

    // MARK: Fetch

    private func fetchStage<Sources: Sequence & Sendable>(
        sources: Sources, into output: BoundedChannel<FetchOutcome>
    ) async throws where Sources.Element == FeedSource {
        defer { output.finish() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            var iterator = sources.makeIterator()
            var running = 0
            // Files read at once, so a file's bytes would otherwise sit in memory from the
            // read until Parse takes them: with every fetch slot on files, `outstanding`
            // documents at a time. Two held files are enough to keep Parse busy.
            let diskSlots = BoundedChannel<Void>(capacity: Self.heldFileReads)
            func startNext() async -> Bool {
                guard await admitted(), let source = iterator.next() else { return false }
                group.addTask {
                    let fromDisk = Fetcher.readsFromDisk(source.location)
                    if fromDisk { try await diskSlots.send(()) }
                    do {
                        // A fetch that never started (shutdown began while it was queued) is not
                        // reported, so its feed stays due.
                        if let outcome = await fetchOne(source) { try await output.send(outcome) }
                    } catch {
                        if fromDisk { _ = await diskSlots.receive() }
                        throw error
                    }
                    if fromDisk { _ = await diskSlots.receive() }
                }
                return true
            }
            let outstanding = concurrency + Self.fetchLookahead(concurrency)
            while running < outstanding, await startNext() { running += 1 }
            while try await group.next() != nil {
                running -= 1
                if await startNext() { running += 1 }
            }
        }
    }

    /// Fetches asked for beyond `concurrency`. The fetcher starts at most its own limit
    /// at once and queues the rest, so when a transfer ends its transfer thread starts the
    /// next one at once, instead of waiting for this stage's tasks to get a turn on the
    /// cooperative pool (which Parse, Normalize and Tag keep busy).
    public static func fetchLookahead(_ concurrency: Int) -> Int { max(2, concurrency / 4) }

    /// Local files read but not yet handed to Parse, at most.
    public static let heldFileReads = 2

    private func admitted() async -> Bool {
        if admitsMoreFetches() { return true }
        guard let reconsidersAdmission else {
            RunTrace.note("fetch: no more fetches start")
            return false
        }
        RunTrace.note("fetch: admission in doubt; asking again")
        let again = await reconsidersAdmission()
        RunTrace.note("fetch: admission \(again ? "confirmed" : "refused")")
        return again
    }

    private func fetchOne(_ source: FeedSource) async -> FetchOutcome? {
        let started = ContinuousClock.now
        let v = await validators?(source) ?? (etag: nil, lastModified: nil)
        let request = FetchRequest(
            source: source, etag: v.etag, lastModified: v.lastModified, startsOnlyIf: admitsMoreFetches)
        RunTrace.note("fetch \(source.id): start")
        var result = await stages.fetcher.fetch(request)
        RunTrace.note("fetch \(source.id): \(Self.traceDescription(result))")
        // Refused at its turn: asked again (after a possible wait) rather than dropped at once;
        // a few times only, so a gate that stays shut after a yes cannot keep it spinning.
        var asked = 0
        while case .failure(let failure) = result, failure.kind == .notStarted, reconsidersAdmission != nil,
              asked < 3, await admitted()
        {
            asked += 1
            result = await stages.fetcher.fetch(request)
            RunTrace.note("fetch \(source.id), asked again: \(Self.traceDescription(result))")
        }
        switch result {
        case .failure(let failure) where failure.kind == .notStarted:
            return nil
        case .failure(let failure):
            return .failed(source, failure, elapsed: ContinuousClock.now - started, fetchedAt: Date())
        case .success(let doc):
            guard source.kind == .feed, doc.httpStatus != 304, !looksLikeFeed(doc) else { return .fetched(doc) }
            // Feed autodiscovery: a page that advertises its feed stands in for it.
            guard let advertised = FeedParser.discoverFeeds(in: doc).first else { return .fetched(doc) }
            // A page from the web may only lead to the web: an advertised file:// (or any
            // other scheme) would let a remote page read local files.
            let fromWeb = doc.finalURL.hasPrefix("http://") || doc.finalURL.hasPrefix("https://")
            let toWeb = advertised.hasPrefix("http://") || advertised.hasPrefix("https://")
            if fromWeb && !toWeb {
                let f = SourceFailure(
                    source: source.location, stage: .fetch, kind: .refused,
                    reason: "the page advertises a feed at \(advertised); only http and https are followed")
                return .failed(source, f, elapsed: ContinuousClock.now - started, fetchedAt: Date())
            }
            var feedSource = source
            feedSource.location = advertised
            switch await stages.fetcher.fetch(FetchRequest(source: feedSource, etag: nil, lastModified: nil)) {
            case .success(var found):
                found.source = source
                return .fetched(found)
            case .failure(let failure):
                var f = failure
                f.reason = "advertised feed \(advertised): \(failure.reason)"
                f.source = source.location
                return .failed(source, f, elapsed: ContinuousClock.now - started, fetchedAt: Date())
            }
        }
    }

    private static func traceDescription(_ result: Result<FetchedDocument, SourceFailure>) -> String {
        switch result {
        case .success(let doc): return "HTTP \(doc.httpStatus.map(String.init) ?? "-"), \(doc.body.count) bytes"
        case .failure(let failure): return "\(failure.kind): \(failure.reason)"
        }
    }

    /// Cheap sniff so autodiscovery never re-parses a real feed: only a body whose first
    /// markup is an HTML doctype or `<html>` can be a page that advertises its feed.
    private func looksLikeFeed(_ doc: FetchedDocument) -> Bool {
        var i = doc.body.startIndex
        let end = min(doc.body.endIndex, i + 4096)
        if doc.body.starts(with: [0xEF, 0xBB, 0xBF]) { i += 3 }
        // Skip white space, the XML prolog and comments before the first element.
        while i < end {
            let b = doc.body[i]
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { i += 1; continue }
            guard b == UInt8(ascii: "<"), i + 1 < end else { return true }
            let next = doc.body[i + 1]
            if next == UInt8(ascii: "?") || (next == UInt8(ascii: "!") && i + 3 < end && doc.body[i + 2] == UInt8(ascii: "-")) {
                // Prolog or comment: continue after its closing '>'.
                while i < end, doc.body[i] != UInt8(ascii: ">") { i += 1 }
                i += 1
                continue
            }
            let name = doc.body[(i + 1)..<min(end, i + 10)].map { $0 | 0x20 }  // ASCII lower-case
            return !(name.starts(with: Array("html".utf8)) || name.starts(with: Array("!doctype".utf8)))
        }
        return true
    }

    /// A stage task that never waits on its edges (full input, room on its output) keeps
    /// its thread for as long as that lasts; on a 2-core machine that delays the fetch
    /// tasks' short hops (a finished transfer handing over its document, the next fetch
    /// starting) by whole batches. Yielding now and then lets them through.
    static let eventsBetweenYields = 32

    static func yieldNow(_ since: inout Int) async {
        since += 1
        guard since >= eventsBetweenYields else { return }
        since = 0
        await Task.yield()
    }

    // MARK: Parse

    private func parseStage(
        from input: BoundedChannel<FetchOutcome>, into output: BoundedChannel<FeedEvent<RawItem>>
    ) async throws {
        defer { output.finish() }
        do {
            var sinceYield = 0
            var textStagesReady = false
            for await outcome in input {
                // Documents parsed while the taxonomy still compiles only wait in the channels
                // for the normalizer, and their events then peak together with the compile's
                // temporaries (the run's highest resident size). Fetching still overlaps the
                // compile; a failed taxonomy is reported by the stages that need it.
                if !textStagesReady {
                    _ = try? await stages.text()
                    textStagesReady = true
                }
                // Consumed, so the document's bytes are freed before the sends below, which
                // wait on the stages after; otherwise a large feed's body outlived its parse.
                for event in parse(consume outcome) { try await output.send(event) }
                sinceYield += Self.eventsBetweenYields / 4
                await Self.yieldNow(&sinceYield)
            }
        } catch {
            input.close()
            throw error
        }
    }

    /// A whole document's events at once: its items must stay contiguous and framed by
    /// `begin`/`end`, and a document is bounded by the fetch size cap anyway.
    func parse(_ outcome: consuming FetchOutcome) -> [FeedEvent<RawItem>] {
        switch outcome {
        case .failed(let source, let failure, let elapsed, let fetchedAt):
            let record = FeedRecord(
                url: Self.feedURL(source.location), httpStatus: failure.httpStatus, error: failure.description, feedID: source.id,
                fetchedAt: fetchedAt)
            return [.end(FeedOutcome(source: source, status: .failed, record: record, failure: failure,
                                     elapsed: elapsed, fetchedAt: fetchedAt))]
        case .fetched(let doc):
            let source = doc.source
            if doc.isNotModified {
                let record = FeedRecord(url: doc.requestedURL, finalURL: doc.finalURL, httpStatus: 304,
                                        feedID: source.id, fetchedAt: doc.fetchedAt)
                return [.end(FeedOutcome(source: source, status: .notModified, record: record, bytes: 0,
                                         elapsed: doc.elapsed, headers: doc.headers, fetchedAt: doc.fetchedAt))]
            }
            let parsed: ParsedFeed
            do {
                switch source.kind {
                case .feed: parsed = try stages.feedParser.parse(doc)
                case .page: parsed = try stages.articleExtractor.extract(doc)
                }
            } catch {
                let record = FeedRecord(url: doc.requestedURL, finalURL: doc.finalURL, httpStatus: doc.httpStatus,
                                        error: error.description, feedID: source.id, fetchedAt: doc.fetchedAt)
                return [.end(FeedOutcome(source: source, status: .failed, record: record, failure: error,
                                         bytes: doc.body.count, elapsed: doc.elapsed, headers: doc.headers,
                                         fetchedAt: doc.fetchedAt))]
            }
            let record = FeedRecord(document: doc, parsed: parsed)
            let context = FeedContext(document: doc, parsed: parsed, record: record)
            var events: [FeedEvent<RawItem>] = [.begin(context)]
            events.reserveCapacity(parsed.items.count + 2)
            for item in parsed.items { events.append(.item(item, feedID: source.id)) }
            events.append(.end(FeedOutcome(source: source, status: .ok, record: record, bytes: doc.body.count,
                                           elapsed: doc.elapsed, headers: doc.headers, fetchedAt: doc.fetchedAt,
                                           info: parsed.info)))
            return events
        }
    }

    /// The feed's URL as records name it: what the fetcher requested, so a feed record
    /// and its items' `feed.url` always agree (a local path becomes a `file://` URL).
    static func feedURL(_ location: String) -> String {
        if location.contains("://") { return location }
        let expanded = (location as NSString).expandingTildeInPath
        return URL(fileURLWithPath: expanded).standardizedFileURL.absoluteString
    }

    /// How many lanes are still feeding the shared tagged edge.
    private final class Countdown: Sendable {
        private let left: Mutex<Int>
        init(_ count: Int) { left = Mutex(count) }
        func countDown() -> Int { left.withLock { $0 -= 1; return $0 } }
    }

    // MARK: Normalize

    /// Keeps each feed's context from its `begin` so items can be read in it.
    private final class ContextTable: @unchecked Sendable {
        var contexts: [String: FeedContext] = [:]
    }

    private static func normalize(
        _ event: FeedEvent<RawItem>, with normalizer: ItemNormalizer, contexts: ContextTable
    ) -> FeedEvent<FeedItem> {
        // Each lane's Normalize task has its own table, and a feed stays in one lane: no lock.
        switch event {
        case .begin(let c):
            contexts.contexts[c.source.id] = c
            return .begin(c)
        case .item(let raw, let feedID):
            let context = contexts.contexts[feedID]!
            return .item(normalizer.normalize(raw, context: context), feedID: feedID)
        case .end(let o):
            contexts.contexts[o.source.id] = nil
            return .end(o)
        }
    }
}
