import Foundation
import IngestCore
import Synchronization
import Testing
@testable import Emit

private func source(_ id: String) -> FeedSource {
    FeedSource(location: "https://example.com/\(id).xml", id: id)
}

private func begin(_ id: String) -> FeedEvent<FeedItem> {
    .begin(FeedContext(source: source(id), info: FeedInfo(), requestedURL: source(id).location,
                       finalURL: source(id).location, httpStatus: 200, fetchedAt: utcDate(2025, 11, 7)))
}

private func end(_ id: String, items: Int, status: FeedOutcome.Status = .ok, error: String? = nil) -> FeedEvent<FeedItem> {
    .end(FeedOutcome(source: source(id), status: status,
                     record: FeedRecord(url: source(id).location, httpStatus: error == nil ? 200 : 404, items: items,
                                        error: error, feedID: id, fetchedAt: utcDate(2025, 11, 7))))
}

/// The ledger side as a state store would see it, recording what it was asked to do.
final class RecordingLedger: EmitLedger {
    struct Log { var emitted: [String] = []; var outcomes: [String] = []; var pending: Set<String> = []; var visibleAtCommit: [Int] = [] }
    let log = Mutex(Log())
    let directory: String?
    init(directory: String?) { self.directory = directory }

    func commit(_ batch: EmitBatch, part: PreparedPart) async throws {
        let visible = directory.map { visibleFiles($0).count } ?? 0
        log.withLock {
            $0.emitted += batch.items.map(\.id)
            $0.outcomes += batch.outcomes.map(\.source.id)
            $0.pending.formUnion(part.pendingNames)
            $0.visibleAtCommit.append(visible)
        }
    }

    func published(_ part: PreparedPart) async throws {
        log.withLock { _ = $0.pending.subtract(part.pendingNames) }
    }
}

@Suite struct EmitStageTests {
    @Test func feedRecordPrecedesItsItemsOnTheStreamEvenWhenFeedsInterleave() async throws {
        let pipe = Pipe()
        let stage = EmitStage(sink: StdoutSink(handle: pipe.fileHandleForWriting), options: .init(feedRecords: true))
        let input = BoundedChannel<FeedEvent<FeedItem>>(capacity: 4)
        async let summary = stage.run(input: input)
        for e in [begin("a"), begin("b"), .item(item("a1", published: nil), feedID: "a"), .item(item("b1", published: nil), feedID: "b"),
                  .item(item("a2", published: nil), feedID: "a"), end("b", items: 1), begin("c"), end("c", items: 0, error: "HTTP 404"),
                  end("a", items: 2), end("z", items: 0, status: .skipped)] {
            try await input.send(e)
        }
        input.finish()
        let s = try await summary
        try pipe.fileHandleForWriting.close()
        let objects = try lines(of: pipe.fileHandleForReading.readDataToEndOfFile()).map { try parseLine($0) }
        let shown = objects.map { ($0["schema"] as! String) == "ingest.feed/1" ? "feed:\($0["feed_id"] as! String)" : $0["id"] as! String }
        #expect(shown == ["feed:b", "b1", "feed:c", "feed:a", "a1", "a2"])
        #expect(objects[2]["error"] as? String == "HTTP 404")
        #expect(s.items == 3 && s.records == 6 && s.batches == 1)
    }

    @Test func withoutFeedRecordsOnlyItemsAreWritten() async throws {
        let pipe = Pipe()
        let stage = EmitStage(sink: StdoutSink(handle: pipe.fileHandleForWriting))
        let input = BoundedChannel<FeedEvent<FeedItem>>(capacity: 2)
        async let summary = stage.run(input: input)
        for e in [begin("a"), .item(item("a1", published: nil), feedID: "a"), end("a", items: 1)] { try await input.send(e) }
        input.finish()
        _ = try await summary
        try pipe.fileHandleForWriting.close()
        let objects = try lines(of: pipe.fileHandleForReading.readDataToEndOfFile()).map { try parseLine($0) }
        #expect(objects.map { $0["schema"] as? String } == ["ingest.item/1"])
    }

    @Test func filesAreCommittedToTheLedgerBeforeTheyBecomeVisible() async throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sink = try PartitionedFileSink(directory: dir, runID: "stage")
        let ledger = RecordingLedger(directory: dir)
        let stage = EmitStage(sink: sink, ledger: ledger, options: .init(feedRecords: true, maxBatchRecords: 10))
        let input = BoundedChannel<FeedEvent<FeedItem>>(capacity: 8)
        let durable = Mutex<[Int]>([])
        async let summary = stage.run(input: input) { batch, ack in
            durable.withLock { $0.append(batch.items.count) }
            #expect(ack.records == batch.records.count)
        }
        // 6 feeds of 4 items: a batch is cut once 10 items are ready, i.e. after every third feed.
        for f in 0..<6 {
            try await input.send(begin("f\(f)"))
            for i in 0..<4 { try await input.send(.item(item("f\(f)-\(i)", published: utcDate(2025, 11, 1 + i)), feedID: "f\(f)")) }
            try await input.send(end("f\(f)", items: 4))
        }
        input.finish()
        let s = try await summary
        #expect(durable.withLock { $0 } == [12, 12])
        let log = ledger.log.withLock { $0 }
        #expect(log.visibleAtCommit == [0, s.files.count / 2], "nothing of a batch is visible when the ledger commits it")
        #expect(log.pending.isEmpty)
        #expect(log.outcomes == (0..<6).map { "f\($0)" })
        #expect(Set(log.emitted).count == 24)
        // Every emitted id is in exactly one visible file; feed records sit in feeds-*.jsonl.
        var ids: [String] = []
        var feedLines = 0
        for file in visibleFiles(dir) {
            for o in try lines(of: Data(contentsOf: URL(fileURLWithPath: dir + "/" + file))).map({ try parseLine($0) }) {
                if file.contains("/feeds-") { feedLines += 1; #expect(o["schema"] as? String == "ingest.feed/1") }
                else { ids.append(o["id"] as! String) }
            }
        }
        #expect(ids.sorted() == log.emitted.sorted())
        #expect(feedLines == 6)
        #expect(allFiles(dir) == visibleFiles(dir))
    }

    /// A feed that ends while nothing else arrives is written after `maxBatchDelay`, not
    /// held until the input ends (a quiet `serve` must still make items durable).
    @Test func aQuietInputStillGetsWrittenAfterTheDelay() async throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sink = try PartitionedFileSink(directory: dir, runID: "quiet")
        let stage = EmitStage(sink: sink, options: .init(maxBatchDelay: .milliseconds(50)))
        let input = BoundedChannel<FeedEvent<FeedItem>>(capacity: 8)
        async let summary = stage.run(input: input)
        for e in [begin("q"), .item(item("q1", published: nil), feedID: "q"), end("q", items: 1)] { try await input.send(e) }
        // Wait (bounded) for the file to appear while the input stays open.
        var waited = 0
        while visibleFiles(dir).isEmpty && waited < 1_000 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        #expect(visibleFiles(dir).count == 1, "written while the input was still open")
        // Later events still flow after a timed flush.
        for e in [begin("r"), .item(item("r1", published: nil), feedID: "r"), end("r", items: 1)] { try await input.send(e) }
        input.finish()
        let s = try await summary
        #expect(s.items == 2 && s.batches == 2)
    }

    @Test func aWriteFailureClosesTheInputAndReportsTheFile() async throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sink = try PartitionedFileSink(directory: dir, runID: "bad")
        #expect(FileManager.default.createFile(atPath: dir + "/date=2025-11-07", contents: Data()))
        let stage = EmitStage(sink: sink, options: .init(maxBatchRecords: 1))
        let input = BoundedChannel<FeedEvent<FeedItem>>(capacity: 1)
        let producer = Task {
            var refused = false
            do {
                for n in 0..<100 {
                    try await input.send(begin("p\(n)"))
                    try await input.send(.item(item("p\(n)", published: utcDate(2025, 11, 7)), feedID: "p\(n)"))
                    try await input.send(end("p\(n)", items: 1))
                }
            } catch { refused = true }
            input.finish()
            return refused
        }
        await #expect { try await stage.run(input: input) } throws: { "\($0)".contains("date=2025-11-07") }
        #expect(await producer.value, "the producer was told to stop instead of blocking forever")
    }

    @Test func itemsOfAFeedWithoutEndAreStillEmitted() async throws {
        let pipe = Pipe()
        let stage = EmitStage(sink: StdoutSink(handle: pipe.fileHandleForWriting))
        let input = BoundedChannel<FeedEvent<ContextualItem<FeedItem>>>(capacity: 4)
        let ctx = FeedContext(source: source("x"), info: FeedInfo(), requestedURL: "u", finalURL: "u", httpStatus: 200, fetchedAt: Date())
        async let summary = stage.run(input: input, item: { $0.payload })
        try await input.send(.item(ContextualItem(item("x1", published: nil), context: ctx), feedID: "x"))
        input.finish()
        let s = try await summary
        try pipe.fileHandleForWriting.close()
        #expect(s.items == 1)
        #expect(lines(of: pipe.fileHandleForReading.readDataToEndOfFile()).count == 1)
    }
}
