import Foundation
import IngestCore
import Testing
@testable import Emit

/// Throughput figures, not assertions: run with
/// `EMIT_BENCH=1 swift test -c release --filter EmitBenchmarks` and read standard output.
/// CPU time (user + system) is reported, since the machines are shared and wall time is noise.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["EMIT_BENCH"] != nil))
struct EmitBenchmarks {
    static func cpuSeconds() -> Double {
        var u = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)
        return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6
            + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
    }

    static func items(_ n: Int) -> [FeedItem] {
        let body = "当全球习惯了中国技术，所谓“脱钩”就失去了根基。DeepSeek开源了模型权重 open weights \"quoted\" line\nbreak. "
        return (0..<n).map { i in
            FeedItem(
                id: String(i, radix: 16), url: "https://example.com/a/\(i)?x=1", guid: "g\(i)",
                title: "当全球习惯了中国技术，所谓“脱钩”就失去了根基 \(i)", titleRaw: "当全球习惯了中国技术,所谓“脱钩”就失去了根基 \(i)",
                titleKey: "k\(i)", summary: String(repeating: body, count: 2), lang: "zh-Hans",
                published: LocalizedDate(instant: Date(timeIntervalSince1970: 1_762_453_500 + Double(i * 60)), utcOffsetSeconds: 28_800),
                authors: ["张三"], categories: ["科技", "AI"], source: SourceRef(id: "tmtpost", name: "钛媒体APP", nameEn: "TMTPost App"),
                feed: FeedRef(url: "https://example.com/feed.xml", title: "Example", link: "https://example.com/", language: "zh-cn"),
                topics: ["decoupling", "open-source"], topicEvidence: [("decoupling", ["脱钩"]), ("open-source", ["开源"])],
                fetchedAt: Date(timeIntervalSince1970: 1_762_500_000))
        }
    }

    @Test func encoderAndSinks() throws {
        let n = 200_000
        let all = Self.items(n)
        var t = Self.cpuSeconds()
        var total = 0
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 22)
        for it in all {
            RecordEncoder.append(it, to: &buffer)
            if buffer.count > 1 << 21 { total += buffer.count; buffer.removeAll(keepingCapacity: true) }
        }
        total += buffer.count
        var dt = Self.cpuSeconds() - t
        print(String(format: "encode: %d records, %.1f MB, CPU %.3f s, %.0f records/s, %.0f MB/s",
                     n, Double(total) / 1e6, dt, Double(n) / dt, Double(total) / 1e6 / dt))

        let cases: [(String, PartitionedFileSinkOptions)] = [
            ("plain+fsync", .init()), ("gzip6+fsync", .init(compression: .gzip())), ("plain no fsync", .init(sync: false)),
        ]
        for (label, options) in cases {
            let dir = try makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let sink = try PartitionedFileSink(directory: dir, runID: "bench", options: options)
            t = Self.cpuSeconds()
            let wall = ContinuousClock.now
            var bytes = 0
            for start in stride(from: 0, to: n, by: 1_000) {
                bytes += try sink.write(all[start..<min(n, start + 1_000)].map { .item($0) }).bytes
            }
            dt = Self.cpuSeconds() - t
            let elapsed = ContinuousClock.now - wall
            let onDisk = try visibleFiles(dir).reduce(0) {
                $0 + (try FileManager.default.attributesOfItem(atPath: dir + "/" + $1)[.size] as! Int)
            }
            print(String(format: "sink %@: %d records in batches of 1000, CPU %.3f s (%.0f records/s), wall %@, %.1f MB JSON -> %.1f MB on disk, fsyncs: %d files, %d directories",
                         label, n, dt, Double(n) / dt, "\(elapsed)", Double(bytes) / 1e6, Double(onDisk) / 1e6,
                         sink.syncCounts.files, sink.syncCounts.directories))
        }
    }
}
