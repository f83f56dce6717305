import Foundation
import IngestCore
import Parse
import Testing

/// Not a timed test: a measurement that runs only when asked for
/// (`INGEST_PARSE_BENCH=1 swift test -c release --filter ParseBenchmark`). It prints the
/// CPU time of FeedParser.parse against a raw xmlReader pass over the same bytes.
@Suite struct ParseBenchmark {
    static let enabled = ProcessInfo.processInfo.environment["INGEST_PARSE_BENCH"] != nil && corpusExists

    static func cpuSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    @Test(.enabled(if: enabled))
    func parseAgainstReaderFloor() throws {
        var docs: [FetchedDocument] = []
        var utf8: [[UInt8]] = []
        for dir in ["feeds-parser-fixtures-en-multi", "zh-feeds-wechat-feeds-2021", "zh-feeds-legacy-gb-big5"] {
            for file in TestPaths.files(under: TestPaths.corpusDir(dir))
            where ["xml", "rss", "atom", "rdf"].contains(file.pathExtension) {
                let bytes = [UInt8](try Data(contentsOf: file))
                let doc = document(bytes, url: file.absoluteString)
                guard (try? FeedParser().parse(doc)) != nil else { continue }
                docs.append(doc)
                // The floor reads the same document as UTF-8, as Parse does after decoding.
                utf8.append(DocumentDecoder.decode(bytes, contentType: nil, kind: .xml).utf8)
            }
        }
        let bytes = docs.reduce(0) { $0 + $1.body.count }
        let parser = FeedParser()
        let rounds = Int(ProcessInfo.processInfo.environment["INGEST_PARSE_BENCH_ROUNDS"] ?? "") ?? 20
        // INGEST_PARSE_BENCH_ONLY=floor|parse runs one side alone, for `perf stat`.
        let only = ProcessInfo.processInfo.environment["INGEST_PARSE_BENCH_ONLY"]
        var floorBest = Double.infinity, parseBest = Double.infinity, items = 0
        if let only {
            for _ in 0..<rounds {
                if only == "floor" { for u in utf8 { ParseFloor.readerPass(u) } }
                else { for d in docs { items += (try? parser.parse(d))?.items.count ?? 0 } }
            }
            print("bench: ran \(only) only")
            return
        }
        for _ in 0..<5 {
            var t = Self.cpuSeconds()
            for _ in 0..<rounds { for u in utf8 { ParseFloor.readerPass(u) } }
            floorBest = min(floorBest, Self.cpuSeconds() - t)
            t = Self.cpuSeconds()
            items = 0
            for _ in 0..<rounds { for d in docs { items += (try? parser.parse(d))?.items.count ?? 0 } }
            parseBest = min(parseBest, Self.cpuSeconds() - t)
        }
        let mb = Double(bytes * rounds) / 1e6
        print(String(format: "bench: %d documents, %.1f MB x %d rounds, %d items/round; floor %.3f s (%.0f MB/s), parse %.3f s (%.0f MB/s), ratio %.2fx",
                     docs.count, Double(bytes) / 1e6, rounds, items / rounds, floorBest, mb / floorBest, parseBest, mb / parseBest,
                     parseBest / floorBest))
        #expect(items > 0)
    }
}
