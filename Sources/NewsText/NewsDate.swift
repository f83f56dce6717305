import Foundation
import IngestCore
import Synchronization

/// A date read from news text: the instant, the offset it was printed in (or inferred),
/// and how much of it the text actually stated.
public struct NewsDateResult: Sendable, Hashable {
    public var date: LocalizedDate
    /// `false` when the text gave no zone and `defaultZone` supplied the offset.
    public var zoneStated: Bool
    /// `false` for date-only text (the time is local midnight).
    public var hasTime: Bool
    /// `true` for `3小时前`, `昨天 14:30`, `yesterday`: read against the reference time.
    public var relative: Bool

    public var instant: Date { date.instant }
    public var utcOffsetSeconds: Int { date.utcOffsetSeconds }
}

/// Why a date string gave no date. Impossible dates are reported, never guessed.
public enum NewsDateFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// Looked like a date but names no real moment (`2003-12-31T25:14:55Z`, month 13).
    case impossible(String, reason: String)
    /// Not a date format this parser knows.
    case unrecognized(String)

    public var description: String {
        switch self {
        case .impossible(let t, let r): return "impossible date '\(t)': \(r)"
        case .unrecognized(let t): return "unrecognized date '\(t)'"
        }
    }
}

/// Reads the dates news feeds and pages print: RFC 822 and its breakage, ISO 8601 / W3CDTF,
/// Unix timestamps, Chinese forms (`2025年11月7日 02:25`, `11月7日`, `3小时前`, `昨天 14:30`).
///
/// A hand-written scanner rather than `DateFormatter`s: it runs for every item, formatters
/// are slow to build and not `Sendable`, and real-world breakage needs one forgiving reader
/// instead of a list of patterns tried in turn.
public enum NewsDate {
    /// The parsed date, or nil (unrecognized or impossible).
    ///
    /// - Parameters:
    ///   - defaultZone: for text without a zone (the feed's zone; Chinese sources Asia/Shanghai).
    ///   - reference: the fetch time; relative forms and year-less dates are read against it.
    ///   - chineseContext: `CST` means China Standard Time (+08:00) instead of US Central.
    public static func parse(
        _ text: String, defaultZone: TimeZone, reference: Date, chineseContext: Bool
    ) -> NewsDateResult? {
        try? read(text, defaultZone: defaultZone, reference: reference, chineseContext: chineseContext).get()
    }

    /// Same as `parse`, with the reason on failure (for item warnings).
    public static func read(
        _ text: String, defaultZone: TimeZone, reference: Date, chineseContext: Bool
    ) -> Result<NewsDateResult, NewsDateFailure> {
        if let fast = StrictDate.parse(text, chineseContext: chineseContext) { return .success(fast) }
        var scanner = DateScanner(text: text, chineseContext: chineseContext)
        return scanner.run(defaultZone: defaultZone, reference: reference)
    }

    /// Offset of `zone` at a wall-clock time given as seconds since 1970 "local epoch".
    static func offset(of zone: TimeZone, localSeconds: Int64) -> Int {
        let guess = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(localSeconds)))
        return zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(localSeconds - Int64(guess))))
    }
}

// MARK: - Tokens

enum Tok: Equatable {
    case num(Int64, digits: Int)
    case word(String)
    case sym(UInt8)
}

struct DateScanner {
    let original: String
    let chineseContext: Bool
    var toks: [Tok] = []
    /// Space before token i (separates `07T02` glued forms from `07 T`).
    var spaced: [Bool] = []
    var used: [Bool] = []
    var relativeDays: Int?
    var relativeSeconds: Int64?
    var pm: Bool?
    var extraOffset: Int?
    var sawChineseDate = false
    /// Korean dates (`2004년 05월 28일`, `오후`) are printed in KST when no zone is given.
    var sawKorean = false

    init(text: String, chineseContext: Bool) {
        original = text
        self.chineseContext = chineseContext
        tokenize(text)
        used = Array(repeating: false, count: toks.count)
    }

    // MARK: tokenize: Chinese markers become ASCII punctuation so one grammar reads both.

    mutating func tokenize(_ text: String) {
        var numValue: Int64 = 0
        var numDigits = 0
        var word = UTF8Builder(capacity: 16)
        var pendingSpace = false

        func flush(_ s: inout DateScanner) {
            if numDigits > 0 {
                s.toks.append(.num(numDigits > 18 ? Int64.max : numValue, digits: numDigits))
                s.spaced.append(pendingSpace)
                pendingSpace = false
                numDigits = 0; numValue = 0
            }
            if !word.isEmpty {
                s.toks.append(.word(word.string))
                s.spaced.append(pendingSpace)
                pendingSpace = false
                word.removeAll()
            }
        }
        func sym(_ s: inout DateScanner, _ c: UInt8) {
            flush(&s)
            s.toks.append(.sym(c)); s.spaced.append(pendingSpace); pendingSpace = false
        }

        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            var u = scalars[i]
            var v = u.value
            if (0xFF01...0xFF5E).contains(v) { v -= 0xFEE0; u = Unicode.Scalar(v)! }
            let next: UInt32 = i + 1 < scalars.count ? scalars[i + 1].value : 0
            defer { i += 1 }
            if CJK.isHan(v), let w = Self.hanWord(scalars, &i) {
                flush(&self)
                word.appendString(w)
                flush(&self)
                pendingSpace = true
                continue
            }
            if v >= 0x30 && v <= 0x39 {
                if !word.isEmpty { flush(&self) }
                numValue = numValue &* 10 &+ Int64(v - 0x30)
                numDigits += 1
                continue
            }
            if (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) {
                if numDigits > 0 { flush(&self) }
                word.appendASCII(UInt8(v | 0x20))
                continue
            }
            if v >= 0x80 && !CJK.isHan(v) && !(0xAC00...0xD7AF).contains(v) && u.properties.isAlphabetic {
                if numDigits > 0 { flush(&self) }
                for l in u.properties.lowercaseMapping.unicodeScalars { word.append(l) }
                continue
            }
            if v == 0x20 || v == 0x2C || (v >= 0x09 && v <= 0x0D) || (v >= 0x80 && (v == 0x3001 || u.properties.isWhitespace)) {
                flush(&self)
                if v == 0x2C || v == 0x3001 { sym(&self, 0x2C) }
                pendingSpace = true
                continue
            }
            switch v {
            case 0xB144, 0xC6D4: sym(&self, UInt8(ascii: "-")); sawKorean = true  // 년 월
            case 0xC77C: flush(&self); pendingSpace = true; sawKorean = true  // 일
            case 0xC624 where next == 0xC804 || next == 0xD6C4:  // 오전 / 오후
                flush(&self); word.appendString(next == 0xC804 ? "am" : "pm"); flush(&self); pendingSpace = true
                sawKorean = true; i += 1
            case 0x5E74: sym(&self, UInt8(ascii: "-")); sawChineseDate = true  // 年
            case 0x6708: sym(&self, UInt8(ascii: "-")); sawChineseDate = true  // 月
            case 0x65E5, 0x53F7, 0x865F:  // 日 号 號
                // 日 in 星期日 is a weekday, not a date marker.
                if i > 0 && (scalars[i - 1].value == 0x671F || scalars[i - 1].value == 0x5468) { flush(&self); continue }
                flush(&self); pendingSpace = true; sawChineseDate = true
            case 0x65F6, 0x6642, 0x70B9, 0x9EDE:  // 时 時 点 點
                sym(&self, UInt8(ascii: ":"))
            case 0x5206:  // 分
                if next == 0x949F || next == 0x9418 { word.appendString("min"); i += 1 }
                else { sym(&self, UInt8(ascii: ":")) }
            case 0x79D2: flush(&self); word.appendString("sec")  // 秒
            case 0x524D:  // 前
                flush(&self); word.appendString("ago"); flush(&self)
            default:
                if let w = Self.hanWord(scalars, &i) {
                    flush(&self)
                    word.appendString(w)
                    flush(&self)
                    pendingSpace = true
                } else if v < 0x80 {
                    sym(&self, UInt8(v))
                } else {
                    flush(&self)
                    toks.append(.word(String(u))); spaced.append(pendingSpace); pendingSpace = false
                }
            }
        }
        flush(&self)
    }

    /// Chinese words with meaning for dates, consumed greedily.
    static let hanWords: [(String, String)] = [
        ("北京时间", "bj"), ("北京時間", "bj"), ("刚刚", "now"), ("剛剛", "now"), ("刚才", "now"), ("剛才", "now"),
        ("今天", "today"), ("昨天", "yesterday"), ("前天", "daybeforeyesterday"), ("昨日", "yesterday"),
        ("上午", "am"), ("凌晨", "am"), ("早上", "am"), ("中午", "noon"), ("下午", "pm"), ("晚上", "pm"), ("傍晚", "pm"),
        ("小时", "hour"), ("小時", "hour"), ("分钟", "min"), ("分鐘", "min"), ("天", "day"), ("周", "week"),
        ("週", "week"), ("星期", "weekday"), ("礼拜", "weekday"), ("禮拜", "weekday"), ("个月", "month"), ("個月", "month"),
        ("一", "weekdaynum"), ("二", "weekdaynum"), ("三", "weekdaynum"), ("四", "weekdaynum"), ("五", "weekdaynum"),
        ("六", "weekdaynum"), ("发布", "label"), ("發佈", "label"), ("發布", "label"), ("时间", "label"),
        ("時間", "label"), ("更新", "label"), ("于", "label"), ("於", "label"),
    ]

    /// `hanWords` by first scalar, longest first, as scalar arrays.
    static let hanWordIndex: [UInt32: [([UInt32], String)]] = {
        var idx: [UInt32: [([UInt32], String)]] = [:]
        for (w, meaning) in hanWords {
            let vs = w.unicodeScalars.map(\.value)
            idx[vs[0], default: []].append((vs, meaning))
        }
        return idx.mapValues { $0.sorted { $0.0.count > $1.0.count } }
    }()

    static func hanWord(_ s: [Unicode.Scalar], _ i: inout Int) -> String? {
        guard let candidates = hanWordIndex[s[i].value] else { return nil }
        outer: for (ws, meaning) in candidates {
            guard i + ws.count <= s.count else { continue }
            for k in 1..<max(ws.count, 1) where s[i + k].value != ws[k] { continue outer }
            i += ws.count - 1
            return meaning
        }
        return nil
    }

    // MARK: tables

    static let months: [String: Int] = {
        var m: [String: Int] = [:]
        let names: [[String]] = [
            ["jan", "january", "janv", "janvier", "januar", "jän", "jänner", "ene", "enero", "gen", "gennaio", "janeiro", "januari", "jänn", "styczeń", "янв", "ιαν", "január"],
            ["feb", "february", "févr", "fevr", "février", "fevrier", "februar", "febrero", "febbraio", "fev", "fevereiro", "februari", "февр", "фев", "φεβ", "február"],
            ["mar", "march", "mars", "märz", "maerz", "mär", "marzo", "março", "marco", "mrt", "maart", "мар", "μάρ", "μαρ", "március"],
            ["apr", "april", "avr", "avril", "abr", "abril", "aprile", "апр", "απρ", "április"],
            ["may", "mai", "mayo", "maggio", "mag", "maio", "mei", "мая", "май", "μάι", "μαι", "μάϊ", "május"],
            ["jun", "june", "juin", "juni", "junio", "giugno", "giu", "junho", "июн", "июня", "ιούν", "ιουν", "június"],
            ["jul", "july", "juil", "juillet", "juli", "julio", "luglio", "lug", "julho", "июл", "июля", "ιούλ", "ιουλ", "július"],
            ["aug", "august", "août", "aout", "ago", "agosto", "augustus", "авг", "αύγ", "αυγ", "augusztus"],
            ["sep", "sept", "september", "septembre", "septiembre", "set", "settembre", "setembro", "сен", "сент", "σεπ", "szeptember"],
            ["oct", "october", "octobre", "okt", "oktober", "octubre", "ott", "ottobre", "out", "outubro", "окт", "οκτ", "október"],
            ["nov", "november", "novembre", "noviembre", "novembro", "ноя", "нояб", "νοέ", "νοε"],
            ["dec", "december", "déc", "decembre", "décembre", "dez", "dezember", "dic", "diciembre", "dicembre", "dezembro", "дек", "δεκ"],
        ]
        for (i, list) in names.enumerated() { for n in list { m[n] = i + 1 } }
        return m
    }()

    static let relativeWords: Set<String> = ["now", "ago", "today", "yesterday", "daybeforeyesterday"]

    static let weekdays: Set<String> = [
        "seg", "ter", "qua", "qui", "sex", "segunda", "terça", "quarta", "quinta", "sexta",
        "mon", "monday", "tue", "tues", "tuesday", "wed", "weds", "wednesday", "thu", "thur", "thurs", "thursday",
        "fri", "friday", "sat", "saturday", "sun", "sunday",
        "lun", "lundi", "mardi", "mer", "mercredi", "jeu", "jeudi", "ven", "vendredi", "sam", "samedi", "dim", "dimanche",
        "mo", "montag", "di", "dienstag", "mi", "mittwoch", "do", "donnerstag", "fr", "freitag", "sa", "samstag", "so", "sonntag",
        "lunes", "martes", "mié", "mie", "jue", "vie", "sáb", "sab", "dom", "gio", "miércoles", "miercoles", "jueves", "viernes", "sábado", "sabado", "domingo",
        "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica",
        "weekday", "weekdaynum", "week", "κυρ", "δευ", "τρι", "τετ", "πεμ", "παρ", "σαβ",
    ]

    /// Words carrying no date meaning that real feeds put between fields.
    static let fillers: Set<String> = ["at", "on", "the", "of", "de", "del", "le", "den", "der", "um", "à", "a", "label", "th", "st", "nd", "rd", "utc+", "published", "updated", "posted", "etc"]

    /// Zone abbreviations seen in feeds, in seconds east of UTC. `cst` is contextual.
    static let zones: [String: Int] = [
        "ut": 0, "utc": 0, "gmt": 0, "z": 0, "wet": 0, "bst": 3600, "ist": 19800, "cet": 3600, "met": 3600,
        "cest": 7200, "mest": 7200, "eet": 7200, "eest": 10800, "msk": 10800, "west": 3600,
        "est": -18000, "edt": -14400, "cdt": -18000, "mst": -25200, "mdt": -21600, "pst": -28800, "pdt": -25200,
        "akst": -32400, "akdt": -28800, "hst": -36000, "ast": -14400, "adt": -10800, "nst": -12600, "ndt": -9000,
        "jst": 32400, "kst": 32400, "hkt": 28800, "sgt": 28800, "awst": 28800, "cct": 28800, "pht": 28800,
        "wib": 25200, "ict": 25200, "acst": 34200, "aest": 36000, "aedt": 39600, "nzst": 43200, "nzdt": 46800,
        "bj": 28800,
    ]

    /// Zone names that are also words (`at`), read as zones only after the time.
    static let lateZones: [String: Int] = ["at": -14400, "et": -18000, "ct": -21600, "mt": -25200, "pt": -28800]

    /// RFC 822 military zones (as RFC 822 prints them; J is not used).
    static func military(_ w: String) -> Int? {
        guard w.count == 1, let c = w.unicodeScalars.first?.value, c >= 0x61, c <= 0x7A, c != 0x6A else { return nil }
        if c == 0x7A { return 0 }
        if c < 0x6A { return -Int(c - 0x60) * 3600 }  // a..i = -1..-9
        if c <= 0x6D { return -Int(c - 0x61) * 3600 }  // k..m = -10..-12
        return Int(c - 0x6D) * 3600  // n..y = +1..+12
    }

    // MARK: run

    mutating func run(defaultZone: TimeZone, reference: Date) -> Result<NewsDateResult, NewsDateFailure> {
        guard !toks.isEmpty else { return .failure(.unrecognized(original)) }
        // Failure values are built only when needed: the text is copied for the message.
        let original = self.original
        let bad = { (r: String) in Result<NewsDateResult, NewsDateFailure>.failure(.impossible(Self.trim(original), reason: r)) }
        var unknown: Result<NewsDateResult, NewsDateFailure> { .failure(.unrecognized(Self.trim(original))) }

        // Unix timestamps: a bare run of 9-10 digits (seconds) or 12-13 (milliseconds).
        if toks.count == 1 || (toks.count == 3 && toks[1] == .sym(UInt8(ascii: ".")) ) ,
           case .num(let v, let d) = toks[0], d == 9 || d == 10 || d == 12 || d == 13 {
            let secs = d >= 12 ? Double(v) / 1000 : Double(v)
            let date = Date(timeIntervalSince1970: secs)
            let off = defaultZone.secondsFromGMT(for: date)
            return .success(NewsDateResult(date: LocalizedDate(instant: date, utcOffsetSeconds: off), zoneStated: false, hasTime: true, relative: false))
        }

        // Relative forms.
        if let r = relative(defaultZone: defaultZone, reference: reference) { return r }

        // RFC 822 comments: `+0800 (CST)`, `GMT-0700 (Pacific Daylight Time)`. Their words
        // name a zone at best, and only count when nothing else does.
        var commentWords: [String] = []
        var depth = 0
        for k in 0..<toks.count {
            if toks[k] == .sym(UInt8(ascii: "(")) { depth += 1; used[k] = true; continue }
            if toks[k] == .sym(UInt8(ascii: ")")) { depth = max(0, depth - 1); used[k] = true; continue }
            if depth > 0 {
                used[k] = true
                if case .word(let w) = toks[k] { commentWords.append(w) }
            }
        }

        var hour: Int?, minute = 0, second = 0, frac = 0.0
        var timeEnd = -1
        // Time: H:M[:S[.frac]]
        for i in 0..<toks.count where !used[i] {
            guard case .num(let h, let hd) = toks[i], hd <= 2, i + 2 < toks.count,
                  toks[i + 1] == .sym(UInt8(ascii: ":")), case .num(let m, let md) = toks[i + 2], md <= 2
            else { continue }
            hour = Int(h); minute = Int(m)
            used[i] = true; used[i + 1] = true; used[i + 2] = true
            var j = i + 3
            if j + 1 < toks.count, toks[j] == .sym(UInt8(ascii: ":")), case .num(let s, let sd) = toks[j + 1], sd <= 2 {
                second = Int(s); used[j] = true; used[j + 1] = true; j += 2
                if j + 1 < toks.count, toks[j] == .sym(UInt8(ascii: ".")) || toks[j] == .sym(UInt8(ascii: ",")),
                   !spaced[j + 1], case .num(let f, let fd) = toks[j + 1] {
                    frac = Double(f) / pow(10, Double(min(fd, 18))); used[j] = true; used[j + 1] = true; j += 2
                }
            } else if j < toks.count, toks[j] == .sym(UInt8(ascii: ":")), j + 1 >= toks.count || spaced[j + 1] {
                used[j] = true; j += 1  // `02时25分` leaves a trailing marker
            } else if j < toks.count, case .word("sec") = toks[j] {
                used[j] = true; j += 1
            }
            if j < toks.count, toks[j] == .sym(UInt8(ascii: ":")) { used[j] = true; j += 1 }
            if j < toks.count, case .word("sec") = toks[j] { used[j] = true; j += 1 }
            timeEnd = j
            break
        }
        // Compact ISO time after `T`: 20251107T022500Z.
        if hour == nil {
            for i in 0..<toks.count where !used[i] {
                guard case .word("t") = toks[i], i + 1 < toks.count, case .num(let v, let d) = toks[i + 1], d == 4 || d == 6 else { continue }
                if d == 4 { hour = Int(v / 100); minute = Int(v % 100) } else { hour = Int(v / 10000); minute = Int(v / 100 % 100); second = Int(v % 100) }
                used[i] = true; used[i + 1] = true; timeEnd = i + 2
                break
            }
        }
        // Chinese `14点`/`14时` with nothing after (hour only).
        if hour == nil {
            for i in 0..<toks.count where !used[i] {
                guard case .num(let h, let hd) = toks[i], hd <= 2, i + 1 < toks.count,
                      toks[i + 1] == .sym(UInt8(ascii: ":")), i + 2 == toks.count || spaced[i + 2] || !isNum(i + 2) else { continue }
                guard sawChineseDate || i > 0 else { continue }
                hour = Int(h); used[i] = true; used[i + 1] = true; timeEnd = i + 2
                break
            }
        }

        // am / pm markers, before or after the time.
        for i in 0..<toks.count where !used[i] {
            if case .word(let w) = toks[i] {
                switch w {
                case "am", "a": if hour != nil && (w == "am" || isDotAfter(i)) { pm = false; used[i] = true; consumeDots(i) }
                case "pm", "p": if hour != nil && (w == "pm" || isDotAfter(i)) { pm = true; used[i] = true; consumeDots(i) }
                case "noon": pm = true; used[i] = true
                default: break
                }
            }
        }

        // Zone: after the time, or anywhere for named zones.
        var offset: Int?
        var numericOffset: Int?
        // A sign is an offset only right after the time, `GMT`/`UTC` or `am/pm`:
        // elsewhere `-` separates date fields.
        var anchor = timeEnd
        while anchor >= 0, anchor < toks.count, used[anchor], !isSign(anchor) { anchor += 1 }
        var i = 0
        while i < toks.count {
            if used[i] { i += 1; continue }
            switch toks[i] {
            case .sym(let c) where (c == UInt8(ascii: "+") || c == UInt8(ascii: "-")) && timeEnd >= 0 && i == anchor:
                guard i + 1 < toks.count, case .num(let v, let d) = toks[i + 1] else { i += 1; continue }
                let sign = c == UInt8(ascii: "-") ? -1 : 1
                var secs: Int
                if d == 4 || d == 3 { secs = Int(v / 100) * 3600 + Int(v % 100) * 60 }
                else if d <= 2 {
                    secs = Int(v) * 3600
                    if i + 3 < toks.count, toks[i + 2] == .sym(UInt8(ascii: ":")), case .num(let m, let md) = toks[i + 3], md <= 2 {
                        secs += Int(m) * 60; used[i + 2] = true; used[i + 3] = true
                    }
                } else { i += 1; continue }
                if secs > 14 * 3600 + 0 || (secs % 3600) / 60 >= 60 { return bad("zone offset out of range") }
                numericOffset = sign * secs
                used[i] = true; used[i + 1] = true
                i += 2
                continue
            case .word(let w):
                if w == "cst" {
                    offset = chineseContext ? 28800 : -21600; used[i] = true
                } else if let z = Self.lateZones[w], timeEnd >= 0, i >= timeEnd {
                    offset = z; used[i] = true; anchor = i + 1
                } else if let z = Self.zones[w] {
                    if w == "bj" { extraOffset = z } else { offset = z }
                    used[i] = true
                    anchor = i + 1
                } else if timeEnd >= 0, i >= timeEnd, let z = Self.military(w), !(w == "t") {
                    offset = z; used[i] = true
                }
            default: break
            }
            i += 1
        }
        if let n = numericOffset { offset = n }
        if offset == nil, let e = extraOffset { offset = e }
        if offset == nil, sawKorean { offset = 32400 }
        if offset == nil, !commentWords.isEmpty {
            if commentWords.contains("china") || commentWords.contains("beijing") { offset = 28800 }
            else if let w = commentWords.first(where: { Self.zones[$0] != nil || $0 == "cst" }) {
                offset = w == "cst" ? (chineseContext ? 28800 : -21600) : Self.zones[w]
            }
        }
        // Zone names in parentheses after a numeric offset: `+0800 (CST)`.
        for k in 0..<toks.count where !used[k] {
            if case .sym(let c) = toks[k], c == UInt8(ascii: "(") || c == UInt8(ascii: ")") { used[k] = true }
        }

        // Date fields from what is left.
        var year: Int?, month: Int?, day: Int?
        var nums: [(Int64, Int, Int)] = []  // value, digits, index
        var seps: [UInt8] = []
        for k in 0..<toks.count where !used[k] {
            switch toks[k] {
            case .num(let v, let d): nums.append((v, d, k))
            case .word(let w):
                if let m = Self.months[w] ?? Self.months[String(w.prefix(3))].flatMap({ w.count > 3 && Self.monthPrefixOK(w) ? $0 : nil }) {
                    if month == nil { month = m; used[k] = true; continue }
                }
                if Self.weekdays.contains(w) || Self.fillers.contains(w) || w == "t" { used[k] = true; continue }
                return unknown
            case .sym(let c):
                if c == UInt8(ascii: "-") || c == UInt8(ascii: "/") || c == UInt8(ascii: ".") { seps.append(c) }
                else if c == UInt8(ascii: ",") || c == UInt8(ascii: "(") || c == UInt8(ascii: ")") || c == UInt8(ascii: ";") {}
                else if c == UInt8(ascii: ":") || c == UInt8(ascii: "+") {} else { return unknown }
            }
        }
        // Ordinal suffixes (`7th`) were dropped as fillers; numbers carry the fields.
        let sep = seps.first
        if month != nil {
            // Named month: one number is the day, a 4-digit (or trailing 2-digit) one the year.
            switch nums.count {
            case 0: return unknown
            case 1:
                if nums[0].1 == 4 { year = Int(nums[0].0); day = 1 } else { day = Int(nums[0].0) }
            case 2:
                if nums[0].1 >= 3 { year = Int(nums[0].0); day = Int(nums[1].0) }
                else { day = Int(nums[0].0); year = Int(nums[1].0); if nums[1].1 <= 2 { year = Self.expandYear(year!) } else if nums[1].1 == 3 { year! += 1900 } }
            default: return unknown
            }
        } else if let iso = Self.truncatedISO(nums, leadingHyphen: toks.first == .sym(UInt8(ascii: "-")), timeless: hour == nil) {
            // ISO 8601's reduced forms: `-YYMM`, `-YY-MM`, `YYYYDDD`.
            guard let (yy, mm, dd) = iso else { return bad("day of year out of range") }
            year = yy; month = mm; day = dd
        } else {
            switch nums.count {
            case 1:
                let (v, d, _) = nums[0]
                if d == 8 { year = Int(v / 10000); month = Int(v / 100 % 100); day = Int(v % 100) }
                else if d == 14 && hour == nil {
                    year = Int(v / 10_000_000_000); month = Int(v / 100_000_000 % 100); day = Int(v / 1_000_000 % 100)
                    hour = Int(v / 10000 % 100); minute = Int(v / 100 % 100); second = Int(v % 100)
                } else if d == 4 && hour == nil { year = Int(v); month = 1; day = 1 }
                else if d == 6 && hour == nil { year = Self.expandYear(Int(v / 10000)); month = Int(v / 100 % 100); day = Int(v % 100) }
                else { return unknown }
            case 2:
                if nums[0].1 == 4 { year = Int(nums[0].0); month = Int(nums[1].0); day = 1 }
                else if nums[0].1 <= 2 && nums[1].1 <= 2 { month = Int(nums[0].0); day = Int(nums[1].0) }
                else { return unknown }
            case 3:
                let a = nums[0], b = nums[1], c = nums[2]
                if a.1 >= 3 { year = Int(a.0); month = Int(b.0); day = Int(c.0); if a.1 == 3 { return unknown } }
                else if a.1 <= 2 && b.1 <= 2 && c.1 <= 2 && sep == UInt8(ascii: "-") {
                    year = Self.expandYear(Int(a.0)); month = Int(b.0); day = Int(c.0)  // ISO 8601 YY-MM-DD
                }
                else if c.1 == 4 || c.1 == 2 {
                    let y = c.1 == 2 ? Self.expandYear(Int(c.0)) : Int(c.0)
                    year = y
                    let x = Int(a.0), z = Int(b.0)
                    if x > 12 && z <= 12 { day = x; month = z }
                    else if z > 12 && x <= 12 { month = x; day = z }
                    else if sep == UInt8(ascii: "/") && !chineseContext { month = x; day = z }
                    else { day = x; month = z }
                } else { return unknown }
            default: return unknown
            }
        }
        guard var mo = month, var d = day else { return unknown }

        // Time fix-ups.
        var h = hour ?? 0
        if let p = pm {
            if h > 12 && p == false { return bad("hour \(h) with AM") }
            if p && h < 12 { h += 12 } else if !p && h == 12 { h = 0 }
        }

        let relativeYear = year == nil
        var y: Int
        if let yy = year { y = yy } else {
            // Year-less: the most recent such date not after the reference (plus a day's slack).
            let refOff = defaultZone.secondsFromGMT(for: reference)
            let refLocal = Int64(reference.timeIntervalSince1970) + Int64(refOff)
            y = RFC3339.civilFromDays(Self.floorDiv(refLocal, 86400)).0
            if mo >= 1 && mo <= 12 && d >= 1 && d <= Self.daysIn(y, mo) {
                let cand = RFC3339.daysFromCivil(y, mo, d) * 86400 + Int64(h * 3600 + minute * 60 + second)
                if cand > refLocal + 86400 { y -= 1 }
            }
        }
        guard (1...12).contains(mo) else { return bad("month \(mo)") }
        guard y >= 1 && y <= 9999 else { return bad("year \(y)") }
        if d == 29 && mo == 2 && relativeYear && !Self.isLeap(y) { return bad("29 February in a year-less date") }
        guard d >= 1 && d <= Self.daysIn(y, mo) else { return bad("day \(d) of month \(mo)") }
        var extraDay: Int64 = 0
        if h == 24 && minute == 0 && second == 0 { h = 0; extraDay = 1 }
        guard (0...23).contains(h) else { return bad("hour \(h)") }
        guard (0...59).contains(minute) else { return bad("minute \(minute)") }
        if second == 60 { second = 59 }  // leap second: keep the minute
        guard (0...59).contains(second) else { return bad("second \(second)") }
        _ = (mo, d)
        mo = mo + 0; d = d + 0

        let local = (RFC3339.daysFromCivil(y, mo, d) + extraDay) * 86400 + Int64(h * 3600 + minute * 60 + second)
        let off = offset ?? NewsDate.offset(of: defaultZone, localSeconds: local)
        let instant = Date(timeIntervalSince1970: Double(local - Int64(off)) + frac)
        return .success(NewsDateResult(
            date: LocalizedDate(instant: instant, utcOffsetSeconds: off), zoneStated: offset != nil,
            hasTime: hour != nil, relative: false))
    }

    func isSign(_ i: Int) -> Bool { toks[i] == .sym(UInt8(ascii: "+")) || toks[i] == .sym(UInt8(ascii: "-")) }
    func isNum(_ i: Int) -> Bool { if case .num = toks[i] { return true } else { return false } }
    func isDotAfter(_ i: Int) -> Bool { i + 1 < toks.count && toks[i + 1] == .sym(UInt8(ascii: ".")) }
    mutating func consumeDots(_ i: Int) {
        var j = i + 1
        while j < toks.count {
            if toks[j] == .sym(UInt8(ascii: ".")) { used[j] = true; j += 1; continue }
            if case .word(let w) = toks[j], w == "m" { used[j] = true; j += 1; continue }
            break
        }
    }

    /// `janvier` matches by its first three letters only when it is a known full name.
    static func monthPrefixOK(_ w: String) -> Bool { months[w] != nil }

    static func trim(_ s: String) -> String {
        let sc = s.unicodeScalars
        guard let a = sc.firstIndex(where: { !$0.properties.isWhitespace }),
              let b = sc.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(sc[a...b])
    }

    /// ISO 8601 (2000) truncated and ordinal dates without a time: `-0312` and `-03-12`
    /// (year of the century and month), `2003335` (year and day of the year).
    /// nil: not one of these; .some(nil): one of these, impossible.
    static func truncatedISO(_ nums: [(Int64, Int, Int)], leadingHyphen: Bool, timeless: Bool) -> (Int, Int, Int)?? {
        guard timeless else { return nil }
        if leadingHyphen && nums.count == 1 && nums[0].1 == 4 {
            return .some((expandYear(Int(nums[0].0 / 100)), Int(nums[0].0 % 100), 1))
        }
        if leadingHyphen && nums.count == 2 && nums[0].1 == 2 && nums[1].1 == 2 {
            return .some((expandYear(Int(nums[0].0)), Int(nums[1].0), 1))
        }
        // `YYDDD` stays unrecognized: five bare digits are as likely a mangled year (`22013`).
        if !leadingHyphen && nums.count == 1 && nums[0].1 == 7 {
            let y = Int(nums[0].0 / 1000)
            var doy = Int(nums[0].0 % 1000)
            guard doy >= 1 && doy <= (isLeap(y) ? 366 : 365) else { return .some(nil) }
            var m = 1
            while doy > daysIn(y, m) { doy -= daysIn(y, m); m += 1 }
            return .some((y, m, doy))
        }
        return nil
    }

    static func expandYear(_ y: Int) -> Int { y < 50 ? 2000 + y : 1900 + y }
    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }
    static func daysIn(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }

    // MARK: relative forms

    mutating func relative(defaultZone: TimeZone, reference: Date) -> Result<NewsDateResult, NewsDateFailure>? {
        var words: [String] = []
        for t in toks { if case .word(let w) = t { words.append(w) } }
        guard words.contains(where: { Self.relativeWords.contains($0) }) else { return nil }
        let refOff = defaultZone.secondsFromGMT(for: reference)
        func at(_ instant: Date, time: Bool) -> Result<NewsDateResult, NewsDateFailure> {
            .success(NewsDateResult(
                date: LocalizedDate(instant: instant, utcOffsetSeconds: defaultZone.secondsFromGMT(for: instant)),
                zoneStated: false, hasTime: time, relative: true))
        }
        if words == ["now"] || words == ["just", "now"] { return at(reference, time: true) }
        // `3分钟前`, `3 hours ago`, `2天前`
        if words.contains("ago") {
            var n: Int64?
            var unit: Int64?
            for t in toks {
                switch t {
                case .num(let v, _): n = v
                case .word(let w):
                    switch w {
                    case "sec", "secs", "second", "seconds", "s": unit = 1
                    case "min", "mins", "minute", "minutes", "m": unit = 60
                    case "hour", "hours", "hr", "hrs", "h": unit = 3600
                    case "day", "days", "d": unit = 86400
                    case "week", "weeks", "w": unit = 7 * 86400
                    case "month", "months": unit = 30 * 86400
                    case "ago", "an", "a": if w != "ago" && n == nil { n = 1 }
                    default: return .failure(.unrecognized(original))
                    }
                case .sym: break
                }
            }
            guard let count = n, let u = unit, count < 100_000 else { return .failure(.unrecognized(original)) }
            return at(reference.addingTimeInterval(-Double(count * u)), time: u < 86400)
        }
        var back: Int64?
        if let w = words.first {
            switch w {
            case "today": back = 0
            case "yesterday": back = 1
            case "daybeforeyesterday": back = 2
            default: break
            }
        }
        guard let days = back else { return nil }
        var h = 0, m = 0, s = 0, hasTime = false
        var nums: [Int] = []
        for t in toks { if case .num(let v, _) = t { nums.append(Int(v)) } }
        if nums.count >= 2 { h = nums[0]; m = nums[1]; hasTime = true; if nums.count >= 3 { s = nums[2] } }
        if words.contains("pm") && h < 12 { h += 12 }
        guard (0...23).contains(h), (0...59).contains(m), (0...59).contains(s), nums.count <= 3, nums.count != 1 else {
            return .failure(.impossible(original, reason: "time of day out of range"))
        }
        let refLocal = Int64(reference.timeIntervalSince1970) + Int64(refOff)
        let dayStart = (Self.floorDiv(refLocal, 86400) - days) * 86400
        let local = dayStart + Int64(h * 3600 + m * 60 + s)
        let off = NewsDate.offset(of: defaultZone, localSeconds: local)
        return .success(NewsDateResult(
            date: LocalizedDate(instant: Date(timeIntervalSince1970: Double(local - Int64(off))), utcOffsetSeconds: off),
            zoneStated: false, hasTime: hasTime, relative: true))
    }
}


/// The two forms almost every feed prints, read straight from the UTF-8 bytes:
/// RFC 3339 (`2025-11-06T18:25:00.123Z`, `…+08:00`) and RFC 822 with a weekday, four-digit
/// year, seconds and a numeric or common named zone (`Fri, 07 Nov 2025 02:25:00 +0800`).
/// Anything else, including every out-of-range field, goes to the general scanner, which
/// owns the error messages.
enum StrictDate {
    static func parse(_ text: String, chineseContext: Bool) -> NewsDateResult? {
        var copy = text
        return copy.withUTF8 { b -> NewsDateResult? in
            var lo = 0, hi = b.count
            while lo < hi && (b[lo] == 0x20 || b[lo] == 0x09 || b[lo] == 0x0A || b[lo] == 0x0D) { lo += 1 }
            while hi > lo && (b[hi - 1] == 0x20 || b[hi - 1] == 0x09 || b[hi - 1] == 0x0A || b[hi - 1] == 0x0D) { hi -= 1 }
            let n = hi - lo
            guard n >= 20 else { return nil }
            if b[lo + 4] == 0x2D { return rfc3339(b, lo, hi) }
            if b[lo + 3] == 0x2C { return rfc822(b, lo, hi, chineseContext: chineseContext) }
            return nil
        }
    }

    @inline(__always)
    static func digits(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ count: Int) -> Int? {
        var v = 0
        for k in i..<(i + count) {
            let c = b[k] &- 0x30
            guard c < 10 else { return nil }
            v = v * 10 + Int(c)
        }
        return v
    }

    static func build(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int, frac: Double, offset: Int) -> NewsDateResult? {
        guard (1...12).contains(mo), d >= 1, d <= daysIn(y, mo), (0...23).contains(h), (0...59).contains(mi),
              (0...59).contains(s), abs(offset) <= 14 * 3600, y >= 1 else { return nil }
        let local = RFC3339.daysFromCivil(y, mo, d) * 86400 + Int64(h * 3600 + mi * 60 + s)
        let instant = Date(timeIntervalSince1970: Double(local - Int64(offset)) + frac)
        return NewsDateResult(date: LocalizedDate(instant: instant, utcOffsetSeconds: offset), zoneStated: true, hasTime: true, relative: false)
    }

    static func daysIn(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `YYYY-MM-DDTHH:MM:SS[.f+](Z|±HH:MM)`
    static func rfc3339(_ b: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> NewsDateResult? {
        guard let y = digits(b, lo, 4), let mo = digits(b, lo + 5, 2), b[lo + 7] == 0x2D, let d = digits(b, lo + 8, 2),
              b[lo + 10] == 0x54 || b[lo + 10] == 0x74, let h = digits(b, lo + 11, 2), b[lo + 13] == 0x3A,
              let mi = digits(b, lo + 14, 2), b[lo + 16] == 0x3A, let s = digits(b, lo + 17, 2) else { return nil }
        var i = lo + 19
        var frac = 0.0
        if i < hi && b[i] == 0x2E {
            i += 1
            var scale = 0.1
            let start = i
            while i < hi, b[i] &- 0x30 < 10 { frac += Double(b[i] - 0x30) * scale; scale /= 10; i += 1 }
            guard i > start else { return nil }
        }
        guard i < hi else { return nil }
        var offset = 0
        if (b[i] == 0x5A || b[i] == 0x7A) && i + 1 == hi {
            offset = 0
        } else if (b[i] == 0x2B || b[i] == 0x2D) && i + 6 == hi, let oh = digits(b, i + 1, 2), b[i + 3] == 0x3A,
                  let om = digits(b, i + 4, 2), om < 60 {
            offset = (oh * 3600 + om * 60) * (b[i] == 0x2D ? -1 : 1)
        } else {
            return nil
        }
        return build(y, mo, d, h, mi, s, frac: frac, offset: offset)
    }

    static let monthCodes: [UInt32: Int] = {
        var m: [UInt32: Int] = [:]
        for (i, name) in ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].enumerated() {
            let u = Array(name.utf8)
            m[UInt32(u[0]) << 16 | UInt32(u[1]) << 8 | UInt32(u[2])] = i + 1
        }
        return m
    }()

    static let weekdayCodes: Set<UInt32> = Set(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map { n -> UInt32 in
        let u = Array(n.utf8)
        return UInt32(u[0]) << 16 | UInt32(u[1]) << 8 | UInt32(u[2])
    })

    @inline(__always)
    static func code3(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt32 {
        UInt32(b[i] | 0x20) << 16 | UInt32(b[i + 1] | 0x20) << 8 | UInt32(b[i + 2] | 0x20)
    }

    /// `Www, D[D] Mmm YYYY HH:MM:SS zone`, zone being `±HHMM`, `GMT`, `UT`, `UTC`, `Z` or a US zone.
    static func rfc822(_ b: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int, chineseContext: Bool) -> NewsDateResult? {
        guard weekdayCodes.contains(code3(b, lo)), b[lo + 4] == 0x20 else { return nil }
        var i = lo + 5
        let dayDigits = (i + 1 < hi && b[i + 1] != 0x20) ? 2 : 1
        guard let d = digits(b, i, dayDigits) else { return nil }
        i += dayDigits
        guard i + 20 <= hi, b[i] == 0x20, let mo = monthCodes[code3(b, i + 1)], b[i + 4] == 0x20,
              let y = digits(b, i + 5, 4), b[i + 9] == 0x20, let h = digits(b, i + 10, 2), b[i + 12] == 0x3A,
              let mi = digits(b, i + 13, 2), b[i + 15] == 0x3A, let s = digits(b, i + 16, 2), b[i + 18] == 0x20 else { return nil }
        i += 19
        let zoneLength = hi - i
        var offset: Int
        if zoneLength == 5, b[i] == 0x2B || b[i] == 0x2D, let z = digits(b, i + 1, 4), z % 100 < 60 {
            offset = (z / 100 * 3600 + z % 100 * 60) * (b[i] == 0x2D ? -1 : 1)
        } else if zoneLength == 3 {
            switch code3(b, i) {
            case code("gmt"), code("utc"): offset = 0
            case code("est"): offset = -18000
            case code("edt"): offset = -14400
            case code("cst"): offset = chineseContext ? 28800 : -21600
            case code("cdt"): offset = -18000
            case code("mst"): offset = -25200
            case code("mdt"): offset = -21600
            case code("pst"): offset = -28800
            case code("pdt"): offset = -25200
            default: return nil
            }
        } else if zoneLength == 2, b[i] | 0x20 == 0x75, b[i + 1] | 0x20 == 0x74 {
            offset = 0  // UT
        } else if zoneLength == 1, b[i] | 0x20 == 0x7A {
            offset = 0
        } else {
            return nil
        }
        return build(y, mo, d, h, mi, s, frac: 0, offset: offset)
    }

    static func code(_ s: StaticString) -> UInt32 {
        let p = s.utf8Start
        return UInt32(p[0]) << 16 | UInt32(p[1]) << 8 | UInt32(p[2])
    }
}
