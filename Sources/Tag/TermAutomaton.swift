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

/// Aho-Corasick automaton over folded Unicode scalars: one left-to-right pass over the
/// text finds every occurrence of every pattern, so the work per character does not grow
/// with the number of terms.
///
/// The layout also keeps the memory touched per character independent of the taxonomy
/// size, which is what makes the cost flat in practice. Each edge carries what the scan
/// needs about its target (a 16-bit filter of the target's children, whether it reports
/// anything, whether its fail link is the root), so the common case, a partial match that
/// dies on the next character, never reads the state table. Root steps use a dense table
/// for the Basic Multilingual Plane; branching states keep their edges sorted by scalar in
/// one flat array (no hashing per character); only astral root steps use a hash map.
struct TermAutomaton: Sendable {
    struct Edge: Sendable {
        var next: Int32 = -1
        /// Bit (scalar % 16) set for each child of `next`.
        var childFilter: UInt16 = 0
        var flags: UInt16 = 0
        static let reports: UInt16 = 1
        static let failsToRoot: UInt16 = 2
    }

    struct State: Sendable {
        var fail: Int32 = 0
        /// Nearest state on the fail chain with outputs (-1 = none).
        var outputLink: Int32 = -1
        var outputStart: Int32 = 0
        var outputCount: Int32 = 0
        var childCount: Int32 = 0
        var onlyChildScalar: UInt32 = 0
        /// Where this state's edges start in `edgeScalars`/`edgeTargets` (branching states).
        var edgeStart: Int32 = 0
        /// The child when there is exactly one.
        var onlyChild = Edge()
        /// This state as an edge target (for moves along fail links).
        var asTarget = Edge()
    }

    private var states: [State] = [State()]
    private var outputs: [Int32] = []
    /// Root transitions for scalars below U+10000.
    private var rootTable = [Edge](repeating: Edge(), count: 0x10000)
    /// Edges of branching states, sorted by scalar within each state.
    private var edgeScalars: [UInt32] = []
    private var edgeTargets: [Edge] = []
    /// Root steps for scalars beyond the Basic Multilingual Plane (rare in news text).
    private var astralRoot: [UInt32: Edge] = [:]
    private(set) var patternLengths: [Int32] = []

    init(patterns: [[UInt32]]) {
        var own: [[Int32]] = [[]]
        var trie: [UInt64: Int32] = [:]
        var children: [[(UInt32, Int32)]] = [[]]
        for (id, p) in patterns.enumerated() {
            var state: Int32 = 0
            for c in p {
                let key = UInt64(UInt32(state)) << 32 | UInt64(c)
                if let next = trie[key] {
                    state = next
                } else {
                    let next = Int32(states.count)
                    states.append(State())
                    own.append([])
                    children.append([])
                    trie[key] = next
                    children[Int(state)].append((c, next))
                    state = next
                }
            }
            own[Int(state)].append(Int32(id))
            patternLengths.append(Int32(p.count))
        }
        for (s, ids) in own.enumerated() {
            states[s].outputStart = Int32(outputs.count)
            states[s].outputCount = Int32(ids.count)
            states[s].childCount = Int32(children[s].count)
            outputs += ids
        }
        // Fail links, breadth first, on the plain trie.
        var order: [Int32] = []
        var head = 0
        for (_, child) in children[0] { order.append(child) }
        while head < order.count {
            let state = order[head]
            head += 1
            for (c, child) in children[Int(state)] {
                var f = states[Int(state)].fail
                while true {
                    if let next = children[Int(f)].first(where: { $0.0 == c })?.1 {
                        states[Int(child)].fail = next
                        break
                    }
                    if f == 0 { break }
                    f = states[Int(f)].fail
                }
                let target = Int(states[Int(child)].fail)
                states[Int(child)].outputLink = states[target].outputCount > 0 ? Int32(target) : states[target].outputLink
                order.append(child)
            }
        }
        // Edge summaries, then the transition layout.
        for s in states.indices {
            var filter: UInt16 = 0
            for (c, _) in children[s] { filter |= 1 << UInt16(c & 15) }
            var flags: UInt16 = 0
            if states[s].outputCount > 0 || states[s].outputLink >= 0 { flags |= Edge.reports }
            if states[s].fail == 0 { flags |= Edge.failsToRoot }
            states[s].asTarget = Edge(next: Int32(s), childFilter: filter, flags: flags)
        }
        for (s, kids) in children.enumerated() {
            states[s].edgeStart = Int32(edgeScalars.count)
            for (c, next) in kids.sorted(by: { $0.0 < $1.0 }) {
                let edge = states[Int(next)].asTarget
                if s == 0 {
                    if c < 0x10000 { rootTable[Int(c)] = edge } else { astralRoot[c] = edge }
                } else if kids.count == 1 {
                    states[s].onlyChild = edge
                    states[s].onlyChildScalar = c
                } else {
                    edgeScalars.append(c)
                    edgeTargets.append(edge)
                }
            }
        }
    }

    /// Calls `hit(patternId, endIndex)` for every occurrence, `endIndex` exclusive.
    func scan(_ text: [Unicode.Scalar], _ hit: (Int, Int) -> Void) {
        let values = text.map(\.value)
        values.withUnsafeBufferPointer { scan($0, hit) }
    }

    /// Same, over scalar values.
    @inline(__always)
    func scan(_ text: UnsafeBufferPointer<UInt32>, _ hit: (Int, Int) -> Void) {
        states.withUnsafeBufferPointer { states in
        rootTable.withUnsafeBufferPointer { rootTable in
        edgeScalars.withUnsafeBufferPointer { edgeScalars in
        edgeTargets.withUnsafeBufferPointer { edgeTargets in
        outputs.withUnsafeBufferPointer { outputs in
        var at = Edge(next: 0, childFilter: 0, flags: 0)
        for i in 0..<text.count {
            let c = text[i]
            let bit: UInt16 = 1 << UInt16(c & 15)
            while true {
                if at.next == 0 {
                    let e = c < 0x10000 ? rootTable[Int(c)] : (astralRoot[c] ?? Edge())
                    if e.next >= 0 { at = e }
                    break
                }
                if at.childFilter & bit != 0 {
                    let s = states[Int(at.next)]
                    if s.childCount == 1 {
                        if s.onlyChildScalar == c {
                            at = s.onlyChild
                            break
                        }
                    } else {
                        var lo = Int(s.edgeStart)
                        var hi = lo + Int(s.childCount)
                        while lo < hi {
                            let mid = (lo + hi) >> 1
                            if edgeScalars[mid] < c { lo = mid + 1 } else { hi = mid }
                        }
                        if lo < Int(s.edgeStart) + Int(s.childCount) && edgeScalars[lo] == c {
                            at = edgeTargets[lo]
                            break
                        }
                    }
                }
                if at.flags & Edge.failsToRoot != 0 {
                    at = Edge(next: 0, childFilter: 0, flags: 0)
                } else {
                    at = states[Int(states[Int(at.next)].fail)].asTarget
                }
            }
            guard at.flags & Edge.reports != 0 else { continue }
            let current = states[Int(at.next)]
            var s = current.outputCount > 0 ? at.next : current.outputLink
            while s >= 0 {
                let st = states[Int(s)]
                for k in 0..<Int(st.outputCount) { hit(Int(outputs[Int(st.outputStart) + k]), i + 1) }
                s = st.outputLink
            }
        }
        }}}}}
    }
}
