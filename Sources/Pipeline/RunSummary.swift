import Foundation
import IngestCore

/// What happened to one source in one run: the line users read on standard error and
/// the entry in `output/NAME/runs/<run>.json`.
public struct FeedReport: Sendable, Codable {
    public var feedID: String
    public var url: String
    public var status: FeedOutcome.Status
    public var httpStatus: Int?
    public var format: String?
    public var encoding: String?
    /// Records written for this feed in this run.
    public var emitted: Int
    public var new: Int
    public var changed: Int
    public var unchanged: Int
    public var warnings: [String]
    public var error: String?
    public var bytes: Int
    public var seconds: Double

    enum CodingKeys: String, CodingKey {
        case feedID = "feed_id", url, status, httpStatus = "http_status", format, encoding, emitted, new, changed,
            unchanged, warnings, error, bytes, seconds
    }
}

/// The whole run, in source order.
public struct RunSummary: Sendable, Codable {
    public var runID: String
    public var pipeline: String?
    public var startedAt: Date
    public var finishedAt: Date
    /// The feeds this run fetched or tried to, in the order they finished; past the first
    /// few hundred they live in a temporary file (`FeedReportLog`).
    public var reports: FeedReportLog
    /// `reports` as one array: for small runs and tests; large runs read `reports.forEach`.
    public var feeds: [FeedReport] { reports.all }
    /// Enabled feeds that were not due, counted but not listed: a run every few minutes over
    /// a large list would otherwise write (and store in state) a report per idle feed, half a
    /// megabyte per run at 2,000 feeds and hundreds at a million.
    public var notDue: Int

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", pipeline, startedAt = "started_at", finishedAt = "finished_at", feeds, notDue = "not_due",
            totals
    }

    public struct Totals: Sendable, Codable {
        public var feeds: Int
        public var ok: Int
        public var notModified: Int
        public var failed: Int
        public var skipped: Int
        public var emitted: Int
        public var new: Int
        public var changed: Int
        public var unchanged: Int
        public var warnings: Int
        public var bytes: Int
        enum CodingKeys: String, CodingKey {
            case feeds, ok, notModified = "not_modified", failed, skipped, emitted, new, changed, unchanged, warnings, bytes
        }
    }

    public var totals: Totals {
        var t = reports.tally
        t.feeds += notDue
        t.skipped += notDue
        return t
    }

    public var failedFeeds: [FeedReport] {
        var failed: [FeedReport] = []
        if reports.tally.failed > 0 { reports.forEach { if $0.status == .failed { failed.append($0) } } }
        return failed
    }

    public init(runID: String, pipeline: String?, startedAt: Date, finishedAt: Date, feeds: [FeedReport], notDue: Int = 0) {
        self.init(runID: runID, pipeline: pipeline, startedAt: startedAt, finishedAt: finishedAt,
                  reports: FeedReportLog(feeds), notDue: notDue)
    }

    public init(runID: String, pipeline: String?, startedAt: Date, finishedAt: Date, reports: FeedReportLog, notDue: Int = 0) {
        self.runID = runID
        self.pipeline = pipeline
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.reports = reports
        self.notDue = notDue
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        runID = try c.decode(String.self, forKey: .runID)
        pipeline = try c.decodeIfPresent(String.self, forKey: .pipeline)
        startedAt = try c.decode(Date.self, forKey: .startedAt)
        finishedAt = try c.decode(Date.self, forKey: .finishedAt)
        reports = FeedReportLog(try c.decode([FeedReport].self, forKey: .feeds))
        notDue = try c.decodeIfPresent(Int.self, forKey: .notDue) ?? 0
    }

    /// `feeds`, then every other field through `Header`, which the streamed writer and the
    /// state's record use alone: one list of the fields for all three.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(feeds, forKey: .feeds)
        try Header(self).encode(to: encoder)
    }

    /// JSON for `runs/<run>.json`: dates in RFC 3339, keys sorted for diffable files.
    public func jsonData() throws -> Data {
        try Self.makeEncoder().encode(self)
    }

    static func makeEncoder() -> JSONEncoder {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        enc.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(RFC3339.utc(date))
        }
        return enc
    }

    /// `jsonData()`'s bytes in pieces of about 64 KB, for writing as they come: a scheduled run
    /// over tens of thousands of feeds would otherwise hold its whole summary (about 400 bytes
    /// a feed) at its end, on top of everything the run still holds (issue 3's bound).
    ///
    /// Each report is encoded alone by the same encoder and indented to its depth in the whole
    /// document; the fields after `feeds` come from `Header`, which encodes them as
    /// `encode(to:)` does. `feeds` sorts first among the keys, so the pieces join in the order
    /// `jsonData()` writes them. The tests compare the two byte for byte.
    public func writeJSON(in emit: (Data) throws -> Void) throws {
        let encoder = Self.makeEncoder()
        var out = Data("{\n  \"feeds\" : [\n".utf8)
        var first = true
        try reports.forEach { report in
            if out.count >= 64 * 1024 {
                try emit(out)
                out.removeAll(keepingCapacity: true)
            }
            if !first { out.append(contentsOf: ",\n".utf8) }
            first = false
            // Strings escape their line breaks, so every newline is the pretty-printer's; the
            // empty line it prints inside an empty array (`warnings`) stays empty.
            var lineStart = true
            for byte in try encoder.encode(report) {
                if lineStart, byte != UInt8(ascii: "\n") { out.append(contentsOf: "    ".utf8) }
                out.append(byte)
                lineStart = byte == UInt8(ascii: "\n")
            }
        }
        // After the last report, or (no reports) as the empty line Foundation's encoder prints
        // inside an empty array.
        out.append(contentsOf: "\n  ],\n".utf8)
        let rest = try encoder.encode(Header(self))
        // `{\n` opens the object the fields above already opened.
        out.append(rest.dropFirst(2))
        try emit(out)
    }

    /// What the state's run record keeps (`runs.summary_json`): the whole summary while it lists
    /// at most `feedLimit` feeds; past that, the same object without `feeds`, with how many it
    /// left out and the file that has them. A run over tens of thousands of feeds would
    /// otherwise copy megabytes into one state row (and first into memory).
    public func stateJSON(feedLimit: Int) throws -> String {
        if reports.count <= feedLimit { return String(decoding: try jsonData(), as: UTF8.self) }
        var header = Header(self)
        header.feedsOmitted = reports.count
        header.feedsFile = "runs/\(runID).json"
        return String(decoding: try Self.makeEncoder().encode(header), as: UTF8.self)
    }

    /// Every field of the summary but `feeds`, encoded under the same keys (into the same
    /// object when `encode(to:)` calls it).
    struct Header: Encodable {
        var summary: RunSummary
        var feedsOmitted: Int?
        var feedsFile: String?

        init(_ summary: RunSummary) { self.summary = summary }

        enum CodingKeys: String, CodingKey {
            case runID = "run_id", pipeline, startedAt = "started_at", finishedAt = "finished_at", notDue = "not_due",
                totals, feedsOmitted = "feeds_omitted", feedsFile = "feeds_file"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(summary.runID, forKey: .runID)
            try c.encodeIfPresent(summary.pipeline, forKey: .pipeline)
            try c.encode(summary.startedAt, forKey: .startedAt)
            try c.encode(summary.finishedAt, forKey: .finishedAt)
            try c.encode(summary.notDue, forKey: .notDue)
            try c.encode(summary.totals, forKey: .totals)
            try c.encodeIfPresent(feedsOmitted, forKey: .feedsOmitted)
            try c.encodeIfPresent(feedsFile, forKey: .feedsFile)
        }
    }

    /// Human-readable report for standard error: one line per feed, failures with
    /// their reason, then totals.
    public func render() -> String {
        var all = ""
        render { all += $0 }
        return all
    }

    /// `render()` written to `handle` (standard error for the commands and the daemon) as it is made.
    public func writeReport(to handle: FileHandle) {
        render { handle.write(Data($0.utf8)) }
    }

    /// `render()` in pieces of about 64 KB, for writing as they come: a summary of thousands
    /// of feeds is otherwise built whole, then copied whole for the write, at the end of the run.
    public func render(in emit: (String) -> Void) {
        var out = ""
        reports.forEach { f in
            if out.utf8.count >= 64 * 1024 {
                emit(out)
                out = ""
            }
            let code = f.httpStatus.map { " http=\($0)" } ?? ""
            let time = String(format: "%.2fs", f.seconds)
            switch f.status {
            case .failed:
                // The error names its source for logs; here the line already does.
                var reason = f.error ?? "unknown error"
                if reason.hasPrefix(f.url + ": ") { reason.removeFirst(f.url.count + 2) }
                out += "  FAIL  \(f.url)\(code) \(time): \(reason)\n"
            case .notModified:
                out += "  304   \(f.url) \(time): not modified\n"
            case .skipped:
                return  // counted in the totals; thousands of "not due" lines help nobody
            case .ok:
                var line = "  ok    \(f.url)\(code) \(time): \(f.emitted) emitted"
                if f.new + f.changed + f.unchanged > 0 {
                    line += " (\(f.new) new, \(f.changed) changed, \(f.unchanged) unchanged)"
                }
                if let fmt = f.format { line += " [\(fmt)\(f.encoding.map { ", \($0)" } ?? "")]" }
                out += line + "\n"
            }
            for w in f.warnings.prefix(5) { out += "        warning: \(w)\n" }
            if f.warnings.count > 5 { out += "        (\(f.warnings.count - 5) more warnings)\n" }
        }
        let t = totals
        let secs = finishedAt.timeIntervalSince(startedAt)
        out += "ingest: \(t.feeds) sources: \(t.ok) ok, \(t.notModified) not modified, \(t.failed) failed"
        if t.skipped > 0 { out += ", \(t.skipped) not due" }
        out += "; \(t.emitted) records; \(t.warnings) warnings; \(t.bytes) bytes in \(String(format: "%.2f", secs))s"
        out += " (run \(runID))\n"
        emit(out)
    }
}
