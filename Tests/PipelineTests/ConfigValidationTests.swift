import Foundation
import Testing
@testable import Pipeline

/// `ingest validate` must name every problem with file, line and key; these tests pin each kind.
@Suite struct ConfigValidationTests {
    private func problems(_ yaml: String, extraFiles: [String: String] = [:]) throws -> [ConfigProblem] {
        let root = try ConfigPaths.temporaryProject()
        defer { try? FileManager.default.removeItem(at: root) }
        for (path, text) in extraFiles { try ConfigPaths.write(text, to: path, in: root) }
        try ConfigPaths.write(yaml, to: "pipelines/p.yaml", in: root)
        return ConfigLoader.validate(pipeline: "p", root: root).problems
    }

    /// `file:line:column key` of each problem, the part of the message tools rely on.
    private func located(_ problems: [ConfigProblem]) -> [String] {
        problems.map { "\($0.location) \($0.keyPath) \($0.kind.rawValue)" }
    }

    @Test func brokenPipelineReportsEveryProblemWithFileLineAndKey() {
        let (_, problems) = ConfigLoader.validate(pipeline: "broken", root: ConfigPaths.fixtures)
        #expect(located(problems) == [
            "pipelines/broken.yaml:5:5 feed_lists[1] missingFile",
            "pipelines/broken.yaml:11:10 feeds[1].url badURL",
            "pipelines/broken.yaml:13:15 feeds[2].interval badDuration",
            "pipelines/broken.yaml:14:15 feeds[2].timezone badTimeZone",
            "pipelines/broken.yaml:16:3 fetch.concurency unknownKey",
            "pipelines/broken.yaml:17:12 fetch.timeout badDuration",
            "pipelines/broken.yaml:18:12 fetch.retries wrongType",
            "pipelines/broken.yaml:19:14 fetch.max_bytes badSize",
            "pipelines/broken.yaml:21:21 normalize.default_timezone badTimeZone",
            "pipelines/broken.yaml:23:13 tag.taxonomy missingFile",
            "pipelines/broken.yaml:25:16 output.compression badEnum",
            "pipelines/broken.yaml:26:17 output.feed_records wrongType",
            "pipelines/broken.yaml:28:3 state.url missingValue",
            "pipelines/broken.yaml:30:17 schedule.min_interval badValue",
            "pipelines/broken.yaml:32:12 full_text wrongType",
            "pipelines/broken.yaml:33:1 colour unknownKey",
            "feeds/broken-list.yaml:4:3 defaults.intervall unknownKey",
            "feeds/broken-list.yaml:6:5 feeds[0].id duplicateID",
            "feeds/broken-list.yaml:9:10 feeds[1].url missingFile",
            "feeds/broken-list.yaml:12:15 feeds[2].language badLanguage",
            "feeds/broken-list.yaml:13:11 feeds[2].type badEnum",
            "feeds/broken-list.yaml:14:14 feeds[2].enabled wrongType",
            "feeds/broken-list.yaml:15:5 feeds[3].url missingValue",
        ] + problems.filter { $0.file == "feeds/broken.opml" }.map { "\($0.location) \($0.keyPath) \($0.kind.rawValue)" })
        let opml = problems.filter { $0.file == "feeds/broken.opml" }
        #expect(opml.map { "\($0.line ?? 0) \($0.keyPath) \($0.kind.rawValue)" } == [
            "6 outline[1].id duplicateID",
            "7 outline[2].xmlUrl missingValue",
            "8 outline[3].timezone badTimeZone",
            "9 outline[4].xmlUrl badURL",
        ])
    }

    @Test func messagesReadLikeCompilerDiagnostics() {
        let (_, problems) = ConfigLoader.validate(pipeline: "broken", root: ConfigPaths.fixtures)
        let lines = problems.map(\.description)
        #expect(lines.contains("pipelines/broken.yaml:11:10: feeds[1].url: bad URL 'htp://example.com/feed' (only http, https, file or a path) (did you mean 'http:'?)"))
        #expect(lines.contains("pipelines/broken.yaml:16:3: fetch.concurency: unknown key 'concurency' (did you mean 'concurrency'?)"))
        #expect(lines.contains("pipelines/broken.yaml:33:1: colour: unknown key 'colour'"))
        #expect(lines.contains("pipelines/broken.yaml:14:15: feeds[2].timezone: unknown time zone 'Asia/Shangai' (use an IANA name such as Asia/Shanghai or UTC) (did you mean 'Asia/Shanghai'?)"))
        #expect(lines.contains("pipelines/broken.yaml:25:16: output.compression: bad value 'zip' (one of: none, gzip) (did you mean 'gzip'?)"))
        #expect(lines.contains("feeds/broken-list.yaml:6:5: feeds[0].id: duplicate feed id 'local', first used at pipelines/broken.yaml:8:5"))
        #expect(lines.contains { $0.hasPrefix("feeds/broken.opml:6:") && $0.contains("duplicate feed id 'example-com-feed' (derived from its URL; give one of them an 'id:'), first used at pipelines/broken.yaml:12:5") })
        #expect(lines.contains("pipelines/broken.yaml:21:21: normalize.default_timezone: unknown time zone 'CST' (abbreviations and offsets are ambiguous; use an IANA name such as Asia/Shanghai or UTC)"))
    }

    @Test func loadThrowsEveryProblemAtOnce() {
        do {
            _ = try ConfigLoader.load(pipeline: "broken", root: ConfigPaths.fixtures)
            Issue.record("a broken pipeline loaded")
        } catch {
            #expect(error.problems.count == 27)
            #expect(error.description.split(separator: "\n").count == 27)
        }
    }

    @Test func yamlSyntaxErrorHasItsLine() throws {
        let found = try problems("""
        name: p
        feeds:
          - url: https://example.com/feed
            title: [unclosed
        fetch:
          concurrency: 4
        """)
        #expect(found.count == 1)
        #expect(found.first?.kind == .syntax)
        #expect(found.first?.file == "pipelines/p.yaml")
        #expect((found.first?.line ?? 0) >= 4)
    }

    @Test func duplicateKeyIsASyntaxProblem() throws {
        let found = try problems("""
        feeds:
          - https://example.com/feed
        fetch:
          concurrency: 4
          concurrency: 8
        """)
        #expect(found.map(\.kind) == [.syntax])
        #expect(found.first?.message.contains("concurrency") == true)
    }

    @Test func wrongTypesAreNamed() throws {
        let found = try problems("""
        feeds: https://example.com/feed
        fetch: 16
        buffers:
          parsed: lots
        serve:
          metrics_port: 70000
        """)
        #expect(located(found) == [
            "pipelines/p.yaml:1:8 feeds wrongType",
            "pipelines/p.yaml:2:8 fetch wrongType",
            "pipelines/p.yaml:4:11 buffers.parsed wrongType",
            "pipelines/p.yaml:6:17 serve.metrics_port badValue",
        ])
        #expect(found[0].message == "expected a list of feeds, got 'https://example.com/feed'")
        #expect(found[1].message == "expected a mapping, got a number '16'")
        #expect(found[3].message == "70000 is out of range (must be between 0 and 65535)")
    }

    @Test func outOfRangeNumbers() throws {
        let found = try problems("""
        feeds: [https://example.com/feed]
        fetch:
          concurrency: 0
          per_host: -1
          retries: 3
        """)
        #expect(located(found) == [
            "pipelines/p.yaml:3:16 fetch.concurrency badValue",
            "pipelines/p.yaml:4:13 fetch.per_host badValue",
        ])
    }

    @Test func pipelineWithoutFeedsIsRefused() throws {
        let found = try problems("name: empty\n")
        #expect(found.map(\.kind) == [.missingValue])
        #expect(found.first?.keyPath == "feed_lists")
    }

    @Test func emptyPipelineFileIsRefused() throws {
        for text in ["", "# only a comment\n", "~\n"] {
            let found = try problems(text)
            #expect(located(found) == ["pipelines/p.yaml:1:1 feed_lists missingValue"], "\(text)")
        }
    }

    @Test func outputDirectoryMustNotBeAFile() throws {
        let found = try problems("""
        feeds: [https://example.com/feed]
        output:
          directory: feeds/taken
        """, extraFiles: ["feeds/taken": "x"])
        #expect(located(found) == ["pipelines/p.yaml:3:14 output.directory badValue"])
    }

    @Test func duplicatesInOneAdHocListAreReported() throws {
        let root = try ConfigPaths.temporaryProject()
        defer { try? FileManager.default.removeItem(at: root) }
        try ConfigPaths.write("https://example.com/rss\n# again:\nhttps://www.example.com/rss/\n", to: "feeds/list.txt", in: root)
        do {
            _ = try FeedListLoader.load(root.appendingPathComponent("feeds/list.txt"), root: root)
            Issue.record("duplicate ids accepted")
        } catch {
            #expect(error.problems.map(\.description) == [
                "feeds/list.txt:3:1: id: duplicate feed id 'example-com-rss' (derived from its URL; give one of them an 'id:'), first used at feeds/list.txt:1:1",
            ])
        }
    }

    @Test func missingPipelineSuggestsTheClosestName() {
        let (config, found) = ConfigLoader.validate(pipeline: "brokn", root: ConfigPaths.fixtures)
        #expect(config == nil)
        #expect(found.count == 1)
        #expect(found.first?.kind == .missingFile)
        #expect(found.first?.description == "pipelines/brokn.yaml: no pipeline named 'brokn' (looked for pipelines/brokn.yaml); did you mean 'broken'?")
    }

    @Test func duplicateIDsAcrossTwoLists() throws {
        let found = try problems("""
        feed_lists:
          - feeds/a.yaml
          - feeds/b.opml
        """, extraFiles: [
            "feeds/a.yaml": "- id: same\n  url: https://a.example.com/rss\n",
            "feeds/b.opml": """
            <opml version="2.0"><body>
            <outline type="rss" text="B" xmlUrl="https://b.example.com/rss" id="same"/>
            </body></opml>
            """,
        ])
        #expect(located(found).count == 1)
        #expect(found.first?.kind == .duplicateID)
        #expect(found.first?.file == "feeds/b.opml")
        #expect(found.first?.line == 2)
        #expect(found.first?.message == "duplicate feed id 'same', first used at feeds/a.yaml:1:3")
    }

    @Test func localFeedPathsMustExist() throws {
        let found = try problems("""
        feeds:
          - feeds/here.xml
          - feeds/not-here.xml
          - file:///nonexistent/ingest/feed.xml
        """, extraFiles: ["feeds/here.xml": "<rss/>"])
        #expect(located(found) == [
            "pipelines/p.yaml:3:5 feeds[1] missingFile",
            "pipelines/p.yaml:4:5 feeds[2] missingFile",
        ])
    }

    @Test func badURLs() throws {
        let found = try problems("""
        feeds:
          - https://
          - mailto:news@example.com
          - http://exa mple.com/feed
          - ""
        """)
        #expect(located(found) == [
            "pipelines/p.yaml:2:5 feeds[0] badURL",
            "pipelines/p.yaml:3:5 feeds[1] badURL",
            "pipelines/p.yaml:4:5 feeds[2] badURL",
            "pipelines/p.yaml:5:5 feeds[3] missingValue",
        ])
    }

    @Test func postgresURLExpandsEnvironmentVariables() throws {
        let (expanded, missing) = ConfigLoader.expandEnvironment(
            "postgres://ingest:${PGPASS}@db.internal/news", environment: ["PGPASS": "s3cret"])
        #expect(expanded == "postgres://ingest:s3cret@db.internal/news")
        #expect(missing == nil)
        #expect(ConfigLoader.expandEnvironment("postgres://${NOPE_NOT_SET}/x", environment: [:]).missing == "NOPE_NOT_SET")

        let found = try problems("""
        feeds: [https://example.com/feed]
        state:
          backend: postgres
          url: postgres://ingest@${INGEST_TEST_UNSET_VARIABLE}/news
        """)
        #expect(located(found) == ["pipelines/p.yaml:4:8 state.url missingValue"])
        #expect(found.first?.message == "environment variable 'INGEST_TEST_UNSET_VARIABLE' is not set")

        let wrongScheme = try problems("""
        feeds: [https://example.com/feed]
        state:
          backend: postgres
          url: mysql://db/news
        """)
        #expect(located(wrongScheme) == ["pipelines/p.yaml:4:8 state.url badURL"])
    }

    @Test func badFeedIDIsReportedEvenBesideABadURL() throws {
        let found = try problems("""
        feeds:
          - id: has space
            url: htp://x
          -
        """)
        #expect(located(found) == [
            "pipelines/p.yaml:2:9 feeds[0].id badValue",
            "pipelines/p.yaml:3:10 feeds[0].url badURL",
            "pipelines/p.yaml:4:4 feeds[1] wrongType",
        ])
        #expect(found[1].description == "pipelines/p.yaml:3:10: feeds[0].url: bad URL 'htp://x' (only http, https, file or a path) (did you mean 'http:'?)")
    }

    @Test func badPipelineName() throws {
        let found = try problems("name: ../escape\nfeeds: [https://example.com/feed]\n")
        #expect(located(found) == ["pipelines/p.yaml:1:7 name badValue"])
    }
}

/// The feed-list fast paths must agree with the Foundation calls they stand in for.
@Suite struct ConfigTextChecksTests {
    static let samples = [
        "", " ", "\t", "https://example.com/feed.xml", "  https://example.com/a b  ", "\thttp://x/\t",
        "https://例子.中国/rss", "\u{3000}全角空格\u{3000}", "a\u{00A0}b", "a\u{2003}b", "line\nbreak", "cr\r\nlf",
        "x\u{1C}y", "tab\tinside", "\u{0085}next", "ｈｔｔｐ://full.width/",
    ]

    @Test("trimmed equals trimmingCharacters(in: .whitespaces) and containsWhitespace equals Character.isWhitespace",
          arguments: samples)
    func agreesWithFoundation(_ text: String) {
        #expect(ConfigChecks.trimmed(text) == text.trimmingCharacters(in: .whitespaces))
        #expect(ConfigChecks.containsWhitespace(text) == text.contains(where: { $0.isWhitespace }))
    }
}
