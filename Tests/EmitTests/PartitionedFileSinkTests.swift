import Foundation
import IngestCore
import Testing
@testable import Emit

@Suite struct PartitionedFileSinkTests {
    func readLines(_ root: String, _ relative: String) throws -> [[String: Any]] {
        let path = root + "/" + relative
        let data = relative.hasSuffix(".gz") ? try run("/usr/bin/env", ["gzip", "-dc", path])
                                             : try Data(contentsOf: URL(fileURLWithPath: path))
        let ls = lines(of: data)
        #expect(ls.allSatisfy { $0.last == 0x0A }, "\(relative) has an unterminated line")
        return try ls.map { try parseLine($0) }
    }

    @Test func itemsArePartitionedByPublishedDateElseFetchedDate() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sink = try PartitionedFileSink(directory: dir, runID: "r1")
        let batch: [EmitRecord] = [
            .item(item("a", published: utcDate(2025, 11, 6, 23, 59, 59))),
            .item(item("b", published: utcDate(2025, 11, 7, 0, 0, 0))),
            .item(item("c", published: nil, fetched: utcDate(2025, 11, 8, 3))),
            .item(item("d", published: utcDate(2025, 11, 6, 1))),
            .feed(FeedRecord(url: "https://example.com/f", items: 4, fetchedAt: utcDate(2025, 11, 8, 4))),
        ]
        let ack = try sink.write(batch)
        #expect(ack.records == 5)
        #expect(visibleFiles(dir) == [
            "date=2025-11-06/part-r1-000001.jsonl",
            "date=2025-11-07/part-r1-000002.jsonl",
            "date=2025-11-08/feeds-r1-000003.jsonl",
            "date=2025-11-08/part-r1-000004.jsonl",
        ])
        #expect(Set(ack.files) == Set(visibleFiles(dir)))
        #expect(allFiles(dir) == visibleFiles(dir), "no temporary file may remain after publish")
        #expect(try readLines(dir, "date=2025-11-06/part-r1-000001.jsonl").map { $0["id"] as? String } == ["a", "d"])
        #expect(try readLines(dir, "date=2025-11-07/part-r1-000002.jsonl").map { $0["id"] as? String } == ["b"])
        #expect(try readLines(dir, "date=2025-11-08/part-r1-000004.jsonl").map { $0["id"] as? String } == ["c"])
        let feeds = try readLines(dir, "date=2025-11-08/feeds-r1-000003.jsonl")
        #expect(feeds.count == 1 && feeds[0]["schema"] as? String == "ingest.feed/1")
        // Every line is a valid record.
        let validator = try JSONSchemaValidator(contentsOf: itemSchemaURL)
        for file in visibleFiles(dir) where file.contains("/part-") {
            for line in lines(of: try Data(contentsOf: URL(fileURLWithPath: dir + "/" + file))) {
                #expect(validator.validate(jsonLine: line).isEmpty)
            }
        }
    }

    @Test func rotatesByRecordCount() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sink = try PartitionedFileSink(directory: dir, runID: "rot", options: .init(maxRecordsPerPart: 3))
        let batch = (0..<10).map { EmitRecord.item(item("i\($0)", published: utcDate(2025, 1, 1))) }
        let part = try sink.prepare(batch)
        #expect(part.files.map(\.records) == [3, 3, 3, 1])
        _ = try sink.publish(part)
        let files = visibleFiles(dir)
        #expect(files.count == 4)
        let ids = try files.flatMap { try readLines(dir, $0).map { $0["id"] as! String } }
        #expect(ids == (0..<10).map { "i\($0)" }, "rotation keeps record order across parts")
    }

    @Test func rotatesByBytesAndGivesAnOversizedLineItsOwnPart() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let limit = 2_000
        let sink = try PartitionedFileSink(directory: dir, runID: "bytes", options: .init(maxBytesPerPart: limit))
        var batch = (0..<20).map { EmitRecord.item(item("s\($0)", published: utcDate(2025, 1, 1), content: String(repeating: "x", count: 300))) }
        batch.insert(.item(item("huge", published: utcDate(2025, 1, 1), content: String(repeating: "字", count: 3_000))), at: 5)
        let part = try sink.prepare(batch)
        _ = try sink.publish(part)
        var seen: [String] = []
        for file in part.files {
            let size = try FileManager.default.attributesOfItem(atPath: dir + "/" + file.finalName)[.size] as! Int
            #expect(size == file.bytes)
            let ids = try readLines(dir, file.finalName).map { $0["id"] as! String }
            if ids.contains("huge") {
                #expect(ids == ["huge"])
            } else {
                #expect(size <= limit)
            }
            seen += ids
        }
        #expect(seen.count == 21 && Set(seen).count == 21)
        #expect(part.files.count > 3)
    }

    @Test func gzipPartsAreReadableByGzipAndRotate() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sink = try PartitionedFileSink(
            directory: dir, runID: "gz", options: .init(compression: .gzip(), maxRecordsPerPart: 2_000))
        // Over 1 MiB per part, so the writer drains to zlib several times before finishing.
        let body = String(repeating: "开源模型权重 open weights. ", count: 40)
        let batch = (0..<3_000).map { EmitRecord.item(item("g\($0)", published: utcDate(2025, 11, 7), content: body)) }
            + [EmitRecord.feed(FeedRecord(url: "https://example.com/f", items: 3_000, fetchedAt: utcDate(2025, 11, 7)))]
        let ack = try sink.write(batch)
        #expect(ack.files.sorted() == [
            "date=2025-11-07/feeds-gz-000001.jsonl.gz",
            "date=2025-11-07/part-gz-000002.jsonl.gz",
            "date=2025-11-07/part-gz-000003.jsonl.gz",
        ])
        _ = try run("/usr/bin/env", ["gzip", "-t"] + ack.files.map { dir + "/" + $0 })
        let first = try readLines(dir, "date=2025-11-07/part-gz-000002.jsonl.gz")
        let second = try readLines(dir, "date=2025-11-07/part-gz-000003.jsonl.gz")
        #expect(first.count == 2_000 && second.count == 1_000)
        #expect(first[0]["content"] as? String == body)
        #expect(second.last?["id"] as? String == "g2999")
        let compressed = try FileManager.default.attributesOfItem(atPath: dir + "/date=2025-11-07/part-gz-000002.jsonl.gz")[.size] as! Int
        #expect(compressed * 5 < ack.bytes, "compression actually happened")
    }

    @Test func heldPartsGrowAcrossWritesAndArePublishedAtClose() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sink = try PartitionedFileSink(
            directory: dir, runID: "held", options: .init(holdPartsAcrossWrites: .seconds(3600)))
        // Three writes, each spanning the same two days: without holding, six files.
        for w in 0..<3 {
            _ = try sink.write([
                .item(item("a\(w)", published: utcDate(2025, 4, 1))), .item(item("b\(w)", published: utcDate(2025, 4, 2))),
                .item(item("c\(w)", published: utcDate(2025, 4, 1, 5))),
            ])
        }
        #expect(visibleFiles(dir).isEmpty, "held parts are not visible before they are published")
        #expect(try sink.temporaryFiles().count == 2)
        try sink.close()
        #expect(try sink.temporaryFiles().isEmpty)
        let files = visibleFiles(dir)
        #expect(files.count == 2, "\(files)")
        let first = try #require(files.first { $0.hasPrefix("date=2025-04-01/") })
        let second = try #require(files.first { $0.hasPrefix("date=2025-04-02/") })
        #expect(try readLines(dir, first).map { $0["id"] as? String } == ["a0", "c0", "a1", "c1", "a2", "c2"])
        #expect(try readLines(dir, second).map { $0["id"] as? String } == ["b0", "b1", "b2"])
        #expect(sink.syncCounts.files == 2, "one fsync per published part, not one per write")
        try sink.close()
        #expect(visibleFiles(dir) == files, "closing twice is harmless")
    }

    @Test func heldPartsArePublishedWhenFullAndWhenTheirTimeComes() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let full = try PartitionedFileSink(
            directory: dir + "/full", runID: "f", options: .init(maxRecordsPerPart: 5, holdPartsAcrossWrites: .seconds(3600)))
        for w in 0..<3 {
            _ = try full.write((0..<4).map { EmitRecord.item(item("f\(w)-\($0)", published: utcDate(2025, 5, 1))) })
        }
        #expect(visibleFiles(dir + "/full").count == 2, "two parts of five are full and published at once")
        try full.close()
        let parts = visibleFiles(dir + "/full")
        #expect(parts.count == 3)
        let ids = try parts.flatMap { try readLines(dir + "/full", $0).map { $0["id"] as! String } }
        #expect(ids == (0..<3).flatMap { w in (0..<4).map { "f\(w)-\($0)" } }, "every record once, in order")

        let prompt = try PartitionedFileSink(
            directory: dir + "/prompt", runID: "p", options: .init(holdPartsAcrossWrites: .zero))
        _ = try prompt.write([.item(item("p0", published: utcDate(2025, 5, 1)))])
        #expect(visibleFiles(dir + "/prompt").count == 1, "a write after the interval publishes what is held")
        #expect(try prompt.temporaryFiles().isEmpty)
    }

    @Test func preparedPartsAreInvisibleUntilPublished() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sink = try PartitionedFileSink(directory: dir, runID: "vis")
        let part = try sink.prepare([.item(item("v1", published: utcDate(2025, 3, 1))), .item(item("v2", published: utcDate(2025, 3, 2)))])
        #expect(visibleFiles(dir).isEmpty, "readers must not see prepared data")
        #expect(allFiles(dir) == part.pendingNames.sorted())
        #expect(part.pendingNames.allSatisfy { $0.split(separator: "/").last!.hasPrefix(".part-vis-") && $0.hasSuffix(".jsonl.tmp") })
        // The temporary file is already complete: publishing is only a rename.
        for file in part.files {
            let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + file.temporaryName))
            #expect(data.count == file.bytes && data.last == 0x0A)
        }
        #expect(try sink.temporaryFiles() == part.pendingNames.sorted())
        let ack = try sink.publish(part)
        #expect(visibleFiles(dir) == ack.files.sorted())
        #expect(try sink.temporaryFiles().isEmpty)
        // Publishing again (a retry after an uncertain failure) is harmless.
        #expect(try sink.publish(part).files == ack.files)
    }

    @Test func recoverRollsRegisteredPartsForwardAndOthersBack() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A "crashed" run: three parts prepared; the state committed only the first two.
        let crashed = try PartitionedFileSink(directory: dir, runID: "crash")
        let committed = try crashed.prepare([.item(item("c1", published: utcDate(2025, 5, 1)))])
        let publishedBeforeCrash = try crashed.prepare([.item(item("c2", published: utcDate(2025, 5, 2)))])
        _ = try crashed.publish(publishedBeforeCrash)
        let uncommitted = try crashed.prepare([.item(item("c3", published: utcDate(2025, 5, 1))),
                                               .feed(FeedRecord(url: "u", fetchedAt: utcDate(2025, 5, 1)))])
        #expect(visibleFiles(dir) == ["date=2025-05-02/part-crash-000002.jsonl"])

        // The next run.
        let next = try PartitionedFileSink(directory: dir, runID: "next")
        let gone = "date=2025-05-03/.part-crash-000099.jsonl.tmp"
        let report = try next.recover(pending: committed.pendingNames + publishedBeforeCrash.pendingNames + [gone])
        #expect(report.rolledForward == committed.pendingNames)
        #expect(report.alreadyPublished == publishedBeforeCrash.pendingNames)
        #expect(report.rolledBack.sorted() == uncommitted.pendingNames.sorted())
        #expect(report.missing == [gone])
        #expect(allFiles(dir) == [
            "date=2025-05-01/part-crash-000001.jsonl",
            "date=2025-05-02/part-crash-000002.jsonl",
        ])
        #expect(try readLines(dir, "date=2025-05-01/part-crash-000001.jsonl").map { $0["id"] as? String } == ["c1"])
        // Recovery is idempotent.
        let again = try next.recover(pending: committed.pendingNames)
        #expect(again.rolledForward.isEmpty && again.rolledBack.isEmpty && again.alreadyPublished == committed.pendingNames)
    }

    @Test func recoverCanLeaveOtherWorkersTemporaryFilesAlone() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let mine = try PartitionedFileSink(directory: dir, runID: "w1-run7")
        let theirs = try PartitionedFileSink(directory: dir, runID: "w2-run3")
        let myLeftover = try mine.prepare([.item(item("m", published: utcDate(2025, 6, 1)))])
        let theirLive = try theirs.prepare([.item(item("t", published: utcDate(2025, 6, 1)))])
        let report = try mine.recover(pending: [], rollBackOnlyRunIDPrefix: "w1-")
        #expect(report.rolledBack == myLeftover.pendingNames)
        #expect(allFiles(dir) == theirLive.pendingNames)
        _ = try theirs.publish(theirLive)
        #expect(visibleFiles(dir) == ["date=2025-06-01/part-w2-run3-000001.jsonl"])
    }

    @Test(arguments: [
        "../outside/.part-x.jsonl.tmp", "/etc/.part-x.jsonl.tmp", "date=2025-01-01/part-x.jsonl",
        "date=2025-01-01/../../.part-x.jsonl.tmp", "other/.part-x.jsonl.tmp", "date=2025-01-01/.notes.tmp",
    ])
    func recoverRefusesNamesThatAreNotTemporaryParts(name: String) throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sink = try PartitionedFileSink(directory: dir, runID: "safe")
        #expect(throws: EmitError.self) { try sink.recover(pending: [name]) }
    }

    @Test func recoverLeavesUnrelatedFilesAlone() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/date=2025-01-01", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/runs", withIntermediateDirectories: true)
        for f in ["state.sqlite", "date=2025-01-01/.DS_Store", "date=2025-01-01/notes.tmp", "runs/.part-x.jsonl.tmp"] {
            #expect(FileManager.default.createFile(atPath: dir + "/" + f, contents: Data("keep".utf8)))
        }
        let sink = try PartitionedFileSink(directory: dir, runID: "r")
        let report = try sink.recover(pending: [])
        #expect(report.rolledBack.isEmpty)
        #expect(allFiles(dir).count == 4)
    }

    @Test func discardDeletesThePreparedFiles() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sink = try PartitionedFileSink(directory: dir, runID: "d")
        let part = try sink.prepare([.item(item("x", published: nil))])
        #expect(!allFiles(dir).isEmpty)
        try sink.discard(part)
        #expect(allFiles(dir).isEmpty)
    }

    @Test func everyFileAndDirectoryIsSyncedUnlessDisabled() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sink = try PartitionedFileSink(directory: dir + "/nested/out", runID: "s", options: .init(maxRecordsPerPart: 1))
        let part = try sink.prepare([.item(item("1", published: utcDate(2025, 1, 1))), .item(item("2", published: utcDate(2025, 1, 2))),
                                     .item(item("3", published: utcDate(2025, 1, 2)))])
        // Files: one fsync each. Directories: the root for each new partition, then each
        // partition once after the temporary files are created.
        #expect(sink.syncCounts.files == 3)
        #expect(sink.syncCounts.directories == 4)
        _ = try sink.publish(part)
        #expect(sink.syncCounts.directories == 6, "each partition directory synced after its renames")

        let unsynced = try PartitionedFileSink(directory: dir + "/fast", runID: "s", options: .init(sync: false))
        _ = try unsynced.write([.item(item("1", published: nil))])
        #expect(unsynced.syncCounts.files == 0 && unsynced.syncCounts.directories == 0)
        #expect(visibleFiles(dir + "/fast").count == 1)
    }

    @Test func aReusedRunIDNeverOverwritesEarlierFiles() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try PartitionedFileSink(directory: dir, runID: "same").write([.item(item("first", published: utcDate(2025, 2, 2)))])
        _ = try PartitionedFileSink(directory: dir, runID: "same").write([.item(item("second", published: utcDate(2025, 2, 2)))])
        let files = visibleFiles(dir)
        #expect(files == ["date=2025-02-02/part-same-000001.jsonl", "date=2025-02-02/part-same-000002.jsonl"])
        #expect(try readLines(dir, files[0])[0]["id"] as? String == "first")
    }

    @Test func aFailedPrepareLeavesNothingBehind() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A regular file where the second partition's directory must go.
        #expect(FileManager.default.createFile(atPath: dir + "/date=2025-09-02", contents: Data()))
        let sink = try PartitionedFileSink(directory: dir, runID: "fail")
        #expect {
            try sink.prepare([.item(item("ok", published: utcDate(2025, 9, 1))), .item(item("bad", published: utcDate(2025, 9, 2)))])
        } throws: { error in
            "\(error)".contains("date=2025-09-02")
        }
        #expect(allFiles(dir) == ["date=2025-09-02"], "the first partition's temporary file was removed")
    }

    @Test func badConfigurationIsReportedClearly() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for bad in ["", ".hidden", "a/b", "run id", "运行"] {
            #expect(throws: EmitError.self) { try PartitionedFileSink(directory: dir, runID: bad) }
        }
        #expect(FileManager.default.createFile(atPath: dir + "/file", contents: Data()))
        #expect {
            try PartitionedFileSink(directory: dir + "/file", runID: "r")
        } throws: { error in
            "\(error)".contains("\(dir)/file") && "\(error)".contains("not a directory")
        }
    }

    @Test func concurrentBatchesGetDistinctFiles() async throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Through the protocol, as the pipeline holds it.
        let sink: any RecordSink = try PartitionedFileSink(directory: dir, runID: "par")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for t in 0..<8 {
                group.addTask {
                    for b in 0..<5 {
                        _ = try await sink.write([.item(item("t\(t)b\(b)", published: utcDate(2025, 4, 1 + b)))])
                    }
                }
            }
            try await group.waitForAll()
        }
        let files = visibleFiles(dir)
        #expect(files.count == 40)
        let ids = try files.flatMap { try readLines(dir, $0).map { $0["id"] as! String } }
        #expect(Set(ids).count == 40)
    }
}

@Suite struct RunIDTests {
    @Test func runIDsSortByStartAndAreAcceptedBySink() throws {
        let a = PartitionedFileSink.makeRunID(startedAt: utcDate(2025, 11, 7, 2, 25, 0))
        let b = PartitionedFileSink.makeRunID(startedAt: utcDate(2025, 11, 7, 2, 25, 1))
        #expect(a.hasPrefix("20251107T022500Z-") && a.count == "20251107T022500Z-".count + 6)
        #expect(a < b)
        #expect(PartitionedFileSink.makeRunID(startedAt: utcDate(2025, 1, 1)) != PartitionedFileSink.makeRunID(startedAt: utcDate(2025, 1, 1)))
        let w = PartitionedFileSink.makeRunID(worker: "host a/1")
        #expect(w.hasPrefix("host_a_1-"))
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try PartitionedFileSink(directory: dir, runID: w)
    }
}
