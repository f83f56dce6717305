import Foundation
import Testing
@testable import Pipeline

@Suite struct ConfigFeedListTests {
    let feeds = ConfigPaths.fixtures.appendingPathComponent("feeds")

    @Test func opmlImportKeepsFoldersAndAttributes() throws {
        let entries = try FeedListLoader.load(feeds.appendingPathComponent("nested.opml"))
        #expect(entries.map(\.id) == ["36kr-com-feed", "solidot-org-index-rss", "hn"])
        #expect(entries[0].url == "https://36kr.com/feed")
        #expect(entries[0].title == "36氪")
        #expect(entries[0].htmlURL == "https://36kr.com/")
        #expect(entries[0].categories == ["科技", "AI"])
        // Lower-case `xmlurl` as some readers write it; OPML 2.0 `category` paths add folders.
        #expect(entries[1].url == "https://www.solidot.org/index.rss")
        #expect(entries[1].language == "zh-Hans")
        #expect(entries[1].categories == ["科技", "News", "Open source"])
        #expect(entries[2].interval == 600)
        #expect(entries[2].enabled == false)
        #expect(entries[2].timezone == "UTC")
        #expect(entries[2].source == "hackernews")
        #expect(entries[2].categories == [])
        #expect(entries[2].origin?.file.hasSuffix("nested.opml") == true)
        #expect(entries[2].origin?.line == 11)
    }

    @Test func opmlExportImportRoundTrip() throws {
        let dir = try ConfigPaths.temporaryProject()
        defer { try? FileManager.default.removeItem(at: dir) }
        let original = [
            FeedEntry(id: "tmt", url: "https://www.tmtpost.com/rss.xml", language: "zh-Hans", source: "tmtpost",
                      timezone: "Asia/Shanghai", interval: 5400, title: "钛媒体 \"APP\" <科技> & 商业",
                      htmlURL: "https://www.tmtpost.com/?a=1&b=2", categories: ["中文", "商业", "深度"]),
            FeedEntry(id: "page-1", url: "https://example.com/article.html", type: .page, enabled: false,
                      title: "One page", categories: ["中文"]),
            FeedEntry(url: "https://news.ycombinator.com/rss", timezone: "UTC", interval: 0.5),
            FeedEntry(id: "local", url: ConfigPaths.fixtures.appendingPathComponent("feeds/local.rss.xml").path,
                      title: "line\nbreak\tand tab"),
        ]
        let xml = OPMLExporter.export(feeds: original, title: "Round & trip")
        let file = dir.appendingPathComponent("feeds/export.opml")
        try xml.write(to: file, atomically: true, encoding: .utf8)
        let back = try FeedListLoader.load(file)
        #expect(back.count == original.count)
        for (a, b) in zip(original, back) {
            #expect(a.id == b.id)
            #expect(a.url == b.url)
            #expect(a.type == b.type)
            #expect(a.language == b.language)
            #expect(a.source == b.source)
            #expect(a.timezone == b.timezone)
            #expect(a.interval == b.interval)
            #expect(a.enabled == b.enabled)
            #expect(b.title == a.title ?? a.id)   // OPML's required `text` carries the id when there is no title
            #expect(a.htmlURL == b.htmlURL)
            #expect(a.categories == b.categories)
        }
        #expect(xml.contains("<title>Round &amp; trip</title>"))
        #expect(xml.contains("interval=\"1h30m\""))
    }

    @Test func plainListSkipsCommentsAndResolvesPaths() throws {
        let entries = try FeedListLoader.load(feeds.appendingPathComponent("plain.txt"))
        #expect(entries.map(\.url) == [
            "https://example.com/feed.xml",
            feeds.appendingPathComponent("local.rss.xml").standardizedFileURL.path,
            "https://example.com/with#fragment",
        ])
        #expect(entries.map(\.id) == ["example-com-feed-xml", "local-rss-xml", "example-com-with-fragment"])
        #expect(entries.map { $0.origin?.line } == [2, 3, 5])
        #expect(entries[1].origin?.column == 4)
    }

    @Test func plainListProblemsHaveLines() {
        let (entries, problems) = FeedListLoader.parse(
            Data("https://ok.example.com/rss\nftp://example.com/feed\n\n  missing.xml\n".utf8),
            format: .text, file: feeds.appendingPathComponent("inline.txt"), root: ConfigPaths.fixtures)
        #expect(entries.count == 1)
        #expect(problems.map { "\($0.location) \($0.kind.rawValue)" } == [
            "feeds/inline.txt:2:1 badURL", "feeds/inline.txt:4:3 missingFile",
        ])
    }

    @Test func yamlListMayBeABareSequence() {
        let (entries, problems) = FeedListLoader.parse(
            Data("- https://a.example.com/rss\n- url: https://b.example.com/atom\n  id: b\n  timezone: Asia/Taipei\n".utf8),
            format: .yaml, file: feeds.appendingPathComponent("bare.yaml"))
        #expect(problems.isEmpty)
        #expect(entries.map(\.id) == ["a-example-com-rss", "b"])
        #expect(entries[1].timezone == "Asia/Taipei")
    }

    @Test func malformedOPMLIsASyntaxProblem() {
        let (_, problems) = FeedListLoader.parse(
            Data("<opml version=\"2.0\"><body>\n<outline xmlUrl=\"https://a.example.com/rss\">\n</body></opml>".utf8),
            format: .opml, file: feeds.appendingPathComponent("bad.opml"), root: ConfigPaths.fixtures)
        #expect(problems.count == 1)
        #expect(problems.first?.kind == .syntax)
        #expect(problems.first?.file == "feeds/bad.opml")
        #expect(problems.first?.line == 3)

        let (_, notOPML) = FeedListLoader.parse(Data("<rss version=\"2.0\"/>".utf8), format: .opml,
                                               file: feeds.appendingPathComponent("x.xml"))
        #expect(notOPML.map(\.kind) == [.syntax])
    }

    @Test func externalEntitiesInOPMLAreNotRead() {
        let xml = """
        <?xml version="1.0"?>
        <!DOCTYPE opml [<!ENTITY leak SYSTEM "file:///etc/passwd">]>
        <opml version="2.0"><body><outline type="rss" text="&leak;" xmlUrl="https://a.example.com/rss"/></body></opml>
        """
        let (entries, _) = FeedListLoader.parse(Data(xml.utf8), format: .opml, file: feeds.appendingPathComponent("x.opml"))
        #expect(entries.allSatisfy { !($0.title ?? "").contains("root:") })
    }

    @Test func formatIsDetectedByExtensionThenContent() {
        let u = { (name: String) in URL(fileURLWithPath: "/x/\(name)") }
        #expect(FeedListLoader.format(of: u("a.yaml"), data: Data()) == .yaml)
        #expect(FeedListLoader.format(of: u("a.yml"), data: Data()) == .yaml)
        #expect(FeedListLoader.format(of: u("a.opml"), data: Data()) == .opml)
        #expect(FeedListLoader.format(of: u("a.list"), data: Data("\u{FEFF}  <opml/>".utf8)) == .opml)
        #expect(FeedListLoader.format(of: u("a.txt"), data: Data("https://x/rss\n".utf8)) == .text)
        #expect(FeedListLoader.format(of: u("feeds"), data: Data("# c\nhttps://x/rss\n".utf8)) == .text)
    }

    @Test func derivedFeedIDs() {
        #expect(FeedID.derive(from: "https://www.36kr.com/feed") == "36kr-com-feed")
        #expect(FeedID.derive(from: "https://36kr.com/feed/") == "36kr-com-feed")
        #expect(FeedID.derive(from: "http://feeds.bbci.co.uk/zhongwen/simp/rss.xml") == "feeds-bbci-co-uk-zhongwen-simp-rss-xml")
        #expect(FeedID.derive(from: "samples/zh-tech.rss.xml") == "samples-zh-tech-rss-xml")
        #expect(FeedID.derive(from: "https://example.com/rss?cat=AI&lang=zh") == "example-com-rss-cat-ai-lang-zh")
        // Non-ASCII and very long URLs keep a hash, so distinct URLs stay distinct.
        let a = FeedID.derive(from: "https://example.com/科技/rss")
        let b = FeedID.derive(from: "https://example.com/财经/rss")
        #expect(a != b)
        #expect(a.hasPrefix("example-com-rss-"))
        #expect(a == FeedID.derive(from: "https://example.com/科技/rss"))
        let long = FeedID.derive(from: "https://example.com/" + String(repeating: "section/", count: 20) + "feed.xml")
        #expect(long.count <= 60)
        #expect(long != FeedID.derive(from: "https://example.com/" + String(repeating: "section/", count: 20) + "other.xml"))
        #expect(FeedID.derive(from: "https://例子.中国/") .hasPrefix("feed-"))
    }

    @Test func durations() {
        let good: [(String, Double)] = [("15m", 900), ("1h", 3600), ("90s", 90), ("1h30m", 5400), ("500ms", 0.5),
                                        ("2d", 172_800), ("45", 45), ("0.5h", 1800), ("10min", 600), ("0s", 0)]
        for (text, seconds) in good { #expect(ConfigDuration.parse(text) == seconds, "\(text)") }
        for text in ["", "15 minutes", "m", "-5s", "1x", "1.5.2h", "h1", "15m!", "1e3s"] {
            #expect(ConfigDuration.parse(text) == nil, "\(text)")
        }
        for seconds: TimeInterval in [90, 900, 5400, 86_461, 0.25] {
            #expect(ConfigDuration.parse(ConfigDuration.format(seconds)) == seconds)
        }
        #expect(ConfigDuration.format(5400) == "1h30m")
    }

    @Test func byteSizes() {
        #expect(ConfigByteSize.parse("20MB") == 20_000_000)
        #expect(ConfigByteSize.parse("512KiB") == 524_288)
        #expect(ConfigByteSize.parse("1.5 GB") == 1_500_000_000)
        #expect(ConfigByteSize.parse("4096") == 4096)
        #expect(ConfigByteSize.parse("64mib") == 67_108_864)
        #expect(ConfigByteSize.parse("20 bytes-ish") == nil)
        #expect(ConfigByteSize.parse("MB") == nil)
    }

    @Test func suggestionsOnlyWhenClose() {
        #expect(Suggestion.closest(to: "concurency", in: ["concurrency", "per_host"]) == "concurrency")
        #expect(Suggestion.closest(to: "timeuot", in: ["timeout", "retries"]) == "timeout")
        #expect(Suggestion.closest(to: "colour", in: ["name", "fetch", "output"]) == nil)
    }
}
