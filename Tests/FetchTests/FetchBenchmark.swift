import Foundation
import IngestCore
import Testing
import TestHTTPServer

import Fetch

/// Issue 4's fetch benchmark, run only on request (timings are not test assertions):
///
///     INGEST_FETCH_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter FetchBenchmark
///
/// Optional: `INGEST_FETCH_BENCH_URLS` (default 2000), `INGEST_FETCH_BENCH_CONNECTIONS` (64),
/// `INGEST_FETCH_BENCH_LATENCY_MS` (100). Prints wall time against the ideal
/// (URLs × latency ÷ connections) for a first run, a 304 revalidation run, and
/// `curl --parallel --parallel-max N` over the same URLs against the same server.
@Suite("FetchBenchmark", .enabled(if: ProcessInfo.processInfo.environment["INGEST_FETCH_BENCH"] != nil))
struct FetchBenchmark {
    private static func setting(_ name: String, _ fallback: Int) -> Int {
        ProcessInfo.processInfo.environment[name].flatMap { Int($0) } ?? fallback
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private static func peakRSSMegabytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss / 1024
    }

    private static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    @Test func firstRunRevalidationAndCurlParallel() async throws {
        let count = Self.setting("INGEST_FETCH_BENCH_URLS", 2000)
        let connections = Self.setting("INGEST_FETCH_BENCH_CONNECTIONS", 64)
        let latency = Duration.milliseconds(Self.setting("INGEST_FETCH_BENCH_LATENCY_MS", 100))
        let body = Array(String(repeating: "<item><title>headline 标题</title></item>\n", count: 100).utf8)

        let server = try TestHTTPServer { request in
            let etag = "\"\(request.path)\""
            if request.header("If-None-Match") == etag {
                return TestResponse.notModified(headers: [(name: "ETag", value: etag)]).delayed(by: latency)
            }
            return TestResponse.bytes(body, contentType: "application/rss+xml").withHeader("ETag", etag).delayed(by: latency)
        }
        defer { server.stop() }
        let urls = (0..<count).map { server.url("/feed/\($0).xml") }
        let ideal = Double(count) * Self.seconds(latency) / Double(connections)

        var configuration = FetchConfiguration()
        configuration.maxConcurrent = connections
        configuration.maxPerHost = connections
        let fetcher = try Fetcher(configuration: configuration)
        defer { fetcher.shutdown() }

        func run(_ requests: [FetchRequest]) async -> (seconds: Double, cpu: Double, documents: [FetchedDocument]) {
            let cpu0 = Self.cpuSeconds()
            let start = ContinuousClock.now
            let documents = await withTaskGroup(of: FetchedDocument?.self) { group in
                for request in requests {
                    group.addTask {
                        if case .success(let document) = await fetcher.fetch(request) { return document }
                        return nil
                    }
                }
                return await group.reduce(into: [FetchedDocument]()) { if let d = $1 { $0.append(d) } }
            }
            return (Self.seconds(ContinuousClock.now - start), Self.cpuSeconds() - cpu0, documents)
        }

        let first = await run(urls.map { FetchRequest(source: FeedSource(location: $0)) })
        #expect(first.documents.count == count)
        #expect(first.documents.allSatisfy { $0.httpStatus == 200 })
        let connectionsFirst = server.connectionsAccepted

        let second = await run(first.documents.map {
            FetchRequest(source: $0.source, etag: $0.etag, lastModified: $0.lastModified)
        })
        #expect(second.documents.count == count)
        #expect(second.documents.allSatisfy { $0.httpStatus == 304 })

        // curl's own multi-interface client over the same URLs, same server, same session.
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("fetch-bench-\(UUID().uuidString).curl")
        try urls.map { "url = \"\($0)\"\noutput = \"/dev/null\"\n" }.joined().write(to: config, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: config) }
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["--silent", "--no-progress-meter", "--parallel", "--parallel-max", String(connections), "--config", config.path]
        let curlStart = ContinuousClock.now
        try curl.run()
        curl.waitUntilExit()
        let curlSeconds = Self.seconds(ContinuousClock.now - curlStart)
        #expect(curl.terminationStatus == 0)

        // No busy loop: CPU while one transfer waits on a server that does not answer.
        let hung = try TestHTTPServer { _ in TestResponse.text("late").delayed(by: .seconds(30)) }
        defer { hung.stop() }
        let waiting = Task { await fetcher.fetch(FetchRequest(source: FeedSource(location: hung.url("/hang")))) }
        while hung.totalHits == 0 { try await Task.sleep(for: .milliseconds(10)) }
        let idleCPU0 = Self.cpuSeconds()
        try await Task.sleep(for: .seconds(2))
        let idleCPU = Self.cpuSeconds() - idleCPU0
        waiting.cancel()
        _ = await waiting.value

        func line(_ name: String, _ seconds: Double, cpu: Double?) -> String {
            let ratio = String(format: "%.3f", seconds / ideal)
            let cpuText = cpu.map { String(format: ", CPU %.2f s", $0) } ?? ""
            return "\(name): \(String(format: "%.2f", seconds)) s = \(ratio)× ideal\(cpuText)"
        }
        print("""
            FetchBenchmark: \(count) URLs, \(connections) connections, \(latency) latency, ideal \(String(format: "%.2f", ideal)) s
              \(line("ingest Fetcher, first run (200)", first.seconds, cpu: first.cpu)), server connections \(connectionsFirst)
              \(line("ingest Fetcher, revalidation (304)", second.seconds, cpu: second.cpu))
              \(line("curl --parallel --parallel-max \(connections)", curlSeconds, cpu: nil))
              CPU while one transfer waits 2 s on a silent server: \(String(format: "%.3f", idleCPU)) s
              peak RSS of the test process (fetcher and server together): \(Self.peakRSSMegabytes()) MB
            """)
    }
}
