import Foundation

/// Per-feed state a run must keep but need not hold in memory (the feed list, the finished
/// feeds' reports): the first `memoryLimit` records stay in memory, the rest go to an unlinked
/// temporary file, and a pass reads them back in order. A list of tens of thousands of feeds
/// then costs disk, not resident memory.
///
/// One pass at a time: passes share the file's position. A class, so that copies never write
/// into one file from two places.
final class SpillingList<Element: SpoolRecord>: Sequence {
    private let memoryLimit: Int
    private var head: [Element] = []
    /// `nil` until the first record past `memoryLimit`; if no temporary file can be made the
    /// rest stay in `head` rather than being lost.
    private var spool: TemporaryRecordFile?
    private var spoolFailed = false
    private(set) var count = 0

    init(memoryLimit: Int) {
        self.memoryLimit = Swift.max(0, memoryLimit)
    }

    /// True when some records live in the temporary file (what the tests check).
    var isSpilled: Bool { spool != nil }

    func append(_ element: Element) {
        count += 1
        if head.count < memoryLimit || !openSpool() {
            head.append(element)
            return
        }
        var out = SpoolWriter()
        element.write(to: &out)
        spool?.append(out.bytes)
    }

    func makeIterator() -> Iterator { Iterator(list: self) }

    struct Iterator: IteratorProtocol {
        private let list: SpillingList
        private var index = 0
        private var reader: SpoolReader?

        init(list: SpillingList) { self.list = list }

        mutating func next() -> Element? {
            if index < list.head.count {
                index += 1
                return list.head[index - 1]
            }
            guard let spool = list.spool else { return nil }
            if reader == nil { reader = spool.reader() }
            return reader.flatMap(Element.read(from:))
        }
    }

    private func openSpool() -> Bool {
        if spool != nil { return true }
        if spoolFailed { return false }
        spool = TemporaryRecordFile()
        spoolFailed = spool == nil
        return spool != nil
    }
}

/// A record `SpillingList` can write to its file and read back.
protocol SpoolRecord {
    func write(to out: inout SpoolWriter)
    /// `nil` at the end of the file (a short read is the end too: the file is our own).
    static func read(from reader: SpoolReader) -> Self?
}

/// An unlinked temporary file of records. Only the process that wrote it reads it back, so the
/// encoding is native and unversioned. Owns its `FILE`; `deinit` closes it.
final class TemporaryRecordFile {
    private let file: UnsafeMutablePointer<FILE>

    /// `nil` when no temporary file can be made.
    init?() {
        // tmpfile() unlinks the file at once: nothing is left behind, even after a crash.
        guard let f = tmpfile() else { return nil }
        file = f
    }

    deinit { fclose(file) }

    /// Set by `reader()`: the position is wherever that pass left it.
    private var positionedByReader = false

    /// Appends at the end. Seeks there only after a pass has moved the position: a seek
    /// flushes stdio's buffer, so seeking on every append made each record its own write.
    func append(_ bytes: [UInt8]) {
        if positionedByReader {
            fseeko(file, 0, SEEK_END)
            positionedByReader = false
        }
        bytes.withUnsafeBytes { _ = fwrite($0.baseAddress, 1, $0.count, file) }
    }

    /// A reader from the first record.
    func reader() -> SpoolReader {
        fflush(file)
        rewind(file)
        positionedByReader = true
        return SpoolReader(file: file)
    }
}

/// Builds one record: integers as 8 little-endian bytes, strings as a length (-1 for `nil`)
/// and their UTF-8 bytes.
struct SpoolWriter {
    var bytes: [UInt8] = []

    mutating func int(_ v: Int) {
        withUnsafeBytes(of: Int64(v).littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func string(_ s: String?) {
        guard let s else { return int(-1) }
        int(s.utf8.count)
        bytes.append(contentsOf: s.utf8)
    }
}

/// Reads what `SpoolWriter` wrote, in order; `nil` at the end of the file.
struct SpoolReader {
    let file: UnsafeMutablePointer<FILE>

    func int() -> Int? {
        var v: Int64 = 0
        guard fread(&v, 8, 1, file) == 1 else { return nil }
        return Int(Int64(littleEndian: v))
    }

    /// `.some(nil)` for a `nil` string, `nil` at the end of the file.
    func string() -> String?? {
        guard let n = int() else { return nil }
        if n < 0 { return .some(nil) }
        var buffer = [UInt8](repeating: 0, count: n)
        if n > 0 { guard fread(&buffer, 1, n, file) == n else { return nil } }
        return .some(String(decoding: buffer, as: UTF8.self))
    }
}
