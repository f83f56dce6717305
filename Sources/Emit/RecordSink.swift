import Foundation
import IngestCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// What Emit writes: an item, or a feed record (the feeds dimension). A feed record is
/// placed before that feed's items in a batch when the feed line belongs on the item
/// stream (`--feed-records`).
public enum EmitRecord: Sendable {
    case item(FeedItem)
    case feed(FeedRecord)

    /// The encoded line, `\n` included.
    public var line: [UInt8] {
        switch self {
        case .item(let i): RecordEncoder.line(i)
        case .feed(let f): RecordEncoder.line(f)
        }
    }
}

/// The sink's word that a batch is durable: only after receiving it may the caller
/// record the batch as emitted (the state store's "emitted" mark follows this, never
/// precedes it).
public struct SinkAck: Sendable, Hashable {
    /// Records made durable by this acknowledgement.
    public var records: Int
    /// Bytes written (uncompressed JSON).
    public var bytes: Int
    /// Files that now hold them, relative to the sink's directory; empty for streams.
    public var files: [String]

    public init(records: Int, bytes: Int, files: [String] = []) {
        self.records = records
        self.bytes = bytes
        self.files = files
    }
}

/// Where records go. `write` returns only once the whole batch is as durable as this
/// sink can make it; the returned acknowledgement is what lets the pipeline mark the
/// batch as emitted. Implementations may be synchronous: a synchronous `throws` method
/// satisfies these `async` requirements.
public protocol RecordSink: Sendable {
    func write(_ batch: [EmitRecord]) async throws -> SinkAck
    /// Flushes what is pending and releases resources. Calling it twice is harmless.
    func close() async throws
}

/// A sink whose writes are split in two phases, so that a state store can commit its
/// "emitted" mark between them and a crash at any point leaves exactly-once output:
///
/// 1. `prepare` writes the batch under temporary names readers skip, and makes them durable.
/// 2. The caller commits, in one state transaction, the items as emitted together with
///    `PreparedPart.pendingNames`.
/// 3. `publish` renames to the final names and makes the renames durable; the caller then
///    forgets the pending names.
/// 4. On the next start, `recover(pending:)` with the names still registered rolls those
///    forward (their records are marked emitted, so they must become visible) and deletes
///    every other temporary file (their records were never marked, so they will be emitted
///    again). Once it returns, the caller forgets every name it passed: each is settled.
public protocol TransactionalRecordSink: RecordSink {
    func prepare(_ batch: [EmitRecord]) async throws -> PreparedPart
    func publish(_ part: PreparedPart) async throws -> SinkAck
    /// Deletes a prepared part's temporary files, when the state commit failed.
    func discard(_ part: PreparedPart) async throws
    func recover(pending: [String]) async throws -> RecoveryReport
}

/// Errors of the Emit stage, each naming the file or value and the reason.
public struct EmitError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }

    static func posix(_ what: String, _ path: String, _ code: Int32 = errno) -> EmitError {
        EmitError("\(what) \(path): \(String(cString: strerror(code))) (errno \(code))")
    }
}

/// JSON Lines on a stream (standard output by default). Each batch is written with
/// `write(2)` straight to the descriptor — no user-space buffer is left behind — so the
/// acknowledgement means the kernel has every byte. Readers of a pipe see whole lines
/// because a batch is written under a lock, never interleaved with another batch.
public final class StdoutSink: RecordSink {
    private let fd: Int32
    private let syncToDisk: Bool
    private let handle: FileHandle
    private let lock = Mutex<Int>(0)

    /// - Parameter syncToDisk: also `fsync` after each batch; meaningful when the handle
    ///   is a regular file (ignored for pipes and terminals, which cannot be synced).
    public init(handle: FileHandle = .standardOutput, syncToDisk: Bool = false) {
        self.handle = handle
        self.fd = handle.fileDescriptor
        self.syncToDisk = syncToDisk
    }

    public func write(_ batch: [EmitRecord]) throws -> SinkAck {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(batch.count * 1024)
        for record in batch {
            switch record {
            case .item(let i): RecordEncoder.append(i, to: &buffer)
            case .feed(let f): RecordEncoder.append(f, to: &buffer)
            }
        }
        try lock.withLock { written in
            try writeAll(fd: fd, buffer, path: "standard output")
            if syncToDisk, fsync(fd) != 0, errno != EINVAL, errno != EROFS {
                throw EmitError.posix("fsync", "standard output")
            }
            written += buffer.count
        }
        return SinkAck(records: batch.count, bytes: buffer.count)
    }

    public func close() throws {}

    /// Bytes written so far.
    public var bytesWritten: Int { lock.withLock { $0 } }
}

/// `write(2)` until every byte is out, retrying on EINTR and short writes.
func writeAll(fd: Int32, _ bytes: [UInt8], path: String) throws {
    try bytes.withUnsafeBytes { raw in
        guard var p = raw.baseAddress else { return }
        var left = raw.count
        while left > 0 {
            let n = write(fd, p, left)
            if n < 0 {
                if errno == EINTR { continue }
                throw EmitError.posix("write", path)
            }
            p += n
            left -= n
        }
    }
}

extension TransactionalRecordSink {
    /// The exactly-once write, in the only safe order:
    ///
    /// 1. `prepare` (temporary files, durable);
    /// 2. `commit(part)`: the caller's state transaction marks the batch's items emitted
    ///    and registers `part.pendingNames`. If it throws, the state did not change, so the
    ///    temporary files are discarded and the error rethrown: the items will be emitted
    ///    again later, never lost;
    /// 3. `publish` (rename, durable). If this throws, the names stay registered and the
    ///    next `recover(pending:)` rolls them forward;
    /// 4. `published(part)`: the caller forgets the pending names. If it throws, nothing
    ///    is lost either: recovery finds the files already published.
    ///
    /// A kill at any point between these steps leaves a state that `recover` completes
    /// to exactly once.
    public func writeExactlyOnce(
        _ batch: [EmitRecord],
        commit: (PreparedPart) async throws -> Void,
        published: (PreparedPart) async throws -> Void
    ) async throws -> SinkAck {
        let part = try await prepare(batch)
        do {
            try await commit(part)
        } catch {
            try? await discard(part)
            throw error
        }
        let ack = try await publish(part)
        try await published(part)
        return ack
    }
}
