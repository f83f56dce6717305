import Foundation
import IngestCore
import NewsText
import Synchronization

/// Settings of the Normalize stage.
public struct NormalizeOptions: Sendable {
    /// Zone for zoneless times in Chinese sources that name no zone of their own.
    public var chineseDefaultZone: String
    /// Query parameters removed from item URLs in addition to the built-in tracking list
    /// (lower-case names; a trailing `*` matches a prefix).
    public var extraTrackingParameters: [String]

    public init(chineseDefaultZone: String = "Asia/Shanghai", extraTrackingParameters: [String] = []) {
        self.chineseDefaultZone = chineseDefaultZone
        self.extraTrackingParameters = extraTrackingParameters
    }
}

/// The Normalize stage: turns what a document printed (`RawItem`) into the record
/// (`FeedItem`), with every field filled by the contract's rules.
///
/// Item id rule: FNV-1a 64 (IngestCore.FNV1a64) over the feed id and one identity key,
/// printed as 16 hex digits. The key is `guid:` + the guid as published when there is one,
/// else `url:` + the canonical URL (tracking parameters removed), else `title:` + the
/// title key + the published instant (or the date text as printed), and, when there is no
/// headline either, `text:` + the plain summary (else content) + `authors:` + the authors
/// as printed. The feed id takes part because two feeds may reuse the same guid for
/// different items.
public struct ItemNormalizer: Sendable {
    public let registry: SourceRegistry?
    public let options: NormalizeOptions
    private let headlines: HeadlineNormalizer
    private let tracking: TrackingParameters
    private let outlets = OutletCache()

    public init(registry: SourceRegistry?, options: NormalizeOptions = .init()) {
        self.registry = registry
        self.options = options
        self.headlines = HeadlineNormalizer(registry: registry)
        self.tracking = TrackingParameters(extra: options.extraTrackingParameters)
    }

    public func normalize(_ raw: RawItem, context: FeedContext) -> FeedItem {
        var warnings = raw.warnings
        let info = context.info
        let feedSource = context.source

        // Language from the item's own text; the declaration only breaks ties.
        let titleRaw = raw.title ?? ""
        let summary = raw.summary.flatMap(Self.paragraphs)
        let content = raw.content.flatMap(Self.paragraphs)
        let declared = raw.language ?? info.language ?? feedSource.language
        let declaredTag = declared.map(Self.canonicalLanguage)
        // Big5 has no Simplified characters: a Big5 feed's Han text that no character decides
        // is Traditional, whatever the feed declares (fresh8 had a neutral Big5 headline read
        // as Simplified). Characters that differ between the scripts still decide first.
        let scriptHint = info.encoding?.hasPrefix("big5") == true ? "zh-Hant" : declared
        let (lang, titleHan) = Self.itemLanguage(title: titleRaw, body: summary ?? content, declared: scriptHint,
                                                 declaredTag: declaredTag)
        let chinese = lang?.hasPrefix("zh") == true || declaredTag?.hasPrefix("zh") == true

        // Headline: the Chinese punctuation rule needs Han characters on both sides anyway,
        // so a Chinese item with Han in its headline is enough to apply it.
        let titleIsChinese = lang?.hasPrefix("zh") == true && titleHan > 0
        let headline = headlines.normalize(titleRaw, chinese: titleIsChinese)

        // Outlet behind the feed, for its zone and as a source fallback.
        let feedOutlet = outlet(of: context)

        // Zone for zoneless times: feed list, then the outlet's, then Chinese default, then UTC.
        let zone: TimeZone = {
            if let z = feedSource.timeZone, let tz = ZoneCache.zone(z) { return tz }
            if let z = feedOutlet?.timeZone, let tz = ZoneCache.zone(z) { return tz }
            if chinese, let tz = ZoneCache.zone(options.chineseDefaultZone) { return tz }
            return ZoneCache.utc
        }()

        let byline = raw.byline.flatMap {
            Byline.parse($0, registry: registry, defaultZone: zone, reference: context.fetchedAt)
        }

        func date(_ text: String?, field: String) -> LocalizedDate? {
            guard let t = text.map(trimWhitespace), !t.isEmpty else { return nil }
            switch NewsDate.read(t, defaultZone: zone, reference: context.fetchedAt, chineseContext: chinese) {
            case .success(let r): return r.date
            case .failure(let f):
                warnings.append("\(field): \(f)")
                return nil
            }
        }
        var published = date(raw.published, field: "published")
        if published == nil && raw.published == nil { published = byline?.date?.date }
        let updated = date(raw.updated, field: "updated")

        let url = (raw.link ?? permalinkGuid(raw)).map { tracking.strip($0) }

        // Source: byline, the item's <source>, the feed's outlet, a glued site name, the feed title.
        let source: SourceRef = {
            if let s = byline?.source, !s.isEmpty { return s }
            if let name = raw.sourceName.map(trimWhitespace), !name.isEmpty {
                if let s = registry?.source(named: name) ?? raw.sourceURL.flatMap({ registry?.source(forURL: $0) }) { return s.ref }
                return SourceRef(name: HeadlineNormalizer.cleanLine(name))
            }
            if let s = feedOutlet { return s.ref }
            if let s = headline.source { return s.ref }
            // Aggregators (Hacker News, planets): the linked article's outlet.
            if let s = url.flatMap({ registry?.source(forURL: $0) }) { return s.ref }
            // A site name the registry does not know, cut from the headline by its shape.
            if let name = headline.gluedName { return SourceRef(name: name) }
            if let title = info.title ?? feedSource.title { return feedTitleSource(title) }
            return SourceRef()
        }()

        let guid = raw.guid.map(trimWhitespace)
        let titleKey = HeadlineNormalizer.titleKey(headline.title)

        var h = ItemIDHash()
        h.add(feedSource.id)
        if let g = guid, !g.isEmpty {
            h.add("guid:", g)
        } else if let u = url, !u.isEmpty {
            h.add("url:", u)
        } else {
            h.add("title:", titleKey)
            h.add(published.map { RFC3339.utc($0.instant) } ?? raw.published ?? "")
            if titleKey.isEmpty {
                // No guid, link or headline (author-only or text-only items, which old
                // feeds and podcasts do publish): without more, every such item of a feed
                // would share one id and all but the first be dropped as repeats.
                h.add("text:", summary ?? content ?? "")
                h.add("authors:", raw.authors.joined(separator: "\u{1}"))
            }
        }

        var authors = Self.dedupe(raw.authors.compactMap(Self.personName))
        if authors.isEmpty, let b = byline { authors = Self.dedupe(b.authors) }
        let categories = Self.dedupe(raw.categories.map { HeadlineNormalizer.cleanLine($0) }.filter { !$0.isEmpty })

        let feed: FeedRef = feedSource.kind == .page
            ? FeedRef()
            : FeedRef(url: context.requestedURL, title: info.title ?? feedSource.title, link: info.link,
                      language: info.language ?? feedSource.language)

        return FeedItem(
            id: h.hex, url: url, guid: (guid?.isEmpty ?? true) ? nil : guid, title: headline.title, titleRaw: titleRaw,
            titleKey: titleKey.isEmpty ? nil : titleKey, summary: summary, content: content, lang: lang,
            published: published, updated: updated, authors: authors, categories: categories, source: source,
            feed: feed, fetchedAt: context.fetchedAt, warnings: warnings)
    }

    /// The outlet behind a feed: the feed list's `sourceID`, else the registry entry for the
    /// feed's home link or URL. Every item of a feed asks, so answers are kept per feed.
    private func outlet(of context: FeedContext) -> NewsSource? {
        guard let registry else { return nil }
        if let id = context.source.sourceID { return registry.source(id: id) }
        // Items come feed by feed: the previous item's answer is nearly always this one's.
        let link = context.info.link, finalURL = context.finalURL
        if let last = outlets.last.withLock({ $0 }), last.feedID == context.source.id, last.link == link,
           last.finalURL == finalURL {
            return last.outlet
        }
        let found = outletUncached(of: context, registry: registry)
        outlets.last.withLock { $0 = LastOutlet(feedID: context.source.id, link: link, finalURL: finalURL, outlet: found) }
        return found
    }

    private func outletUncached(of context: FeedContext, registry: SourceRegistry) -> NewsSource? {
        let key = context.source.id + "\u{1}" + (context.info.link ?? "") + "\u{1}" + context.finalURL
        if let hit = outlets.cache.withLock({ $0[key] }) { return hit }
        let found = [context.info.link, context.finalURL, context.requestedURL].lazy.compactMap { $0 }
            .compactMap { registry.source(forURL: $0) }.first
        outlets.cache.withLock { c in
            if c.count > OutletCache.limit { c.removeAll() }
            c[key] = .some(found)
        }
        return found
    }

    /// The source a feed title names (an outlet, else the title itself). Depends on the title
    /// alone, and every item of a feed without a better source asks.
    private func feedTitleSource(_ title: String) -> SourceRef {
        if let last = outlets.lastTitle.withLock({ $0 }), last.title == title { return last.source }
        let found = feedTitleSourceUncached(title)
        outlets.lastTitle.withLock { $0 = (title, found) }
        return found
    }

    private func feedTitleSourceUncached(_ title: String) -> SourceRef {
        if let hit = outlets.titles.withLock({ $0[title] }) { return hit }
        let t = HeadlineNormalizer.clean(title)
        let found: SourceRef
        if let s = registry?.source(named: t) ?? registry?.stripGluedSiteNames(t)?.source {
            found = s.ref
        } else {
            found = t.isEmpty ? SourceRef() : SourceRef(name: t)
        }
        outlets.titles.withLock { c in
            if c.count > OutletCache.limit { c.removeAll() }
            c[title] = found
        }
        return found
    }

    /// `String(text.prefix(n))` without grapheme breaking when it cannot matter: while every
    /// scalar is one that always forms a Character of its own (ASCII but CR, Latin-1 and
    /// Latin Extended letters, Han, general and CJK punctuation, full-width forms), the first
    /// `n` scalars are the first `n` Characters. Anything else falls back to `prefix`.
    static func leadingCharacters(_ text: String, _ n: Int) -> Substring {
        let scalars = text.unicodeScalars
        var i = scalars.startIndex
        var count = 0
        while i < scalars.endIndex {
            let v = scalars[i].value
            let standalone = (v < 0x300 && v != 0x0D) || CJK.isHan(v) || (0x2010...0x2027).contains(v)
                || (0x3000...0x3029).contains(v) || (0xFF01...0xFF5E).contains(v)
            // The scalar after the cut must be standalone too (it could extend the last one).
            guard standalone else { return text.prefix(n) }
            if count == n { return text[..<i] }
            count += 1
            scalars.formIndex(after: &i)
        }
        return text[...]
    }

    /// The item's language, and how many Han characters its headline holds (0, 1, or 2 for
    /// two or more).
    ///
    /// A Chinese headline makes a Chinese item whatever language its summary is in (the
    /// seed carries an English abstract under a Chinese headline); a Chinese body then only
    /// helps tell Traditional from Simplified. Otherwise headline and body decide together,
    /// over the headline, a line break and the body's first 400 characters.
    static func itemLanguage(title: String, body: String?, declared: String?, declaredTag: String?) -> (String?, Int) {
        // One pass reads the headline and then the body's sample; the tally after the
        // headline is the headline's own.
        var tally = LanguageDetector.Tally()
        let titleComplete = tally.add(contentsOf: title)
        let titleTally = tally
        if titleComplete, let body, tally.add(0x0A) {
            tally.addLeadingCharacters(of: body, 400)
        }
        let titleHan = titleComplete ? min(titleTally.hanCount, 2)
            : title.unicodeScalars.lazy.filter({ CJK.isHan($0.value) }).prefix(2).count
        let sampleLang = tally.language(hint: declared)
        let titleLang: String? = titleHan >= 2 ? titleTally.language(hint: declared) : nil
        if let t = titleLang, t.hasPrefix("zh") {
            return (sampleLang?.hasPrefix("zh") == true ? sampleLang : t, titleHan)
        }
        return (sampleLang ?? declaredTag, titleHan)
    }

    /// RSS: a guid is the item's link unless `isPermaLink="false"`.
    private func permalinkGuid(_ raw: RawItem) -> String? {
        guard raw.guidIsPermaLink != false, let g = raw.guid,
              g.hasPrefix("http://") || g.hasPrefix("https://") else { return nil }
        return g
    }

    // MARK: text helpers

    /// Plain text with white space collapsed inside paragraphs and paragraphs kept, one per
    /// line; nil when nothing visible remains. Width is left as published (the full-width
    /// fold is a headline rule).
    public static func paragraphs(_ text: String) -> String? {
        let t = TextCollapse.collapse(text, .paragraphs) ?? ""
        return t.isEmpty ? nil : t
    }

    /// `paragraphs` scalar by scalar: the reference the byte version must equal.
    static func paragraphsScalars(_ text: String) -> String? {
        var out = UTF8Builder(capacity: text.utf8.count)
        var pendingSpace = false, pendingBreak = false
        for u in text.unicodeScalars {
            let v = u.value
            if v == 0x0A || v == 0x0D || v == 0x2029 || v == 0x2028 || v == 0x0B || v == 0x0C {
                pendingBreak = true
                continue
            }
            if v < 0x80 {
                if v <= 0x20 || v == 0x7F { pendingSpace = true; continue }
            } else if !CJK.isHan(v) {
                if HeadlineNormalizer.isInvisible(v) { continue }
                if isNonASCIIWhiteSpace(v) || v < 0xA0 { pendingSpace = true; continue }
            }
            if !out.isEmpty {
                if pendingBreak { out.appendASCII(0x0A) } else if pendingSpace { out.appendASCII(0x20) }
            }
            pendingSpace = false
            pendingBreak = false
            out.append(u)
        }
        return out.isEmpty ? nil : out.string
    }

    /// One line: white space, line breaks included, collapsed to single spaces.
    static func collapse(_ text: String) -> String {
        HeadlineNormalizer.cleanLine(text)
    }

    /// `jane@example.com (Jane Doe)` and `Jane Doe <jane@example.com>` are Jane Doe.
    static func personName(_ s: String) -> String? {
        var t = collapse(s)
        guard t.utf8.contains(0x40) else { return t.isEmpty ? nil : t }
        if let open = t.firstIndex(of: "("), let close = t.lastIndex(of: ")"), open < close, t[..<open].contains("@") {
            t = String(t[t.index(after: open)..<close])
        } else if let open = t.firstIndex(of: "<"), t.hasSuffix(">"), t[open...].contains("@") {
            t = String(t[..<open])
        }
        t = trimWhitespace(t)
        return t.isEmpty ? nil : t
    }

    static func dedupe(_ xs: [String]) -> [String] {
        // Most items carry one author and a few categories: compare pairwise, no Set.
        if xs.count < 2 { return xs }
        if xs.count <= 32 {
            // Feeds with many categories per item (WordPress tags) made a Set per item
            // measurable; up to 32 the pairwise comparison is cheaper. First occurrences
            // are kept, as the Set's filter keeps them.
            var clash = false
            outer: for i in 1..<xs.count {
                for j in 0..<i where xs[j] == xs[i] { clash = true; break outer }
            }
            if !clash { return xs }
            var kept: [String] = []
            kept.reserveCapacity(xs.count)
            for (i, x) in xs.enumerated() where !xs[..<i].contains(x) { kept.append(x) }
            return kept
        }
        var seen = Set<String>()
        return xs.filter { seen.insert($0).inserted }
    }

    /// Declared tags in BCP 47 form: `zh-cn` → `zh-Hans`, `zh_TW` → `zh-Hant`, `en-us` → `en-US`.
    public static func canonicalLanguage(_ tag: String) -> String {
        if let hit = languageCache.withLock({ $0[tag] }) { return hit }
        let canonical = computeCanonicalLanguage(tag)
        languageCache.withLock { c in
            if c.count > 1024 { c.removeAll() }
            c[tag] = canonical
        }
        return canonical
    }

    /// Feeds declare a handful of tags; each item asks.
    private static let languageCache = Mutex<[String: String]>([:])

    static func computeCanonicalLanguage(_ tag: String) -> String {
        let parts = tag.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "-").split(separator: "-")
        guard let first = parts.first?.lowercased() else { return tag }
        let rest = parts.dropFirst().map { $0.lowercased() }
        if first == "zh" {
            if rest.contains("hant") || rest.contains(where: { ["tw", "hk", "mo"].contains($0) }) { return "zh-Hant" }
            if rest.contains("hans") || rest.contains(where: { ["cn", "sg", "my"].contains($0) }) { return "zh-Hans" }
            return "zh"
        }
        return ([first] + rest.map { $0.count == 2 ? $0.uppercased() : $0.prefix(1).uppercased() + $0.dropFirst() }).joined(separator: "-")
    }
}

/// The feed whose outlet was looked up last.
struct LastOutlet: Sendable {
    var feedID: String
    var link: String?
    var finalURL: String
    var outlet: NewsSource?
}

final class OutletCache: Sendable {
    /// Entries per table before it starts over. `last` already answers every item after a
    /// feed's first, so these tables only save the lookup for a feed seen again (another
    /// lane's feed in between, or the next run of a daemon); a few hundred feeds' worth does
    /// that, where thousands of long URL keys cost a megabyte in a large run.
    static let limit = 512
    let last = Mutex<LastOutlet?>(nil)
    /// The feed title asked about last, and its source.
    let lastTitle = Mutex<(title: String, source: SourceRef)?>(nil)
    let cache = Mutex<[String: NewsSource?]>([:])
    /// Feed title → the source it names.
    let titles = Mutex<[String: SourceRef]>([:])
}

/// `TimeZone(identifier:)` reads tzdata; items of one feed share a zone, so keep them.
enum ZoneCache {
    static let utc = TimeZone(identifier: "UTC")!
    private static let cache = Mutex<[String: TimeZone?]>([:])
    static func zone(_ id: String) -> TimeZone? {
        if let hit = cache.withLock({ $0[id] }) { return hit }
        let tz = TimeZone(identifier: id)
        cache.withLock { $0[id] = tz }
        return tz
    }
}

/// Query parameters that identify a campaign or a click, not the article.
struct TrackingParameters: Sendable {
    static let exact: Set<String> = [
        "spm", "spm_id_from", "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "yclid", "twclid", "igshid", "mc_cid",
        "mc_eid", "_hsenc", "_hsmi", "mkt_tok", "ref_src", "ref_url", "scm", "share_token", "sharer_sharetime",
        "sharer_shareid", "sharer_sharetype", "isappinstalled", "cmpid", "ncid", "ocid", "smid", "smtyp", "xtor",
        "wt.mc_id", "wt_mc_id", "cmp", "vero_id", "oly_enc_id", "oly_anon_id", "rb_clickid", "s_cid", "icid",
        "__twitter_impression", "_ga", "_gl", "at_medium", "at_campaign", "guccounter", "guce_referrer", "guce_referrer_sig",
    ]
    static let prefixes = ["utm_", "pk_", "mtm_", "hmsr", "ga_"]
    /// `from=timeline` and friends mark WeChat/Weibo shares; other `from` values may matter.
    static let shareFrom: Set<String> = ["timeline", "singlemessage", "groupmessage", "message", "weibo", "qq", "wechat"]

    let extraExact: Set<String>
    let extraPrefixes: [String]
    /// Lower-case ASCII first bytes any tracking name can start with (bit per byte), so most
    /// parameters are ruled out without lower-casing them; nil when some extra name does
    /// not start with a plain ASCII letter or digit (then every name gets the full check).
    let firstBytes: (UInt64, UInt64)?

    init(extra: [String]) {
        extraExact = Set(extra.filter { !$0.hasSuffix("*") }.map { $0.lowercased() })
        extraPrefixes = extra.filter { $0.hasSuffix("*") }.map { String($0.dropLast()).lowercased() }
        var lo: UInt64 = 0, hi: UInt64 = 0
        var usable = true
        for name in Array(Self.exact) + Self.prefixes + Array(extraExact) + extraPrefixes + ["from"] {
            guard let b = name.utf8.first, b < 0x80, b != 0x3D, b != 0x26 else { usable = false; break }
            if b < 64 { lo |= 1 << UInt64(b) } else { hi |= 1 << UInt64(b - 64) }
        }
        firstBytes = usable ? (lo, hi) : nil
    }

    /// Whether the parameter named from `first` (its first UTF-8 byte) could be tracking.
    @inline(__always)
    func mayBeTracking(first: UInt8) -> Bool {
        guard let (lo, hi) = firstBytes, first < 0x80 else { return true }
        let b = first >= 0x41 && first <= 0x5A ? first | 0x20 : first
        return b < 64 ? lo & (1 << UInt64(b)) != 0 : hi & (1 << UInt64(b - 64)) != 0
    }

    /// True when `strip` would return `url` unchanged: a non-empty query with no empty
    /// parameter and no parameter that could be tracking.
    func keepsWhole(_ url: String, queryStart q: String.Index) -> Bool {
        let u = url.utf8
        var i = u.index(after: q)
        var atStart = true
        while i < u.endIndex {
            let b = u[i]
            // Beyond ASCII, `strip` works on Characters (a `#` or `&` may carry a combining mark).
            if b >= 0x80 { return false }
            if b == 0x23 {
                let next = u.index(after: i)
                if next < u.endIndex && u[next] >= 0x80 { return false }
                break
            }
            if atStart {
                if b == 0x26 { return false }  // empty parameter
                if mayBeTracking(first: b) { return false }
                atStart = false
            } else if b == 0x26 {
                atStart = true
            }
            i = u.index(after: i)
        }
        return !atStart  // an empty query or a trailing `&` is dropped by `strip`
    }

    func isTracking(_ name: Substring, value: Substring) -> Bool {
        let n = name.lowercased()
        if Self.exact.contains(n) || extraExact.contains(n) { return true }
        if Self.prefixes.contains(where: { n.hasPrefix($0) }) || extraPrefixes.contains(where: { n.hasPrefix($0) }) { return true }
        if n == "from" && Self.shareFrom.contains(value.lowercased()) { return true }
        return false
    }

    /// `prefixes` as bytes. In an ASCII query a byte prefix is a Character prefix: none of
    /// them ends in CR, the only ASCII scalar that joins the next one into a Character.
    static let prefixBytes: [[UInt8]] = prefixes.map { Array($0.utf8) }

    /// Whether the parameter name `u[start..<end]`, lower-cased, starts with a built-in prefix.
    @inline(__always)
    static func hasBuiltInPrefix(_ u: [UInt8], _ start: Int, _ end: Int) -> Bool {
        outer: for prefix in prefixBytes where end - start >= prefix.count {
            for (k, b) in prefix.enumerated() {
                let c = u[start + k]
                if (c >= 0x41 && c <= 0x5A ? c | 0x20 : c) != b { continue outer }
            }
            return true
        }
        return false
    }

    /// `strip` over bytes when the query (and the character after `#`) is ASCII, where
    /// bytes and Characters split alike; nil otherwise.
    func stripASCIIQuery(_ url: String, queryStart q: String.Index) -> String? {
        let u = Array(url.utf8)
        let qi = url.utf8.distance(from: url.utf8.startIndex, to: q)
        var hi = qi + 1
        while hi < u.count && u[hi] != 0x23 {
            if u[hi] >= 0x80 { return nil }
            hi += 1
        }
        if hi + 1 < u.count && u[hi + 1] >= 0x80 { return nil }
        func lowered(_ r: Range<Int>) -> String {
            String(decoding: u[r].lazy.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        }
        var out: [UInt8] = []
        out.reserveCapacity(u.count)
        out.append(contentsOf: u[0..<qi])
        var kept = 0
        var start = qi + 1
        while start < hi {
            var end = start
            while end < hi && u[end] != 0x26 { end += 1 }
            if end > start {
                var tracking = false
                if mayBeTracking(first: u[start]) {
                    var eq = start
                    while eq < end && u[eq] != 0x3D { eq += 1 }
                    // `utm_source` and friends (most tracking) are told on the bytes alone.
                    if Self.hasBuiltInPrefix(u, start, eq) {
                        tracking = true
                    } else {
                        let n = lowered(start..<eq)
                        tracking = Self.exact.contains(n) || extraExact.contains(n)
                            || Self.prefixes.contains(where: { n.hasPrefix($0) })
                            || extraPrefixes.contains(where: { n.hasPrefix($0) })
                        if !tracking && n == "from" {
                            tracking = Self.shareFrom.contains(lowered(Swift.min(eq + 1, end)..<end))
                        }
                    }
                }
                if !tracking {
                    out.append(kept == 0 ? 0x3F : 0x26)
                    out.append(contentsOf: u[start..<end])
                    kept += 1
                }
            }
            start = end + 1
        }
        out.append(contentsOf: u[hi...])
        return String(decoding: out, as: UTF8.self)
    }

    /// The first `?` Character, found on the bytes: a `?` byte between ASCII bytes is a
    /// Character of its own (only non-ASCII scalars can join it into a larger one).
    @inline(__always)
    func queryStart(_ url: String) -> String.Index? {
        let u = url.utf8
        // memchr, not `firstIndex(of:)`: the generic search over the view was most of
        // `strip` for the many URLs without a query.
        var copy = url
        guard let offset = copy.withUTF8({ buf -> Int? in
            guard let base = buf.baseAddress, let hit = memchr(base, 0x3F, buf.count) else { return nil }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }) else { return nil }
        let q = u.index(u.startIndex, offsetBy: offset)
        let next = u.index(after: q)
        if (q == u.startIndex || u[u.index(before: q)] < 0x80) && (next == u.endIndex || u[next] < 0x80) { return q }
        return url.firstIndex(of: "?")
    }

    /// The URL without tracking parameters; everything else byte for byte as given.
    func strip(_ url: String) -> String {
        guard let q = queryStart(url) else { return url }
        if keepsWhole(url, queryStart: q) { return url }
        if let s = stripASCIIQuery(url, queryStart: q) { return s }
        let hashIndex = url[q...].firstIndex(of: "#") ?? url.endIndex
        let query = url[url.index(after: q)..<hashIndex]
        let kept = query.split(separator: "&", omittingEmptySubsequences: true).filter { pair in
            let eq = pair.firstIndex(of: "=") ?? pair.endIndex
            let value = eq < pair.endIndex ? pair[pair.index(after: eq)...] : ""
            return !isTracking(pair[..<eq], value: value)
        }
        var out = String(url[..<q])
        if !kept.isEmpty { out += "?" + kept.joined(separator: "&") }
        out += url[hashIndex...]
        return out
    }
}

/// `IngestCore.FNV1a64` over the same fields, without building `"guid:" + guid` first and
/// with the hex digits written directly (`String(_:radix:)` and padding showed up per item).
struct ItemIDHash {
    private var value: UInt64 = 0xcbf2_9ce4_8422_2325

    @inline(__always) private mutating func bytes(_ s: StaticString) {
        s.withUTF8Buffer { for b in $0 { value ^= UInt64(b); value &*= 0x0000_0100_0000_01B3 } }
    }

    @inline(__always) private mutating func bytes(_ s: String) {
        var s = s
        s.withUTF8 { for b in $0 { value ^= UInt64(b); value &*= 0x0000_0100_0000_01B3 } }
    }

    @inline(__always) private mutating func separator() {
        value ^= 0xFF
        value &*= 0x0000_0100_0000_01B3
    }

    /// One field, as `FNV1a64.add(s)`.
    mutating func add(_ s: String) { bytes(s); separator() }

    /// One field made of a fixed prefix and a string, as `FNV1a64.add(prefix + s)`.
    mutating func add(_ prefix: StaticString, _ s: String) { bytes(prefix); bytes(s); separator() }

    /// 16 lower-case hex digits, as `FNV1a64.hex`.
    var hex: String {
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: 16) { buf in
            digits.withUTF8Buffer { d in
                for i in 0..<16 { buf[i] = d[Int((value >> UInt64(60 - 4 * i)) & 0xF)] }
            }
            return 16
        }
    }
}
