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

/// Patterns in folded scalars, end to end in one buffer. A taxonomy has tens of thousands of
/// short patterns; an array each cost a heap block with a 32-byte header, nearly twice
/// their scalars, and that list stayed alive through the whole compile, the peak of a short run.
struct PatternList: ~Copyable {
    private var values: [UInt32] = []
    private(set) var lengths: [Int32] = []

    init() {}

    mutating func append(_ pattern: some Collection<UInt32>) {
        values.append(contentsOf: pattern)
        lengths.append(Int32(pattern.count))
    }

    var scalars: [UInt32] { values }

    /// The buffer itself, for the compile to turn into letter classes in place.
    consuming func takeScalars() -> [UInt32] { values }
}

/// Aho-Corasick automaton over folded text that reads the text as published, as UTF-8
/// bytes: one left-to-right pass finds every occurrence of every pattern, so the number of
/// steps per character does not grow with the number of terms.
///
/// Flat cost needs more than one pass: neither the work of a step nor the memory it touches
/// may grow with the taxonomy, or a large taxonomy pays in failure-link chasing, searches
/// and cache misses what it saved in passes. With 10,000 terms, random English text sits
/// two or three letters deep in the trie most of the time, and each step used to search a
/// 26-letter node and then chase a failure link, with branches that random text makes
/// unpredictable. Hence the layout:
/// - Folding and the alphabet are one table read: every Basic Multilingual Plane scalar maps
///   straight to its letter class, the folded scalar's index among the scalars the patterns
///   use (two shared classes stand for every other scalar, word and non-word). The automaton
///   never sees a scalar, and the text is never copied into a folded form.
/// - The shallow states, which almost every step visits, are compiled into a DFA (failure
///   links followed in advance) stored as a double array: a step reads three cells, the
///   state's own, that of the state the last character alone leads to, and the root's, and
///   picks the first that belongs to its row, without a branch. Only the first read depends
///   on the state; the other two depend on the text and overlap with it. Reading the last
///   character's row means a deep state stores only what its deeper suffixes add, not a
///   copy of the 26 letters every English state continues with, so the rows stay small.
/// - Rows are packed breadth first (the states most steps visit sit together) and take a
///   bounded number of cells (`denseCellBudget`): a larger taxonomy keeps its deeper,
///   rarely reached states as trie nodes rather than grow the hot tables. A node holds its
///   edges and failure link, one edge inline (the usual case inside a long term); failure
///   links lead back into the DFA within a few steps.
/// - What the scan loop needs from a step (the next state, whether it is a DFA state, and
///   whether patterns end there) is one 32-bit word. The output lists, read only when a
///   pattern ends, sit apart.
struct TermAutomaton: Sendable {
    /// A pattern occurrence: pattern id, end in folded scalars (exclusive), and, from
    /// `scanUTF8`, end as a UTF-8 offset in the text (exclusive) and start as one (-1 when
    /// the pattern is longer than the scan remembers, `startMemory`).
    struct Occurrence: Sendable {
        var pattern: Int32
        var end: Int32
        var endByte: Int32
        var startByte: Int32 = -1
    }

    /// How many scalars back `scanUTF8` remembers where each began, which answers an
    /// occurrence's start without walking back over the text (a power of two).
    static let startMemory = 64

    /// In `sourceClass`: the scalar folds to several scalars (`İ` -> `i̇`), which the byte
    /// scan does not handle; `scanUTF8` gives up and the caller folds the text first.
    static let severalScalars: UInt32 = 0xFFFF
    static let otherNonWord: UInt32 = 0
    static let otherWord: UInt32 = 1

    /// Transitions (8-byte cells) that the DFA rows together may hold, about 1 MiB.
    /// Rows are packed breadth first, so a larger budget adds only colder rows at the end;
    /// the bench (`tag-bench`) found 2^15 to 2^17 alike at 10,000 terms, and 2^17 better
    /// at 100,000, where the shallow rows alone outgrow the smaller budgets.
    static let denseCellBudget = 1 << 17

    // A step's word: a DFA state's base in `cells`, or a trie node's index with
    // `sparseBit`; and whether patterns end at the state.
    private static let idMask: UInt32 = 0x3FFF_FFFF
    private static let sparseBit: UInt32 = 0x4000_0000
    private static let reportsBit: UInt32 = 0x8000_0000
    private static let emptyCell: UInt32 = 0xFFFF_FFFF

    /// One transition of the DFA, packed as a double array: state `b` steps on class `c`
    /// to `cells[b + c].next` when `cells[b + c].check == b`; otherwise as the state of the
    /// last character does, and otherwise as the root (base 0, whose row
    /// `cells[0..<classCount]` is complete) does.
    private struct Cell {
        var check: UInt32
        var next: UInt32
    }

    /// A trie state: with one edge, `first` is its class and `second` its step word;
    /// otherwise its `count` edges are `edges[first...]`, sorted by class.
    private struct SparseNode {
        var first: UInt32
        var second: UInt32
        var fail: UInt32
        var count: UInt32
    }

    private struct Edge {
        var letter: UInt32
        var target: UInt32
    }

    private(set) var patternLengths: [Int32]
    /// The longest pattern, in scalars.
    private(set) var longestPattern: Int
    /// Letter class of every BMP scalar as published (folding included). Two bytes a
    /// class: a run holds one table per automaton (five with the cue taggers), 128 KiB each
    /// instead of 256; `severalScalars` fits, and no alphabet comes near 65,535 classes.
    private var sourceClass: [UInt16]
    /// Letter class of the folded scalars that patterns use.
    private var patternScalarClass: [UInt32: UInt32]
    /// Per class: 1 when its folded scalar is a letter or digit of an alphabetic script.
    private var classIsWord: [UInt8]
    private var cells: [Cell]
    private var nodes: [SparseNode]
    private var edges: [Edge]
    /// Where the patterns that end at a state start in `reportLists`, per DFA base (-1
    /// where none) and per trie node; read only when a step's word says patterns end there.
    private var reportOfBase: [Int32]
    private var reportOfNode: [Int32]
    /// Per reporting state, every pattern that ends there, -1 after the last: its own in
    /// id order, then those of the states along its output links, nearest first. One list
    /// read in order, where following the links cost a dependent read (and on dense text
    /// a cache miss) per state on the chain.
    private var reportLists: [Int32]

    private(set) var classCount: Int
    private(set) var stateCount: Int
    /// States compiled into the DFA, the root included (for benchmarks and tests).
    private(set) var denseStateCount: Int

    /// Bytes held by the scan tables (the class dictionary counted at 16 bytes an entry).
    var memoryBytes: Int {
        sourceClass.count * 2 + patternScalarClass.count * 16 + classIsWord.count
            + cells.count * MemoryLayout<Cell>.stride + reportOfBase.count * 4
            + nodes.count * MemoryLayout<SparseNode>.stride + edges.count * MemoryLayout<Edge>.stride
            + reportOfNode.count * 4 + reportLists.count * 4 + patternLengths.count * 4
    }

    /// `patterns` are folded scalar values.
    init(patterns: [[UInt32]], denseCellBudget: Int = TermAutomaton.denseCellBudget) {
        var list = PatternList()
        for pattern in patterns { list.append(pattern) }
        self.init(patterns: list, denseCellBudget: denseCellBudget)
    }

    /// Takes the list: it is turned into letter classes in place and freed once the trie is
    /// built, before the DFA is laid out, which is the compile's (and a short run's) peak.
    init(patterns: consuming PatternList, denseCellBudget: Int = TermAutomaton.denseCellBudget) {
        patternLengths = patterns.lengths
        longestPattern = Int(patternLengths.max() ?? 0)

        // The alphabet: one class per distinct folded scalar the patterns use.
        var classOf: [UInt32: UInt32] = [:]
        var isWord: [UInt8] = [0, 1]
        for scalar in Set(patterns.scalars).sorted() {
            classOf[scalar] = UInt32(isWord.count)
            isWord.append(isWordScalarValue(scalar) ? 1 : 0)
        }
        patternScalarClass = classOf
        classIsWord = isWord
        classCount = isWord.count
        precondition(classCount < Int(Self.severalScalars), "a taxonomy whose terms use more than 65,532 distinct letters")
        var table = [UInt16](repeating: UInt16(Self.otherNonWord), count: 0x10000)
        for v in 0..<UInt32(0x10000) {
            guard let u = Unicode.Scalar(v) else { continue }  // surrogates never occur in a String
            guard let f = TextFolding.foldedSingle(u) else {
                table[Int(v)] = UInt16(Self.severalScalars)
                continue
            }
            table[Int(v)] = UInt16(classOf[f.value] ?? (isWordScalarValue(f.value) ? Self.otherWord : Self.otherNonWord))
        }
        sourceClass = table

        var (edgeStart, edgeClass, edgeChild, ownStart, own) = Self.trie(of: patterns, classOf: classOf)
        let stateCount = edgeStart.count - 1

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
        var link = [Int32](repeating: -1, count: stateCount)
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
                link[t] = ownStart[f + 1] > ownStart[f] ? Int32(f) : link[f]
            }
        }

        // Transitions of a breadth-first prefix of the states, as the classes where they
        // differ from what the state of the last character alone (a root child, or the
        // root) does: a state's own edges, then those of its fail state that it does not
        // override, up to where the fail chain reaches the root's children (its fail state
        // is shallower, so done already). The scan looks the rest up in that state's row,
        // which for English text is a few dozen rows shared by all deeper states instead
        // of a copy in each. The prefix (all root children at least) ends once these lists
        // outgrow the budget.
        let firstDeep = 1 + Int(edgeStart[1] - edgeStart[0])
        var mergedStart: [Int] = [0, 0]  // the root differs from itself nowhere
        var mergedClass: [UInt32] = []
        var mergedTarget: [Int32] = []
        var s = 1
        var budget = denseCellBudget
        while s < stateCount && (s < firstDeep || mergedClass.count <= budget) {
            var a = Int(edgeStart[s])
            let aEnd = Int(edgeStart[s + 1])
            let f = Int(fail[s])
            var b = f >= firstDeep ? mergedStart[f] : 0
            let bEnd = f >= firstDeep ? mergedStart[f + 1] : 0
            while a < aEnd || b < bEnd {
                if b == bEnd || (a < aEnd && edgeClass[a] <= mergedClass[b]) {
                    if b < bEnd && edgeClass[a] == mergedClass[b] { b += 1 }
                    mergedClass.append(edgeClass[a])
                    mergedTarget.append(edgeChild[a])
                    a += 1
                } else {
                    mergedClass.append(mergedClass[b])
                    mergedTarget.append(mergedTarget[b])
                    b += 1
                }
            }
            mergedStart.append(mergedClass.count)
            s += 1
        }
        let mergedPrefix = s

        // Which states join the DFA: the root and its children (the scan reads their rows
        // for every character), and states of the prefix while the budget of transitions
        // lasts (breadth first, so the shallow states that most steps visit).
        var isDense = [Bool](repeating: false, count: stateCount)
        isDense[0] = true
        var denseStates: [Int] = []
        for s in 1..<mergedPrefix {
            let k = mergedStart[s + 1] - mergedStart[s]
            guard k <= budget || s < firstDeep else { continue }
            budget -= k
            isDense[s] = true
            denseStates.append(s)
        }

        // Bases by first fit, breadth first: a row goes where all its classes fall on
        // free cells and no other state has the same base. `skip` finds the next free cell
        // that may still hold a row's first class (path-compressed). A free cell that has
        // failed as a row's first cell 16 times is dropped from that search (crowded
        // region: a row's other classes keep hitting used cells), which bounds the work.
        // `check` of every cell says which base owns it; `next` is filled in once all are placed.
        var cells = [Cell](repeating: Cell(check: 0, next: 0), count: isWord.count)  // the root's row
        // Cell indices fit 32 bits (`idMask`); half the bytes of `Int` in the compile's peak.
        var skip = (1...isWord.count).map { Int32($0) }
        var failures = [UInt8](repeating: 0, count: isWord.count)
        var baseUsed = [Bool](repeating: false, count: isWord.count)
        baseUsed[0] = true
        func ensure(_ i: Int) {
            while cells.count <= i {
                cells.append(Cell(check: Self.emptyCell, next: 0))
                skip.append(Int32(skip.count))
                failures.append(0)
                baseUsed.append(false)
            }
        }
        func firstFree(from p: Int) -> Int {
            ensure(p)
            var r = p
            while Int(skip[r]) != r {
                r = Int(skip[r])
                ensure(r)
            }
            var q = p
            while Int(skip[q]) != r {
                let next = Int(skip[q])
                skip[q] = Int32(r)
                q = next
            }
            return r
        }
        var base = [Int](repeating: -1, count: stateCount)
        base[0] = 0
        var frontier = isWord.count
        for s in denseStates {
            let row = mergedClass[mergedStart[s]..<mergedStart[s + 1]]
            guard let first = row.first.map(Int.init) else { continue }
            var p = firstFree(from: max(isWord.count, first + 1))
            while true {
                let b = p - first
                var fits = !baseUsed[b]
                if fits {
                    for c in row.dropFirst() {
                        ensure(b + Int(c))
                        if cells[b + Int(c)].check != Self.emptyCell {
                            fits = false
                            break
                        }
                    }
                }
                if fits {
                    base[s] = b
                    baseUsed[b] = true
                    for c in row {
                        cells[b + Int(c)].check = UInt32(b)
                        skip[b + Int(c)] = Int32(b + Int(c) + 1)
                        ensure(b + Int(c) + 1)
                    }
                    frontier = max(frontier, b + Int(row.last!) + 1)
                    break
                }
                failures[p] += 1
                if failures[p] >= 16 { skip[p] = Int32(p + 1) }
                p = firstFree(from: p + 1)
            }
        }
        // States that differ from the root nowhere: any base of their own will do.
        var spare = 1
        for s in denseStates where base[s] < 0 {
            ensure(spare)
            while baseUsed[spare] {
                spare += 1
                ensure(spare)
            }
            base[s] = spare
            baseUsed[spare] = true
        }
        let maxBase = base.max() ?? 0
        ensure(max(frontier, maxBase + isWord.count))
        baseUsed = []
        skip = []
        failures = []

        var nodeIndex = [Int32](repeating: -1, count: stateCount)
        var stateOfNode: [Int32] = []
        for s in 0..<stateCount where !isDense[s] {
            nodeIndex[s] = Int32(stateOfNode.count)
            stateOfNode.append(Int32(s))
        }
        func word(_ s: Int32) -> UInt32 {
            let reports = ownStart[Int(s) + 1] > ownStart[Int(s)] || link[Int(s)] >= 0
            let id = isDense[Int(s)] ? UInt32(base[Int(s)]) : UInt32(nodeIndex[Int(s)]) | Self.sparseBit
            return id | (reports ? Self.reportsBit : 0)
        }

        var stateOfBase = [Int32](repeating: -1, count: cells.count)
        stateOfBase[0] = 0
        for c in rootChild.indices where rootChild[c] != 0 { cells[c].next = word(rootChild[c]) }
        for s in denseStates {
            let b = base[s]
            stateOfBase[b] = Int32(s)
            for k in mergedStart[s]..<mergedStart[s + 1] { cells[b + Int(mergedClass[k])].next = word(mergedTarget[k]) }
        }
        // Dead from here on; freed before the trie nodes and report lists are allocated.
        (mergedStart, mergedClass, mergedTarget, denseStates) = ([], [], [], [])

        // The trie nodes.
        var nodes: [SparseNode] = []
        nodes.reserveCapacity(stateOfNode.count)
        var edges: [Edge] = []
        for node in stateOfNode {
            let s = Int(node)
            let a = Int(edgeStart[s])
            let b = Int(edgeStart[s + 1])
            let failTo = word(fail[s])
            if b - a == 1 {
                nodes.append(SparseNode(first: edgeClass[a], second: word(edgeChild[a]), fail: failTo, count: 1))
            } else {
                nodes.append(SparseNode(first: UInt32(edges.count), second: 0, fail: failTo, count: UInt32(b - a)))
                for k in a..<b { edges.append(Edge(letter: edgeClass[k], target: word(edgeChild[k]))) }
            }
        }
        (edgeStart, edgeClass, edgeChild, fail, base, nodeIndex, isDense) = ([], [], [], [], [], [], [])

        // The report lists.
        var reportOf = [Int32](repeating: -1, count: stateCount)
        var lists: [Int32] = []
        for s in 0..<stateCount {
            let hasOwn = ownStart[s + 1] > ownStart[s]
            guard hasOwn || link[s] >= 0 else { continue }
            reportOf[s] = Int32(lists.count)
            var o = hasOwn ? Int32(s) : link[s]
            while o >= 0 {
                for k in Int(ownStart[Int(o)])..<Int(ownStart[Int(o) + 1]) { lists.append(own[k]) }
                o = link[Int(o)]
            }
            lists.append(-1)
        }

        self.stateCount = stateCount
        self.denseStateCount = stateCount - stateOfNode.count
        self.cells = cells
        // The state numbers become report list positions in place (no second copy).
        for i in stateOfBase.indices where stateOfBase[i] >= 0 { stateOfBase[i] = reportOf[Int(stateOfBase[i])] }
        self.reportOfBase = stateOfBase
        self.nodes = nodes
        for i in stateOfNode.indices { stateOfNode[i] = reportOf[Int(stateOfNode[i])] }
        self.reportOfNode = stateOfNode
        self.edges = edges
        self.reportLists = lists
    }

    /// Builds the trie breadth first from the patterns in sorted order: the patterns below a
    /// state are a contiguous range, its children the runs of equal classes at its depth, so
    /// states come out numbered breadth first with sorted edges and no hashing. Equal patterns
    /// keep id order, which is the order they are reported in. State `s`'s edges are
    /// `edgeClass[edgeStart[s]..<edgeStart[s + 1]]` (sorted) leading to `edgeChild`, and the
    /// patterns that end at it `own[ownStart[s]..<ownStart[s + 1]]`; both start arrays end
    /// with one extra entry.
    ///
    /// A function of its own so that its temporaries (the patterns as classes, their order,
    /// the ranges) are freed before the DFA is laid out, and every array is allocated at its
    /// final size (counted from the sorted patterns) rather than grown by doubling: the
    /// compile of a large taxonomy is what sets a short run's peak resident size.
    private static func trie(of patterns: consuming PatternList, classOf: [UInt32: UInt32]) -> (
        edgeStart: [Int32], edgeClass: [UInt32], edgeChild: [Int32], ownStart: [Int32], own: [Int32]
    ) {
        // The patterns as letter classes, in place: pattern `p` is
        // `classes[start[p]..<start[p + 1]]`.
        let lengths = patterns.lengths
        var classes = patterns.takeScalars()
        classes.withUnsafeMutableBufferPointer { b in
            for i in b.indices { b[i] = classOf[b[i]]! }
        }
        var start = [Int32](repeating: 0, count: lengths.count + 1)
        for p in lengths.indices { start[p + 1] = start[p] + lengths[p] }
        return classes.withUnsafeBufferPointer { classes in
            start.withUnsafeBufferPointer { start in
                func length(_ p: Int32) -> Int { Int(start[Int(p) + 1] - start[Int(p)]) }
                func letter(_ p: Int32, _ depth: Int) -> UInt32 { classes[Int(start[Int(p)]) + depth] }
                // Lexicographic over classes, a prefix first; equal patterns in id order.
                let order = (0..<Int32(lengths.count)).sorted { a, b in
                    let (la, lb) = (length(a), length(b))
                    for d in 0..<min(la, lb) where letter(a, d) != letter(b, d) { return letter(a, d) < letter(b, d) }
                    return la != lb ? la < lb : a < b
                }
                // One state per distinct prefix (the root is the empty one): in sorted order, a
                // pattern adds the prefixes longer than what it shares with the one before.
                var stateCount = 1
                var ending = 0
                for (i, p) in order.enumerated() {
                    let n = length(p)
                    if n > 0 { ending += 1 }
                    var shared = 0
                    if i > 0 {
                        let q = order[i - 1]
                        let m = min(n, length(q))
                        while shared < m && letter(p, shared) == letter(q, shared) { shared += 1 }
                    }
                    stateCount += n - shared
                }
                var trie: (edgeStart: [Int32], edgeClass: [UInt32], edgeChild: [Int32], ownStart: [Int32], own: [Int32]) =
                    ([], [], [], [], [])
                trie.edgeStart.reserveCapacity(stateCount + 1)
                trie.edgeClass.reserveCapacity(stateCount - 1)
                trie.edgeChild.reserveCapacity(stateCount - 1)
                trie.ownStart.reserveCapacity(stateCount + 1)
                trie.own.reserveCapacity(ending)
                var ranges: [(lo: Int32, hi: Int32, depth: Int32)] = []
                ranges.reserveCapacity(stateCount)
                ranges.append((0, Int32(order.count), 0))
                var head = 0
                while head < ranges.count {
                    let (lo, hi, depth) = ranges[head]
                    trie.edgeStart.append(Int32(trie.edgeClass.count))
                    trie.ownStart.append(Int32(trie.own.count))
                    var k = Int(lo)
                    // Patterns that end here sort first; the root keeps none (an empty pattern
                    // matches nothing).
                    while k < Int(hi) && length(order[k]) == Int(depth) {
                        if head != 0 { trie.own.append(order[k]) }
                        k += 1
                    }
                    while k < Int(hi) {
                        let c = letter(order[k], Int(depth))
                        var e = k + 1
                        while e < Int(hi) && letter(order[e], Int(depth)) == c { e += 1 }
                        trie.edgeClass.append(c)
                        trie.edgeChild.append(Int32(ranges.count))
                        ranges.append((Int32(k), Int32(e), depth + 1))
                        k = e
                    }
                    head += 1
                }
                trie.edgeStart.append(Int32(trie.edgeClass.count))
                trie.ownStart.append(Int32(trie.own.count))
                return trie
            }
        }
    }

    /// Letter class of a folded scalar.
    @inline(__always)
    func classOfFolded(_ v: UInt32) -> UInt32 {
        patternScalarClass[v] ?? (isWordScalarValue(v) ? Self.otherWord : Self.otherNonWord)
    }

    /// Letter class of a scalar as published; `severalScalars` when it folds to several.
    @inline(__always)
    func classOfSource(_ v: UInt32) -> UInt32 {
        if v < 0x10000 { return UInt32(sourceClass[Int(v)]) }
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
        scanUTF8(bytes) { found.append($0) }
    }

    /// Same, into the tagger's reused buffer; `spare` is a second buffer it may use.
    ///
    /// A step waits on the table reads of the step before, so one walk leaves the core
    /// mostly idle. A longer text is read as two walks at once, interleaved: the first half,
    /// and the second half started from the root a longest pattern's length early, so that
    /// it finds every occurrence that ends in its half (those ending earlier are the first
    /// walk's). The occurrences and their order are those of one walk.
    func scanUTF8(
        _ bytes: UnsafeBufferPointer<UInt8>, into found: inout ScratchBuffer<Occurrence>,
        spare: inout ScratchBuffer<Occurrence>
    ) -> Bool {
        let n = bytes.count
        guard n >= Self.twoWalkMinimum, longestPattern > 0 else { return scanUTF8(bytes) { found.append($0) } }
        var middle = n / 2
        while bytes[middle] & 0xC0 == 0x80 { middle += 1 }
        var secondStart = middle
        var overlap = 0
        while overlap < longestPattern - 1 && secondStart > 0 {
            secondStart = Self.scalarStart(bytes, before: secondStart)
            overlap += 1
        }
        guard secondStart > 0 else { return scanUTF8(bytes) { found.append($0) } }
        spare.removeAll()
        var complete = true
        withTables { t in
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 2 * Self.startMemory) { starts in
            let base = starts.baseAddress!
            var first = Walk(i: 0, starts: base)
            var second = Walk(i: secondStart, starts: base + Self.startMemory)
            let end = Int32(truncatingIfNeeded: middle)
            while first.i < middle && second.i < n {
                guard advance(&first, bytes, t, { found.append($0) }),
                      advance(&second, bytes, t, { if $0.endByte > end { spare.append($0) } })
                else {
                    complete = false
                    return
                }
            }
            while first.i < middle {
                guard advance(&first, bytes, t, { found.append($0) }) else {
                    complete = false
                    return
                }
            }
            while second.i < n {
                guard advance(&second, bytes, t, { if $0.endByte > end { spare.append($0) } }) else {
                    complete = false
                    return
                }
            }
            // The second walk counted scalars from its start, `overlap` scalars before the middle.
            let offset = first.index - Int32(overlap)
            found.reserve(spare.count)
            for var o in spare.buffer {
                o.end += offset
                found.appendUnchecked(o)
            }
        }
        }
        return complete
    }

    /// Texts shorter than this (in bytes) are read in one walk.
    static let twoWalkMinimum = 160

    /// One walk over the text: position, state, and where its last scalars began.
    private struct Walk {
        var i: Int
        var at: UInt32 = 0
        var last: UInt32 = 0
        var index: Int32 = 0
        /// `startMemory` entries, as in `scanUTF8`.
        var starts: UnsafeMutablePointer<Int32>

        init(i: Int, starts: UnsafeMutablePointer<Int32>) {
            self.i = i
            self.starts = starts
            starts[0] = Int32(truncatingIfNeeded: i)
        }
    }

    /// One scalar of a walk; false when it folds to several.
    @inline(__always)
    private func advance(
        _ w: inout Walk, _ bytes: UnsafeBufferPointer<UInt8>, _ t: Tables, _ emit: (Occurrence) -> Void
    ) -> Bool {
        let i = w.i
        let b0 = UInt32(bytes[i])
        let c: UInt32
        if b0 < 0x80 {
            c = UInt32(t.sourceClass[Int(b0)])
            w.i = i + 1
        } else if b0 < 0xE0 {
            c = UInt32(t.sourceClass[Int((b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F))])
            w.i = i + 2
        } else if b0 < 0xF0 {
            c = UInt32(t.sourceClass[Int((b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F))])
            w.i = i + 3
        } else {
            c = classOfSource(Self.decode(bytes, at: i).0)
            w.i = i + 4
        }
        if c == Self.severalScalars { return false }
        let mask = Int32(Self.startMemory - 1)
        w.index += 1
        let index = w.index
        let endByte = Int32(truncatingIfNeeded: w.i)
        w.starts[Int(truncatingIfNeeded: index & mask)] = endByte
        w.at = Self.step(w.at, c, w.last, t)
        w.last = t.cells[Int(truncatingIfNeeded: c)].next & Self.idMask
        if w.at & Self.reportsBit != 0 {
            let starts = w.starts
            Self.report(w.at, t) {
                let length = t.patternLengths[Int(truncatingIfNeeded: $0)]
                let startByte = length <= mask ? starts[Int(truncatingIfNeeded: (index &- length) & mask)] : -1
                emit(Occurrence(pattern: $0, end: index, endByte: endByte, startByte: startByte))
            }
        }
        return true
    }

    @inline(__always)
    private func scanUTF8(_ bytes: UnsafeBufferPointer<UInt8>, _ emit: (Occurrence) -> Void) -> Bool {
        var complete = true
        withTables { t in
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: Self.startMemory) { starts in
            // `starts[k & mask]`: the UTF-8 offset where scalar `k` (counted from 0) ends,
            // which is where scalar `k + 1` begins; `starts[0]` is the text's start.
            let mask = Int32(Self.startMemory - 1)
            starts[0] = 0
            var at: UInt32 = 0
            var last: UInt32 = 0
            var i = 0
            var index: Int32 = 0
            let n = bytes.count
            while i < n {
                let b0 = UInt32(bytes[i])
                let c: UInt32
                if b0 < 0x80 {
                    c = UInt32(t.sourceClass[Int(b0)])
                    i += 1
                } else if b0 < 0xE0 {
                    c = UInt32(t.sourceClass[Int((b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F))])
                    i += 2
                } else if b0 < 0xF0 {
                    c = UInt32(t.sourceClass[Int((b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F))])
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
                let endByte = Int32(truncatingIfNeeded: i)
                starts[Int(truncatingIfNeeded: index & mask)] = endByte
                at = Self.step(at, c, last, t)
                last = t.cells[Int(truncatingIfNeeded: c)].next & Self.idMask
                if at & Self.reportsBit != 0 {
                    Self.report(at, t) {
                        let length = t.patternLengths[Int(truncatingIfNeeded: $0)]
                        let startByte = length <= mask ? starts[Int(truncatingIfNeeded: (index &- length) & mask)] : -1
                        emit(Occurrence(pattern: $0, end: index, endByte: endByte, startByte: startByte))
                    }
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
            var at: UInt32 = 0
            var last: UInt32 = 0
            for i in 0..<text.count {
                let c = classOfFolded(text[i])
                at = Self.step(at, c, last, t)
                last = t.cells[Int(truncatingIfNeeded: c)].next & Self.idMask
                if at & Self.reportsBit != 0 {
                    Self.report(at, t) { hit(Int($0), i + 1) }
                }
            }
        }
    }

    /// Same, over scalars (for tests).
    func scan(_ text: [Unicode.Scalar], _ hit: (Int, Int) -> Void) {
        text.map(\.value).withUnsafeBufferPointer { scanFolded($0, hit) }
    }

    private struct Tables {
        var sourceClass: UnsafeBufferPointer<UInt16>
        var cells: UnsafeBufferPointer<Cell>
        var nodes: UnsafeBufferPointer<SparseNode>
        var edges: UnsafeBufferPointer<Edge>
        var reportOfBase: UnsafeBufferPointer<Int32>
        var reportOfNode: UnsafeBufferPointer<Int32>
        var reportLists: UnsafeBufferPointer<Int32>
        var patternLengths: UnsafeBufferPointer<Int32>
    }

    @inline(__always)
    private func withTables(_ body: (Tables) -> Void) {
        sourceClass.withUnsafeBufferPointer { sourceClass in
        cells.withUnsafeBufferPointer { cells in
        nodes.withUnsafeBufferPointer { nodes in
        edges.withUnsafeBufferPointer { edges in
        reportOfBase.withUnsafeBufferPointer { reportOfBase in
        reportOfNode.withUnsafeBufferPointer { reportOfNode in
        reportLists.withUnsafeBufferPointer { reportLists in
        patternLengths.withUnsafeBufferPointer { patternLengths in
            body(Tables(
                sourceClass: sourceClass, cells: cells, nodes: nodes, edges: edges, reportOfBase: reportOfBase,
                reportOfNode: reportOfNode, reportLists: reportLists, patternLengths: patternLengths))
        }}}}}}}}
    }

    /// One transition on class `c` from the state in step word `at`: trie nodes follow
    /// their edges or fail links until the DFA answers, in one read of its own and one of
    /// the root's row (which does not depend on the state, so the two overlap).
    @inline(__always)
    private static func step(_ at: UInt32, _ c: UInt32, _ last: UInt32, _ t: Tables) -> UInt32 {
        var w = at
        while w & sparseBit != 0 {
            let node = t.nodes[Int(truncatingIfNeeded: w & idMask)]
            if node.count == 1 {
                if node.first == c { return node.second }
            } else if node.count > 1 {
                var lo = Int(node.first)
                let hi = lo + Int(node.count)
                if node.count <= 8 {
                    while lo < hi {
                        if t.edges[lo].letter == c { return t.edges[lo].target }
                        lo += 1
                    }
                } else {
                    var top = hi
                    while lo < top {
                        let mid = (lo + top) >> 1
                        if t.edges[mid].letter < c { lo = mid + 1 } else { top = mid }
                    }
                    if lo < hi && t.edges[lo].letter == c { return t.edges[lo].target }
                }
            }
            w = node.fail
        }
        // Both checks are read before choosing, and the choice is of an index: random text
        // makes which row answers unpredictable, and a branch here would mispredict.
        let b = w & idMask
        let ownIndex = b &+ c
        let lastIndex = last &+ c
        let ownHit = t.cells[Int(truncatingIfNeeded: ownIndex)].check == b
        let lastHit = t.cells[Int(truncatingIfNeeded: lastIndex)].check == last
        let index = ownHit ? ownIndex : lastHit ? lastIndex : c
        return t.cells[Int(truncatingIfNeeded: index)].next
    }

    /// The patterns that end at the state of step word `at`: its own, in id order, then
    /// those along its output links, longest first.
    @inline(__always)
    private static func report(_ at: UInt32, _ t: Tables, _ emit: (Int32) -> Void) {
        let id = Int(truncatingIfNeeded: at & idMask)
        var k = Int(at & sparseBit != 0 ? t.reportOfNode[id] : t.reportOfBase[id])
        while true {
            let p = t.reportLists[k]
            if p < 0 { return }
            emit(p)
            k += 1
        }
    }
}
