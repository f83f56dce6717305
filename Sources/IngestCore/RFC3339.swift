import Foundation

/// RFC 3339 formatting without Foundation's formatter objects: the emitter calls this
/// for every record, and `ISO8601DateFormatter` is neither cheap nor `Sendable`.
public enum RFC3339 {
    /// `2025-11-06T18:25:00Z`; fractional seconds only when present.
    public static func utc(_ date: Date) -> String {
        format(date, offsetSeconds: 0)
    }

    /// `2025-11-07T02:25:00+08:00`.
    public static func local(_ date: Date, offsetSeconds: Int) -> String {
        format(date, offsetSeconds: offsetSeconds)
    }

    public static func format(_ date: Date, offsetSeconds: Int) -> String {
        let t = date.timeIntervalSince1970 + Double(offsetSeconds)
        var secs = Int64(t.rounded(.down))
        var millis = Int((t - Double(secs)) * 1000 + 0.5)
        if millis >= 1000 { secs += 1; millis -= 1000 }
        let days = floorDiv(secs, 86_400)
        let rem = Int(secs - days * 86_400)
        let (y, m, d) = civilFromDays(days)
        var out = pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2) + "T"
        out += pad(rem / 3600, 2) + ":" + pad(rem % 3600 / 60, 2) + ":" + pad(rem % 60, 2)
        if millis != 0 { out += "." + pad(millis, 3) }
        if offsetSeconds == 0 { return out + "Z" }
        let sign = offsetSeconds < 0 ? "-" : "+"
        let a = abs(offsetSeconds)
        return out + sign + pad(a / 3600, 2) + ":" + pad(a % 3600 / 60, 2)
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func daysFromCivil(_ y: Int, _ m: Int, _ d: Int) -> Int64 {
        let y = Int64(m <= 2 ? y - 1 : y)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64((m + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(d) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func civilFromDays(_ z0: Int64) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
