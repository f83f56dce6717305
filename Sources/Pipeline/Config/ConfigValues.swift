import Foundation

/// Human-friendly durations used throughout pipeline files: `90s`, `15m`, `1h30m`, `2d`,
/// `500ms`. A bare number means seconds.
public enum ConfigDuration {
    /// Seconds, or `nil` when the text is not a duration. Negative durations are refused.
    public static func parse(_ text: String) -> TimeInterval? {
        let s = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !s.isEmpty else { return nil }
        if let plain = Double(s) { return plain >= 0 && plain.isFinite ? plain : nil }
        var total: TimeInterval = 0
        var rest = Substring(s)
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isASCII && $0.isLetter }
            guard !unit.isEmpty else { return nil }
            rest = rest.dropFirst(unit.count)
            switch unit {
            case "ms": total += value / 1000
            case "s", "sec", "secs": total += value
            case "m", "min", "mins": total += value * 60
            case "h", "hr", "hrs": total += value * 3600
            case "d", "day", "days": total += value * 86_400
            default: return nil
            }
        }
        return total
    }

    /// The shortest exact spelling, e.g. `5400` -> `1h30m`; used by exports and messages.
    public static func format(_ seconds: TimeInterval) -> String {
        if seconds != seconds.rounded() || seconds < 1 {
            let ms = (seconds * 1000).rounded()
            return ms == ms.rounded() && seconds < 1 ? "\(Int(ms))ms" : "\(seconds)s"
        }
        var rest = Int(seconds)
        var out = ""
        for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] where rest >= size {
            out += "\(rest / size)\(unit)"
            rest %= size
        }
        return out.isEmpty ? "0s" : out
    }
}

/// Byte sizes: `20MB`, `512KiB`, `1GB`, or a bare number of bytes. KB/MB/GB are decimal
/// (as libcurl and disk vendors count), KiB/MiB/GiB binary.
public enum ConfigByteSize {
    public static func parse(_ text: String) -> Int? {
        let s = text.trimmingCharacters(in: .whitespaces)
        guard !s.isEmpty else { return nil }
        let number = s.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        guard !number.isEmpty, let value = Double(number) else { return nil }
        let unit = s.dropFirst(number.count).trimmingCharacters(in: .whitespaces).lowercased()
        let factor: Double
        switch unit {
        case "", "b": factor = 1
        case "k", "kb": factor = 1e3
        case "m", "mb": factor = 1e6
        case "g", "gb": factor = 1e9
        case "kib": factor = 1024
        case "mib": factor = 1_048_576
        case "gib": factor = 1_073_741_824
        default: return nil
        }
        let bytes = value * factor
        guard bytes.isFinite, bytes < Double(Int.max) else { return nil }
        return Int(bytes.rounded())
    }
}

/// "Did you mean" for misspelt keys and values: the closest candidate within a small edit
/// distance, so a suggestion is offered only when it is likely to be what was meant.
enum Suggestion {
    static func closest(to word: String, in candidates: [String]) -> String? {
        let target = Array(word.lowercased())
        var best: (String, Int)?
        for candidate in candidates {
            let d = distance(target, Array(candidate.lowercased()))
            if d < (best?.1 ?? Int.max) { best = (candidate, d) }
        }
        guard let (candidate, d) = best else { return nil }
        let limit = max(2, min(target.count, candidate.count) / 3)
        return d <= limit ? candidate : nil
    }

    static func hint(for word: String, in candidates: [String]) -> String {
        closest(to: word, in: candidates).map { " (did you mean '\($0)'?)" } ?? ""
    }

    /// Damerau-style edit distance (adjacent transpositions count as one edit).
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev2 = [Int](repeating: 0, count: b.count + 1)
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    cur[j] = min(cur[j], prev2[j - 2] + 1)
                }
            }
            (prev2, prev, cur) = (prev, cur, prev2)
        }
        return prev[b.count]
    }
}

/// Checks for the value kinds feed lists share with pipeline files.
enum ConfigChecks {
    /// `text` without leading and trailing spaces and tabs, as `trimmingCharacters(in:
    /// .whitespaces)` gives it. That call bridges to `NSString` on Linux and was the largest
    /// cost of reading a 2,000-entry feed list, so the usual case (nothing to trim) is
    /// answered from the first and last scalars alone.
    static func trimmed(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return text }
        let space = CharacterSet.whitespaces
        if !space.contains(first) && !space.contains(last) { return text }
        return text.trimmingCharacters(in: space)
    }

    /// Whether `text` holds any white space (as `Character.isWhitespace`), with a byte scan
    /// for ASCII text.
    static func containsWhitespace(_ text: String) -> Bool {
        var ascii = true
        for byte in text.utf8 {
            if byte >= 0x80 { ascii = false; break }
            if byte == 0x20 || (0x09...0x0D).contains(byte) { return true }
        }
        return ascii ? false : text.contains(where: { $0.isWhitespace })
    }

    /// IANA zone names (plus `UTC`); abbreviations such as `CST` are refused because they are
    /// ambiguous (China, US Central, Cuba) — the very trap the date parser has to avoid.
    static func isTimeZone(_ name: String) -> Bool {
        if name == "UTC" || name == "GMT" { return true }
        guard name.contains("/"), TimeZone(identifier: name) != nil else { return false }
        return true
    }

    /// Why `name` was refused and what to write instead.
    static func timeZoneMessage(_ name: String) -> String {
        guard name.contains("/") else {
            return "unknown time zone '\(name)' (abbreviations and offsets are ambiguous; use an IANA name such as Asia/Shanghai or UTC)"
        }
        return "unknown time zone '\(name)' (use an IANA name such as Asia/Shanghai or UTC)"
            + Suggestion.hint(for: name, in: TimeZone.knownTimeZoneIdentifiers)
    }

    /// BCP 47 shape only (`zh-Hans`, `en`, `zh-cn`): the tag's content is the feed's business.
    static func isLanguageTag(_ tag: String) -> Bool {
        let parts = tag.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count),
              first.allSatisfy({ $0.isASCII && $0.isLetter }) else { return false }
        return parts.dropFirst().allSatisfy { p in
            (1...8).contains(p.count) && p.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        }
    }

    /// The scheme of `text` when it has one (`http`, `file`, `htp`), lower-cased.
    static func scheme(of text: String) -> String? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let scheme = text[..<colon]
        guard let first = scheme.first, first.isASCII, first.isLetter, scheme.count > 1,
              scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
        else { return nil }
        return scheme.lowercased()
    }
}
