import Foundation

/// The document formats Parse recognises, named as in the feed record's `format`.
public enum FeedFormat: String, Sendable, Hashable, Codable {
    case rss090 = "rss090"
    case rss091 = "rss091"
    case rss092 = "rss092"
    case rss093 = "rss093"
    case rss094 = "rss094"
    case rss1 = "rss1"
    case rss2 = "rss2"
    case atom03 = "atom03"
    case atom1 = "atom1"
    case json1 = "json1"
    /// Microsoft's Channel Definition Format (1997), which universal parsers still read.
    case cdf = "cdf"
    case html = "html"
}

/// Feed-level facts as the document states them (text already plain).
public struct FeedInfo: Sendable, Hashable {
    public var format: FeedFormat?
    /// Encoding the bytes were decoded from (`utf-8`, `gb18030`, `big5`, ...).
    public var encoding: String?
    public var title: String?
    public var link: String?
    public var description: String?
    /// Language the document declares (`<language>`, `xml:lang`, `dc:language`).
    public var language: String?
    /// RSS `<ttl>` in minutes.
    public var ttlMinutes: Int?
    /// Syndication module hint (`sy:updatePeriod` × `sy:updateFrequency`) in seconds.
    public var updateIntervalSeconds: Int?
    /// Recovered problems (bozo-style): the feed still yields what could be read.
    public var warnings: [String]

    public init(
        format: FeedFormat? = nil, encoding: String? = nil, title: String? = nil, link: String? = nil,
        description: String? = nil, language: String? = nil, ttlMinutes: Int? = nil,
        updateIntervalSeconds: Int? = nil, warnings: [String] = []
    ) {
        self.format = format
        self.encoding = encoding
        self.title = title
        self.link = link
        self.description = description
        self.language = language
        self.ttlMinutes = ttlMinutes
        self.updateIntervalSeconds = updateIntervalSeconds
        self.warnings = warnings
    }
}

/// One entry as the document states it: plain text, absolute links, dates still as
/// printed. Meaning (dates, sources, language, topics) is Normalize's and Tag's job,
/// so that the byline, zone and registry rules live in one place.
public struct RawItem: Sendable, Hashable {
    public var guid: String?
    /// RSS `isPermaLink`; `nil` when absent (RSS then treats the guid as a permalink).
    public var guidIsPermaLink: Bool?
    /// Absolute, resolved against xml:base / Content-Location / the document URL.
    public var link: String?
    /// Entities decoded once, markup removed, nothing else changed (`title_raw`).
    public var title: String?
    /// Plain text; paragraphs separated by `\n`.
    public var summary: String?
    public var content: String?
    /// Dates exactly as printed (`Fri, 07 Nov 2025 02:25:00 +0800`, `2025年11月7日 02:25`).
    public var published: String?
    public var updated: String?
    public var authors: [String]
    public var categories: [String]
    /// RSS `<source>` / Atom `<source><title>` or a page's publisher.
    public var sourceName: String?
    public var sourceURL: String?
    /// `xml:lang` / `dc:language` in scope for this item.
    public var language: String?
    /// Visible byline text found on a page (`Tai Mei Ti A P P·2025-11-07 02:25`).
    public var byline: String?
    /// Enclosure / media URLs (podcasts, thumbnails).
    public var enclosures: [String]
    public var imageURL: String?
    public var commentsURL: String?
    /// Problems found in this item only (e.g. an impossible date).
    public var warnings: [String]

    public init(
        guid: String? = nil, guidIsPermaLink: Bool? = nil, link: String? = nil, title: String? = nil,
        summary: String? = nil, content: String? = nil, published: String? = nil, updated: String? = nil,
        authors: [String] = [], categories: [String] = [], sourceName: String? = nil, sourceURL: String? = nil,
        language: String? = nil, byline: String? = nil, enclosures: [String] = [], imageURL: String? = nil,
        commentsURL: String? = nil, warnings: [String] = []
    ) {
        self.guid = guid
        self.guidIsPermaLink = guidIsPermaLink
        self.link = link
        self.title = title
        self.summary = summary
        self.content = content
        self.published = published
        self.updated = updated
        self.authors = authors
        self.categories = categories
        self.sourceName = sourceName
        self.sourceURL = sourceURL
        self.language = language
        self.byline = byline
        self.enclosures = enclosures
        self.imageURL = imageURL
        self.commentsURL = commentsURL
        self.warnings = warnings
    }
}

/// The Parse → Normalize edge for one document.
public struct ParsedFeed: Sendable {
    public var info: FeedInfo
    public var items: [RawItem]
    public init(info: FeedInfo, items: [RawItem]) {
        self.info = info
        self.items = items
    }
}
