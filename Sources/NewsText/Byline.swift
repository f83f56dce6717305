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
                r.authors += value.split(whereSeparator: { $0 == " " || $0 == "、" || $0 == "," || $0 == "，" }).map(String.init)
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
