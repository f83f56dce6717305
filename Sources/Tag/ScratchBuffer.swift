/// A growable array of plain values in memory the caller frees (`deallocate`), for the
/// tagger's per-item work lists: reused across items, indexed without the uniqueness and
/// bounds checks of `Array`, which the scoring loops paid on every access.
struct ScratchBuffer<Element: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private(set) var capacity: Int

    init(capacity: Int = 16) {
        self.capacity = max(capacity, 1)
        base = .allocate(capacity: self.capacity)
    }

    /// `count` copies of `value`.
    init(repeating value: Element, count: Int) {
        self.init(capacity: count)
        base.initialize(repeating: value, count: count)
        self.count = count
    }

    func deallocate() { base.deallocate() }

    @inline(__always)
    subscript(i: Int) -> Element {
        get {
            assert(i >= 0 && i < count)
            return base[i]
        }
        nonmutating set {
            assert(i >= 0 && i < count)
            base[i] = newValue
        }
    }

    @inline(__always)
    subscript(i: Int32) -> Element {
        get { self[Int(i)] }
        nonmutating set { self[Int(i)] = newValue }
    }

    @inline(__always)
    mutating func append(_ value: Element) {
        if count == capacity { grow(to: capacity * 2) }
        base[count] = value
        count += 1
    }

    /// Makes room for `extra` more elements, so that as many `appendUnchecked` calls may follow.
    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: max(capacity * 2, count + extra)) }
    }

    @inline(__always)
    mutating func appendUnchecked(_ value: Element) {
        assert(count < capacity)
        base[count] = value
        count += 1
    }

    @inline(__always)
    mutating func removeAll() { count = 0 }

    /// Makes the first `n` elements (within capacity, see `reserve`) the contents, for a
    /// caller that writes them out of order; their values are whatever the memory held.
    @inline(__always)
    mutating func setCount(_ n: Int) {
        assert(n <= capacity)
        count = n
    }

    var isEmpty: Bool { count == 0 }

    var indices: Range<Int> { 0..<count }

    var buffer: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

    private mutating func grow(to newCapacity: Int) {
        let bigger = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        bigger.initialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = newCapacity
    }
}
