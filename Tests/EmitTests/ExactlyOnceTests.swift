import Foundation
import IngestCore
import Synchronization
import Testing
@testable import Emit

/// A stand-in for the state store's two tables that matter here: items marked emitted
/// and pending part names, each changed atomically as one transaction would.
final class LedgerForTest: Sendable {
    struct Tables { var emitted: Set<String> = []; var pending: Set<String> = []; var log: [String] = [] }
    let tables = Mutex(Tables())
    let failCommit: Bool
    init(failCommit: Bool = false) { self.failCommit = failCommit }

    func commit(_ part: PreparedPart, ids: [String], dir: String) throws {
        // At commit time the files must be complete, durable and still invisible.
        let visible = visibleFiles(dir)
        try tables.withLock { t in
            t.log.append("commit visible=\(visible.count)")
            if failCommit { throw EmitError("state: database is locked") }
            t.emitted.formUnion(ids)
            t.pending.formUnion(part.pendingNames)
        }
    }

    func forget(_ part: PreparedPart) {
        tables.withLock { t in
            t.log.append("forget")
            t.pending.subtract(part.pendingNames)
        }
    }
}

@Suite struct ExactlyOnceTests {
    @Test func commitHappensBetweenPrepareAndPublish() async throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sink = try PartitionedFileSink(directory: dir, runID: "eo")
        let ledger = LedgerForTest()
        let batch = (0..<5).map { EmitRecord.item(item("e\($0)", published: utcDate(2025, 7, 1 + $0 % 2))) }
        let ack = try await sink.writeExactlyOnce(
            batch,
            commit: { try ledger.commit($0, ids: (0..<5).map { "e\($0)" }, dir: dir) },
            published: { ledger.forget($0) })
        #expect(ack.records == 5 && visibleFiles(dir).count == 2 && allFiles(dir).count == 2)
        let t = ledger.tables.withLock { $0 }
        #expect(t.log == ["commit visible=0", "forget"])
        #expect(t.emitted.count == 5 && t.pending.isEmpty)
    }

    @Test func aFailedCommitLeavesNoFilesAndNothingMarked() async throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sink = try PartitionedFileSink(directory: dir, runID: "eo")
        let ledger = LedgerForTest(failCommit: true)
        await #expect(throws: EmitError.self) {
            _ = try await sink.writeExactlyOnce(
                [.item(item("x", published: nil))],
                commit: { try ledger.commit($0, ids: ["x"], dir: dir) },
                published: { ledger.forget($0) })
        }
        #expect(allFiles(dir).isEmpty)
        #expect(ledger.tables.withLock { $0.emitted.isEmpty && $0.pending.isEmpty })
    }

    /// Simulates a kill after every possible step of many batches, then a restart with
    /// recovery, and checks the union of visible records against what the ledger says
    /// was emitted: every marked item visible exactly once, nothing unmarked visible.
    @Test(arguments: 0..<4)
    func killAfterAnyStepThenRecoverIsExactlyOnce(killAfterStep: Int) async throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ledger = LedgerForTest()
        struct Killed: Error {}
        var expected: Set<String> = []
        var runNumber = 0
        var nextItem = 0
        // Several runs; in each, the last batch is killed after `killAfterStep`.
        for _ in 0..<3 {
            runNumber += 1
            let sink = try PartitionedFileSink(directory: dir, runID: "run\(runNumber)", options: .init(maxRecordsPerPart: 2))
            _ = try sink.recover(pending: Array(ledger.tables.withLock { $0.pending }))
            for batchIndex in 0..<3 {
                let ids = (0..<3).map { _ in nextItem += 1; return "k\(nextItem)" }
                let batch = ids.map { EmitRecord.item(item($0, published: utcDate(2025, 8, 1 + nextItem % 3))) }
                let kill = batchIndex == 2
                do {
                    let part = try sink.prepare(batch)
                    if kill && killAfterStep == 0 { throw Killed() }
                    try ledger.commit(part, ids: ids, dir: dir)
                    if kill && killAfterStep == 1 { throw Killed() }
                    _ = try sink.publish(part)
                    if kill && killAfterStep == 2 { throw Killed() }
                    ledger.forget(part)
                    if kill && killAfterStep == 3 { throw Killed() }
                } catch is Killed {}
                // Items whose batch was not committed are not marked: a later run emits them again.
                if !(kill && killAfterStep == 0) { expected.formUnion(ids) } else { nextItem -= 3 }
            }
        }
        let last = try PartitionedFileSink(directory: dir, runID: "final")
        _ = try last.recover(pending: Array(ledger.tables.withLock { $0.pending }))
        #expect(allFiles(dir) == visibleFiles(dir), "no temporary file survives recovery")
        var seen: [String] = []
        for file in visibleFiles(dir) {
            let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + file))
            seen += try lines(of: data).map { try parseLine($0)["id"] as! String }
        }
        #expect(seen.count == Set(seen).count, "no duplicates")
        #expect(Set(seen) == expected)
        #expect(ledger.tables.withLock { $0.emitted } == expected)
    }
}
