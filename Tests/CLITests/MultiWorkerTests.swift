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
        let server = try numberedFeedServer(feeds: 500, items: 3, delay: .milliseconds(40))
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
        let migrate = try runIngestBlocking(["state", "migrate", "pipelines/w0.yaml"], cwd: project.root)
        #expect(migrate.status == 0, "\(migrate.stderr)")

        func hitsBy(_ worker: Int) -> [String] {
            server.allRequests.filter { $0.header("User-Agent") == "ingest-test-w\(worker)" }.map(\.path)
        }
        func status() throws -> [String: Any] {
            let r = try runIngestBlocking(["state", "status", "pipelines/w0.yaml", "--json"], cwd: project.root)
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
                            ["run", "pipelines/w\(w).yaml", "--worker-id", "w\(w)", "--quiet"], cwd: project.root,
                            stderrLog: project.root.appendingPathComponent("w\(w).stderr"),
                            trace: project.root.appendingPathComponent("w\(w).trace"))
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
        // Worker 0 starts first and the others join once it has fetched a feed. Started together,
        // the survivors once leased and fetched all 500 feeds while a loaded CI machine was still
        // starting worker 0's debug build, which then had nothing left to be killed in the middle of.
        // A worker claims only once its tagger is built, which a debug build on a loaded CI machine took
        // 316 s to do once (12-30 s is usual): wait while worker 0's trace grows (it heartbeats every 2 s
        // once connected), so the wait ends on a stall, with 15 minutes as the last bound.
        threads[0].start()
        let w0Trace = project.root.appendingPathComponent("w0.trace")
        func traceSize() -> Int { ((try? FileManager.default.attributesOfItem(atPath: w0Trace.path))?[.size] as? Int) ?? 0 }
        let firstHitBy = Date().addingTimeInterval(900)
        var lastSize = traceSize(), grewAt = Date()
        while hitsBy(0).isEmpty, Date() < firstHitBy, Date().timeIntervalSince(grewAt) < 60 {
            Thread.sleep(forTimeInterval: 0.005)
            let size = traceSize()
            if size != lastSize { lastSize = size; grewAt = Date() }
        }
        #expect(!hitsBy(0).isEmpty, "worker 0 fetched nothing; its trace:\n\((try? String(contentsOf: w0Trace, encoding: .utf8))?.suffix(3_000) ?? "")")
        threads[1].start()
        threads[2].start()

        // Kill worker 0 in the middle of a run: it has fetched some feeds and holds leases on more.
        // Worker 0's first run holds all six slots of the host until the others have built their taggers,
        // so it is killed in that run; the bound only matters if the poll missed it (its next run builds again).
        let killBy = Date().addingTimeInterval(600)
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

        // The survivors go on until every feed is recorded and nothing is pending. Each
        // debug-build `ingest run` spends under a second of CPU starting (the `Tag` module is built
        // with -O even in debug, for its taxonomy compile); a loaded 2-core machine got through 366 feeds in 240 s once and 318 in
        // 480 s another time, so the wait ends on a stall, not on a clock. The stall is ten minutes: once, while
        // the rest of the suite ran hundreds of `ingest` processes, each survivor's run took over six minutes
        // from start to its first commit, and a three-minute stall ended the wait with 48 feeds done.
        var last: [String: Any] = [:]
        try waitWhileProgressing(stall: 600, every: 1) {
            last = try status()
            return last["feeds"] as? Int == feedCount && last["pending_parts"] as? Int == 0
        } progress: {
            [last["feeds"] as? Int ?? -1, last["pending_parts"] as? Int ?? -1, last["items"] as? Int ?? -1]
        }
        stop.store(true, ordering: .releasing)
        while threads.contains(where: { !$0.isFinished }) { Thread.sleep(forTimeInterval: 0.05) }
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
        // A stall names what the workers said (each run appends its warnings), so the
        // failure tells a stuck step from a starved machine.
        // Each trace ends with the step its worker is in: the one a stall is waiting on.
        func workerLogs() -> String {
            (0..<3).map { w in
                let text = (try? String(contentsOf: project.root.appendingPathComponent("w\(w).stderr"), encoding: .utf8)) ?? ""
                let trace = (try? String(contentsOf: project.root.appendingPathComponent("w\(w).trace"), encoding: .utf8)) ?? ""
                return "w\(w): " + (text.isEmpty ? "(nothing)" : String(text.suffix(1_500)))
                    + "\nw\(w) trace, last lines:\n" + trace.split(separator: "\n").suffix(40).joined(separator: "\n")
            }.joined(separator: "\n")
        }
        #expect(last["feeds"] as? Int == feedCount, "status: \(last)\n\(workerLogs())")
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

    @Test("a worker stopped (SIGSTOP) past its leases: another takes its feeds, the woken one starts no new fetch and is fenced; every item exactly once")
    func stalledWorkerIsFenced() throws {
        let feedCount = 24
        let server = try numberedFeedServer(feeds: 24, items: 2, delay: .milliseconds(300))
        defer { server.stop() }
        let database = try freshDatabase()
        defer { database.drop() }
        let project = try TempProject(name: "ll", feeds: (0..<feedCount).map { server.url("/f\($0).xml") }, interval: "1h")
        defer { project.remove() }
        // Leases last 5 s (the minimum; twice a 1 s timeout would be less): one fetch at a
        // time, so the stalled worker still holds leases on feeds it has not fetched.
        for w in ["a", "b"] {
            try """
                name: ll
                feed_lists:
                  - feeds/list.yaml
                fetch:
                  concurrency: 1
                  per_host: \(feedCount)
                  timeout: 2s
                  retries: 0
                  user_agent: ingest-test-\(w)
                output:
                  directory: output/ll
                state:
                  backend: postgres
                  url: \(database.url)
                """.write(to: project.root.appendingPathComponent("pipelines/\(w).yaml"), atomically: true, encoding: .utf8)
        }
        func start(_ w: String) throws -> (Process, URL) {
            let log = project.root.appendingPathComponent("\(w).log")
            try #require(FileManager.default.createFile(atPath: log.path, contents: nil), "cannot create \(log.path)")
            let p = Process()
            p.executableURL = ingestBinary
            p.arguments = ["run", "pipelines/\(w).yaml", "--worker-id", w, "--claim-batch", "\(feedCount)"]
            p.currentDirectoryURL = project.root
            p.standardOutput = FileHandle.nullDevice
            p.standardError = try FileHandle(forWritingTo: log)
            try p.run()
            return (p, log)
        }
        func wait(_ p: Process, _ seconds: Double) {
            let by = Date().addingTimeInterval(seconds)
            while p.isRunning, Date() < by { Thread.sleep(forTimeInterval: 0.05) }
        }
        func hits(_ w: String) -> Int { server.allRequests.filter { $0.header("User-Agent") == "ingest-test-\(w)" }.count }

        let (a, aLog) = try start("a")
        defer { if a.isRunning { kill(a.processIdentifier, SIGCONT); kill(a.processIdentifier, SIGKILL) } }
        let by = Date().addingTimeInterval(60)
        while hits("a") < 4, Date() < by, a.isRunning { Thread.sleep(forTimeInterval: 0.01) }
        #expect(a.isRunning, "worker a is mid-run")
        kill(a.processIdentifier, SIGSTOP)
        let fetchedByA = hits("a")
        // Past its 5 s leases: b takes over every feed a had not recorded yet.
        Thread.sleep(forTimeInterval: 7)
        let (b, bLog) = try start("b")
        wait(b, 90)
        #expect(!b.isRunning && b.terminationStatus == 0, "\((try? String(contentsOf: bLog, encoding: .utf8)) ?? "")")
        #expect(hits("b") >= feedCount - fetchedByA, "b fetched what a had left")
        kill(a.processIdentifier, SIGCONT)
        wait(a, 90)
        let aText = (try? String(contentsOf: aLog, encoding: .utf8)) ?? ""
        #expect(!a.isRunning && a.terminationStatus == 0, "\(aText)")
        // The woken worker learns it lost its leases: its items or its fetch records are refused.
        #expect(aText.contains("lease lost") || aText.contains("not recorded"), "\(aText)")
        // Woken past its leases, a starts no new fetch: at most the one whose request was on
        // the wire when it stopped (concurrency 1) reaches the server only now.
        #expect(hits("a") - fetchedByA <= 1, "a fetched \(hits("a") - fetchedByA) feed(s) after it was woken")
        // So no feed is fetched twice but those a fetched before b took over (fetched and not
        // yet recorded when it stopped, or in flight): b fetches each feed once.
        var byA: [String: Int] = [:], byB: [String: Int] = [:]
        for r in server.allRequests {
            if r.header("User-Agent") == "ingest-test-a" { byA[r.path, default: 0] += 1 }
            if r.header("User-Agent") == "ingest-test-b" { byB[r.path, default: 0] += 1 }
        }
        #expect(byA.values.allSatisfy { $0 == 1 } && byB.values.allSatisfy { $0 == 1 }, "a: \(byA), b: \(byB)")
        let aBeforeStop = Set(server.allRequests.filter { $0.header("User-Agent") == "ingest-test-a" }.prefix(fetchedByA).map(\.path))
        let twice = Set(byA.keys).intersection(byB.keys)
        #expect(twice.subtracting(aBeforeStop).count <= 1, "fetched by both: \(twice.sorted()), a before it stopped: \(aBeforeStop.sorted())")

        var seen: [String: Int] = [:]
        for item in try project.visibleItems() { seen[item["guid"] as? String ?? "?", default: 0] += 1 }
        #expect(seen.filter { $0.value > 1 }.isEmpty, "duplicated: \(seen.filter { $0.value > 1 }.keys.sorted().prefix(5))")
        var expected = Set<String>()
        for n in 0..<feedCount { for i in 0..<2 { expected.insert("feed-\(n)-item-\(i)") } }
        #expect(Set(seen.keys) == expected, "missing: \(expected.subtracting(seen.keys).sorted().prefix(5))")
        let status = try runIngestBlocking(["state", "status", "pipelines/a.yaml", "--json"], cwd: project.root)
        let json = (try? JSONSerialization.jsonObject(with: status.stdout)) as? [String: Any] ?? [:]
        #expect(json["items"] as? Int == feedCount * 2 && json["pending_parts"] as? Int == 0, "\(json)")
        let takeovers = json["takeovers"] as? [String: Any] ?? [:]
        #expect((takeovers["a"] as? Int ?? 0) >= 1, "takeovers: \(takeovers)")
    }

    /// A run's leases hold its feeds' per-host slots for every worker; a worker still building its tagger (a debug
    /// build on a starved CI machine took minutes) held them all, and the others stood still.
    @Test("a worker claims feeds only once its normalizer and tagger are built")
    func claimsOnlyWhenReady() throws {
        let server = try TestHTTPServer { _ in TestResponse(status: 200, body: rssFeed(feed: 1, count: 2)) }
        defer { server.stop() }
        let database = try freshDatabase()
        defer { database.drop() }
        let project = try TempProject(name: "ready", feeds: (0..<3).map { server.url("/f\($0).xml") })
        defer { project.remove() }
        let trace = project.root.appendingPathComponent("run.trace")
        let run = try runIngestBlocking(
            ["run", project.pipelineFile, "--state", database.url, "--worker-id", "r", "--quiet"], cwd: project.root,
            environment: ["INGEST_TRACE": trace.path])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = try String(contentsOf: trace, encoding: .utf8).split(separator: "\n").map(String.init)
        let built = lines.firstIndex { $0.contains("ingest-taxonomy: built") }
        let claim = lines.firstIndex { $0.contains("state: claim due feeds") }
        #expect(built != nil && claim != nil && built! < claim!, "\(lines.joined(separator: "\n"))")
        #expect(try project.visibleItems().count == 6)
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

        let text = try runIngestBlocking(["state", "status", "--state", database.url], cwd: project.root)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdoutText.contains("schema version 3"))
        #expect(text.stdoutText.contains("2 fetched at least once"))
        #expect(text.stdoutText.contains("1 failing"))
        #expect(text.stdoutText.contains("live leases: 0"))
        #expect(text.stdoutText.contains("f1"), "the failing feed is listed")

        let bad = try runIngestBlocking(["state", "status", "--state", "postgres://nobody@127.0.0.1:1/none"], cwd: project.root)
        #expect(bad.status == 74)
        #expect(bad.stderr.contains("127.0.0.1:1"), "\(bad.stderr)")
    }
}

/// A PostgreSQL server of the test's own, made by `scripts/postgres-test.sh` in its own
/// directory, so that stopping it cannot break tests running beside it on the shared one.
private final class PrivateServer: Sendable {
    let stateDirectory: String
    let url: String
    let port: Int
    private let script: String
    private let pgBin: String

    init() throws {
        script = packageRoot.appendingPathComponent("scripts/postgres-test.sh").path
        stateDirectory = "/tmp/ingest-pg-restart-" + UUID().uuidString.prefix(8).lowercased()
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        pgBin = "/usr/lib/postgresql/\(versions.sorted().last ?? "15")/bin"
        let out = try Self.shell(["bash", script, "start"], environment: ["INGEST_PG_STATE": stateDirectory])
        guard let line = out.split(separator: "\n").first(where: { $0.contains("INGEST_TEST_POSTGRES_URL=") }),
              let value = line.split(separator: "=", maxSplits: 1).last,
              let port = URLComponents(string: String(value))?.port
        else { throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "no URL from postgres-test.sh: \(out)"]) }
        url = String(value)
        self.port = port
    }

    /// A fast shutdown (sessions terminated, as in a restart by an administrator or a failover).
    func stop() throws { try pgCtl(["-m", "fast", "-w", "stop"]) }

    /// The same data directory on the same port.
    func start() throws {
        try pgCtl([
            "-l", "\(stateDirectory)/server.log", "-w", "-t", "60",
            "-o", "-c listen_addresses=127.0.0.1 -p \(port) -k \(stateDirectory) -c fsync=off", "start",
        ])
    }

    func destroy() { _ = try? Self.shell(["bash", script, "stop"], environment: ["INGEST_PG_STATE": stateDirectory]) }

    private func pgCtl(_ arguments: [String]) throws {
        let command = ["\(pgBin)/pg_ctl", "-D", "\(stateDirectory)/data"] + arguments
        // The server refuses root: the script made the directory the postgres user's.
        try Self.shell(getuid() == 0 ? ["runuser", "-u", "postgres", "--"] + command : command, environment: [:])
    }

    /// Runs a command with its output in a file, and waits with `waitpid`. Not `Process`:
    /// the server `pg_ctl` starts inherits the output, and `Process` (pipes, or its
    /// SIGCHLD monitor) was seen waiting for ever after the script had exited.
    @discardableResult
    static func shell(_ command: [String], environment: [String: String]) throws -> String {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("pg-shell-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let env = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0.key)=\($0.value)" }
        var argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup($0) } + [nil]
        defer { for p in argv + envp { free(p) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, command[0], &actions, nil, &argv, &envp)
        guard spawned == 0 else {
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "\(command[0]): spawn failed (\(spawned))"])
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        // WIFEXITED && WEXITSTATUS == 0
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "\(command.joined(separator: " ")) (status \(status)): \(text)"])
        }
        return text
    }
}

@Suite("a worker whose PostgreSQL restarts mid-run", .serialized, .enabled(if: postgresURL != nil,
       "INGEST_TEST_POSTGRES_URL is not set: run `eval \"$(scripts/postgres-test.sh start)\"` for a PostgreSQL 15 test server"))
struct PostgresRestartTests {
    @Test("PostgreSQL stopped and restarted under a running `ingest run`: the run finishes, every item exactly once, no feed fetched twice")
    func runSurvivesRestart() throws {
        let feedCount = 200
        let server = try numberedFeedServer(feeds: 200, items: 2, delay: .milliseconds(50))
        defer { server.stop() }
        let postgres = try PrivateServer()
        defer { postgres.destroy() }
        let project = try TempProject(name: "rs", feeds: (0..<feedCount).map { server.url("/f\($0).xml") }, interval: "1h")
        defer { project.remove() }
        // Two fetches at a time: the run lasts several seconds, committing every second. All
        // feeds share one host, whose lease limit would otherwise end the run after a few.
        try """
            name: rs
            feed_lists:
              - feeds/list.yaml
            fetch:
              concurrency: 2
              per_host: \(feedCount)
              timeout: 5s
              retries: 0
            output:
              directory: output/rs
            state:
              backend: postgres
              url: \(postgres.url)
            """.write(to: project.root.appendingPathComponent("pipelines/rs.yaml"), atomically: true, encoding: .utf8)

        let log = project.root.appendingPathComponent("run.log")
        try #require(FileManager.default.createFile(atPath: log.path, contents: nil), "cannot create \(log.path)")
        let logHandle = try FileHandle(forWritingTo: log)
        let run = Process()
        run.executableURL = ingestBinary
        run.arguments = ["run", "pipelines/rs.yaml", "--worker-id", "r1", "--quiet"]
        run.currentDirectoryURL = project.root
        run.standardOutput = FileHandle.nullDevice
        run.standardError = logHandle
        try run.run()
        defer { if run.isRunning { kill(run.processIdentifier, SIGKILL) } }

        // Stop the server once a quarter of the feeds were fetched (some committed, many to go).
        let startBy = Date().addingTimeInterval(60)
        while server.allRequests.count < feedCount / 4, Date() < startBy, run.isRunning { Thread.sleep(forTimeInterval: 0.01) }
        #expect(run.isRunning, "the run was still going when the server stopped")
        try postgres.stop()
        let hitsWhenStopped = server.allRequests.count
        Thread.sleep(forTimeInterval: 3)
        #expect(run.isRunning, "the run waits for the database instead of failing")
        try postgres.start()

        waitWhileProgressing(every: 0.1) { !run.isRunning } progress: { [server.allRequests.count] }
        #expect(!run.isRunning, "the run finished after the restart")
        try? logHandle.close()
        let stderr = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(run.terminationStatus == 0, "\(stderr)")
        #expect(hitsWhenStopped < feedCount, "the outage came mid-run")

        // Every feed fetched exactly once, every item visible exactly once, nothing pending.
        for n in 0..<feedCount { #expect(server.hits(path: "/f\(n).xml") == 1, "/f\(n).xml") }
        var seen: [String: Int] = [:]
        for item in try project.visibleItems() { seen[item["guid"] as? String ?? "?", default: 0] += 1 }
        #expect(seen.filter { $0.value > 1 }.isEmpty, "duplicated: \(seen.filter { $0.value > 1 }.keys.sorted().prefix(5))")
        var expected = Set<String>()
        for n in 0..<feedCount { for i in 0..<2 { expected.insert("feed-\(n)-item-\(i)") } }
        #expect(Set(seen.keys) == expected, "missing: \(expected.subtracting(seen.keys).sorted().prefix(5))")
        let status = try runIngestBlocking(["state", "status", "pipelines/rs.yaml", "--json"], cwd: project.root)
        #expect(status.status == 0, "\(status.stderr)")
        let json = (try? JSONSerialization.jsonObject(with: status.stdout)) as? [String: Any] ?? [:]
        #expect(json["feeds"] as? Int == feedCount && json["pending_parts"] as? Int == 0, "\(json)")
        #expect(json["items"] as? Int == feedCount * 2, "\(json)")

        // The schedule survived too: a second run finds nothing due.
        let again = try runIngestBlocking(["run", "pipelines/rs.yaml", "--worker-id", "r1", "--quiet"], cwd: project.root)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(server.allRequests.count == feedCount)
    }
}

/// Serves `/f<n>.xml` for `n < feeds` (RSS with `items` items, after `delay`); anything else 404.
private func numberedFeedServer(feeds: Int, items: Int, delay: Duration) throws -> TestHTTPServer {
    try TestHTTPServer { req in
        guard req.path.hasPrefix("/f"), let n = Int(req.path.dropFirst(2).prefix { $0.isNumber }), n < feeds else {
            return .status(404)
        }
        return TestResponse(status: 200, body: rssFeed(feed: n, count: items), delay: delay)
    }
}
