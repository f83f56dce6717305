import Foundation
import CLibXML
import IngestCore

/// What a page says about itself outside the visible text: `<meta>`, `<link>`,
/// JSON-LD, `<time datetime>`, microdata. Each field keeps its strongest evidence.
struct PageMetadata {
    var titleTag: String?
    var lang: String?
    /// `name`/`property`/`itemprop`/`http-equiv` lower-cased → first non-empty content.
    var named: [String: String] = [:]
    var canonical: String?
    var ld = LinkedData()
    var times: [(datetime: String, text: String, node: Int)] = []
    var itemprops: [(key: String, value: String, node: Int)] = []
    var authorLinks: [String] = []
    /// Every value of the author-like keys: papers and some CMSs repeat `DC.Creator` per author.
    var credited: [String: [String]] = [:]
    static let creditKeys: Set<String> = [
        "dc:creator", "dcterm:creator", "dcterms.creator", "dc.creator", "author", "article:author", "byl",
        "sailthru.author", "parsely-author", "citation_author",
    ]

    init(page: HTMLPage) {
        for meta in page.metas {
            switch Int(meta.kind) {
            case INGEST_HTML_META_NAME:
                // `property="og:title twitter:title"` names several keys at once.
                let value = page.value(of: meta).trimmedSpaces
                guard !value.isEmpty else { break }
                for key in page.key(of: meta).lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }) {
                    let key = String(key)
                    if named[key] == nil { named[key] = value }
                    if Self.creditKeys.contains(key) { credited[key, default: []].append(value) }
                }
            case INGEST_HTML_META_LINK:
                let rel = page.key(of: meta).lowercased()
                if rel.split(separator: " ").contains("canonical"), canonical == nil {
                    canonical = page.value(of: meta).trimmedSpaces
                }
            case INGEST_HTML_META_TITLE:
                if titleTag == nil { titleTag = page.value(of: meta) }
            case INGEST_HTML_META_JSONLD:
                ld.absorb(jsonText: page.value(of: meta))
            case INGEST_HTML_META_TIME:
                times.append((page.key(of: meta), page.value(of: meta), Int(meta.node)))
            case INGEST_HTML_META_ITEMPROP:
                itemprops.append((page.key(of: meta), page.value(of: meta).trimmedSpaces, Int(meta.node)))
            case INGEST_HTML_META_LANG:
                if lang == nil { lang = page.value(of: meta) }
            case INGEST_HTML_META_AUTHOR_LINK:
                let name = page.value(of: meta).trimmedSpaces
                if !name.isEmpty { authorLinks.append(name) }
            default:
                break
            }
        }
    }

    func first(_ keys: [String]) -> String? {
        for key in keys { if let v = named[key], !v.isEmpty { return v } }
        return nil
    }

    /// Parse.ly's `parsely-page` meta: a JSON object whose `pub_date` is the publication time.
    var parselyPublished: String? {
        guard let json = named["parsely-page"], let data = json.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let date = (object["pub_date"] as? String)?.trimmedSpaces, !date.isEmpty else { return nil }
        return date
    }

    func itemprop(_ key: String) -> String? {
        itemprops.first(where: { $0.key == key && !$0.value.isEmpty })?.value
    }
}

/// Schema.org facts from JSON-LD: the article object wins over the page around it.
struct LinkedData {
    var headline: String?
    var datePublished: String?
    var dateModified: String?
    var authors: [String] = []
    /// Author names the page types as `Person` (a personal blog's owner is also its publisher).
    var personAuthors: Set<String> = []
    var publisher: String?
    var description: String?
    var url: String?
    private var rank = -1

    private static let articleTypes: Set<String> = [
        "newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle",
        "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "liveblogposting",
        "scholarlyarticle", "techarticle", "posting", "socialmediaposting", "report",
    ]

    mutating func absorb(jsonText: String) {
        var text = jsonText.trimmedSpaces
        if text.hasPrefix("<!--") { text.removeFirst(4) }
        if text.hasSuffix("-->") { text.removeLast(3) }
        // XHTML habits: `<![CDATA[ {...} ]]>`, sometimes behind `//` comment markers.
        if let open = text.range(of: "<![CDATA["), text[..<open.lowerBound].allSatisfy({ $0.isWhitespace || $0 == "/" }) {
            text = String(text[open.upperBound...])
            if let close = text.range(of: "]]>", options: .backwards) { text = String(text[..<close.lowerBound]) }
            text = text.trimmedSpaces
            if text.hasSuffix("//") { text.removeLast(2) }
        }
        guard let data = text.data(using: .utf8),
              let json = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        else { return }
        visit(json, depth: 0)
    }

    private mutating func visit(_ value: Any, depth: Int) {
        guard depth < 8 else { return }
        if let array = value as? [Any] {
            for v in array { visit(v, depth: depth + 1) }
            return
        }
        guard let object = value as? [String: Any] else { return }
        if let graph = object["@graph"] { visit(graph, depth: depth + 1) }
        let types = Self.strings(object["@type"]).map { $0.lowercased() }
        let isArticle = types.contains(where: Self.articleTypes.contains)
        let isPage = types.contains("webpage")
        let objectRank = isArticle ? 2 : (isPage ? 1 : 0)
        guard objectRank > 0, objectRank > rank || (objectRank == rank && headline == nil) else {
            if let main = object["mainEntity"] { visit(main, depth: depth + 1) }
            return
        }
        let headline = Self.text(object["headline"]) ?? (isArticle ? Self.text(object["name"]) : nil)
        let published = Self.date(object["datePublished"]) ?? Self.date(object["dateCreated"])
        if objectRank > rank {
            rank = objectRank
            if let headline { self.headline = headline }
            if let published { datePublished = published }
            if let modified = Self.date(object["dateModified"]) { dateModified = modified }
            let names = Self.names(object["author"], people: true)
            if !names.isEmpty { authors = names; personAuthors = Set(Self.personNames(object["author"])) }
            if let pub = Self.names(object["publisher"]).first { publisher = pub }
            if let d = Self.text(object["description"]) { description = d }
            if let u = Self.text(object["url"]) { url = u }
        }
        if let main = object["mainEntity"] { visit(main, depth: depth + 1) }
    }

    private static func strings(_ value: Any?) -> [String] {
        if let s = value as? String { return [s] }
        if let a = value as? [Any] { return a.compactMap { $0 as? String } }
        return []
    }

    private static func text(_ value: Any?) -> String? {
        if let s = value as? String {
            let t = s.trimmedSpaces
            return t.isEmpty ? nil : t
        }
        if let a = value as? [Any], let first = a.first { return text(first) }
        if let n = value as? NSNumber { return n.stringValue }
        return nil
    }

    /// A date as text; a bare number is Unix time, in milliseconds when it is too large for
    /// seconds (JavaScript's `Date.now()`), written out as RFC 3339 UTC.
    private static func date(_ value: Any?) -> String? {
        if let n = value as? NSNumber {
            var seconds = n.doubleValue
            if seconds > 1e11 { seconds /= 1000 }
            guard seconds >= 1e8, seconds < 4.2e9 else { return nil }  // 1973 to 2103; else not a timestamp
            return RFC3339.utc(Date(timeIntervalSince1970: seconds.rounded(.down)))
        }
        return text(value)
    }

    private static func personNames(_ value: Any?) -> [String] {
        if let a = value as? [Any] { return a.flatMap { personNames($0) } }
        if let o = value as? [String: Any], strings(o["@type"]).contains(where: { $0.lowercased() == "person" }) {
            return text(o["name"]).map { [$0] } ?? []
        }
        return []
    }

    private static func names(_ value: Any?, people: Bool = false) -> [String] {
        if let s = value as? String {
            let t = s.trimmedSpaces
            return t.isEmpty ? [] : [t]
        }
        if let a = value as? [Any] { return a.flatMap { names($0, people: people) } }
        if let o = value as? [String: Any] {
            // The contract's authors are people; an Organization credited as author is the publisher.
            if people, strings(o["@type"]).contains(where: { $0.lowercased() == "organization" || $0.lowercased() == "newsmediaorganization" }) {
                return []
            }
            return text(o["name"]).map { [$0] } ?? []
        }
        return []
    }
}

extension String {
    /// White space trimmed at both ends without Foundation's CharacterSet machinery.
    var trimmedSpaces: String {
        guard let first = unicodeScalars.first, let last = unicodeScalars.last,
              first.properties.isWhitespace || last.properties.isWhitespace else { return self }
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[start...end])
    }
}
