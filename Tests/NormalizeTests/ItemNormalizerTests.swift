import Foundation
import IngestCore
import NewsText
import Normalize
import Testing

private let fetched = Date(timeIntervalSince1970: 1_762_480_800)  // 2025-11-07T10:00:00+08:00

private func context(
    id: String = "feed-1", location: String = "https://example.org/feed.xml", kind: FeedSource.Kind = .feed,
    language: String? = nil, declared: String? = nil, zone: String? = nil, sourceID: String? = nil,
    title: String? = "Example Feed", link: String? = "https://example.org/", encoding: String = "utf-8"
) -> FeedContext {
    FeedContext(
        source: FeedSource(location: location, kind: kind, id: id, language: language, timeZone: zone, sourceID: sourceID),
        info: FeedInfo(format: .rss2, encoding: encoding, title: title, link: link, language: declared),
        requestedURL: location, finalURL: location, httpStatus: 200, fetchedAt: fetched)
}

private let normalizer = ItemNormalizer(registry: shippedRegistry)

private func local(_ d: LocalizedDate?) -> String? { d.map { RFC3339.local($0.instant, offsetSeconds: $0.utcOffsetSeconds) } }
private func utc(_ d: LocalizedDate?) -> String? { d.map { RFC3339.utc($0.instant) } }

@Suite("ItemNormalizer")
struct ItemNormalizerTests {
    @Test func seedItemFromAChineseFeed() {
        let raw = RawItem(
            guid: "tmt-7712345", link: "https://www.tmtpost.com/7712345.html?utm_source=rss&utm_medium=feed&id=9&spm=a.b.c",
            title: "当全球习惯了中国技术,所谓“脱钩”就失去了根基 - 钛媒体", summary: "  第一段 \n\n 第二段\u{3000}继续  ",
            byline: "Tai Mei Ti A P P·2025-11-07 02:25")
        let item = normalizer.normalize(raw, context: context(declared: "zh-cn", link: "https://www.tmtpost.com/"))
        #expect(item.title == "当全球习惯了中国技术，所谓“脱钩”就失去了根基")
        #expect(item.titleRaw == raw.title)
        #expect(item.titleKey == "当全球习惯了中国技术所谓脱钩就失去了根基")
        #expect(item.source == SourceRef(id: "tmtpost", name: "钛媒体APP", nameEn: "TMTPost App"))
        #expect(utc(item.published) == "2025-11-06T18:25:00Z")
        #expect(local(item.published) == "2025-11-07T02:25:00+08:00")
        #expect(item.url == "https://www.tmtpost.com/7712345.html?id=9")
        #expect(item.guid == "tmt-7712345")
        #expect(item.lang == "zh-Hans")
        #expect(item.summary == "第一段\n第二段 继续")
        #expect(item.feed == FeedRef(url: "https://example.org/feed.xml", title: "Example Feed", link: "https://www.tmtpost.com/", language: "zh-cn"))
        #expect(item.fetchedAt == fetched)
        #expect(item.warnings.isEmpty)
    }

    @Test func idIsStableAndFollowsTheIdentityRule() {
        let raw = RawItem(guid: "abc", link: "https://example.org/a?utm_campaign=x", title: "Hello")
        let a = normalizer.normalize(raw, context: context())
        let b = normalizer.normalize(raw, context: context())
        #expect(a.id == b.id)
        #expect(a.id.count == 16 && a.id.allSatisfy(\.isHexDigit))
        // Another feed with the same guid is another item.
        #expect(normalizer.normalize(raw, context: context(id: "feed-2")).id != a.id)
        // guid decides: a new title or link does not change the id.
        var edited = raw
        edited.title = "Hello again"
        edited.link = "https://example.org/b"
        #expect(normalizer.normalize(edited, context: context()).id == a.id)
        // Without a guid the canonical URL decides, so tracking parameters do not matter.
        let u1 = normalizer.normalize(RawItem(link: "https://example.org/a?utm_source=x", title: "T"), context: context())
        let u2 = normalizer.normalize(RawItem(link: "https://example.org/a?fbclid=y", title: "T2"), context: context())
        #expect(u1.id == u2.id)
        // Neither: headline + date; the script of the headline does not matter, the date does.
        let t1 = normalizer.normalize(RawItem(title: "开源模型发布", published: "2025-11-07 02:25"), context: context())
        let t2 = normalizer.normalize(RawItem(title: "開源模型發布", published: "2025-11-07 02:25"), context: context())
        let t3 = normalizer.normalize(RawItem(title: "开源模型发布", published: "2025-11-08 02:25"), context: context())
        #expect(t1.id == t2.id)
        #expect(t1.id != t3.id)
        // The documented rule, recomputed.
        var h = FNV1a64()
        h.add("feed-1")
        h.add("guid:abc")
        #expect(a.id == h.hex)
    }

    /// Author-only and text-only items (no guid, link or headline) are real: old feeds and
    /// podcasts publish them. They used to share one id per feed, so all but the first were
    /// dropped as repeats.
    @Test func itemsWithoutGuidLinkOrHeadlineAreToldApartByTheirText() {
        let a = normalizer.normalize(RawItem(summary: "<p>First note</p>", authors: ["Jane"]), context: context())
        let b = normalizer.normalize(RawItem(summary: "Second note", authors: ["Jane"]), context: context())
        let c = normalizer.normalize(RawItem(authors: ["Jane Doe"]), context: context())
        let d = normalizer.normalize(RawItem(authors: ["John Roe"]), context: context())
        #expect(Set([a.id, b.id, c.id, d.id]).count == 4)
        // Still stable: the same item on another run has the same id.
        #expect(normalizer.normalize(RawItem(summary: "<p>First note</p>", authors: ["Jane"]), context: context()).id == a.id)
        // An item with a headline keeps the documented headline + date key, whatever its text.
        let t1 = normalizer.normalize(RawItem(title: "开源模型发布", summary: "一", published: "2025-11-07 02:25"), context: context())
        let t2 = normalizer.normalize(RawItem(title: "开源模型发布", summary: "二", published: "2025-11-07 02:25"), context: context())
        #expect(t1.id == t2.id)
    }

    @Test func trackingParametersAreRemoved() {
        let cases = [
            ("https://x.org/a?utm_source=a&utm_medium=b&utm_campaign=c", "https://x.org/a"),
            ("https://x.org/a?id=3&spm=1.2&fbclid=Z#top", "https://x.org/a?id=3#top"),
            ("https://x.org/a?gclid=1&p=2&mc_cid=3", "https://x.org/a?p=2"),
            ("https://mp.weixin.qq.com/s?__biz=M&mid=1&idx=1&sn=x&chksm=y&from=timeline&isappinstalled=0", "https://mp.weixin.qq.com/s?__biz=M&mid=1&idx=1&sn=x&chksm=y"),
            ("https://x.org/a?from=search", "https://x.org/a?from=search"),
            ("https://x.org/a", "https://x.org/a"),
        ]
        for (input, expected) in cases {
            #expect(normalizer.normalize(RawItem(link: input, title: "t"), context: context()).url == expected)
        }
        // An RSS permalink guid stands in for a missing link.
        let p = normalizer.normalize(RawItem(guid: "https://x.org/p?utm_term=z", title: "t"), context: context())
        #expect(p.url == "https://x.org/p")
        let notLink = normalizer.normalize(RawItem(guid: "https://x.org/p", guidIsPermaLink: false, title: "t"), context: context())
        #expect(notLink.url == nil)
    }

    @Test func zoneForZonelessTimes() {
        let raw = RawItem(title: "Markets close higher", published: "2025-11-07 02:25")
        // Feed list zone first.
        #expect(local(normalizer.normalize(raw, context: context(zone: "America/New_York")).published) == "2025-11-07T02:25:00-05:00")
        // Then the outlet's registry zone (feed domain scmp.com).
        #expect(local(normalizer.normalize(raw, context: context(link: "https://www.scmp.com/")).published) == "2025-11-07T02:25:00+08:00")
        // Then Chinese → Asia/Shanghai.
        let zh = RawItem(title: "股市收高", published: "2025-11-07 02:25")
        #expect(local(normalizer.normalize(zh, context: context()).published) == "2025-11-07T02:25:00+08:00")
        // Else UTC.
        #expect(local(normalizer.normalize(raw, context: context()).published) == "2025-11-07T02:25:00Z")
        // A stated zone is kept as stated.
        let stated = RawItem(title: "t", published: "Fri, 07 Nov 2025 02:25:00 -0500")
        #expect(local(normalizer.normalize(stated, context: context(zone: "Asia/Tokyo")).published) == "2025-11-07T02:25:00-05:00")
    }

    @Test func cstFollowsTheFeedLanguage() {
        let raw = RawItem(title: "股市收高", published: "Fri, 07 Nov 2025 02:25:00 CST")
        #expect(utc(normalizer.normalize(raw, context: context(declared: "zh-CN")).published) == "2025-11-06T18:25:00Z")
        let en = RawItem(title: "Stocks close higher", published: "Fri, 07 Nov 2025 02:25:00 CST")
        #expect(utc(normalizer.normalize(en, context: context(declared: "en-us")).published) == "2025-11-07T08:25:00Z")
    }

    @Test func impossibleDatesAreNullWithAWarning() {
        let raw = RawItem(title: "t", published: "2003-12-31T25:14:55Z", updated: "2025-13-01", warnings: ["from parse"])
        let item = normalizer.normalize(raw, context: context())
        #expect(item.published == nil)
        #expect(item.updated == nil)
        #expect(item.warnings.count == 3)
        #expect(item.warnings[0] == "from parse")
        #expect(item.warnings[1].contains("2003-12-31T25:14:55Z"))
        #expect(item.warnings[2].hasPrefix("updated"))
        // A relative date reads against the fetch time.
        let rel = normalizer.normalize(RawItem(title: "股市", published: "3小时前"), context: context())
        #expect(local(rel.published) == "2025-11-07T07:00:00+08:00")
    }

    @Test func sourcePrecedence() {
        let ctx = context(title: "36氪", link: "https://www.reuters.com/")
        // Byline first.
        let b = normalizer.normalize(RawItem(title: "x - 钛媒体", sourceName: "新华社", byline: "来源：澎湃新闻"), context: ctx)
        #expect(b.source.id == "thepaper")
        // Then the item's <source>, known or not.
        #expect(normalizer.normalize(RawItem(title: "x - 钛媒体", sourceName: "新华社"), context: ctx).source.id == "xinhua")
        #expect(normalizer.normalize(RawItem(title: "x", sourceName: " Some Blog "), context: ctx).source == SourceRef(name: "Some Blog"))
        // Then the feed's outlet (by domain).
        #expect(normalizer.normalize(RawItem(title: "x - 钛媒体"), context: ctx).source.id == "reuters")
        // Then the glued site name.
        let aggregator = context(title: "Google News", link: "https://news.google.com/")
        let glued = normalizer.normalize(RawItem(title: "China exports rise | Reuters"), context: aggregator)
        #expect(glued.source.id == "reuters")
        #expect(glued.title == "China exports rise")
        #expect(glued.titleRaw == "China exports rise | Reuters")
        // Then the linked article's outlet (aggregators).
        let hn = context(title: "Hacker News: Front Page", link: "https://hnrss.example/")
        #expect(normalizer.normalize(RawItem(link: "https://www.theverge.com/2025/x", title: "x"), context: hn).source.id == "theverge")
        // Then a site name the registry lacks, cut from the headline by its shape, as a name alone.
        let unknown = normalizer.normalize(RawItem(title: "国产核电主蒸汽隔离阀通过鉴定_中国阀门网"), context: aggregator)
        #expect(unknown.title == "国产核电主蒸汽隔离阀通过鉴定")
        #expect(unknown.source == SourceRef(name: "中国阀门网"))
        // Then the feed title, through the registry when it can.
        #expect(normalizer.normalize(RawItem(title: "x"), context: context(title: "36氪")).source.id == "36kr")
        #expect(normalizer.normalize(RawItem(title: "x"), context: aggregator).source == SourceRef(name: "Google News"))
        // The pipeline's sourceID names the outlet explicitly.
        #expect(normalizer.normalize(RawItem(title: "x"), context: context(sourceID: "caixin")).source.id == "caixin")
    }

    @Test func textFields() {
        let body = "First  paragraph\twith   spaces.\n\n\nSecond\u{200B} paragraph."
        let raw = RawItem(title: "t", summary: body, content: body, authors: ["jane@example.com (Jane Doe)", "John Roe <john@x.org>", "Jane Doe", "  "],
                          categories: ["Tech", " Tech ", "AI  policy", ""])
        let item = normalizer.normalize(raw, context: context())
        #expect(item.summary == "First paragraph with spaces.\nSecond paragraph.")
        #expect(item.content == item.summary)  // identical summary and content: both kept as published
        #expect(item.authors == ["Jane Doe", "John Roe"])
        #expect(item.categories == ["Tech", "AI policy"])
        #expect(normalizer.normalize(RawItem(title: "t", summary: " \n "), context: context()).summary == nil)
    }

    @Test func languageFromTextWithDeclarationAsFallback() {
        // Declared zh-CN, written in Traditional: the text wins.
        let t = normalizer.normalize(RawItem(title: "當全球習慣了中國技術"), context: context(declared: "zh-CN"))
        #expect(t.lang == "zh-Hant")
        // Declared en, written in Chinese.
        #expect(normalizer.normalize(RawItem(title: "DeepSeek开源了模型权重"), context: context(declared: "en")).lang == "zh-Hans")
        // No letters at all: the declaration, in BCP 47 form.
        #expect(normalizer.normalize(RawItem(title: "2025"), context: context(declared: "zh_TW")).lang == "zh-Hant")
        #expect(normalizer.normalize(RawItem(title: "2025"), context: context(declared: "en-us")).lang == "en-US")
        #expect(normalizer.normalize(RawItem(title: "2025"), context: context()).lang == nil)
    }

    /// Big5 cannot write Simplified characters, so a Big5 feed settles Han text that has no
    /// script-specific character; such text elsewhere stays Simplified, and the characters
    /// still outrank the charset.
    @Test func neutralHanTextInABig5FeedIsTraditional() {
        let neutral = RawItem(title: "台北今日天晴", summary: "日本首相")
        #expect(normalizer.normalize(neutral, context: context(encoding: "big5")).lang == "zh-Hant")
        #expect(normalizer.normalize(neutral, context: context(declared: "zh-CN", encoding: "big5")).lang == "zh-Hant")
        #expect(normalizer.normalize(neutral, context: context(encoding: "big5-hkscs")).lang == "zh-Hant")
        #expect(normalizer.normalize(neutral, context: context(encoding: "gb18030")).lang == "zh-Hans")
        #expect(normalizer.normalize(neutral, context: context()).lang == "zh-Hans")
        #expect(normalizer.normalize(RawItem(title: "当全球习惯了中国技术"), context: context(encoding: "big5")).lang == "zh-Hans")
        #expect(normalizer.normalize(RawItem(title: "Open source in 2025"), context: context(encoding: "big5")).lang == "en")
    }

    @Test func pagesHaveNoFeed() {
        let item = normalizer.normalize(RawItem(link: "https://www.tmtpost.com/1.html", title: "t"),
                                        context: context(location: "https://www.tmtpost.com/1.html", kind: .page, link: nil))
        #expect(item.feed == FeedRef())
        #expect(item.source.id == "tmtpost")
    }

    @Test func emptyTitleIsEmptyString() {
        let item = normalizer.normalize(RawItem(guid: "g"), context: context())
        #expect(item.title == "")
        #expect(item.titleRaw == "")
        #expect(item.titleKey == nil)
    }
}
