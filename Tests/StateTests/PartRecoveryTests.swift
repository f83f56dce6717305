import Foundation
import Testing
@testable import State

/// The restart half of the exactly-once protocol, on real files: every state a run can
/// be killed in between "temp written" and "published" is laid out, then recovered.
@Suite("Part recovery")
struct PartRecoveryTests {
    private func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    @Test("committed temps roll forward, renamed parts are confirmed, lost parts are abandoned, stray temps deleted")
    func recoversEveryCrashPoint() async throws {
        let dir = try TemporaryDirectory()
        let out = dir.file("output/demo")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let store = try SQLiteStateStore(path: dir.file("output/demo/state.sqlite"))
        func temporary(_ part: String) -> String { (out as NSString).appendingPathComponent(part + ".tmp") }
        func final(_ part: String) -> String { (out as NSString).appendingPathComponent(part) }

        // Killed after commit, before rename.
        let committed = "date=2025-11-07/part-r1-0.jsonl"
        try write("{\"id\":\"a\"}\n", to: temporary(committed))
        try await store.commitEmitted([PartCommit(name: committed, items: [emitted("f", "a", "h", 1)])], runID: "r1")
        // Killed after rename, before markPublished.
        let renamed = "date=2025-11-07/part-r1-1.jsonl"
        try write("{\"id\":\"b\"}\n", to: final(renamed))
        try await store.commitEmitted([PartCommit(name: renamed, items: [emitted("f", "b", "h", 1)])], runID: "r1")
        // Committed, then its file vanished (an operator cleaned the directory).
        let lost = "date=2025-11-07/part-r1-2.jsonl"
        try await store.commitEmitted([PartCommit(name: lost, items: [emitted("f", "c", "h", 1)])], runID: "r1")
        // Killed after writing, before commit: its item was never marked.
        let uncommitted = "date=2025-11-07/part-r1-3.jsonl"
        try write("{\"id\":\"d\"}\n", to: temporary(uncommitted))
        // Published normally: untouched.
        let published = "date=2025-11-06/part-r0-0.jsonl"
        try write("{\"id\":\"e\"}\n", to: final(published))
        try await store.commitEmitted([PartCommit(name: published, items: [emitted("f", "e", "h", 1)])], runID: "r0")
        try await store.markPublished(parts: [published])

        let report = try await PartRecovery.recover(
            store: store, temporaryPath: temporary, finalPath: final,
            leftoverTemporaries: [temporary(committed), temporary(uncommitted)])

        #expect(report.rolledForward == [committed])
        #expect(report.confirmed == [renamed])
        #expect(report.abandoned == [lost])
        #expect(report.deletedTemporaries == [temporary(uncommitted)])

        let fm = FileManager.default
        #expect(fm.fileExists(atPath: final(committed)) && !fm.fileExists(atPath: temporary(committed)))
        #expect(try String(contentsOfFile: final(committed), encoding: .utf8) == "{\"id\":\"a\"}\n")
        #expect(!fm.fileExists(atPath: temporary(uncommitted)))
        #expect(fm.fileExists(atPath: final(published)))
        #expect(try await store.pendingParts().isEmpty)

        // Visible items stay emitted; the lost and the uncommitted ones will be emitted again.
        let next = try await store.classify(["a", "b", "c", "d", "e"].map { fingerprint("f", $0, "h") })
        #expect(next == [.unchanged(revision: 1), .unchanged(revision: 1), .new, .new, .unchanged(revision: 1)])

        // Recovery is itself idempotent: a crash during it and a rerun change nothing more.
        let again = try await PartRecovery.recover(
            store: store, temporaryPath: temporary, finalPath: final, leftoverTemporaries: [])
        #expect(again == PartRecovery.Report())
    }

    @Test("simulated crashes at every step still give each item exactly once over visible files")
    func exactlyOnceAcrossCrashes() async throws {
        // A miniature sink following the protocol, stopped at each step in turn, then
        // recovered and rerun; the union of visible files must hold every item once.
        enum Step: CaseIterable { case afterWrite, afterCommit, afterRename, complete }
        for crashAt in Step.allCases {
            let dir = try TemporaryDirectory()
            let out = dir.file("out")
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let statePath = dir.file("state.sqlite")
            func temporary(_ part: String) -> String { (out as NSString).appendingPathComponent(".\(part).tmp") }
            func final(_ part: String) -> String { (out as NSString).appendingPathComponent(part) }
            let feed = (1...5).map { fingerprint("f", "item-\($0)", "h\($0)") }

            func run(_ runID: String, stopAt: Step?) async throws {
                let store = try SQLiteStateStore(path: statePath)
                let leftovers = try FileManager.default.contentsOfDirectory(atPath: out)
                    .filter { $0.hasSuffix(".tmp") }.map { (out as NSString).appendingPathComponent($0) }
                _ = try await PartRecovery.recover(
                    store: store, temporaryPath: temporary, finalPath: final, leftoverTemporaries: leftovers)
                let dispositions = try await store.classify(feed)
                let toEmit = zip(feed, dispositions).compactMap { item, disposition in
                    disposition.revisionToEmit.map {
                        emitted(item.key.feedID, item.key.itemID, item.contentHash, $0)
                    }
                }
                guard !toEmit.isEmpty else { return }
                let part = "part-\(runID).jsonl"
                try toEmit.map { $0.key.itemID + "\n" }.joined().write(toFile: temporary(part), atomically: false, encoding: .utf8)
                if stopAt == .afterWrite { return }
                try await store.commitEmitted([PartCommit(name: part, items: toEmit)], runID: runID)
                if stopAt == .afterCommit { return }
                #expect(rename(temporary(part), final(part)) == 0)
                if stopAt == .afterRename { return }
                try await store.markPublished(parts: [part])
            }

            try await run("r1", stopAt: crashAt)
            try await run("r2", stopAt: nil)
            try await run("r3", stopAt: nil)

            let visible = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".jsonl") }
            var ids: [String] = []
            for name in visible {
                ids += try String(contentsOfFile: final(name), encoding: .utf8).split(separator: "\n").map(String.init)
            }
            #expect(ids.sorted() == (1...5).map { "item-\($0)" }.sorted(), "crash point \(crashAt)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: out).allSatisfy { !$0.hasSuffix(".tmp") })
        }
    }
}
