import Foundation
import IngestCore
import Parse
import Testing

/// Compresses with the system `gzip` (a real process), so the tests do not trust our own
/// zlib code to produce what they then read back.
private func gzip(_ bytes: [UInt8], arguments: [String] = ["-c", "-n"]) throws -> [UInt8] {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-gzip-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let input = dir.appendingPathComponent("feed.xml")
    try Data(bytes).write(to: input)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["gzip"] + arguments + [input.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
    return [UInt8](data)
}

private let sampleFeed = """
    <?xml version="1.0" encoding="UTF-8"?>
    <rss version="2.0"><channel><title>压缩的频道</title><link>https://example.org/</link>
    <item><title>开源芯片 &amp; decoupling</title><link>a/1</link><guid>a-1</guid>
    <description>&lt;p&gt;First&lt;/p&gt;&lt;p&gt;Second&lt;/p&gt;</description></item>
    <item><title>Second item</title><link>https://example.org/a/2</link></item>
    </channel></rss>
    """

@Suite struct GzipFeedTests {
    let parser = FeedParser()

    @Test func gzippedFeedReadsLikeThePlainOne() throws {
        let plain = Array(sampleFeed.utf8)
        let compressed = try gzip(plain)
        #expect(compressed.prefix(2) == [0x1F, 0x8B])
        let expected = try parser.parse(document(plain, url: "file:///tmp/feeds/sample.xml"))
        let feed = try parser.parse(document(compressed, url: "file:///tmp/feeds/sample.xml.gz"))
        #expect(feed.items == expected.items)
        #expect(feed.info == expected.info)
        #expect(feed.items.count == 2)
        #expect(feed.items[0].title == "开源芯片 & decoupling")
        #expect(feed.items[0].link == "file:///tmp/feeds/a/1")
        #expect(feed.items[0].summary == "First\nSecond")
    }

    @Test func gzipServedWithoutContentEncodingIsInflated() throws {
        // A server that gzips the body but labels it as plain XML.
        let compressed = try gzip(Array(sampleFeed.utf8))
        let feed = try parser.parse(document(compressed, contentType: "application/rss+xml; charset=utf-8"))
        #expect(feed.info.title == "压缩的频道")
        #expect(feed.items.map(\.guid) == ["a-1", nil])
    }

    @Test func concatenatedMembersAreOneDocument() throws {
        let text = Array(sampleFeed.utf8)
        let cut = text.count / 2
        let both = try gzip(Array(text[..<cut])) + gzip(Array(text[cut...]))
        let feed = try parser.parse(document(both))
        #expect(feed.items.count == 2)
        #expect(feed.items[1].title == "Second item")
    }

    @Test func legacyEncodingInsideGzipIsStillDetected() throws {
        let gb = try TestPaths.fixture("gb2312-declared.xml")
        let feed = try parser.parse(document(try gzip(gb)))
        #expect(feed.info.encoding == "gb18030")
        #expect(feed.items.first?.title == "开源软件与芯片：新闻标题测试")
    }

    @Test func gzipBombStopsAtTheDefaultCap() throws {
        // 21 MiB of one repeated item compresses to a few tens of KiB: past the 20 MiB cap.
        let item = Array("<item><title>boom</title></item>\n".utf8)
        var body = Array("<rss version=\"2.0\"><channel>".utf8)
        body.reserveCapacity(21 << 20)
        while body.count < 21 << 20 { body += item }
        body += Array("</channel></rss>".utf8)
        let compressed = try gzip(body, arguments: ["-c", "-n", "-1"])
        #expect(compressed.count < 1 << 20)
        let error = #expect(throws: SourceFailure.self) { try parser.parse(document(compressed, url: "file:///tmp/bomb.xml.gz")) }
        #expect(error?.kind == .tooLarge)
        #expect(error?.stage == .parse)
        #expect(error?.source == "file:///tmp/bomb.xml.gz")
        #expect(error?.reason.contains("gzip") == true, "\(error?.reason ?? "")")
        #expect(error?.reason.contains("\(20 * 1024 * 1024)") == true, "\(error?.reason ?? "")")
    }

    @Test func capIsConfigurable() throws {
        let compressed = try gzip(Array(sampleFeed.utf8))
        let small = FeedParser(limits: ParseLimits(maxDecompressedBytes: 100))
        let error = #expect(throws: SourceFailure.self) { try small.parse(document(compressed)) }
        #expect(error?.kind == .tooLarge)
        let exact = FeedParser(limits: ParseLimits(maxDecompressedBytes: sampleFeed.utf8.count))
        #expect(try exact.parse(document(compressed)).items.count == 2)
    }

    @Test func truncatedOrCorruptGzipIsAClearError() throws {
        let compressed = try gzip(Array(sampleFeed.utf8))
        var corrupt = compressed
        for i in 12..<min(40, corrupt.count) { corrupt[i] ^= 0xA5 }
        for bytes in [Array(compressed.prefix(compressed.count / 2)), corrupt, [0x1F, 0x8B, 0x08]] {
            let error = #expect(throws: SourceFailure.self) { try parser.parse(document(bytes)) }
            #expect(error?.kind == .notAFeed)
            #expect(error?.reason.contains("gzip-compressed data that cannot be decompressed") == true, "\(error?.reason ?? "")")
        }
    }

    @Test func gzipOfSomethingElseIsStillNotAFeed() throws {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0x41, count: 64)
        let error = #expect(throws: SourceFailure.self) { try parser.parse(document(try gzip(png))) }
        #expect(error?.kind == .notAFeed)
        #expect(error?.reason.contains("PNG") == true)
        let twice = try gzip(try gzip(Array(sampleFeed.utf8)))
        let nested = #expect(throws: SourceFailure.self) { try parser.parse(document(twice)) }
        #expect(nested?.reason.contains("gzip-compressed data") == true)
    }
}
