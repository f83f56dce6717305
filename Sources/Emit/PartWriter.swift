import CZlib
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One part file being written under its temporary name. Lines are buffered and
/// written in large chunks (optionally through gzip); `finish` flushes, fsyncs and
/// closes, after which the file is complete and durable but still invisible to readers.
final class PartWriter {
    let path: String
    private var fd: Int32
    private var pending: [UInt8] = []
    private var deflater: GzipDeflater?
    private(set) var records = 0
    private(set) var bytes = 0
    private static let chunk = 1 << 20

    init(path: String, gzipLevel: Int32?) throws {
        self.path = path
        // O_EXCL: never truncate somebody else's file, even one left by a crashed run.
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 { throw EmitError.posix("cannot create", path) }
        if let level = gzipLevel {
            do { deflater = try GzipDeflater(level: level, path: path) } catch {
                Glibc.close(fd); unlink(path); throw error
            }
        }
        pending.reserveCapacity(Self.chunk)
    }

    /// Reopens a part an earlier writer finished without gzip, to add lines at its end.
    init(appendingTo path: String) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        if fd < 0 { throw EmitError.posix("cannot reopen", path) }
        pending.reserveCapacity(Self.chunk)
    }

    func append(line: some Collection<UInt8>) throws {
        pending.append(contentsOf: line)
        records += 1
        bytes += line.count
        if pending.count >= Self.chunk { try drain(final: false) }
    }

    /// Writes everything, ends the gzip stream, fsyncs (when asked) and closes.
    func finish(sync: Bool) throws {
        try drain(final: true)
        if sync, fsync(fd) != 0 { throw EmitError.posix("fsync", path) }
        let rc = Glibc.close(fd)
        fd = -1
        if rc != 0 { throw EmitError.posix("close", path) }
    }

    /// Closes (if open) and deletes the temporary file: the part is abandoned.
    func abort() {
        if fd >= 0 { Glibc.close(fd); fd = -1 }
        unlink(path)
    }

    private func drain(final: Bool) throws {
        if let d = deflater {
            let out = try d.deflate(pending, finish: final)
            if !out.isEmpty { try writeAll(fd: fd, out, path: path) }
        } else if !pending.isEmpty {
            try writeAll(fd: fd, pending, path: path)
        }
        pending.removeAll(keepingCapacity: !final)
    }

    deinit {
        if fd >= 0 { Glibc.close(fd) }
    }
}

/// A gzip (RFC 1952) stream through system zlib, so `gzip -dc`, DuckDB and every other
/// reader can open the parts.
final class GzipDeflater {
    private let stream: UnsafeMutablePointer<z_stream>
    private let path: String
    private var ended = false

    init(level: Int32, path: String) throws {
        self.path = path
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // windowBits 15 + 16 = gzip wrapper instead of zlib's.
        let rc = deflateInit2_(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                               zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        if rc != Z_OK {
            stream.deallocate()
            throw EmitError("gzip: cannot initialise zlib for \(path) (code \(rc))")
        }
    }

    func deflate(_ input: [UInt8], finish: Bool) throws -> [UInt8] {
        precondition(!ended, "gzip stream used after it ended")
        var output: [UInt8] = []
        var scratch = [UInt8](repeating: 0, count: 1 << 16)
        try input.withUnsafeBufferPointer { inBuf in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
            stream.pointee.avail_in = UInt32(inBuf.count)
            let flush = finish ? Z_FINISH : Z_NO_FLUSH
            while true {
                let (rc, produced) = scratch.withUnsafeMutableBufferPointer { outBuf in
                    stream.pointee.next_out = outBuf.baseAddress
                    stream.pointee.avail_out = UInt32(outBuf.count)
                    let rc = CZlib.deflate(stream, flush)
                    return (rc, outBuf.count - Int(stream.pointee.avail_out))
                }
                if rc == Z_STREAM_ERROR { throw EmitError("gzip: zlib stream error writing \(path)") }
                output.append(contentsOf: scratch[0..<produced])
                if finish {
                    if rc == Z_STREAM_END { break }
                } else if stream.pointee.avail_in == 0 && stream.pointee.avail_out != 0 {
                    break
                }
            }
            stream.pointee.next_in = nil
        }
        if finish {
            deflateEnd(stream)
            stream.deallocate()
            ended = true
        }
        return output
    }

    deinit {
        if !ended {
            deflateEnd(stream)
            stream.deallocate()
        }
    }
}
