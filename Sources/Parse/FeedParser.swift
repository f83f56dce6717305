import CLibXML
import Foundation
import IngestCore

/// Caps that keep one hostile or broken document from costing more than a bounded amount
/// of memory and time. libxml2 runs with `XML_PARSE_HUGE` (it would refuse honest feeds
/// over 10 MB otherwise), so these are the limits that apply.
public struct ParseLimits: Sendable, Hashable {
    public var maxDocumentBytes: Int
    public var maxDepth: Int
    public var maxFieldBytes: Int
    public var maxItems: Int
    /// Bytes that internal entity expansion may add to a document in total.
    public var maxEntityExpansionBytes: Int
    /// Well-formedness errors after which recovery gives up on the rest of the document.
    public var maxErrors: Int
    /// Cap on a gzip-compressed body once inflated (a `.xml.gz` file, or gzip served
    /// without `Content-Encoding`). The default is Fetch's default size cap, so that a
    /// gzip bomb stops where an oversized download would; callers that change the fetch
    /// cap should pass the same value here.
    public var maxDecompressedBytes: Int

    public init(
        maxDocumentBytes: Int = 64 << 20, maxDepth: Int = 256, maxFieldBytes: Int = 1 << 20, maxItems: Int = 20_000,
        maxEntityExpansionBytes: Int = 1 << 20, maxErrors: Int = 2_000, maxDecompressedBytes: Int = 20 * 1024 * 1024
    ) {
        self.maxDocumentBytes = maxDocumentBytes
        self.maxDepth = maxDepth
        self.maxFieldBytes = maxFieldBytes
        self.maxItems = maxItems
        self.maxEntityExpansionBytes = maxEntityExpansionBytes
        self.maxErrors = maxErrors
        self.maxDecompressedBytes = maxDecompressedBytes
    }
}

/// Reads RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and JSON Feed documents into `ParsedFeed`.
///
/// XML goes through a libxml2 SAX2 reader in C (`ingest_feed_parse`) that collects each
/// item's fields and calls back once per item, so Swift work is per item, not per node.
/// Text comes out plain, links absolute, dates as printed.
public struct FeedParser: Sendable {
    public var limits: ParseLimits
    /// Off only in tests, which check that lifting CDATA sections out of libxml2's way
    /// (the fast path's main saving) reads every document exactly as libxml2 would.
    var liftsCDATA = true

    public init(limits: ParseLimits = .init()) {
        self.limits = limits
    }

    public func parse(_ document: FetchedDocument) throws(SourceFailure) -> ParsedFeed {
        try parse(document, insideGzip: false)
    }

    /// The feed inside a gzip-compressed body, inflated under `maxDecompressedBytes`.
    /// One layer only: gzip inside gzip is not a feed anyone publishes.
    private func parseGzipped(_ document: FetchedDocument) throws(SourceFailure) -> ParsedFeed {
        let source = document.source.location
        var inflated: [UInt8]
        do {
            inflated = try GzipBody.inflate(document.body, cap: limits.maxDecompressedBytes)
        } catch {
            switch error {
            case .tooLarge(let cap):
                throw SourceFailure(
                    source: source, stage: .parse, kind: .tooLarge,
                    reason: "gzip-compressed body inflates to more than the \(cap)-byte cap (\(document.body.count) bytes compressed)",
                    httpStatus: document.httpStatus)
            case .corrupt(let why):
                throw SourceFailure(
                    source: source, stage: .parse, kind: .notAFeed,
                    reason: "gzip-compressed data that cannot be decompressed (\(why)): not a feed", httpStatus: document.httpStatus)
            }
        }
        inflated.leaveNULAfterEnd()
        var plain = document
        plain.body = inflated
        return try parse(plain, insideGzip: true)
    }

    private func parse(_ document: FetchedDocument, insideGzip: Bool) throws(SourceFailure) -> ParsedFeed {
        let source = document.source.location
        func notAFeed(_ reason: String) -> SourceFailure {
            SourceFailure(source: source, stage: .parse, kind: .notAFeed, reason: reason, httpStatus: document.httpStatus)
        }
        let body = document.body
        if body.count > limits.maxDocumentBytes {
            throw SourceFailure(
                source: source, stage: .parse, kind: .tooLarge,
                reason: "document is \(body.count) bytes, over the parse limit of \(limits.maxDocumentBytes)")
        }
        guard body.contains(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }) else {
            throw notAFeed("empty body: not a feed")
        }
        if GzipBody.isGzip(body) && !insideGzip {
            return try parseGzipped(document)
        }
        if let binary = Self.binaryKind(body) {
            throw notAFeed("the body is \(binary), not a feed")
        }
        let baseURL = Self.baseURL(for: document)

        if Self.looksLikeJSON(body) {
            let decoded = DocumentDecoder.decode(body, contentType: document.contentType, kind: .json)
            return try JSONFeedReader.parse(decoded, baseURL: baseURL, source: source, notAFeed: notAFeed)
        }

        let decoded = DocumentDecoder.decode(body, contentType: document.contentType, kind: .xml)
        let read = readXML(decoded.utf8, baseURL: baseURL)
        let result = read.result
        // A page that quotes a whole feed inside its markup is read as that feed; any
        // other HTML page is refused, naming the feeds it advertises.
        let root = Int32(result.root)
        if root == Int32(INGEST_ROOT_HTML) || root == Int32(INGEST_ROOT_NONE) || root == Int32(INGEST_ROOT_OTHER),
           Self.looksLikeHTML(decoded.utf8) {
            throw notAFeed(Self.htmlMessage(decoded.utf8, baseURL: baseURL))
        }
        switch root {
        case Int32(INGEST_ROOT_NONE):
            throw notAFeed("no XML element found: not a feed")
        case Int32(INGEST_ROOT_HTML):
            throw notAFeed(Self.htmlMessage(decoded.utf8, baseURL: baseURL))
        case Int32(INGEST_ROOT_OTHER):
            throw notAFeed("XML document whose root element is not <rss>, <rdf:RDF> or <feed>: not a feed")
        default: break
        }

        var info = read.channel
        info.format = Self.format(root: result.root, version: read.version)
        info.encoding = decoded.encoding
        var warnings = decoded.warnings
        if result.error_count > 0 {
            let first = read.messages.split(separator: "\n").first.map(String.init) ?? ""
            warnings.append("XML not well-formed, recovered (\(result.error_count) error(s)); first: \(first)")
        } else if read.messages.contains("junk before") {
            warnings.append("junk before the XML prolog skipped")
        }
        if result.repaired_entities > 0 {
            warnings.append("\(result.repaired_entities) undeclared entity reference(s) or bare '&'/'<' repaired")
        }
        if result.unknown_entities > 0 { warnings.append("\(result.unknown_entities) unknown entity reference(s) kept as text") }
        if result.external_entities > 0 { warnings.append("external entities ignored (never fetched or read)") }
        if result.expansion_capped > 0 { warnings.append("entity expansion stopped at the limit (\(limits.maxEntityExpansionBytes) bytes)") }
        if result.control_chars > 0 { warnings.append("\(result.control_chars) control character(s) removed") }
        if result.depth_capped != 0 { warnings.append("elements nested deeper than \(limits.maxDepth) ignored") }
        if result.items_capped != 0 { warnings.append("\(result.items_dropped) item(s) beyond the limit of \(limits.maxItems) dropped") }
        if result.stopped_early != 0 { warnings.append("too many XML errors; the rest of the document was not read") }
        info.warnings = warnings
        var items = read.items
        // RFC 4287 4.2.1: an Atom entry without an author has the feed's authors.
        if info.format == .atom1 || info.format == .atom03, !read.channelAuthors.isEmpty {
            for i in items.indices where items[i].authors.isEmpty { items[i].authors = read.channelAuthors }
        }
        return ParsedFeed(info: info, items: items)
    }

    /// Feed URLs an HTML page advertises (`<link rel="alternate" type="application/rss+xml">`
    /// and the Atom and JSON Feed types), absolute, in document order, without duplicates.
    public static func discoverFeeds(in document: FetchedDocument) -> [String] {
        let decoded = DocumentDecoder.decode(document.body, contentType: document.contentType, kind: .html)
        return discoverFeeds(html: decoded.utf8, baseURL: baseURL(for: document))
    }

    static func discoverFeeds(html: [UInt8], baseURL: String) -> [String] {
        final class Links { var found: [(rel: String, type: String, href: String)] = [] }
        let links = Links()
        var baseHref: UnsafeMutablePointer<CChar>?
        html.withUnsafeBufferPointer { buf in
            let ctx = Unmanaged.passUnretained(links).toOpaque()
            ingest_html_links(buf.baseAddress, buf.count, { ctx, rel, type, href, _ in
                let links = Unmanaged<Links>.fromOpaque(ctx!).takeUnretainedValue()
                links.found.append((String(cString: rel!), String(cString: type!), String(cString: href!)))
            }, ctx, &baseHref)
        }
        var base = baseURL
        if let baseHref {
            base = resolve(String(cString: baseHref), against: baseURL) ?? baseURL
            ingest_free(baseHref)
        }
        let feedTypes: Set<String> = [
            "application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml",
            "application/json", "text/xml", "application/xml", "application/x.atom+xml", "application/x-atom+xml",
        ]
        var seen = Set<String>()
        var out: [String] = []
        for link in links.found {
            let rels = link.rel.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard rels.contains("alternate") || rels.contains("feed") else { continue }
            let type = link.type.lowercased().split(separator: ";").first.map { String($0).trimmed } ?? ""
            guard feedTypes.contains(type) || (type.isEmpty && rels.contains("feed")) else { continue }
            if type == "application/json" || type == "text/xml" || type == "application/xml" {
                // Generic types count only for rel=alternate links that say "feed" somewhere.
                guard link.href.lowercased().contains("feed") || link.href.lowercased().contains("rss") else { continue }
            }
            let href = link.href.trimmed
            guard !href.isEmpty, let abs = resolve(href, against: base) else { continue }
            guard abs.hasPrefix("http://") || abs.hasPrefix("https://") || abs.hasPrefix("file://") else { continue }
            if seen.insert(abs).inserted { out.append(abs) }
        }
        return out
    }

    // MARK: - XML

    private struct XMLRead {
        var result: ingest_feed_result
        var version: String
        var messages: String
        var items: [RawItem]
        var channel: FeedInfo
        var channelAuthors: [String]
    }

    private final class Collector {
        var items: [RawItem] = []
        var channel = FeedInfo()
        var channelAuthors: [String] = []
    }

    private func readXML(_ utf8: [UInt8], baseURL: String) -> XMLRead {
        let collector = Collector()
        var result = ingest_feed_result()
        var cLimits = ingest_feed_limits(
            max_depth: Int32(clamping: limits.maxDepth), max_field_bytes: limits.maxFieldBytes,
            max_items: Int32(clamping: limits.maxItems), max_entity_expansion: limits.maxEntityExpansionBytes,
            max_errors: Int32(clamping: limits.maxErrors), no_cdata_lift: liftsCDATA ? 0 : 1)
        let ctx = Unmanaged.passUnretained(collector).toOpaque()
        _ = utf8.withNULTerminatedBytes { buf, terminated in
            ingest_feed_parse(buf.baseAddress, buf.count, terminated ? 1 : 0, baseURL, &cLimits, { ctx, isChannel, fields, count, lang in
                let collector = Unmanaged<Collector>.fromOpaque(ctx!).takeUnretainedValue()
                if isChannel < 0 {
                    // The reader starts over after repairing the document.
                    collector.items.removeAll(keepingCapacity: true)
                    collector.channel = FeedInfo()
                    collector.channelAuthors = []
                    return
                }
                let view = FieldView(fields: fields, count: Int(count))
                let language = lang.map { String.fromReaderUTF8(UnsafeRawBufferPointer(start: $0, count: strlen($0)).assumingMemoryBound(to: UInt8.self)) }
                if isChannel != 0 {
                    collector.channel = ItemAssembler.channel(view, language: language)
                    collector.channelAuthors = ItemAssembler.personNames(view)
                } else {
                    collector.items.append(ItemAssembler.item(view, language: language))
                }
            }, ctx, &result)
        }
        let version = withUnsafeBytes(of: result.version) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        var messages = ""
        if let m = result.messages {
            messages = String(cString: m)
            ingest_free(m)
            result.messages = nil
        }
        return XMLRead(
            result: result, version: version, messages: messages, items: collector.items, channel: collector.channel,
            channelAuthors: collector.channelAuthors)
    }

    static func format(root: Int32, version: String) -> FeedFormat {
        switch root {
        case Int32(INGEST_ROOT_ATOM03): return .atom03
        case Int32(INGEST_ROOT_ATOM10): return version.hasPrefix("0.3") ? .atom03 : .atom1
        case Int32(INGEST_ROOT_RDF): return version == "0.90" ? .rss090 : .rss1
        case Int32(INGEST_ROOT_CDF): return .cdf
        default:
            let v = version.trimmed
            if v.hasPrefix("0.91") { return .rss091 }
            if v.hasPrefix("0.92") { return .rss092 }
            if v.hasPrefix("0.93") { return .rss093 }
            if v.hasPrefix("0.94") { return .rss094 }
            if v.hasPrefix("0.9") { return .rss090 }
            return .rss2
        }
    }

    // MARK: - Sniffing

    static func baseURL(for document: FetchedDocument) -> String {
        if let cl = document.headers["Content-Location"]?.trimmed, !cl.isEmpty,
           let abs = resolve(cl, against: document.finalURL) {
            return abs
        }
        return document.finalURL
    }

    static func resolve(_ ref: String, against base: String) -> String? {
        guard let p = ingest_resolve_uri(ref, base) else { return nil }
        defer { ingest_free(p) }
        return String(cString: p)
    }

    static func binaryKind(_ b: [UInt8]) -> String? {
        func starts(_ p: [UInt8]) -> Bool { b.count >= p.count && Array(b.prefix(p.count)) == p }
        if starts([0x89, 0x50, 0x4E, 0x47]) { return "a PNG image" }
        if starts([0xFF, 0xD8, 0xFF]) { return "a JPEG image" }
        if starts(Array("GIF8".utf8)) { return "a GIF image" }
        if starts(Array("%PDF".utf8)) { return "a PDF document" }
        if starts([0x1F, 0x8B]) { return "gzip-compressed data" }
        if starts([0x50, 0x4B, 0x03, 0x04]) { return "a ZIP archive" }
        if starts(Array("RIFF".utf8)) { return "a RIFF (WebP/WAV) file" }
        if starts([0x49, 0x44, 0x33]) { return "an MP3 file" }
        return nil
    }

    static func looksLikeJSON(_ b: [UInt8]) -> Bool {
        var i = 0
        if b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF { i = 3 }
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
        return i < b.count && b[i] == UInt8(ascii: "{")
    }

    /// An HTML page, judged by its first markup (a doctype or `<html>`), before XML parsing.
    static func looksLikeHTML(_ b: [UInt8]) -> Bool {
        let head = String(decoding: b.prefix(2048), as: UTF8.self).lowercased()
        var rest = Substring(head)
        while true {
            rest = rest.drop(while: { $0.isWhitespace })
            if rest.hasPrefix("<?") || rest.hasPrefix("<!--") {
                guard let end = rest.range(of: rest.hasPrefix("<?") ? "?>" : "-->") else { return false }
                rest = rest[end.upperBound...]
                continue
            }
            break
        }
        return rest.hasPrefix("<!doctype html") || rest.hasPrefix("<html") || rest.hasPrefix("<head") || rest.hasPrefix("<body")
    }

    static func htmlMessage(_ utf8: [UInt8], baseURL: String) -> String {
        let feeds = discoverFeeds(html: utf8, baseURL: baseURL)
        if feeds.isEmpty { return "an HTML page, not a feed (it advertises no feed)" }
        return "an HTML page, not a feed; it advertises: " + feeds.joined(separator: " ")
    }
}

/// Read-only access to the fields of one C record, in place: a collection over the C
/// array, so that looking at an item's fields allocates nothing.
struct FieldView: RandomAccessCollection {
    let fields: UnsafePointer<ingest_field>?
    let count: Int

    var startIndex: Int { 0 }
    var endIndex: Int { fields == nil ? 0 : count }
    subscript(i: Int) -> Field { Field(fields! + i) }

    /// One field, read in place from the C record, which lives for the duration of the
    /// callback that this view is confined to (nothing is copied until a value is asked for).
    struct Field {
        private let raw: UnsafePointer<ingest_field>

        init(_ raw: UnsafePointer<ingest_field>) { self.raw = raw }

        var code: Int32 { raw.pointee.code }
        var ns: Int32 { raw.pointee.ns }
        var truncated: Bool { raw.pointee.truncated != 0 }

        /// Made on demand: most records carry fields nobody reads.
        var text: String {
            let n = raw.pointee.text_len
            guard n > 0, let t = raw.pointee.text else { return "" }
            return t.withMemoryRebound(to: UInt8.self, capacity: n) {
                let bytes = UnsafeBufferPointer(start: $0, count: n)
                return raw.pointee.unverified != 0 ? String(decoding: bytes, as: UTF8.self) : String.fromReaderUTF8(bytes)
            }
        }

        var isEmpty: Bool { raw.pointee.text_len == 0 }

        private static let namesOffset = MemoryLayout<ingest_field>.offset(of: \ingest_field.attr_names)!
        private static let valuesOffset = MemoryLayout<ingest_field>.offset(of: \ingest_field.attr_values)!

        private func attrValue(_ name: StaticString) -> UnsafePointer<CChar>? {
            let count = Int(raw.pointee.nattrs)
            guard count > 0 else { return nil }
            let base = UnsafeRawPointer(raw)
            let names = (base + Self.namesOffset).assumingMemoryBound(to: UnsafePointer<CChar>?.self)
            let values = (base + Self.valuesOffset).assumingMemoryBound(to: UnsafePointer<CChar>?.self)
            let wanted = UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)
            for k in 0..<Swift.min(count, Int(INGEST_MAX_ATTRS)) {
                guard let n = names[k], let v = values[k] else { continue }
                if strcmp(n, wanted) == 0 { return v }
            }
            return nil
        }

        func attr(_ name: StaticString) -> String? {
            attrValue(name).map { v in
                v.withMemoryRebound(to: UInt8.self, capacity: 1) {
                    String.fromReaderUTF8(UnsafeBufferPointer(start: $0, count: strlen(v)))
                }
            }
        }

        func hasAttr(_ name: StaticString) -> Bool { attrValue(name) != nil }

        var nonEmpty: String? { isEmpty ? nil : text }
    }
}

extension String {
    /// The standard library's own constructor for bytes already known to be UTF-8 (ABI-public
    /// since Swift 5, used by its inlinable code); `String(decoding:as:)` would check every
    /// byte again, which costs the Parse stage about a tenth of its time. Only for text the
    /// feed reader vouches for: libxml2 emits UTF-8 only (its input is, after
    /// DocumentDecoder, and it re-encodes whatever it reads), and the reader's own text
    /// rendering writes whole, valid code points. Fields it cannot vouch for (`unverified`)
    /// go through the checking initializer.
    @_silgen_name("$sSS18_uncheckedFromUTF8ySSSRys5UInt8VGFZ")
    fileprivate static func _uncheckedFromUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> String

    static func fromReaderUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        bytes.isEmpty ? "" : _uncheckedFromUTF8(bytes)
    }
}
