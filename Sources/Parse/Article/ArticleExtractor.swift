import Foundation
import CLibXML
import IngestCore
import NewsText

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

        let decoded = Self.decode(bytes, contentType: document.contentType)
        let page = HTMLPage(bytes: decoded.utf8, encoding: "UTF-8")
        guard !page.blocks.isEmpty || !page.metas.isEmpty else {
            throw failure(.malformed, "no readable HTML content")
        }
        var article = PageReading(page: page, baseURL: document.finalURL)
        let item = article.read()
        // A page whose text and headline elude us but that states when it was published still
        // tells a feed item (`full_text`) its date.
        guard item.title != nil || item.content != nil || item.published != nil else {
            throw failure(.notAFeed, "no article text or headline found")
        }
        let info = FeedInfo(
            format: .html, encoding: decoded.encoding, title: article.siteTitle, link: item.link,
            description: nil, language: article.language, warnings: decoded.warnings)
        return ParsedFeed(info: info, items: [item])
    }

    /// DocumentDecoder's reading, with one article-specific second opinion: undeclared
    /// legacy pages that detection calls windows-1252 or ISO-8859-1 are, in news, far more
    /// often GBK. When the bytes read as GB18030 with hardly a bad sequence and come out mostly as Han
    /// characters, that reading wins.
    static func decode(_ bytes: [UInt8], contentType: String?) -> DecodedDocument {
        let decoded = DocumentDecoder.decode(bytes, contentType: contentType, kind: .html)
        guard ["windows-1252", "iso-8859-1", "latin1", "cp1252"].contains(decoded.encoding) else { return decoded }
        guard let utf8 = DocumentDecoder.convert(bytes, from: "GB18030", lossy: true).bytes else { return decoded }
        var han = 0, other = 0, replaced = 0
        for scalar in String(decoding: utf8, as: UTF8.self).unicodeScalars where scalar.value >= 0x80 {
            switch scalar.value {
            case 0xFFFD: replaced += 1
            case 0x4E00...0x9FFF, 0x3000...0x303F, 0xFF00...0xFFEF: han += 1
            default: other += 1
            }
        }
        guard han >= 20, replaced * 100 <= han, Double(han) >= 0.8 * Double(han + other) else { return decoded }
        var result = DecodedDocument(utf8: utf8, encoding: "gb18030", warnings: decoded.warnings)
        result.warnings.append("undeclared charset detected as \(decoded.encoding) but reads as GB18030 Chinese text")
        return result
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
        let summary = chooseSummary(headline: headline.blocks.max())
        if let block = summary.block { excluded.insert(block) }
        item.summary = summary.text

        var body = MainText(page: page).extract(excluding: excluded)
        // A standfirst printed inside the article's own container (`story-intro` above the
        // first paragraph) is the opening of the text as well as its summary: it sat out
        // the vote, but readers and reference bodies keep it.
        if let s = summary.block, !body.blockIndices.isEmpty, !body.blockIndices.contains(s),
           body.roots.contains(where: { page.contains($0, Int(page.blocks[s].node)) }) {
            let at = body.blockIndices.firstIndex(where: { $0 > s }) ?? body.blockIndices.count
            body.insertBlock(s, at: at, page: page)
        }
        let byline = findByline(headline: headline.blocks.max(), content: body.blockIndices)
        // A short byline line leaves the body; a dated opening paragraph stays in it.
        if let b = byline, page.blocks[b.block].chars <= 100, let at = body.blockIndices.firstIndex(of: b.block) {
            body.removeBlock(at: at, page: page)
        }
        // The headline printed again at the top of the text (a second `<h1>`, a print-view
        // heading) is the headline, not its first paragraph.
        if let title = item.title.map(Self.collapse), !title.isEmpty,
           let k = body.blockIndices.prefix(3).firstIndex(where: { Self.collapse(page.text(of: page.blocks[$0])) == title }) {
            body.removeBlock(at: k, page: page)
        }
        item.byline = byline?.text
        item.content = body.text.isEmpty ? nil : body.text

        let dates = chooseDates(byline: byline)
        item.published = dates.published
        item.updated = dates.updated
        // Printed credits name people; metadata often names the site. A writer credited in
        // the text wins, then metadata that survives the site-name checks, then an editor.
        let credits = chineseAuthors(headline: headline.blocks.max(), byline: byline, content: body.blockIndices)
        item.authors = credits.writers
        if item.authors.isEmpty { item.authors = chooseAuthors(byline: byline) }
        if item.authors.isEmpty { item.authors = credits.fallback }
        // The author's credit box at the top of the text (`<p class="author vcard">Jane Doe
        // Senior Correspondent</p>`) names the writer; it is not the story's opening.
        if let first = item.authors.first, let k = body.blockIndices.prefix(3).firstIndex(where: { i in
            let block = page.blocks[i]
            let node = page.nodes[Int(block.node)]
            return block.chars <= 100 && (node.hints | node.inherited) & UInt32(INGEST_HTML_HINT_BYLINE) != 0
                && Self.collapse(page.text(of: block)).hasPrefix(first)
        }) {
            body.removeBlock(at: k, page: page)
            item.content = body.text.isEmpty ? nil : body.text
        }
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
        for sep in separators where TextSearch.contains(title, sep) {
            let parts = title.components(separatedBy: sep).map { $0.trimmingCharacters(in: .whitespaces) }
            if let longest = parts.max(by: { $0.count < $1.count }), longest.count >= 4 {
                return longest
            }
        }
        return title
    }

    /// The headline the page states in metadata, strongest first (as Readability reads it).
    var metadataTitle: String? {
        let value = meta.ld.headline
            ?? meta.first(["dc:title", "dc.title", "dcterm:title", "dcterms.title", "og:title",
                           "weibo:article:title", "weibo:webpage:title", "twitter:title", "headline"])
        return value.map(Self.collapse).flatMap { $0.isEmpty ? nil : stripKnownSiteName($0) }
    }

    /// Cuts a glued site name off a metadata title only when the page names that site.
    func stripKnownSiteName(_ title: String) -> String {
        let sites = [meta.first(["og:site_name"]), meta.first(["application-name"]), meta.ld.publisher]
            .compactMap { $0.map(Self.collapse) }.filter { !$0.isEmpty }
        guard !sites.isEmpty else { return title }
        for sep in Self.separators where TextSearch.contains(title, sep) {
            var parts = title.components(separatedBy: sep).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count > 1, let last = parts.last, sites.contains(last) { parts.removeLast() }
            else if parts.count > 1, let first = parts.first, sites.contains(first) { parts.removeFirst() }
            else { continue }
            return parts.joined(separator: sep)
        }
        return title
    }

    func chooseHeadline() -> Headline {
        let metaTitle = metadataTitle
        let titleTag = meta.titleTag.map(Self.collapse).flatMap { $0.isEmpty ? nil : $0 }
        let refs = [metaTitle, titleTag].compactMap { $0 }
        // Headings in document order: <h1> first, then <h2>/<h3> and title-named blocks.
        var candidates: [(block: Int, text: String, rank: Int)] = []
        var minorHeadings: [Int] = []
        for (i, block) in page.blocks.enumerated() {
            let node = page.nodes[Int(block.node)]
            let tag = Int(node.tag)
            let chars = Int(block.chars)
            guard chars >= 2 && chars <= 200 else { continue }
            var rank: Int
            switch tag {
            case INGEST_HTML_TAG_H1: rank = 0
            case INGEST_HTML_TAG_H2, INGEST_HTML_TAG_H3: rank = 1
            case INGEST_HTML_TAG_H4, INGEST_HTML_TAG_H5, INGEST_HTML_TAG_H6:
                // Minor headings only serve the dateline fallback below.
                if node.inherited & UInt32(INGEST_HTML_HINT_NAV | INGEST_HTML_HINT_COMMENT) == 0, minorHeadings.count < 40 {
                    minorHeadings.append(i)  // text read only if the fallback needs it
                }
                continue
            default:
                if node.hints & UInt32(INGEST_HTML_HINT_TITLE) != 0 { rank = 2 } else { continue }
            }
            if node.inherited & UInt32(INGEST_HTML_HINT_NAV | INGEST_HTML_HINT_COMMENT) != 0 { rank += 3 }
            candidates.append((i, Self.collapse(page.text(of: block)), rank))
        }
        // A heading agrees with the metadata when most of it is found there and it covers
        // a good part of the (site-stripped) metadata title.
        var best: (block: Int, text: String, score: Double, echoesMeta: Bool)?
        let references = refs.map { ref in (Array(ref.unicodeScalars), Array(Self.stripSiteName(ref).unicodeScalars)) }
        for c in candidates.prefix(60) {
            let scalars = Array(c.text.unicodeScalars)
            let len = scalars.count
            var score = -Double.infinity
            var echoesMeta = false
            for (k, (ref, strippedScalars)) in references.enumerated() {
                let stripped = strippedScalars
                let common = max(Self.longestCommonSubstring(scalars, ref), Self.longestCommonSubstring(scalars, stripped))
                let coverage = Double(common) / Double(max(len, 1))
                let reach = Double(common) / Double(max(stripped.count, 1))
                guard coverage >= 0.6, reach >= 0.5, common >= min(len, 4) else { continue }
                if k == 0 && metaTitle != nil { echoesMeta = true }
                score = max(score, Double(common) * coverage - Double(c.rank) * 2)
            }
            if score > -Double.infinity, best == nil || score > best!.score { best = (c.block, c.text, score, echoesMeta) }
        }
        if let best {
            // The printed heading wins when it equals, contains (a truncated og:title) or
            // is contained in (a title with the site glued on) the metadata title; when the
            // two merely resemble each other, the publisher's metadata headline is the
            // deliberate one. A metadata "headline" that neither the heading nor `<title>`
            // echoes is something else (Wikipedia puts the article's description there).
            if let metaTitle, best.echoesMeta || Self.resembles(best.text, metaTitle),
               !Self.looselyContains(best.text, metaTitle), !Self.looselyContains(metaTitle, best.text) {
                return Headline(text: metaTitle, blocks: [best.block])
            }
            return Headline(text: Self.strippingBadge(best.text, references: refs), blocks: [best.block])
        }
        if let metaTitle { return Headline(text: metaTitle, blocks: []) }
        if let title = titleTag {
            let stripped = Self.stripSiteName(title)
            // A plain block printing the start of `<title>` (`X 东区办事处_中山网` over a bare
            // `X`): the title glued a channel on, the block is the headline.
            for (i, block) in page.blocks.prefix(400).enumerated()
            where block.chars >= 8 && Int(block.chars) < stripped.count && block.link_chars == 0 {
                let text = Self.collapse(page.text(of: block))
                if stripped.hasPrefix(text), Double(text.count) >= 0.6 * Double(stripped.count) {
                    return Headline(text: text, blocks: [i])
                }
            }
            // A `<title>` that no heading echoes names the site or channel (`新闻动态--中国地理学会官网`);
            // the headline is then the first heading printed right above a dateline.
            let minor = minorHeadings.map { (block: $0, text: Self.collapse(page.text(of: page.blocks[$0])), rank: 2) }
            let headings = (candidates.filter { $0.rank <= 2 } + minor).sorted { $0.block < $1.block }
            for c in headings where c.text.count >= 6 {
                let next = (c.block + 1)..<min(page.blocks.count, c.block + 4)
                if next.contains(where: { page.mayHoldDate(page.blocks[$0]) && VisibleDate.find(in: page.text(of: page.blocks[$0])) != nil }) {
                    return Headline(text: c.text, blocks: [c.block])
                }
            }
            return Headline(text: stripped, blocks: [])
        }
        if let first = candidates.first(where: { $0.rank == 0 }) { return Headline(text: first.text, blocks: [first.block]) }
        return Headline(text: nil, blocks: [])
    }

    private static let badges = ["原创", "原創", "独家", "獨家", "转载", "轉載", "置顶", "置頂", "精选", "精選", "推荐", "推薦",
                                 "热门", "熱門", "头条", "頭條", "视频", "視頻", "图文", "圖文", "快讯", "快訊", "重磅"]

    /// `原创最不愁吃肉的国家…`: a badge printed in the heading that the page's own title
    /// leaves out is furniture, not part of the headline.
    static func strippingBadge(_ heading: String, references: [String]) -> String {
        guard let badge = badges.first(where: { heading.hasPrefix($0) }) else { return heading }
        let rest = String(heading.dropFirst(badge.count)).trimmingCharacters(in: .whitespaces)
        let agrees = references.contains { ref in
            let r = collapse(ref)
            return r == rest || stripSiteName(r) == rest
        }
        return agrees ? rest : heading
    }

    /// Two headlines share a run of ten or more characters and at least 30% of the shorter one (a rewording of the
    /// same story, not an unrelated description).
    static func resembles(_ a: String, _ b: String) -> Bool {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        let common = longestCommonSubstring(x, y)
        return common >= 10 && Double(common) >= 0.3 * Double(max(1, min(x.count, y.count)))
    }

    /// Containment ignoring case, white space and quote styles.
    static func looselyContains(_ outer: String, _ inner: String) -> Bool {
        func key(_ s: String) -> String {
            String(s.lowercased().unicodeScalars.compactMap { u -> Character? in
                if u.properties.isWhitespace { return nil }
                switch u {
                case "\u{2018}", "\u{2019}": return "'"
                case "\u{201C}", "\u{201D}": return "\""
                case "\u{2013}", "\u{2014}": return "-"
                default: return Character(u)
                }
            })
        }
        let o = key(outer), i = key(inner)
        return !i.isEmpty && o.contains(i)
    }

    static func longestCommonSubstring(_ a: String, _ b: String) -> Int {
        longestCommonSubstring(Array(a.unicodeScalars), Array(b.unicodeScalars))
    }

    static func longestCommonSubstring(_ x: [Unicode.Scalar], _ y: [Unicode.Scalar]) -> Int {
        guard !x.isEmpty, !y.isEmpty, x.count <= 400, y.count <= 400 else { return 0 }
        var rows = [Int](repeating: 0, count: 2 * (y.count + 1))
        let width = y.count + 1
        var best = 0
        rows.withUnsafeMutableBufferPointer { table in
            for i in 1...x.count {
                let current = (i & 1) * width, previous = ((i - 1) & 1) * width
                let xi = x[i - 1]
                for j in 1...y.count {
                    if xi == y[j - 1] {
                        let v = table[previous + j - 1] + 1
                        table[current + j] = v
                        if v > best { best = v }
                    } else {
                        table[current + j] = 0
                    }
                }
            }
        }
        return best
    }

    /// White space runs as one space, none at either end: the Characters of `s` split at
    /// white space and joined. Every candidate headline, credit line and date line of a page
    /// goes through it, so the bytes are read directly unless a grapheme cluster could join
    /// white space with a neighbour (then the Character rule decides).
    static func collapse(_ s: String) -> String {
        collapseOnBytes(s) ?? collapseCharacters(s)
    }

    static func collapseCharacters(_ s: String) -> String {
        s.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// `collapseCharacters` on the UTF-8 bytes, or nil where it could differ. A Character
    /// is white space when its first scalar is (`Character.isWhitespace`); clusters differ
    /// from scalars next to white space only when a scalar that extends a cluster (combining
    /// marks, joiners) follows white space, or a Prepend scalar precedes it; anything next to
    /// white space that `scalarStandsAlone` does not clear sends the text to the Character rule.
    static func collapseOnBytes(_ text: String) -> String? {
        var s = text
        return s.withUTF8 { b -> String? in
            guard let p = b.baseAddress, !b.isEmpty else { return "" }
            let n = b.count
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: n) { out -> String? in
                var o = 0, i = 0
                var pending = false  // white space since the last kept scalar
                var afterWhite = false  // the previous scalar was white space
                var lastKeptPlain = true
                while i < n {
                    let c = p[i]
                    let v: UInt32, len: Int
                    if c < 0x80 { v = UInt32(c); len = 1 } else { (v, len) = UTF8Scalars.decodeMultibyte(p, i) }
                    if (v >= 0x09 && v <= 0x0D) || v == 0x20 || (v >= 0x80 && isNonASCIIWhiteSpace(v)) {
                        if !afterWhite && o > 0 && !lastKeptPlain { return nil }
                        pending = true
                        afterWhite = true
                        i += len
                        continue
                    }
                    let isPlain = scalarStandsAlone(v)
                    if afterWhite && !isPlain { return nil }
                    if pending && o > 0 { out[o] = 0x20; o += 1 }
                    pending = false
                    afterWhite = false
                    lastKeptPlain = isPlain
                    (out.baseAddress! + o).update(from: p + i, count: len)
                    o += len
                    i += len
                }
                // Unchanged text (the usual case) comes back without a copy.
                if o == n && memcmp(out.baseAddress!, p, n) == 0 { return text }
                return String(decoding: UnsafeBufferPointer(start: out.baseAddress!, count: o), as: UTF8.self)
            }
        }
    }

    // MARK: Summary

    func chooseSummary(headline: Int?) -> (text: String?, block: Int?) {
        // A visible summary block (aggregators print an abstract above the article), near the
        // headline: `summary` boxes far below it are teasers of other pages (`Best deals from …`).
        for (i, block) in page.blocks.enumerated() where block.chars >= 20 {
            if let h = headline, i > h + 30 { break }
            let node = page.nodes[Int(block.node)]
            let hints = node.hints | node.inherited
            guard hints & UInt32(INGEST_HTML_HINT_SUMMARY) != 0,
                  hints & UInt32(INGEST_HTML_HINT_NAV | INGEST_HTML_HINT_COMMENT | INGEST_HTML_HINT_NEGATIVE) == 0,
                  Double(block.link_chars) < 0.3 * Double(block.chars)
            else { continue }
            return (Self.collapse(page.text(of: block)), i)
        }
        // A description that only repeats the site's name (`og:description` = `Engadget`) says nothing.
        let sites = [meta.first(["og:site_name"]), meta.first(["application-name"]), meta.ld.publisher]
            .compactMap { $0.map(Self.collapse)?.lowercased() }
        let candidates = ["og:description", "description", "twitter:description", "dc.description"].compactMap { meta.first([$0]) }
            + [meta.ld.description].compactMap { $0 }
        let text = candidates.map(Self.collapse).first { !$0.isEmpty && !sites.contains($0.lowercased()) }
        return (text, nil)
    }

    // MARK: Byline and dates

    struct Byline {
        var text: String
        var date: String?
        var block: Int
    }

    /// The visible "source + time" line. Every short line with a printed date is a
    /// candidate; it gains for a time of day, a label (`发布时间`, `来源`, `Posted`), a
    /// byline-like class, and for sitting just below the headline or just above the main
    /// text; it loses inside navigation and for dates that are not publication times.
    func findByline(headline: Int?, content: [Int]) -> Byline? {
        let blocks = page.blocks
        let contentStart = content.first ?? blocks.count
        let contentEnd = content.last ?? -1
        let limit = min(blocks.count, max(contentEnd + 1, (headline ?? 0) + 40, 400))
        var best: (score: Double, byline: Byline)?
        for i in 0..<limit {
            let block = blocks[i]
            guard block.chars <= 400, page.mayHoldDate(block) else { continue }
            let text = page.text(of: block)
            guard let date = VisibleDate.find(in: text) else { continue }
            let line = Self.collapse(Self.line(of: text, containing: date))
            guard line.count <= 160 else { continue }
            let node = page.nodes[Int(block.node)]
            let hints = node.hints | node.inherited
            var score = 0.0
            if TextSearch.contains(date, ":") || TextSearch.contains(date, "：") { score += 3 }
            if Self.hasPublicationLabel(line) { score += 3 }
            if Self.hasOtherDateLabel(line) { score -= 6 }
            if hints & UInt32(INGEST_HTML_HINT_BYLINE) != 0 { score += 2 }
            if hints & UInt32(INGEST_HTML_HINT_NAV | INGEST_HTML_HINT_COMMENT) != 0 { score -= 3 }
            if Double(block.link_chars) > 0.5 * Double(block.chars) { score -= 2 }
            if line.count > 80 { score -= 2 }
            if let h = headline {
                let d = i - h
                if d > 0 && d <= 25 { score += 4 - Double(d) * 0.1 } else if d < 0 { score -= 2 }
            }
            if i < contentStart && contentStart - i <= 15 { score += 2 }
            if i >= contentStart && i <= contentEnd { score -= 1 }
            if i > contentEnd && contentEnd >= 0 { score -= 2 }
            if best == nil || score > best!.score {
                best = (score, Byline(text: line, date: date, block: i))
            }
        }
        guard let best, best.score >= 1 else { return nil }
        return best.byline
    }

    private static let publicationLabels = ["发布", "发表", "时间", "日期", "来源", "出处", "编辑", "作者", "记者",
                                            "posted", "published", "updated", "by ", "·"]
    private static let otherDateLabels = ["建立于", "截止", "注册", "加入", "©", "copyright", "版权", "登录", "上次",
                                          "最后回复", "最近更新", "创建于", "网站", "备案"]

    static func hasPublicationLabel(_ line: String) -> Bool {
        let lower = line.lowercased()
        return publicationLabels.contains { TextSearch.contains(lower, $0) }
    }

    static func hasOtherDateLabel(_ line: String) -> Bool {
        let lower = line.lowercased()
        return otherDateLabels.contains { TextSearch.contains(lower, $0) }
    }

    static func line(of text: String, containing needle: String) -> String {
        guard TextSearch.contains(text, "\n") else { return text }
        for line in text.split(separator: "\n") where TextSearch.contains(String(line), needle) { return String(line) }
        return text
    }

    func chooseDates(byline: Byline?) -> (published: String?, updated: String?) {
        let updated = meta.ld.dateModified
            ?? meta.first(["article:modified_time", "og:updated_time", "article:modified", "datemodified",
                           "last-modified", "dcterms.modified", "lastmod"])
            ?? meta.itemprop("dateModified") ?? meta.itemprop("dateUpdate")
        var published = meta.ld.datePublished
            ?? meta.first(["article:published_time", "og:article:published_time", "og:published_time",
                           "article:published", "datepublished", "pubdate", "publishdate", "publish_date",
                           "publish-date", "publication_date", "published_time", "publishtime", "pubtime",
                           "sailthru.date", "parsely-pub-date", "dc.date.issued", "dcterms.issued", "dc.date",
                           "dcterms.created", "date", "article.published", "weibo:article:create_at",
                           "og:release_date", "article:published_date", "created", "release_date",
                           "originalpublicationdate", "rnews:datepublished", "citation_publication_date",
                           "citation_date", "dc.date.created", "displaydate"])
            ?? meta.itemprop("datePublished") ?? meta.itemprop("dateCreated")
            ?? meta.parselyPublished
            ?? meta.first(["script:pubtime", "script:publish_time", "script:publishtime", "script:pubdate",
                           "script:publishdate", "script:datepublished", "script:publish_date", "script:ptime",
                           "script:ct"])
            ?? articleTime()
        if let visible = byline?.date {
            // What the page prints wins over machine metadata of the same day: CMSs often
            // stamp the last save, while the byline shows the publication minute.
            if let p = published, VisibleDate.sameDay(p, visible), visible.contains(":") || !p.contains(":") {
                published = visible
            } else if published == nil {
                published = visible
            }
        }
        if published == nil { published = updated }
        return (published, updated)
    }

    /// The first `<time datetime>` outside navigation, comments, sidebars and related-story
    /// lists (a "latest news" rail printed above the article stamps other stories), else the first.
    func articleTime() -> String? {
        let stamped = meta.times.filter { !$0.datetime.isEmpty }
        let furniture = UInt32(INGEST_HTML_HINT_NAV | INGEST_HTML_HINT_COMMENT | INGEST_HTML_HINT_NEGATIVE)
        let inArticle = stamped.first { t in
            guard t.node >= 0, t.node < page.nodes.count else { return true }
            let node = page.nodes[t.node]
            if (node.hints | node.inherited) & furniture != 0 { return false }
            var n = t.node
            while n >= 0 {
                let tag = Int(page.nodes[n].tag)
                if tag == INGEST_HTML_TAG_NAV || tag == INGEST_HTML_TAG_ASIDE || tag == INGEST_HTML_TAG_FOOTER
                    || tag == INGEST_HTML_TAG_LI { return false }
                n = Int(page.nodes[n].parent)
            }
            return true
        }
        return (inArticle ?? stamped.first)?.datetime
    }

    // MARK: Authors

    /// Chinese credits (`记者 张倩`, `文/黄宇`, `（记者 李楠）`, `ggjjzhzz 发表于 …`, `[ 黄宇 ]`,
    /// `编辑：X`), read from where pages print them, nearest the headline first: the
    /// byline, the lines between headline and text, the opening of the text (`…讯（记者X）`),
    /// then its end and the lines after it (`（总台记者 张倩）`, `责任编辑：X`). A writer
    /// anywhere beats an editor; an editor beats a person named as the source.
    func chineseAuthors(headline: Int?, byline: Byline?, content: [Int]) -> (writers: [String], fallback: [String]) {
        let blocks = page.blocks
        var lines: [String] = []
        func add(_ text: String, head: Int? = nil, tail: Int? = nil) {
            for line in text.split(separator: "\n") {
                var l = Substring(line)
                if let head, l.count > head { l = l.prefix(head) }
                if let tail, l.count > tail { l = l.suffix(tail) }
                if l.count >= 2 { lines.append(String(l)) }
            }
        }
        if let b = byline { add(page.text(of: blocks[b.block]), head: 200) }
        let contentStart = content.first ?? blocks.count
        let contentEnd = content.last ?? -1
        // Between the headline and the text (or the few lines above the text).
        let headerFrom = headline.map { $0 + 1 } ?? max(0, contentStart - 6)
        var bareName: String?
        if headerFrom < contentStart {
            for i in headerFrom..<min(contentStart, headerFrom + 12) where blocks[i].chars <= 200 {
                let text = page.text(of: blocks[i])
                add(text)
                // A lone person name under the headline is the author's line.
                let trimmed = Self.collapse(text)
                let node = page.nodes[Int(blocks[i].node)]
                let furniture = (node.hints | node.inherited) & UInt32(INGEST_HTML_HINT_NEGATIVE | INGEST_HTML_HINT_NAV) != 0
                if bareName == nil, i - headerFrom < 4, blocks[i].link_chars == 0, !furniture,
                   NewsText.Byline.isChinesePersonName(trimmed) { bareName = trimmed }
            }
        }
        // …or as one of the first lines of the text.
        let opening = content.prefix(3).flatMap { page.text(of: blocks[$0]).split(separator: "\n").prefix(3) }.prefix(3)
        for line in opening where bareName == nil {
            let trimmed = Self.collapse(String(line))
            if NewsText.Byline.isChinesePersonName(trimmed) { bareName = trimmed }
        }
        for i in content.prefix(2) { add(page.text(of: blocks[i]), head: 80) }
        for i in content.suffix(3) { add(page.text(of: blocks[i]), tail: 80) }
        if contentEnd >= 0 {
            for i in (contentEnd + 1)..<min(blocks.count, contentEnd + 10) where blocks[i].chars <= 160 {
                add(page.text(of: blocks[i]))
            }
        }
        var editors: [String] = [], sourcePeople: [String] = []
        for line in lines {
            let credits = NewsText.Byline.chineseCredits(in: line)
            let writers = credits.filter { $0.role == .author }.flatMap(\.names)
            if !writers.isEmpty { return (Self.unique(writers), []) }
            if editors.isEmpty { editors = credits.first(where: { $0.role == .editor })?.names ?? [] }
            if sourcePeople.isEmpty { sourcePeople = credits.first(where: { $0.role == .sourcePerson })?.names ?? [] }
            if let name = Self.bracketedName(line) { return ([name], []) }
        }
        if let bareName { return ([bareName], []) }
        return ([], Self.unique(editors.isEmpty ? sourcePeople : editors))
    }

    private static let furniture: Set<String> = [
        "关注", "關注", "订阅", "訂閱", "分享", "收藏", "举报", "舉報", "更多", "登录", "登錄", "注册", "返回", "首页", "评论", "作者",
        "author", "authors", "follow", "subscribe", "share", "admin", "staff", "unknown", "anonymous", "by",
    ]

    /// Drops what metadata and author-classed elements name instead of people: the site or
    /// outlet (`网易`, the byline's `参考消息`), user ids, e-mail placeholders, widgets and
    /// buttons; a value that is itself a credit line (`责任编辑：张申`) is read as one.
    func credibleAuthors(_ names: [String], byline: Byline?, people: Set<String> = []) -> [String] {
        guard !names.isEmpty else { return [] }
        let sites = [meta.first(["og:site_name"]), meta.first(["application-name"]), meta.ld.publisher,
                     meta.first(["source"])].compactMap { $0.map(Self.collapse) }.filter { !$0.isEmpty }
        // On Chinese pages every piece of `<title>` but the headline is a site or channel
        // name (`…_网易财经`); English titles often carry the writer (`… | by Jane Doe | Medium`).
        var titleSites: [String] = []
        if let title = meta.titleTag.map(Self.collapse) {
            for sep in Self.separators where TextSearch.contains(title, sep) {
                let parts = title.components(separatedBy: sep).map { $0.trimmingCharacters(in: .whitespaces) }
                let longest = parts.max(by: { $0.count < $1.count })
                titleSites = parts.filter { $0 != longest && !$0.isEmpty }
                break
            }
        }
        let bylineCredits = byline.map { NewsText.Byline.chineseCredits(in: $0.text).flatMap(\.names) } ?? []
        var out: [String] = []
        for raw in names {
            var name = Self.collapse(raw)
            // `示例财经关注`: an account name with its follow button glued on.
            if let button = Self.furniture.first(where: { name.count > $0.count + 1 && name.hasSuffix($0) && $0.unicodeScalars.allSatisfy { CJK.isHan($0.value) } }) {
                name = String(name.dropLast(button.count)).trimmingCharacters(in: .whitespaces)
            }
            let credits = NewsText.Byline.chineseCredits(in: name)
            if !credits.isEmpty {
                let writers = credits.filter { $0.role == .author }.flatMap(\.names)
                out += writers.isEmpty ? credits.filter { $0.role == .editor }.flatMap(\.names) : writers
                continue
            }
            let lower = name.lowercased()
            // `elmundo.es`, `www.example.com`: a site's address, not a person.
            let address = !name.contains(" ") && name.split(separator: ".").count >= 2
                && name.split(separator: ".").last.map { $0.count >= 2 && $0.count <= 6 && $0.allSatisfy(\.isLetter) } == true
            if address || name.count < 2 || name.count > 80 || TextSearch.contains(name, "@") || TextSearch.contains(lower, "http")
                || TextSearch.contains(lower, "taboola") || TextSearch.contains(lower, "outbrain")
                || Self.furniture.contains(lower) || name.allSatisfy({ $0.isNumber || $0.isPunctuation || $0 == " " }) {
                continue
            }
            // A personal blog names its owner as both publisher and author: a name the page
            // types as a Person and that reads as one is the writer, not the site.
            let person = people.contains(raw) && Self.readsAsPersonName(name)
            if !person, sites.contains(where: { $0 == name || (name.count >= 2 && TextSearch.contains($0, name)) }) { continue }
            let han = name.unicodeScalars.contains { CJK.isHan($0.value) }
            if han {
                if titleSites.contains(where: { TextSearch.contains($0, name) }) { continue }
                // A Chinese value that the byline prints outside any credit is the outlet.
                if let b = byline, TextSearch.contains(b.text, name), !bylineCredits.contains(name) { continue }
                if !NewsText.Byline.isPlausibleName(name) || name.contains(where: \.isNumber) { continue }
            }
            out.append(name)
        }
        return Self.unique(out)
    }

    /// `2004年7月16日08:19 [ 黄宇 ] 来源：[ 国际金融报 ]`: the writer in brackets beside the date.
    static func bracketedName(_ line: String) -> String? {
        guard TextSearch.contains(line, "["), let open = line.firstIndex(of: "["),
              let close = line[open...].firstIndex(of: "]") else { return nil }
        let name = line[line.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
        guard NewsText.Byline.isChinesePersonName(name) else { return nil }
        return VisibleDate.find(in: line) != nil ? name : nil
    }

    /// The first source of evidence that still names someone once site names, ids and
    /// furniture are dropped: JSON-LD, then author meta (Dublin Core first, as Readability
    /// reads it; every value, for pages that repeat the key per author), microdata,
    /// `rel=author` links, then a visible "By …" line.
    func chooseAuthors(byline: Byline?) -> [String] {
        let fromLD = meta.ld.authors.filter { !$0.hasPrefix("http") }
        let people = Set(fromLD.filter { meta.ld.personAuthors.contains($0) }.flatMap(Self.latinNames))
        let found = credibleAuthors(fromLD.flatMap(Self.latinNames), byline: byline, people: people)
        if !found.isEmpty { return found }
        for key in ["dc:creator", "dcterm:creator", "dcterms.creator", "dc.creator", "author", "article:author", "byl",
                    "sailthru.author", "parsely-author", "citation_author"] {
            guard let values = meta.credited[key] else { continue }
            let found = credibleAuthors(values.filter { !$0.hasPrefix("http") }.flatMap(Self.latinNames), byline: byline)
            if !found.isEmpty { return found }
        }
        // Microdata: `itemprop=author` holding a Person whose `itemprop=name` is the name.
        var props: [String] = []
        let items = meta.itemprops
        for (k, prop) in items.enumerated() where prop.key.split(separator: " ").contains("author") {
            let owner = prop.node
            if let name = items[(k + 1)..<min(items.count, k + 6)].first(where: {
                $0.key == "name" && owner >= 0 && $0.node >= 0 && page.contains(owner, $0.node)
            }) {
                props.append(name.value)
            } else if !prop.value.hasPrefix("http") {
                props.append(prop.value)
            }
        }
        let fromProps = credibleAuthors(props.filter { $0.count <= 120 }.flatMap(Self.latinNames).filter { $0.count <= 60 }, byline: byline)
        if !fromProps.isEmpty { return fromProps }
        let fromLinks = credibleAuthors(meta.authorLinks.flatMap(Self.latinNames), byline: byline)
        if !fromLinks.isEmpty { return fromLinks }
        let visible = credibleAuthors(visibleAuthors(), byline: byline)
        if !visible.isEmpty { return visible }
        // `Tuesday 15 October 2019 by Jane Doe`: the credit after the date in the byline.
        if let b = byline, let names = Self.namesAfterBy(b.text) { return credibleAuthors(names, byline: nil) }
        return []
    }

    private static let months: Set<String> = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "january", "february",
        "march", "april", "june", "july", "august", "september", "october", "november", "december",
    ]

    /// `By Erin Cunningham March 18 at 3:57 PM` → `Erin Cunningham`: a credit cut before
    /// its date, its "By" dropped. Chinese values pass through untouched.
    static func latinCredit(_ raw: String) -> String {
        var text = collapse(raw)
        guard !text.unicodeScalars.contains(where: { CJK.isHan($0.value) }) else { return text }
        for prefix in ["written by ", "by: ", "by ", "par ", "von ", "por "] where text.lowercased().hasPrefix(prefix) {
            text = String(text.dropFirst(prefix.count))
            break
        }
        let words = text.split(separator: " ")
        if let k = words.indices.first(where: { i in
            let w = words[i].lowercased().trimmingCharacters(in: .punctuationCharacters)
            let dated = i + 1 < words.count && words[i + 1].contains(where: \.isNumber)
            return words[i].contains(where: \.isNumber) || (months.contains(w) && dated)
        }), k > 0 {
            text = words[..<k].joined(separator: " ")
        }
        return text.trimmingCharacters(in: CharacterSet(charactersIn: " ,;|-–—"))
    }

    /// Role words and agency tags that ride along in credits (`Jane Doe, Staff Writer`,
    /// `Jane Doe and John Roe, Associated Press`): they name a job or an outlet, not a person.
    private static let roleWords: Set<String> = [
        "staff", "writer", "writers", "reporter", "reporters", "correspondent", "correspondents", "editor", "editors",
        "contributor", "contributing", "columnist", "senior", "chief", "bureau", "political", "business", "sports",
        "science", "technology", "tech", "health", "foreign", "national", "deputy", "associate", "managing",
        "special", "investigative", "freelance", "photographer", "producer", "analyst", "news", "desk", "team",
        "associated", "press", "reuters", "afp", "ap", "upi", "dpa", "bloomberg", "for", "the", "of", "in", "at",
    ]

    /// Job titles printed after a name without a comma, in the languages the corpus shows
    /// (`Andrea Stone Senior Washington Correspondent`, `Laure Bretton Envoyés spéciaux à Toulouse`).
    private static let trailingRoleWords: Set<String> = [
        "staff", "writer", "reporter", "correspondent", "editor", "contributor", "contributing", "columnist", "senior",
        "chief", "bureau", "deputy", "associate", "managing", "special", "freelance", "photographer", "producer",
        "analyst", "envoyé", "envoyée", "envoyés", "envoyées", "correspondant", "correspondante", "journaliste",
        "rédacteur", "rédactrice", "korrespondent", "korrespondentin", "redakteur", "redakteurin", "corresponsal",
        "redactor", "redactora", "periodista", "enviado", "enviada",
    ]

    /// A credit part cut before its first job-title word once a two-word name precedes it.
    static func withoutTrailingRole(_ part: String) -> String {
        let words = part.split(separator: " ")
        guard words.count >= 3,
              let k = words.indices.dropFirst(2).first(where: { trailingRoleWords.contains(words[$0].lowercased()) })
        else { return part }
        return words[..<k].joined(separator: " ")
    }

    /// Whether every word of a credit part is a role or agency word (`Staff Writer`, `AP`).
    static func isRole(_ part: String) -> Bool {
        let words = part.lowercased().split(whereSeparator: { $0 == " " || $0 == "." })
        return !words.isEmpty && words.allSatisfy { roleWords.contains(String($0)) }
    }

    /// One credit value as person names: "By" and dates dropped (`latinCredit`), joint
    /// credits split (`Jane Doe and John Roe`, `Jane Doe, John Roe & Ann Poe`), roles and
    /// agencies after a comma dropped (`Jane Doe, Staff Writer`). Commas split only
    /// between full names, so `Doe, Jane` stays one value. Chinese values pass whole.
    static func latinNames(_ raw: String) -> [String] {
        let text = latinCredit(raw)
        guard !text.unicodeScalars.contains(where: { CJK.isHan($0.value) }) else { return [text] }
        // `Jane Doe (avec John Roe et Ann Poe)`, `Jane Doe (with John Roe)`: co-writers in brackets.
        var joined = text
        for open in ["(avec ", "(with ", "(mit ", "(con "] where TextSearch.contains(joined, open) {
            joined = joined.replacingOccurrences(of: open, with: ", ").replacingOccurrences(of: ")", with: "")
        }
        for sep in [" and ", " And ", " AND ", " & ", " und ", " et ", " y "] {
            joined = joined.replacingOccurrences(of: sep, with: ", ")
        }
        let parts = joined.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " ;|-–—")) }
            .filter { !$0.isEmpty }.map(withoutTrailingRole)
        let people = parts.enumerated().filter { k, part in k == 0 || !isRole(part) }.map(\.element)
        guard people.count > 1 else { return people.isEmpty ? [text] : people }
        // `Doe, Jane`: a one-word part means the comma was inside one name.
        if people.contains(where: { !$0.contains(" ") }) && !TextSearch.contains(text, " and ") && !TextSearch.contains(text, "&") {
            return [people.joined(separator: ", ")]
        }
        return people
    }

    /// A Latin-script full name: two to four capitalised words with no outlet words in it.
    static func readsAsPersonName(_ name: String) -> Bool {
        let words = name.split(separator: " ")
        guard words.count >= 2, words.count <= 4 else { return false }
        let outlet: Set<String> = ["news", "times", "media", "post", "press", "daily", "magazine", "journal", "group",
                                   "inc", "ltd", "blog", "online", "tv", "radio", "network", "the", "team", "staff"]
        return words.allSatisfy { w in
            guard let first = w.unicodeScalars.first, first.properties.isUppercase else { return false }
            return !outlet.contains(w.lowercased()) && w.allSatisfy { $0.isLetter || $0 == "." || $0 == "-" || $0 == "'" }
        }
    }

    /// `Tuesday 15 October 2019 by Jane Doe`, `Posted on May 2 by J. Roe and A. Poe`: the
    /// names after a lower-case "by" in a dated byline, when they read as names.
    static func namesAfterBy(_ text: String) -> [String]? {
        guard let r = text.range(of: " by ") else { return nil }
        var rest = String(text[r.upperBound...])
        for stop in [" | ", "\n", " — ", " - ", " on ", " in ", " at ", " · ", "  "] {
            if let s = rest.range(of: stop) { rest = String(rest[..<s.lowerBound]) }
        }
        let names = latinNames(rest).filter { readsAsPersonName($0) }
        return names.isEmpty ? nil : names
    }

    private static let authorPrefixes = ["by ", "par ", "von ", "por ", "作者：", "作者:", "作者 ", "记者：", "记者:", "记者 ",
                                         "文／", "文/", "撰文：", "written by "]
    private static let authorStops = [" | ", "\n", " — ", " - ", " on ", " updated", " published", " posted", " edited by", "，", "　", "  "]

    /// Names from a visible "By …" line or an element named like an author credit.
    func visibleAuthors() -> [String] {
        for (i, block) in page.blocks.enumerated() where block.chars >= 2 && block.chars <= 120 {
            if i > 3000 { break }
            let node = page.nodes[Int(block.node)]
            let named = (node.hints | node.inherited) & UInt32(INGEST_HTML_HINT_BYLINE) != 0
            if !named {
                // Only "By …", "Par …", "Written by …" and Chinese credits can start an unnamed credit line.
                switch page.firstByte(block) {
                case UInt8(ascii: "B"), UInt8(ascii: "b"), UInt8(ascii: "P"), UInt8(ascii: "p"), UInt8(ascii: "W"),
                     UInt8(ascii: "w"), UInt8(ascii: "V"), UInt8(ascii: "v"), 0xE4...0xE9: break
                default: continue
                }
            }
            let raw = page.text(of: block)
            var text = Self.collapse(raw)
            let lower = text.lowercased()
            guard let prefix = Self.authorPrefixes.first(where: { lower.hasPrefix($0) }) else {
                guard named, block.chars <= 40 else { continue }
                let attributes = page.attributes(of: node).lowercased()
                text = Self.collapse(Self.creditLine(raw))
                guard TextSearch.contains(attributes, "author"), !TextSearch.contains(attributes, "authority"),
                      VisibleDate.find(in: text) == nil, !text.contains(where: { $0.isNumber }) else { continue }
                return [Self.withoutTrailingRole(text)]
            }
            if TextSearch.contains(raw, "\n") { text = Self.collapse(Self.creditLine(raw)) }
            guard named || prefix.hasPrefix("by") || prefix.hasPrefix("作者") || prefix.hasPrefix("记者") else { continue }
            text = String(text.dropFirst(prefix.count))
            if let date = VisibleDate.find(in: text), let r = text.range(of: date) { text = String(text[..<r.lowerBound]) }
            for stop in Self.authorStops {
                if let r = text.range(of: stop, options: .caseInsensitive) { text = String(text[..<r.lowerBound]) }
            }
            var names: [String] = []
            for part in Self.latinNames(text.replacingOccurrences(of: "、", with: ", ")) {
                let name = part.trimmingCharacters(in: .whitespaces)
                if name.count >= 2 && name.count <= 60 && !name.contains(where: { $0.isNumber }) { names.append(name) }
            }
            if !names.isEmpty { return Self.unique(names) }
        }
        return []
    }

    /// The credit's own line: `By Jane Doe<br>ESPN.com<br>Archive | Contact` names one person;
    /// a lone `By` on its line takes the next line as its name.
    static func creditLine(_ raw: String) -> String {
        guard TextSearch.contains(raw, "\n") else { return raw }
        let lines = raw.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard let first = lines.first else { return raw }
        return lines.count > 1 && authorPrefixes.contains(first.lowercased() + " ") ? first + " " + lines[1] : first
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
