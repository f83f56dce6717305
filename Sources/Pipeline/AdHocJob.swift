import Foundation
import IngestCore
import Fetch
import Parse
import Normalize
import Tag
import Emit
import NewsText

/// `ingest --feed/--feed-list/--page`: one pass over the given sources, no state.
public enum AdHocJob {
    public struct Options: Sendable {
        public var feeds: [String] = []
        public var feedLists: [String] = []
        public var pages: [String] = []
        /// `-` for standard output, else a directory.
        public var output: String = "-"
        /// With a directory: how long a day's part may stay unpublished (`--publish-every`).
        public var publishEvery: Duration = .seconds(10)
        public var feedRecords = false
        public var concurrency = 16
        public var timeoutSeconds: Double = 60
        public var maxBytes = 20 * 1024 * 1024
        public var retries = 2
        public var taxonomyPath: String?
        public var sourcesPath: String?
        public var timeZone: String?
        public var capacities = EdgeCapacities()
        /// Fetch each item's article page when its feed carries no body.
        public var fullText = false
        public init() {}
    }

    /// A problem that stops the run before any feed is read.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public var isConfiguration: Bool
        public init(_ description: String, isConfiguration: Bool = true) {
            self.description = description
            self.isConfiguration = isConfiguration
        }
    }

    public static func run(_ options: Options) async throws -> RunSummary {
        // The list goes to a `FeedSourceList` at once: past a few hundred entries it waits on disk.
        let sources: FeedSourceList
        let fetchesOverHTTP: Bool
        let sharedFeedIDs: Set<String>
        do {
            let resolved = try resolveSources(options)
            sharedFeedIDs = feedIDsShared(by: resolved)
            // Full text follows each item's link, which is usually a web address even in a local feed.
            fetchesOverHTTP = options.fullText || resolved.contains { !Fetcher.readsFromDisk($0.location) }
            sources = FeedSourceList(resolved)
        }
        var fetch = FetchConfiguration()
        fetch.maxConcurrent = options.concurrency
        fetch.totalTimeout = .milliseconds(Int64(options.timeoutSeconds * 1000))
        fetch.maxBytes = options.maxBytes
        fetch.retries = options.retries
        let stages = try StageFactory.make(
            fetch: fetch, taxonomyPath: options.taxonomyPath, sourcesPath: options.sourcesPath,
            normalize: NormalizeOptions(), fetchesOverHTTP: fetchesOverHTTP)
        defer { stages.fetcher.shutdown() }
        let runner = PipelineRunner(stages: stages, capacities: options.capacities, concurrency: options.concurrency)
        let runID = RunID.make()
        let started = Date()
        let delivery: StreamDelivery
        if options.output == "-" {
            delivery = StreamDelivery(sink: StdoutSink(), feedRecords: options.feedRecords)
        } else {
            let dir = URL(fileURLWithPath: options.output, isDirectory: true)
            do {
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            } catch {
                throw Failure("--output \(options.output): cannot create directory: \(error.localizedDescription)",
                              isConfiguration: false)
            }
            // A partition's part grows across batches and is published when full, every
            // `publishEvery` and at the end: one file per day of items, not one per day per batch.
            let sink = try PartitionedFileSink(
                directory: dir.path, runID: runID,
                options: PartitionedFileSinkOptions(holdPartsAcrossWrites: options.publishEvery))
            var files = StreamDelivery(sink: sink, feedRecords: options.feedRecords)
            files.flushAtFeedEnd = false
            delivery = files
        }
        var configured = delivery
        configured.feedIDsSharedBySources = sharedFeedIDs
        if options.fullText { configured.enricher = FullTextEnricher(stages: stages) }
        let finalDelivery = configured
        let reports = try await runner.run(sources: sources) { edge in try await finalDelivery.consume(edge) }
        return RunSummary(runID: runID, pipeline: nil, startedAt: started, finishedAt: Date(), reports: reports)
    }

    /// Feed ids that more than one of `sources` carries: after `resolveSources`, only a feed and
    /// a page read from the same address.
    static func feedIDsShared(by sources: [FeedSource]) -> Set<String> {
        var ids = Set<String>(), shared = Set<String>()
        for s in sources where !ids.insert(s.id).inserted { shared.insert(s.id) }
        return shared
    }

    /// Sources in the order given; duplicates (same location and kind) read once.
    static func resolveSources(_ options: Options) throws -> [FeedSource] {
        var sources: [FeedSource] = []
        for f in options.feeds { sources.append(FeedSource(location: f, kind: .feed, id: FeedID.derive(from: f))) }
        for list in options.feedLists {
            let file = URL(fileURLWithPath: list)
            guard FileManager.default.fileExists(atPath: file.path) else {
                throw Failure("--feed-list \(list): no such file")
            }
            do {
                sources.append(contentsOf: try FeedListLoader.load(file).filter(\.enabled).map(\.feedSource))
            } catch {
                throw Failure("--feed-list \(list): \(error)")
            }
        }
        for p in options.pages { sources.append(FeedSource(location: p, kind: .page, id: FeedID.derive(from: p))) }
        if let tz = options.timeZone {
            for i in sources.indices where sources[i].timeZone == nil { sources[i].timeZone = tz }
        }
        var seen = Set<String>()
        return sources.filter { seen.insert("\($0.kind.rawValue) \($0.id)").inserted }
    }
}

/// Run ids sort by time (to the millisecond) and are unique across machines:
/// `20251107T022500123Z-3f9a1c0e`.
public enum RunID {
    public static func make(now: Date = Date()) -> String {
        let ms = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = Date(timeIntervalSince1970: Double(ms / 1000))
        let stamp = RFC3339.utc(seconds).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
            .dropLast()  // the "Z"
        let millis = String(ms % 1000)
        let random = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return stamp + String(repeating: "0", count: 3 - millis.count) + millis + "Z-"
            + String(repeating: "0", count: 8 - random.count) + random
    }
}
