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

/// Aho-Corasick automaton over folded Unicode scalars: one left-to-right pass over the
/// text finds every occurrence of every pattern, so the cost does not grow with the
/// number of terms (only with the text and the number of hits).
struct TermAutomaton: Sendable {
    /// (state << 32 | scalar) -> next state; a hash map because the alphabet is all of
    /// Unicode and most states have one or two children.
    private var transitions: [UInt64: Int32] = [:]
    /// Root transitions for ASCII, the hottest lookups, as a flat table (-1 = none).
    private var rootASCII = [Int32](repeating: -1, count: 128)
    private var fail: [Int32] = [0]
    /// Patterns ending exactly at each state.
    private var outputs: [[Int32]] = [[]]
    /// Nearest state on the fail chain with outputs (-1 = none), so matching visits only
    /// states that report something.
    private var outputLink: [Int32] = [-1]
    private(set) var patternLengths: [Int32] = []

    init(patterns: [[UInt32]]) {
        for (id, p) in patterns.enumerated() {
            var state: Int32 = 0
            for c in p {
                let key = UInt64(UInt32(state)) << 32 | UInt64(c)
                if let next = transitions[key] {
                    state = next
                } else {
                    let next = Int32(fail.count)
                    fail.append(0)
                    outputs.append([])
                    outputLink.append(-1)
                    transitions[key] = next
                    if state == 0 && c < 128 { rootASCII[Int(c)] = next }
                    state = next
                }
            }
            outputs[Int(state)].append(Int32(id))
            patternLengths.append(Int32(p.count))
        }
        buildFailLinks()
    }

    private mutating func buildFailLinks() {
        var children = [[(UInt32, Int32)]](repeating: [], count: fail.count)
        for (key, next) in transitions {
            children[Int(key >> 32)].append((UInt32(truncatingIfNeeded: key), next))
        }
        var queue: [Int32] = []
        var head = 0
        for (_, child) in children[0] {
            fail[Int(child)] = 0
            queue.append(child)
        }
        while head < queue.count {
            let state = queue[head]
            head += 1
            for (c, child) in children[Int(state)] {
                var f = fail[Int(state)]
                while true {
                    if let next = step(f, c), next != child {
                        fail[Int(child)] = next
                        break
                    }
                    if f == 0 {
                        fail[Int(child)] = 0
                        break
                    }
                    f = fail[Int(f)]
                }
                let target = fail[Int(child)]
                outputLink[Int(child)] = outputs[Int(target)].isEmpty ? outputLink[Int(target)] : target
                queue.append(child)
            }
        }
    }

    @inline(__always)
    private func step(_ state: Int32, _ c: UInt32) -> Int32? {
        if state == 0 && c < 128 {
            let n = rootASCII[Int(c)]
            return n < 0 ? nil : n
        }
        return transitions[UInt64(UInt32(state)) << 32 | UInt64(c)]
    }

    /// Calls `hit(patternId, endIndex)` for every occurrence, `endIndex` exclusive.
    @inline(__always)
    func scan(_ text: [Unicode.Scalar], _ hit: (Int, Int) -> Void) {
        var state: Int32 = 0
        for (i, u) in text.enumerated() {
            let c = u.value
            while true {
                if let next = step(state, c) {
                    state = next
                    break
                }
                if state == 0 { break }
                state = fail[Int(state)]
            }
            var s = outputs[Int(state)].isEmpty ? outputLink[Int(state)] : state
            while s >= 0 {
                for id in outputs[Int(s)] { hit(Int(id), i + 1) }
                s = outputLink[Int(s)]
            }
        }
    }
}
