import Foundation
import IngestCore
import Testing
@testable import Pipeline

/// The shipped pipelines load cleanly, defaults fill what a file leaves out, and paths
/// resolve as documented.
@Suite struct ConfigLoaderTests {
    @Test func demoPipelineLoadsTheBundledSamples() throws {
        let config = try ConfigLoader.load(pipeline: "demo", root: ConfigPaths.packageRoot)
        let root = ConfigPaths.packageRoot.standardizedFileURL
        #expect(config.name == "demo")
        #expect(config.feedLists == [root.appendingPathComponent("feeds/demo.yaml")])
        #expect(config.feeds.map(\.id) == ["demo-zh-tech", "demo-en-tech", "demo-mixed", "demo-zh-gbk"])
        #expect(config.feeds.map(\.url) == ["zh-tech.rss.xml", "en-tech.atom.xml", "mixed.rss.xml", "zh-gbk.rss.xml"]
            .map { root.appendingPathComponent("feeds/samples/\($0)").path })
        for feed in config.feeds { #expect(FileManager.default.fileExists(atPath: feed.url)) }
        #expect(config.feeds.map(\.language) == ["zh-Hans", "en", nil, "zh-Hans"])
        #expect(config.feeds.map(\.timezone) == ["Asia/Shanghai", "UTC", "Asia/Hong_Kong", "Asia/Shanghai"])
        #expect(config.feeds.allSatisfy { $0.interval == 900 && $0.enabled && $0.type == .feed })
        #expect(config.output.directory == root.appendingPathComponent("output/demo"))
        #expect(config.output.feedRecords)
        #expect(config.state.backend == .sqlite)
        #expect(config.state.path == root.appendingPathComponent("output/demo/state.sqlite"))
        #expect(config.fetch.concurrency == 4)
        #expect(config.fetch.timeout == 10)
        #expect(config.normalize.defaultTimeZone == "Asia/Shanghai")
        #expect(config.schedule.interval == 900)
        // The taxonomy and registry are the defaults; they belong to other parts of the project.
        let topics = root.appendingPathComponent("pipelines/topics.yaml")
        #expect(config.tag.taxonomy == (FileManager.default.fileExists(atPath: topics.path) ? topics : nil))
    }

    @Test func demoFeedListsAgreeInEveryFormat() throws {
        let root = ConfigPaths.packageRoot
        let yaml = try FeedListLoader.load(root.appendingPathComponent("feeds/demo.yaml"))
        let opml = try FeedListLoader.load(root.appendingPathComponent("feeds/demo.opml"))
        let text = try FeedListLoader.load(root.appendingPathComponent("feeds/demo.txt"))
        #expect(Set(yaml.map(\.url)) == Set(opml.map(\.url)))
        #expect(Set(yaml.map(\.url)) == Set(text.map(\.url)))
        #expect(Set(yaml.map(\.id)) == Set(opml.map(\.id)))
        for entry in yaml {
            let twin = try #require(opml.first { $0.id == entry.id })
            #expect(twin.language == entry.language)
            #expect(twin.timezone == entry.timezone)
            #expect(twin.interval == entry.interval)
            #expect(twin.title == entry.title)
        }
    }

    /// china-tech names real outlets; it is checked in a copy of the project that has stand-ins
    /// for the taxonomy and registry, so this test does not depend on their state.
    @Test func chinaTechPipelineLoads() throws {
        let root = try ConfigPaths.temporaryProject()
        defer { try? FileManager.default.removeItem(at: root) }
        for path in ["pipelines/china-tech.yaml", "feeds/china-tech.yaml"] {
            try FileManager.default.copyItem(at: ConfigPaths.packageRoot.appendingPathComponent(path),
                                             to: root.appendingPathComponent(path))
        }
        try ConfigPaths.write("topics: []\n", to: "pipelines/topics.yaml", in: root)
        try ConfigPaths.write("sources: []\n", to: "pipelines/sources.yaml", in: root)

        let config = try ConfigLoader.load(pipeline: "china-tech", root: root)
        #expect(config.name == "china-tech")
        #expect(config.feeds.count >= 25)
        #expect(Set(config.feeds.map(\.id)).count == config.feeds.count)
        #expect(config.feeds.allSatisfy { $0.url.hasPrefix("https://") || $0.url.hasPrefix("http://") })
        #expect(config.feeds.allSatisfy { !$0.idDerived && $0.source != nil && $0.timezone != nil && $0.title != nil })
        let languages = Set(config.feeds.compactMap(\.language))
        #expect(languages.isSuperset(of: ["zh-Hans", "zh-Hant", "en"]))
        for id in ["36kr", "ithome", "sspai", "solidot", "cnbeta", "ftchinese", "bbc-zhongwen-simp", "hacker-news",
                   "the-verge", "ars-technica", "techcrunch"] {
            #expect(config.feeds.contains { $0.id == id }, "missing \(id)")
        }
        #expect(config.feeds.first { $0.id == "ithome" }?.interval == 900)
        #expect(config.feeds.first { $0.id == "36kr" }?.interval == 1800)   // from the list's defaults
        #expect(config.enabledFeeds.count == config.feeds.count - 1)
        #expect(config.feeds.first { $0.id == "bbc-zhongwen-trad" }?.enabled == false)
        #expect(config.fetch.perHost == 2)
        #expect(config.fetch.maxBytes == 20_000_000)
        #expect(config.fetch.lowSpeedLimit == 512)
        #expect(config.fetch.lowSpeedTime == 20)
        #expect(config.output.compression == .gzip)
        #expect(config.output.rotateBytes == 64_000_000)
        #expect(config.buffers.fetched == 32)
        #expect(config.schedule.minInterval == 300)
        #expect(config.schedule.maxInterval == 6 * 3600)
        #expect(config.schedule.maxBackoff == 12 * 3600)
        #expect(config.serve.metricsPort == 9464)
        #expect(config.tag.taxonomy == root.appendingPathComponent("pipelines/topics.yaml").standardizedFileURL)
        #expect(config.sources == root.appendingPathComponent("pipelines/sources.yaml").standardizedFileURL)
    }

    @Test func minimalPipelineGetsEveryDefault() throws {
        let config = try ConfigLoader.load(pipeline: "minimal", root: ConfigPaths.fixtures)
        let root = ConfigPaths.fixtures
        #expect(config.name == "minimal")
        #expect(config.fetch == FetchSettings())
        #expect(config.fetch.concurrency == 16)
        #expect(config.fetch.maxBytes == 20_000_000)
        #expect(config.fetch.maxRedirects == 5)
        #expect(config.fetch.userAgent == IngestVersion.userAgent)
        #expect(config.normalize == NormalizeSettings())
        #expect(config.normalize.chineseTimeZone == "Asia/Shanghai")
        #expect(config.buffers == BufferSettings())
        #expect(config.schedule == ScheduleSettings())
        #expect(config.serve == ServeSettings())
        #expect(config.output.compression == .none)
        #expect(config.output.directory == root.appendingPathComponent("output/minimal"))
        #expect(config.state.path == root.appendingPathComponent("output/minimal/state.sqlite"))
        #expect(config.tag.taxonomy == nil)      // the fixture project has no pipelines/topics.yaml
        #expect(config.sources == nil)
        #expect(config.fullText == false)
        #expect(config.feeds.count == 3)
    }

    @Test func nameAndPathResolveToTheSamePipeline() throws {
        let byName = try ConfigLoader.load(pipeline: "minimal", root: ConfigPaths.fixtures)
        let byRelative = try ConfigLoader.load(pipeline: "pipelines/minimal.yaml", root: ConfigPaths.fixtures)
        // From another working directory, an absolute path still finds the project root.
        let absolute = ConfigPaths.fixtures.appendingPathComponent("pipelines/minimal.yaml").path
        let fromElsewhere = try ConfigLoader.load(pipeline: absolute, root: URL(fileURLWithPath: "/"))
        #expect(byName.feeds == byRelative.feeds)
        #expect(byName.feeds == fromElsewhere.feeds)
        #expect(byName.output.directory.standardizedFileURL == fromElsewhere.output.directory.standardizedFileURL)
    }

    @Test func inlineFeedsComeBeforeListsAndOverridesApply() throws {
        let root = try ConfigPaths.temporaryProject()
        defer { try? FileManager.default.removeItem(at: root) }
        try ConfigPaths.write("<rss/>", to: "feeds/local/a.xml", in: root)
        try ConfigPaths.write("""
        defaults:
          language: en
          interval: 2h
        feeds:
          - a.xml
          - url: https://example.com/zh
            language: zh-Hant
            type: page
            enabled: no
        """, to: "feeds/local/list.yaml", in: root)
        try ConfigPaths.write("""
        name: mine
        feeds:
          - id: first
            url: https://example.com/first.xml
            interval: 90s
        feed_lists: feeds/local/list.yaml
        output:
          directory: /tmp/ingest-config-test-out
          rotate_records: 10
          rotate_bytes: 1MiB
        state:
          path: var/state.db
        full_text: true
        """, to: "pipelines/mine.yaml", in: root)
        let config = try ConfigLoader.load(pipeline: "mine", root: root)
        #expect(config.feeds.map(\.id) == ["first", "a-xml", "example-com-zh"])
        #expect(config.feeds[0].interval == 90)
        #expect(config.feeds[0].language == nil)
        #expect(config.feeds[1].url == root.appendingPathComponent("feeds/local/a.xml").standardizedFileURL.path)
        #expect(config.feeds[1].language == "en")
        #expect(config.feeds[1].interval == 7200)
        #expect(config.feeds[2].language == "zh-Hant")
        #expect(config.feeds[2].type == .page)
        #expect(config.feeds[2].enabled == false)
        #expect(config.enabledFeeds.map(\.id) == ["first", "a-xml"])
        #expect(config.output.directory.path == "/tmp/ingest-config-test-out")
        #expect(config.output.rotateRecords == 10)
        #expect(config.output.rotateBytes == 1_048_576)
        #expect(config.state.path == root.appendingPathComponent("var/state.db").standardizedFileURL)
        #expect(config.fullText)

        let source = config.feeds[2].feedSource
        #expect(source.location == "https://example.com/zh")
        #expect(source.kind == .page)
        #expect(source.id == "example-com-zh")
        #expect(source.language == "zh-Hant")
    }

    @Test func availablePipelinesLeaveOutTaxonomyAndRegistry() throws {
        let root = try ConfigPaths.temporaryProject()
        defer { try? FileManager.default.removeItem(at: root) }
        for name in ["demo.yaml", "news.yml", "topics.yaml", "sources.yaml"] {
            try ConfigPaths.write("x: 1\n", to: "pipelines/\(name)", in: root)
        }
        #expect(ConfigLoader.availablePipelines(root: root) == ["demo", "news"])
        #expect(ConfigLoader.pipelineFile("news", root: root).lastPathComponent == "news.yml")
    }
}
