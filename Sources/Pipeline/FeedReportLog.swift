import Foundation
import IngestCore

/// The finished feeds' reports of one run, in the order they finished.
///
/// A run over a list of tens of thousands of feeds must stay inside the same memory bound as
/// a run over ten (issue 3), so only the first `memoryLimit` reports stay in memory; the rest
/// go, as they finish, to an unlinked temporary file that the run summary reads back when it
/// is written. The totals are kept as reports arrive, so they never need the file.
///
/// Written by one task (the delivery at the end of the pipeline), then only read once it is
/// handed on in a `RunSummary`; hence `@unchecked Sendable`.
public final class FeedReportLog: @unchecked Sendable {
    /// Reports kept in memory before the rest go to the file: what a typical run holds anyway.
    public static let defaultMemoryLimit = 256

    private let memoryLimit: Int
    private var head: [FeedReport] = []
    /// `nil` until the first report past `memoryLimit`; if no temporary file can be made the
    /// rest stay in `head`, as before this type existed, rather than being lost.
    private var spool: TemporaryRecordFile?
    private var spoolFailed = false
    public private(set) var count = 0
    public private(set) var tally = RunSummary.Totals(feeds: 0, ok: 0, notModified: 0, failed: 0, skipped: 0,
                                                      emitted: 0, new: 0, changed: 0, unchanged: 0, warnings: 0, bytes: 0)

    public init(_ reports: [FeedReport] = [], memoryLimit: Int = FeedReportLog.defaultMemoryLimit) {
        self.memoryLimit = max(0, memoryLimit)
        for r in reports { append(r) }
    }

    /// True when some reports live in the temporary file (what the tests check).
    public var isSpilled: Bool { spool != nil }

    public func append(_ report: FeedReport) {
        count += 1
        tally.feeds += 1
        switch report.status {
        case .ok: tally.ok += 1
        case .notModified: tally.notModified += 1
        case .failed: tally.failed += 1
        case .skipped: tally.skipped += 1
        }
        tally.emitted += report.emitted
        tally.new += report.new
        tally.changed += report.changed
        tally.unchanged += report.unchanged
        tally.warnings += report.warnings.count
        tally.bytes += report.bytes
        if head.count < memoryLimit || !openSpool() {
            head.append(report)
            return
        }
        var out = SpoolWriter()
        out.encode(report)
        spool?.append(out.bytes)
    }

    /// Every report, in order: those in memory, then those read back from the file.
    public func forEach(_ body: (FeedReport) throws -> Void) rethrows {
        for r in head { try body(r) }
        guard let spool else { return }
        let reader = spool.reader()
        defer { spool.endReading() }
        while let r = reader.nextReport() { try body(r) }
    }

    /// All reports as one array: for runs small enough to hold (a scheduled run's summary
    /// file, tests); large ad-hoc runs use `forEach`.
    public var all: [FeedReport] {
        var out: [FeedReport] = []
        out.reserveCapacity(count)
        forEach { out.append($0) }
        return out
    }

    private func openSpool() -> Bool {
        if spool != nil { return true }
        if spoolFailed { return false }
        spool = TemporaryRecordFile()
        spoolFailed = spool == nil
        return spool != nil
    }
}

extension SpoolWriter {
    mutating func encode(_ r: FeedReport) {
        string(r.feedID)
        string(r.url)
        string(r.status.rawValue)
        int(r.httpStatus ?? -1)
        string(r.format)
        string(r.encoding)
        int(r.emitted)
        int(r.new)
        int(r.changed)
        int(r.unchanged)
        int(r.warnings.count)
        for w in r.warnings { string(w) }
        string(r.error)
        int(r.bytes)
        int(Int(Int64(bitPattern: r.seconds.bitPattern)))
    }
}

extension SpoolReader {
    /// `nil` at the end of the file (a short read is the end too: the file is our own).
    func nextReport() -> FeedReport? {
        guard let feedID = string() ?? nil, let url = string() ?? nil,
              let statusName = string() ?? nil, let status = FeedOutcome.Status(rawValue: statusName),
              let http = int(), let format = string(), let encoding = string(),
              let emitted = int(), let new = int(), let changed = int(), let unchanged = int(),
              let warningCount = int()
        else { return nil }
        var warnings: [String] = []
        for _ in 0..<max(0, warningCount) {
            guard let w = string() ?? nil else { return nil }
            warnings.append(w)
        }
        guard let error = string(), let bytes = int(), let seconds = int() else { return nil }
        return FeedReport(
            feedID: feedID, url: url, status: status, httpStatus: http < 0 ? nil : http, format: format,
            encoding: encoding, emitted: emitted, new: new, changed: changed, unchanged: unchanged,
            warnings: warnings, error: error, bytes: bytes, seconds: Double(bitPattern: UInt64(bitPattern: Int64(seconds))))
    }
}
