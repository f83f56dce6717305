import Foundation

/// One line of the feeds dimension (`ingest.feed/1`): written per feed and run, even
/// for a feed that failed or had no items.
public struct FeedRecord: Sendable, Hashable {
    public static let schema = "ingest.feed/1"

    public var url: String
    public var finalURL: String?
    public var title: String?
    public var link: String?
    public var language: String?
    public var description: String?
    public var format: String?
    public var encoding: String?
    public var httpStatus: Int?
    public var items: Int
    public var warnings: [String]
    public var error: String?
    /// Feed id from the feed list (extension).
    public var feedID: String?
    public var fetchedAt: Date?

    public init(
        url: String, finalURL: String? = nil, title: String? = nil, link: String? = nil,
        language: String? = nil, description: String? = nil, format: String? = nil,
        encoding: String? = nil, httpStatus: Int? = nil, items: Int = 0, warnings: [String] = [],
        error: String? = nil, feedID: String? = nil, fetchedAt: Date? = nil
    ) {
        self.url = url
        self.finalURL = finalURL
        self.title = title
        self.link = link
        self.language = language
        self.description = description
        self.format = format
        self.encoding = encoding
        self.httpStatus = httpStatus
        self.items = items
        self.warnings = warnings
        self.error = error
        self.feedID = feedID
        self.fetchedAt = fetchedAt
    }
}
