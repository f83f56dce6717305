import Foundation

/// An unlinked temporary file of length-prefixed records, for per-feed state a run must keep
/// but need not hold in memory (the feed list, the finished feeds' reports): a list of tens of
/// thousands of feeds then costs disk, not resident memory. Owns its `FILE`; `deinit` closes it.
/// Only the process that wrote it reads it back, so the encoding is native and unversioned.
final class TemporaryRecordFile {
    private let file: UnsafeMutablePointer<FILE>

    /// `nil` when no temporary file can be made; callers then keep their records in memory.
    init?() {
        // tmpfile() unlinks the file at once: nothing is left behind, even after a crash.
        guard let f = tmpfile() else { return nil }
        file = f
    }

    deinit { fclose(file) }

    func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { _ = fwrite($0.baseAddress, 1, $0.count, file) }
    }

    /// A reader from the first record; appends resume at the end after `endReading()`.
    func reader() -> SpoolReader {
        fflush(file)
        rewind(file)
        return SpoolReader(file: file)
    }

    func endReading() { fseeko(file, 0, SEEK_END) }
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
