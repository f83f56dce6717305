import Foundation
import NewsText

/// The white-space rules of `paragraphs`, `cleanLine` and `clean`, run over UTF-8 bytes.
///
/// Every item passes its summary, content, headline, names and categories through these
/// rules, and almost all of that text is already clean: walking it scalar by scalar into a
/// new `String` cost more than the rest of normalization. Here verbatim stretches are
/// copied in one go, and text that needs no change comes back as the same `String`
/// (no allocation). The rules are exactly those of the scalar versions kept beside them
/// (`HeadlineNormalizer.cleanScalars` and friends), which the tests compare against.
enum TextCollapse {
    enum Mode {
        /// Line breaks (LF, CR, VT, FF, U+2028, U+2029) kept as one `\n` between paragraphs.
        case paragraphs
        /// Every run of white space one space.
        case line
        /// `line` plus full-width ASCII letters and digits folded to half-width; gives up
        /// (nil) when NFC could change the text (`HeadlineNormalizer.needsNFC`).
        case headline
    }

    /// The collapsed text; `nil` only in `.headline` mode when the caller must take the NFC
    /// path. May be empty.
    @inline(__always)
    static func collapse(_ text: String, _ mode: Mode) -> String? {
        var bytes = text
        if mode == .headline { return bytes.withUTF8 { collapse(text, $0, mode) } }
        return bytes.withUTF8 { buf -> String in
            guard let p = buf.baseAddress, !buf.isEmpty else { return text }
            let n = buf.count
            // Text that is one kept stretch needs no copy to find that out.
            if isUnchanged(p, n, paragraphs: mode == .paragraphs) { return text }
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: n) { tmp -> String in
                let out = tmp.baseAddress!
                let length = collapseLine(p, n, paragraphs: mode == .paragraphs, into: out)
                // Text that needs no change comes back as the same `String`.
                if length == n && memcmp(out, p, n) == 0 { return text }
                return String(decoding: UnsafeBufferPointer(start: out, count: length), as: UTF8.self)
            }
        }
    }

    /// The `.paragraphs` and `.line` rules written straight into `out` (at least `n` bytes:
    /// the result is never longer, as every separator written stands for at least one
    /// dropped byte); returns the length written. One loop over local state, no closures
    /// and no growing array: the state stays in registers, and kept runs are copied whole.
    static func collapseLine(_ p: UnsafePointer<UInt8>, _ n: Int, paragraphs: Bool,
                             into out: UnsafeMutablePointer<UInt8>) -> Int {
        var i = 0, o = 0
        var emitted = false, pendingSpace = false, pendingBreak = false
        while i < n {
            let end = keptStretchEnd(p, i, n, paragraphs: paragraphs)
            if end > i {
                // A kept stretch: the separator its gap stands for, then its bytes.
                if emitted {
                    if pendingBreak { out[o] = 0x0A; o += 1 } else if pendingSpace { out[o] = 0x20; o += 1 }
                }
                emitted = true
                pendingSpace = false
                pendingBreak = false
                (out + o).update(from: p + i, count: end - i)
                o += end - i
                i = end
                continue
            }
            // One dropped scalar: white space, a line break, a control or an invisible one.
            let b = p[i]
            if b < 0x80 {
                if paragraphs && (b == 0x0A || b == 0x0D || b == 0x0B || b == 0x0C) {
                    pendingBreak = true
                } else {
                    pendingSpace = true
                }
                i += 1
                continue
            }
            let (v, len) = UTF8Scalars.decodeMultibyte(p, i)
            i += len
            if paragraphs && (v == 0x2028 || v == 0x2029) { pendingBreak = true; continue }
            if HeadlineNormalizer.isInvisible(v) { continue }
            pendingSpace = true
        }
        return o
    }


    /// Whether the rules leave the text as it is: `keptStretchEnd(p, 0, n) == n`, checked
    /// eight bytes at a time. A block passes when it holds no control byte, no DEL, no two
    /// separators in a row (nor one at the start), and no lead byte of a scalar the rules
    /// drop: those are all under lead bytes C2 (C1 controls, NBSP, soft hyphen), E1 (U+1680,
    /// U+180E), E2 (U+2000…U+206F), E3 (U+3000) and EF (U+FEFF). Other multi-byte scalars,
    /// Han above all, are kept whole, so their bytes need no decoding. Where a block fails,
    /// one scalar is judged on its own and the blocks resume after it: Chinese text breaks
    /// a block at most of its punctuation, and a scalar-by-scalar loop over the rest
    /// cost more than all the other paragraph rules.
    static func isUnchanged(_ p: UnsafePointer<UInt8>, _ n: Int, paragraphs: Bool) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        /// High bit of each byte of `x` that equals `c`, exactly.
        @inline(__always) func equal(_ x: UInt64, _ c: UInt64) -> UInt64 {
            let y = x ^ (ones &* c)
            return ~(((y & lows) &+ lows) | y) & highs
        }
        let raw = UnsafeRawPointer(p)
        var j = 0
        // A separator (space, or line feed in paragraphs) just before `j`; true at the start,
        // where one is leading white space, which the rules drop.
        var afterSeparator = true
        while true {
            while j + 8 <= n {
                let x = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: j, as: UInt64.self))
                if x & highs != 0 {
                    if (equal(x, 0xC2) | equal(x, 0xE1)) != 0 { break }
                    let e2 = equal(x, 0xE2), e3 = equal(x, 0xE3), ef = equal(x, 0xEF)
                    if (e2 | e3 | ef) != 0 {
                        // Chinese punctuation (U+3001…, U+FF0C…) and the quotes, dashes and
                        // ellipsis of U+2010…U+2027 share these lead bytes with dropped
                        // scalars; with the two bytes after each lead at hand, only a lead of
                        // U+3000 (E3 80 80), U+FEFF's row (EF BB) or an E2 outside E2 80
                        // 90…A7 stops the block.
                        guard j + 10 <= n else { break }
                        let x1 = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: j + 1, as: UInt64.self))
                        let x2 = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: j + 2, as: UInt64.self))
                        let second80 = equal(x1, 0x80)
                        // Third byte in 0x90…0xA7: its low seven bits in 0x10…0x27.
                        let t = (x2 & lows) | highs
                        let inRange = (t &- ones &* 0x10) & ~(t &- ones &* 0x28) & highs
                        let stops = (e3 & second80 & equal(x2, 0x80)) | (ef & equal(x1, 0xBB))
                            | (e2 & ~(second80 & inRange))
                        if stops & highs != 0 { break }
                    }
                }
                let newline = paragraphs ? equal(x, 0x0A) : 0
                let separator = equal(x, 0x20) | newline
                // Line feeds read as letters for the control test (a high bit in `low` marks
                // some byte below 0x20: a borrow starts only at such a byte, and bytes from
                // 0x80 up never flag); DEL is a control too.
                let plain = x ^ ((newline >> 7) &* (0x0A ^ 0x41))
                let low = (plain &- ones &* 0x20) & ~plain & highs
                if low != 0 || equal(x, 0x7F) != 0 { break }
                // Two separators in a row, here or across the previous eight bytes, collapse.
                if separator & (separator << 8) != 0 || (afterSeparator && separator & 0x80 != 0) { break }
                afterSeparator = separator >> 63 != 0
                j += 8
            }
            if j >= n { return !afterSeparator }
            // A block may end inside a scalar: judge the scalar from its lead byte (already
            // passed, so not a separator: `afterSeparator` stays as it is).
            while p[j] & 0xC0 == 0x80 { j -= 1 }
            let b = p[j]
            if b < 0x80 {
                if b == 0x20 || (paragraphs && b == 0x0A) {
                    if afterSeparator { return false }
                    afterSeparator = true
                } else if b <= 0x20 || b == 0x7F {
                    return false
                } else {
                    afterSeparator = false
                }
                j += 1
                continue
            }
            let (v, len) = UTF8Scalars.decodeMultibyte(p, j)
            if v < 0xA0 || HeadlineNormalizer.isInvisible(v) || isNonASCIIWhiteSpace(v) { return false }
            afterSeparator = false
            j += len
        }
    }

    /// `keptRunEnd`, carried on across single spaces between kept scalars (and, for
    /// `paragraphs`, single line feeds): a lone space between words, or a lone line feed
    /// between paragraphs, is the separator the rules would write there anyway, so prose
    /// is one stretch, copied in one go, not a copy per word.
    @inline(__always)
    static func keptStretchEnd(_ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int, paragraphs: Bool) -> Int {
        var end = keptRunEnd(p, start, n)
        guard end > start else { return end }
        while end + 1 < n && (p[end] == 0x20 || (paragraphs && p[end] == 0x0A)) {
            let next = keptRunEnd(p, end + 1, n)
            if next == end + 1 { break }
            end = next
        }
        return end
    }

    /// The end of the run of kept scalars (neither white space, control nor invisible, in
    /// `.paragraphs` and `.line` modes alike) that starts at `i`; `i` when none does.
    /// Printable ASCII, Han and the three-byte blocks from U+3000 up (CJK punctuation,
    /// kana, Hangul, full-width forms) are kept on their lead byte alone, but for U+3000
    /// (white space) and U+FEFF (invisible).
    @inline(__always)
    static func keptRunEnd(_ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int) -> Int {
        var j = start
        while j < n {
            let b = p[j]
            if b < 0x80 {
                if b <= 0x20 || b == 0x7F { return j }
                j = skipPrintableASCII(p, j + 1, n)
                continue
            }
            if b >= 0xE3 && b <= 0xEF {
                if b == 0xE3 && p[j + 1] == 0x80 && p[j + 2] == 0x80 { return j }  // U+3000
                if b == 0xEF && p[j + 1] == 0xBB && p[j + 2] == 0xBF { return j }  // U+FEFF
                j += 3
                continue
            }
            let (v, len) = UTF8Scalars.decodeMultibyte(p, j)
            if v < 0xA0 || HeadlineNormalizer.isInvisible(v) || isNonASCIIWhiteSpace(v) { return j }
            j += len
        }
        return j
    }

    /// The index of the first byte at or after `start` that is not printable ASCII
    /// (0x21...0x7E), or `n`; eight bytes at a time while they all are.
    @inline(__always)
    static func skipPrintableASCII(_ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int) -> Int {
        var j = start
        let raw = UnsafeRawPointer(p)
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        while j + 8 <= n {
            let x = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: j, as: UInt64.self))
            // A high bit set in `low` marks some byte below 0x21 (exact for bytes below
            // 0x80); in `high`, some byte above 0x7E.
            let low = (x &- ones &* 0x21) & ~x & highs
            let high = ((x &+ ones &* (0x7F - 0x7E)) | x) & highs
            if low | high != 0 { break }
            j += 8
        }
        while j < n && p[j] > 0x20 && p[j] < 0x7F { j += 1 }
        return j
    }

    // The original is passed along so that unchanged text is returned without a copy.
    private static func collapse(_ original: String, _ buf: UnsafeBufferPointer<UInt8>, _ mode: Mode) -> String? {
        guard let p = buf.baseAddress, !buf.isEmpty else { return original }
        let n = buf.count
        var out: [UInt8] = []
        var copying = false  // whether `out` is in use (the text changed)
        var runStart = 0  // start of the verbatim stretch not yet copied
        var gapStart = -1  // start of the current run of dropped scalars, -1 when none
        var emitted = false
        var pendingSpace = false, pendingBreak = false

        @inline(__always) func flush(_ to: Int) {
            if !copying {
                copying = true
                out.reserveCapacity(n)
            }
            if to > runStart { out.append(contentsOf: UnsafeBufferPointer(start: p + runStart, count: to - runStart)) }
        }

        /// Closes the gap before a kept scalar at `i`: the separator it stands for is either
        /// exactly the bytes already there (nothing to do) or written out.
        @inline(__always) func closeGap(_ i: Int) {
            let sep: UInt8 = !emitted ? 0 : pendingBreak ? 0x0A : pendingSpace ? 0x20 : 0
            if !(sep != 0 && i - gapStart == 1 && p[gapStart] == sep) {
                flush(gapStart)
                if sep != 0 { out.append(sep) }
                runStart = i
            }
            gapStart = -1
            pendingSpace = false
            pendingBreak = false
        }

        var i = 0
        while i < n {
            let b = p[i]
            if b < 0x80 {
                if b <= 0x20 || b == 0x7F {
                    if gapStart < 0 { gapStart = i }
                    if mode == .paragraphs && (b == 0x0A || b == 0x0D || b == 0x0B || b == 0x0C) {
                        pendingBreak = true
                    } else {
                        pendingSpace = true
                    }
                    i += 1
                    continue
                }
                if gapStart >= 0 { closeGap(i) }
                emitted = true
                // The rest of a word: printable ASCII needs nothing but skipping. A local
                // index stays in a register (`i` is captured by the helpers above).
                i = skipPrintableASCII(p, i + 1, n)
                continue
            }
            // Han in the Unified Ideographs block (lead bytes E4–E9: U+4000–U+9FFF) is never
            // white space, invisible, width-folded or changed by NFC.
            if b >= 0xE4 && b <= 0xE9 {
                if gapStart >= 0 { closeGap(i) }
                emitted = true
                var j = i + 3
                while j < n && p[j] >= 0xE4 && p[j] <= 0xE9 { j += 3 }
                i = j
                continue
            }
            let (v, len) = UTF8Scalars.decodeMultibyte(p, i)
            if mode == .headline && v >= 0x300 && HeadlineNormalizer.mayNeedNFC(v) { return nil }
            if mode == .paragraphs && (v == 0x2028 || v == 0x2029) {
                if gapStart < 0 { gapStart = i }
                pendingBreak = true
                i += len
                continue
            }
            if HeadlineNormalizer.isInvisible(v) {
                if gapStart < 0 { gapStart = i }
                i += len
                continue
            }
            if v < 0xA0 || isNonASCIIWhiteSpace(v) {
                if gapStart < 0 { gapStart = i }
                pendingSpace = true
                i += len
                continue
            }
            if gapStart >= 0 { closeGap(i) }
            emitted = true
            if mode == .headline && v >= 0xFF10 && v <= 0xFF5A
                && (v <= 0xFF19 || (v >= 0xFF21 && v <= 0xFF3A) || v >= 0xFF41) {
                flush(i)
                out.append(UInt8(truncatingIfNeeded: v - 0xFEE0))
                runStart = i + len
            }
            i += len
        }
        let end = gapStart >= 0 ? gapStart : n
        if !copying {
            if runStart == 0 && end == n { return original }
            return String(decoding: UnsafeBufferPointer(start: p + runStart, count: end - runStart), as: UTF8.self)
        }
        flush(end)
        return String(decoding: out, as: UTF8.self)
    }
}
