import Foundation
import IngestCore
import Testing
@testable import Emit

@Suite struct StdoutSinkTests {
    @Test func writesFeedRecordBeforeItsItemsThroughAPipe() async throws {
        let pipe = Pipe()
        let sink: any RecordSink = StdoutSink(handle: pipe.fileHandleForWriting)
        let feed = FeedRecord(url: "https://example.com/f", items: 2, fetchedAt: utcDate(2025, 11, 7))
        let ack = try await sink.write([.feed(feed), .item(fullItem()), .item(bareItem())])
        try await sink.close()
        try pipe.fileHandleForWriting.close()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        #expect(ack.records == 3 && ack.bytes == data.count && ack.files.isEmpty)
        let ls = lines(of: data)
        #expect(ls.count == 3 && ls.allSatisfy { $0.last == 0x0A })
        #expect(try ls.map { try parseLine($0)["schema"] as? String } == ["ingest.feed/1", "ingest.item/1", "ingest.item/1"])
        #expect(Array(ls[1]) == RecordEncoder.line(fullItem()))
    }

    @Test func concurrentBatchesNeverInterleaveLines() async throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/out.jsonl"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        let sink = StdoutSink(handle: handle, syncToDisk: true)
        let long = String(repeating: "长文本 long text ", count: 500)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for t in 0..<6 {
                group.addTask {
                    for b in 0..<20 {
                        var batch: [EmitRecord] = []
                        for i in 0..<10 {
                            var it = bareItem(id: "t\(t)-b\(b)-i\(i)")
                            it.content = long
                            batch.append(.item(it))
                        }
                        _ = try sink.write(batch)
                    }
                }
            }
            try await group.waitForAll()
        }
        try handle.close()
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(sink.bytesWritten == data.count)
        let objects = try lines(of: data).map { try parseLine($0) }
        #expect(objects.count == 1_200)
        #expect(Set(objects.compactMap { $0["id"] as? String }).count == 1_200)
        // Batches stay contiguous: the ten items of a batch are adjacent and in order.
        let ids = objects.map { $0["id"] as! String }
        for start in stride(from: 0, to: ids.count, by: 10) {
            let prefix = ids[start].dropLast(2)
            #expect((0..<10).allSatisfy { ids[start + $0] == prefix + "i\($0)" })
        }
    }

    @Test func aClosedDescriptorIsAnErrorNotACrash() throws {
        let pipe = Pipe()
        try pipe.fileHandleForReading.close()
        // Writing to a pipe without readers raises SIGPIPE unless it is ignored; the
        // executable ignores it, and so does this test, to see the EPIPE error.
        signal(SIGPIPE, SIG_IGN)
        let sink = StdoutSink(handle: pipe.fileHandleForWriting)
        #expect {
            try sink.write([.item(bareItem())])
        } throws: { error in
            "\(error)".contains("standard output") && "\(error)".contains("errno \(EPIPE)")
        }
    }
}
