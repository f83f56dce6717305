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

    private let reports: SpillingList<FeedReport>
    public private(set) var tally = RunSummary.Totals(feeds: 0, ok: 0, notModified: 0, failed: 0, skipped: 0,
                                                      emitted: 0, new: 0, changed: 0, unchanged: 0, warnings: 0, bytes: 0)

    public init(_ reports: [FeedReport] = [], memoryLimit: Int = FeedReportLog.defaultMemoryLimit) {
        self.reports = SpillingList(memoryLimit: memoryLimit)
        for r in reports { append(r) }
    }

    public var count: Int { reports.count }
    /// True when some reports live in the temporary file (what the tests check).
    public var isSpilled: Bool { reports.isSpilled }

    public func append(_ report: FeedReport) {
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
        reports.append(report)
    }

    /// Every report, in order: those in memory, then those read back from the file.
    public func forEach(_ body: (FeedReport) throws -> Void) rethrows {
        for r in reports { try body(r) }
    }

    /// All reports as one array: for runs small enough to hold (a scheduled run's summary
    /// file, tests); large ad-hoc runs use `forEach`.
    public var all: [FeedReport] {
        var out: [FeedReport] = []
        out.reserveCapacity(count)
        forEach { out.append($0) }
        return out
    }
}

extension FeedReport: SpoolRecord {
    func write(to out: inout SpoolWriter) {
        out.string(feedID)
        out.string(url)
        out.string(status.rawValue)
        out.int(httpStatus ?? -1)
        out.string(format)
        out.string(encoding)
        out.int(emitted)
        out.int(new)
        out.int(changed)
        out.int(unchanged)
        out.int(warnings.count)
        for w in warnings { out.string(w) }
        out.string(error)
        out.int(bytes)
        out.int(Int(Int64(bitPattern: seconds.bitPattern)))
    }

    static func read(from r: SpoolReader) -> FeedReport? {
        guard let feedID = r.string() ?? nil, let url = r.string() ?? nil,
              let statusName = r.string() ?? nil, let status = FeedOutcome.Status(rawValue: statusName),
              let http = r.int(), let format = r.string(), let encoding = r.string(),
              let emitted = r.int(), let new = r.int(), let changed = r.int(), let unchanged = r.int(),
              let warningCount = r.int()
        else { return nil }
        var warnings: [String] = []
        for _ in 0..<max(0, warningCount) {
            guard let w = r.string() ?? nil else { return nil }
            warnings.append(w)
        }
        guard let error = r.string(), let bytes = r.int(), let seconds = r.int() else { return nil }
        return FeedReport(
            feedID: feedID, url: url, status: status, httpStatus: http < 0 ? nil : http, format: format,
            encoding: encoding, emitted: emitted, new: new, changed: changed, unchanged: unchanged,
            warnings: warnings, error: error, bytes: bytes, seconds: Double(bitPattern: UInt64(bitPattern: Int64(seconds))))
    }
}

/// A scheduled run writes every feed's record (the feeds dimension) once the run is over;
/// past the first few hundred they wait in a temporary file like the reports.
extension FeedRecord: SpoolRecord {
    func write(to out: inout SpoolWriter) {
        out.string(url)
        out.string(finalURL)
        out.string(title)
        out.string(link)
        out.string(language)
        out.string(description)
        out.string(format)
        out.string(encoding)
        out.int(httpStatus ?? -1)
        out.int(items)
        out.int(warnings.count)
        for w in warnings { out.string(w) }
        out.string(error)
        out.string(feedID)
        out.int(fetchedAt == nil ? 0 : 1)
        out.int(Int(Int64(bitPattern: (fetchedAt?.timeIntervalSinceReferenceDate ?? 0).bitPattern)))
    }

    static func read(from r: SpoolReader) -> FeedRecord? {
        guard let url = r.string() ?? nil, let finalURL = r.string(), let title = r.string(), let link = r.string(),
              let language = r.string(), let description = r.string(), let format = r.string(),
              let encoding = r.string(), let http = r.int(), let items = r.int(), let warningCount = r.int()
        else { return nil }
        var warnings: [String] = []
        for _ in 0..<max(0, warningCount) {
            guard let w = r.string() ?? nil else { return nil }
            warnings.append(w)
        }
        guard let error = r.string(), let feedID = r.string(), let hasDate = r.int(), let seconds = r.int() else { return nil }
        return FeedRecord(
            url: url, finalURL: finalURL, title: title, link: link, language: language, description: description,
            format: format, encoding: encoding, httpStatus: http < 0 ? nil : http, items: items, warnings: warnings,
            error: error, feedID: feedID,
            fetchedAt: hasDate == 0 ? nil : Date(timeIntervalSinceReferenceDate: Double(bitPattern: UInt64(bitPattern: Int64(seconds)))))
    }
}

/// The feeds dimension of a scheduled run (one `FeedRecord` per finished feed, in the order
/// they finished), written once the run is over. Past the first `memoryLimit` records the rest
/// wait in an unlinked temporary file, as `FeedReportLog`'s reports do.
///
/// Filled by one task (the delivery), then read once it is handed on; hence `@unchecked Sendable`.
public final class FeedRecordLog: Sequence, @unchecked Sendable {
    private let records: SpillingList<FeedRecord>

    public init(_ records: [FeedRecord] = [], memoryLimit: Int = FeedReportLog.defaultMemoryLimit) {
        self.records = SpillingList(memoryLimit: memoryLimit)
        for r in records { append(r) }
    }

    public var count: Int { records.count }
    /// True when some records wait in the temporary file (what the tests check).
    public var isSpilled: Bool { records.isSpilled }

    public func append(_ record: FeedRecord) { records.append(record) }

    public func makeIterator() -> some IteratorProtocol<FeedRecord> { records.makeIterator() }
}
