import Foundation

/// The outlet behind an item (`source` in the record).
public struct SourceRef: Sendable, Hashable, Codable {
    public var id: String?
    public var name: String?
    public var nameEn: String?
    public init(id: String? = nil, name: String? = nil, nameEn: String? = nil) {
        self.id = id
        self.name = name
        self.nameEn = nameEn
    }
    public var isEmpty: Bool { id == nil && name == nil && nameEn == nil }
}

/// The feed an item came from (`feed` in the record); all `nil` for `--page`.
public struct FeedRef: Sendable, Hashable, Codable {
    public var url: String?
    public var title: String?
    public var link: String?
    public var language: String?
    public init(url: String? = nil, title: String? = nil, link: String? = nil, language: String? = nil) {
        self.url = url
        self.title = title
        self.link = link
        self.language = language
    }
}

/// An instant together with the UTC offset its source printed or implied, so that
/// analytics keep the local hour (`published_local`).
public struct LocalizedDate: Sendable, Hashable {
    public var instant: Date
    /// Seconds east of UTC.
    public var utcOffsetSeconds: Int
    public init(instant: Date, utcOffsetSeconds: Int) {
        self.instant = instant
        self.utcOffsetSeconds = utcOffsetSeconds
    }
}

/// One output record, `ingest.item/1` in ../shared/CONTRACT.md.
public struct FeedItem: Sendable, Hashable {
    public static let schema = "ingest.item/1"

    public var id: String
    public var url: String?
    public var guid: String?
    public var title: String
    public var titleRaw: String
    /// De-duplication key: Traditional folded to Simplified, case folded, no punctuation
    /// or spaces. An extension of the contract.
    public var titleKey: String?
    public var summary: String?
    public var content: String?
    public var lang: String?
    public var published: LocalizedDate?
    public var updated: LocalizedDate?
    public var authors: [String]
    public var categories: [String]
    public var source: SourceRef
    public var feed: FeedRef
    public var topics: [String]
    /// Topic id → matched terms as found in the text, in topic order.
    public var topicEvidence: [(topic: String, terms: [String])]
    public var fetchedAt: Date
    /// 1 for the first emission; bumped when the item's content changes later.
    public var revision: Int
    /// Problems found while reading this item (kept out of the record body; they go
    /// to the run summary).
    public var warnings: [String]

    public init(
        id: String, url: String? = nil, guid: String? = nil, title: String, titleRaw: String,
        titleKey: String? = nil, summary: String? = nil, content: String? = nil, lang: String? = nil,
        published: LocalizedDate? = nil, updated: LocalizedDate? = nil, authors: [String] = [],
        categories: [String] = [], source: SourceRef = SourceRef(), feed: FeedRef = FeedRef(),
        topics: [String] = [], topicEvidence: [(topic: String, terms: [String])] = [],
        fetchedAt: Date, revision: Int = 1, warnings: [String] = []
    ) {
        self.id = id
        self.url = url
        self.guid = guid
        self.title = title
        self.titleRaw = titleRaw
        self.titleKey = titleKey
        self.summary = summary
        self.content = content
        self.lang = lang
        self.published = published
        self.updated = updated
        self.authors = authors
        self.categories = categories
        self.source = source
        self.feed = feed
        self.topics = topics
        self.topicEvidence = topicEvidence
        self.fetchedAt = fetchedAt
        self.revision = revision
        self.warnings = warnings
    }

    public static func == (lhs: FeedItem, rhs: FeedItem) -> Bool {
        lhs.id == rhs.id && lhs.contentHash == rhs.contentHash && lhs.revision == rhs.revision
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(revision)
    }

    /// What counts as "the item changed": title, summary, content and dates. Topics and
    /// fetch time are derived or incidental and must not cause a new revision.
    public var contentHash: String {
        var h = FNV1a64()
        h.add(title); h.add(summary ?? ""); h.add(content ?? "")
        h.add(published.map { String($0.instant.timeIntervalSince1970) } ?? "")
        h.add(updated.map { String($0.instant.timeIntervalSince1970) } ?? "")
        h.add(url ?? "")
        return h.hex
    }
}

/// Small, stable, dependency-free hash for ids and change detection. Not for security.
public struct FNV1a64: Sendable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325
    public init() {}
    public mutating func add(_ s: String) {
        for b in s.utf8 {
            value ^= UInt64(b)
            value &*= 0x0000_0100_0000_01B3
        }
        // Field separator so that ("ab","c") and ("a","bc") differ.
        value ^= 0xFF
        value &*= 0x0000_0100_0000_01B3
    }
    public var hex: String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
