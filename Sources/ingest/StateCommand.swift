import ArgumentParser
import Foundation
import IngestCore
import Pipeline
import State
import StatePostgres

/// `--state` and `--worker-id` for `run` and `serve`: the same pipeline file serves one
/// machine with SQLite or many workers sharing PostgreSQL.
struct SharedStateArguments: ParsableArguments {
    @Option(name: .customLong("state"), help: ArgumentHelp(
        "Where state lives, overriding the pipeline: a postgres:// URL (shared by workers) or a SQLite file path.",
        valueName: "URL|PATH"))
    var state: String?

    @Option(name: .customLong("worker-id"), help: ArgumentHelp(
        "This worker's id with PostgreSQL state (default hostname-pid): in part file names, leases and status.",
        valueName: "ID"))
    var workerID: String?

    @Option(name: .customLong("claim-batch"), help: ArgumentHelp(
        "With PostgreSQL state: most due feeds one run claims (default: a fair share among live workers).",
        valueName: "N"))
    var claimBatch: Int?

    func validate() throws {
        if let workerID {
            guard !workerID.isEmpty, workerID.count <= 64,
                  workerID.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)) })
            else { throw ValidationError("--worker-id: use 1-64 letters, digits, '-', '_' or '.'") }
        }
        if let claimBatch, claimBatch < 1 { throw ValidationError("--claim-batch must be at least 1") }
    }

    func apply(to settings: inout ScheduledSettings) {
        if let state {
            if state.hasPrefix("postgres://") || state.hasPrefix("postgresql://") {
                settings.stateURL = state
            } else {
                settings.stateURL = nil
                settings.statePath = state
            }
        }
        if settings.stateURL != nil {
            settings.workerID = workerID ?? PostgresWorkerOptions.defaultWorkerID()
            settings.claimBatch = claimBatch
        }
    }
}

struct StateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Inspect or migrate a pipeline's state (SQLite file or shared PostgreSQL).",
        subcommands: [StateMigrateCommand.self, StateStatusCommand.self])
}

/// Opens the state a pipeline (or `--state`) names, without building any stage.
private func openState(pipeline: String?, shared: SharedStateArguments, migrate: Bool) async throws -> (any StateStore, String) {
    var stateURL: String?
    var statePath: String?
    var name = "state"
    if let pipeline {
        let config = try loadPipeline(pipeline)
        name = config.name
        if config.state.backend == .postgres { stateURL = config.state.url } else { statePath = config.state.path.path }
    }
    if let override = shared.state {
        if override.hasPrefix("postgres://") || override.hasPrefix("postgresql://") {
            stateURL = override
            statePath = nil
        } else {
            stateURL = nil
            statePath = override
        }
    }
    do {
        if let stateURL {
            var options = PostgresWorkerOptions(workerID: shared.workerID ?? "status-\(PostgresWorkerOptions.defaultWorkerID())")
            options.migrate = migrate
            options.maxConnections = 2
            options.registersWorker = false
            return (try await PostgresStateStore.open(url: stateURL, options: options), name)
        }
        guard let statePath else {
            throw ValidationError("give a pipeline or --state URL|PATH")
        }
        return (try await SQLiteStateStore.open(path: statePath), name)
    } catch let error as StateStoreError {
        FileHandle.standardError.write(Data("ingest: \(error)\n".utf8))
        throw ExitCode(ExitStatus.ioError)
    }
}

struct StateMigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Bring the state's schema up to date (workers also do this on start, one at a time).",
        discussion: """
              ingest state migrate pipelines/cluster.yaml
              ingest state migrate --state postgres://ingest@db.internal/ingest?sslmode=require
            """)

    @Argument(help: "Pipeline name (pipelines/NAME.yaml) or path; optional with --state.")
    var pipeline: String?

    @OptionGroup var shared: SharedStateArguments

    func run() async throws {
        let (store, _) = try await openState(pipeline: pipeline, shared: shared, migrate: true)
        if let pg = store as? PostgresStateStore {
            let version = try await pg.schemaVersion()
            print("\(pg.location): schema version \(version) (latest \(PostgresStateStore.latestSchemaVersion))")
            await pg.close()
        } else if let sqlite = store as? SQLiteStateStore {
            print("\(sqlite.path): schema version \(try await sqlite.schemaVersion)")
        }
    }
}

struct StateStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Schema version, workers, live leases, due and failing feeds, last run.",
        discussion: """
              ingest state status demo
              ingest state status --state postgres://ingest@db.internal/ingest --json
            """)

    @Argument(help: "Pipeline name (pipelines/NAME.yaml) or path; optional with --state.")
    var pipeline: String?

    @OptionGroup var shared: SharedStateArguments

    @Flag(name: .customLong("json"), help: "One JSON object on standard output.")
    var json = false

    @Option(name: .customLong("limit"), help: "Leases and failing feeds listed at most.")
    var limit = 20

    func run() async throws {
        let (store, name) = try await openState(pipeline: pipeline, shared: shared, migrate: false)
        let now = Date()
        do {
            let status = try await store.status(now: now)
            let failing = try await store.failingFeeds(limit: limit)
            let pg = store as? PostgresStateStore
            let cluster = try await pg?.clusterStatus(leaseLimit: limit)
            let leaseCount = try await pg?.liveLeaseCount()
            await pg?.close()
            if json {
                var object: [String: Any] = [
                    "pipeline": name, "location": status.location, "schema_version": status.schemaVersion,
                    "feeds": status.feeds, "due_feeds": status.dueFeeds, "failing_feeds": status.failingFeeds,
                    "items": status.items, "pending_parts": status.pendingParts,
                    "failing": failing.map { f -> [String: Any] in
                        ["feed_id": f.feedID, "consecutive_failures": f.consecutiveFailures, "last_error": f.lastError ?? NSNull()]
                    },
                ]
                if let run = status.lastRun {
                    object["last_run"] = ["run_id": run.runID, "status": run.status, "started_at": RFC3339.utc(run.startedAt)]
                }
                if let cluster {
                    object["live_leases"] = leaseCount ?? 0
                    object["takeovers"] = cluster.takeovers
                    object["workers"] = cluster.workers.map { w -> [String: Any] in
                        ["worker_id": w.workerID, "hostname": w.hostname, "pid": w.pid, "alive": w.alive,
                         "last_seen_at": RFC3339.utc(w.lastSeenAt), "live_leases": w.liveLeases]
                    }
                }
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
                return
            }
            var lines: [String] = []
            lines.append("\(name): state \(status.location), schema version \(status.schemaVersion)")
            lines.append("feeds: \(status.feeds) fetched at least once, \(status.dueFeeds) due, \(status.failingFeeds) failing")
            lines.append("items: \(status.items); pending parts: \(status.pendingParts)")
            if let run = status.lastRun {
                lines.append("last run: \(run.runID) \(run.status), started \(RFC3339.utc(run.startedAt))")
            }
            if let cluster {
                let alive = cluster.workers.filter(\.alive).count
                lines.append("workers: \(alive) live of \(cluster.workers.count) registered")
                for w in cluster.workers {
                    let seen = Int(now.timeIntervalSince(w.lastSeenAt).rounded())
                    lines.append("  \(w.workerID)  \(w.alive ? "live" : "dead")  \(w.hostname) pid \(w.pid)  seen \(seen)s ago  leases \(w.liveLeases)")
                }
                lines.append("live leases: \(leaseCount ?? 0)")
                for l in cluster.liveLeases {
                    lines.append("  \(l.feedID)  \(l.owner)  expires in \(Int(l.expiresAt.timeIntervalSince(now).rounded()))s")
                }
                if !cluster.takeovers.isEmpty {
                    lines.append("leases taken over from: " + cluster.takeovers.sorted { $0.key < $1.key }
                        .map { "\($0.key) (\($0.value))" }.joined(separator: ", "))
                }
            }
            if !failing.isEmpty {
                lines.append("failing feeds:")
                for f in failing {
                    lines.append("  \(f.feedID)  \(f.consecutiveFailures) failure(s)  \(f.lastError ?? "")")
                }
            }
            print(lines.joined(separator: "\n"))
        } catch {
            await (store as? PostgresStateStore)?.close()
            FileHandle.standardError.write(Data("ingest: \(error)\n".utf8))
            throw ExitCode(ExitStatus.ioError)
        }
    }
}
