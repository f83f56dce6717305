/// The item ids one feed of an ad-hoc run has emitted, for dropping repeats within the run. Ids are
/// 16 hex digits of a 64-bit hash (`ItemIDHash`), so they are kept as that number: 8 bytes
/// instead of a 16-byte string, one byte too long for Swift's inline small strings and so a
/// heap allocation per item. An id of any other shape (none today) is kept as written.
struct ItemIDSet {
    private var hashes = Set<UInt64>()
    private var others = Set<String>()

    /// True when `id` was not in the set before.
    mutating func insert(_ id: String) -> Bool {
        if let value = Self.hexValue(id) { return hashes.insert(value).inserted }
        return others.insert(id).inserted
    }

    var count: Int { hashes.count + others.count }

    /// Only lower-case hex of exactly 16 digits maps to a number, so two ids that differ as
    /// strings never share one (`UInt64("00ab", radix: 16)` would also accept `"ab"`).
    private static func hexValue(_ id: String) -> UInt64? {
        var id = id
        return id.withUTF8 { bytes -> UInt64? in
            guard bytes.count == 16 else { return nil }
            var value: UInt64 = 0
            for b in bytes {
                let digit: UInt8
                switch b {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b &- UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b &- UInt8(ascii: "a") &+ 10
                default: return nil
                }
                value = value << 4 | UInt64(digit)
            }
            return value
        }
    }
}
