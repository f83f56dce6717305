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
