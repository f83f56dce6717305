/// Tags text with a BCP 47 language from the text itself, not from what the feed declares:
/// feeds often declare `zh-CN` for Traditional text, or `en` for everything.
///
/// Scripts decide first (kana → ja, Hangul → ko, Cyrillic, Arabic, ...). Han text is Chinese
/// when Han characters are at least as many as Latin words, or when the Latin words carry no
/// function words (names only), so `DeepSeek开源了模型权重` and `Yahoo挑战Google AdSense` are
/// Chinese; it is `zh-Hant` when characters that exist only in Traditional writing outnumber
/// those that exist only in Simplified. Latin text is told apart by function words and
/// defaults to English.
public enum LanguageDetector {
    public static func detect(_ text: String) -> String? { detect(text, hint: nil) }

    /// - Parameter hint: the declared language, used only when the text cannot decide
    ///   (Han text with no script-specific character, e.g. `中国人民银行`).
    public static func detect(_ text: String, hint: String?) -> String? {
        var tally = Tally()
        for u in text.unicodeScalars where !tally.add(u.value) { break }
        return tally.language(hint: hint)
    }

    /// What detection counts, scalar by scalar. A value type so that a caller can read the
    /// verdict on a prefix (a headline) and go on with the rest (its summary) in one pass:
    /// the tally after the headline is exactly the headline's own.
    public struct Tally: Sendable {
        var han = 0, kana = 0, hangul = 0, cyrillic = 0, arabic = 0, persian = 0, hebrew = 0, greek = 0
        var thai = 0, devanagari = 0, latinWords = 0, ukrainian = 0, urdu = 0
        var trad = 0, simp = 0
        var hanRun = 0, longestHanRun = 0
        var inLatinWord = false
        /// Letters since the word began or since its last kept dot: a dot after a single letter
        /// stays inside the word, so initialisms (`C.E.O.`, `U.S.`) are one word, not the
        /// function words `e` and `o` of other languages.
        var segmentLetters = 0
        /// The function-word evidence of the first 40 Latin words, gathered as they are
        /// read: no copy of the letters is kept (appending every letter to an array, and
        /// copying that array when a caller keeps the headline's tally, cost more than the
        /// counting).
        var words = LatinWords()
        /// Scalars counted so far (detection looks at the first 4,000).
        public private(set) var scanned = 0
        /// Han scalars among them.
        public var hanCount: Int { han }

        public init() {}

        /// Counts one scalar; false once the 4,000 scalars detection reads are done (the
        /// scalar was not counted, and neither will any later one be).
        @inline(__always)
        public mutating func add(_ v: UInt32) -> Bool {
            scanned += 1
            if scanned > 4000 { return false }
            if v < 0x80 {
                hanRun = 0
                let lower = v | 0x20
                if lower >= 0x61 && lower <= 0x7A {
                    if !inLatinWord { latinWords += 1; inLatinWord = true; segmentLetters = 0 }
                    segmentLetters += 1
                    // Only the first 40 words are ever looked at (see `latinLanguage`).
                    if scanned < 2000 && latinWords <= 40 { words.record(UInt8(truncatingIfNeeded: lower)) }
                    return true
                }
                if inLatinWord && (v == 0x27 || v == 0x2D) { return true }  // don't, open-source
                if inLatinWord && v == 0x2E && segmentLetters == 1 { segmentLetters = 0; return true }  // C.E.O.
                if inLatinWord { inLatinWord = false; if scanned < 2000 && latinWords <= 40 { words.endWord() } }
                return true
            }
            addNonASCII(v, ScriptTables.traditionalBits, ScriptTables.simplifiedBits)
            return true
        }

        /// `add` with the script tables passed in: bulk loops read them once, not per scalar.
        @inline(__always)
        mutating func add(_ v: UInt32, _ traditional: ScalarBitmap, _ simplified: ScalarBitmap) -> Bool {
            if v < 0x80 { return add(v) }
            scanned += 1
            if scanned > 4000 { return false }
            if v >= 0x4E00 && v <= 0x9FFF {
                addUnifiedHan(v, traditional, simplified)
            } else {
                addNonASCII(v, traditional, simplified)
            }
            return true
        }

        /// `addNonASCII` for the Unified Ideographs block (U+4E00…U+9FFF), inline: most
        /// scalars of a Chinese sample, where the out-of-line call and the other scripts'
        /// range checks cost more than the counting.
        @inline(__always)
        mutating func addUnifiedHan(_ v: UInt32, _ traditional: ScalarBitmap, _ simplified: ScalarBitmap) {
            hanRun += 1
            longestHanRun = max(longestHanRun, hanRun)
            if inLatinWord { inLatinWord = false; if scanned < 2000 && latinWords <= 40 { words.endWord() } }
            han += 1
            if traditional.contains(v) { trad += 1 } else if simplified.contains(v) { simp += 1 }
        }

        /// Adds every scalar of `text`; false when the 4,000-scalar cap stopped it.
        public mutating func add(contentsOf text: String) -> Bool {
            let traditional = ScriptTables.traditionalBits, simplified = ScriptTables.simplifiedBits
            return UTF8Scalars.forEach(text) { add($0, traditional, simplified) }
        }

        /// Adds the scalars of `text.prefix(n)` (its first `n` Characters) without building
        /// it. While every scalar is one that always forms a Character of its own (ASCII but
        /// CR, Latin-1 and Latin Extended letters, Han, general and CJK punctuation,
        /// full-width forms), the first `n` scalars are the first `n` Characters; anything
        /// else goes through `prefix`.
        public mutating func addLeadingCharacters(of text: String, _ n: Int) {
            let start = self
            let traditional = ScriptTables.traditionalBits, simplified = ScriptTables.simplifiedBits
            var text = text
            // ASCII (most of an English sample) is read byte by byte without decoding or
            // the range checks; every other scalar as before.
            let fast = text.withUTF8 { buf -> Bool in
                guard let p = buf.baseAddress else { return true }
                let end = buf.count
                var count = 0
                var i = 0
                while i < end {
                    let b = p[i]
                    if b < 0x80 {
                        // The scalar after the cut must be standalone too (it could extend the last one).
                        if b == 0x0D { return false }
                        if count == n { return true }
                        count += 1
                        if !add(UInt32(b)) { return true }
                        i += 1
                        continue
                    }
                    // Unified Ideographs (U+4E00…U+9FFF, most of a Chinese sample) always stand
                    // alone and are counted by `addUnifiedHan` without the other checks.
                    if b >= 0xE4 && b <= 0xE9 {
                        let v = (UInt32(b & 0x0F) << 12) | (UInt32(p[i + 1] & 0x3F) << 6) | UInt32(p[i + 2] & 0x3F)
                        if v >= 0x4E00 {
                            if count == n { return true }
                            count += 1
                            scanned += 1
                            if scanned > 4000 { return true }
                            addUnifiedHan(v, traditional, simplified)
                            i += 3
                            continue
                        }
                    }
                    let (v, length) = UTF8Scalars.decodeMultibyte(p, i)
                    i += length
                    let standalone = v < 0x300 || CJK.isHan(v) || (0x2010...0x2027).contains(v)
                        || (0x3000...0x3029).contains(v) || (0xFF01...0xFF5E).contains(v)
                    guard standalone else { return false }
                    if count == n { return true }
                    count += 1
                    if !add(v, traditional, simplified) { return true }
                }
                return true
            }
            guard !fast else { return }
            self = start
            for u in text.prefix(n).unicodeScalars where !add(u.value) { break }
        }

        @inline(__always)
        mutating func addNonASCII(_ v: UInt32, _ traditional: ScalarBitmap, _ simplified: ScalarBitmap) {
            let isHan = CJK.isHan(v)
            if isHan { hanRun += 1; longestHanRun = max(longestHanRun, hanRun) } else { hanRun = 0 }
            let isLatinLetter = (v >= 0xC0 && v <= 0x24F) || (v >= 0xFF21 && v <= 0xFF3A) || (v >= 0xFF41 && v <= 0xFF5A)
            if isLatinLetter {
                if !inLatinWord { latinWords += 1; inLatinWord = true; segmentLetters = 0 }
                segmentLetters += 1
                if scanned < 2000 && latinWords <= 40 { appendUTF8(v) }
                return
            }
            if inLatinWord && v == 0x2019 { return }
            if inLatinWord { inLatinWord = false; if scanned < 2000 && latinWords <= 40 { words.endWord() } }
            if isHan {
                han += 1
                if traditional.contains(v) { trad += 1 } else if simplified.contains(v) { simp += 1 }
            } else if (0x3040...0x30FF).contains(v) && v != 0x30FB && v != 0x30FC { kana += 1 }
            else if (0xAC00...0xD7AF).contains(v) || (0x1100...0x11FF).contains(v) || (0x3130...0x318F).contains(v) { hangul += 1 }
            else if (0x0400...0x04FF).contains(v) {
                cyrillic += 1
                if v == 0x0456 || v == 0x0457 || v == 0x0454 || v == 0x0491 || v == 0x0406 || v == 0x0407 || v == 0x0404 { ukrainian += 1 }
            } else if (0x0600...0x06FF).contains(v) || (0x0750...0x077F).contains(v) {
                arabic += 1
                if v == 0x067E || v == 0x0686 || v == 0x0698 || v == 0x06AF || v == 0x06CC { persian += 1 }
                if v == 0x06C1 || v == 0x06D2 || v == 0x06BA || v == 0x0679 || v == 0x0688 || v == 0x0691 { urdu += 1 }
            } else if (0x0590...0x05FF).contains(v) { hebrew += 1 }
            else if (0x0370...0x03FF).contains(v) { greek += 1 }
            else if (0x0E00...0x0E7F).contains(v) { thai += 1 }
            else if (0x0900...0x097F).contains(v) { devanagari += 1 }
        }

        @inline(__always)
        mutating func appendUTF8(_ v: UInt32) {
            if v < 0x800 {
                words.record(UInt8(truncatingIfNeeded: 0xC0 | (v >> 6)))
                words.record(UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F)))
            } else {
                words.record(UInt8(truncatingIfNeeded: 0xE0 | (v >> 12)))
                words.record(UInt8(truncatingIfNeeded: 0x80 | ((v >> 6) & 0x3F)))
                words.record(UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F)))
            }
        }

        /// The verdict on what was counted; `hint` as in `detect(_:hint:)`.
        public func language(hint: String?) -> String? {
            // Japanese uses Han too: any real amount of kana decides.
            if kana >= 2 || (kana >= 1 && kana * 5 >= han) { return "ja" }
            if hangul >= 2 && hangul >= han { return "ko" }
            // Latin words in a Chinese headline are names (`Yahoo挑战Google AdSense`); an English sentence
            // quoting a Chinese word still has English function words around it.
            let latin = words.finished()
            let chineseWithNames = longestHanRun >= 2 && latinWords > han && latin.functionWords == 0
            if han > 0 && (han >= latinWords || chineseWithNames) && han >= cyrillic / 3 {
                if trad > simp { return "zh-Hant" }
                if simp > trad { return "zh-Hans" }
                if let h = hint?.lowercased(), h.hasPrefix("zh") {
                    if h.contains("hant") || h.hasSuffix("-tw") || h.hasSuffix("-hk") || h.hasSuffix("-mo") { return "zh-Hant" }
                }
                return "zh-Hans"
            }
            // No letter of these scripts (nearly every item): the table below is not built.
            if cyrillic | arabic | hebrew | greek | thai | devanagari == 0 {
                if latinWords > 0 { return latinLanguage(latin) }
                if han > 0 { return "zh-Hans" }
                return nil
            }
            let scripts = [(cyrillic, ukrainian * 4 >= max(cyrillic / 20, 1) && ukrainian > 0 ? "uk" : "ru"),
                           (arabic, urdu > 0 ? "ur" : persian > 0 ? "fa" : "ar"), (hebrew, "he"), (greek, "el"), (thai, "th"), (devanagari, "hi")]
            if let best = scripts.max(by: { $0.0 < $1.0 }), best.0 > 0, best.0 >= latinWords * 2 { return best.1 }
            if latinWords > 0 { return latinLanguage(latin) }
            if han > 0 { return "zh-Hans" }
            return nil
        }
    }

    /// Function words per Latin-script language; the highest count wins, English by default.
    static let functionWords: [(String, Set<Substring>)] = [
        ("en", ["the", "of", "and", "to", "in", "is", "for", "on", "with", "as", "at", "by", "from", "that", "it", "its", "are", "was", "after", "over", "new", "says", "how", "why", "what", "will", "be", "has", "have", "this", "into", "about"]),
        ("fr", ["le", "la", "les", "des", "du", "et", "est", "une", "un", "pour", "dans", "sur", "au", "aux", "pas", "qui", "que", "avec", "par", "ce", "cette", "son", "ses"]),
        ("de", ["der", "die", "das", "und", "ist", "nicht", "mit", "für", "auf", "den", "dem", "ein", "eine", "sich", "von", "zu", "im", "auch", "wie", "bei", "nach"]),
        ("es", ["el", "los", "las", "del", "y", "que", "por", "una", "con", "para", "es", "se", "su", "al", "como", "más", "pero", "sus"]),
        ("pt", ["o", "os", "do", "da", "dos", "das", "não", "uma", "com", "para", "em", "no", "na", "nos", "nas", "que", "é", "ao", "mais", "como", "de", "e", "pelo", "pela", "às", "ou"]),
        ("it", ["il", "di", "che", "della", "dei", "delle", "gli", "per", "con", "una", "sono", "non", "nel", "nella", "alla", "anche"]),
        ("nl", ["de", "het", "een", "van", "en", "is", "niet", "met", "voor", "op", "zijn", "dat", "aan", "ook", "naar"]),
    ]

    /// Word → bit per language in `functionWords` order: one lookup per word.
    static let functionWordBits: [Substring: UInt8] = {
        var m: [Substring: UInt8] = [:]
        for (i, (_, set)) in functionWords.enumerated() { for w in set { m[w, default: 0] |= 1 << UInt8(i) } }
        return m
    }()

    /// The same table keyed by the word's UTF-8 bytes packed into an integer (every function
    /// word is at most 8 bytes and holds no zero byte): hashing a `Substring` per word cost
    /// more than the rest of detection.
    static let packedFunctionWordBits: [UInt64: UInt8] = {
        var m: [UInt64: UInt8] = [:]
        for (word, bits) in functionWordBits {
            precondition(word.utf8.count <= 8, "function word '\(word)' longer than 8 bytes")
            var k: UInt64 = 0
            for (i, b) in word.utf8.enumerated() { k |= UInt64(b) << UInt64(8 * i) }
            m[k] = bits
        }
        return m
    }()

    /// `packedFunctionWordBits` as an open-addressing table probed without hashing through
    /// `Hasher` (a dictionary lookup per word was most of `latinLanguage`).
    struct PackedWordTable: Sendable {
        static let size = 1024
        let keys: [UInt64]
        let values: [UInt8]

        init(_ words: [UInt64: UInt8]) {
            var keys = [UInt64](repeating: 0, count: Self.size), values = [UInt8](repeating: 0, count: Self.size)
            for (k, v) in words {
                precondition(k != 0, "empty function word")
                var i = Self.slot(k)
                while keys[i] != 0 { i = (i + 1) & (Self.size - 1) }
                keys[i] = k
                values[i] = v
            }
            self.keys = keys
            self.values = values
        }

        @inline(__always)
        static func slot(_ k: UInt64) -> Int { Int(truncatingIfNeeded: (k &* 0x9E37_79B9_7F4A_7C15) >> 54) }

        /// The bits of the packed word `k`, nil when it is no function word.
        @inline(__always)
        func bits(_ k: UInt64) -> UInt8? {
            var i = Self.slot(k)
            while true {
                let key = keys[i]
                if key == k { return values[i] }
                if key == 0 { return nil }
                i = (i + 1) & (Self.size - 1)
            }
        }
    }

    static let functionWordTable = PackedWordTable(packedFunctionWordBits)

    /// Function-word counts of Latin words fed one byte at a time (lower-case ASCII letters
    /// and the UTF-8 of other Latin letters), a word ended by `endWord`. A word is looked up
    /// by its first eight bytes packed into an integer; longer words are no function word.
    struct LatinWords: Sendable, Equatable {
        var key: UInt64 = 0
        var length = 0
        /// Finished words, and those among them that are function words of any language.
        var count = 0
        var functionWords = 0
        /// Per language (in `functionWords` order), its function words: one byte each.
        var perLanguage: UInt64 = 0

        @inline(__always)
        mutating func record(_ b: UInt8) {
            if length < 8 { key |= UInt64(b) << UInt64(8 &* length) }
            length += 1
        }

        @inline(__always)
        mutating func endWord() {
            guard length > 0 else { return }
            // Only the first 40 words are looked at.
            if count < 40 {
                count += 1
                if length <= 8, let bits = functionWordTable.bits(key) {
                    functionWords += 1
                    for i in 0..<LanguageDetector.functionWords.count where bits & (1 << UInt8(i)) != 0 {
                        perLanguage &+= 1 << UInt64(8 * i)
                    }
                }
            }
            key = 0
            length = 0
        }

        /// The counts with the word being read counted as finished (reading may stop inside one).
        func finished() -> LatinWords {
            var copy = self
            copy.endWord()
            return copy
        }

        func count(of language: Int) -> Int { Int((perLanguage >> UInt64(8 * language)) & 0xFF) }
    }

    /// The words of `text` (Latin letters, ASCII already lower-case, separated by spaces).
    static func latinWords(_ text: String) -> LatinWords {
        var words = LatinWords()
        for b in text.utf8 {
            if b == 0x20 { words.endWord() } else { words.record(b) }
        }
        return words.finished()
    }

    static func latinLanguage(_ text: String) -> String { latinLanguage(latinWords(text)) }

    static func latinLanguage(_ words: LatinWords) -> String {
        var best = 0
        for i in 1..<functionWords.count where words.count(of: i) > words.count(of: best) { best = i }
        // A single foreign function word in a short headline is weak evidence.
        if best != 0 && (words.count(of: best) < 2 || words.count(of: best) <= words.count(of: 0)) { return "en" }
        return functionWords[best].0
    }
}
