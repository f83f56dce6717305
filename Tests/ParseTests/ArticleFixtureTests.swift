import Foundation
import IngestCore
import NewsText
import Testing
@testable import Parse

private let fixtureDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/article")

private func fixtureDocument(_ name: String, url: String = "https://news.example.com/a/1.html",
                             contentType: String? = "text/html") throws -> FetchedDocument {
    let bytes = try [UInt8](Data(contentsOf: fixtureDirectory.appendingPathComponent(name)))
    var headers = HTTPHeaders()
    if let contentType { headers.append(name: "Content-Type", value: contentType) }
    return FetchedDocument(source: FeedSource(location: url, kind: .page), requestedURL: url, finalURL: url,
                           httpStatus: 200, headers: headers, body: bytes, fetchedAt: Date())
}

private func page(_ html: String, url: String = "https://example.com/story") -> FetchedDocument {
    FetchedDocument(source: FeedSource(location: url, kind: .page), requestedURL: url, finalURL: url,
                    httpStatus: 200, body: Array(html.utf8), fetchedAt: Date())
}

@Suite("Article extraction on written fixtures")
struct ArticleFixtureTests {
    @Test func seedShapedPageGivesHeadlineBylineSummaryAndBody() throws {
        let parsed = try ArticleExtractor().extract(fixtureDocument("seed-like.html"))
        #expect(parsed.info.format == .html)
        #expect(parsed.items.count == 1)
        let item = try #require(parsed.items.first)
        #expect(item.title == "当全球习惯了中国技术,所谓“脱钩”就失去了根基")
        #expect(item.byline == "Tai Mei Ti A P P·2025-11-07 02:25")
        #expect(item.published == "2025-11-07 02:25")
        #expect(item.summary?.hasPrefix("Core Insights - The piece argues") == true)
        #expect(item.summary?.contains("蛋") == false)
        #expect(item.link == "https://news.example.com/news/2025/11/07/open-source-decoupling.html?utm_source=feed")
        let content = try #require(item.content)
        #expect(content.contains("脱钩"))
        #expect(content.contains("开源软件和开源模型"))
        #expect(content.split(separator: "\n").count == 5)
        // Navigation, the summary, share bar, related links, comments and copyright stay out.
        for noise in ["首页", "Core Insights", "分享到", "相关阅读", "芯片出口管制", "网友甲", "版权所有", "当全球习惯了"] {
            #expect(!content.contains(noise), "content kept \(noise)")
        }
    }

    /// The seed's byline, as extracted, is what the byline parser and the project's source
    /// registry turn into 钛媒体APP and 2025-11-06T18:25:00Z downstream.
    @Test func seedBylineResolvesThroughByLineParserAndRegistry() throws {
        let item = try #require(try ArticleExtractor().extract(fixtureDocument("seed-like.html")).items.first)
        let registryPath = fixtureDirectory.deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("pipelines/sources.yaml").path
        let registry = try SourceRegistry.load(path: registryPath)
        let printed = try #require(item.byline)
        let byline = try #require(Byline.parse(printed, registry: registry))
        #expect(byline.source?.id == "tmtpost")
        #expect(byline.source?.name == "钛媒体APP")
        let date = try #require(byline.date)
        #expect(RFC3339.utc(date.instant) == "2025-11-06T18:25:00Z")
    }

    /// The pipeline extracts pages on several tasks at once: libxml2 state and the C
    /// lookup tables must not leak between them.
    @Test func concurrentExtractionsAgree() async throws {
        let seed = try fixtureDocument("seed-like.html")
        let gbk = try fixtureDocument("gbk-declared-gb2312.html", url: "file:///gbk.html", contentType: nil)
        let results = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
            for i in 0..<16 {
                group.addTask {
                    let doc = i % 2 == 0 ? seed : gbk
                    return (i, try ArticleExtractor().extract(doc).items.first?.title)
                }
            }
            var titles: [Int: String?] = [:]
            for try await (i, title) in group { titles[i] = title }
            return titles
        }
        for (i, title) in results {
            #expect(title == (i % 2 == 0 ? "当全球习惯了中国技术,所谓“脱钩”就失去了根基" : "开源模型改变软件行业"))
        }
        #expect(results.count == 16)
    }

    @Test func jsonLDGraphOutranksMetaAndVisibleDates() throws {
        let html = """
        <html><head><title>Chips and open weights | Example News</title>
        <meta property="og:title" content="Chips and open weights">
        <meta property="article:published_time" content="2025-01-02T03:04:05Z">
        <meta name="description" content="A short description.">
        <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
          {"@type":"WebSite","name":"Example News"},
          {"@type":"NewsArticle","headline":"Chips and open weights","datePublished":"2025-11-07T02:25:00+08:00",
           "dateModified":"2025-11-07T09:00:00+08:00","author":[{"@type":"Person","name":"Jane Doe"},{"@type":"Person","name":"Li Lei"}],
           "publisher":{"@type":"Organization","name":"Example News"}}]}</script>
        </head><body><div class="story"><h1>Chips and open weights</h1>
        <p class="byline">By Jane Doe, November 6, 2025</p>
        <div class="story-body"><p>The first paragraph explains, at some length, why open weights matter for chip makers, buyers and regulators alike.</p>
        <p>The second paragraph adds detail, quoting analysts, engineers and officials who disagree about what comes next.</p></div></div></body></html>
        """
        let item = try #require(try ArticleExtractor().extract(page(html)).items.first)
        #expect(item.title == "Chips and open weights")
        #expect(item.published == "2025-11-07T02:25:00+08:00")
        #expect(item.updated == "2025-11-07T09:00:00+08:00")
        #expect(item.authors == ["Jane Doe", "Li Lei"])
        #expect(item.summary == "A short description.")
        #expect(item.sourceName == "Example News")
        #expect(item.content?.hasPrefix("The first paragraph") == true)
        #expect(item.content?.contains("By Jane Doe") == false)
    }

    @Test func siteNameIsCutFromTitleWhenNoHeadingMatches() throws {
        let html = """
        <html><head><title>美国宣布新一轮芯片出口管制措施_新浪科技_新浪网</title></head>
        <body><div><p>据报道，美国商务部当地时间周五宣布了新一轮出口管制措施，涉及多类先进芯片及其制造设备。</p></div></body></html>
        """
        let item = try #require(try ArticleExtractor().extract(page(html)).items.first)
        #expect(item.title == "美国宣布新一轮芯片出口管制措施")
    }

    @Test func gbkPageWithoutHTTPCharsetIsReadable() throws {
        let doc = try fixtureDocument("gbk-declared-gb2312.html", url: "file:///gbk.html", contentType: nil)
        let parsed = try ArticleExtractor().extract(doc)
        let item = try #require(parsed.items.first)
        #expect(parsed.info.encoding == "gb18030")
        #expect(item.title == "开源模型改变软件行业")
        #expect(item.byline == "发布时间：2019年11月25日 18:57 来源：参考消息")
        #expect(item.published == "2019年11月25日 18:57")
        #expect(item.content?.contains("开源模型正在改变软件行业的格局") == true)
    }

    @Test func nonHTMLInputFailsWithReason() {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]
        let doc = FetchedDocument(source: FeedSource(location: "img.png", kind: .page), requestedURL: "file:///img.png",
                                  finalURL: "file:///img.png", httpStatus: nil, body: png, fetchedAt: Date())
        #expect(throws: SourceFailure.self) { try ArticleExtractor().extract(doc) }
        let empty = FetchedDocument(source: FeedSource(location: "e.html", kind: .page), requestedURL: "file:///e.html",
                                    finalURL: "file:///e.html", httpStatus: nil, body: [], fetchedAt: Date())
        do {
            _ = try ArticleExtractor().extract(empty)
            Issue.record("empty page accepted")
        } catch {
            #expect(error.source == "e.html")
            #expect(error.kind == .notAFeed)
        }
    }

    @Test func deeplyNestedPageDoesNotCrash() throws {
        let text = "<p>深层嵌套的文本，仍然应当被读出来。</p>"
        let moderate = String(repeating: "<div>", count: 200) + text + String(repeating: "</div>", count: 200)
        let item = try #require(try ArticleExtractor().extract(page(moderate)).items.first)
        #expect(item.content == "深层嵌套的文本，仍然应当被读出来。")
        // Past libxml2's depth limit the page may be unreadable, but it must fail cleanly.
        let hostile = String(repeating: "<div>", count: 100_000) + text
        do {
            _ = try ArticleExtractor().extract(page(hostile))
        } catch {
            #expect(error.source == "https://example.com/story")
        }
    }
}
