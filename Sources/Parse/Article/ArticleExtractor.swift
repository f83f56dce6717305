import Foundation
import CLibXML
import IngestCore

/// Turns one news article page into one raw item: headline, canonical link, summary,
/// main text, dates and bylines as printed. Meaning (UTC dates, the outlet in the
/// source registry, language) is Normalize's job, so the visible byline travels as is.
public struct ArticleExtractor: Sendable {
    /// Pages above this are not articles; libxml2 also needs XML_PARSE_HUGE past 10 MB.
    public var maxBytes: Int

    public init(maxBytes: Int = 16 << 20) {
        self.maxBytes = maxBytes
    }

    public func extract(_ document: FetchedDocument) throws(SourceFailure) -> ParsedFeed {
        let source = document.source.location
        func failure(_ kind: SourceFailure.Kind, _ reason: String) -> SourceFailure {
            SourceFailure(source: source, stage: .parse, kind: kind, reason: reason)
        }
        let bytes = document.body
        guard !bytes.isEmpty else { throw failure(.notAFeed, "empty body: not an HTML page") }
        guard bytes.count <= maxBytes else {
            throw failure(.tooLarge, "page of \(bytes.count) bytes exceeds the \(maxBytes)-byte cap for articles")
        }
        if Self.looksBinary(bytes) { throw failure(.notAFeed, "binary content: not an HTML page") }

        let encoding = PageCharset.choose(bytes: bytes, contentType: document.contentType)
        let page = HTMLPage(bytes: bytes, encoding: encoding)
        guard !page.blocks.isEmpty || !page.metas.isEmpty else {
            throw failure(.malformed, "no readable HTML content")
        }
        var article = PageReading(page: page, baseURL: document.finalURL)
        let item = article.read()
        guard item.title != nil || item.content != nil else {
            throw failure(.notAFeed, "no article text or headline found")
        }
        let info = FeedInfo(
            format: .html, encoding: encoding.lowercased(), title: article.siteTitle, link: item.link,
            description: nil, language: article.language)
        return ParsedFeed(info: info, items: [item])
    }

    static func looksBinary(_ bytes: [UInt8]) -> Bool {
        let head = bytes.prefix(1024)
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47]) || head.starts(with: [0xFF, 0xD8, 0xFF])
            || head.starts(with: [0x47, 0x49, 0x46, 0x38]) || head.starts(with: [0x25, 0x50, 0x44, 0x46])
            || head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x1F, 0x8B]) {
            return true
        }
        // UTF-16 pages have NULs too, but carry a BOM.
        if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) { return false }
        return head.contains(0)
    }
}

/// One pass of reading decisions over a parsed page.
struct PageReading {
    let page: HTMLPage
    let baseURL: String
    let meta: PageMetadata
    var siteTitle: String?
    var language: String?

    init(page: HTMLPage, baseURL: String) {
        self.page = page
        self.baseURL = baseURL
        self.meta = PageMetadata(page: page)
    }

    mutating func read() -> RawItem {
        var item = RawItem()
        let headline = chooseHeadline()
        item.title = headline.text
        item.link = resolve(meta.canonical ?? meta.first(["og:url"]) ?? meta.ld.url) ?? (baseURL.isEmpty ? nil : baseURL)
        item.guid = nil
        siteTitle = meta.first(["og:site_name", "application-name"]) ?? meta.ld.publisher ?? meta.titleTag.map(Self.collapse)
        language = meta.lang ?? meta.first(["content-language", "language", "dc.language"])
        item.language = language

        var excluded = Set<Int>()
        excluded.formUnion(headline.blocks)
        let summary = chooseSummary()
        if let block = summary.block { excluded.insert(block) }
        item.summary = summary.text

        let byline = findByline(after: headline.blocks.max() ?? -1)
        if let b = byline { excluded.insert(b.block) }
        item.byline = byline?.text

        let body = MainText(page: page).extract(excluding: excluded)
        item.content = body.text.isEmpty ? nil : body.text

        let dates = chooseDates(byline: byline)
        item.published = dates.published
        item.updated = dates.updated
        item.authors = chooseAuthors(byline: byline)
        item.sourceName = meta.first(["source", "og:site_name"]) ?? meta.ld.publisher
        if let image = meta.first(["og:image", "twitter:image"]) { item.imageURL = resolve(image) }
        if let section = meta.first(["article:section"]) { item.categories = [section] }
        return item
    }

    // MARK: Headline

    struct Headline {
        var text: String?
        var blocks: [Int]
    }

    private static let separators: [String] = [" - ", " | ", " – ", " — ", "_", "｜", "|", " :: ", " » ", " · ", "--", "-"]

    /// The longest piece of a `<title>`-like string once glued site names are split off.
    static func stripSiteName(_ title: String) -> String {
        for sep in separators where title.contains(sep) {
            let parts = title.components(separatedBy: sep).map { $0.trimmingCharacters(in: .whitespaces) }
            if let longest = parts.max(by: { $0.count < $1.count }), longest.count >= 4 {
                return longest
            }
        }
        return title
    }

    func chooseHeadline() -> Headline {
        let refs = [meta.ld.headline, meta.first(["og:title", "twitter:title", "dc.title", "headline"]), meta.titleTag]
            .compactMap { $0.map(Self.collapse) }.filter { !$0.isEmpty }
        // Headings in document order: <h1> first, then <h2>/<h3> and title-named blocks.
        var candidates: [(block: Int, text: String, rank: Int)] = []
        for (i, block) in page.blocks.enumerated() {
            let node = page.nodes[Int(block.node)]
            let tag = Int(node.tag)
            let chars = Int(block.chars)
            guard chars >= 2 && chars <= 200 else { continue }
            var rank: Int
            switch tag {
            case INGEST_HTML_TAG_H1: rank = 0
            case INGEST_HTML_TAG_H2, INGEST_HTML_TAG_H3: rank = 1
            default:
                if node.hints & UInt32(INGEST_HTML_HINT_TITLE) != 0 { rank = 2 } else { continue }
            }
            if node.inherited & UInt32(INGEST_HTML_HINT_NAV | INGEST_HTML_HINT_COMMENT) != 0 { rank += 3 }
            candidates.append((i, Self.collapse(page.text(of: block)), rank))
        }
        var best: (block: Int, text: String, score: Double)?
        for c in candidates {
            let len = c.text.count
            var bestCommon = 0
            for ref in refs { bestCommon = max(bestCommon, Self.longestCommonSubstring(c.text, ref)) }
            let coverage = Double(bestCommon) / Double(max(len, 1))
            guard coverage >= 0.6, bestCommon >= min(len, 4) else { continue }
            let score = Double(bestCommon) * coverage - Double(c.rank) * 2
            if best == nil || score > best!.score { best = (c.block, c.text, score) }
        }
        if let best {
            return Headline(text: best.text, blocks: [best.block])
        }
        if let ld = meta.ld.headline { return Headline(text: Self.collapse(ld), blocks: []) }
        if let og = meta.first(["og:title", "twitter:title", "dc.title"]) {
            return Headline(text: Self.stripSiteName(Self.collapse(og)), blocks: [])
        }
        if let title = meta.titleTag.map(Self.collapse), !title.isEmpty {
            return Headline(text: Self.stripSiteName(title), blocks: [])
        }
        if let first = candidates.first(where: { $0.rank == 0 }) { return Headline(text: first.text, blocks: [first.block]) }
        return Headline(text: nil, blocks: [])
    }

    static func longestCommonSubstring(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        guard !x.isEmpty, !y.isEmpty, x.count <= 400, y.count <= 400 else { return 0 }
        var previous = [Int](repeating: 0, count: y.count + 1)
        var current = previous
        var best = 0
        for i in 1...x.count {
            for j in 1...y.count {
                if x[i - 1] == y[j - 1] {
                    current[j] = previous[j - 1] + 1
                    if current[j] > best { best = current[j] }
                } else {
                    current[j] = 0
                }
            }
            swap(&previous, &current)
        }
        return best
    }

    static func collapse(_ s: String) -> String {
        s.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    // MARK: Summary

    func chooseSummary() -> (text: String?, block: Int?) {
        // A visible summary block (aggregators print an abstract above the article).
        for (i, block) in page.blocks.enumerated() where block.chars >= 20 {
            let node = page.nodes[Int(block.node)]
            let hints = node.hints | node.inherited
            guard hints & UInt32(INGEST_HTML_HINT_SUMMARY) != 0,
                  hints & UInt32(INGEST_HTML_HINT_NAV | INGEST_HTML_HINT_COMMENT) == 0,
                  Double(block.link_chars) < 0.3 * Double(block.chars)
            else { continue }
            return (Self.collapse(page.text(of: block)), i)
        }
        let text = meta.first(["og:description", "description", "twitter:description", "dc.description"]) ?? meta.ld.description
        return (text.map(Self.collapse).flatMap { $0.isEmpty ? nil : $0 }, nil)
    }

    // MARK: Byline and dates

    struct Byline {
        var text: String
        var date: String?
        var block: Int
    }

    /// The visible "source + time" line: first in blocks named like bylines near the
    /// headline, then any short line with a date close after the headline.
    func findByline(after headlineBlock: Int) -> Byline? {
        let blocks = page.blocks
        let start = max(0, headlineBlock + 1)
        let window = headlineBlock >= 0 ? min(blocks.count, start + 25) : min(blocks.count, 400)
        var fallback: Byline?
        for i in start..<window {
            let block = blocks[i]
            guard block.chars <= 160 else { continue }
            let text = page.text(of: block)
            guard let date = VisibleDate.find(in: text) else { continue }
            let node = page.nodes[Int(block.node)]
            let line = Self.collapse(Self.line(of: text, containing: date))
            let candidate = Byline(text: line, date: date, block: i)
            if (node.hints | node.inherited) & UInt32(INGEST_HTML_HINT_BYLINE) != 0 { return candidate }
            if fallback == nil { fallback = candidate }
        }
        if let fallback { return fallback }
        if headlineBlock >= 0 { return findByline(after: -1) }
        return nil
    }

    static func line(of text: String, containing needle: String) -> String {
        for line in text.split(separator: "\n") where line.contains(needle) { return String(line) }
        return text
    }

    func chooseDates(byline: Byline?) -> (published: String?, updated: String?) {
        var published = meta.ld.datePublished
            ?? meta.first(["article:published_time", "og:article:published_time", "og:published_time",
                           "article:published", "datepublished", "pubdate", "publishdate", "publish_date",
                           "publish-date", "publication_date", "published_time", "publishtime", "pubtime",
                           "sailthru.date", "parsely-pub-date", "dc.date.issued", "dcterms.issued", "dc.date",
                           "dcterms.created", "date", "article.published", "weibo:article:create_at",
                           "og:release_date", "article:published_date", "created", "release_date"])
            ?? meta.itemprop("datePublished") ?? meta.itemprop("dateCreated")
            ?? meta.times.first(where: { !$0.datetime.isEmpty })?.datetime
        if let visible = byline?.date {
            // A date-only value loses against a visible time of the same day.
            if let p = published, !p.contains(":"), VisibleDate.sameDay(p, visible), visible.contains(":") {
                published = visible
            } else if published == nil {
                published = visible
            }
        }
        let updated = meta.ld.dateModified
            ?? meta.first(["article:modified_time", "og:updated_time", "article:modified", "datemodified",
                           "last-modified", "dcterms.modified", "lastmod"])
            ?? meta.itemprop("dateModified")
        return (published, updated)
    }

    // MARK: Authors

    func chooseAuthors(byline: Byline?) -> [String] {
        if !meta.ld.authors.isEmpty { return Self.unique(meta.ld.authors.filter { !$0.hasPrefix("http") }) }
        if let a = meta.itemprop("author"), !a.isEmpty, !a.hasPrefix("http") { return [Self.collapse(a)] }
        if !meta.authorLinks.isEmpty { return Self.unique(meta.authorLinks.map(Self.collapse)) }
        for key in ["author", "article:author", "byl", "dc.creator", "sailthru.author", "parsely-author"] {
            guard var value = meta.named[key], !value.hasPrefix("http") else { continue }
            if value.lowercased().hasPrefix("by ") { value = String(value.dropFirst(3)) }
            let site = siteTitle ?? ""
            if !value.isEmpty && value != site && !(meta.titleTag ?? "").hasSuffix(value) {
                return [Self.collapse(value)]
            }
        }
        return []
    }

    static func unique(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    func resolve(_ link: String?) -> String? {
        guard let link = link?.trimmingCharacters(in: .whitespacesAndNewlines), !link.isEmpty else { return nil }
        if let base = URL(string: baseURL), let url = URL(string: link, relativeTo: base) {
            return url.absoluteString
        }
        return link
    }
}
