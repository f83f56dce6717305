import ArgumentParser
import Foundation
import IngestCore
import Pipeline

/// Exit statuses, from sysexits(3) where one fits, so schedulers can tell a broken
/// configuration from a run that merely met failing feeds.
enum ExitStatus {
    /// `--strict` and at least one source failed.
    static let feedFailures: Int32 = 1
    static let usage: Int32 = 64
    static let ioError: Int32 = 74
    /// Another run of the same pipeline holds the lock.
    static let busy: Int32 = 75
    static let config: Int32 = 78
}

@main
struct Ingest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Turn Chinese and English news feeds and pages into clean, tagged JSON Lines.",
        discussion: """
            Ad-hoc runs (records to standard output unless --output DIR):
              ingest --feed https://example.com/rss.xml
              ingest --feed feeds/samples/zh-tech.rss.xml --feed-records
              ingest --feed-list feeds/demo.opml --output out/
              ingest --page https://example.com/news/123.html
            Their options: ingest adhoc --help

            Scheduled and long-running:
              ingest run demo             pipelines/demo.yaml once; cron-safe
              ingest serve demo           until SIGTERM/SIGINT
              ingest validate china-tech  check without running

            Diagnostics and the run summary go to standard error.
            Exit status: 0 the run completed (even if feeds failed),
            1 --strict and a feed failed, 64 usage, 74 I/O error,
            75 the pipeline is locked by another run, 78 configuration.
            """,
        version: IngestVersion.number,
        subcommands: [
            AdHocCommand.self, RunCommand.self, ServeCommand.self, ValidateCommand.self, ExportOPMLCommand.self,
            StateCommand.self,
        ],
        defaultSubcommand: AdHocCommand.self
    )

    /// The allocator is set up before ArgumentParser or the cooperative pool allocate.
    static func main() async {
        ProcessMemory.configure()
        await main(nil)
    }
}

/// `ingest --feed ...`: the default command, so its options never shadow those of
/// `run` and `serve` (a parent's options would swallow a subcommand's `--quiet`).
struct AdHocCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adhoc",
        abstract: "Ad-hoc run over feeds and pages (the default: `ingest --feed SRC` means `ingest adhoc --feed SRC`).")

    @OptionGroup var adHoc: AdHocArguments

    func run() async throws {
        guard !adHoc.feeds.isEmpty || !adHoc.feedLists.isEmpty || !adHoc.pages.isEmpty else {
            throw ValidationError("nothing to ingest: give --feed SRC, --feed-list FILE or --page SRC (see --help)")
        }
        let summary: RunSummary
        do {
            summary = try await AdHocJob.run(adHoc.options())
        } catch let error as AdHocJob.Failure {
            FileHandle.standardError.write(Data("ingest: \(error)\n".utf8))
            throw ExitCode(error.isConfiguration ? ExitStatus.config : ExitStatus.ioError)
        }
        if !adHoc.quiet { summary.writeReport(to: .standardError) }
        if adHoc.strict, summary.totals.failed > 0 { throw ExitCode(ExitStatus.feedFailures) }
    }
}

struct AdHocArguments: ParsableArguments {
    @Option(name: .customLong("feed"), help: ArgumentHelp("A feed: http(s):// URL, file:// URL or local path. Repeatable.", valueName: "SRC"))
    var feeds: [String] = []

    @Option(name: .customLong("feed-list"), help: ArgumentHelp("OPML, YAML or one-source-per-line list of feeds. Repeatable.", valueName: "FILE"))
    var feedLists: [String] = []

    @Option(name: .customLong("page"), help: ArgumentHelp("A news article page (HTML): one record out. Repeatable.", valueName: "SRC"))
    var pages: [String] = []

    @Option(name: .customLong("output"), help: ArgumentHelp("'-' for standard output, or a directory for partitioned JSON Lines files.", valueName: "-|DIR"))
    var output: String = "-"

    @Option(name: .customLong("publish-every"), help: ArgumentHelp("With --output DIR: publish the day files written so far at least this often (they also appear when full and at the end).", valueName: "SECONDS"))
    var publishEvery: Double = 10

    @Flag(name: .customLong("feed-records"), help: "Put an ingest.feed/1 record before each feed's items.")
    var feedRecords = false

    @Option(name: .customLong("concurrency"), help: "Fetches in flight at once.")
    var concurrency: Int = 16

    @Option(name: .customLong("timeout"), help: ArgumentHelp("Total time allowed per fetch, in seconds.", valueName: "SECONDS"))
    var timeout: Double = 60

    @Option(name: .customLong("max-bytes"), help: ArgumentHelp("Largest response body accepted.", valueName: "BYTES"))
    var maxBytes: Int = 20 * 1024 * 1024

    @Option(name: .customLong("retries"), help: "Retries for timeouts, 5xx, 408 and 429.")
    var retries: Int = 2

    @Option(name: .customLong("taxonomy"), help: ArgumentHelp("Topic taxonomy (default: pipelines/topics.yaml).", valueName: "FILE"))
    var taxonomy: String?

    @Option(name: .customLong("sources"), help: ArgumentHelp("Source registry (default: pipelines/sources.yaml).", valueName: "FILE"))
    var sources: String?

    @Option(name: .customLong("timezone"), help: ArgumentHelp("Zone for times printed without one (default: the source's, Asia/Shanghai for Chinese).", valueName: "IANA"))
    var timeZone: String?

    @Flag(name: .customLong("full-text"), help: "Fetch each item's article page when its feed carries no body.")
    var fullText = false

    @Flag(name: .customLong("strict"), help: "Exit non-zero when any source failed.")
    var strict = false

    @Flag(name: .customLong("quiet"), help: "No run summary on standard error.")
    var quiet = false

    func validate() throws {
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        guard maxBytes > 0 else { throw ValidationError("--max-bytes must be positive") }
        guard retries >= 0 else { throw ValidationError("--retries must not be negative") }
        guard publishEvery >= 0 else { throw ValidationError("--publish-every must not be negative") }
        if let tz = timeZone, TimeZone(identifier: tz) == nil {
            throw ValidationError("--timezone: unknown time zone '\(tz)'")
        }
    }

    func options() -> AdHocJob.Options {
        var o = AdHocJob.Options()
        o.feeds = feeds
        o.feedLists = feedLists
        o.pages = pages
        o.output = output
        o.publishEvery = .milliseconds(Int64(publishEvery * 1000))
        o.feedRecords = feedRecords
        o.concurrency = concurrency
        o.timeoutSeconds = timeout
        o.maxBytes = maxBytes
        o.retries = retries
        o.taxonomyPath = taxonomy
        o.sourcesPath = sources
        o.timeZone = timeZone
        o.fullText = fullText
        return o
    }
}
