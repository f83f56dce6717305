import Foundation
import IngestCore
import Testing
@testable import Parse

private func article(_ html: String) throws -> RawItem {
    let url = "https://news.example.com/a/1.html"
    let doc = FetchedDocument(source: FeedSource(location: url, kind: .page), requestedURL: url, finalURL: url,
                              httpStatus: 200, body: Array(html.utf8), fetchedAt: Date())
    return try #require(try ArticleExtractor().extract(doc).items.first)
}

private let paragraphs = """
<p>今年以来，多地出台措施支持企业开展技术改造，推动制造业向高端化、智能化、绿色化方向发展，取得明显成效。</p>
<p>业内人士认为，相关政策将进一步释放市场活力，带动上下游产业链协同发展，为经济增长注入新动能。</p>
"""

/// Authors and headlines on pages written for these tests, shaped like the corpus pages
/// (metadata naming the site, credits at the end of the text, badges glued to headings).
@Suite("Article authors and headlines on written fixtures")
struct ArticleAuthorTests {
    @Test func reporterCreditBeatsSiteNameInMeta() throws {
        let item = try article("""
        <html><head><title>多地支持企业技术改造_示例网财经</title><meta name="author" content="示例网"></head><body>
        <h1>多地支持企业技术改造</h1><div class="info">2025-03-01 10:20:30 来源: 示例日报</div>
        <div class="article">\(paragraphs)<p>下一步，有关部门将继续加大支持力度。（本报记者 周明远）</p></div>
        <p>责任编辑：王丽_NB1234</p></body></html>
        """)
        #expect(item.authors == ["周明远"])
    }

    @Test func editorWhenNoWriterIsCredited() throws {
        let item = try article("""
        <html><head><title>多地支持企业技术改造_示例网</title><meta name="author" content="示例网"></head><body>
        <h1>多地支持企业技术改造</h1><div class="info">2025-03-01 10:20:30 来源: 示例日报</div>
        <div class="article">\(paragraphs)</div><p>责任编辑：王丽_NB1234</p></body></html>
        """)
        #expect(item.authors == ["王丽"])
    }

    @Test func selfMediaAccountWithoutItsButtonAndNoProseReporter() throws {
        let item = try article("""
        <html><head><title>多地支持企业技术改造</title></head><body>
        <h1>多地支持企业技术改造</h1><div class="author-box"><a href="/u/1">示例财经</a><span class="follow">关注</span></div>
        <div class="info">2025-03-01 10:20:30 作者：网络整理</div>
        <div class="article">\(paragraphs)<p>记者注意到，相关企业订单增长明显。</p></div></body></html>
        """)
        // The account is the writer on self-media platforms; `作者：网络整理` and `记者注意到` name nobody.
        #expect(item.authors == ["示例财经"])
    }

    @Test func badgeGluedToHeadingIsDropped() throws {
        let item = try article("""
        <html><head><title>多地支持企业技术改造</title></head><body>
        <h2 class="title"><span>原创</span>多地支持企业技术改造</h2><div class="info">2025-03-01 10:20</div>
        <div class="article">\(paragraphs)</div></body></html>
        """)
        #expect(item.title == "多地支持企业技术改造")
    }

    @Test func headingAboveDatelineBeatsSiteBannerTitle() throws {
        let item = try article("""
        <html><head><title>新闻动态--示例学会官网</title></head><body>
        <div class="news"><h5>示例学术年会在某某大学成功举行</h5><div class="ly">发布时间：2019-05-18 来源：示例学会</div>
        <div class="content">\(paragraphs)</div></div></body></html>
        """)
        #expect(item.title == "示例学术年会在某某大学成功举行")
    }

    @Test func englishCreditsFromMetadata() throws {
        // The writer is in <title> too (as on many English sites): that is no reason to drop them.
        let named = try article("""
        <html><head><title>Chips and open weights | Jane Doe | Technology | Example News</title>
        <meta name="author" content="Jane Doe"><meta property="og:site_name" content="Example News">
        <script type="application/ld+json"><![CDATA[{"@type":"NewsArticle","headline":"Chips and open weights",
          "author":{"@type":"Organization","name":"Example News"}}]]></script></head>
        <body><h1>Chips and open weights</h1><p>The first paragraph explains, at some length, why open weights matter.</p>
        <p>The second paragraph adds detail, quoting analysts, engineers and officials who disagree.</p></body></html>
        """)
        #expect(named.authors == ["Jane Doe"], "an Organization author is the publisher, not a person")

        let repeated = try article("""
        <html><head><title>A request for comments</title>
        <meta name="DC.Creator" content="Roe, J."><meta name="DC.Creator" content="Doe, Jane"></head>
        <body><h1>A request for comments</h1><p>The first paragraph explains, at some length, what the memo covers.</p></body></html>
        """)
        #expect(repeated.authors == ["Roe, J.", "Doe, Jane"])

        let visible = try article("""
        <html><head><title>Attack stokes fears - Example Post</title></head><body><h1>Attack stokes fears</h1>
        <div class="pb-byline">By Erin Example March 18 at 3:57 PM</div>
        <p>The first paragraph explains, at some length, what happened and why officials are worried about it.</p></body></html>
        """)
        #expect(visible.authors == ["Erin Example"])

        let cdata = try article("""
        <html><head><title>Chips</title><script type="application/ld+json">
        <![CDATA[ {"@type":"NewsArticle","headline":"Chips","author":[{"@type":"Person","name":"Ana Example "}]} ]]>
        </script></head><body><h1>Chips</h1><p>The first paragraph explains, at some length, why chips matter.</p></body></html>
        """)
        #expect(cdata.authors == ["Ana Example"])
    }
}
