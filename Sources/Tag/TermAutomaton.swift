import NewsText

/// One searchable form of a taxonomy term, in folded scalars, with the edge rules that
/// decide whether a hit in the text counts.
struct TermPattern: Sendable {
    var scalars: [UInt32]
    /// The left edge is a Latin letter or digit, so the text before it must not be one.
    var needsLeftBoundary: Bool
    /// Same for the right edge; false for open-ended (`*`) terms.
    var needsRightBoundary: Bool
    /// For `=` terms: the published text must equal this (after full-width folding).
    var exactCase: String?
    /// Open-ended (`*`) term ending in a letter: the hit stands for the whole word
    /// (`open source*` quotes "open-sourced", not "open-source").
    var extendsToWordEnd: Bool = false

    /// Why a written term cannot be compiled, if it cannot.
    static func problem(in written: String) -> String? {
        var body = Substring(written)
        if body.hasPrefix("=") { body = body.dropFirst() }
        if body.hasSuffix("*") { body = body.dropLast() }
        let folded = TextFolding.fold(String(body)).trimmingCharacters(in: .whitespaces)
        if folded.isEmpty { return "empty after removing '=' and '*'" }
        if body.contains("*") { return "'*' is allowed only at the end" }
        return nil
    }

    /// Every searchable form of a written term: separator variants (`open source`,
    /// `open-source`, `opensource`) and, for English words, regular plurals.
    static func expand(_ written: String) -> [TermPattern] {
        var body = Substring(written.trimmingCharacters(in: .whitespaces))
        var exact: String?
        var open = false
        if body.hasPrefix("=") {
            body = body.dropFirst()
            exact = halfWidth(String(body))
        }
        if body.hasSuffix("*") {
            body = body.dropLast()
            open = true
        }
        let folded = Array(TextFolding.fold(String(body)).unicodeScalars)
        guard !folded.isEmpty else { return [] }

        // Separator variants between Latin parts: space, hyphen or nothing.
        var variants: [[Unicode.Scalar]] = [[]]
        var separators = 0
        for (i, u) in folded.enumerated() {
            let isSeparator = (u == " " || u == "-") && i > 0 && i < folded.count - 1
                && isWordScalar(folded[i - 1]) && isWordScalar(folded[i + 1])
            if isSeparator && exact == nil && separators < 3 {
                separators += 1
                var next: [[Unicode.Scalar]] = []
                for v in variants {
                    next.append(v + [" "])
                    next.append(v + ["-"])
                    next.append(v)
                }
                variants = next
            } else {
                variants = variants.map { $0 + [u] }
            }
        }
        // Regular English plurals: chip -> chips, breach -> breaches.
        if !open, exact == nil, let last = folded.last, last.isASCII, last.properties.isAlphabetic {
            variants += variants.flatMap { [$0 + ["s"], $0 + ["e", "s"]] }
        }
        var seen = Set<[UInt32]>()
        return variants.compactMap { v in
            let scalars = v.map(\.value)
            guard seen.insert(scalars).inserted else { return nil }
            return TermPattern(
                scalars: scalars,
                needsLeftBoundary: isWordScalar(v.first!),
                needsRightBoundary: !open && isWordScalar(v.last!),
                exactCase: exact,
                extendsToWordEnd: open && isWordScalar(v.last!)
            )
        }
    }

    static func halfWidth(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if u.value >= 0xFF01 && u.value <= 0xFF5E {
                out.append(Unicode.Scalar(u.value - 0xFF01 + 0x21)!)
            } else {
                out.append(u)
            }
        }
        return String(out)
    }
}

/// Letters and digits of alphabetic scripts: where English words need a boundary.
/// CJK is deliberately not a word character, so `AI芯片` still has `AI` as a word.
@inline(__always)
func isWordScalar(_ u: Unicode.Scalar) -> Bool {
    let v = u.value
    if v < 0x80 {
        return (v >= 0x30 && v <= 0x39) || (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A)
    }
    if v >= 0xC0 && v < 0x530 { return u.properties.isAlphabetic }
    return false
}

/// `isWordScalar` on a scalar value; ASCII answers without building a `Unicode.Scalar`.
@inline(__always)
func isWordScalarValue(_ v: UInt32) -> Bool {
    if v < 0x80 {
        return (v >= 0x30 && v <= 0x39) || (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A)
    }
    if v >= 0xC0 && v < 0x530, let u = Unicode.Scalar(v) { return u.properties.isAlphabetic }
    return false
}

/// Aho-Corasick automaton over folded text that reads the text as published, as UTF-8
/// bytes: one left-to-right pass finds every occurrence of every pattern, so the work per
/// character does not grow with the number of terms.
///
/// Flat cost needs more than one pass: the memory touched per character must not grow with
/// the taxonomy either, or a large taxonomy pays in cache misses what it saved in steps.
/// Hence the layout:
/// - Folding and the alphabet are one table read: every Basic Multilingual Plane scalar maps
///   straight to its letter class, the folded scalar's index among the scalars the patterns
///   use (two shared classes stand for every other scalar, word and non-word). The automaton
///   never sees a scalar, and the text is never copied into a folded form.
/// - Root steps, by far the most frequent, read a dense per-class table, which is small
///   (a few thousand classes, not 65,536 scalars).
/// - States are numbered breadth first, so the shallow states that almost every step visits
///   sit together; each state's edges are a sorted run of one flat array.
/// - A step carries what the next step needs about its target (a 32-bit filter of the
///   target's child classes, whether it reports, whether its fail link is the root) packed
///   in one word, so the common case, a partial match that dies on the next character,
///   reads nothing but the root table.
struct TermAutomaton: Sendable {
    /// A pattern occurrence: pattern id, end in folded scalars (exclusive), and, from
    /// `scanUTF8`, end as a UTF-8 offset in the text (exclusive).
    struct Occurrence: Sendable {
        var pattern: Int32
        var end: Int32
        var endByte: Int32
    }

    /// In `sourceClass`: the scalar folds to several scalars (`İ` -> `i̇`), which the byte
    /// scan does not handle; `scanUTF8` gives up and the caller folds the text first.
    static let severalScalars: UInt32 = 0xFFFF_FFFF
    static let otherNonWord: UInt32 = 0
    static let otherWord: UInt32 = 1

    // A packed step target: state, two flags, and the filter of its child classes.
    private static let stateMask: UInt64 = 0x3FFF_FFFF
    private static let reportsBit: UInt64 = 1 << 30
    private static let failsToRootBit: UInt64 = 1 << 31

    private(set) var patternLengths: [Int32]
    /// Letter class of every BMP scalar as published (folding included).
    private var sourceClass: [UInt32]
    /// Letter class of the folded scalars that patterns use.
    private var patternScalarClass: [UInt32: UInt32]
    /// Per class: 1 when its folded scalar is a letter or digit of an alphabetic script.
    private var classIsWord: [UInt8]
    /// Per class: the packed target of the root's step (the root itself when none).
    private var rootStep: [UInt64]
    /// Per state (plus one end entry): where its edges start in `edgeClass`/`edgeTarget`.
    private var edgeStart: [Int32]
    private var edgeClass: [UInt32]
    private var edgeTarget: [UInt64]
    /// Per state: the packed fail target.
    private var failTarget: [UInt64]
    /// Per state (plus one end entry): where its own patterns start in `outputs`.
    private var outputStart: [Int32]
    /// Per state: nearest state on the fail chain with patterns of its own (-1 = none).
    private var outputLink: [Int32]
    private var outputs: [Int32]

    var classCount: Int { rootStep.count }
    var stateCount: Int { failTarget.count }

    /// Bytes held by the scan tables (the class dictionary counted at 16 bytes an entry).
    var memoryBytes: Int {
        sourceClass.count * 4 + patternScalarClass.count * 16 + classIsWord.count + rootStep.count * 8
            + edgeStart.count * 4 + edgeClass.count * 4 + edgeTarget.count * 8 + failTarget.count * 8
            + outputStart.count * 4 + outputLink.count * 4 + outputs.count * 4 + patternLengths.count * 4
    }

    /// `patterns` are folded scalar values.
    init(patterns: [[UInt32]]) {
        patternLengths = patterns.map { Int32($0.count) }

        // The alphabet: one class per distinct folded scalar the patterns use.
        var classOf: [UInt32: UInt32] = [:]
        var isWord: [UInt8] = [0, 1]
        for scalar in Set(patterns.joined()).sorted() {
            classOf[scalar] = UInt32(isWord.count)
            isWord.append(isWordScalarValue(scalar) ? 1 : 0)
        }
        patternScalarClass = classOf
        classIsWord = isWord
        var table = [UInt32](repeating: Self.otherNonWord, count: 0x10000)
        for v in 0..<UInt32(0x10000) {
            guard let u = Unicode.Scalar(v) else { continue }  // surrogates never occur in a String
            guard let f = TextFolding.foldedSingle(u) else {
                table[Int(v)] = Self.severalScalars
                continue
            }
            table[Int(v)] = classOf[f.value] ?? (isWordScalarValue(f.value) ? Self.otherWord : Self.otherNonWord)
        }
        sourceClass = table

        // The trie, built breadth first from the patterns in sorted order: the patterns
        // below a state are a contiguous range, its children the runs of equal classes at
        // its depth, so states come out numbered breadth first with sorted edges and no
        // hashing. Equal patterns keep id order, which is the order they are reported in.
        let words = patterns.map { $0.map { classOf[$0]! } }
        let order = words.indices.sorted { a, b in
            words[a] == words[b] ? a < b : words[a].lexicographicallyPrecedes(words[b])
        }
        var ranges: [(lo: Int32, hi: Int32, depth: Int32)] = [(0, Int32(order.count), 0)]
        var edgeStart: [Int32] = []
        var edgeClass: [UInt32] = []
        var edgeChild: [Int32] = []
        var outputStart: [Int32] = []
        var outputs: [Int32] = []
        var head = 0
        while head < ranges.count {
            let (lo, hi, depth) = ranges[head]
            edgeStart.append(Int32(edgeClass.count))
            outputStart.append(Int32(outputs.count))
            var k = Int(lo)
            // Patterns that end here sort first; the root keeps none (an empty pattern
            // matches nothing).
            while k < Int(hi) && words[order[k]].count == Int(depth) {
                if head != 0 { outputs.append(Int32(order[k])) }
                k += 1
            }
            while k < Int(hi) {
                let c = words[order[k]][Int(depth)]
                var e = k + 1
                while e < Int(hi) && words[order[e]][Int(depth)] == c { e += 1 }
                edgeClass.append(c)
                edgeChild.append(Int32(ranges.count))
                ranges.append((Int32(k), Int32(e), depth + 1))
                k = e
            }
            head += 1
        }
        let stateCount = ranges.count
        edgeStart.append(Int32(edgeClass.count))
        outputStart.append(Int32(outputs.count))

        // Fail and output links, breadth first (which is state order).
        var rootChild = [Int32](repeating: 0, count: isWord.count)
        for k in Int(edgeStart[0])..<Int(edgeStart[1]) { rootChild[Int(edgeClass[k])] = edgeChild[k] }
        func child(_ s: Int32, _ c: UInt32) -> Int32? {
            if s == 0 {
                let t = rootChild[Int(c)]
                return t == 0 ? nil : t
            }
            var lo = Int(edgeStart[Int(s)])
            var hi = Int(edgeStart[Int(s) + 1])
            while lo < hi {
                let mid = (lo + hi) >> 1
                if edgeClass[mid] < c { lo = mid + 1 } else { hi = mid }
            }
            return lo < Int(edgeStart[Int(s) + 1]) && edgeClass[lo] == c ? edgeChild[lo] : nil
        }
        var fail = [Int32](repeating: 0, count: stateCount)
        var outputLink = [Int32](repeating: -1, count: stateCount)
        for s in 0..<stateCount {
            for k in Int(edgeStart[s])..<Int(edgeStart[s + 1]) {
                let c = edgeClass[k]
                let t = Int(edgeChild[k])
                if s != 0 {
                    var f = fail[s]
                    while true {
                        if let next = child(f, c) {
                            fail[t] = next
                            break
                        }
                        if f == 0 { break }
                        f = fail[Int(f)]
                    }
                }
                let f = Int(fail[t])
                outputLink[t] = outputStart[f + 1] > outputStart[f] ? Int32(f) : outputLink[f]
            }
        }

        // Packed step targets.
        var packed = [UInt64](repeating: 0, count: stateCount)
        for s in 1..<max(stateCount, 1) {
            var filter: UInt32 = 0
            for k in Int(edgeStart[s])..<Int(edgeStart[s + 1]) { filter |= 1 << (edgeClass[k] & 31) }
            var p = UInt64(s) | UInt64(filter) << 32
            if outputStart[s + 1] > outputStart[s] || outputLink[s] >= 0 { p |= Self.reportsBit }
            if fail[s] == 0 { p |= Self.failsToRootBit }
            packed[s] = p
        }
        var rootStep = [UInt64](repeating: 0, count: isWord.count)
        for c in rootChild.indices where rootChild[c] != 0 { rootStep[c] = packed[Int(rootChild[c])] }
        self.rootStep = rootStep
        self.edgeStart = edgeStart
        self.edgeClass = edgeClass
        self.edgeTarget = edgeChild.map { packed[Int($0)] }
        self.failTarget = fail.map { packed[Int($0)] }
        self.outputStart = outputStart
        self.outputLink = outputLink
        self.outputs = outputs
    }

    /// Letter class of a folded scalar.
    @inline(__always)
    func classOfFolded(_ v: UInt32) -> UInt32 {
        patternScalarClass[v] ?? (isWordScalarValue(v) ? Self.otherWord : Self.otherNonWord)
    }

    /// Letter class of a scalar as published; `severalScalars` when it folds to several.
    @inline(__always)
    func classOfSource(_ v: UInt32) -> UInt32 {
        if v < 0x10000 { return sourceClass[Int(v)] }
        guard let u = Unicode.Scalar(v), let f = TextFolding.foldedSingle(u) else { return Self.severalScalars }
        return classOfFolded(f.value)
    }

    @inline(__always)
    func isWordClass(_ c: UInt32) -> Bool { c != Self.severalScalars && classIsWord[Int(c)] != 0 }

    /// The scalar at byte `i` of valid UTF-8, and its width in bytes.
    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int) {
        let b0 = UInt32(bytes[i])
        if b0 < 0x80 { return (b0, 1) }
        if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F), 2) }
        if b0 < 0xF0 {
            return ((b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F), 3)
        }
        return ((b0 & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12 | UInt32(bytes[i + 2] & 0x3F) << 6
            | UInt32(bytes[i + 3] & 0x3F), 4)
    }

    /// Start of the scalar that ends at byte `i` of valid UTF-8.
    @inline(__always)
    static func scalarStart(_ bytes: UnsafeBufferPointer<UInt8>, before i: Int) -> Int {
        var k = i - 1
        while bytes[k] & 0xC0 == 0x80 { k -= 1 }
        return k
    }

    /// Finds every occurrence in valid UTF-8 text as published, folding on the fly; with
    /// every folded scalar standing for one scalar of the text, `end` counts scalars.
    /// Returns false, with `found` incomplete, when the text holds a scalar that folds to
    /// several: then fold it first and use `scanFolded`.
    func scanUTF8(_ bytes: UnsafeBufferPointer<UInt8>, into found: inout [Occurrence]) -> Bool {
        var complete = true
        withTables { t in
            var at: UInt64 = 0
            var i = 0
            var index: Int32 = 0
            let n = bytes.count
            while i < n {
                let b0 = UInt32(bytes[i])
                let c: UInt32
                if b0 < 0x80 {
                    c = t.sourceClass[Int(b0)]
                    i += 1
                } else if b0 < 0xE0 {
                    c = t.sourceClass[Int((b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F))]
                    i += 2
                } else if b0 < 0xF0 {
                    c = t.sourceClass[Int((b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F))]
                    i += 3
                } else {
                    c = classOfSource(Self.decode(bytes, at: i).0)
                    i += 4
                }
                if c == Self.severalScalars {
                    complete = false
                    return
                }
                index += 1
                at = Self.step(at, c, t)
                if at & Self.reportsBit != 0 {
                    Self.report(Int(truncatingIfNeeded: at & Self.stateMask), t) {
                        found.append(Occurrence(pattern: $0, end: index, endByte: Int32(truncatingIfNeeded: i)))
                    }
                }
            }
        }
        return complete
    }

    /// Calls `hit(patternId, endIndex)` for every occurrence in folded scalars, `endIndex`
    /// exclusive.
    func scanFolded(_ text: UnsafeBufferPointer<UInt32>, _ hit: (Int, Int) -> Void) {
        withTables { t in
            var at: UInt64 = 0
            for i in 0..<text.count {
                at = Self.step(at, classOfFolded(text[i]), t)
                if at & Self.reportsBit != 0 {
                    Self.report(Int(truncatingIfNeeded: at & Self.stateMask), t) { hit(Int($0), i + 1) }
                }
            }
        }
    }

    /// Same, over scalars (for tests).
    func scan(_ text: [Unicode.Scalar], _ hit: (Int, Int) -> Void) {
        text.map(\.value).withUnsafeBufferPointer { scanFolded($0, hit) }
    }

    private struct Tables {
        var sourceClass: UnsafeBufferPointer<UInt32>
        var rootStep: UnsafeBufferPointer<UInt64>
        var edgeStart: UnsafeBufferPointer<Int32>
        var edgeClass: UnsafeBufferPointer<UInt32>
        var edgeTarget: UnsafeBufferPointer<UInt64>
        var failTarget: UnsafeBufferPointer<UInt64>
        var outputStart: UnsafeBufferPointer<Int32>
        var outputLink: UnsafeBufferPointer<Int32>
        var outputs: UnsafeBufferPointer<Int32>
    }

    @inline(__always)
    private func withTables(_ body: (Tables) -> Void) {
        sourceClass.withUnsafeBufferPointer { sourceClass in
        rootStep.withUnsafeBufferPointer { rootStep in
        edgeStart.withUnsafeBufferPointer { edgeStart in
        edgeClass.withUnsafeBufferPointer { edgeClass in
        edgeTarget.withUnsafeBufferPointer { edgeTarget in
        failTarget.withUnsafeBufferPointer { failTarget in
        outputStart.withUnsafeBufferPointer { outputStart in
        outputLink.withUnsafeBufferPointer { outputLink in
        outputs.withUnsafeBufferPointer { outputs in
            body(Tables(
                sourceClass: sourceClass, rootStep: rootStep, edgeStart: edgeStart, edgeClass: edgeClass,
                edgeTarget: edgeTarget, failTarget: failTarget, outputStart: outputStart,
                outputLink: outputLink, outputs: outputs))
        }}}}}}}}}
    }

    /// One transition on class `c` from packed state `at`.
    @inline(__always)
    private static func step(_ at: UInt64, _ c: UInt32, _ t: Tables) -> UInt64 {
        var at = at
        let bit: UInt32 = 1 << (c & 31)
        while true {
            let s = Int(truncatingIfNeeded: at & stateMask)
            if s == 0 { return t.rootStep[Int(c)] }
            if UInt32(truncatingIfNeeded: at >> 32) & bit != 0 {
                var lo = Int(t.edgeStart[s])
                let hi = Int(t.edgeStart[s + 1])
                if hi - lo <= 8 {
                    while lo < hi {
                        if t.edgeClass[lo] == c { return t.edgeTarget[lo] }
                        lo += 1
                    }
                } else {
                    var top = hi
                    while lo < top {
                        let mid = (lo + top) >> 1
                        if t.edgeClass[mid] < c { lo = mid + 1 } else { top = mid }
                    }
                    if lo < hi && t.edgeClass[lo] == c { return t.edgeTarget[lo] }
                }
            }
            if at & failsToRootBit != 0 { return t.rootStep[Int(c)] }
            at = t.failTarget[s]
        }
    }

    /// The patterns that end at state `s`: its own, in id order, then those along its
    /// output links, longest first.
    @inline(__always)
    private static func report(_ s: Int, _ t: Tables, _ emit: (Int32) -> Void) {
        var o = t.outputStart[s + 1] > t.outputStart[s] ? Int32(s) : t.outputLink[s]
        while o >= 0 {
            for k in Int(t.outputStart[Int(o)])..<Int(t.outputStart[Int(o) + 1]) { emit(t.outputs[k]) }
            o = t.outputLink[Int(o)]
        }
    }
}
