import Foundation
import IngestCore
import Synchronization
import Yams

/// One outlet as `pipelines/sources.yaml` describes it.
public struct NewsSource: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var nameEn: String?
    public var aliases: [String]
    public var domains: [String]
    /// IANA zone for times the outlet prints without one.
    public var timeZone: String?
    public var language: String?

    enum CodingKeys: String, CodingKey {
        case id, name, aliases, domains, language
        case nameEn = "name_en"
        case timeZone = "time_zone"
    }

    public init(
        id: String, name: String, nameEn: String? = nil, aliases: [String] = [], domains: [String] = [],
        timeZone: String? = nil, language: String? = nil
    ) {
        self.id = id
        self.name = name
        self.nameEn = nameEn
        self.aliases = aliases
        self.domains = domains
        self.timeZone = timeZone
        self.language = language
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        nameEn = try c.decodeIfPresent(String.self, forKey: .nameEn)
        aliases = try c.decodeIfPresent([String].self, forKey: .aliases) ?? []
        domains = try c.decodeIfPresent([String].self, forKey: .domains) ?? []
        timeZone = try c.decodeIfPresent(String.self, forKey: .timeZone)
        language = try c.decodeIfPresent(String.self, forKey: .language)
    }

    /// The record's `source` object.
    public var ref: SourceRef { SourceRef(id: id, name: name, nameEn: nameEn) }
}

/// A registry file that cannot be used, with the file and the reason.
public struct SourceRegistryError: Error, CustomStringConvertible {
    public var origin: String
    public var reason: String
    public var description: String { "\(origin): \(reason)" }
}

/// The bilingual outlet registry: recognises an outlet from a printed name (any alias,
/// tolerant of case, spacing and full-width forms), from a URL's host, or from a site
/// name glued to the end of a headline.
public final class SourceRegistry: Sendable {
    public let sources: [NewsSource]
    private let byID: [String: Int]
    private let byKey: [String: Int]
    /// Host (or host + path prefix) → index; longest match wins.
    private let byDomain: [String: Int]
    /// Longest alias key, in characters: bounds suffix searches.
    private let longestKey: Int
    /// URL host (+ first path segment) → source index, -1 for none: every item asks.
    private let hostCache = Mutex<[String: Int]>([:])
    /// The last URL lookup's key bytes and answer.
    private let lastHost = Mutex<(key: [UInt8], found: Int)>(([], -1))
    /// Printed name → index in `sources` (-1: none). Headlines repeat the same glued names
    /// and bracket prefixes, and each lookup folds the name first.
    private let nameCache = Mutex<[PrintedName: Int]>([:])

    /// A name compared by its UTF-8 bytes: `String ==` would merge canonically equivalent
    /// spellings, which `key` may fold apart.
    struct PrintedName: Hashable {
        var text: String
        static func == (a: PrintedName, b: PrintedName) -> Bool { a.text.utf8.elementsEqual(b.text.utf8) }
        func hash(into hasher: inout Hasher) {
            var t = text
            t.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        }
    }

    public init(sources: [NewsSource], origin: String = "sources") throws {
        var byID: [String: Int] = [:]
        var byKey: [String: Int] = [:]
        var byDomain: [String: Int] = [:]
        var longest = 0
        for (i, s) in sources.enumerated() {
            guard !s.id.isEmpty else { throw SourceRegistryError(origin: origin, reason: "source #\(i + 1) has an empty id") }
            if byID[s.id] != nil { throw SourceRegistryError(origin: origin, reason: "duplicate source id '\(s.id)'") }
            if let z = s.timeZone, TimeZone(identifier: z) == nil {
                throw SourceRegistryError(origin: origin, reason: "source '\(s.id)': unknown time_zone '\(z)'")
            }
            byID[s.id] = i
            for name in [s.name] + (s.nameEn.map { [$0] } ?? []) + s.aliases {
                let key = Self.key(name)
                guard !key.isEmpty else { continue }
                // First claim wins: an outlet's own name beats another's alias listed later.
                if byKey[key] == nil { byKey[key] = i }
                longest = max(longest, key.count)
            }
            for d in s.domains {
                let k = d.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "/ "))
                if byDomain[k] != nil, byDomain[k] != i {
                    throw SourceRegistryError(origin: origin, reason: "domain '\(d)' claimed by two sources")
                }
                byDomain[k] = i
            }
        }
        self.sources = sources
        self.byID = byID
        self.byKey = byKey
        self.byDomain = byDomain
        self.longestKey = longest
    }

    private struct File: Decodable { var sources: [NewsSource] }

    /// Parses registry YAML; `origin` names the file in error messages.
    public convenience init(yaml: String, origin: String = "sources.yaml") throws {
        let file: File
        do {
            file = try YAMLDecoder().decode(File.self, from: yaml)
        } catch {
            throw SourceRegistryError(origin: origin, reason: "not a valid source registry: \(error)")
        }
        try self.init(sources: file.sources, origin: origin)
    }

    public static func load(path: String) throws -> SourceRegistry {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SourceRegistryError(origin: path, reason: "cannot read file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SourceRegistryError(origin: path, reason: "not UTF-8")
        }
        return try SourceRegistry(yaml: text, origin: path)
    }

    /// `pipelines/sources.yaml` under `directory` (default: the working directory), or nil
    /// when there is none: ad-hoc runs work without a registry.
    public static func loadDefault(directory: String = FileManager.default.currentDirectoryPath) throws -> SourceRegistry? {
        let path = (directory as NSString).appendingPathComponent("pipelines/sources.yaml")
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try load(path: path)
    }

    /// The lookup key: case folded, white space and joiners removed, full-width folded,
    /// Traditional folded to Simplified — `Tai Mei Ti A P P` and `taimeitiapp` agree.
    public static func key(_ name: String) -> String {
        var out = UTF8Builder(capacity: name.utf8.count)
        for u in TextFolding.fold(name).unicodeScalars {
            let v = u.value
            if isWhiteSpace(v) || v == 0x00B7 || u.value == 0x30FB || u.value == 0x200B { continue }
            if u.value == 0x300A || u.value == 0x300B { continue }  // 《》 around titles
            out.append(u)
        }
        return out.string
    }

    public func source(id: String) -> NewsSource? { byID[id].map { sources[$0] } }

    /// By printed name or alias.
    public func source(named name: String) -> NewsSource? {
        let printed = PrintedName(text: name)
        if let hit = nameCache.withLock({ $0[printed] }) { return hit < 0 ? nil : sources[hit] }
        let k = Self.key(name)
        let found = k.isEmpty ? nil : byKey[k]
        nameCache.withLock { c in
            if c.count > 8192 { c.removeAll() }
            c[printed] = found ?? -1
        }
        return found.map { sources[$0] }
    }

    /// By a URL's host (subdomains match their parent; path-scoped domains such as
    /// `bbc.com/zhongwen` beat the bare host).
    public func source(forURL url: String) -> NewsSource? {
        var url = url
        let found: Int = url.withUTF8 { b in
            guard let (host, segment) = Self.hostAndFirstSegment(b) else { return -1 }
            // The lookup key, lower-cased: `host` or `host/segment` (a host holds no `/`).
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: b.count + 1) { tmp in
                var length = 0
                @inline(__always) func lower(_ r: Range<Int>) {
                    for i in r {
                        let c = b[i]
                        tmp[length] = c >= 0x41 && c <= 0x5A ? c | 0x20 : c
                        length += 1
                    }
                }
                lower(host)
                if let segment {
                    tmp[length] = 0x2F
                    length += 1
                    lower(segment)
                }
                let key = UnsafeBufferPointer(rebasing: tmp[0..<length])
                // A feed's items nearly all link to one host: the last answer is checked
                // on the bytes, before any `String` or hashing.
                if let hit = lastHost.withLock({ last -> Int? in
                    last.key.count == length && last.key.withUnsafeBufferPointer {
                        memcmp($0.baseAddress!, key.baseAddress!, length) == 0
                    } ? last.found : nil
                }) {
                    return hit
                }
                let cacheKey = String(decoding: key, as: UTF8.self)
                let found: Int
                if let hit = hostCache.withLock({ $0[cacheKey] }) {
                    found = hit
                } else {
                    let hostText = String(decoding: UnsafeBufferPointer(rebasing: key[0..<host.count]), as: UTF8.self)
                    let segmentText = segment.map { _ in
                        String(decoding: UnsafeBufferPointer(rebasing: key[(host.count + 1)...]), as: UTF8.self)
                    }
                    found = lookUp(host: hostText, firstSegment: segmentText) ?? -1
                    hostCache.withLock { c in
                        if c.count > 8192 { c.removeAll() }
                        c[cacheKey] = found
                    }
                }
                lastHost.withLock { $0 = (Array(key), found) }
                return found
            }
        }
        return found < 0 ? nil : sources[found]
    }

    public func source(forHost host: String, path: String = "") -> NewsSource? {
        let seg = path.split(separator: "/").first.map { $0.lowercased() }
        return lookUp(host: host.lowercased(), firstSegment: seg).map { sources[$0] }
    }

    /// `host` lower-case; tries `host/segment` then `host`, then each parent domain.
    private func lookUp(host: String, firstSegment: String?) -> Int? {
        var h = Substring(host)
        if h.hasPrefix("www.") { h = h.dropFirst(4) }
        while true {
            if let seg = firstSegment, let i = byDomain[h + "/" + seg] { return i }
            if let i = byDomain[String(h)] { return i }
            guard let dot = h.firstIndex(of: "."), h[h.index(after: dot)...].contains(".") else { return nil }
            h = h[h.index(after: dot)...]
        }
    }

    /// Where a URL's host and first path segment lie in its UTF-8 bytes (the segment nil
    /// when the path has none).
    static func hostAndFirstSegment(_ b: UnsafeBufferPointer<UInt8>) -> (Range<Int>, Range<Int>?)? {
        var i = 0
        while i + 2 < b.count && !(b[i] == 0x3A && b[i + 1] == 0x2F && b[i + 2] == 0x2F) {
            guard b[i] < 0x80, b[i] != 0x2F else { return nil }
            i += 1
        }
        guard i + 2 < b.count else { return nil }
        i += 3
        var hostStart = i
        var hostEnd = i
        var colon: Int?
        while hostEnd < b.count && b[hostEnd] != 0x2F && b[hostEnd] != 0x3F && b[hostEnd] != 0x23 {
            if b[hostEnd] == 0x40 { hostStart = hostEnd + 1; colon = nil }
            if b[hostEnd] == 0x3A { colon = hostEnd }
            hostEnd += 1
        }
        let hostStop = (colon != nil && hostStart < hostEnd && b[hostStart] != 0x5B) ? colon! : hostEnd
        guard hostStop > hostStart else { return nil }
        var segment: Range<Int>?
        if hostEnd < b.count && b[hostEnd] == 0x2F {
            var j = hostEnd + 1
            while j < b.count && b[j] != 0x2F && b[j] != 0x3F && b[j] != 0x23 { j += 1 }
            if j > hostEnd + 1 { segment = (hostEnd + 1)..<j }
        }
        return (hostStart..<hostStop, segment)
    }

    /// Separators outlets use to glue their name to a headline, longest first.
    static let gluingSeparators = [" —— ", "——", " — ", " – ", " - ", " | ", " ｜ ", "｜", "|", "_", "－", "—", "–", "-", "丨", " • "]

    /// Scalars that form separator runs (with the spaces around them).
    static let separatorScalars: Set<UInt32> = {
        var s = Set<UInt32>()
        for sep in gluingSeparators { for u in sep.unicodeScalars where u != " " { s.insert(u.value) } }
        return s
    }()

    /// `separatorScalars` as an ASCII bitmap plus the few others, without hashing.
    static let separatorASCII: (UInt64, UInt64) = {
        var lo: UInt64 = 0, hi: UInt64 = 0
        for v in separatorScalars where v < 0x80 { if v < 64 { lo |= 1 << UInt64(v) } else { hi |= 1 << UInt64(v - 64) } }
        return (lo, hi)
    }()
    static let separatorOther: [UInt32] = separatorScalars.filter { $0 >= 0x80 }.sorted()

    @inline(__always)
    static func isSeparator(_ v: UInt32, _ ascii: (UInt64, UInt64), _ other: [UInt32]) -> Bool {
        if v < 0x80 { return v < 64 ? ascii.0 & (1 << UInt64(v)) != 0 : ascii.1 & (1 << UInt64(v - 64)) != 0 }
        return other.contains(v)
    }

    /// The last run of separator scalars (plus surrounding spaces) that ends before `end`.
    static func lastSeparatorRun(_ s: [Unicode.Scalar], before end: Int) -> Range<Int>? {
        let ascii = separatorASCII, other = separatorOther
        var j = end - 1
        while j >= 0 && !isSeparator(s[j].value, ascii, other) { j -= 1 }
        guard j >= 0 else { return nil }
        var lo = j, hi = j + 1
        while lo > 0 && (isSeparator(s[lo - 1].value, ascii, other) || s[lo - 1] == " ") { lo -= 1 }
        while hi < end && (isSeparator(s[hi].value, ascii, other) || s[hi] == " ") { hi += 1 }
        return lo..<hi
    }

    static func trimmedSpaces(_ s: [Unicode.Scalar], _ r: Range<Int>) -> Range<Int> {
        var lo = r.lowerBound, hi = r.upperBound
        while lo < hi && s[lo] == " " { lo += 1 }
        while hi > lo && s[hi - 1] == " " { hi -= 1 }
        return lo..<hi
    }

    static let gluingScalars: Set<UInt32> = {
        var s = Set<UInt32>()
        for sep in gluingSeparators { for u in sep.unicodeScalars where u != " " { s.insert(u.value) } }
        for b in ["【", "[", "［"] { s.insert(b.unicodeScalars.first!.value) }
        return s
    }()

    /// `gluingScalars` as a bitmap over ASCII plus the few others: a set lookup per scalar
    /// of every headline was measurable.
    static let gluingASCII: (UInt64, UInt64) = {
        var lo: UInt64 = 0, hi: UInt64 = 0
        for v in gluingScalars where v < 0x80 { if v < 64 { lo |= 1 << UInt64(v) } else { hi |= 1 << UInt64(v - 64) } }
        return (lo, hi)
    }()
    static let gluingOther: [UInt32] = gluingScalars.filter { $0 >= 0x80 }.sorted()
    static let gluingOtherMin: UInt32 = gluingOther.first ?? UInt32.max

    static func mayHoldGluedName(_ headline: String) -> Bool {
        let (lo, hi) = gluingASCII
        let others = gluingOther
        let minOther = gluingOtherMin
        for u in headline.unicodeScalars {
            let v = u.value
            if v < 0x80 {
                if v < 64 ? lo & (1 << UInt64(v)) != 0 : hi & (1 << UInt64(v - 64)) != 0 { return true }
            } else if v >= minOther && others.contains(v) {
                return true
            }
        }
        return false
    }

    /// Removes outlet names glued to the end of a headline (`…_新浪科技_新浪网`, `… | Reuters`)
    /// and a leading `【outlet】`. Returns the bare headline and the most specific outlet named
    /// (the one nearest the text), or nil when nothing glued is a known outlet. A Chinese site
    /// name the registry does not know goes too when its shape says it is one (`…_中国电缆网`,
    /// `…_杭州市人民政府`); then `source` is nil and `printed` is the name.
    public func stripGluedSiteNames(_ headline: String) -> (headline: String, source: NewsSource?, printed: String)? {
        if let (bare, printed) = Self.subredditSuffix(headline), let reddit = source(named: "Reddit") {
            return (bare, reddit, printed)
        }
        // Fast path: most headlines carry no separator and no bracket at all.
        guard Self.mayHoldGluedName(headline) else { return nil }
        // `… [LWN.net]`: a few sites print their name in brackets after the headline.
        for (open, close) in [("[", "]"), ("【", "】"), ("［", "］")] where headline.hasSuffix(close) {
            guard let start = headline.range(of: open, options: .backwards) else { continue }
            let inner = String(headline[start.upperBound..<headline.index(headline.endIndex, offsetBy: -close.count)])
            let bare = headline[..<start.lowerBound].trimmingCharacters(in: .whitespaces)
            if !bare.isEmpty, let s = source(named: inner) { return (bare, s, inner) }
        }
        var scalars = Array(headline.unicodeScalars)
        var found: (NewsSource, String)?
        // `… – DW – 2025年8月2日`: a date printed after a known outlet's name goes with it.
        if let run = Self.lastSeparatorRun(scalars, before: scalars.count),
            Self.isPrintedDate(scalars[Self.trimmedSpaces(scalars, run.upperBound..<scalars.count)]),
            let before = Self.lastSeparatorRun(scalars, before: run.lowerBound),
            source(named: Self.string(scalars[Self.trimmedSpaces(scalars, before.upperBound..<run.lowerBound)])) != nil
        {
            scalars.removeSubrange(run.lowerBound...)
        }
        // Suffixes, innermost last. The name may itself hold a separator (`Agence
        // France-Presse`), so the last few separator runs are tried, nearest first.
        outer: while true {
            var end = scalars.count
            for _ in 0..<3 {
                guard let run = Self.lastSeparatorRun(scalars, before: end) else { break }
                end = run.lowerBound
                let head = Self.trimmedSpaces(scalars, 0..<run.lowerBound)
                let tail = Self.trimmedSpaces(scalars, run.upperBound..<scalars.count)
                guard !head.isEmpty, !tail.isEmpty, tail.count <= longestKey + 4 else { continue }
                let printed = Self.string(scalars[tail])
                if let s = source(named: printed) {
                    scalars = Array(scalars[head])
                    found = (s, printed)
                    continue outer
                }
                // `…_财经_凤凰网`: once an outlet is stripped, its channel name goes too, also
                // when the channel carries the outlet's short name (`…_新浪汽车_新浪网`).
                if let (outlet, _) = found, Self.isChannelName(printed) || isChannel(printed, of: outlet) {
                    scalars = Array(scalars[head])
                    continue outer
                }
                // `… | 鉅亨網 - 台股新聞`: a few outlets print their channel after their own name.
                // Only a known outlet right before the channel makes the channel a site name.
                if found == nil, Self.isChannelName(printed),
                    let before = Self.lastSeparatorRun(scalars, before: run.lowerBound)
                {
                    let outletSpan = Self.trimmedSpaces(scalars, before.upperBound..<run.lowerBound)
                    let bare = Self.trimmedSpaces(scalars, 0..<before.lowerBound)
                    let name = Self.string(scalars[outletSpan])
                    if !bare.isEmpty, !outletSpan.isEmpty, let s = source(named: name) {
                        scalars = Array(scalars[bare])
                        found = (s, name)
                        continue outer
                    }
                }
            }
            break
        }
        if found == nil, let (bare, printed) = Self.stripUnknownSiteNames(scalars) {
            return (bare, nil, printed)
        }
        // Without a suffix outlet, only a bracket prefix can name one.
        if found == nil, let first = scalars.first?.value, first != 0x3010, first != 0x5B, first != 0xFF3B { return nil }
        if found == nil && scalars.isEmpty { return nil }
        // Without a suffix outlet nothing was cut (a channel name goes only after an
        // outlet), so the scalars are the headline's own: no need to rebuild it.
        var text = found == nil ? headline : Self.string(scalars[...])
        // `【新华社】…` / `[Reuters] …` prefixes naming the outlet.
        for (open, close) in [("【", "】"), ("[", "]"), ("［", "］")] where text.hasPrefix(open) {
            guard let end = text.range(of: close) else { continue }
            let inner = String(text[text.index(text.startIndex, offsetBy: open.count)..<end.lowerBound])
            // Most brackets (`【快讯】`) name no outlet: ask first, trim the rest only for one.
            guard let s = source(named: inner) ?? source(named: Self.trimAgencyWords(inner)) else {
                // `【经济观察报】…`: a paper, site or agency the registry lacks, by its shape.
                let rest = text[end.upperBound...].trimmingCharacters(in: .whitespaces)
                if found == nil, !rest.isEmpty, Self.isBracketedSiteName(Array(inner.unicodeScalars)[...]) {
                    return (rest, nil, inner)
                }
                continue
            }
            let rest = text[end.upperBound...].trimmingCharacters(in: .whitespaces)
            if !rest.isEmpty {
                text = rest
                if found == nil { found = (s, inner) }
            }
        }
        guard let (s, printed) = found else { return nil }
        return (text, s, printed)
    }

    /// Site names the registry does not know, recognised by their shape, innermost last:
    /// a Chinese site's name (`…_中国电缆网`, `… - 自由軍武頻道`), any short name glued with
    /// `_` to a Chinese headline (`…_网易订阅`, `…_哔哩哔哩_bilibili`), or an English outlet's
    /// name after a spaced separator (`… - Manchester Evening News`, `… | syracuse.com`).
    /// The registry cannot list every local paper and trade title, and feeds glue them all.
    /// Returns the bare headline and the name nearest to it.
    static func stripUnknownSiteNames(_ s: [Unicode.Scalar]) -> (headline: String, printed: String)? {
        var end = s.count
        var printed: String?
        peeling: for _ in 0..<3 {
            var searchEnd = end
            // An outlet's name may itself hold a separator (`NHK WORLD-JAPAN News`): the
            // last few runs are tried, nearest first.
            for _ in 0..<3 {
                guard let run = lastSeparatorRun(s, before: searchEnd) else { break peeling }
                searchEnd = run.lowerBound
                let head = trimmedSpaces(s, 0..<run.lowerBound)
                let tail = trimmedSpaces(s, run.upperBound..<end)
                guard head.count >= 4, !tail.isEmpty else { continue }
                if isChineseSiteName(s[tail]) || isUnderscoreGluedName(s, run: run, head: head, tail: tail)
                    || isEnglishSiteName(s, run: run, head: head, tail: tail)
                {
                    end = head.upperBound
                    printed = string(s[tail])
                    continue peeling
                }
            }
            break
        }
        guard let printed else { return nil }
        return (string(s[0..<end]), printed)
    }

    /// `…_网易订阅`: Chinese headlines hold no `_` of their own, so a short name after one is
    /// the site's, unless it is a bare channel word (`_财经`) or a network (`_城市光网`).
    static func isUnderscoreGluedName(_ s: [Unicode.Scalar], run: Range<Int>, head: Range<Int>, tail: Range<Int>) -> Bool {
        guard s[run].allSatisfy({ $0 == "_" }), (2...12).contains(tail.count),
            !s[tail].contains(" "), let last = s[tail].last?.value, last != 0x7F51, last != 0x7DB2
        else { return false }
        var han = 0
        for u in s[head] where CJK.isHan(u.value) {
            han += 1
            if han >= 2 { break }
        }
        return han >= 2 && !isChannelName(string(s[tail]))
    }

    /// An English outlet's name: at most six capitalised words (`of`, `the`, `and` aside) with
    /// a word only outlets use (`News`, `Times`, `Gazette`, `Dispatch`, …), or a bare domain
    /// (`WRAL.com`, `Phys.org`). Only after a spaced separator, and only after a headline of
    /// three words or more: `Spider-Man returns - Variety Weekly` keeps its tail.
    static func isEnglishSiteName(_ s: [Unicode.Scalar], run: Range<Int>, head: Range<Int>, tail: Range<Int>) -> Bool {
        guard s[run.lowerBound] == " ", s[run.upperBound - 1] == " ", tail.count <= 48,
            s[head].lazy.filter({ $0 == " " }).count >= 2
        else { return false }
        let name = string(s[tail])
        let words = name.split(separator: " ")
        guard (1...6).contains(words.count) else { return false }
        if words.count == 1, let dot = name.lastIndex(of: "."), name.first?.isLetter == true {
            let suffix = name[name.index(after: dot)...].lowercased()
            return Self.domainSuffixes.contains(suffix)
        }
        var outletWord = false
        for word in words {
            if Self.smallWords.contains(String(word)) { continue }
            guard let first = word.unicodeScalars.first, first.isASCII,
                first.properties.isUppercase || (0x30...0x39).contains(first.value)
            else { return false }
            if Self.outletWords.contains(String(word.trimmingCharacters(in: CharacterSet(charactersIn: ".,'’")))) {
                outletWord = true
            }
        }
        return outletWord
    }

    static let smallWords: Set<String> = ["of", "the", "and", "&", "for", "in", "on", "at", "de"]
    static let domainSuffixes: Set<String> = ["com", "org", "net", "news", "io", "co.uk", "uk", "cn", "hk", "tw", "sg", "jp", "tv", "fm", "au", "ca", "in"]
    /// Words that end or make up outlets' names and hardly ever a headline's Title-Case tail.
    static let outletWords: Set<String> = [
        "News", "Times", "Post", "Journal", "Herald", "Daily", "Tribune", "Gazette", "Chronicle", "Telegraph",
        "Guardian", "Magazine", "Insider", "Press", "Wire", "Media", "TV", "Radio", "Reporter", "Register",
        "Monitor", "Observer", "Standard", "Express", "Examiner", "Inquirer", "Dispatch", "Bulletin", "Courier",
        "Sentinel", "Mirror", "Independent", "Economist", "Digest", "Weekly", "Broadcasting", "Newswire",
        "Post-Gazette", "Enquirer", "Advertiser", "Argus", "Globe", "Echo", "Recorder", "Dive", "Today",
    ]

    /// Whether a name glued after a separator reads as a Chinese site's own name, known or not:
    /// Han (with a few Latin letters or digits), ending in 网, a newspaper's 日报 / 晚报 / 时报 /
    /// 商报 / 晨报 / 早报 / 电子报, or a government's 人民政府. A headline's own text almost never
    /// ends in these after a separator; the words where 网 is a network, not a site (电网,
    /// 互联网, 算力网, 光网), are excluded by the scalar before it.
    static func isChineseSiteName(_ name: ArraySlice<Unicode.Scalar>) -> Bool {
        guard (3...14).contains(name.count) else { return false }
        var han = 0
        for u in name {
            let v = u.value
            if CJK.isHan(v) {
                han += 1
            } else if !(v < 0x80 && (u.properties.isAlphabetic || (0x30...0x39).contains(v) || v == 0x2E)) {
                return false
            }
        }
        guard han >= 3, let last = name.last?.value else { return false }
        let before = name.dropLast().last?.value ?? 0
        switch last {
        case 0x7F51, 0x7DB2:  // 网 網
            return !Self.networkWordLead.contains(before)
        case 0x62A5, 0x5831:  // 报 報
            return Self.newspaperWordLead.contains(before) || name.suffix(3).map(\.value) == [0x7535, 0x5B50, 0x62A5]
                || name.suffix(3).map(\.value) == [0x96FB, 0x5B50, 0x5831]
        case 0x5E9C:  // 府
            return name.count >= 6 && Array(name.suffix(4).map(\.value)) == [0x4EBA, 0x6C11, 0x653F, 0x5E9C]  // 人民政府
        case 0x793E:  // 社: news agencies (新华社, 韩联社, 中央社), not 合作社 or 旅行社
            return Self.agencyWordLead.contains(before)
        default:
            // `浙江新闻`, `自由軍武頻道`, `中关村在线`, `凤凰卫视`: a media word after a name of
            // its own. A section alone (`国际新闻`, `台股新聞`) is no site.
            let ending = String(String.UnicodeScalarView(name.suffix(2)))
            return Self.mediaWords.contains(ending) && !isChannelName(string(name))
        }
    }

    /// A bracket prefix names a site only by the strongest shapes (网, a newspaper's 报, an
    /// agency's 社): `【财经新闻】` and `【独家】` are the headline's labels.
    static func isBracketedSiteName(_ name: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let last = name.last?.value, [0x7F51, 0x7DB2, 0x62A5, 0x5831, 0x793E].contains(last) else { return false }
        return isChineseSiteName(name)
    }

    /// A date as outlets print it after their name: digits with `年月日`, `/` or `.` only
    /// (`2025年8月2日`, `10/28/2025`).
    static func isPrintedDate(_ s: ArraySlice<Unicode.Scalar>) -> Bool {
        var digits = 0
        for u in s {
            switch u.value {
            case 0x30...0x39: digits += 1
            case 0x2F, 0x2E, 0x20, 0x5E74, 0x6708, 0x65E5: continue  // / . space 年 月 日
            default: return false
            }
        }
        return digits >= 6
    }

    /// Scalars before 社 in news agencies' names: 新华社 中新社 路透社 美联社 法新社 共同社 塔斯社
    /// 韩联社 中评社 中央社 (and Traditional).
    static let agencyWordLead: Set<UInt32> = Set("华華新透联聯同斯评評央".unicodeScalars.map(\.value))
    /// Two-character words that end media outlets' names.
    static let mediaWords: Set<String> = [
        "新闻", "新聞", "频道", "頻道", "周刊", "週刊", "杂志", "雜誌", "卫视", "衛視", "电台", "電台", "视台", "視台",
        "在线", "在線", "财经", "財經", "媒体", "媒體", "传媒", "傳媒",
    ]

    /// Scalars before 网 / 網 that make it a network rather than a site: 电网 電網 联网 聯網 球网
    /// 渔网 漁網 铁网 鐵網 天网 光网 管网 路网 内网 內網 外网 互网 拦网 攔網 丝网 絲網 蛛网 法网
    /// 触网 觸網 落网 撒网 结网 結網 织网 織網 力网 干网 幹網 带网 帶網.
    static let networkWordLead: Set<UInt32> = Set("电電联聯球渔漁铁鐵天光管路内內外互拦攔丝絲蛛法触觸落撒结結织織力干幹带帶".unicodeScalars.map(\.value))
    /// Scalars before 报 / 報 in newspapers' names: 日报 晚报 时报 商报 晨报 早报 观察报 都市报 导报
    /// 工业报 证券报
    /// (and Traditional).
    static let newspaperWordLead: Set<UInt32> = Set("日晚时時商晨早察市导導业業券".unicodeScalars.map(\.value))

    /// Reddit's page titles end in ` : r/subreddit`, a colon no other site glues with, so it is
    /// recognised by its shape rather than as a separator: a colon inside a headline is text.
    /// Returns the bare headline and `r/subreddit`.
    static func subredditSuffix(_ headline: String) -> (String, String)? {
        let u = headline.utf8
        // ` : r/` plus a name of 2–21 letters, digits or underscores: the last 27 bytes at most.
        var i = u.endIndex
        var nameLength = 0
        while i > u.startIndex {
            let j = u.index(before: i)
            let b = u[j]
            guard (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F else { break }
            nameLength += 1
            guard nameLength <= 21 else { return nil }
            i = j
        }
        guard nameLength >= 2 else { return nil }
        // Most English headlines end in a word, so this runs often: compare in place, no array.
        let marker = " : r/".utf8
        guard u.distance(from: u.startIndex, to: i) > marker.count else { return nil }
        let start = u.index(i, offsetBy: -marker.count)
        guard u[start..<i].elementsEqual(marker) else { return nil }
        let bare = String(headline[..<start]).trimmingCharacters(in: .whitespaces)
        guard !bare.isEmpty else { return nil }
        return (bare, String(headline[u.index(start, offsetBy: 3)...]))
    }

    /// The scalars as a `String`, encoded straight into its storage: appending them to a
    /// `String.UnicodeScalarView` one by one was most of this function's cost.
    static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        let capacity = scalars.reduce(0) { $0 + UTF8.width($1) }
        return String(unsafeUninitializedCapacity: capacity) { buf in
            var o = 0
            for u in scalars {
                UTF8.encode(u) { buf[o] = $0; o += 1 }
            }
            return o
        }
    }

    static let channelWords: Set<String> = [
        "新闻", "新聞", "资讯", "資訊", "财经", "財經", "科技", "国际", "國際", "国内", "國內", "社会", "社會", "体育", "體育",
        "娱乐", "娛樂", "汽车", "汽車", "军事", "軍事", "时政", "時政", "评论", "評論", "房产", "房產", "教育", "健康", "文化",
        "旅游", "旅遊", "时尚", "時尚", "股票", "基金", "理财", "理財", "数码", "數碼", "手机", "手機", "游戏", "遊戲", "视频", "視頻",
        "图片", "圖片", "地方", "要闻", "要聞", "滚动", "滾動", "正文", "首页", "首頁", "原创", "原創",
        "观点", "觀點", "台股", "美股", "港股", "陆股", "陸股", "A股", "外汇", "外匯", "期货", "期貨", "产业", "產業", "头条", "頭條",
        "即时", "即時", "育儿", "育兒", "亲子", "親子", "家居", "女性", "读书", "讀書", "星座", "美食", "收藏", "彩票", "佛学",
        "佛學", "公益", "历史", "歷史", "生活", "宠物", "寵物", "艺术", "藝術", "留学", "留學", "创投", "創投", "医药", "醫藥",
        "News", "Business", "Technology", "Tech", "World", "Opinion", "Markets", "Politics", "Sport", "Sports", "Science",
        "Money", "Lifestyle", "Culture", "Travel", "Health", "Environment", "Economy", "Finance", "Entertainment",
        "Life and style", "US news", "UK news", "World news", "Global development", "Asia", "Europe", "China",
    ]

    /// A channel named by the outlet's own name and a section word (`新浪汽车`, `网易财经`), which
    /// the registry need not list one by one.
    func isChannel(_ printed: String, of outlet: NewsSource) -> Bool {
        for word in Self.channelWords where printed.count > word.count && printed.hasSuffix(word) {
            if source(named: String(printed.dropLast(word.count)))?.id == outlet.id { return true }
        }
        // `…_财新周刊频道_财新网`: a 频道 that opens with the outlet's own Chinese name is one of
        // its sections, whatever the section is called.
        for word in ["频道", "頻道", "栏目", "欄目"] where printed.hasSuffix(word) {
            let rest = printed.dropLast(word.count)
            guard rest.count <= 8 else { return false }
            for name in [outlet.name] + outlet.aliases {
                var short = Substring(name)
                if short.count > 2, let last = short.last, last == "网" || last == "網" { short = short.dropLast() }
                if short.count >= 2, rest.hasPrefix(short), short.unicodeScalars.allSatisfy({ CJK.isHan($0.value) }) {
                    return true
                }
            }
        }
        return false
    }

    /// A section name printed between a headline and its outlet (`财经频道`, `国际新闻`, `Business`).
    static func isChannelName(_ s: String) -> Bool {
        // PTT prints the board between the headline and its own name (`… - 看板 Stock - 批踢踢實業坊`).
        if s.hasPrefix("看板 "), s.count <= 24 { return true }
        var t = s
        for suffix in ["频道", "頻道", "中心", "新闻", "新聞", "版"] where t.count > suffix.count && t.hasSuffix(suffix) {
            t.removeLast(suffix.count)
            break
        }
        return channelWords.contains(t) || channelWords.contains(s)
    }

    /// `新华社电`, `新华社北京11月7日电` style prefixes name the agency before the dateline.
    static func trimAgencyWords(_ s: String) -> String {
        var t = s
        for w in ["消息", "讯", "訊", "电", "電", "报道", "報導"] where t.hasSuffix(w) { t.removeLast(w.count) }
        return t
    }
}
