import Foundation
import IngestCore

/// The sources of one ad-hoc run, read once, in order, by the Fetch stage.
///
/// A feed list of tens of thousands of entries would otherwise stay in memory for the whole
/// run (about 270 bytes a feed: the record and its location, id and title), so past the first
/// `memoryLimit` sources the rest wait in a temporary file until Fetch reaches them.
///
/// Filled before the run, then iterated by one task; hence `@unchecked Sendable`.
public final class FeedSourceList: Sequence, @unchecked Sendable {
    public static let defaultMemoryLimit = 256

    private let sources: SpillingList<FeedSource>

    public init(_ sources: [FeedSource] = [], memoryLimit: Int = FeedSourceList.defaultMemoryLimit) {
        self.sources = SpillingList(memoryLimit: memoryLimit)
        for s in sources { self.sources.append(s) }
    }

    /// Adds a source at the end; only before the run starts reading the list.
    public func append(_ source: FeedSource) { sources.append(source) }

    public var count: Int { sources.count }
    /// True when some sources wait in the temporary file (what the tests check).
    public var isSpilled: Bool { sources.isSpilled }

    public func makeIterator() -> some IteratorProtocol<FeedSource> { sources.makeIterator() }
}

extension FeedSource: SpoolRecord {
    func write(to out: inout SpoolWriter) {
        out.string(location)
        out.string(kind.rawValue)
        out.string(id)
        out.string(language)
        out.string(timeZone)
        out.string(sourceID)
        out.string(title)
    }

    static func read(from r: SpoolReader) -> FeedSource? {
        guard let location = r.string() ?? nil, let kindName = r.string() ?? nil,
              let kind = FeedSource.Kind(rawValue: kindName), let id = r.string() ?? nil,
              let language = r.string(), let timeZone = r.string(), let sourceID = r.string(),
              let title = r.string()
        else { return nil }
        return FeedSource(location: location, kind: kind, id: id, language: language, timeZone: timeZone,
                          sourceID: sourceID, title: title)
    }
}

/// A pipeline's feeds as a scheduled job keeps them between runs (`ScheduledJob.feeds`): the
/// first `memoryLimit` in memory, the rest in an unlinked temporary file, read a few times per
/// run. Held as an array, a list of tens of thousands of feeds stayed resident for the life of
/// the job, about 300 bytes a feed (issue 3's bound). Passes share the file's position, so a
/// lock keeps them one at a time; hence `@unchecked Sendable`.
public final class ScheduledFeedList: @unchecked Sendable {
    private let feeds: SpillingList<ScheduledFeed>
    private let lock = NSLock()

    public init(_ feeds: [ScheduledFeed], memoryLimit: Int = FeedSourceList.defaultMemoryLimit) {
        self.feeds = SpillingList(memoryLimit: memoryLimit)
        for f in feeds { self.feeds.append(f) }
    }

    public var count: Int { feeds.count }
    /// True when some feeds wait in the temporary file (what the tests check).
    public var isSpilled: Bool { feeds.isSpilled }

    /// Every feed, in list order. `body` must not start another pass.
    public func forEach(_ body: (ScheduledFeed) throws -> Void) rethrows {
        lock.lock()
        defer { lock.unlock() }
        for f in feeds { try body(f) }
    }

    /// The enabled feeds' ids, in list order.
    public var enabledIDs: [String] {
        var ids: [String] = []
        forEach { if $0.enabled { ids.append($0.source.id) } }
        return ids
    }
}

extension ScheduledFeed: SpoolRecord {
    func write(to out: inout SpoolWriter) {
        source.write(to: &out)
        out.int(enabled ? 1 : 0)
        out.int(interval == nil ? 0 : 1)
        out.int(Int(Int64(bitPattern: (interval ?? 0).bitPattern)))
    }

    static func read(from r: SpoolReader) -> ScheduledFeed? {
        guard let source = FeedSource.read(from: r), let enabled = r.int(), let hasInterval = r.int(), let bits = r.int()
        else { return nil }
        return ScheduledFeed(
            source: source, interval: hasInterval == 0 ? nil : Double(bitPattern: UInt64(bitPattern: Int64(bits))),
            enabled: enabled != 0)
    }
}
