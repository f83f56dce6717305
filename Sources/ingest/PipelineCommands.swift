import ArgumentParser
import Foundation
import IngestCore
import Pipeline
import Prometheus
import Metrics
import ServiceLifecycle
import State
import Logging

/// Loads a pipeline or exits 78 with every problem, one per line, `file:line:col: key: message`.
func loadPipeline(_ pathOrName: String) throws -> PipelineConfig {
    let root = PipelineConfig.commandLineRoot(for: pathOrName)
    do {
        return try ConfigLoader.load(pipeline: pathOrName, root: root)
    } catch {
        for p in error.problems { FileHandle.standardError.write(Data("\(p)\n".utf8)) }
        FileHandle.standardError.write(Data("ingest: \(pathOrName): \(error.problems.count) problem(s); nothing was run\n".utf8))
        throw ExitCode(ExitStatus.config)
    }
}

/// Takes the pipeline's run lock or exits 75 naming the holder.
func acquireLock(_ settings: ScheduledSettings) throws -> RunLock {
    let lock: RunLock?
    do {
        lock = try RunLock.tryAcquire(path: settings.lockPath)
    } catch {
        FileHandle.standardError.write(Data("ingest: \(error)\n".utf8))
        throw ExitCode(ExitStatus.ioError)
    }
    guard let lock else {
        let holder = RunLock.recordedHolder(path: settings.lockPath).map { " (pid \($0))" } ?? ""
        FileHandle.standardError.write(Data(
            "ingest: pipeline '\(settings.name)' is already running\(holder); lock \(settings.lockPath). Nothing done.\n".utf8))
        throw ExitCode(ExitStatus.busy)
    }
    return lock
}

/// What `run` and `serve` share: load and validate the pipeline (exit 78), take its lock
/// (exit 75), open its state and stages (exit 78 or 74).
func openScheduledJob(
    _ pipeline: String, sharedState: SharedStateArguments, ignoreSchedule: Bool = false, progress: Bool = false
) async throws -> (PipelineConfig, RunLock, ScheduledJob) {
    StageFactory.prepareTextTablesInBackground()
    var config = try loadPipeline(pipeline)
    var settings: ScheduledSettings
    do {
        settings = try config.scheduledSettings(ignoreSchedule: ignoreSchedule, progress: progress)
    } catch {
        FileHandle.standardError.write(Data("ingest: \(error)\n".utf8))
        throw ExitCode(ExitStatus.config)
    }
    // The settings carry every feed from here on; the entries as the lists wrote them (with
    // their origins and categories, several hundred bytes a feed) would otherwise stay in
    // memory for the whole run beside them.
    config.feeds = []
    sharedState.apply(to: &settings)
    let lock = try acquireLock(settings)
    do {
        return (config, lock, try await ScheduledJob.connect(settings))
    } catch {
        lock.release()
        FileHandle.standardError.write(Data("ingest: \(config.name): \(error)\n".utf8))
        throw ExitCode(error is AdHocJob.Failure ? ExitStatus.config : ExitStatus.ioError)
    }
}

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "One scheduled run of a pipeline: due feeds only, each new or changed item exactly once.",
        discussion: """
            Safe from cron or a systemd timer: a second run of the same pipeline while one is running
            exits at once with status 75. Records go to the pipeline's output directory, the run summary
            to standard error and to output/NAME/runs/<run>.json.
              ingest run demo
              ingest run pipelines/china-tech.yaml --all
            """)

    @Argument(help: "Pipeline name (pipelines/NAME.yaml) or path.")
    var pipeline: String

    @Flag(name: .customLong("all"), help: "Fetch every enabled feed, due or not.")
    var all = false

    @Flag(name: .customLong("strict"), help: "Exit 1 when any feed failed.")
    var strict = false

    @Flag(name: .customLong("quiet"), help: "No run summary on standard error.")
    var quiet = false

    @OptionGroup var sharedState: SharedStateArguments

    func run() async throws {
        RunTrace.note("run \(pipeline): starting")
        let (config, lock, job) = try await openScheduledJob(
            pipeline, sharedState: sharedState, ignoreSchedule: all, progress: !quiet)
        defer { lock.release() }
        defer { job.shutdown() }
        defer { RunTrace.note("run \(pipeline): exiting") }
        let summary: RunSummary
        do {
            summary = try await job.runOnce()
        } catch {
            FileHandle.standardError.write(Data("ingest: \(config.name): run failed: \(error)\n".utf8))
            await job.closeState()
            // A taxonomy or source registry that cannot be read is a configuration error,
            // even though it surfaces once the run has started.
            let isConfiguration = (error as? AdHocJob.Failure)?.isConfiguration ?? false
            throw ExitCode(isConfiguration ? ExitStatus.config : ExitStatus.ioError)
        }
        await job.closeState()
        if !quiet { summary.writeReport(to: .standardError) }
        if strict, summary.totals.failed > 0 { throw ExitCode(ExitStatus.feedFailures) }
    }
}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Keep running: fetch each feed of a pipeline when it is due; stop cleanly on SIGTERM/SIGINT.",
        discussion: """
            Exposes Prometheus metrics on /metrics and a health check on /health at the pipeline's
            serve.metrics_port (default 9464, 127.0.0.1). On SIGTERM or SIGINT it stops fetching, writes
            and commits what is in flight, and exits 0.
              ingest serve demo --metrics-port 9464
            """)

    @Argument(help: "Pipeline name (pipelines/NAME.yaml) or path.")
    var pipeline: String

    @Option(name: .customLong("metrics-port"), help: "Port for /metrics and /health; 0 picks a free one, -1 turns them off.")
    var metricsPort: Int?

    @Option(name: .customLong("shutdown-timeout"), help: "Seconds allowed to drain on SIGTERM before in-flight work is cancelled.")
    var shutdownTimeout: Double = 30

    @OptionGroup var sharedState: SharedStateArguments

    func run() async throws {
        let (config, lock, job) = try await openScheduledJob(pipeline, sharedState: sharedState)
        defer { lock.release() }
        defer { job.shutdown() }
        do {
            try await job.awaitTextStages()
        } catch {
            FileHandle.standardError.write(Data("ingest: \(config.name): \(error)\n".utf8))
            await job.closeState()
            throw ExitCode(ExitStatus.config)
        }

        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let health = HealthState()
        var services: [any Service] = [PipelineService(job: job, metrics: IngestMetrics(), health: health)]
        let port = metricsPort ?? (config.serve.metricsPort == 0 ? -1 : config.serve.metricsPort)
        if port >= 0 {
            do {
                let endpoint = try MetricsEndpoint(host: config.serve.metricsHost, port: port, registry: registry, health: health)
                FileHandle.standardError.write(Data(
                    "ingest: serving \(config.name); metrics on http://\(config.serve.metricsHost):\(endpoint.port)/metrics\n".utf8))
                services.append(endpoint)
            } catch {
                FileHandle.standardError.write(Data("ingest: \(error)\n".utf8))
                throw ExitCode(ExitStatus.ioError)
            }
        }
        var logger = Logger(label: "ingest.serve")
        logger.logLevel = .warning
        var groupConfig = ServiceGroupConfiguration(
            services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        groupConfig.maximumGracefulShutdownDuration = .milliseconds(Int64(shutdownTimeout * 1000))
        let group = ServiceGroup(configuration: groupConfig)
        do {
            try await group.run()
        } catch {
            FileHandle.standardError.write(Data("ingest: \(config.name): \(error)\n".utf8))
            await job.closeState()
            throw ExitCode(ExitStatus.ioError)
        }
        await job.closeState()
    }
}

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a pipeline file, its feed lists, taxonomy and source registry without running.")

    @Argument(help: "Pipeline name (pipelines/NAME.yaml) or path.")
    var pipeline: String

    func run() throws {
        let root = PipelineConfig.commandLineRoot(for: pipeline)
        let (config, problems) = ConfigLoader.validate(pipeline: pipeline, root: root)
        var all = problems.map(\.description)
        if let config, problems.isEmpty {
            // The stage files must load too: a broken taxonomy is a configuration error.
            do {
                let s = try config.scheduledSettings()
                _ = try StageFactory.checkFiles(taxonomyPath: s.taxonomyPath, sourcesPath: s.sourcesPath)
            } catch {
                all.append("\(error)")
            }
        }
        guard all.isEmpty, let config else {
            for line in all { FileHandle.standardError.write(Data("\(line)\n".utf8)) }
            FileHandle.standardError.write(Data("ingest: \(pipeline): \(all.count) problem(s)\n".utf8))
            throw ExitCode(ExitStatus.config)
        }
        let enabled = config.feeds.filter(\.enabled).count
        print("\(config.name): ok: \(config.feeds.count) feeds (\(enabled) enabled) from \(config.feedLists.count) feed list(s); output \(config.output.directory.path)")
    }
}

struct ExportOPMLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-opml",
        abstract: "Print a pipeline's feeds (or a feed list's) as OPML for feed readers.")

    @Argument(help: "Pipeline name or path, or a feed list file with --feed-list.")
    var pipeline: String

    @Flag(name: .customLong("feed-list"), help: "The argument is a feed list (YAML, OPML or text), not a pipeline.")
    var isFeedList = false

    func run() throws {
        if isFeedList {
            let file = URL(fileURLWithPath: pipeline)
            do {
                let feeds = try FeedListLoader.load(file)
                print(OPMLExporter.export(feeds: feeds, title: file.deletingPathExtension().lastPathComponent), terminator: "")
            } catch {
                for p in error.problems { FileHandle.standardError.write(Data("\(p)\n".utf8)) }
                throw ExitCode(ExitStatus.config)
            }
            return
        }
        let config = try loadPipeline(pipeline)
        print(OPMLExporter.export(feeds: config.feeds, title: config.description ?? config.name), terminator: "")
    }
}
