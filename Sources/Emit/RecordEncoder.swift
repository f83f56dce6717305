import Foundation
import IngestCore

/// Hand-written JSON Lines encoding of the contract records.
///
/// Not `JSONEncoder`: the contract fixes the key order (readers diff and grep lines),
/// demands every key even when unknown (`JSONEncoder` drops `nil`s), and this runs once
/// per record on the hot path, where building an intermediate `Any` tree would cost more
/// than the write itself.
///
/// Output is UTF-8 without BOM, one object per line, terminated by `\n`. Non-ASCII text
/// is written as UTF-8 (Chinese stays readable); only what JSON requires is escaped, plus
/// U+2028/U+2029 so that a line can be pasted into JavaScript source. Swift `String`s are
/// always valid Unicode, so lone surrogates cannot reach the output.
public enum RecordEncoder {
    /// One `ingest.item/1` line, including the trailing `\n`.
    public static func line(_ item: FeedItem) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(estimatedSize(item))
        append(item, to: &out)
        return out
    }

    /// One `ingest.feed/1` line, including the trailing `\n`.
    public static func line(_ feed: FeedRecord) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        append(feed, to: &out)
        return out
    }

    /// The line as a `String` (with its `\n`), for tests and diagnostics.
    public static func string(_ item: FeedItem) -> String { String(decoding: line(item), as: UTF8.self) }
    public static func string(_ feed: FeedRecord) -> String { String(decoding: line(feed), as: UTF8.self) }

    /// Appends one item line (with `\n`) to `out`, so a sink can fill one buffer per part.
    public static func append(_ item: FeedItem, to out: inout [UInt8]) {
        var w = JSONWriter(out: out)
        out = []  // hand the storage to the writer without a copy
        w.raw("{\"schema\":")
        w.string(FeedItem.schema)
        w.raw(",\"id\":"); w.string(item.id)
        w.raw(",\"url\":"); w.optionalString(item.url)
        w.raw(",\"guid\":"); w.optionalString(item.guid)
        w.raw(",\"title\":"); w.string(item.title)
        w.raw(",\"title_raw\":"); w.string(item.titleRaw)
        w.raw(",\"summary\":"); w.optionalString(item.summary)
        w.raw(",\"content\":"); w.optionalString(item.content)
        w.raw(",\"lang\":"); w.optionalString(item.lang)
        w.raw(",\"published_at\":"); w.utcDate(item.published?.instant)
        w.raw(",\"updated_at\":"); w.utcDate(item.updated?.instant)
        w.raw(",\"published_local\":"); w.localDate(item.published)
        w.raw(",\"authors\":"); w.stringArray(item.authors)
        w.raw(",\"categories\":"); w.stringArray(item.categories)
        w.raw(",\"source\":{\"name\":"); w.optionalString(item.source.name)
        w.raw(",\"name_en\":"); w.optionalString(item.source.nameEn)
        w.raw(",\"id\":"); w.optionalString(item.source.id)
        w.raw("},\"feed\":{\"url\":"); w.optionalString(item.feed.url)
        w.raw(",\"title\":"); w.optionalString(item.feed.title)
        w.raw(",\"link\":"); w.optionalString(item.feed.link)
        w.raw(",\"language\":"); w.optionalString(item.feed.language)
        w.raw("},\"topics\":"); w.stringArray(item.topics)
        w.raw(",\"topic_evidence\":"); w.topicEvidence(item.topicEvidence)
        w.raw(",\"fetched_at\":"); w.utcDate(item.fetchedAt, orEpoch: true)
        // Extensions, after every contract key.
        w.raw(",\"title_key\":"); w.optionalString(item.titleKey)
        w.raw(",\"revision\":"); w.int(item.revision)
        w.raw("}\n")
        out = w.out
    }

    /// Appends one feed line (with `\n`) to `out`.
    public static func append(_ feed: FeedRecord, to out: inout [UInt8]) {
        var w = JSONWriter(out: out)
        out = []
        w.raw("{\"schema\":"); w.string(FeedRecord.schema)
        w.raw(",\"url\":"); w.string(feed.url)
        w.raw(",\"final_url\":"); w.optionalString(feed.finalURL)
        w.raw(",\"title\":"); w.optionalString(feed.title)
        w.raw(",\"link\":"); w.optionalString(feed.link)
        w.raw(",\"language\":"); w.optionalString(feed.language)
        w.raw(",\"description\":"); w.optionalString(feed.description)
        w.raw(",\"format\":"); w.optionalString(feed.format)
        w.raw(",\"encoding\":"); w.optionalString(feed.encoding)
        w.raw(",\"http_status\":"); w.optionalInt(feed.httpStatus)
        w.raw(",\"items\":"); w.int(feed.items)
        w.raw(",\"warnings\":"); w.stringArray(feed.warnings)
        w.raw(",\"error\":"); w.optionalString(feed.error)
        // Extensions, after every contract key.
        w.raw(",\"feed_id\":"); w.optionalString(feed.feedID)
        w.raw(",\"fetched_at\":"); w.utcDate(feed.fetchedAt)
        w.raw("}\n")
        out = w.out
    }

    /// Years 1...9999 only: RFC 3339 has four-digit years, and a date outside that range
    /// (or NaN) is a parse accident that the contract says to report as unknown, not guess.
    static func representable(_ date: Date) -> Bool {
        let t = date.timeIntervalSince1970
        return t >= -62_135_596_800 && t < 253_402_300_800  // 0001-01-01 ..< 10000-01-01
    }

    /// Whether `published_local` can be printed: an offset RFC 3339 can express and a
    /// local time that is still a four-digit year.
    static func representableLocal(_ date: LocalizedDate) -> Bool {
        representable(date.instant) && abs(date.utcOffsetSeconds) < 24 * 3600
            && representable(date.instant.addingTimeInterval(Double(date.utcOffsetSeconds)))
    }

    private static func estimatedSize(_ item: FeedItem) -> Int {
        600 + item.title.utf8.count * 2 + (item.summary?.utf8.count ?? 0) + (item.content?.utf8.count ?? 0)
    }
}

/// Appends JSON tokens to a byte buffer.
struct JSONWriter {
    var out: [UInt8]

    init(out: [UInt8]) { self.out = out }

    @inline(__always) mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    mutating func int(_ v: Int) {
        if v == 0 { out.append(0x30); return }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = v.magnitude
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buf in
            while n > 0 {
                buf[count] = UInt8(truncatingIfNeeded: n % 10) &+ 0x30
                n /= 10
                count += 1
            }
            if v < 0 { out.append(0x2D) }
            for i in stride(from: count - 1, through: 0, by: -1) { out.append(buf[i]) }
        }
    }

    mutating func optionalInt(_ v: Int?) {
        if let v { int(v) } else { raw("null") }
    }

    /// RFC 3339 straight into the buffer; the same text as `IngestCore.RFC3339.format`
    /// (milliseconds only when non-zero) without building intermediate `String`s.
    mutating func rfc3339(_ date: Date, offsetSeconds: Int) {
        let t = date.timeIntervalSince1970 + Double(offsetSeconds)
        var secs = Int64(t.rounded(.down))
        var millis = Int((t - Double(secs)) * 1000 + 0.5)
        if millis >= 1000 { secs += 1; millis -= 1000 }
        let days = secs >= 0 ? secs / 86_400 : -((-secs + 86_399) / 86_400)
        let rem = Int(secs - days * 86_400)
        let (y, m, d) = RFC3339.civilFromDays(days)
        out.append(0x22)
        digits(y, 4); out.append(0x2D); digits(m, 2); out.append(0x2D); digits(d, 2); out.append(0x54)
        digits(rem / 3600, 2); out.append(0x3A); digits(rem % 3600 / 60, 2); out.append(0x3A); digits(rem % 60, 2)
        if millis != 0 { out.append(0x2E); digits(millis, 3) }
        if offsetSeconds == 0 {
            out.append(0x5A)
        } else {
            out.append(offsetSeconds < 0 ? 0x2D : 0x2B)
            let a = abs(offsetSeconds)
            digits(a / 3600, 2); out.append(0x3A); digits(a % 3600 / 60, 2)
        }
        out.append(0x22)
    }

    @inline(__always) private mutating func digits(_ v: Int, _ width: Int) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var v = v
        while divisor > 0 {
            out.append(UInt8(truncatingIfNeeded: v / divisor) &+ 0x30)
            v %= divisor
            divisor /= 10
        }
    }

    mutating func utcDate(_ date: Date?, orEpoch: Bool = false) {
        if let date, RecordEncoder.representable(date) {
            rfc3339(date, offsetSeconds: 0)
        } else if orEpoch {
            rfc3339(Date(timeIntervalSince1970: 0), offsetSeconds: 0)
        } else {
            raw("null")
        }
    }

    mutating func localDate(_ date: LocalizedDate?) {
        if let date, RecordEncoder.representableLocal(date) {
            rfc3339(date.instant, offsetSeconds: date.utcOffsetSeconds)
        } else {
            raw("null")
        }
    }

    mutating func optionalString(_ s: String?) {
        if let s { string(s) } else { raw("null") }
    }

    mutating func stringArray(_ a: [String]) {
        out.append(0x5B)
        for (i, s) in a.enumerated() {
            if i > 0 { out.append(0x2C) }
            string(s)
        }
        out.append(0x5D)
    }

    /// Topic id → terms. Duplicate topic ids are merged (a JSON object with a repeated key
    /// is legal but readers disagree on which value wins), terms de-duplicated in order.
    mutating func topicEvidence(_ evidence: [(topic: String, terms: [String])]) {
        // Usual case: distinct topics, each with distinct terms; written as they are.
        if evidence.count <= 16 && Self.isPlain(evidence) {
            out.append(0x7B)
            for (index, entry) in evidence.enumerated() {
                if index > 0 { out.append(0x2C) }
                string(entry.topic)
                out.append(0x3A)
                stringArray(entry.terms)
            }
            out.append(0x7D)
            return
        }
        out.append(0x7B)
        var seen: [String] = []
        var first = true
        for (index, entry) in evidence.enumerated() where !seen.contains(entry.topic) {
            seen.append(entry.topic)
            var terms = entry.terms
            for later in evidence[(index + 1)...] where later.topic == entry.topic {
                terms.append(contentsOf: later.terms)
            }
            var unique: [String] = []
            for t in terms where !unique.contains(t) { unique.append(t) }
            if !first { out.append(0x2C) }
            first = false
            string(entry.topic)
            out.append(0x3A)
            stringArray(unique)
        }
        out.append(0x7D)
    }

    /// No topic twice and no term twice within a topic (nothing to merge or drop).
    static func isPlain(_ evidence: [(topic: String, terms: [String])]) -> Bool {
        for i in evidence.indices {
            for j in 0..<i where evidence[j].topic == evidence[i].topic { return false }
            let terms = evidence[i].terms
            if terms.count > 1 {
                if terms.count > 16 { return false }
                for a in 1..<terms.count {
                    for b in 0..<a where terms[b] == terms[a] { return false }
                }
            }
        }
        return true
    }

    mutating func string(_ s: String) {
        out.append(0x22)
        var s = s
        s.withUTF8 { escape($0) }
        out.append(0x22)
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Copies runs of bytes that need no escaping in one go; the common case (no quotes,
    /// no control characters) is a single `append(contentsOf:)`.
    private mutating func escape(_ buf: UnsafeBufferPointer<UInt8>) {
        guard let base = buf.baseAddress else { return }
        let n = buf.count
        var runStart = 0
        var i = 0
        while i < n {
            // Eight bytes at a time while none is a control byte, `"`, `\\` or 0xE2 (the lead
            // byte of U+2028/U+2029): the usual text is long runs of such bytes.
            while i + 8 <= n {
                let x = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                let flags = Self.escapeFlags(x)
                if flags != 0 {
                    // Straight to the first flagged byte: the bytes before it are plain (going
                    // on byte by byte from the block's start re-read the block per byte).
                    i += flags.trailingZeroBitCount >> 3
                    break
                }
                i += 8
            }
            guard i < n else { break }
            let b = base[i]
            if b >= 0x20 && b != 0x22 && b != 0x5C && b != 0xE2 {
                i += 1
                continue
            }
            if b == 0xE2 {
                // U+2028 LINE SEPARATOR / U+2029 PARAGRAPH SEPARATOR = E2 80 A8 / E2 80 A9.
                guard i + 2 < n, base[i + 1] == 0x80, base[i + 2] == 0xA8 || base[i + 2] == 0xA9 else {
                    i += 1
                    continue
                }
                flush(buf, runStart, i)
                raw(base[i + 2] == 0xA8 ? "\\u2028" : "\\u2029")
                i += 3
                runStart = i
                continue
            }
            flush(buf, runStart, i)
            switch b {
            case 0x22: raw("\\\"")
            case 0x5C: raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0x08: raw("\\b")
            case 0x0C: raw("\\f")
            default:
                raw("\\u00")
                out.append(Self.hex[Int(b >> 4)])
                out.append(Self.hex[Int(b & 0xF)])
            }
            i += 1
            runStart = i
        }
        flush(buf, runStart, n)
    }

    /// High bits marking bytes of `x` (little-endian) below 0x20, or 0x22, 0x5C or 0xE2.
    /// Exact for the lowest byte marked (a borrow can only mark bytes above a true one),
    /// and zero exactly when no byte is one of these.
    @inline(__always)
    static func escapeFlags(_ x: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func zeros(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & high }
        let below = (x &- ones &* 0x20) & ~x & high
        return below | zeros(x ^ (ones &* 0x22)) | zeros(x ^ (ones &* 0x5C)) | zeros(x ^ (ones &* 0xE2))
    }

    @inline(__always) private mutating func flush(_ buf: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) {
        if to > from { out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[from..<to])) }
    }
}
