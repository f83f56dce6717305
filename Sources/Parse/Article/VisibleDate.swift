import Foundation

/// Finds a printed date (and time) in visible text, so the byline line can be picked
/// out. Reading the date is NewsText's job; this only locates it.
enum VisibleDate {
    private static let patterns: [NSRegularExpression] = [
        // 2019-09-07 13:43:45, 2019年11月25日 18:57, 2005/5/7 21:23, 2022.02.06; a printed zone
        // stays with its time (2014-11-23T16:00:00+04:00, 13:43 +0800, 09:30 UTC), or the time
        // would be read in the page's zone. `Z` must stand alone: "12:00 Zhang" is a name.
        #"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*(?:T|\s)?\s*\d{1,2}\s*[:：时]\s*\d{1,2}(?:\s*[:：分]\s*\d{1,2})?(?:\.\d{1,6})?(?:\s*(?:[+-]\d{2}:?\d{2}\b|Z\b|(?:UTC|GMT)(?:[+-]\d{1,2}(?::?\d{2})?)?\b))?)?"#,
        // 7/5/2005 9:23:57 PM (US-style forum and blog stamps)
        #"\b\d{1,2}/\d{1,2}/(?:19|20)\d{2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?)?"#,
        // Nov 7, 2025 2:25 PM / November 7, 2025
        #"(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+(?:19|20)\d{2}(?:,?\s+(?:at\s+)?\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?)?"#,
        // 7 November 2025 14:25
        #"\d{1,2}\s+(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(?:19|20)\d{2}(?:,?\s+\d{1,2}:\d{2})?"#,
    ].map { try! NSRegularExpression(pattern: $0) }

    static func find(in text: String) -> String? {
        let range = NSRange(text.startIndex..., in: text)
        for regex in patterns {
            if let m = regex.firstMatch(in: text, range: range), let r = Range(m.range, in: text) {
                return text[r].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// Year, month and day digits of a printed or ISO date.
    static func day(_ s: String) -> [Int]? {
        var numbers: [Int] = []
        var current = ""
        for ch in s {
            if ch.isASCII && ch.isNumber { current.append(ch) } else if !current.isEmpty {
                numbers.append(Int(current.prefix(9)) ?? 0); current = ""
                if numbers.count == 3 { break }
            }
        }
        if !current.isEmpty && numbers.count < 3 { numbers.append(Int(current.prefix(9)) ?? 0) }
        guard numbers.count >= 3, numbers[0] > 1900 else { return nil }
        return Array(numbers.prefix(3))
    }

    static func sameDay(_ a: String, _ b: String) -> Bool {
        guard let x = day(a), let y = day(b) else { return false }
        return x == y
    }
}
