import Foundation

/// One thing to ingest, as a user or a pipeline file named it.
///
/// The optional fields are per-feed overrides from a pipeline's feed list; an ad-hoc
/// `--feed` leaves them `nil` and every stage falls back to what the document says.
public struct FeedSource: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// An RSS, Atom, RDF or JSON feed.
        case feed
        /// A single news article page (HTML).
        case page
    }

    /// As given: `http(s)://…`, `file://…` or a local path.
    public var location: String
    public var kind: Kind
    /// Stable id from a feed list; ad-hoc runs derive one from the location.
    public var id: String
    /// BCP 47 tag the feed is known to use, when the feed list says so.
    public var language: String?
    /// IANA zone used for times printed without one (e.g. `Asia/Shanghai`).
    public var timeZone: String?
    /// Source registry id of the outlet behind this feed.
    public var sourceID: String?
    /// Display title from a feed list (OPML `title`), used when the feed has none.
    public var title: String?

    public init(
        location: String, kind: Kind = .feed, id: String? = nil, language: String? = nil,
        timeZone: String? = nil, sourceID: String? = nil, title: String? = nil
    ) {
        self.location = location
        self.kind = kind
        self.id = id ?? location
        self.language = language
        self.timeZone = timeZone
        self.sourceID = sourceID
        self.title = title
    }
}
