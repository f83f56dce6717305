import Foundation
import IngestCore

/// The sources of one ad-hoc run, read once, in order, by the Fetch stage.
///
/// A feed list of tens of thousands of entries would otherwise stay in memory for the whole
/// run (about 270 bytes a feed: the record and its location, id and title), so past the first
/// `memoryLimit` sources the rest wait in an unlinked temporary file until Fetch reaches them.
///
/// Filled before the run, then iterated by one task; hence `@unchecked Sendable`.
public final class FeedSourceList: Sequence, @unchecked Sendable {
    public static let defaultMemoryLimit = 256

    private let memoryLimit: Int
    private var head: [FeedSource] = []
    private var spool: TemporaryRecordFile?
    private var spoolFailed = false
    public private(set) var count = 0

    public init(_ sources: [FeedSource] = [], memoryLimit: Int = FeedSourceList.defaultMemoryLimit) {
        self.memoryLimit = Swift.max(0, memoryLimit)
        for s in sources { append(s) }
    }

    /// True when some sources wait in the temporary file (what the tests check).
    public var isSpilled: Bool { spool != nil }

    public func append(_ source: FeedSource) {
        count += 1
        if head.count < memoryLimit || !openSpool() {
            head.append(source)
            return
        }
        var out = SpoolWriter()
        out.string(source.location)
        out.string(source.kind.rawValue)
        out.string(source.id)
        out.string(source.language)
        out.string(source.timeZone)
        out.string(source.sourceID)
        out.string(source.title)
        spool?.append(out.bytes)
    }

    public func makeIterator() -> Iterator { Iterator(list: self) }

    public struct Iterator: IteratorProtocol {
        private let list: FeedSourceList
        private var index = 0
        private var reader: SpoolReader?

        init(list: FeedSourceList) { self.list = list }

        public mutating func next() -> FeedSource? {
            if index < list.head.count {
                index += 1
                return list.head[index - 1]
            }
            guard let spool = list.spool else { return nil }
            if reader == nil { reader = spool.reader() }
            guard let r = reader,
                  let location = r.string() ?? nil, let kindName = r.string() ?? nil,
                  let kind = FeedSource.Kind(rawValue: kindName), let id = r.string() ?? nil,
                  let language = r.string(), let timeZone = r.string(), let sourceID = r.string(),
                  let title = r.string()
            else {
                spool.endReading()
                return nil
            }
            return FeedSource(location: location, kind: kind, id: id, language: language, timeZone: timeZone,
                              sourceID: sourceID, title: title)
        }
    }

    private func openSpool() -> Bool {
        if spool != nil { return true }
        if spoolFailed { return false }
        spool = TemporaryRecordFile()
        spoolFailed = spool == nil
        return spool != nil
    }
}
