import Foundation
import Synchronization
import Testing
import TestHTTPServer

/// `ingest run` and `ingest serve` as cron and systemd would start them: real
/// processes, a real HTTP server on 127.0.0.1, real SQLite state.
@Suite("ingest run / serve (process)", .serialized)
struct ScheduledRunTests {
    @Test("conditional GET: the second run sends the validators, gets 304 and emits nothing")
    func conditionalGet() throws {
        let body = rssFeed(feed: 1, count: 5)
        let server = try TestHTTPServer { req in
            if req.header("If-None-Match") == "\"v1\"" { return .notModified(headers: [(name: "ETag", value: "\"v1\"")]) }
            return TestResponse(status: 200, headers: [(name: "ETag", value: "\"v1\""),
                                                       (name: "Last-Modified", value: "Fri, 07 Nov 2025 02:25:00 GMT")],
                                body: body)
        }
        defer { server.stop() }
        let project = try TempProject(name: "cond", feeds: [server.url("/feed.xml")])
        defer { project.remove() }

        let first = try project.run()
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try project.visibleItems().count == 5)
        let second = try project.run(["--all"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("not modified"))
        let requests = server.requests(path: "/feed.xml")
        #expect(requests.count == 2)
        #expect(requests.last?.header("If-None-Match") == "\"v1\"")
        #expect(requests.last?.header("If-Modified-Since") == "Fri, 07 Nov 2025 02:25:00 GMT")
        #expect(try project.visibleItems().count == 5, "a 304 emits nothing")
        let runs = try FileManager.default.contentsOfDirectory(atPath: project.outputDir.appendingPathComponent("runs").path)
        #expect(runs.filter { $0.hasSuffix(".json") }.count == 2)
    }

    @Test("INGEST_TRACE names a file that gets every step of the run in order; without it nothing is written")
    func runTrace() throws {
        let server = try TestHTTPServer { req in
            req.path == "/gone.xml" ? .status(404) : .bytes(rssFeed(feed: 3, count: 2), contentType: "application/rss+xml")
        }
        defer { server.stop() }
        let project = try TempProject(name: "trace", feeds: [server.url("/a.xml"), server.url("/gone.xml")])
        defer { project.remove() }
        let trace = project.root.appendingPathComponent("run.trace")
        let traced = try runIngestBlocking(["run", project.pipelineFile], cwd: project.root, environment: ["INGEST_TRACE": trace.path])
        #expect(traced.status == 0, "\(traced.stderr)")
        let lines = try String(contentsOf: trace, encoding: .utf8).split(separator: "\n").map(String.init)
        func index(_ fragment: String) -> Int? { lines.firstIndex { $0.contains(fragment) } }
        let steps = ["run \(project.pipelineFile): starting", "2 of 2 feed(s) due", "fetch f0: start", "fetch f0: HTTP 200",
                     "fetch f1: httpStatus", "deliver f0: ok", "deliver f1: failed", "commit: 2 item(s)",
                     "recorded", "exiting"]
        let found = steps.map(index)
        #expect(found.allSatisfy { $0 != nil }, "missing \(zip(steps, found).filter { $0.1 == nil }.map(\.0)) in:\n\(lines.joined(separator: "\n"))")
        // Fetches and deliveries of two feeds interleave; the run's own steps come in order.
        let runSteps = [0, 1, 7, 8, 9].compactMap { found[$0] }
        #expect(runSteps == runSteps.sorted(), "out of order:\n\(lines.joined(separator: "\n"))")
        #expect((found[2] ?? .max) < (found[5] ?? -1), "a feed is delivered after its fetch starts")
        // Once the start-up tables are built, the pages of code that only start-up ran are given back.
        #expect(index("memory: start-up code pages given back (") != nil, "no start-up page release in:\n\(lines.joined(separator: "\n"))")
        // Wall time, monotonic seconds and pid start every line.
        #expect(lines.allSatisfy { $0.range(of: #"^\d{4}-\d\d-\d\dT\S+ \+\d+\.\d{3}s pid \d+ "#, options: .regularExpression) != nil })

        let untraced = try project.run(["--all"])
        #expect(untraced.status == 0, "\(untraced.stderr)")
        #expect(try String(contentsOf: trace, encoding: .utf8).split(separator: "\n").count == lines.count, "tracing is off without INGEST_TRACE")
    }

    @Test("a taxonomy that cannot be read stops the run with 78 and commits nothing, though fetching had started")
    func unreadableTaxonomy() throws {
        let server = try TestHTTPServer { _ in .bytes(rssFeed(feed: 7, count: 4), contentType: "application/rss+xml") }
        defer { server.stop() }
        let project = try TempProject(
            name: "badtax", feeds: [server.url("/feed.xml")], pipelineExtra: "tag:\n  taxonomy: pipelines/bad-topics.yaml")
        defer { project.remove() }
        let taxonomy = project.root.appendingPathComponent("pipelines/bad-topics.yaml")
        try "topics:\n  - id: ai\n    terms: [unclosed\n".write(to: taxonomy, atomically: true, encoding: .utf8)

        let broken = try project.run()
        #expect(broken.status == 78, "\(broken.stderr)")
        #expect(broken.stderr.contains("bad-topics.yaml"), "\(broken.stderr)")
        #expect(try project.visibleItems().isEmpty)
        #expect(project.temporaryFiles().isEmpty)

        // Mended, the next run emits every item: the failed one marked nothing as emitted.
        try FileManager.default.removeItem(at: taxonomy)
        try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("pipelines/topics.yaml"), to: taxonomy)
        let mended = try project.run()
        #expect(mended.status == 0, "\(mended.stderr)")
        #expect(try project.visibleItems().count == 4)
    }

    @Test("a feed not yet due is skipped; --all fetches it anyway")
    func dueness() throws {
        let server = try TestHTTPServer { _ in .bytes(rssFeed(feed: 2, count: 3), contentType: "application/rss+xml") }
        defer { server.stop() }
        let project = try TempProject(name: "due", feeds: [server.url("/a.xml")], interval: "1h")
        defer { project.remove() }
        #expect(try project.run().status == 0)
        let second = try project.run()
        #expect(second.status == 0)
        #expect(server.hits(path: "/a.xml") == 1, "not due within its interval")
        #expect(second.stderr.contains("1 not due"))
        // A feed that was not due is counted, not listed: idle feeds cost no report each.
        let idle = try JSONSerialization.jsonObject(with: Data(try latestRunSummary(project).utf8)) as? [String: Any]
        #expect((idle?["feeds"] as? [Any])?.isEmpty == true)
        #expect(idle?["not_due"] as? Int == 1)
        let totals = idle?["totals"] as? [String: Any]
        #expect(totals?["feeds"] as? Int == 1 && totals?["skipped"] as? Int == 1)
        let quiet = try project.run(["--all", "--quiet"])
        #expect(quiet.status == 0)
        #expect(quiet.stderr.isEmpty, "--quiet: \(quiet.stderr)")
        #expect(server.hits(path: "/a.xml") == 2)
    }

    @Test("changed items come again with the same id and the next revision; unchanged never")
    func revisions() throws {
        let variant = Mutex(0)
        let server = try TestHTTPServer { _ in
            .bytes(rssFeed(feed: 3, count: 4, variant: variant.withLock { $0 }), contentType: "application/rss+xml")
        }
        defer { server.stop() }
        let project = try TempProject(name: "rev", feeds: [server.url("/r.xml")])
        defer { project.remove() }
        #expect(try project.run().status == 0)
        #expect(try project.run(["--all"]).status == 0)
        #expect(try project.visibleItems().count == 4, "unchanged items are never emitted again")
        variant.withLock { $0 = 1 }
        let third = try project.run(["--all"])
        #expect(third.status == 0)
        #expect(third.stderr.contains("4 changed"))
        let items = try project.visibleItems()
        #expect(items.count == 8)
        let byID = Dictionary(grouping: items) { $0["id"] as! String }
        #expect(byID.count == 4)
        for (_, versions) in byID {
            #expect(Set(versions.compactMap { $0["revision"] as? Int }) == [1, 2])
            let latest = versions.first { $0["revision"] as? Int == 2 }
            #expect((latest?["title"] as? String)?.contains("updated 1") == true)
        }
    }

    @Test("a second run of the same pipeline exits at once with 75 while the first holds the lock")
    func lock() throws {
        // While the gate is closed the server keeps the response (hang guard only), so a run
        // stays inside its fetch, holding the lock, until the test lets it go. A fixed 3 s
        // delay was not enough: the second debug-build run could take longer than that to
        // start on a loaded machine, and then found the lock free.
        let gate = ResponseGate()
        let server = try TestHTTPServer { _ in
            gate.wait()
            return TestResponse(status: 200, body: rssFeed(feed: 4, count: 2))
        }
        defer { server.stop() }
        defer { gate.open() }
        let project = try TempProject(name: "lock", feeds: [server.url("/slow.xml")])
        defer { project.remove() }
        // The held fetch must not time out (ending the first run) before the second run is done:
        // neither by the timeout nor by the low-speed limit (30 s without 100 bytes/s by default),
        // since the second debug-build process can take longer than that to start under load.
        let pipeline = try String(contentsOfFile: project.pipelineFile, encoding: .utf8)
        try #require(pipeline.contains("  timeout: 10s\n"))
        try pipeline.replacingOccurrences(of: "  timeout: 10s\n", with: "  timeout: 300s\n  low_speed_time: 300s\n")
            .write(toFile: project.pipelineFile, atomically: true, encoding: .utf8)
        let first = try startIngest(["run", project.pipelineFile], cwd: project.root)
        // Wait until the first run is inside its fetch (the lock is taken before).
        try #require(gate.untilWaiting(1), "the first run's fetch arrived and is held")
        let second = try project.run()
        #expect(second.status == 75, "\(second.stderr)")
        #expect(second.stderr.contains("already running"))
        gate.open()
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        // The lock died with its holder: a run after it goes ahead.
        #expect(try project.run(["--all"]).status == 0)

        // And a holder killed with SIGKILL leaves no stale lock behind.
        gate.close()
        let killed = try startIngest(["run", project.pipelineFile, "--all"], cwd: project.root)
        #expect(gate.untilWaiting(1), "the run to kill reached its fetch")
        #expect(killed.isRunning, "the run to kill is inside its fetch")
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        gate.open()
        #expect(try project.run(["--all"]).status == 0)
    }

    @Test("429 with Retry-After and failures back off: the feed is not retried before it is due")
    func backoffAndRetryAfter() throws {
        let server = try TestHTTPServer { req in
            req.path == "/busy.xml"
                ? TestResponse(status: 429, headers: [(name: "Retry-After", value: "7200")])
                : .status(500)
        }
        defer { server.stop() }
        let project = try TempProject(name: "backoff", feeds: [server.url("/busy.xml"), server.url("/broken.xml")],
                                      interval: "1m")
        defer { project.remove() }
        let first = try project.run()
        #expect(first.status == 0, "failing feeds do not fail the run")
        #expect(first.stderr.contains("429"))
        #expect(try project.run(["--strict"]).status == 0, "both feeds backing off: nothing due, nothing failed")
        #expect(server.hits(path: "/busy.xml") == 1)
        #expect(server.hits(path: "/broken.xml") == 1, "a 500 backs off past the 1-minute interval")
        // Retry-After 7200 s is honoured: the next due time is about two hours out.
        let summary = try latestRunSummary(project)
        #expect(summary.contains("\"skipped\" : 2") || summary.contains("\"skipped\":2"))
    }

    @Test("SIGKILL at varied points, then a clean run: every served item exactly once over visible files")
    func exactlyOnceUnderSIGKILL() throws {
        let feeds = 24
        let served = Mutex([Int](repeating: 0, count: feeds))
        let server = try TestHTTPServer { req in
            guard let n = Int(req.path.dropFirst("/f".count).prefix { $0.isNumber }), n < feeds else { return .status(404) }
            // Each fetch of a feed shows three more items, as a live feed grows.
            let count = served.withLock { s -> Int in
                s[n] = min(60, s[n] == 0 ? 6 : s[n] + 3)
                return s[n]
            }
            return TestResponse(status: 200, body: rssFeed(feed: n, count: count), delay: .milliseconds(15))
        }
        defer { server.stop() }
        let project = try TempProject(
            name: "kill", feeds: (0..<feeds).map { server.url("/f\($0).xml") }, pipelineExtra: "")
        defer { project.remove() }

        var rng = SystemRandomNumberGenerator()
        var killedMidRun = 0
        for round in 0..<14 {
            let p = try startIngest(["run", project.pipelineFile, "--all", "--quiet"], cwd: project.root)
            let wait = Double(UInt64.random(in: 0...400, using: &rng)) / 1000 + (round == 0 ? 0.05 : 0)
            Thread.sleep(forTimeInterval: wait)
            if p.isRunning {
                kill(p.processIdentifier, SIGKILL)
                killedMidRun += 1
            }
            p.waitUntilExit()
        }
        #expect(killedMidRun >= 7, "most rounds were cut short")
        let final = try project.run(["--all"])
        #expect(final.status == 0, "\(final.stderr)")

        let items = try project.visibleItems()
        var seen: [String: Int] = [:]
        for item in items { seen[item["guid"] as? String ?? "?", default: 0] += 1 }
        let duplicates = seen.filter { $0.value > 1 }
        #expect(duplicates.isEmpty, "duplicated: \(duplicates.keys.sorted().prefix(5))")
        let finalCounts = served.withLock { $0 }
        var expected = Set<String>()
        for (n, count) in finalCounts.enumerated() { for i in 0..<count { expected.insert("feed-\(n)-item-\(i)") } }
        #expect(Set(seen.keys) == expected, "missing: \(expected.subtracting(seen.keys).sorted().prefix(5))")
        #expect(project.temporaryFiles().isEmpty, "leftover temporaries are cleaned up by the next run")
    }

    @Test("serve: runs due feeds, answers /health and /metrics, and exits 0 soon after SIGTERM")
    func serveGracefulShutdown() throws {
        let server = try TestHTTPServer { req in
            TestResponse(status: 200, body: rssFeed(feed: 9, count: 3), delay: .milliseconds(300))
        }
        defer { server.stop() }
        let project = try TempProject(name: "serve", feeds: [server.url("/s1.xml"), server.url("/s2.xml")], interval: "1h")
        defer { project.remove() }
        let port = Int.random(in: 20_000...40_000)
        let p = Process()
        p.executableURL = ingestBinary
        p.arguments = ["serve", project.pipelineFile, "--metrics-port", "\(port)"]
        p.currentDirectoryURL = project.root
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        // A hang guard only: a debug-build serve on a loaded machine may need more than 20 s to
        // start and finish its first run.
        let deadline = Date().addingTimeInterval(120)
        var health = ""
        while Date() < deadline {
            if let text = localGET(port: port, path: "/health"), text.contains("last_run") {
                health = text
                break
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(health.contains("\"feeds\":2"), "health: \(health)")
        let metrics = localGET(port: port, path: "/metrics") ?? ""
        #expect(localGET(port: port, path: "/nope")?.hasPrefix("HTTP/1.0 404") == true)
        #expect(metrics.contains("ingest_feeds_total"))
        #expect(try project.visibleItems().count == 6)
        kill(p.processIdentifier, SIGTERM)
        let stopBy = Date().addingTimeInterval(15)
        while p.isRunning, Date() < stopBy { Thread.sleep(forTimeInterval: 0.05) }
        #expect(!p.isRunning, "serve stops within a bounded time")
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(stderr.contains("stopped"))
    }

    @Test("full_text: new items get their page's body; the feed's own fields win; unchanged items never refetch")
    func fullText() throws {
        let page = try Data(contentsOf: packageRoot.appendingPathComponent("Tests/ParseTests/Fixtures/article/seed-like.html"))
        let server = try TestHTTPServer { req in
            if req.path.hasPrefix("/a/") { return .bytes([UInt8](page), contentType: "text/html; charset=utf-8") }
            if req.path == "/broken/1.html" { return .status(500) }
            // Headline-only feed: two items with article pages, one whose page fails.
            let xml = """
                <?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Headlines</title>
                <link>https://e.com/</link><description>d</description>
                <item><title>当全球习惯了中国技术,所谓“脱钩”就失去了根基</title><link>\(serverBase)/a/1.html</link>
                  <guid>h1</guid><author>编辑部</author></item>
                <item><title>Second headline</title><link>\(serverBase)/a/2.html</link><guid>h2</guid>
                  <pubDate>Mon, 03 Nov 2025 08:00:00 +0000</pubDate></item>
                <item><title>Third</title><link>\(serverBase)/broken/1.html</link><guid>h3</guid></item>
                </channel></rss>
                """
            return .bytes(Array(xml.utf8), contentType: "application/rss+xml")
        }
        defer { server.stop() }
        serverBaseBox.withLock { $0 = server.baseURL }
        let project = try TempProject(name: "fulltext", feeds: [server.url("/feed.xml")], pipelineExtra: "full_text: true")
        defer { project.remove() }
        let first = try project.run()
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("full text"), "the failing page is a warning: \(first.stderr)")
        let items = try project.visibleItems()
        #expect(items.count == 3)
        let seed = try #require(items.first { $0["guid"] as? String == "h1" })
        #expect((seed["content"] as? String)?.contains("开源") == true, "body from the page")
        #expect(seed["authors"] as? [String] == ["编辑部"], "the feed's author is kept")
        #expect(seed["published_at"] as? String == "2025-11-06T18:25:00Z", "missing date filled from the page byline")
        #expect((seed["source"] as? [String: Any])?["id"] as? String == "tmtpost", "missing source filled from the page")
        let second = try #require(items.first { $0["guid"] as? String == "h2" })
        #expect(second["published_at"] as? String == "2025-11-03T08:00:00Z", "the feed's own date wins")
        let third = try #require(items.first { $0["guid"] as? String == "h3" })
        #expect(third["content"] is NSNull, "a failed page leaves the item as the feed had it")
        #expect(server.hits(path: "/a/1.html") == 1)

        #expect(try project.run(["--all"]).status == 0)
        #expect(server.hits(path: "/a/1.html") == 1, "unchanged items are not enriched again")
        #expect(try project.visibleItems().count == 3, "enrichment does not make an item look changed")

        // The same for an ad-hoc run.
        let adhoc = try runIngestBlocking(["--feed", server.url("/feed.xml"), "--full-text"])
        #expect(adhoc.status == 0)
        let records = try parseJSONLines(adhoc.stdout)
        #expect((records.first { $0["guid"] as? String == "h1" }?["content"] as? String)?.contains("开源") == true)
        #expect(server.hits(path: "/a/1.html") == 2)
    }

    @Test("serve: SIGTERM during a slow fetch drains it to disk and state, then exits 0")
    func serveDrainsInFlight() throws {
        // The response is held until SIGTERM has been sent (hang guard only), so the fetch is
        // in flight when it arrives. A fixed 1.5 s delay could run out while this thread waited
        // for a CPU on a loaded machine, and the test then sent SIGTERM to an idle server.
        let gate = ResponseGate()
        let server = try TestHTTPServer { _ in
            gate.wait()
            return TestResponse(status: 200, body: rssFeed(feed: 7, count: 4))
        }
        defer { server.stop() }
        defer { gate.open() }
        let project = try TempProject(name: "drain", feeds: [server.url("/slow.xml")], interval: "1h")
        defer { project.remove() }
        let p = try startIngest(["serve", project.pipelineFile, "--metrics-port=-1"], cwd: project.root)
        // The request has arrived and its response is being held.
        #expect(gate.untilWaiting(1))
        #expect(server.inFlight == 1)
        kill(p.processIdentifier, SIGTERM)
        gate.open()
        let stopBy = Date().addingTimeInterval(60)
        while p.isRunning, Date() < stopBy { Thread.sleep(forTimeInterval: 0.05) }
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        #expect(p.terminationReason == .exit && p.terminationStatus == 0)
        #expect(try project.visibleItems().count == 4, "the in-flight feed reached disk before exit")
        // Its state was committed too: the next run finds it not due.
        let next = try project.run()
        #expect(next.status == 0)
        #expect(server.hits(path: "/slow.xml") == 1)
        #expect(try project.visibleItems().count == 4)
    }
}

/// The server's base URL, for documents that must link back to the server serving them.
let serverBaseBox = Mutex("")
var serverBase: String { serverBaseBox.withLock { $0 } }

func latestRunSummary(_ project: TempProject) throws -> String {
    let dir = project.outputDir.appendingPathComponent("runs")
    let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }.sorted()
    return try String(contentsOf: dir.appendingPathComponent(names.last!), encoding: .utf8)
}
