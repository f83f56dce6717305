import Foundation
import CLibXML
import NewsText

/// What kind of document the bytes are meant to be; it decides where an in-document
/// charset declaration may sit and which defaults apply.
public enum DocumentKind: Sendable, Hashable {
    case xml, html, json
}

/// A document turned into valid UTF-8, with the charset it was read as.
///
/// Any BOM is removed. An XML declaration or `<meta charset>` still names the original
/// charset, so a libxml2 parser fed these bytes must be told "UTF-8" and to ignore the
/// document's own hint (`XML_PARSE_IGNORE_ENC` / `HTML_PARSE_IGNORE_ENC`).
public struct DecodedDocument: Sendable {
    public var utf8: [UInt8]
    /// Lower-case name of the charset the bytes were read as (`utf-8`, `gb18030`, `big5`, ...).
    public var encoding: String
    /// Conflicts and repairs (bozo-style): a declaration overridden, bytes replaced.
    public var warnings: [String]

    public init(utf8: [UInt8], encoding: String, warnings: [String] = []) {
        self.utf8 = utf8
        self.encoding = encoding
        self.warnings = warnings
    }
}

/// Decides a document's charset and converts it to UTF-8.
///
/// Evidence, strongest first: a byte order mark; the HTTP `charset` (with RFC 3023's
/// `us-ascii` default for `text/xml`); the XML declaration or the HTML `<meta>`; then
/// detection. Declarations in the wild lie in known ways, so a declared charset is
/// checked against the bytes: valid non-ASCII UTF-8 is read as UTF-8 whatever the label,
/// `gb2312`/`gbk` read as their superset GB18030, `big5` as CP950 or Big5-HKSCS, and
/// `iso-8859-1` as windows-1252 (as browsers do). Conversion is glibc's iconv; detection
/// is ICU's charset detector; no charset tables live here.
public enum DocumentDecoder {
    public static func decode(_ bytes: [UInt8], contentType: String?, kind: DocumentKind) -> DecodedDocument {
        var warnings: [String] = []

        if let (bom, length) = byteOrderMark(bytes) {
            let body = Array(bytes[length...])
            let converted = convert(body, from: bom, lossy: true)
            if converted.replaced > 0 {
                warnings.append("\(converted.replaced) byte sequence(s) invalid in \(bom) (from the byte order mark) replaced with U+FFFD")
            }
            return DecodedDocument(utf8: converted.bytes ?? [], encoding: bom, warnings: warnings)
        }
        if kind != .html, let wide = sniffWideXML(bytes) {
            let converted = convert(bytes, from: wide, lossy: true)
            if let out = converted.bytes {
                if converted.replaced > 0 { warnings.append("\(converted.replaced) invalid \(wide) sequence(s) replaced") }
                return DecodedDocument(utf8: out, encoding: wide, warnings: warnings)
            }
        }

        let check = utf8Check(bytes)
        let isUTF8 = check.valid
        let isASCII = isUTF8 && check.ascii
        if kind == .json {
            if !isUTF8 {
                return fallbackDetection(bytes, warnings: ["JSON document is not valid UTF-8"])
            }
            return DecodedDocument(utf8: bytes, encoding: "utf-8", warnings: [])
        }

        var declarations: [(label: String, origin: String)] = []
        let http = parseContentType(contentType)
        if let charset = http.charset {
            declarations.append((charset, "HTTP charset"))
        } else if kind == .xml, let mime = http.mediaType, isRFC3023TextXML(mime) {
            declarations.append(("us-ascii", "RFC 3023 default for \(mime)"))
        }
        let inDocument = kind == .xml ? xmlDeclaredEncoding(bytes) : (htmlDeclaredCharset(bytes) ?? xmlDeclaredEncoding(bytes))
        if let label = inDocument {
            declarations.append((label, kind == .xml ? "XML declaration" : "<meta> charset"))
        }

        if declarations.isEmpty {
            if isUTF8 { return DecodedDocument(utf8: bytes, encoding: "utf-8", warnings: []) }
            return fallbackDetection(bytes, warnings: [])
        }

        for (index, declaration) in declarations.enumerated() {
            let label = declaration.label.trimmed.lowercased()
            let reported = reportedName(label)
            if index > 0 && reportedName(declarations[0].label.trimmed.lowercased()) == reported { continue }
            if isUTF8 && !isASCII && reported != "utf-8" {
                if !isWide(reported) {
                    warnings.append("document declared \(reported) (\(declaration.origin)) but its bytes are UTF-8; read as UTF-8")
                    return DecodedDocument(utf8: bytes, encoding: "utf-8", warnings: warnings)
                }
            }
            if reported == "utf-8" {
                if isUTF8 { return DecodedDocument(utf8: bytes, encoding: "utf-8", warnings: warnings) }
                warnings.append("document declared UTF-8 (\(declaration.origin)) but is not valid UTF-8")
                continue
            }
            if isWide(reported) && isASCIICompatibleLooking(bytes) {
                // A UTF-16/32 label on bytes that are plainly 8-bit (no BOM, no NULs) is a mislabel.
                warnings.append("document declared \(reported) (\(declaration.origin)) but is 8-bit; label ignored")
                continue
            }
            let attempts = decoders(for: label)
            if attempts.isEmpty {
                warnings.append("unknown charset \"\(declaration.label)\" (\(declaration.origin)) ignored")
                continue
            }
            for decoder in attempts {
                if let out = convert(bytes, from: decoder, lossy: false).bytes {
                    if index > 0 { /* a weaker declaration won over a stronger one that failed */ }
                    return DecodedDocument(utf8: out, encoding: reported, warnings: warnings)
                }
            }
            if reported == "us-ascii" && isASCII {
                return DecodedDocument(utf8: bytes, encoding: reported, warnings: warnings)
            }
            warnings.append("document is not valid \(reported) as declared (\(declaration.origin))")
        }
        if isUTF8 { return DecodedDocument(utf8: bytes, encoding: "utf-8", warnings: warnings) }
        return fallbackDetection(bytes, warnings: warnings)
    }

    // MARK: - Detection

    /// Charsets the detector may propose that we are prepared to believe.
    private static let detectable: Set<String> = [
        "gb18030", "big5", "windows-1252", "iso-8859-1", "shift_jis", "euc-jp", "euc-kr", "koi8-r",
        "windows-1251", "iso-8859-2", "iso-8859-5", "iso-8859-7", "iso-8859-8", "iso-8859-9", "windows-1250",
        "windows-1253", "windows-1254", "windows-1255", "windows-1256", "iso-8859-6", "tis-620",
        "iso-8859-8-i",
    ]

    private static func fallbackDetection(_ bytes: [UInt8], warnings: [String]) -> DecodedDocument {
        var warnings = warnings
        for (detected, confidence) in detectCandidates(bytes) {
            // ICU names visual-order Hebrew ISO-8859-8-I; real feeds are windows-1255, its superset.
            let name = detected.lowercased().hasPrefix("iso-8859-8") ? "windows-1255" : detected
            let reported = reportedName(name.lowercased())
            guard detectable.contains(reported) || detectable.contains(name.lowercased()) else { continue }
            // Latin guesses with little confidence are the detector shrugging; keep looking
            // for a CJK reading first, then settle for windows-1252 below.
            for decoder in decoders(for: name.lowercased()) {
                if let out = convert(bytes, from: decoder, lossy: false).bytes {
                    warnings.append("no usable charset declaration; detected \(reported) (confidence \(confidence))")
                    return DecodedDocument(utf8: out, encoding: reported, warnings: warnings)
                }
            }
        }
        let converted = convert(bytes, from: "WINDOWS-1252", lossy: true)
        warnings.append("charset could not be determined; read as windows-1252")
        return DecodedDocument(utf8: converted.bytes ?? [], encoding: "windows-1252", warnings: warnings)
    }

    static func detectCandidates(_ bytes: [UInt8]) -> [(String, Int)] {
        var names = [CChar](repeating: 0, count: 32 * 8)
        var confidences = [Int32](repeating: 0, count: 8)
        let n = bytes.withUnsafeBufferPointer { buf in
            names.withUnsafeMutableBufferPointer { np in
                confidences.withUnsafeMutableBufferPointer { cp in
                    ingest_detect_charsets(buf.baseAddress, buf.count, np.baseAddress, cp.baseAddress, 8)
                }
            }
        }
        var out: [(String, Int)] = []
        for i in 0..<Int(n) {
            let name = names[(i * 32)..<(i * 32 + 32)].withUnsafeBufferPointer { p in
                String(cString: p.baseAddress!)
            }
            out.append((name, Int(confidences[i])))
        }
        return out
    }

    // MARK: - Labels

    /// The iconv charsets to try, in order, for a declared or detected label.
    static func decoders(for label: String) -> [String] {
        let l = label.replacingUnderscores()
        switch l {
        case "gb2312", "gbk", "x-gbk", "cp936", "ms936", "windows-936", "gb_2312-80", "euc-cn", "csgb2312",
             "gb18030", "chinese", "iso-ir-58", "csiso58gb231280", "hz-gb-2312":
            return l == "hz-gb-2312" ? ["HZ-GB-2312", "GB18030"] : ["GB18030"]
        case "big5", "big-5", "cn-big5", "csbig5", "x-x-big5", "cp950", "ms950", "windows-950", "big5-hkscs", "x-big5":
            return ["CP950", "BIG5-HKSCS"]
        case "iso-8859-1", "latin1", "latin-1", "l1", "iso8859-1", "iso_8859-1", "cp819", "ibm819",
             "iso-ir-100", "csisolatin1", "windows-1252", "cp1252", "x-cp1252", "us-ascii", "ascii", "ansi_x3.4-1968",
             "iso646-us", "us":
            return ["WINDOWS-1252", "ISO-8859-1"]
        case "shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis":
            return ["CP932", "SHIFT_JIS"]
        case "euc-kr", "ks_c_5601-1987", "ksc5601", "cp949", "windows-949":
            return ["CP949", "EUC-KR"]
        case "iso-8859-8-i": return ["ISO-8859-8"]
        // Mac and DOS code pages under the names Python and IANA give them, which glibc
        // spells differently (MacGreek and MacTurkish glibc lacks: those stay undecodable).
        case "macroman", "mac-roman", "x-mac-roman", "macintosh", "csmacintosh", "mac": return ["MACINTOSH"]
        case "maccentraleurope", "mac-centraleurope", "x-mac-ce", "x-mac-centraleurope", "maclatin2", "mac-latin2",
             "mac-centeuro":
            return ["MAC-CENTRALEUROPE"]
        case "maciceland", "mac-iceland", "x-mac-icelandic", "macis", "mac-is": return ["MAC-IS"]
        case "maccyrillic", "mac-cyrillic", "x-mac-cyrillic": return ["MAC-CYRILLIC"]
        case "cp-is", "csibm861", "ibm861", "cp861", "861": return ["IBM861"]
        case "utf-16": return ["UTF-16"]
        default:
            let upper = l.uppercased()
            return ingest_charset_supported(upper) != 0 ? [upper] : []
        }
    }

    /// The name a charset is reported under in the feed record.
    static func reportedName(_ label: String) -> String {
        let l = label.replacingUnderscores()
        switch l {
        case "utf8", "utf-8", "unicode-1-1-utf-8": return "utf-8"
        case "gb2312", "gbk", "x-gbk", "cp936", "ms936", "windows-936", "gb_2312-80", "euc-cn", "csgb2312",
             "gb18030", "chinese", "iso-ir-58", "csiso58gb231280":
            return "gb18030"
        case "big5", "big-5", "cn-big5", "csbig5", "x-x-big5", "cp950", "ms950", "windows-950", "x-big5": return "big5"
        case "latin1", "latin-1", "l1", "iso8859-1", "iso_8859-1", "cp819", "ibm819", "iso-ir-100", "csisolatin1":
            return "iso-8859-1"
        case "ascii", "ansi_x3.4-1968", "iso646-us", "us": return "us-ascii"
        case "cp1252", "x-cp1252": return "windows-1252"
        case "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis": return "shift_jis"
        default: return l
        }
    }

    private static func isWide(_ reported: String) -> Bool {
        reported.hasPrefix("utf-16") || reported.hasPrefix("utf-32") || reported == "ucs-2" || reported == "ucs-4"
    }

    private static func isRFC3023TextXML(_ mime: String) -> Bool {
        mime == "text/xml" || mime == "text/xml-external-parsed-entity" || (mime.hasPrefix("text/") && mime.hasSuffix("+xml"))
    }

    // MARK: - Sniffing

    static func byteOrderMark(_ b: [UInt8]) -> (String, Int)? {
        if b.count >= 4 && b[0] == 0x00 && b[1] == 0x00 && b[2] == 0xFE && b[3] == 0xFF { return ("utf-32be", 4) }
        if b.count >= 4 && b[0] == 0xFF && b[1] == 0xFE && b[2] == 0x00 && b[3] == 0x00 { return ("utf-32le", 4) }
        if b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF { return ("utf-8", 3) }
        if b.count >= 2 && b[0] == 0xFE && b[1] == 0xFF { return ("utf-16be", 2) }
        if b.count >= 2 && b[0] == 0xFF && b[1] == 0xFE { return ("utf-16le", 2) }
        return nil
    }

    /// XML 1.0 appendix F: a document without a BOM still shows its width in its first `<`.
    static func sniffWideXML(_ b: [UInt8]) -> String? {
        guard b.count >= 4 else { return nil }
        switch (b[0], b[1], b[2], b[3]) {
        case (0x00, 0x00, 0x00, 0x3C): return "utf-32be"
        case (0x3C, 0x00, 0x00, 0x00): return "utf-32le"
        case (0x00, 0x3C, 0x00, _): return "utf-16be"
        case (0x3C, 0x00, _, 0x00): return "utf-16le"
        default: return nil
        }
    }

    private static func isASCIICompatibleLooking(_ b: [UInt8]) -> Bool {
        !b.prefix(512).contains(0)
    }

    /// `encoding="…"` from an ASCII-compatible XML declaration.
    static func xmlDeclaredEncoding(_ b: [UInt8]) -> String? {
        var i = 0
        while i < b.count && i < 64 && (b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D) { i += 1 }
        guard b.count >= i + 5, b[i] == 0x3C, b[i + 1] == 0x3F, b[i + 2] | 0x20 == 0x78, b[i + 3] | 0x20 == 0x6D, b[i + 4] | 0x20 == 0x6C else { return nil }
        guard let end = findBytes(Array("?>".utf8), in: b, from: i, limit: i + 512) else { return nil }
        let declBytes = b[i..<end]
        if declBytes.allSatisfy({ $0 < 0x80 }) { return asciiAttributeValue(named: Array("encoding".utf8), in: declBytes) }
        let decl = String(decoding: declBytes, as: UTF8.self)
        return attributeValue(named: "encoding", in: decl)
    }

    /// `attributeValue(named:in:)` for an all-ASCII declaration, on its bytes: the same
    /// rules (a name not preceded by a letter or `-`, white space around `=`, quoted or
    /// bare value), without building, lower-casing and searching a String per document.
    private static func asciiAttributeValue(named name: [UInt8], in text: ArraySlice<UInt8>) -> String? {
        func lower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }
        let start = text.startIndex, end = text.endIndex
        var search = start
        while search + name.count <= end {
            var r = search
            var found = false
            while r + name.count <= end {
                var k = 0
                while k < name.count && lower(text[r + k]) == name[k] { k += 1 }
                if k == name.count { found = true; break }
                r += 1
            }
            guard found else { return nil }
            search = r + name.count
            if r > start {
                let before = lower(text[r - 1])
                if (before >= 0x61 && before <= 0x7A) || before == 0x2D { continue }
            }
            var i = search
            while i < end && isSpace(text[i]) { i += 1 }
            guard i < end, text[i] == 0x3D else { continue }
            i += 1
            while i < end && isSpace(text[i]) { i += 1 }
            guard i < end else { return nil }
            let quote = text[i]
            if quote == 0x22 || quote == 0x27 {
                let valueStart = i + 1
                var valueEnd = valueStart
                while valueEnd < end && text[valueEnd] != quote { valueEnd += 1 }
                return String(decoding: text[valueStart..<valueEnd], as: UTF8.self).trimmed
            }
            var valueEnd = i
            while valueEnd < end {
                let c = text[valueEnd]
                if isSpace(c) || c == 0x3B || c == 0x3E || c == 0x2F || c == 0x3F || c == 0x22 || c == 0x27 { break }
                valueEnd += 1
            }
            return String(decoding: text[i..<valueEnd], as: UTF8.self).trimmed
        }
        return nil
    }

    /// `<meta charset>` or `<meta http-equiv="Content-Type" content="…; charset=…">` in the
    /// first 4 KiB, as the HTML prescan looks for them.
    static func htmlDeclaredCharset(_ b: [UInt8]) -> String? {
        let head = String(decoding: b.prefix(4096), as: UTF8.self).lowercased()
        var search = head.startIndex
        while let r = head.range(of: "<meta", range: search..<head.endIndex) {
            let tagEnd = head[r.upperBound...].firstIndex(of: ">") ?? head.endIndex
            let tag = String(head[r.upperBound..<tagEnd])
            if let cs = attributeValue(named: "charset", in: tag), !cs.isEmpty { return cs }
            if let equiv = attributeValue(named: "http-equiv", in: tag), equiv == "content-type",
               let content = attributeValue(named: "content", in: tag),
               let cs = parseContentType(content).charset {
                return cs
            }
            search = tagEnd
        }
        return nil
    }

    /// `name="v"`, `name='v'` or `name=v` inside a tag or declaration.
    private static func attributeValue(named name: String, in text: String) -> String? {
        let lower = text.lowercased()
        var search = lower.startIndex
        while let r = lower.range(of: name, range: search..<lower.endIndex) {
            search = r.upperBound
            if r.lowerBound > lower.startIndex {
                let before = lower[lower.index(before: r.lowerBound)]
                if before.isLetter || before == "-" { continue }
            }
            var i = r.upperBound
            while i < lower.endIndex && lower[i].isWhitespace { i = lower.index(after: i) }
            guard i < lower.endIndex, lower[i] == "=" else { continue }
            i = lower.index(after: i)
            while i < lower.endIndex && lower[i].isWhitespace { i = lower.index(after: i) }
            guard i < lower.endIndex else { return nil }
            let quote = lower[i]
            if quote == "\"" || quote == "'" {
                let start = lower.index(after: i)
                let end = lower[start...].firstIndex(of: quote) ?? lower.endIndex
                return String(text[start..<end]).trimmed
            }
            let end = lower[i...].firstIndex(where: { $0.isWhitespace || $0 == ";" || $0 == ">" || $0 == "/" || $0 == "?" || $0 == "\"" || $0 == "'" }) ?? lower.endIndex
            return String(text[i..<end]).trimmed
        }
        return nil
    }

    /// Media type and `charset` from a Content-Type value; a parameter without `=` is ignored.
    static func parseContentType(_ value: String?) -> (mediaType: String?, charset: String?) {
        guard let value, !value.trimmed.isEmpty else { return (nil, nil) }
        let parts = value.split(separator: ";", omittingEmptySubsequences: false)
        let media = parts.first.map { String($0).trimmed.lowercased() }
        var charset: String?
        for p in parts.dropFirst() {
            guard let eq = p.firstIndex(of: "=") else { continue }
            let key = p[..<eq].strip(" \t").lowercased()
            guard key == "charset" else { continue }
            var v = p[p.index(after: eq)...].strip(" \t")
            if v.count >= 2, let f = v.first, (f == "\"" || f == "'"), v.last == f { v = String(v.dropFirst().dropLast()) }
            v = v.strip(" \t")
            if !v.isEmpty { charset = v }
        }
        return (media?.isEmpty == true ? nil : media, charset)
    }

    // MARK: - Helpers

    static func convert(_ bytes: [UInt8], from charset: String, lossy: Bool) -> (bytes: [UInt8]?, replaced: Int) {
        if bytes.isEmpty { return ([], 0) }
        var out: UnsafeMutablePointer<UInt8>?
        var outLen = 0
        var replaced = 0
        let status = bytes.withUnsafeBufferPointer { buf in
            ingest_convert_to_utf8(charset.uppercased(), buf.baseAddress, buf.count, lossy ? 1 : 0, &out, &outLen, &replaced)
        }
        defer { ingest_free(out) }
        guard status == Int32(INGEST_CONV_OK), let out else { return (nil, replaced) }
        return (Array(UnsafeBufferPointer(start: out, count: outLen)), replaced)
    }

    static func validateUTF8(_ bytes: [UInt8]) -> Bool { utf8Check(bytes).valid }

    static func utf8Check(_ bytes: [UInt8]) -> (valid: Bool, ascii: Bool) {
        var nonASCII: Int32 = 0
        let ok = bytes.withUnsafeBufferPointer { ingest_utf8_check($0.baseAddress, $0.count, &nonASCII) }
        return (ok != 0, nonASCII == 0)
    }

    private static func findBytes(_ needle: [UInt8], in hay: [UInt8], from: Int, limit: Int) -> Int? {
        let end = min(hay.count, limit) - needle.count
        guard end >= from else { return nil }
        var i = from
        while i <= end {
            if hay[i] == needle[0] && Array(hay[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }
}

/// A scalar that neither extends the Character before it nor joins the one after it (no
/// combining mark, joiner or Prepend): below U+0300, Han, CJK and general punctuation.
func scalarStandsAlone(_ v: UInt32) -> Bool {
    v < 0x300 || (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x3001...0x3029).contains(v)
        || (0xFF01...0xFF5E).contains(v) || (0x2010...0x2027).contains(v)
}

/// `text.split(separator: ",")` as strings, read on the bytes unless a comma touches a
/// scalar that could make it part of a larger Character.
func commaSeparated(_ text: String) -> [String] {
    var bytes = text
    let parts = bytes.withUTF8 { b -> [String]? in
        guard let p = b.baseAddress else { return [] }
        var parts: [String] = []
        var start = 0
        for i in 0...b.count where i == b.count || p[i] == 0x2C {
            if i < b.count {
                if i + 1 < b.count && p[i + 1] >= 0xCC && !scalarStandsAlone(UTF8Scalars.decodeMultibyte(p, i + 1).0) {
                    return nil
                }
                if i > 0 && p[i - 1] >= 0x80 {
                    var lead = i - 1
                    while p[lead] & 0xC0 == 0x80 { lead -= 1 }
                    if !scalarStandsAlone(UTF8Scalars.decodeMultibyte(p, lead).0) { return nil }
                }
            }
            if i > start { parts.append(String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)) }
            start = i + 1
        }
        return parts
    }
    return parts ?? text.split(separator: ",").map(String.init)
}

extension StringProtocol {
    /// Without the spaces, tabs, CRs and LFs at either end. Read on the bytes: almost every
    /// value arrives trimmed, and the rest mostly differ by a line break. The Character
    /// rule decides only where white space touches a scalar that could join it in one
    /// Character (a combining mark after it, a Prepend scalar before it).
    var trimmed: String {
        let whole = Substring(self)
        let fast: String?? = whole.utf8.withContiguousStorageIfAvailable { b -> String? in
            @inline(__always) func white(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A }
            var lo = 0, hi = b.count
            while lo < hi && white(b[lo]) { lo += 1 }
            while hi > lo && white(b[hi - 1]) { hi -= 1 }
            if lo == 0 && hi == b.count { return self as? String ?? String(whole) }
            guard let p = b.baseAddress, lo < hi else { return "" }
            if lo > 0 && p[lo] >= 0xCC && !scalarStandsAlone(UTF8Scalars.decodeMultibyte(p, lo).0) { return nil }
            if hi < b.count && p[hi - 1] >= 0x80 {
                var start = hi - 1
                while p[start] & 0xC0 == 0x80 { start -= 1 }
                if !scalarStandsAlone(UTF8Scalars.decodeMultibyte(p, start).0) { return nil }
            }
            return String(decoding: UnsafeBufferPointer(rebasing: b[lo..<hi]), as: UTF8.self)
        }
        if let fast, let result = fast { return result }
        let white: Set<Character> = [" ", "\t", "\r", "\n", "\r\n"]
        var s = whole
        while let f = s.first, white.contains(f) { s = s.dropFirst() }
        while let l = s.last, white.contains(l) { s = s.dropLast() }
        return String(s)
    }

    func strip(_ set: String) -> String {
        // Almost every value arrives already trimmed. A character of `set` starts and ends
        // with bytes of `set.utf8`, so when neither end byte is one, nothing can be stripped
        // and the per-character work below (grapheme breaking, a Set) is skipped.
        let whole = Substring(self)
        guard let head = whole.utf8.first, let tail = whole.utf8.last else { return "" }
        let setBytes = set.utf8
        if !setBytes.contains(head) && !setBytes.contains(tail) {
            if let string = self as? String { return string }
            return String(whole)
        }
        let chars = Set(set)
        var s = Substring(self)
        while let f = s.first, chars.contains(f) { s = s.dropFirst() }
        while let l = s.last, chars.contains(l) { s = s.dropLast() }
        return String(s)
    }

    fileprivate func replacingUnderscores() -> String {
        // Labels differ only in `_` vs `-` often enough (`iso_8859-1`), but keep the ones
        // that are spelled with `_` officially.
        let s = String(self)
        if s == "shift_jis" || s == "ks_c_5601-1987" || s == "ms_kanji" || s == "ansi_x3.4-1968" || s == "gb_2312-80" { return s }
        return String(s.map { $0 == "_" ? "-" : $0 })
    }
}
