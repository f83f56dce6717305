import Foundation
import IngestCore
import NewsText

/// A headline in display form, and the outlet whose name was glued to it.
public struct NormalizedHeadline: Sendable, Hashable {
    public var title: String
    /// The outlet named by a glued suffix or `【…】` prefix, when the registry knows it.
    public var source: NewsSource?
    /// The glued name as printed (`新浪科技`), also of a site the registry does not know.
    public var gluedName: String?
}

/// The contract's headline rules (CONTRACT.md, "Headline normalization").
///
/// Order matters: white space and width are settled first, so glued site names and
/// punctuation are recognised whatever spacing or width the feed used; punctuation is
/// converted last, on the bare headline, so a separator such as `_` or `-` before a site
/// name is never mistaken for text.
public struct HeadlineNormalizer: Sendable {
    public let registry: SourceRegistry?

    public init(registry: SourceRegistry?) {
        self.registry = registry
    }

    /// - Parameter decodeMarkup: decode entities and remove tags first. Parse already hands
    ///   over plain text (`title_raw`), and decoding twice would turn a published `&amp;`
    ///   into `&`, so this is for callers holding HTML.
    ///   - chinese: whether the headline is Chinese, when the caller already knows (the
    ///     item's language); nil detects it from the headline.
    public func normalize(_ text: String, decodeMarkup: Bool = false, chinese: Bool? = nil) -> NormalizedHeadline {
        var t = decodeMarkup ? PlainText.fromHTML(text) : text
        t = Self.clean(t)
        var source: NewsSource?
        var glued: String?
        if let reg = registry, let stripped = reg.stripGluedSiteNames(t) {
            t = stripped.headline
            source = stripped.source
            glued = stripped.printed
        }
        if chinese ?? Self.isChinese(t) { t = Self.fullWidthPunctuationBetweenHan(t) }
        return NormalizedHeadline(title: t, source: source, gluedName: glued)
    }

    /// NFC; zero-width, bidi and control characters removed; every run of white space
    /// (U+3000 included) one space; trimmed; full-width ASCII letters and digits half-width.
    public static func clean(_ text: String) -> String {
        TextCollapse.collapse(text, .headline) ?? cleanScalars(text)
    }

    /// `clean`, scalar by scalar with NFC first: the reference the byte version must equal,
    /// and its path for text that NFC could change.
    static func cleanScalars(_ text: String) -> String {
        let nfc = needsNFC(text) ? text.precomposedStringWithCanonicalMapping : text
        var out = UTF8Builder(capacity: nfc.utf8.count)
        var pendingSpace = false
        for u in nfc.unicodeScalars {
            let v = u.value
            // ASCII and Han need no property lookups (they are most of every headline).
            if v < 0x80 {
                if v <= 0x20 || v == 0x7F { pendingSpace = true; continue }
            } else if !CJK.isHan(v) {
                if isInvisible(v) { continue }
                if isNonASCIIWhiteSpace(v) {
                    pendingSpace = true
                    continue
                }
                if v < 0xA0 { pendingSpace = true; continue }  // C1 controls
            }
            var w = u
            if (0xFF10...0xFF19).contains(v) || (0xFF21...0xFF3A).contains(v) || (0xFF41...0xFF5A).contains(v) {
                w = Unicode.Scalar(v - 0xFEE0)!
            }
            if pendingSpace && !out.isEmpty { out.appendASCII(0x20) }
            pendingSpace = false
            out.append(w)
        }
        return out.string
    }

    /// Whether NFC could change `text`: only combining marks, Hangul jamo and singleton
    /// decompositions (CJK compatibility ideographs, Ohm and Angstrom signs, Greek
    /// tonos forms) do. Foundation's NFC is slow, and almost no headline needs it.
    static func needsNFC(_ text: String) -> Bool {
        for u in text.unicodeScalars where u.value >= 0x300 && mayNeedNFC(u.value) { return true }
        return false
    }

    /// `needsNFC` for one scalar at or above U+0300.
    @inline(__always)
    static func mayNeedNFC(_ v: UInt32) -> Bool {
        // Han, CJK and general punctuation, full-width forms: never changed by NFC.
        if (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0xFF01...0xFF5E).contains(v)
            || (0x3000...0x3029).contains(v) || (0x2010...0x2027).contains(v) { return false }
        if (0xF900...0xFAFF).contains(v) || (0x2F800...0x2FA1F).contains(v) || (0x1100...0x11FF).contains(v)
            || v == 0x2126 || v == 0x212A || v == 0x212B || (0x0340...0x0344).contains(v) || v == 0x0374
            || v == 0x037E || v == 0x0387 || (0x1F71...0x1FFD).contains(v) {
            return true
        }
        guard let u = Unicode.Scalar(v) else { return false }
        return u.properties.canonicalCombiningClass != .notReordered
    }

    /// White space and invisible characters collapsed, nothing else changed (no width fold):
    /// for names, categories and other one-line fields.
    public static func cleanLine(_ text: String) -> String {
        TextCollapse.collapse(text, .line) ?? cleanLineScalars(text)
    }

    /// `cleanLine` scalar by scalar: the reference the byte version must equal.
    static func cleanLineScalars(_ text: String) -> String {
        var out = UTF8Builder(capacity: text.utf8.count)
        var pendingSpace = false
        for u in text.unicodeScalars {
            let v = u.value
            if v < 0x80 {
                if v <= 0x20 || v == 0x7F { pendingSpace = true; continue }
            } else if !CJK.isHan(v) {
                if isInvisible(v) { continue }
                if isNonASCIIWhiteSpace(v) || v < 0xA0 { pendingSpace = true; continue }
            }
            if pendingSpace && !out.isEmpty { out.appendASCII(0x20) }
            pendingSpace = false
            out.append(u)
        }
        return out.string
    }

    /// Zero-width characters, bidi controls, soft hyphen and BOM: invisible, and they break
    /// matching and de-duplication.
    @inline(__always)
    static func isInvisible(_ v: UInt32) -> Bool {
        (0x200B...0x200F).contains(v) || (0x202A...0x202E).contains(v) || (0x2060...0x2064).contains(v)
            || (0x2066...0x2069).contains(v) || v == 0xFEFF || v == 0x00AD || v == 0x180E
    }

    /// A headline is Chinese when the language detector says so from its own text.
    static func isChinese(_ t: String) -> Bool {
        guard t.unicodeScalars.contains(where: { CJK.isHan($0.value) }) else { return false }
        return LanguageDetector.detect(t)?.hasPrefix("zh") == true
    }

    static let fullWidth: [UInt32: UInt32] = [
        0x2C: 0xFF0C, 0x3B: 0xFF1B, 0x3A: 0xFF1A, 0x3F: 0xFF1F, 0x21: 0xFF01, 0x28: 0xFF08, 0x29: 0xFF09,
    ]

    /// `,` `;` `:` `?` `!` between two Chinese characters (spaces around them ignored and
    /// dropped) become `，` `；` `：` `？` `！`; a pair of parentheses becomes `（）` when it sits
    /// between Chinese characters and holds Chinese text.
    static func fullWidthPunctuationBetweenHan(_ t: String) -> String {
        // Nothing to convert (the common case): the text comes back as it was.
        guard t.utf8.contains(where: { $0 == 0x2C || $0 == 0x3B || $0 == 0x3A || $0 == 0x3F || $0 == 0x21 || $0 == 0x28 })
        else { return t }
        var s = Array(t.unicodeScalars)
        func neighbour(_ i: Int, _ step: Int) -> Int? {
            var j = i + step
            while j >= 0 && j < s.count && s[j].value == 0x20 { j += step }
            return j >= 0 && j < s.count ? j : nil
        }
        func chinese(_ j: Int?) -> Bool { j.map { CJK.isChineseContext(s[$0].value) } ?? false }
        var drop = Set<Int>()
        var i = 0
        while i < s.count {
            let v = s[i].value
            if v == 0x28 {
                // Find the matching `)` within the headline.
                if let close = s[(i + 1)...].firstIndex(where: { $0.value == 0x29 }),
                   close > i + 1, chinese(neighbour(i, -1)), CJK.isChineseContext(s[i + 1].value),
                   CJK.isChineseContext(s[close - 1].value), neighbour(close, 1) == nil || chinese(neighbour(close, 1)) {
                    s[i] = Unicode.Scalar(0xFF08)!
                    s[close] = Unicode.Scalar(0xFF09)!
                    // Full-width brackets carry their own spacing.
                    if let p = neighbour(i, -1) { for k in (p + 1)..<i { drop.insert(k) } }
                    if let n = neighbour(close, 1) { for k in (close + 1)..<n { drop.insert(k) } }
                }
            } else if v < 0x80, v != 0x29, let fw = fullWidth[v] {
                let p = neighbour(i, -1), n = neighbour(i, 1)
                if chinese(p), chinese(n) {
                    s[i] = Unicode.Scalar(fw)!
                    for k in (p! + 1)..<i { drop.insert(k) }
                    for k in (i + 1)..<n! { drop.insert(k) }
                }
            }
            i += 1
        }
        var out = String.UnicodeScalarView()
        for (k, u) in s.enumerated() where !drop.contains(k) { out.append(u) }
        return String(out)
    }

    /// De-duplication key: Traditional folded to Simplified, full width and case folded,
    /// punctuation, symbols and spaces removed. The same story from a Traditional and a
    /// Simplified feed gets the same key.
    public static func titleKey(_ title: String) -> String {
        // Written into a buffer on the stack (a folded scalar takes at most four bytes, and
        // none of them fewer than one), then copied once into the key.
        let capacity = title.utf8.count * 4
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(capacity, 1)) { tmp in
            let out = tmp.baseAddress!
            var o = 0
            let table = keyTable
            let complete = table.withUnsafeBufferPointer { keys in
                UTF8Scalars.forEach(title) { v in
                    let k = v < 0x10000 ? keys[Int(v)] : keyScalar(v)
                    if k == keyDrop { return true }
                    if k == keySlow { return false }
                    if k < 0x80 {
                        out[o] = UInt8(truncatingIfNeeded: k); o += 1
                    } else if k < 0x800 {
                        out[o] = UInt8(truncatingIfNeeded: 0xC0 | (k >> 6)); out[o + 1] = UInt8(truncatingIfNeeded: 0x80 | (k & 0x3F))
                        o += 2
                    } else if k < 0x10000 {
                        out[o] = UInt8(truncatingIfNeeded: 0xE0 | (k >> 12)); out[o + 1] = UInt8(truncatingIfNeeded: 0x80 | ((k >> 6) & 0x3F))
                        out[o + 2] = UInt8(truncatingIfNeeded: 0x80 | (k & 0x3F))
                        o += 3
                    } else {
                        out[o] = UInt8(truncatingIfNeeded: 0xF0 | (k >> 18)); out[o + 1] = UInt8(truncatingIfNeeded: 0x80 | ((k >> 12) & 0x3F))
                        out[o + 2] = UInt8(truncatingIfNeeded: 0x80 | ((k >> 6) & 0x3F)); out[o + 3] = UInt8(truncatingIfNeeded: 0x80 | (k & 0x3F))
                        o += 4
                    }
                    return true
                }
            }
            return complete ? String(decoding: UnsafeBufferPointer(start: out, count: o), as: UTF8.self) : titleKeyScalars(title)
        }
    }

    static let keyDrop: UInt32 = 0xFFFF_FFFF
    static let keySlow: UInt32 = 0xFFFF_FFFE

    /// What `titleKeyScalars` makes of one scalar on its own: its folded form, `keyDrop`, or
    /// `keySlow` when the scalar's fate depends on its neighbours (NFC could change the
    /// text) or it folds to several scalars. Without NFC, `clean` and `fold` work scalar by
    /// scalar, and whatever `clean` turns into a space the key drops anyway.
    static func keyScalar(_ v: UInt32) -> UInt32 {
        guard let u = Unicode.Scalar(v) else { return keyDrop }
        if v >= 0x300 && mayNeedNFC(v) { return keySlow }
        if v < 0x80 {
            if v <= 0x20 || v == 0x7F { return keyDrop }
        } else if !CJK.isHan(v) {
            if isInvisible(v) || isNonASCIIWhiteSpace(v) || v < 0xA0 { return keyDrop }
        }
        var w = u
        if (0xFF10...0xFF19).contains(v) || (0xFF21...0xFF3A).contains(v) || (0xFF41...0xFF5A).contains(v) {
            w = Unicode.Scalar(v - 0xFEE0)!
        }
        guard let f = TextFolding.foldedSingle(w) else { return keySlow }
        let fv = f.value
        if fv < 0x80 {
            return (fv >= 0x30 && fv <= 0x39) || (fv >= 0x61 && fv <= 0x7A) || (fv >= 0x41 && fv <= 0x5A) ? fv : keyDrop
        }
        if CJK.isHan(fv) { return fv }
        switch f.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark:
            return fv
        default:
            return keyDrop
        }
    }

    /// `keyScalar` for the Basic Multilingual Plane, computed once.
    static let keyTable: [UInt32] = (0..<UInt32(0x10000)).map(keyScalar)

    /// `titleKey` scalar by scalar: the reference, and the path for text NFC could change.
    static func titleKeyScalars(_ title: String) -> String {
        var out = UTF8Builder(capacity: title.utf8.count)
        for u in TextFolding.fold(clean(title)).unicodeScalars {
            let v = u.value
            if v < 0x80 {
                if (v >= 0x30 && v <= 0x39) || (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) { out.append(u) }
                continue
            }
            if CJK.isHan(v) { out.append(u); continue }
            switch u.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                 .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark:
                out.append(u)
            default: continue
            }
        }
        return out.string
    }
}

/// Minimal HTML → text for callers holding markup (Parse does the full job for feeds).
public enum PlainText {
    public static func fromHTML(_ s: String) -> String {
        guard s.contains("<") || s.contains("&") else { return s }
        var out = ""
        var inTag = false
        for ch in s {
            if ch == "<" { inTag = true; continue }
            if ch == ">" && inTag { inTag = false; out.append(" "); continue }
            if !inTag { out.append(ch) }
        }
        return decodeEntities(out)
    }

    static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "mdash": "—", "ndash": "–",
        "hellip": "…", "ldquo": "“", "rdquo": "”", "lsquo": "‘", "rsquo": "’", "middot": "·", "laquo": "«", "raquo": "»",
        "copy": "©", "reg": "®", "trade": "™", "times": "×", "bull": "•",
    ]

    /// Decodes entities once: `&amp;amp;` becomes `&amp;`.
    public static func decodeEntities(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var out = ""
        var i = s.startIndex
        while i < s.endIndex {
            let ch = s[i]
            guard ch == "&", let semi = s[i...].prefix(12).firstIndex(of: ";") else {
                out.append(ch); i = s.index(after: i); continue
            }
            let name = s[s.index(after: i)..<semi]
            var rep: String?
            if name.hasPrefix("#x") || name.hasPrefix("#X") {
                rep = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
            } else if name.hasPrefix("#") {
                rep = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
            } else {
                rep = named[String(name)]
            }
            if let r = rep { out += r; i = s.index(after: semi) } else { out.append(ch); i = s.index(after: i) }
        }
        return out
    }
}
