import CLibXML
import IngestCore

/// Turns one record of C fields into a `RawItem` or `FeedInfo`, applying each format's
/// priorities (content:encoded beside description, Atom link relations, author forms).
enum ItemAssembler {
    // Field codes in priority order; static so that looking a field up allocates nothing.
    private static let titleCodes = [Int32(INGEST_F_TITLE), Int32(INGEST_F_DC_TITLE), Int32(INGEST_F_MEDIA_TITLE)]
    private static let summaryCodes = [
        Int32(INGEST_F_DESCRIPTION), Int32(INGEST_F_SUMMARY), Int32(INGEST_F_DC_DESCRIPTION),
        Int32(INGEST_F_ITUNES_SUMMARY), Int32(INGEST_F_MEDIA_DESCRIPTION), Int32(INGEST_F_ITUNES_SUBTITLE),
    ]
    private static let publishedCodes = [
        Int32(INGEST_F_PUBDATE), Int32(INGEST_F_PUBLISHED), Int32(INGEST_F_DC_DATE), Int32(INGEST_F_ISSUED),
        Int32(INGEST_F_DCTERMS_ISSUED), Int32(INGEST_F_CREATED), Int32(INGEST_F_DCTERMS_CREATED),
    ]
    private static let updatedCodes = [Int32(INGEST_F_UPDATED), Int32(INGEST_F_MODIFIED), Int32(INGEST_F_DCTERMS_MODIFIED)]
    private static let idCodes = [Int32(INGEST_F_ID), Int32(INGEST_F_RDF_ABOUT)]
    private static let languageCodes = [Int32(INGEST_F_DC_LANGUAGE), Int32(INGEST_F_LANGUAGE)]

    static func item(_ fields: FieldView, language: String?) -> RawItem {
        // Per item, the first non-empty field of each code: one pass instead of one scan
        // per lookup (items carry a dozen fields and are looked up about twenty times).
        // On the stack: this runs once per item.
        withUnsafeTemporaryAllocation(of: Int16.self, capacity: Int(INGEST_F_COUNT) + 1) { table in
            table.initialize(repeating: -1)
            for i in fields.indices where !fields[i].isEmpty {
                let c = Int(fields[i].code)
                if c >= 0 && c < table.count && table[c] < 0 { table[c] = Int16(truncatingIfNeeded: i) }
            }
            return item(fields, firstNonEmpty: UnsafeBufferPointer(table), language: language)
        }
    }

    private static func item(_ fields: FieldView, firstNonEmpty: UnsafeBufferPointer<Int16>, language: String?) -> RawItem {
        func first(_ codes: [Int32]) -> String? {
            for c in codes {
                let i = firstNonEmpty[Int(c)]
                if i >= 0 { return fields[Int(i)].text }
            }
            return nil
        }
        func first(_ code: Int32) -> String? {
            let i = firstNonEmpty[Int(code)]
            return i >= 0 ? fields[Int(i)].text : nil
        }

        var item = RawItem()
        item.title = first(Self.titleCodes)

        // Links: plain RSS <link> text first; Atom (or atom:link in RSS) by relation.
        var alternate: String?, related: String?, selfLink: String?, via: String?, other: String?
        var enclosures: [String] = []
        var replies: String?
        var alternateIsHTML = false
        for f in fields where f.code == Int32(INGEST_F_LINK) {
            if let href = f.attr("href") {
                let rel = (f.attr("rel") ?? "alternate").lowercased()
                let type = f.attr("type")?.lowercased() ?? ""
                switch rel {
                case "alternate", "http://www.iana.org/assignments/relation/alternate":
                    // The first alternate wins, unless a later one is the HTML page and the
                    // first was not (feeds that list their JSON or PDF form first).
                    if alternate == nil || (type.contains("html") && !alternateIsHTML) {
                        alternate = href
                        alternateIsHTML = type.isEmpty || type.contains("html")
                    }
                case "related": related = related ?? href
                case "self": selfLink = selfLink ?? href
                case "via": via = via ?? href
                case "enclosure": enclosures.append(href)
                case "replies": replies = replies ?? href
                default: other = other ?? href
                }
            } else if !f.isEmpty, item.link == nil {
                item.link = f.text
            }
        }
        if item.link == nil { item.link = alternate ?? related ?? via ?? selfLink ?? other }

        if let g = fields.first(where: { $0.code == Int32(INGEST_F_GUID) }) {
            item.guid = g.nonEmpty
            if let p = g.attr("isPermaLink")?.lowercased() { item.guidIsPermaLink = p == "true" }
        }
        if item.guid == nil { item.guid = first(Self.idCodes) }
        if item.link == nil, let g = item.guid, item.guidIsPermaLink != false,
           fields.contains(where: { $0.code == Int32(INGEST_F_GUID) }), g.hasPrefix("http://") || g.hasPrefix("https://") {
            item.link = g
        }
        if item.link == nil, let about = first(Int32(INGEST_F_RDF_ABOUT)), about.hasPrefix("http") { item.link = about }

        item.summary = first(Self.summaryCodes)
        item.content = fields.first(where: {
            !$0.isEmpty && ($0.code == Int32(INGEST_F_CONTENT_ENCODED) || ($0.code == Int32(INGEST_F_CONTENT) && !$0.hasAttr("src")))
        })?.text
        // An RSS item with both <description> and a stray <summary>: the first is the
        // summary, the other the only fuller text there is.
        let d = firstNonEmpty[Int(INGEST_F_DESCRIPTION)], s = firstNonEmpty[Int(INGEST_F_SUMMARY)]
        if item.content == nil, d >= 0, s >= 0, fields[Int(d)].text != fields[Int(s)].text {
            item.summary = fields[Int(min(d, s))].text
            item.content = fields[Int(max(d, s))].text
        }

        item.published = first(Self.publishedCodes)
        item.updated = first(Self.updatedCodes)

        item.authors = authors(fields)

        var categories: [String] = []
        func addCategory(_ c: String) {
            let t = c.trimmed
            if !t.isEmpty { categories.append(t) }
        }
        for f in fields {
            switch f.code {
            case Int32(INGEST_F_CATEGORY):
                // The term is the category; a label is only its display form.
                if let c = (f.attr("term").flatMap { $0.isEmpty ? nil : $0 }) ?? f.attr("label") ?? f.nonEmpty { addCategory(c) }
            case Int32(INGEST_F_DC_SUBJECT):
                if let c = f.nonEmpty { addCategory(c) }
            case Int32(INGEST_F_ITUNES_CATEGORY):
                if let c = f.attr("text") ?? f.nonEmpty { addCategory(c) }
            case Int32(INGEST_F_MEDIA_CATEGORY):
                if let c = f.nonEmpty { addCategory(c) }
            case Int32(INGEST_F_ITUNES_KEYWORDS):
                // A comma-separated list of the episode's keywords.
                if let c = f.nonEmpty { for k in commaSeparated(c) { addCategory(k) } }
            default: break
            }
        }
        item.categories = dedupe(categories)

        if let s = fields.first(where: { $0.code == Int32(INGEST_F_SOURCE) }) {
            item.sourceName = s.nonEmpty
            item.sourceURL = s.attr("url")
        }
        if item.sourceName == nil { item.sourceName = first(Int32(INGEST_F_SOURCE_TITLE)) }

        item.language = language ?? first(Self.languageCodes)

        for f in fields {
            switch f.code {
            case Int32(INGEST_F_ENCLOSURE), Int32(INGEST_F_MEDIA_CONTENT):
                if let u = f.attr("url"), !u.isEmpty { enclosures.append(u) }
            default: break
            }
        }
        item.enclosures = dedupe(enclosures)
        item.imageURL = fields.first(where: { $0.code == Int32(INGEST_F_MEDIA_THUMBNAIL) })?.attr("url")
            ?? fields.first(where: { $0.code == Int32(INGEST_F_ITUNES_IMAGE) })?.attr("href")
            ?? fields.first(where: {
                ($0.code == Int32(INGEST_F_MEDIA_CONTENT) || $0.code == Int32(INGEST_F_ENCLOSURE))
                    && (($0.attr("medium") == "image") || ($0.attr("type")?.hasPrefix("image/") ?? false))
            })?.attr("url")
        item.commentsURL = first(Int32(INGEST_F_COMMENTS)) ?? replies
        for f in fields where f.truncated {
            item.warnings.append("field cut at the size limit")
        }
        return item
    }

    static func authors(_ fields: FieldView) -> [String] {
        var names: [String] = []
        var pendingEmail: String?
        var hasFallback = false
        for f in fields {
            switch f.code {
            case Int32(INGEST_F_AUTHOR):
                if let a = f.nonEmpty { names.append(rssAuthor(a)) }
            case Int32(INGEST_F_DC_CREATOR):
                // Feeds put RSS <author>'s "name (address)" form into dc:creator too.
                if let a = f.nonEmpty { names.append(rssAuthor(a)) }
            case Int32(INGEST_F_AUTHOR_NAME):
                if let a = f.nonEmpty { names.append(a) }
            case Int32(INGEST_F_AUTHOR_EMAIL):
                pendingEmail = pendingEmail ?? f.nonEmpty
            case Int32(INGEST_F_ITUNES_AUTHOR), Int32(INGEST_F_MEDIA_CREDIT), Int32(INGEST_F_CONTRIBUTOR_NAME):
                hasFallback = true
            default: break
            }
        }
        if names.isEmpty, let e = pendingEmail { names.append(e) }
        if names.isEmpty && hasFallback {
            names = fields.filter { $0.code == Int32(INGEST_F_ITUNES_AUTHOR) || $0.code == Int32(INGEST_F_MEDIA_CREDIT) }
                .compactMap(\.nonEmpty)
            if names.isEmpty {
                names = fields.filter { $0.code == Int32(INGEST_F_CONTRIBUTOR_NAME) }.compactMap(\.nonEmpty)
            }
        }
        if names.isEmpty { return names }
        var out: [String] = []
        out.reserveCapacity(names.count)
        for n in names {
            let t = n.trimmed
            if !t.isEmpty { out.append(t) }
        }
        return dedupe(out)
    }

    /// Atom person constructs (`<author><name>`) of a feed, which its entries inherit.
    static func personNames(_ fields: FieldView) -> [String] {
        dedupe(fields.filter { $0.code == Int32(INGEST_F_AUTHOR_NAME) }.compactMap(\.nonEmpty).map { $0.trimmed }.filter { !$0.isEmpty })
    }

    /// RSS `<author>` is an e-mail address, often with the name beside it:
    /// `jane@example.com (Jane Doe)`, `Jane Doe (jane@example.com)` and
    /// `"Doe, Jane" <jane@example.com>` all name Jane Doe; a bare address stays as it is.
    /// Only a word that is an address goes: `Jane Doe (@jane)` is a name with a handle.
    static func rssAuthor(_ s: String) -> String {
        let t = s.trimmed
        guard t.contains("@") else { return t }
        var words = t.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        words.removeAll(where: isAddress)
        guard words.count < t.split(whereSeparator: { $0 == " " || $0 == "\t" }).count else { return t }
        let name = words.joined(separator: " ").strip("()<>\" \t")
        return name.isEmpty ? t.strip("()<> \t") : name
    }

    /// `jane@example.com`, `<jane@example.com>`, `(mailto:jane@example.com)`.
    private static func isAddress(_ word: String) -> Bool {
        var w = Substring(word.strip("()<>[]\"',;"))
        if w.lowercased().hasPrefix("mailto:") { w = w.dropFirst(7) }
        guard let at = w.firstIndex(of: "@") else { return false }
        let local = w[..<at], domain = w[w.index(after: at)...]
        return !local.isEmpty && !domain.isEmpty && !domain.contains("@")
    }

    static func channel(_ fields: FieldView, language: String?) -> FeedInfo {
        func first(_ codes: Int32...) -> String? {
            for c in codes { if let f = fields.first(where: { $0.code == c && !$0.isEmpty }) { return f.text } }
            return nil
        }
        var info = FeedInfo()
        info.title = first(Int32(INGEST_F_TITLE), Int32(INGEST_F_DC_TITLE))
        var link: String?
        var alternate: String?
        var anyLink: String?
        for f in fields where f.code == Int32(INGEST_F_LINK) {
            if let href = f.attr("href") {
                let rel = (f.attr("rel") ?? "alternate").lowercased()
                if rel == "alternate" { alternate = alternate ?? href } else if rel != "self" && rel != "hub" { anyLink = anyLink ?? href }
            } else if link == nil, !f.isEmpty {
                link = f.text
            }
        }
        info.link = link ?? alternate ?? anyLink
        info.description = first(
            Int32(INGEST_F_DESCRIPTION), Int32(INGEST_F_SUBTITLE), Int32(INGEST_F_TAGLINE), Int32(INGEST_F_DC_DESCRIPTION),
            Int32(INGEST_F_ITUNES_SUMMARY), Int32(INGEST_F_ITUNES_SUBTITLE))
        info.language = (first(Int32(INGEST_F_LANGUAGE), Int32(INGEST_F_DC_LANGUAGE)) ?? language).map(bcp47)
        if let ttl = first(Int32(INGEST_F_TTL)), let minutes = Int(ttl.trimmed), minutes > 0 { info.ttlMinutes = minutes }
        if let period = first(Int32(INGEST_F_SY_PERIOD)) {
            let seconds: Int? = switch period.trimmed.lowercased() {
            case "hourly": 3600
            case "daily": 86400
            case "weekly": 604_800
            case "monthly": 2_592_000
            case "yearly": 31_536_000
            default: nil
            }
            let frequency = first(Int32(INGEST_F_SY_FREQUENCY)).flatMap { Int($0.trimmed) } ?? 1
            if let seconds, frequency > 0 { info.updateIntervalSeconds = seconds / frequency }
        }
        return info
    }

    /// `en_US` (a POSIX locale name, common in feeds) is the BCP 47 tag `en-US`.
    static func bcp47(_ tag: String) -> String {
        tag.contains("_") ? String(tag.map { $0 == "_" ? "-" : $0 }) : tag
    }

    static func dedupe(_ values: [String]) -> [String] {
        // Items carry a handful of authors and categories: a linear check beats hashing.
        // (`contains` and `Set` agree: both compare strings by canonical equivalence.)
        if values.count < 2 { return values }
        if values.count <= 16 {
            var out: [String] = []
            out.reserveCapacity(values.count)
            for v in values where !out.contains(v) { out.append(v) }
            return out
        }
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}
