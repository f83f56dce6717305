import Foundation
import IngestCore
import Fetch
import Emit
import Normalize
import State

extension PipelineConfig {
    /// The root a pipeline named on the command line resolves against: the working
    /// directory when it has `pipelines/`, else `INGEST_HOME` or the checkout the binary
    /// was built in.
    public static func commandLineRoot(for pathOrName: String) -> URL {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        if pathOrName.contains("/") || pathOrName.hasSuffix(".yaml") || pathOrName.hasSuffix(".yml") { return cwd }
        for root in ProjectPaths.searchRoots()
        where FileManager.default.fileExists(atPath: root.appendingPathComponent("pipelines/\(pathOrName).yaml").path) {
            return root
        }
        return cwd
    }

    /// What the Fetch stage takes.
    public var fetchConfiguration: FetchConfiguration {
        var f = FetchConfiguration()
        f.maxConcurrent = fetch.concurrency
        f.maxPerHost = fetch.perHost
        f.connectTimeout = .milliseconds(Int64(fetch.connectTimeout * 1000))
        f.totalTimeout = .milliseconds(Int64(fetch.timeout * 1000))
        f.lowSpeedBytesPerSecond = fetch.lowSpeedLimit
        f.lowSpeedTime = .milliseconds(Int64(fetch.lowSpeedTime * 1000))
        f.retries = fetch.retries
        f.maxBytes = fetch.maxBytes
        f.maxRedirects = fetch.maxRedirects
        f.userAgent = fetch.userAgent
        return f
    }

    /// The settings of one scheduled run of this pipeline.
    public func scheduledSettings(ignoreSchedule: Bool = false, progress: Bool = false) throws -> ScheduledSettings {
        let feeds = self.feeds.map { entry in
            var source = entry.feedSource
            if source.timeZone == nil, let tz = normalize.defaultTimeZone { source.timeZone = tz }
            return ScheduledFeed(source: source, interval: entry.interval, enabled: entry.enabled)
        }
        var s = ScheduledSettings(name: name, feeds: feeds, outputDirectory: output.directory, statePath: state.path.path)
        var sink = PartitionedFileSinkOptions(
            compression: output.compression == .gzip ? .gzip() : .none, maxRecordsPerPart: output.rotateRecords,
            maxBytesPerPart: output.rotateBytes)
        sink.sync = true
        s.sink = sink
        s.feedRecords = output.feedRecords
        s.fetch = fetchConfiguration
        s.capacities = EdgeCapacities(fetched: buffers.fetched, items: buffers.parsed)
        s.taxonomyPath = tag.taxonomy?.path
        s.sourcesPath = sources?.path
        s.normalize = NormalizeOptions(chineseDefaultZone: normalize.chineseTimeZone)
        s.schedule = SchedulePolicy(
            minimumInterval: schedule.minInterval, maximumInterval: schedule.maxInterval,
            defaultInterval: schedule.interval, maximumBackoff: schedule.maxBackoff)
        s.fullText = fullText
        if state.backend == .postgres {
            guard let url = state.url else { throw AdHocJob.Failure("state backend 'postgres' needs state.url (postgres://...)") }
            s.stateURL = url
        }
        s.ignoreSchedule = ignoreSchedule
        s.progress = progress
        return s
    }
}
