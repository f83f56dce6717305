import Foundation

/// The matching form of text: Traditional Chinese folded to Simplified, full-width ASCII
/// folded to half-width, letters lowercased. Topic matching and de-duplication keys run on
/// this form so that `開源`, `ＡＩ` and `Open-Source` meet `开源`, `ai` and `open-source`.
///
/// Folding is scalar-by-scalar (one source scalar never depends on its neighbours), which
/// is what lets `FoldedText` map every folded position back to the text as published.
/// The Traditional→Simplified part is ICU's `Hant-Hans` transliterator (through
/// Foundation), expanded once into a flat table: calling ICU per string would be far slower
/// than a table lookup and would lose the offsets.
public enum TextFolding {
    /// The folded form of `s`.
    public static func fold(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            appendFolded(u, to: &out)
        }
        return String(out)
    }

    /// The folded form of `s` with, for every folded scalar, the scalar of `s` it came from.
    public static func foldKeepingOffsets(_ s: String) -> FoldedText {
        let original = Array(s.unicodeScalars)
        var folded: [Unicode.Scalar] = []
        folded.reserveCapacity(original.count)
        var sourceIndex: [Int32] = []
        sourceIndex.reserveCapacity(original.count)
        var scratch = String.UnicodeScalarView()
        for (i, u) in original.enumerated() {
            if let one = foldedSingle(u) {
                folded.append(one)
                sourceIndex.append(Int32(i))
            } else {
                scratch.removeAll(keepingCapacity: true)
                appendFolded(u, to: &scratch)
                for f in scratch {
                    folded.append(f)
                    sourceIndex.append(Int32(i))
                }
            }
        }
        return FoldedText(original: original, folded: folded, sourceIndex: sourceIndex)
    }

    /// The folded form of `s` as scalar values, with, for every folded scalar, the UTF-8
    /// offset in `s` of the scalar it came from; `sourceUTF8` has one extra entry,
    /// `s.utf8.count`, so the end of any source scalar is the next larger offset.
    ///
    /// This is the matching hot path: it fills caller-owned buffers (no per-call `String`
    /// or `[Unicode.Scalar]` copy of the source) and folds Basic Multilingual Plane
    /// scalars with one table read.
    /// Returns the number of folded scalars: only that prefix of `folded` (and one more
    /// entry of `sourceUTF8`, the end offset) is meaningful; the rest is reusable room.
    @discardableResult
    public static func foldScalars(_ s: String, into folded: inout [UInt32], sourceUTF8: inout [Int32]) -> Int {
        // Each scalar takes at least one UTF-8 byte and folds to at most three scalars, so
        // 3 × bytes bounds the output: write through pointers, then trim.
        let bound = 3 * s.utf8.count + 1
        if folded.count < bound { folded.append(contentsOf: repeatElement(0, count: bound - folded.count)) }
        if sourceUTF8.count < bound {
            sourceUTF8.append(contentsOf: repeatElement(0, count: bound - sourceUTF8.count))
        }
        var written = 0
        var offset: Int32 = 0
        bmpFoldTable.withUnsafeBufferPointer { table in
        folded.withUnsafeMutableBufferPointer { out in
        sourceUTF8.withUnsafeMutableBufferPointer { src in
            for u in s.unicodeScalars {
                let v = u.value
                let f = v < 0x10000 ? table[Int(v)] : (foldedSingleUncached(u)?.value ?? multiScalarFold)
                if f != multiScalarFold {
                    out[written] = f
                    src[written] = offset
                    written += 1
                } else {
                    for m in u.properties.lowercaseMapping.unicodeScalars.prefix(3) {
                        out[written] = m.value
                        src[written] = offset
                        written += 1
                    }
                }
                offset &+= Int32(truncatingIfNeeded: UTF8.width(u))
            }
            src[written] = offset
        }}}
        return written
    }

    /// Marks, in `bmpFoldTable`, scalars whose folded form is more than one scalar.
    static let multiScalarFold: UInt32 = 0xFFFF_FFFF

    /// `foldedSingle` for every scalar below U+10000, computed once: the per-scalar
    /// property lookups (lowercase mapping) cost more than the rest of tagging.
    static let bmpFoldTable: [UInt32] = (0..<UInt32(0x10000)).map { v in
        guard let u = Unicode.Scalar(v) else { return v }  // surrogates never occur in a String
        return foldedSingleUncached(u)?.value ?? multiScalarFold
    }

    /// Folds one scalar; `nil` when its folded form is more than one scalar (rare: some
    /// non-ASCII lowercase mappings such as `İ`).
    @inline(__always)
    public static func foldedSingle(_ u: Unicode.Scalar) -> Unicode.Scalar? {
        let v = u.value
        if v < 0x80 {
            if v >= 0x41 && v <= 0x5A { return Unicode.Scalar(v + 0x20)! }
            return u
        }
        if v < 0x10000 {
            let f = bmpFoldTable[Int(v)]
            return f == multiScalarFold ? nil : Unicode.Scalar(f)
        }
        return foldedSingleUncached(u)
    }

    static func foldedSingleUncached(_ u: Unicode.Scalar) -> Unicode.Scalar? {
        let v = u.value
        if v < 0x80 {
            if v >= 0x41 && v <= 0x5A { return Unicode.Scalar(v + 0x20)! }
            return u
        }
        if v >= HantHans.lowerBound && v <= HantHans.upperBound {
            let s = HantHans.table[Int(v - HantHans.lowerBound)]
            return Unicode.Scalar(s)!
        }
        // Full-width ASCII (`ＡＩ`, `５Ｇ`) → ASCII, then lowercase.
        if v >= 0xFF01 && v <= 0xFF5E {
            let a = v - 0xFF01 + 0x21
            if a >= 0x41 && a <= 0x5A { return Unicode.Scalar(a + 0x20)! }
            return Unicode.Scalar(a)!
        }
        switch v {
        case 0x3000, 0x00A0, 0x2002...0x200A, 0x202F, 0x205F:
            return " "  // ideographic, no-break and typographic spaces
        case 0x2010, 0x2011, 0x2012, 0x2212, 0xFE63:
            return "-"  // hyphen variants, so `open‑source` meets `open-source`
        case 0x2018, 0x2019, 0x02BC:
            return "'"  // apostrophes, for possessives and contractions
        default:
            break
        }
        let props = u.properties
        if props.changesWhenLowercased {
            let lower = props.lowercaseMapping.unicodeScalars
            if lower.count == 1 { return lower.first! }
            return nil
        }
        return u
    }

    @inline(__always)
    static func appendFolded(_ u: Unicode.Scalar, to out: inout String.UnicodeScalarView) {
        if let one = foldedSingle(u) {
            out.append(one)
        } else {
            out.append(contentsOf: u.properties.lowercaseMapping.unicodeScalars)
        }
    }
}

/// Text in its folded form that remembers where each folded scalar came from, so that
/// evidence can quote the text as published (`開源`, `ＡＩ`) rather than its folded form.
public struct FoldedText: Sendable {
    /// The scalars of the text as given.
    public let original: [Unicode.Scalar]
    /// The folded scalars.
    public let folded: [Unicode.Scalar]
    /// For each folded scalar, the index in `original` of the scalar it came from.
    public let sourceIndex: [Int32]

    /// The folded text as a string.
    public var foldedString: String {
        var v = String.UnicodeScalarView()
        v.append(contentsOf: folded)
        return String(v)
    }

    /// The published text behind the folded scalars `range` (indices into `folded`).
    public func originalText(forFolded range: Range<Int>) -> String {
        guard !range.isEmpty, range.lowerBound >= 0, range.upperBound <= folded.count else { return "" }
        let start = Int(sourceIndex[range.lowerBound])
        let end = Int(sourceIndex[range.upperBound - 1]) + 1
        var v = String.UnicodeScalarView()
        v.append(contentsOf: original[start..<end])
        return String(v)
    }
}

/// ICU's Traditional→Simplified mapping for the CJK blocks where the two scripts differ
/// (Extension A, the Unified Ideographs and the compatibility ideographs), expanded once
/// into a flat table indexed by code point.
///
/// The mapping is ICU's `Hant-Hans` transliteration, generated into `HantHans+Pairs.swift`
/// by `scripts/gen-hant-hans.swift` rather than asked of ICU at each start, where the
/// transliterator cost about 40 ms and 6.5 MB of peak resident size.
/// `HantHansTests` holds the pairs to the ICU the tests run with.
enum HantHans {
    static let lowerBound: UInt32 = 0x3400
    static let upperBound: UInt32 = 0xFAFF

    static let table: [UInt32] = build()

    private static func build() -> [UInt32] {
        var table = (lowerBound...upperBound).map { $0 }
        for (traditional, simplified) in mappings() {
            table[Int(traditional - lowerBound)] = simplified
        }
        return table
    }

    /// The generated pairs as (Traditional, Simplified) scalar values.
    static func mappings() -> [(UInt32, UInt32)] {
        var out: [(UInt32, UInt32)] = []
        out.reserveCapacity(3_200)
        var pending: UInt32?
        for u in pairs.unicodeScalars where !u.properties.isWhitespace {
            if let t = pending {
                out.append((t, u.value))
                pending = nil
            } else {
                pending = u.value
            }
        }
        return out
    }
}
