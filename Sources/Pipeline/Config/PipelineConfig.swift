import Foundation
import IngestCore

/// A pipeline file after loading: every setting resolved to a value (defaults filled in),
/// every path absolute, every feed list read and merged. Stages take their settings from
/// here and never look at YAML.
public struct PipelineConfig: Sendable {
    public var name: String
    public var description: String?
    /// The pipeline file itself (`nil` for a config built in code).
    public var file: URL?
    /// Directory that relative paths in the pipeline file resolve against.
    public var root: URL
    /// Feed list files, in the order written.
    public var feedLists: [URL]
    /// All feeds: inline ones first, then each list's in order; ids are unique.
    public var feeds: [FeedEntry]
    public var fetch: FetchSettings
    public var normalize: NormalizeSettings
    public var tag: TagSettings
    /// Source registry (`pipelines/sources.yaml`); `nil` when the default file does not exist.
    public var sources: URL?
    public var buffers: BufferSettings
    public var output: OutputSettings
    public var state: StateSettings
    public var schedule: ScheduleSettings
    /// Fetch each new item's link and fill `content` (and missing byline fields) from the page.
    public var fullText: Bool
    public var serve: ServeSettings

    /// Feeds the scheduler should consider (`enabled: false` parks a feed without losing its state).
    public var enabledFeeds: [FeedEntry] { feeds.filter(\.enabled) }

    /// A pipeline with every default, for `name` under `root`; what an empty pipeline file gives.
    public init(name: String, root: URL) {
        self.name = name
        self.description = nil
        self.file = nil
        self.root = root
        self.feedLists = []
        self.feeds = []
        self.fetch = FetchSettings()
        self.normalize = NormalizeSettings()
        let taxonomy = root.appendingPathComponent("pipelines/topics.yaml")
        self.tag = TagSettings(taxonomy: FileManager.default.fileExists(atPath: taxonomy.path) ? taxonomy : nil)
        let registry = root.appendingPathComponent("pipelines/sources.yaml")
        self.sources = FileManager.default.fileExists(atPath: registry.path) ? registry : nil
        self.buffers = BufferSettings()
        let outputDirectory = root.appendingPathComponent("output").appendingPathComponent(name)
        self.output = OutputSettings(directory: outputDirectory)
        self.state = StateSettings(backend: .sqlite, path: outputDirectory.appendingPathComponent("state.sqlite"), url: nil)
        self.schedule = ScheduleSettings()
        self.fullText = false
        self.serve = ServeSettings()
    }
}

/// `fetch:` — how the Fetch stage talks to servers.
public struct FetchSettings: Sendable, Equatable {
    /// Transfers in flight at once (libcurl multi handle).
    public var concurrency = 16
    /// Transfers in flight to one host, across the whole run.
    public var perHost = 4
    public var connectTimeout: TimeInterval = 10
    /// Whole transfer, connect included.
    public var timeout: TimeInterval = 30
    /// A transfer slower than `lowSpeedLimit` bytes/s for `lowSpeedTime` is abandoned.
    public var lowSpeedLimit = 100
    public var lowSpeedTime: TimeInterval = 30
    /// Extra attempts after a timeout, 5xx, 408 or 429 (other 4xx are never retried).
    public var retries = 2
    /// Size cap per response body (decimal MB: 20 MB = 20,000,000 bytes).
    public var maxBytes = 20_000_000
    public var maxRedirects = 5
    public var userAgent = IngestVersion.userAgent
    public init() {}
}

/// `normalize:` — options of the Normalize stage.
public struct NormalizeSettings: Sendable, Equatable {
    /// Zone for times printed without one when neither the feed entry nor the source
    /// registry says; `nil` lets Normalize decide by language (Chinese: `chineseTimeZone`, else UTC).
    public var defaultTimeZone: String?
    /// Zone assumed for Chinese-language sources that state none.
    public var chineseTimeZone = "Asia/Shanghai"
    /// Remove site names glued to headlines (`… - 钛媒体`, `… | Reuters`).
    public var stripSiteNames = true
    /// Remove `utm_*`, `spm` and similar parameters from item URLs.
    public var stripTracking = true
    public init() {}
}

/// `tag:` — the Tag stage.
public struct TagSettings: Sendable, Equatable {
    /// Topic taxonomy; `nil` when the default `pipelines/topics.yaml` does not exist.
    public var taxonomy: URL?
    public init(taxonomy: URL?) { self.taxonomy = taxonomy }
}

/// `buffers:` — capacities of the bounded channels between stages, in elements. They bound
/// memory: a slow sink fills them and the fetcher waits.
///
/// The defaults are the ad-hoc run's (`EdgeCapacities`). A scheduled run's sink waits on every
/// commit's fsyncs, so its buffers stand full much of the time: at 32 documents and 256 items
/// they held about 5 MB more than these (issue 3's bound), and Parse kept pace with 4.
public struct BufferSettings: Sendable, Equatable {
    /// Fetch -> Parse (whole documents: keep small).
    public var fetched = 4
    /// Parse -> Normalize (items).
    public var parsed = 64
    /// Normalize -> Tag.
    public var normalized = 64
    /// Tag -> Emit.
    public var tagged = 64
    public init() {}
}

/// `output:` — where and how Emit writes records.
public struct OutputSettings: Sendable, Equatable {
    public enum Compression: String, Sendable, CaseIterable { case none, gzip }
    public var directory: URL
    public var compression = Compression.none
    /// Start a new part file after this many records ...
    public var rotateRecords = 100_000
    /// ... or this many bytes, whichever comes first.
    public var rotateBytes = 128_000_000
    /// Write `feeds.jsonl` (the contract's feed record per feed and run).
    public var feedRecords = true
    public init(directory: URL) { self.directory = directory }
}

/// `state:` — where the pipeline remembers validators, items and schedules.
public struct StateSettings: Sendable, Equatable {
    public enum Backend: String, Sendable, CaseIterable { case sqlite, postgres }
    public var backend: Backend
    /// SQLite database file (backend `sqlite`).
    public var path: URL
    /// Connection URL (backend `postgres`), `${VAR}` references already expanded.
    public var url: String?
    public init(backend: Backend, path: URL, url: String?) {
        self.backend = backend
        self.path = path
        self.url = url
    }
}

/// `schedule:` — when feeds are due.
public struct ScheduleSettings: Sendable, Equatable {
    /// Interval for feeds whose entry sets none and whose document says nothing (ttl, sy:updatePeriod, max-age).
    public var interval: TimeInterval = 30 * 60
    /// Bounds every interval, whoever set it, is clamped to.
    public var minInterval: TimeInterval = 60
    public var maxInterval: TimeInterval = 24 * 3600
    /// Longest wait after repeated failures (exponential backoff with jitter stops growing here).
    public var maxBackoff: TimeInterval = 24 * 3600
    public init() {}

    /// `interval` clamped to the bounds.
    public func clamp(_ interval: TimeInterval) -> TimeInterval {
        Swift.min(Swift.max(interval, minInterval), maxInterval)
    }
}

/// `serve:` — the long-running mode's endpoints.
public struct ServeSettings: Sendable, Equatable {
    public var metricsHost = "127.0.0.1"
    /// Prometheus `/metrics` port; 0 turns the endpoint off.
    public var metricsPort = 9464
    /// Answer `GET /health` on the metrics port.
    public var health = true
    public init() {}
}
