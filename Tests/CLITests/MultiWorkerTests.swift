import Foundation
import Synchronization
import Testing
import TestHTTPServer

/// The PostgreSQL test server (`scripts/postgres-test.sh start`); these tests skip without it.
private let postgresURL = ProcessInfo.processInfo.environment["INGEST_TEST_POSTGRES_URL"]

/// `psql` from PATH or Debian's PostgreSQL directory: the test makes its own database.
private func psql(_ url: String, _ sql: String) throws {
    let fm = FileManager.default
    var candidates = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/psql" }
    if let versions = try? fm.contentsOfDirectory(atPath: "/usr/lib/postgresql") {
        candidates += versions.sorted().reversed().map { "/usr/lib/postgresql/\($0)/bin/psql" }
    }
    guard let binary = candidates.first(where: { fm.isExecutableFile(atPath: $0) }) else {
        throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "psql not found"])
    }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: binary)
    p.arguments = [url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql]
    p.standardOutput = FileHandle.nullDevice
    try p.run()
    p.waitUntilExit()
    #expect(p.terminationStatus == 0, "psql \(sql)")
}

/// A fresh database on the test server; its URL.
private func freshDatabase() throws -> (url: String, drop: () -> Void) {
    let base = postgresURL!
    let name = "mw_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
    try psql(base, "CREATE DATABASE \(name)")
    var c = URLComponents(string: base)!
    c.path = "/\(name)"
    return (c.string!, { try? psql(base, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") })
}

@Suite(
    "several workers sharing PostgreSQL state",
    .serialized,
    .enabled(if: postgresURL != nil,
             "INGEST_TEST_POSTGRES_URL is not set: run `eval \"$(scripts/postgres-test.sh start)\"` for a PostgreSQL 15 test server"))
struct MultiWorkerTests {
    @Test("3 workers, 500 feeds, one SIGKILLed mid-run: every item exactly once, no feed fetched twice, its leases taken over")
    func threeWorkersOneKilled() throws {
        let feedCount = 500
        let itemsPerFeed = 3
        let perHost = 6
        // Who fetched what: each worker's pipeline sends its own User-Agent.
        let server = try TestHTTPServer { req in
            guard req.path.hasPrefix("/f"), let n = Int(req.path.dropFirst(2).prefix { $0.isNumber }), n < 500 else {
                return .status(404)
            }
            return TestResponse(status: 200, body: rssFeed(feed: n, count: 3), delay: .milliseconds(40))
        }
        defer { server.stop() }
        let database = try freshDatabase()
        defer { database.drop() }

        let project = try TempProject(
            name: "mw", feeds: (0..<feedCount).map { server.url("/f\($0).xml") }, interval: "1h")
        defer { project.remove() }
        // One pipeline file per worker, identical but for the User-Agent.
        for w in 0..<3 {
            let text = """
                name: mw
                feed_lists:
                  - feeds/list.yaml
                fetch:
                  concurrency: 8
                  per_host: \(perHost)
                  timeout: 3s
                  retries: 0
                  user_agent: ingest-test-w\(w)
                output:
                  directory: output/mw
                state:
                  backend: postgres
                  url: \(database.url)
                """
            try text.write(to: project.root.appendingPathComponent("pipelines/w\(w).yaml"), atomically: true, encoding: .utf8)
        }
        let migrate = try runIngest(["state", "migrate", "pipelines/w0.yaml"], cwd: project.root)
        #expect(migrate.status == 0, "\(migrate.stderr)")

        func hitsBy(_ worker: Int) -> [String] {
            server.allRequests.filter { $0.header("User-Agent") == "ingest-test-w\(worker)" }.map(\.path)
        }
        func status() throws -> [String: Any] {
            let r = try runIngest(["state", "status", "pipelines/w0.yaml", "--json"], cwd: project.root)
            #expect(r.status == 0, "\(r.stderr)")
            return (try? JSONSerialization.jsonObject(with: r.stdout)) as? [String: Any] ?? [:]
        }

        // Each worker runs `ingest run` again and again, as cron would.
        let stop = Atomic<Bool>(false)
        let victim = Mutex<Process?>(nil)
        let killed = Atomic<Bool>(false)
        let failures = Mutex<[String]>([])
        let threads = (0..<3).map { w in
            Thread {
                while !stop.load(ordering: .acquiring) {
                    if w == 0, killed.load(ordering: .acquiring) { return }
                    do {
                        let p = try startIngest(
                            ["run", "pipelines/w\(w).yaml", "--worker-id", "w\(w)", "--quiet"], cwd: project.root)
                        if w == 0 { victim.withLock { $0 = p } }
                        p.waitUntilExit()
                        if w == 0 { victim.withLock { $0 = nil } }
                        let s = p.terminationStatus
                        if s != 0, !(w == 0 && p.terminationReason == .uncaughtSignal) {
                            failures.withLock { $0.append("w\(w) exited \(s)") }
                        }
                    } catch {
                        failures.withLock { $0.append("w\(w): \(error)") }
                        return
                    }
                }
            }
        }
        for t in threads { t.start() }

        // Kill worker 0 in the middle of a run: it has fetched some feeds and holds leases on more.
        let killBy = Date().addingTimeInterval(60)
        var killedAfter = 0
        while Date() < killBy {
            let mine = hitsBy(0).count
            if mine >= 6, let p = victim.withLock({ $0 }), p.isRunning {
                kill(p.processIdentifier, SIGKILL)
                killed.store(true, ordering: .releasing)
                killedAfter = mine
                break
            }
            Thread.sleep(forTimeInterval: 0.005)
        }
        let wasKilled = killed.load(ordering: .acquiring)
        #expect(wasKilled, "worker 0 was killed mid-run")

        // The survivors go on until every feed is recorded and nothing is pending.
        let doneBy = Date().addingTimeInterval(240)
        var last: [String: Any] = [:]
        while Date() < doneBy {
            Thread.sleep(forTimeInterval: 1)
            last = try status()
            if last["feeds"] as? Int == feedCount, last["pending_parts"] as? Int == 0 { break }
        }
        stop.store(true, ordering: .releasing)
        while threads.contains(where: { !$0.isFinished }) { Thread.sleep(forTimeInterval: 0.05) }
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
        #expect(last["feeds"] as? Int == feedCount, "status: \(last)")
        #expect(last["pending_parts"] as? Int == 0)

        // Every item exactly once over the union of all workers' files.
        let items = try project.visibleItems()
        var seen: [String: Int] = [:]
        for item in items { seen[item["guid"] as? String ?? "?", default: 0] += 1 }
        let duplicates = seen.filter { $0.value > 1 }
        #expect(duplicates.isEmpty, "duplicated: \(duplicates.keys.sorted().prefix(5))")
        var expected = Set<String>()
        for n in 0..<feedCount { for i in 0..<itemsPerFeed { expected.insert("feed-\(n)-item-\(i)") } }
        #expect(Set(seen.keys) == expected, "missing: \(expected.subtracting(seen.keys).sorted().prefix(5))")

        // Each worker wrote its own part files.
        let names = (FileManager.default.enumerator(at: project.outputDir, includingPropertiesForKeys: nil)?
            .compactMap { ($0 as? URL)?.lastPathComponent } ?? []).filter { $0.hasPrefix("part-") }
        #expect(names.contains { $0.hasPrefix("part-w1-") } && names.contains { $0.hasPrefix("part-w2-") })

        // No feed fetched twice within its (1 h) interval, except a feed the killed worker
        // fetched but never recorded: the worker taking it over must fetch it again.
        let survivors = hitsBy(1) + hitsBy(2)
        var bySurvivors: [String: Int] = [:]
        for path in survivors { bySurvivors[path, default: 0] += 1 }
        #expect(bySurvivors.values.allSatisfy { $0 == 1 }, "a survivor fetched a feed twice")
        let byVictim = Set(hitsBy(0))
        for n in 0..<feedCount {
            let path = "/f\(n).xml"
            #expect(server.hits(path: path) >= 1)
            if server.hits(path: path) > 1 { #expect(byVictim.contains(path), "\(path) fetched twice") }
        }
        #expect(killedAfter >= 6)

        // The dead worker's leases were taken over by the others.
        let takeovers = last["takeovers"] as? [String: Any] ?? [:]
        #expect((takeovers["w0"] as? Int ?? 0) >= 1, "takeovers: \(takeovers)")
        // Politeness held across all workers together: never more than per_host at once.
        #expect(server.maxInFlight <= perHost, "max in flight \(server.maxInFlight)")
    }

    @Test("--state postgres://... overrides a SQLite pipeline; --worker-id names the part files; state status reports")
    func stateOptionAndStatus() throws {
        let server = try TestHTTPServer { req in
            req.path == "/broken.xml" ? .status(500) : TestResponse(status: 200, body: rssFeed(feed: 1, count: 4))
        }
        defer { server.stop() }
        let database = try freshDatabase()
        defer { database.drop() }
        let project = try TempProject(name: "opt", feeds: [server.url("/ok.xml"), server.url("/broken.xml")])
        defer { project.remove() }

        let run = try project.run(["--state", database.url, "--worker-id", "alpha", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: project.outputDir.appendingPathComponent("state.sqlite").path),
                "the pipeline's SQLite file is not used")
        let names = (FileManager.default.enumerator(at: project.outputDir, includingPropertiesForKeys: nil)?
            .compactMap { ($0 as? URL)?.lastPathComponent } ?? []).filter { $0.hasPrefix("part-") }
        #expect(!names.isEmpty && names.allSatisfy { $0.hasPrefix("part-alpha-") }, "\(names)")
        #expect(try project.visibleItems().count == 4)

        // A second run finds nothing due: the schedule lives in PostgreSQL.
        #expect(try project.run(["--state", database.url, "--worker-id", "alpha", "--quiet"]).status == 0)
        #expect(server.hits(path: "/ok.xml") == 1)

        let text = try runIngest(["state", "status", "--state", database.url], cwd: project.root)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdoutText.contains("schema version 2"))
        #expect(text.stdoutText.contains("2 fetched at least once"))
        #expect(text.stdoutText.contains("1 failing"))
        #expect(text.stdoutText.contains("live leases: 0"))
        #expect(text.stdoutText.contains("f1"), "the failing feed is listed")

        let bad = try runIngest(["state", "status", "--state", "postgres://nobody@127.0.0.1:1/none"], cwd: project.root)
        #expect(bad.status == 74)
        #expect(bad.stderr.contains("127.0.0.1:1"), "\(bad.stderr)")
    }
}
