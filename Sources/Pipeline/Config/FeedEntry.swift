import Foundation
import IngestCore

/// One feed (or article page) of a pipeline, as a feed list describes it.
public struct FeedEntry: Sendable, Hashable {
    /// Stable id: state, schedules and de-duplication key on it, so renaming a feed's title or
    /// moving its list keeps its history. Derived from the URL when the list gives none.
    public var id: String
    /// Where to fetch: an `http(s)://` or `file://` URL, or an absolute local path (paths in a
    /// list are resolved against the list's directory).
    public var url: String
    public var type: FeedSource.Kind
    public var language: String?
    /// Source registry id of the outlet.
    public var source: String?
    /// IANA zone for times the feed prints without one.
    public var timezone: String?
    /// Seconds between fetches; `nil` = what the feed says, else the pipeline's default.
    public var interval: TimeInterval?
    public var enabled: Bool
    public var title: String?
    /// The site's home page (OPML `htmlUrl`).
    public var htmlURL: String?
    /// Folders from OPML nesting or the list's `categories:`.
    public var categories: [String]
    /// Where the entry is written, for messages about this feed later on.
    public var origin: ConfigLocation?
    /// Key path of the entry inside its file (`feeds[3]`), for messages.
    var originKey = ""
    /// True when `id` was derived from the URL rather than written in the list.
    public var idDerived: Bool

    public init(
        id: String? = nil, url: String, type: FeedSource.Kind = .feed, language: String? = nil,
        source: String? = nil, timezone: String? = nil, interval: TimeInterval? = nil, enabled: Bool = true,
        title: String? = nil, htmlURL: String? = nil, categories: [String] = [], origin: ConfigLocation? = nil
    ) {
        self.id = id ?? FeedID.derive(from: url)
        self.idDerived = id == nil
        self.url = url
        self.type = type
        self.language = language
        self.source = source
        self.timezone = timezone
        self.interval = interval
        self.enabled = enabled
        self.title = title
        self.htmlURL = htmlURL
        self.categories = categories
        self.origin = origin
    }

    /// What the stages take.
    public var feedSource: FeedSource {
        FeedSource(location: url, kind: type, id: id, language: language, timeZone: timezone,
                   sourceID: source, title: title)
    }
}

/// Ids derived from URLs: readable, stable across runs and machines, safe in file names.
public enum FeedID {
    /// `https://www.36kr.com/feed` -> `36kr-com-feed`; `samples/zh-tech.rss.xml` ->
    /// `samples-zh-tech-rss-xml`. Long or non-ASCII URLs keep a short hash so that
    /// different URLs never collapse to one id.
    public static func derive(from location: String) -> String {
        var s = location.trimmingCharacters(in: .whitespaces)
        if let scheme = ConfigChecks.scheme(of: s) {
            s.removeFirst(scheme.count + 1)
            while s.hasPrefix("/") { s.removeFirst() }
        }
        if s.lowercased().hasPrefix("www.") { s.removeFirst(4) }
        while s.hasSuffix("/") { s.removeLast() }
        var slug = ""
        var lossy = false
        for ch in s.lowercased().unicodeScalars {
            if ch.isASCII, ch.properties.isAlphabetic || ("0"..."9").contains(ch) {
                slug.unicodeScalars.append(ch)
            } else {
                if !ch.isASCII { lossy = true }
                if !slug.isEmpty, !slug.hasSuffix("-") { slug += "-" }
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        if slug.count > 60 || lossy || slug.isEmpty {
            var h = FNV1a64()
            h.add(location)
            let short = String(h.hex.prefix(8))
            let head = String(slug.prefix(51))
            slug = head.isEmpty ? "feed-\(short)" : "\(head.hasSuffix("-") ? String(head.dropLast()) : head)-\(short)"
        }
        return slug
    }
}
