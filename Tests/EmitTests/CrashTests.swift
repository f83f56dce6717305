import Foundation
import IngestCore
import Testing
@testable import Emit

/// A minimal write-ahead journal standing in for the state store: one line per
/// transaction, fsynced; a line without its `\n` (cut by the kill) never committed.
struct Journal {
    let path: String

    struct State { var emitted: Set<Int> = []; var pending: Set<String> = [] }

    func read() -> State {
        var state = State()
        guard let data = FileManager.default.contents(atPath: path) else { return state }
        for line in lines(of: data) where line.last == 0x0A {
            let fields = String(decoding: line.dropLast(), as: UTF8.self).split(separator: "\t", omittingEmptySubsequences: false)
            switch fields.first {
            case "C":
                state.emitted.formUnion(fields[1].split(separator: ",").compactMap { Int($0) })
                state.pending.formUnion(fields[2].split(separator: ",").map(String.init))
            case "P":
                state.pending.subtract(fields[1].split(separator: ",").map(String.init))
            default: break
            }
        }
        return state
    }

    func append(_ line: String) throws {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw EmitError.posix("open", path) }
        defer { close(fd) }
        try writeAll(fd: fd, Array(line.utf8), path: path)
        guard fsync(fd) == 0 else { throw EmitError.posix("fsync", path) }
    }
}

let crashChildDirectory = ProcessInfo.processInfo.environment["EMIT_CRASH_CHILD_DIR"]
let crashUniverse = 1_500

@Suite struct CrashTests {
    /// Runs only inside the child process the SIGKILL test starts: one "run" of a
    /// pipeline that emits every item of the universe not yet marked emitted.
    @Test(.enabled(if: crashChildDirectory != nil))
    func crashChildRun() async throws {
        let dir = crashChildDirectory!
        let journal = Journal(path: dir + "/journal")
        let runID = ProcessInfo.processInfo.environment["EMIT_CRASH_RUN_ID"] ?? "child"
        let sink = try PartitionedFileSink(directory: dir + "/out", runID: runID, options: .init(maxRecordsPerPart: 3))
        var state = journal.read()
        let recovered = try sink.recover(pending: Array(state.pending))
        #expect(recovered.missing.isEmpty)
        // Recovery settled every registered name: the ledger forgets them all.
        if !state.pending.isEmpty { try journal.append("P\t\(state.pending.joined(separator: ","))\n") }
        try journal.append("S\t\(runID)\n")  // tells the parent that writing starts now
        var rng = SplitMix64(seed: UInt64(abs(runID.hashValue)))
        while true {
            let todo = (0..<crashUniverse).filter { !state.emitted.contains($0) }.prefix(7)
            if todo.isEmpty { break }
            let batch = todo.map { n in
                EmitRecord.item(item("n\(n)", published: utcDate(2025, 10, 1 + Int(rng.next() % 4))))
            }
            _ = try await sink.writeExactlyOnce(
                batch,
                commit: { part in
                    try journal.append("C\t\(todo.map(String.init).joined(separator: ","))\t\(part.pendingNames.joined(separator: ","))\n")
                },
                published: { part in try journal.append("P\t\(part.pendingNames.joined(separator: ","))\n") })
            state.emitted.formUnion(todo)
            // Pace the writer so that the parent's kill, 0-60 ms after the start mark, lands
            // mid-write however fast this machine's fsync is.
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    /// Kills the writer with SIGKILL at varied moments, many times, then lets a last run
    /// finish, and checks the union of all visible files: every item exactly once, no
    /// temporary file left, and the journal agreeing with the files.
    @Test(.enabled(if: crashChildDirectory == nil))
    func sigkillAtVariedPointsIsExactlyOnce() async throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let binary = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).standardizedFileURL.path
        let journal = Journal(path: dir + "/journal")

        func startChild(_ run: Int) throws -> Process {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: binary)
            p.arguments = ["--testing-library", "swift-testing", "--filter", "crashChildRun"]
            var env = ProcessInfo.processInfo.environment
            env["EMIT_CRASH_CHILD_DIR"] = dir
            env["EMIT_CRASH_RUN_ID"] = "run\(run)"
            p.environment = env
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            return p
        }

        var rng = SplitMix64(seed: 2025)
        var kills = 0
        for run in 0..<12 {
            let p = try startChild(run)
            // Wait until this run has started writing (bounded), then let it write a while.
            var waited = 0
            while !(FileManager.default.contents(atPath: journal.path).map { String(decoding: $0, as: UTF8.self).contains("S\trun\(run)\n") } ?? false),
                  p.isRunning, waited < 3_000 {
                try await Task.sleep(for: .milliseconds(5))
                waited += 1
            }
            try await Task.sleep(for: .milliseconds(Int(rng.next() % 60)))
            if p.isRunning {
                kill(p.processIdentifier, SIGKILL)
                kills += 1
            }
            p.waitUntilExit()
        }
        #expect(kills >= 6, "most runs were killed mid-write")
        let last = try startChild(99)
        last.waitUntilExit()
        #expect(last.terminationReason == .exit && last.terminationStatus == 0)

        let out = dir + "/out"
        #expect(allFiles(out) == visibleFiles(out), "no temporary file survives")
        var seen: [String] = []
        for file in visibleFiles(out) {
            let data = try Data(contentsOf: URL(fileURLWithPath: out + "/" + file))
            let ls = lines(of: data)
            #expect(ls.allSatisfy { $0.last == 0x0A }, "\(file) is complete")
            seen += try ls.map { try parseLine($0)["id"] as! String }
        }
        #expect(seen.count == crashUniverse, "no duplicates and nothing lost: \(seen.count) lines")
        #expect(Set(seen) == Set((0..<crashUniverse).map { "n\($0)" }))
        let state = journal.read()
        #expect(state.emitted.count == crashUniverse && state.pending.isEmpty)
    }
}
