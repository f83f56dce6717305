import Foundation
import IngestCore

/// What a visible byline says: outlet, people, and when.
///
/// Real bylines mix these freely (`Tai Mei Ti A P P·2025-11-07 02:25`,
/// `2019-09-07 13:43:45　来源: 网易科技`, `By Jane Doe, Reuters`), so the parser finds the
/// date first, splits the rest at separators and labels, and lets the source registry say
/// which piece is an outlet.
public struct Byline: Sendable, Hashable {
    /// The outlet: the registry's entry when known, else the printed name alone.
    public var source: SourceRef?
    /// The outlet as printed (`Tai Mei Ti A P P`).
    public var sourceText: String?
    public var authors: [String]
    /// The date as printed (`2025-11-07 02:25`).
    public var dateText: String?
    /// The date read in the outlet's zone (or the zone given), nil when absent or impossible.
    public var date: NewsDateResult?

    public init(source: SourceRef? = nil, sourceText: String? = nil, authors: [String] = [], dateText: String? = nil, date: NewsDateResult? = nil) {
        self.source = source
        self.sourceText = sourceText
        self.authors = authors
        self.dateText = dateText
        self.date = date
    }

    /// - Parameters:
    ///   - defaultZone: zone for a zoneless date; when nil, the outlet's registry zone, else
    ///     Asia/Shanghai for Chinese text, else UTC.
    ///   - reference: fetch time, for `3小时前` and year-less dates.
    public static func parse(
        _ text: String, registry: SourceRegistry?, defaultZone: TimeZone? = nil, reference: Date = Date()
    ) -> Byline? {
        let line = normalizeSpaces(text)
        guard !line.isEmpty, line.count <= 300 else { return nil }
        var result = Byline()
        var rest = line
        if let (range, printed) = findDate(in: line) {
            result.dateText = printed
            rest.replaceSubrange(range, with: "\u{1}")
        }

        let english = rest.range(of: #"^\s*[Bb][Yy]\s+"#, options: .regularExpression)
        if let e = english {
            parseEnglish(String(rest[e.upperBound...]), registry: registry, into: &result)
        } else {
            parseLabelled(rest, registry: registry, into: &result)
        }

        if let d = result.dateText {
            let chinese = line.unicodeScalars.contains { CJK.isHan($0.value) }
            let zone = defaultZone
                ?? result.source?.id.flatMap { registry?.source(id: $0)?.timeZone }.flatMap(TimeZone.init(identifier:))
                ?? (chinese ? TimeZone(identifier: "Asia/Shanghai")! : TimeZone(identifier: "UTC")!)
            result.date = NewsDate.parse(d, defaultZone: zone, reference: reference, chineseContext: chinese)
        }
        if result.source == nil && result.authors.isEmpty && result.dateText == nil { return nil }
        return result
    }

    // MARK: pieces

    static func normalizeSpaces(_ s: String) -> String {
        var out = ""
        var lastSpace = 0
        for u in s.unicodeScalars {
            if u.properties.isWhitespace || u.value == 0x3000 || u.value == 0xA0 {
                lastSpace += 1
                continue
            }
            if lastSpace > 0 && !out.isEmpty { out += lastSpace >= 2 ? "  " : " " }
            lastSpace = 0
            var c = u
            if u.value == 0xFF1A { c = ":" }
            out.unicodeScalars.append(c)
        }
        return out
    }

    /// Labels that introduce a field, longest first.
    static let labels: [(String, Field)] = [
        ("责任编辑", .editor), ("責任編輯", .editor), ("发布时间", .time), ("發佈時間", .time), ("發布時間", .time),
        ("更新时间", .time), ("更新時間", .time), ("发表于", .time), ("发布于", .time),
        ("来源", .source), ("來源", .source), ("稿源", .source), ("出处", .source), ("出處", .source), ("本文来自", .source),
        ("作者", .author), ("记者", .author), ("記者", .author), ("撰文", .author), ("文", .authorSlash),
        ("编辑", .editor), ("編輯", .editor), ("时间", .time), ("時間", .time), ("日期", .time),
        ("Source", .source), ("Author", .author), ("Published", .time), ("Updated", .time),
    ]

    enum Field { case source, author, authorSlash, editor, time, none }

    /// Pieces that are page furniture, not names.
    static let furniture: Set<String> = ["举报", "舉報", "字号", "字號", "分享", "评论", "評論", "打印", "收藏", "关注", "关闭", "原创", "原創", "整理", "转载", "大", "中", "小", "A", "A+", "A-"]

    static func parseLabelled(_ text: String, registry: SourceRegistry?, into r: inout Byline) {
        // Split at separators, then at labels inside each piece.
        let separators: Set<Character> = ["·", "•", "|", "丨", "｜", "\u{1}", "/", "／"]
        var pieces: [String] = []
        var cur = ""
        var prev: Character = " "
        for ch in text {
            if separators.contains(ch) || (ch == " " && prev == " ") {
                pieces.append(cur); cur = ""
            } else { cur.append(ch) }
            prev = ch
        }
        pieces.append(cur)
        var fields: [(Field, String)] = []
        for p in pieces {
            var piece = p.trimmingCharacters(in: .whitespaces)
            while !piece.isEmpty {
                // Find the earliest label in the piece.
                var best: (Range<String.Index>, Field)?
                for (label, field) in labels {
                    guard let range = piece.range(of: label) else { continue }
                    let after = piece[range.upperBound...].first
                    let labelled = after == ":" || after == " " || field == .author && after != nil || after == nil
                    // 文 alone is only a label as `文/` or `文:`.
                    if field == .authorSlash && !(after == ":" || (p.hasPrefix("文") && pieces.count > 1)) { continue }
                    if !labelled { continue }
                    if best == nil || range.lowerBound < best!.0.lowerBound { best = (range, field) }
                }
                guard let (range, field) = best else {
                    fields.append((.none, piece)); break
                }
                let before = piece[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
                if !before.isEmpty { fields.append((.none, before)) }
                var after = piece[range.upperBound...].drop(while: { $0 == ":" || $0 == " " })
                // The value runs to the next label, which the loop will find.
                var next = after.endIndex
                for (label, _) in labels where label.count > 1 {
                    if let lr = after.range(of: label), lr.lowerBound < next { next = lr.lowerBound }
                }
                let value = after[..<next].trimmingCharacters(in: .whitespaces)
                fields.append((field == .authorSlash ? .author : field, value))
                after = after[next...]
                piece = String(after)
            }
        }
        for (field, raw) in fields {
            let value = cleanPiece(raw)
            guard !value.isEmpty else { continue }
            switch field {
            case .source:
                if r.source == nil { setSource(value, registry: registry, into: &r) }
            case .author:
                // `作者：未知`, a template's `size="20"`: values that name nobody.
                r.authors += value.split(whereSeparator: { $0 == " " || $0 == "、" || $0 == "," || $0 == "，" }).map(String.init)
                    .filter(isPlausibleName)
            case .editor, .time, .authorSlash:
                continue
            case .none:
                if value.split(separator: " ").allSatisfy({ furniture.contains(String($0)) }) { continue }
                if let reg = registry, let s = reg.source(named: value) {
                    if r.source == nil || r.source?.id == nil { r.source = s.ref; r.sourceText = value }
                } else if looksLikeLatinPersonName(value) {
                    r.authors.append(value)  // `Jane Doe | Reuters`: outlets are in the registry, people are not
                } else if r.source == nil, looksLikeName(value) {
                    setSource(value, registry: registry, into: &r)
                }
            }
        }
    }

    static func parseEnglish(_ text: String, registry: SourceRegistry?, into r: inout Byline) {
        let parts = text.replacingOccurrences(of: " and ", with: ",").replacingOccurrences(of: " & ", with: ",")
            .split(whereSeparator: { $0 == "," || $0 == "|" || $0 == "\u{1}" || $0 == ";" })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for p in parts {
            if let s = registry?.source(named: p) {
                if r.source == nil { r.source = s.ref; r.sourceText = p }
            } else if let dash = p.range(of: " - ") ?? p.range(of: " for "), let s = registry?.source(named: String(p[dash.upperBound...])) {
                r.authors.append(String(p[..<dash.lowerBound]))
                if r.source == nil { r.source = s.ref; r.sourceText = String(p[dash.upperBound...]) }
            } else if p.first?.isUppercase == true, p.split(separator: " ").count <= 5 {
                r.authors.append(p)
            }
        }
    }

    static func setSource(_ value: String, registry: SourceRegistry?, into r: inout Byline) {
        if let s = registry?.source(named: value) {
            r.source = s.ref
        } else if let dash = value.firstIndex(where: { $0 == "-" || $0 == "_" }),
                  let s = registry?.source(named: String(value[..<dash])) {
            r.source = s.ref  // `新浪财经-自媒体综合`: the outlet before its channel
        } else {
            r.source = SourceRef(name: value)
        }
        r.sourceText = value
    }

    /// Drops bracketed remarks (`游民星空[整理]`) and stray punctuation.
    static func cleanPiece(_ s: String) -> String {
        var t = s
        for (o, c) in [("[", "]"), ("【", "】"), ("(", ")"), ("（", "）")] {
            while let a = t.range(of: o), let b = t.range(of: c, range: a.upperBound..<t.endIndex) {
                t.removeSubrange(a.lowerBound..<b.upperBound)
            }
        }
        return t.trimmingCharacters(in: CharacterSet(charactersIn: " :,，、。-–—"))
    }

    /// Two to four capitalised Latin words: `Jane Doe`, `Mary Ann van Dyke` is a stretch but passes.
    static func looksLikeLatinPersonName(_ s: String) -> Bool {
        let words = s.split(separator: " ")
        guard (2...4).contains(words.count) else { return false }
        return words.allSatisfy { w in
            guard let f = w.unicodeScalars.first, f.value < 0x250, w.first?.isUppercase == true else { return false }
            return w.allSatisfy { $0.isLetter || $0 == "." || $0 == "-" || $0 == "'" } && !w.allSatisfy(\.isUppercase)
        }
    }

    static func looksLikeName(_ s: String) -> Bool {
        guard s.count >= 2, s.count <= 24 else { return false }
        if s.allSatisfy({ $0.isNumber || $0.isPunctuation || $0 == " " }) { return false }
        return !s.contains(where: { $0 == "。" || $0 == "！" || $0 == "？" })
    }

    nonisolated(unsafe) static let datePatterns: [Regex<AnyRegexOutput>] = [
        try! Regex(#"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*(?:星期.|周.))?(?:(?:\s*|T)(?:上午|下午|晚上|凌晨)?\s*\d{1,2}\s*[:：时]\s*\d{1,2}(?:\s*[:：分]\s*\d{1,2}\s*秒?)?分?(?:\s*(?:[AaPp]\.?[Mm]\.?))?(?:\s*(?:[+-]\d{2}:?\d{2}|Z|GMT|UTC|CST))?)?"#),
        try! Regex(#"\d{1,2}月\d{1,2}日(?:\s*\d{1,2}[:：]\d{2}(?::\d{2})?)?"#),
        try! Regex(#"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}(?:,?\s+(?:at\s+)?\d{1,2}:\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s+[A-Z]{2,4})?)?"#),
        try! Regex(#"\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{4}(?:\s+\d{1,2}:\d{2}(?:\s+[A-Z]{2,4})?)?"#),
        try! Regex(#"(?:\d+\s*(?:秒|分钟|分鐘|小时|小時|天)前|刚刚|剛剛|(?:昨天|前天|今天)(?:\s*\d{1,2}:\d{2})?)"#),
        try! Regex(#"\d{2}-\d{2}\s+\d{1,2}:\d{2}"#),
    ]

    /// The first date-looking span, earliest in the text.
    static func findDate(in s: String) -> (Range<String.Index>, String)? {
        var best: Range<String.Index>?
        for p in datePatterns {
            if let m = s.firstMatch(of: p), best == nil || m.range.lowerBound < best!.lowerBound { best = m.range }
        }
        guard let r = best else { return nil }
        return (r, String(s[r]).trimmingCharacters(in: .whitespaces))
    }
}

// MARK: - Chinese credit lines

/// Who a Chinese credit names, in the order pages print them.
public enum CreditRole: Sendable, Hashable {
    /// `作者：`, `记者 X`, `文/X`, `X/文`, `执笔：`, `采写：`, `X 发表于`, `由X张贴`.
    case author
    /// `编辑：`, `责任编辑：`, `责编`: page data sets often credit them when nobody else is named.
    case editor
    /// `X 摄`, `摄影/X`, `图/X`: never the article's author.
    case photographer
    /// `来源：X` naming a person rather than an outlet (personal sites, reposted columns).
    case sourcePerson
}

public struct Credit: Sendable, Hashable {
    public var role: CreditRole
    public var names: [String]
    public init(role: CreditRole, names: [String]) {
        self.role = role
        self.names = names
    }
}

extension Byline {
    /// The credits in one line of Chinese page text, in order.
    ///
    /// Labels are found first (`作者`, `记者`, `编辑`, `摄`, ...), then the value after each
    /// is read as names. A name glued to its label (`本报记者罗科苏盈发自北京`) must start
    /// with a common surname and end at a word that closes credits (`发自`, `报道`, `/文`,
    /// a bracket); a name after a colon may be any nickname (`ggjjzhzz`, `放飞&心情`).
    /// Values that name nobody (`未知`, `网络整理`, an outlet or an office) are dropped.
    public static func chineseCredits(in text: String) -> [Credit] {
        // Every label holds one of a few Han characters: most lines are ruled out in one scan.
        guard text.unicodeScalars.contains(where: { labelScalars.contains($0.value) }) else { return [] }
        let line = Array(normalizeSpaces(text).prefix(400))
        guard line.count >= 3 else { return [] }
        var credits: [Credit] = []
        var i = 0
        var lastEnd = 0
        while i < line.count {
            guard let (label, role) = creditLabel(at: i, in: line) else { i += 1; continue }
            let labelStart = i
            var j = i + label.count
            // `作者简介`, `记者注意到`, `编辑部`: label words inside prose.
            if label == "作者" || label == "记者" || label == "编辑" {
                if j < line.count, "简部室们会团站证节".contains(line[j]) { i = j; continue }
            }
            var separated = false
            while j < line.count, [":", " ", "/", "／", "|", "｜", "丨"].contains(line[j]) { separated = true; j += 1 }
            // `X/文`, `X 摄`: the name comes before the label.
            if label == "/文" || label == "／文" || label == "摄" || label == "发表于" || label == "张贴" {
                var names: [String] = []
                if label == "张贴", let by = line[lastEnd..<labelStart].lastIndex(of: "由") {
                    names = [String(line[(by + 1)..<labelStart]).trimmingCharacters(in: .whitespaces)]
                } else {
                    names = nameBefore(labelStart, in: line, from: lastEnd)
                }
                names = names.filter(isPlausibleName)
                if label == "摄", let last = credits.last, last.role == .author,
                   names.isEmpty ? lastEnd >= labelStart - 1 : last.names.contains(where: names.contains) {
                    // `记者 张蕊 摄`: the reporter took the picture
                    credits.removeLast()
                    if names.isEmpty { names = last.names }
                }
                if !names.isEmpty {
                    credits.append(Credit(role: label == "摄" ? .photographer : .author, names: names))
                }
                i = j
                lastEnd = j
                continue
            }
            let (names, end) = namesAfter(j, in: line, separated: separated, role: role)
            if !names.isEmpty { credits.append(Credit(role: role, names: names)) }
            i = max(end, labelStart + 1)
            lastEnd = i
        }
        return credits
    }

    /// Labels, longest first at each position; `/文` and `摄` follow the name.
    private static let creditLabels: [(String, CreditRole)] = [
        ("责任编辑", .editor), ("責任編輯", .editor), ("执笔人", .author), ("執筆人", .author),
        ("特约记者", .author), ("见习记者", .author), ("实习记者", .author), ("发表于", .author), ("發表於", .author),
        ("作者", .author), ("记者", .author), ("記者", .author), ("撰文", .author), ("执笔", .author), ("執筆", .author),
        ("采写", .author), ("撰稿", .author), ("通讯员", .author), ("通訊員", .author), ("张贴", .author),
        ("责编", .editor), ("編輯", .editor), ("编辑", .editor), ("摄影", .photographer), ("攝影", .photographer),
        ("来源", .sourcePerson), ("來源", .sourcePerson),
        ("/文", .author), ("／文", .author), ("文/", .author), ("文／", .author), ("图/", .photographer), ("图／", .photographer),
        ("摄", .photographer),
    ]

    /// Scalars that occur in labels (`者` of 作者/记者, `文`, `编`, `摄`, ...), for the quick rejection.
    private static let labelScalars: Set<UInt32> = Set("者記文编編輯辑摄攝贴貼源笔筆写稿员員表图".unicodeScalars.map(\.value))
    private static let labelFirsts: Set<Character> = Set(creditLabels.compactMap { $0.0.first })
    private static let labelChars: [(String, [Character], CreditRole)] = creditLabels.map { ($0.0, Array($0.0), $0.1) }
    private static let closerChars: [[Character]] = nameClosers.map { Array($0) }

    private static func matches(_ chars: [Character], at i: Int, in line: [Character]) -> Bool {
        guard i + chars.count <= line.count else { return false }
        for k in 0..<chars.count where line[i + k] != chars[k] { return false }
        return true
    }

    private static func creditLabel(at i: Int, in line: [Character]) -> (String, CreditRole)? {
        let c = line[i]
        guard labelFirsts.contains(c) else { return nil }
        for (label, chars, role) in labelChars where chars[0] == c {
            guard matches(chars, at: i, in: line) else { continue }
            let after: Character? = i + chars.count < line.count ? line[i + chars.count] : nil
            switch label {
            case "文/", "文／", "图/", "图／":
                // Only at the start of a credit: `文/黄宇`, `【文/观察者网专栏作者 王文】`.
                if i > 0, !"　 【[（(|｜丨·".contains(line[i - 1]) { continue }
            case "摄":
                // `张三 摄`, `张三/摄`: a name, then 摄 closing the credit.
                guard i > 0, after == nil || " )）】]，,。；;".contains(after!) else { continue }
            case "张贴":
                guard i > 1, line[..<i].contains("由") else { continue }
            case "来源", "來源":
                guard after == ":" else { continue }
            default:
                break
            }
            return (label, role)
        }
        return nil
    }

    /// Words that end a glued name (`记者罗科苏盈发自北京`, `记者陈智 整合`).
    private static let nameClosers = ["发自", "報導", "报道", "电", "電", "讯", "訊", "摄", "攝", "整理", "整合", "综合", "编辑",
                                      "通讯员", "实习生", "/", "／", "采访", "制图", "图", "联合", "和", "与"]

    private static func namesAfter(_ start: Int, in line: [Character], separated: Bool, role: CreditRole) -> ([String], Int) {
        var names: [String] = []
        var i = start
        var first = true
        while i < line.count {
            // One token: up to white space, a list separator, a closing bracket or the next label.
            var token: [Character] = []
            var j = i
            while j < line.count {
                let c = line[j]
                if c == " " || "、，,；;。）)】]|｜丨(（【[“\"".contains(c) { break }
                if !token.isEmpty, creditLabel(at: j, in: line) != nil { break }
                if !token.isEmpty, closerChars.contains(where: { matches($0, at: j, in: line) }) { break }
                token.append(c)
                j += 1
            }
            var name = String(token)
            // `杨倩_NF4425`: staff codes glued to an editor's name.
            if let u = name.firstIndex(of: "_"), name[..<u].unicodeScalars.contains(where: { CJK.isHan($0.value) }) {
                name = String(name[..<u])
            }
            let glued = first && !separated
            // `采写：南都记者 X`: a word right before the next label is its outlet, not a name.
            if j < line.count, !token.isEmpty, let (next, _) = creditLabel(at: j, in: line),
               !["/文", "／文", "摄", "发表于", "张贴"].contains(next) {
                i = j
                break
            }
            let accepted: Bool
            if glued || !first {
                // No separator, or a further name in a list: it must look like a Chinese person name.
                accepted = isChinesePersonName(name)
            } else {
                accepted = isPlausibleName(name) && (role != .editor || isChinesePersonName(name))
                    && (role != .sourcePerson || isChinesePersonName(name))
            }
            guard accepted else { break }
            // `记者唐霁）`, `记者马俊峰/文`: a glued name needs something that closes the credit.
            if glued, j < line.count, !(line[j] == " " || "、）)】]/／|".contains(line[j])),
               creditLabel(at: j, in: line) == nil,
               !closerChars.contains(where: { matches($0, at: j, in: line) }) {
                break
            }
            names.append(name)
            first = false
            i = j
            // A list goes on across spaces and list commas only.
            guard i < line.count, line[i] == " " || line[i] == "、" || line[i] == "，" || line[i] == "," else { break }
            i += 1
            if role == .sourcePerson { break }
        }
        return (names, i)
    }

    /// The name just before `X/文`, `X 摄` or `X 发表于`, after any earlier credit.
    private static func nameBefore(_ end: Int, in line: [Character], from floor: Int) -> [String] {
        var j = end
        while j > floor, [" ", "/", "／"].contains(line[j - 1]) { j -= 1 }
        var k = j
        while k > floor, !(line[k - 1] == " " || "、，,：:（(【[|｜丨·」》".contains(line[k - 1])) { k -= 1 }
        var name = String(line[k..<j])
        // `河南商报记者马俊峰/文` was read by the 记者 label already; `南都记者X摄` likewise.
        if let r = name.range(of: "记者", options: .backwards) { name = String(name[r.upperBound...]) }
        guard !name.isEmpty else { return [] }
        if isChinesePersonName(name) || (name.count <= 20 && !name.unicodeScalars.contains { CJK.isHan($0.value) }) {
            return [name]
        }
        // A glued prefix (`受访者供图`): keep the trailing person name if there is one.
        let chars = Array(name)
        for length in [3, 2] where chars.count > length {
            let tail = String(chars.suffix(length))
            if isChinesePersonName(tail) { return [tail] }
        }
        return []
    }

    /// Values that name nobody: unknown, anonymous, the site itself, compilers.
    static let anonymous: Set<String> = [
        "未知", "佚名", "匿名", "不详", "网络", "網絡", "网络整理", "網絡整理", "本站", "本站原创", "本网", "本網", "综合", "綜合",
        "整理", "原创", "原創", "小编", "小編", "管理员", "管理員", "admin", "Admin", "编辑部", "全部", "转载", "轉載", "稿件",
        "网友", "網友", "投稿", "供稿", "本报", "本報", "记者", "記者", "作者", "编辑", "編輯", "来源", "來源", "null", "unknown",
        "关注", "關注", "订阅", "訂閱", "分享", "收藏", "举报", "舉報", "更多", "登录", "登錄", "注册", "返回", "首页", "评论", "評論",
    ]

    /// Word endings of outlets and offices, not people.
    static let organisationEndings = [
        "报", "報", "网", "網", "社", "台", "站", "刊", "部", "局", "办", "辦", "厅", "廳", "院", "委", "会", "會", "处", "處",
        "所", "中心", "公司", "集团", "集團", "频道", "頻道", "新闻", "新聞", "杂志", "雜誌", "周刊", "工作室", "讯", "訊", "号", "號",
        "科", "组", "組", "队", "隊", "校", "馆", "館", "省", "市", "县", "縣", "区", "區", "政府",
    ]

    /// A name-like token: not furniture, not an outlet, no sentence punctuation, not a date.
    public static func isPlausibleName(_ s: String) -> Bool {
        guard (2...24).contains(s.count), !anonymous.contains(s) else { return false }
        if s.contains(where: { "。！？：:；;《》\"“”=<>{}".contains($0) }) { return false }
        let han = s.unicodeScalars.filter { CJK.isHan($0.value) }.count
        if han > 0 {
            if han > 6 { return false }
            if organisationEndings.contains(where: { s.hasSuffix($0) }) && !isChinesePersonName(s) { return false }
        }
        if s.allSatisfy({ $0.isNumber || $0.isPunctuation || $0.isSymbol }) { return false }
        // Staff codes (`HN666`, `PK155`): letters then digits.
        if han == 0, s.contains(where: \.isNumber), s.contains(where: \.isLetter), s.count <= 8,
           s.first!.isLetter, s.last!.isNumber, s.allSatisfy({ $0.isASCII }) { return false }
        return true
    }

    /// Two to four Han characters starting with a common surname (or two-character
    /// surname), optionally with the `·` of transcribed names; no outlet or office ending.
    public static func isChinesePersonName(_ s: String) -> Bool {
        let chars = Array(s)
        if chars.contains("·") {
            let parts = s.split(separator: "·")
            return (3...12).contains(chars.count) && parts.count <= 3
                && chars.allSatisfy { $0 == "·" || $0.unicodeScalars.allSatisfy { CJK.isHan($0.value) } }
                && !parts.contains { part in part.count > 5 || organisationEndings.contains { part.hasSuffix($0) } || part.contains("新闻") }
        }
        guard (2...4).contains(chars.count),
              chars.allSatisfy({ $0.unicodeScalars.count == 1 && CJK.isHan($0.unicodeScalars.first!.value) }) else { return false }
        if anonymous.contains(s) { return false }
        let compound = chars.count >= 3 && ChineseSurnames.compound.contains(String(chars[0...1]))
        guard compound || ChineseSurnames.single.contains(chars[0]) else { return false }
        if chars.count == 4 && !compound {
            // Four characters without a compound surname: a name pair or a married name, or a phrase.
            return ChineseSurnames.single.contains(chars[2]) || ChineseSurnames.single.contains(chars[1])
        }
        return !["报", "報", "网", "網", "社", "台", "站", "部", "局", "办", "会", "會", "院", "委", "讯", "訊"].contains(String(chars.last!))
    }
}

/// Common Chinese surnames (about 250 single and the usual compound ones): enough to
/// tell `记者陈智` from `记者注意到`, which is all the credit reader asks of them.
enum ChineseSurnames {
    static let single: Set<Character> = Set(
        "王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何林高罗羅郑鄭梁谢謝宋唐许許韩韓冯馮邓鄧曹彭曾肖蕭田董潘袁蔡蒋蔣余于杜叶葉程魏苏蘇吕呂丁任卢盧姚沈钟鍾姜崔谭譚陆陸范汪廖石金韦韋贾賈夏付傅方邹鄒熊白孟秦邱侯江尹薛闫閻段雷龙龍黎史陶贺賀毛郝顾顧龚龔邵万萬覃武钱錢戴严嚴莫孔向常汤湯康易乔喬赖賴文施洪辛柯庄莊樊殷安卞聂聶章鲁魯岳齐齊温溫牛欧歐季车車伍时時凌阮上邢吉柴祝包翁焦滕甘裴游梅宁寧尚纪紀舒解左颜顏蒲涂宫宮单單符项項仇戚成华華关關鲍鮑谷霍占迟遲毕畢穆麦麥耿靳管饶饒兰蘭连連甄米芦蘆柳骆駱蓝藍桂卓全童席景隋苗师師容邬鄔奚庞龐缪繆俞陶尤詹路房刁池查籍邝鄺劳勞冉巫屈宗苟晏荣榮伏东東杭栾欒荆荊郎商卜边邊扈闵閔燕乐樂薄宿翟孙褚冷丘娄婁谌諶"
    )
    static let compound: Set<String> = [
        "欧阳", "歐陽", "司马", "司馬", "上官", "诸葛", "諸葛", "东方", "東方", "皇甫", "令狐", "慕容", "尉迟", "尉遲", "长孙", "長孫",
        "宇文", "司徒", "夏侯", "公孙", "公孫", "端木", "澹台", "申屠", "轩辕", "軒轅", "呼延", "独孤", "獨孤", "南宫", "南宮", "西门", "西門",
    ]
}
