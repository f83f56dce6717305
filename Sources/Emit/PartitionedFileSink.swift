import Foundation
import IngestCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// How `PartitionedFileSink` cuts and compresses its files.
public struct PartitionedFileSinkOptions: Sendable, Hashable {
    public enum Compression: Sendable, Hashable {
        case none
        /// `.jsonl.gz`; level 1 (fast) ... 9 (small), zlib's default 6.
        case gzip(level: Int32 = 6)
    }

    public var compression: Compression
    /// A new part starts once this many records are in the current one.
    public var maxRecordsPerPart: Int
    /// A new part starts before a line would take the current one past this many bytes of
    /// JSON. Counted before compression, so the cut does not depend on the zlib version; a
    /// single line longer than this still gets a part of its own.
    public var maxBytesPerPart: Int
    /// fsync files and directories. Only benchmarks that measure something else should
    /// turn this off: without it the acknowledgement no longer means durable.
    public var sync: Bool
    /// For `write` (a caller without a state store, like the ad-hoc run): each partition's part
    /// stays under its temporary name across writes, and is published once full, at `close`,
    /// or at the first write this long after the last publication. `nil`: every write is
    /// published at once, a file per partition per write. A run over feeds whose items span
    /// 1,789 days wrote 19,090 files that way, and spent most of its time in fsync.
    /// Uncompressed parts only: a gzip stream cannot be left and resumed.
    public var holdPartsAcrossWrites: Duration?

    public init(
        compression: Compression = .none, maxRecordsPerPart: Int = 100_000,
        maxBytesPerPart: Int = 128 << 20, sync: Bool = true, holdPartsAcrossWrites: Duration? = nil
    ) {
        self.compression = compression
        self.maxRecordsPerPart = max(1, maxRecordsPerPart)
        self.maxBytesPerPart = max(1, maxBytesPerPart)
        self.sync = sync
        self.holdPartsAcrossWrites = holdPartsAcrossWrites
    }
}

/// One file of a prepared batch, named relative to the sink's directory.
public struct PreparedFile: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case items, feeds }
    public var kind: Kind
    /// `YYYY-MM-DD`, the partition.
    public var date: String
    /// `date=…/.part-RUN-SEQ.jsonl.tmp`: what the state store registers as pending.
    public var temporaryName: String
    /// `date=…/part-RUN-SEQ.jsonl`: what readers see after `publish`.
    public var finalName: String
    public var records: Int
    /// Uncompressed JSON bytes.
    public var bytes: Int
}

/// A batch written and fsynced under temporary names, not yet visible to readers.
/// A "part" here is the unit of publication: one file per partition and rotation cut.
public struct PreparedPart: Sendable, Hashable {
    public var files: [PreparedFile]
    /// Register these with the state store in the same transaction that marks the
    /// batch's items as emitted; hand them to `recover(pending:)` after a crash.
    public var pendingNames: [String] { files.map(\.temporaryName) }
    public var records: Int { files.reduce(0) { $0 + $1.records } }
    public var bytes: Int { files.reduce(0) { $0 + $1.bytes } }
}

/// What `recover(pending:)` did, relative names throughout.
public struct RecoveryReport: Sendable, Hashable {
    /// Registered temporary files renamed to their final names now (roll forward).
    public var rolledForward: [String] = []
    /// Registered names whose final file already existed: the crash came after the rename.
    public var alreadyPublished: [String] = []
    /// Unregistered temporary files deleted (roll back): their records were never marked
    /// emitted and will be written again.
    public var rolledBack: [String] = []
    /// Registered names with neither a temporary nor a final file: records the state
    /// believes emitted are gone (someone deleted output). Report these loudly.
    public var missing: [String] = []
    public init() {}
}

/// JSON Lines files under `output/NAME/`, partitioned by day and written so that a
/// reader never sees a partial file:
///
///     date=2025-11-06/part-<runID>-000001.jsonl[.gz]    items
///     date=2025-11-06/feeds-<runID>-000002.jsonl[.gz]   feed records (the feeds dimension)
///     date=2025-11-06/.part-<runID>-000003.jsonl.tmp    being written; readers skip dot files
///
/// The partition of an item is the UTC date of `published_at`, else of `fetched_at`
/// (an item without a usable date is filed under the day it was fetched). The partition
/// of a feed record is the UTC date of its `fetched_at`, else of the moment it is written.
/// Sequence numbers count files per sink; names already on disk are skipped, so a reused
/// run id never overwrites anything.
public final class PartitionedFileSink: TransactionalRecordSink {
    public let directory: String
    public let runID: String
    public let options: PartitionedFileSinkOptions

    private struct Counters {
        var seq = 0
        var knownDirectories: Set<String> = []
        var filesSynced = 0
        var directoriesSynced = 0
        var filesPublished = 0
    }
    private let counters = Mutex(Counters())

    /// The parts `write` keeps under their temporary names for the next writes, by partition.
    private struct Held {
        var parts: [String: PreparedFile] = [:]
        var lastPublished = ContinuousClock.now

        /// Takes every held part, in partition order, for publishing.
        mutating func takeAll() -> [PreparedFile] {
            defer { parts = [:]; lastPublished = ContinuousClock.now }
            return parts.keys.sorted().map { parts[$0]! }
        }
    }
    private let held = Mutex(Held())

    public init(directory: String, runID: String, options: PartitionedFileSinkOptions = .init()) throws {
        guard !runID.isEmpty, !runID.hasPrefix("."),
              runID.utf8.allSatisfy({ Self.runIDAllowed($0) })
        else {
            throw EmitError("invalid run id \"\(runID)\": use letters, digits, '.', '_' or '-', not starting with '.'")
        }
        self.directory = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        self.runID = runID
        self.options = options
        try Self.makeDirectory(self.directory, sync: options.sync)
    }

    /// A run id that sorts by start time and does not collide between runs started in the
    /// same second: `[worker-]20251107T022500Z-1a2b3c`. Part names carry it, so a listing
    /// of a partition is in run order.
    public static func makeRunID(startedAt: Date = Date(), worker: String? = nil) -> String {
        let stamp = RFC3339.utc(Date(timeIntervalSince1970: startedAt.timeIntervalSince1970.rounded(.down)))
            .filter { $0 != "-" && $0 != ":" }
        let random = String(UInt32.random(in: 0...0xFF_FFFF), radix: 16)
        let suffix = String(repeating: "0", count: 6 - random.count) + random
        let prefix = worker.map { w in
            String(w.unicodeScalars.map { s -> Character in
                s.isASCII && runIDAllowed(UInt8(s.value)) ? Character(s) : "_"
            }) + "-"
        } ?? ""
        return prefix + stamp + "-" + suffix
    }

    private static func runIDAllowed(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
            || b == 0x2D || b == 0x2E || b == 0x5F
    }

    /// fsync calls made on part files and on directories, for tests and the run summary.
    public var syncCounts: (files: Int, directories: Int) {
        counters.withLock { ($0.filesSynced, $0.directoriesSynced) }
    }

    // MARK: RecordSink

    /// Prepare and publish in one step, for callers without a state store; with
    /// `holdPartsAcrossWrites`, append to the partitions' held parts instead.
    public func write(_ batch: [EmitRecord]) throws -> SinkAck {
        guard let interval = options.holdPartsAcrossWrites, gzipLevel == nil else {
            let part = try prepare(batch)
            return try publish(part)
        }
        return try held.withLock { h in
            var done: [PreparedFile] = []
            var bytes = 0
            var line: [UInt8] = []
            line.reserveCapacity(4096)
            for group in Self.groups(of: batch, now: Date()) {
                let key = "\(group.date)|\(group.kind.rawValue)"
                let partitionDir = "date=\(group.date)"
                try ensurePartitionDirectory(partitionDir)
                var part = h.parts.removeValue(forKey: key)
                var writer: PartWriter?
                func seal() throws {
                    if let w = writer { try w.finish(sync: false) }
                    writer = nil
                    if let p = part { done.append(p) }
                    part = nil
                }
                do {
                    for record in group.records {
                        Self.encode(record, into: &line)
                        if let p = part, p.records >= options.maxRecordsPerPart
                            || p.bytes + line.count > options.maxBytesPerPart {
                            try seal()
                        }
                        if part == nil {
                            let names = allocateNames(kind: group.kind, partitionDir: partitionDir)
                            writer = try PartWriter(path: path(names.temporary), gzipLevel: nil)
                            part = PreparedFile(kind: group.kind, date: group.date, temporaryName: names.temporary,
                                                finalName: names.final, records: 0, bytes: 0)
                        } else if writer == nil {
                            writer = try PartWriter(appendingTo: path(part!.temporaryName))
                        }
                        try writer!.append(line: line)
                        part!.records += 1
                        part!.bytes += line.count
                        bytes += line.count
                    }
                    // Written, not yet synced: the fsync comes once, when the part is published.
                    if let w = writer { try w.finish(sync: false) }
                    writer = nil
                } catch {
                    // The part being written may end in half a line: it is dropped whole, earlier
                    // writes' lines with it, rather than published corrupt.
                    writer?.abort()
                    throw error
                }
                if let part { h.parts[key] = part }
            }
            if ContinuousClock.now - h.lastPublished >= interval { done += h.takeAll() }
            try publishHeld(done)
            return SinkAck(records: batch.count, bytes: bytes, files: done.map(\.finalName))
        }
    }

    /// Publishes every held part.
    public func close() throws {
        try held.withLock { h in try publishHeld(h.takeAll()) }
    }

    /// Held parts were written without fsync (a part may take many writes): each is synced
    /// once here, then renamed like a prepared part.
    private func publishHeld(_ files: [PreparedFile]) throws {
        guard !files.isEmpty else { return }
        if options.sync {
            for file in files {
                let p = path(file.temporaryName)
                let fd = open(p, O_RDONLY | O_CLOEXEC)
                if fd < 0 { throw EmitError.posix("cannot open", p) }
                defer { Glibc.close(fd) }
                if fsync(fd) != 0 { throw EmitError.posix("fsync", p) }
                counters.withLock { $0.filesSynced += 1 }
            }
        }
        _ = try publish(PreparedPart(files: files))
    }

    /// One record as a JSON line, into `line` (cleared first).
    private static func encode(_ record: EmitRecord, into line: inout [UInt8]) {
        line.removeAll(keepingCapacity: true)
        switch record {
        case .item(let i): RecordEncoder.append(i, to: &line)
        case .feed(let f): RecordEncoder.append(f, to: &line)
        }
    }

    /// A batch's records grouped by partition (date, kind), in key order, each group in record order.
    private static func groups(of batch: [EmitRecord], now: Date)
        -> [(kind: PreparedFile.Kind, date: String, records: [EmitRecord])]
    {
        var groups: [String: (kind: PreparedFile.Kind, date: String, records: [EmitRecord])] = [:]
        var dayNames: [Int64: String] = [:]
        for record in batch {
            let (kind, instant, fallback) = partitionSource(of: record, now: now)
            let day = partitionDay(instant, fallback: fallback, now: now)
            let date: String
            if let known = dayNames[day] { date = known } else {
                date = dayName(day)
                dayNames[day] = date
            }
            groups["\(date)|\(kind.rawValue)", default: (kind, date, [])].records.append(record)
        }
        return groups.keys.sorted().map { groups[$0]! }
    }

    // MARK: Two phases

    public func prepare(_ batch: [EmitRecord]) throws -> PreparedPart {
        var writers: [PartWriter] = []
        var files: [PreparedFile] = []
        var line: [UInt8] = []  // one scratch buffer for every record of the batch
        line.reserveCapacity(4096)
        var directories: [String] = []
        do {
            for group in Self.groups(of: batch, now: Date()) {
                let partitionDir = "date=\(group.date)"
                if !directories.contains(partitionDir) {
                    try ensurePartitionDirectory(partitionDir)
                    directories.append(partitionDir)
                }
                var current: (writer: PartWriter, names: (String, String))?
                func seal() throws {
                    guard let c = current else { return }
                    try c.writer.finish(sync: options.sync)
                    if options.sync { counters.withLock { $0.filesSynced += 1 } }
                    files.append(PreparedFile(
                        kind: group.kind, date: group.date, temporaryName: c.names.0,
                        finalName: c.names.1, records: c.writer.records, bytes: c.writer.bytes))
                    current = nil
                }
                for record in group.records {
                    Self.encode(record, into: &line)
                    if let c = current,
                       c.writer.records >= options.maxRecordsPerPart
                        || c.writer.bytes + line.count > options.maxBytesPerPart {
                        try seal()
                    }
                    if current == nil {
                        let names = allocateNames(kind: group.kind, partitionDir: partitionDir)
                        let writer = try PartWriter(path: path(names.temporary), gzipLevel: gzipLevel)
                        writers.append(writer)
                        current = (writer, (names.temporary, names.final))
                    }
                    try current!.writer.append(line: line)
                }
                try seal()
            }
            // The temporary names must survive power loss too: the state store is about to
            // record them as pending, and recovery must find them.
            for dir in directories { try syncDirectory(dir) }
        } catch {
            for w in writers { w.abort() }
            throw error
        }
        return PreparedPart(files: files)
    }

    /// `prepare` for records read as they are written (a scheduled run's feeds dimension, read
    /// back from a temporary file): one part stays open per partition instead of the batch being
    /// grouped first, so the records are never in memory together. Each open part holds a
    /// writer and its buffer, so this suits records that fall on few days, as a run's feed
    /// records do (the days it ran). Parts are named in the order their partitions first appear.
    public func prepare<Records: Sequence<EmitRecord>>(streaming records: Records) throws -> PreparedPart {
        var open: [String: (kind: PreparedFile.Kind, date: String, writer: PartWriter, temporary: String, final: String)] = [:]
        /// Partitions in the order they first appear: the order their last parts are sealed in.
        var keys: [String] = []
        var writers: [PartWriter] = []
        var files: [PreparedFile] = []
        var line: [UInt8] = []
        line.reserveCapacity(4096)
        var directories: [String] = []
        let now = Date()
        func seal(_ key: String) throws {
            guard let o = open.removeValue(forKey: key) else { return }
            try o.writer.finish(sync: options.sync)
            if options.sync { counters.withLock { $0.filesSynced += 1 } }
            files.append(PreparedFile(kind: o.kind, date: o.date, temporaryName: o.temporary, finalName: o.final,
                                      records: o.writer.records, bytes: o.writer.bytes))
        }
        do {
            for record in records {
                let (kind, instant, fallback) = Self.partitionSource(of: record, now: now)
                let date = Self.partitionDate(instant, fallback: fallback, now: now)
                let key = "\(date)|\(kind.rawValue)"
                let partitionDir = "date=\(date)"
                if !directories.contains(partitionDir) {
                    try ensurePartitionDirectory(partitionDir)
                    directories.append(partitionDir)
                }
                Self.encode(record, into: &line)
                if let o = open[key], o.writer.records >= options.maxRecordsPerPart
                    || o.writer.bytes + line.count > options.maxBytesPerPart {
                    try seal(key)
                }
                if open[key] == nil {
                    let names = allocateNames(kind: kind, partitionDir: partitionDir)
                    let writer = try PartWriter(path: path(names.temporary), gzipLevel: gzipLevel)
                    writers.append(writer)
                    open[key] = (kind, date, writer, names.temporary, names.final)
                    if !keys.contains(key) { keys.append(key) }
                }
                try open[key]!.writer.append(line: line)
            }
            for key in keys { try seal(key) }
            for dir in directories { try syncDirectory(dir) }
        } catch {
            for w in writers { w.abort() }
            throw error
        }
        return PreparedPart(files: files)
    }

    /// Renames every file of the part to its final name and makes the renames durable.
    /// Idempotent: a file already renamed (by an earlier call or by `recover`) is fine.
    public func publish(_ part: PreparedPart) throws -> SinkAck {
        var directories: [String] = []
        for file in part.files {
            try Self.checkRelative(file.temporaryName)
            try Self.checkRelative(file.finalName)
            if rename(path(file.temporaryName), path(file.finalName)) != 0 {
                let code = errno
                if !(code == ENOENT && exists(path(file.finalName))) {
                    throw EmitError.posix("cannot publish \(file.temporaryName) as", path(file.finalName), code)
                }
            }
            let dir = Self.parent(file.finalName)
            if !directories.contains(dir) { directories.append(dir) }
        }
        for dir in directories { try syncDirectory(dir) }
        counters.withLock { $0.filesPublished += part.files.count }
        return SinkAck(records: part.records, bytes: part.bytes, files: part.files.map(\.finalName))
    }

    public func discard(_ part: PreparedPart) throws {
        for file in part.files {
            try Self.checkRelative(file.temporaryName)
            if unlink(path(file.temporaryName)) != 0, errno != ENOENT {
                throw EmitError.posix("cannot delete", path(file.temporaryName))
            }
        }
    }

    public func recover(pending: [String]) throws -> RecoveryReport {
        try recover(pending: pending, rollBackOnlyRunIDPrefix: nil)
    }

    /// Finishes what a crashed run left: registered temporary files are published, every
    /// other temporary file is deleted.
    ///
    /// - Parameter rollBackOnlyRunIDPrefix: when several writers share the directory
    ///   (one per worker), delete only unregistered temporary files whose run id starts
    ///   with this prefix, so a worker never removes another live worker's files.
    public func recover(pending: [String], rollBackOnlyRunIDPrefix: String?) throws -> RecoveryReport {
        var report = RecoveryReport()
        var registered = Set<String>()
        var directories: [String] = []
        func touched(_ dir: String) { if !directories.contains(dir) { directories.append(dir) } }

        for name in pending {
            guard let final = Self.finalName(forTemporary: name) else {
                throw EmitError("recover: \"\(name)\" is not a temporary part name of \(directory)")
            }
            registered.insert(name)
            let tempExists = exists(path(name))
            let finalExists = exists(path(final))
            switch (tempExists, finalExists) {
            case (true, false):
                if rename(path(name), path(final)) != 0 {
                    throw EmitError.posix("recover: cannot publish \(name) as", path(final))
                }
                report.rolledForward.append(name)
                touched(Self.parent(final))
            case (true, true):
                // Cannot come from publish (rename is atomic); a copy left by hand. The
                // final file is the one readers already saw.
                unlink(path(name))
                report.alreadyPublished.append(name)
                touched(Self.parent(final))
            case (false, true):
                report.alreadyPublished.append(name)
            case (false, false):
                report.missing.append(name)
            }
        }

        for name in try temporaryFiles() where !registered.contains(name) {
            if let prefix = rollBackOnlyRunIDPrefix {
                let base = Self.baseName(name)
                guard base.hasPrefix(".part-\(prefix)") || base.hasPrefix(".feeds-\(prefix)") else { continue }
            }
            if unlink(path(name)) != 0, errno != ENOENT {
                throw EmitError.posix("recover: cannot delete leftover", path(name))
            }
            report.rolledBack.append(name)
            touched(Self.parent(name))
        }
        for dir in directories { try syncDirectory(dir) }
        return report
    }

    /// Every temporary part file under the directory (top level and `date=` partitions).
    public func temporaryFiles() throws -> [String] {
        var out: [String] = []
        let fm = FileManager.default
        let top: [String]
        do { top = try fm.contentsOfDirectory(atPath: directory) } catch {
            throw EmitError("cannot list \(directory): \(error.localizedDescription)")
        }
        for entry in top.sorted() {
            if Self.isTemporaryName(entry) { out.append(entry); continue }
            guard entry.hasPrefix("date="), isDirectory(path(entry)) else { continue }
            let inner = (try? fm.contentsOfDirectory(atPath: path(entry))) ?? []
            for file in inner.sorted() where Self.isTemporaryName(file) {
                out.append(entry + "/" + file)
            }
        }
        return out
    }

    // MARK: Names

    private var gzipLevel: Int32? {
        if case .gzip(let level) = options.compression { return level }
        return nil
    }

    private var fileExtension: String { gzipLevel == nil ? ".jsonl" : ".jsonl.gz" }

    private func allocateNames(kind: PreparedFile.Kind, partitionDir: String) -> (temporary: String, final: String) {
        counters.withLock { c in
            while true {
                c.seq += 1
                let seq = String(c.seq)
                let padded = String(repeating: "0", count: max(0, 6 - seq.count)) + seq
                let base = "\(kind == .items ? "part" : "feeds")-\(runID)-\(padded)\(fileExtension)"
                let final = partitionDir + "/" + base
                let temporary = partitionDir + "/." + base + ".tmp"
                if !exists(path(final)) && !exists(path(temporary)) { return (temporary, final) }
            }
        }
    }

    static func isTemporaryName(_ base: String) -> Bool {
        (base.hasPrefix(".part-") || base.hasPrefix(".feeds-")) && base.hasSuffix(".tmp")
    }

    /// `date=D/.part-X.jsonl.tmp` → `date=D/part-X.jsonl`; nil for anything else, so a
    /// corrupted state entry can never make recovery rename arbitrary files.
    static func finalName(forTemporary name: String) -> String? {
        guard !name.hasPrefix("/"), !name.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }) else {
            return nil
        }
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let base = parts.last.map(String.init), isTemporaryName(base) else { return nil }
        if parts.count == 2, !parts[0].hasPrefix("date=") { return nil }
        let finalBase = String(base.dropFirst().dropLast(4))
        return parts.count == 2 ? "\(parts[0])/\(finalBase)" : finalBase
    }

    /// A record's file kind and the instants its day is read from: an item's publication, else
    /// its fetch; a feed record's fetch, else the run's time.
    static func partitionSource(of record: EmitRecord, now: Date) -> (kind: PreparedFile.Kind, instant: Date?, fallback: Date) {
        switch record {
        case .item(let item): return (.items, item.published?.instant, item.fetchedAt)
        case .feed(let feed): return (.feeds, feed.fetchedAt, now)
        }
    }

    /// Days since 1970-01-01 (UTC) of the first usable date.
    static func partitionDay(_ date: Date?, fallback: Date, now: Date) -> Int64 {
        for candidate in [date, fallback, now] {
            if let c = candidate, RecordEncoder.representable(c) {
                return Int64((c.timeIntervalSince1970 / 86_400).rounded(.down))
            }
        }
        return 0
    }

    /// `YYYY-MM-DD`.
    static func dayName(_ day: Int64) -> String {
        let (y, m, d) = RFC3339.civilFromDays(day)
        func pad(_ v: Int, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    static func partitionDate(_ date: Date?, fallback: Date, now: Date) -> String {
        dayName(partitionDay(date, fallback: fallback, now: now))
    }

    private static func checkRelative(_ name: String) throws {
        if name.hasPrefix("/") || name.split(separator: "/").contains("..") {
            throw EmitError("refusing path \"\(name)\" outside the output directory")
        }
    }

    private static func parent(_ name: String) -> String {
        guard let slash = name.lastIndex(of: "/") else { return "" }
        return String(name[..<slash])
    }

    private static func baseName(_ name: String) -> String {
        guard let slash = name.lastIndex(of: "/") else { return name }
        return String(name[name.index(after: slash)...])
    }

    private func path(_ relative: String) -> String {
        relative.isEmpty ? directory : directory + "/" + relative
    }

    // MARK: File system

    private func exists(_ p: String) -> Bool {
        var st = stat()
        return lstat(p, &st) == 0
    }

    private func isDirectory(_ p: String) -> Bool {
        var st = stat()
        return stat(p, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    private func ensurePartitionDirectory(_ relative: String) throws {
        if counters.withLock({ $0.knownDirectories.contains(relative) }) { return }
        if mkdir(path(relative), 0o755) == 0 {
            // The new directory's entry lives in its parent.
            try syncDirectory("")
        } else if errno != EEXIST || !isDirectory(path(relative)) {
            throw EmitError.posix("cannot create partition directory", path(relative))
        }
        counters.withLock { _ = $0.knownDirectories.insert(relative) }
    }

    private func syncDirectory(_ relative: String) throws {
        guard options.sync else { return }
        try Self.fsyncDirectory(path(relative))
        counters.withLock { $0.directoriesSynced += 1 }
    }

    static func fsyncDirectory(_ p: String) throws {
        let fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { throw EmitError.posix("cannot open directory", p) }
        defer { Glibc.close(fd) }
        if fsync(fd) != 0 { throw EmitError.posix("fsync of directory", p) }
    }

    private static func makeDirectory(_ p: String, sync: Bool) throws {
        var st = stat()
        if stat(p, &st) == 0 {
            if (st.st_mode & S_IFMT) != S_IFDIR { throw EmitError("output \(p) exists and is not a directory") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        } catch {
            throw EmitError("cannot create output directory \(p): \(error.localizedDescription)")
        }
        if sync {
            let parent = (p as NSString).deletingLastPathComponent
            try? fsyncDirectory(parent.isEmpty ? "." : parent)
        }
    }
}
