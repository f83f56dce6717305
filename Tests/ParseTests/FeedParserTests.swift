import Foundation
import IngestCore
import Parse
import Testing

func document(_ text: String, url: String = "https://example.org/feeds/main.xml", contentType: String? = nil,
              headers extra: [(String, String)] = []) -> FetchedDocument {
    document(Array(text.utf8), url: url, contentType: contentType, headers: extra)
}

func document(_ bytes: [UInt8], url: String = "https://example.org/feeds/main.xml", contentType: String? = nil,
              headers extra: [(String, String)] = []) -> FetchedDocument {
    var headers = HTTPHeaders()
    if let contentType { headers.append(name: "Content-Type", value: contentType) }
    for (n, v) in extra { headers.append(name: n, value: v) }
    return FetchedDocument(
        source: FeedSource(location: url), requestedURL: url, finalURL: url, httpStatus: 200, headers: headers,
        body: bytes, fetchedAt: Date(timeIntervalSince1970: 1_760_000_000))
}

@Suite struct FeedParserTests {
    let parser = FeedParser()

    @Test func rss2ItemFieldsAndNamespaces() throws {
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
             xmlns:media="http://search.yahoo.com/mrss/" xmlns:atom="http://www.w3.org/2005/Atom"
             xmlns:slash="http://purl.org/rss/1.0/modules/slash/" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
        <channel>
          <title>Example &amp; Co news</title>
          <link>https://example.org/</link>
          <description>Daily notes</description>
          <language>en-GB</language>
          <ttl>45</ttl>
          <sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>2</sy:updateFrequency>
          <image><title>Logo title must not win</title><link>https://example.org/logo</link></image>
          <atom:link rel="self" href="https://example.org/feeds/main.xml"/>
          <item>
            <title>Chip makers widen <![CDATA[open-source]]> work</title>
            <link>/2025/11/chips.html</link>
            <guid isPermaLink="false">tag:example.org,2025:1</guid>
            <pubDate>Fri, 07 Nov 2025 02:25:00 +0800</pubDate>
            <description>&lt;p&gt;First paragraph &amp;amp; more.&lt;/p&gt;&lt;p&gt;Second&lt;br/&gt;line&lt;/p&gt;</description>
            <content:encoded><![CDATA[<div><p>Full <b>text</b> here &eacute;t&eacute;.</p><script>alert(1)</script><p>End</p></div>]]></content:encoded>
            <dc:creator>Jane Doe</dc:creator>
            <category>Tech</category><category domain="x">Chips</category><category>Tech</category>
            <enclosure url="media/a.mp3" type="audio/mpeg" length="1"/>
            <media:thumbnail url="https://img.example.org/t.jpg"/>
            <slash:comments>12</slash:comments>
            <comments>https://example.org/2025/11/chips.html#comments</comments>
          </item>
          <item>
            <title>Second</title>
            <guid>https://example.org/p/2</guid>
            <author>editor@example.org (The Editor)</author>
          </item>
        </channel>
        </rss>
        """
        let feed = try parser.parse(document(xml))
        #expect(feed.info.format == .rss2)
        #expect(feed.info.title == "Example & Co news")
        #expect(feed.info.link == "https://example.org/")
        #expect(feed.info.description == "Daily notes")
        #expect(feed.info.language == "en-GB")
        #expect(feed.info.ttlMinutes == 45)
        #expect(feed.info.updateIntervalSeconds == 1800)
        #expect(feed.info.encoding == "utf-8")
        #expect(feed.info.warnings.isEmpty)
        #expect(feed.items.count == 2)
        let a = feed.items[0]
        #expect(a.title == "Chip makers widen open-source work")
        #expect(a.link == "https://example.org/2025/11/chips.html")
        #expect(a.guid == "tag:example.org,2025:1")
        #expect(a.guidIsPermaLink == false)
        #expect(a.published == "Fri, 07 Nov 2025 02:25:00 +0800")
        #expect(a.summary == "First paragraph & more.\nSecond\nline")
        #expect(a.content == "Full text here été.\nEnd")
        #expect(a.authors == ["Jane Doe"])
        #expect(a.categories == ["Tech", "Chips"])
        #expect(a.enclosures == ["https://example.org/feeds/media/a.mp3"])
        #expect(a.imageURL == "https://img.example.org/t.jpg")
        #expect(a.commentsURL == "https://example.org/2025/11/chips.html#comments")
        let b = feed.items[1]
        #expect(b.link == "https://example.org/p/2", "a permalink guid stands in for a missing link")
        #expect(b.guidIsPermaLink == nil)
        #expect(b.authors == ["The Editor"])
    }

    @Test func atom1LinksAuthorsContentTypesAndBase() throws {
        let xml = """
        <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en" xml:base="https://blog.example.com/base/">
          <title type="html">Tom &amp;amp; Jerry&#8217;s &lt;em&gt;blog&lt;/em&gt;</title>
          <subtitle>Plain &amp;amp; simple</subtitle>
          <link rel="self" href="/atom.xml"/>
          <link rel="alternate" type="text/html" href="home.html"/>
          <entry xml:lang="zh-Hans">
            <title type="text">Tom &amp;amp; Jerry</title>
            <link rel="enclosure" href="files/a.mp3"/>
            <link rel="self" href="entries/1.xml"/>
            <link rel="alternate" href="posts/1.html"/>
            <link rel="related" href="https://other.example.com/"/>
            <id>urn:uuid:1</id>
            <published>2025-11-07T02:25:00+08:00</published>
            <updated>2025-11-08T00:00:00Z</updated>
            <author><name>Ann</name><email>ann@example.com</email></author>
            <author><name>Bob</name></author>
            <contributor><name>Cy</name></contributor>
            <category term="ai" label="Artificial intelligence"/>
            <category term="chips"/>
            <summary type="html">&lt;p&gt;One&lt;/p&gt;&lt;p&gt;Two &amp;amp;amp; three&lt;/p&gt;</summary>
            <content type="xhtml" xml:base="sub/"><div xmlns="http://www.w3.org/1999/xhtml"><p>Para &amp; one</p><p>Para <b>two</b></p></div></content>
          </entry>
          <entry>
            <title>Only self</title>
            <link rel="self" href="entries/2.xml"/>
            <id>urn:uuid:2</id>
            <updated>2025-11-09T00:00:00Z</updated>
            <author><email>solo@example.com</email></author>
          </entry>
        </feed>
        """
        let feed = try parser.parse(document(xml))
        #expect(feed.info.format == .atom1)
        #expect(feed.info.title == "Tom & Jerry’s blog")
        #expect(feed.info.description == "Plain &amp; simple")
        #expect(feed.info.link == "https://blog.example.com/base/home.html")
        #expect(feed.info.language == "en")
        let e = feed.items[0]
        #expect(e.title == "Tom &amp; Jerry", "entities are decoded exactly once")
        #expect(e.link == "https://blog.example.com/base/posts/1.html")
        #expect(e.guid == "urn:uuid:1")
        #expect(e.published == "2025-11-07T02:25:00+08:00")
        #expect(e.updated == "2025-11-08T00:00:00Z")
        #expect(e.authors == ["Ann", "Bob"])
        #expect(e.categories == ["ai", "chips"])
        #expect(e.summary == "One\nTwo &amp; three")
        #expect(e.content == "Para & one\nPara two")
        #expect(e.enclosures == ["https://blog.example.com/base/files/a.mp3"])
        #expect(e.language == "zh-Hans")
        let f = feed.items[1]
        #expect(f.link == "https://blog.example.com/base/entries/2.xml")
        #expect(f.authors == ["solo@example.com"])
        #expect(f.published == nil)
        #expect(f.language == "en")
    }

    @Test func rss1RDFAndDublinCore() throws {
        let xml = """
        <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
                 xmlns:dc="http://purl.org/dc/elements/1.1/">
          <channel rdf:about="https://example.net/"><title>RDF news</title><link>https://example.net/</link>
            <description>d</description><dc:language>ja</dc:language></channel>
          <item rdf:about="https://example.net/a"><title>A</title><link>https://example.net/a</link>
            <dc:date>2025-11-07T02:25+08:00</dc:date><dc:creator>Kei</dc:creator><dc:subject>World</dc:subject></item>
          <item rdf:about="https://example.net/b"><title>B</title></item>
        </rdf:RDF>
        """
        let feed = try parser.parse(document(xml))
        #expect(feed.info.format == .rss1)
        #expect(feed.info.title == "RDF news")
        #expect(feed.info.language == "ja")
        #expect(feed.items.map(\.title) == ["A", "B"])
        #expect(feed.items[0].published == "2025-11-07T02:25+08:00")
        #expect(feed.items[0].authors == ["Kei"])
        #expect(feed.items[0].categories == ["World"])
        #expect(feed.items[1].link == "https://example.net/b")
        #expect(feed.items[1].guid == "https://example.net/b")
    }

    @Test func rss091WithUndeclaredHTMLEntities() throws {
        let xml = """
        <?xml version="1.0" encoding="ISO-8859-1"?>
        <!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
        <rss version="0.91"><channel><title>Caf&eacute;&nbsp;news</title><link>http://example.com/</link>
        <item><title>Na&iuml;ve &mdash; &copy; 2025 &#8220;quoted&#8221; &#150; dash</title><link>http://example.com/1</link></item>
        </channel></rss>
        """
        let feed = try parser.parse(document(xml))
        #expect(feed.info.format == .rss091)
        #expect(feed.info.title == "Café news")
        #expect(feed.items.first?.title == "Naïve — © 2025 “quoted” – dash")
    }

    @Test(arguments: [
        ("jane@example.com (Jane Doe)", "Jane Doe"), ("Jane Doe (jane@example.com)", "Jane Doe"),
        ("jane@example.com", "jane@example.com"), ("Jane Doe", "Jane Doe"), ("Jane Doe <jane@example.com>", "Jane Doe"),
    ])
    func rssAuthorForms(raw: String, name: String) throws {
        let xml = "<rss version=\"2.0\"><channel><item><author>\(raw.replacingOccurrences(of: "<", with: "&lt;"))</author></item></channel></rss>"
        #expect(try parser.parse(document(xml)).items.first?.authors == [name])
    }

    @Test func doubleEncodedUTF8IsUndone() throws {
        let xml = "<rss version=\"2.0\"><channel><item><title>don&#226;&#128;&#153;t</title><description>&#226;&#128;&#166;</description></item></channel></rss>"
        let item = try parser.parse(document(xml)).items.first
        #expect(item?.title == "don’t")
        #expect(item?.summary == "…")
    }

    @Test func atom03() throws {
        let xml = """
        <feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Old atom</title>
          <link rel="alternate" type="text/html" href="http://example.org/"/>
          <tagline>tag</tagline>
          <entry><title>E1</title><link rel="alternate" type="text/html" href="http://example.org/e1"/>
            <id>tag:e1</id><issued>2003-12-13T08:29:29-04:00</issued><modified>2003-12-13T18:30:02Z</modified>
            <content type="text/html" mode="escaped">&lt;p&gt;Hi &amp;amp; bye&lt;/p&gt;</content></entry>
        </feed>
        """
        let feed = try parser.parse(document(xml))
        #expect(feed.info.format == .atom03)
        #expect(feed.info.description == "tag")
        #expect(feed.items[0].published == "2003-12-13T08:29:29-04:00")
        #expect(feed.items[0].updated == "2003-12-13T18:30:02Z")
        #expect(feed.items[0].content == "Hi & bye")
    }

    @Test func atom03Base64Content() throws {
        // "<p>Hello <b>world</b></p>" and "plain & simple", base64-encoded as Atom 0.3 allowed.
        let xml = """
        <feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Old atom</title>
          <entry><title>E1</title><id>tag:e1</id>
            <content type="text/html" mode="base64">PHA+SGVsbG8gPGI+d29ybGQ8L2I+PC9wPg==</content></entry>
          <entry><title>E2</title><id>tag:e2</id>
            <content type="text/plain" mode="base64">cGxhaW4g
            JiBzaW1wbGU=</content></entry>
        </feed>
        """
        let feed = try parser.parse(document(xml))
        #expect(feed.items[0].content == "Hello world")
        #expect(feed.items[1].content == "plain & simple")
    }

    @Test func atomEntriesInheritTheFeedsAuthors() throws {
        let xml = """
        <feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>urn:f</id>
          <author><name>Feed Writer</name></author>
          <entry><title>Own</title><id>urn:1</id><author><name>Entry Writer</name></author></entry>
          <entry><title>Inherits</title><id>urn:2</id></entry>
        </feed>
        """
        let feed = try parser.parse(document(xml))
        #expect(feed.items[0].authors == ["Entry Writer"])
        #expect(feed.items[1].authors == ["Feed Writer"])
        // RSS channels name editors, not item authors: nothing is inherited there.
        let rss = """
        <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>T</title>
          <dc:creator>Channel Editor</dc:creator><item><title>A</title></item></channel></rss>
        """
        #expect(try parser.parse(document(rss)).items[0].authors == [])
    }

    @Test func jsonFeed() throws {
        let json = """
        {"version": "https://jsonfeed.org/version/1.1", "title": "JSON news", "home_page_url": "https://j.example/",
         "language": "zh-CN",
         "items": [{"id": "1", "url": "/posts/1", "title": "开源模型", "content_html": "<p>段落一</p><p>段落&amp;二</p>",
                    "date_published": "2025-11-07T02:25:00+08:00", "authors": [{"name": "李雷"}], "tags": ["AI"]},
                   {"id": 2, "content_text": "plain"}]}
        """
        let feed = try parser.parse(document(json, url: "https://j.example/feed.json"))
        #expect(feed.info.format == .json1)
        #expect(feed.info.title == "JSON news")
        #expect(feed.info.language == "zh-CN")
        #expect(feed.items.count == 2)
        #expect(feed.items[0].link == "https://j.example/posts/1")
        #expect(feed.items[0].content == "段落一\n段落&二")
        #expect(feed.items[0].authors == ["李雷"])
        #expect(feed.items[1].guid == "2")
        #expect(feed.items[1].content == "plain")
    }

    @Test func jsonFeedNullEntriesCostOnlyThemselves() throws {
        let json = """
        {"version": "https://jsonfeed.org/version/1.1", "title": "Harbour",
         "items": [null,
                   {"id": "h1", "title": "Ferry", "authors": [{"name": "Lin Qiao"}, null, "stray", {"name": "Ann Wu"}],
                    "attachments": [null, {"url": "https://h.example/a.mp3"}]}]}
        """
        let feed = try parser.parse(document(json, url: "https://h.example/feed.json"))
        #expect(feed.items.count == 1)
        #expect(feed.items[0].authors == ["Lin Qiao", "Ann Wu"])
        #expect(feed.items[0].enclosures == ["https://h.example/a.mp3"])
    }

    @Test func contentLocationBeatsDocumentURL() throws {
        let xml = "<rss version=\"2.0\"><channel><item><title>t</title><link>a/b.html</link></item></channel></rss>"
        let feed = try parser.parse(document(xml, url: "https://cdn.example.org/x/feed.xml",
                                              headers: [("Content-Location", "https://www.example.org/news/feed.xml")]))
        #expect(feed.items[0].link == "https://www.example.org/news/a/b.html")
    }

    // MARK: - Not feeds

    @Test func htmlPageIsNotAFeedAndAdvertisesItsFeeds() throws {
        let html = """
        <!DOCTYPE html><html><head><title>Site</title>
        <link rel="alternate" type="application/rss+xml" title="RSS" href="/feed.rss">
        <link rel="alternate" type="application/atom+xml" href="https://example.org/atom.xml">
        <link rel="stylesheet" href="/s.css"></head><body><p>Hello</p></body></html>
        """
        let doc = document(html, url: "https://example.org/section/index.html", contentType: "text/html")
        let error = #expect(throws: SourceFailure.self) { try parser.parse(doc) }
        #expect(error?.kind == .notAFeed)
        #expect(error?.reason.contains("HTML page") == true)
        #expect(error?.reason.contains("https://example.org/feed.rss") == true)
        #expect(FeedParser.discoverFeeds(in: doc) == ["https://example.org/feed.rss", "https://example.org/atom.xml"])
    }

    @Test func pngEmptyAndForeignXMLAreNotFeeds() {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array(repeating: 0x41, count: 64)
        for (bytes, words) in [(png, "PNG"), ([UInt8](), "empty"), (Array("  \n ".utf8), "empty"),
                               (Array("<svg xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>".utf8), "root element"),
                               (Array("just some words, no markup".utf8), "no XML element")] {
            let error = #expect(throws: SourceFailure.self) { try parser.parse(document(bytes)) }
            #expect(error?.kind == .notAFeed)
            #expect(error?.reason.contains(words) == true, "\(error?.reason ?? "")")
            #expect(error?.source == "https://example.org/feeds/main.xml")
        }
    }

    // MARK: - Broken input

    @Test func brokenXMLIsRecoveredWithWarnings() throws {
        let xml = """
        junk<?xml version="1.0"?>
        <rss version="2.0"><channel><title>AT&T news &bogus; \u{01}here</title>
        <item><title>Fish & chips</title><link>http://e.example/1?a=1&b=2</link></item>
        <item><title>Second &undefinedentity; item</title></item>
        <item><title>Truncated item</title><description>cut off here
        """
        let feed = try parser.parse(document(xml))
        #expect(feed.info.title == "AT&T news &bogus; here")
        #expect(feed.items.map(\.title) == ["Fish & chips", "Second &undefinedentity; item", "Truncated item"])
        #expect(feed.items[0].link == "http://e.example/1?a=1&b=2")
        #expect(feed.items[2].summary == "cut off here")
        #expect(!feed.info.warnings.isEmpty)
        #expect(feed.info.warnings.contains { $0.contains("not well-formed") })
    }

    // MARK: - Hostile input

    @Test func externalEntitiesAreNeverRead() throws {
        let xml = """
        <?xml version="1.0"?>
        <!DOCTYPE rss [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> <!ENTITY remote SYSTEM "http://127.0.0.1:9/x"> ]>
        <rss version="2.0"><channel><title>a&xxe;b</title><item><title>&xxe;&remote;</title><description>x&xxe;y</description></item></channel></rss>
        """
        let feed = try parser.parse(document(xml))
        let everything = ([feed.info.title ?? ""] + feed.items.flatMap { [$0.title ?? "", $0.summary ?? ""] }).joined()
        #expect(!everything.contains("root:"))
        #expect(feed.info.title == "ab")
        #expect(feed.items[0].summary == "xy")
        #expect(feed.info.warnings.contains { $0.contains("external entities") })
    }

    @Test func billionLaughsIsBounded() throws {
        var decl = "<!ENTITY lol0 \"lol\">"
        for i in 1...9 { decl += "<!ENTITY lol\(i) \"" + String(repeating: "&lol\(i - 1);", count: 10) + "\">" }
        let xml = "<?xml version=\"1.0\"?><!DOCTYPE rss [\(decl)]><rss version=\"2.0\"><channel><item><title>&lol9;</title></item>"
            + String(repeating: "<item><title>&lol9;&lol8;</title></item>", count: 200) + "</channel></rss>"
        let limits = ParseLimits(maxEntityExpansionBytes: 64 << 10)
        let feed = try FeedParser(limits: limits).parse(document(xml))
        let total = feed.items.reduce(0) { $0 + ($1.title?.utf8.count ?? 0) }
        #expect(total <= 64 << 10)
        #expect(feed.items.count == 201)
        #expect(feed.info.warnings.contains { $0.contains("entity expansion") })
    }

    @Test func internalEntitiesStillWork() throws {
        let xml = "<!DOCTYPE rss [<!ENTITY site \"Example &amp; Co\"><!ENTITY mdash \"&#8212;\">]><rss version=\"2.0\"><channel><title>&site; &mdash; news</title></channel></rss>"
        let feed = try parser.parse(document(xml))
        #expect(feed.info.title == "Example & Co — news")
    }

    @Test func deepNestingIsCapped() throws {
        let depth = 5_000
        let xml = "<rss version=\"2.0\"><channel><item><title>deep</title><description>"
            + String(repeating: "<x>", count: depth) + "text" + String(repeating: "</x>", count: depth)
            + "</description></item></channel></rss>"
        let feed = try FeedParser(limits: ParseLimits(maxDepth: 64)).parse(document(xml))
        #expect(feed.items.first?.title == "deep")
    }

    @Test func oversizedDocumentIsRefused() {
        let xml = "<rss version=\"2.0\"><channel>" + String(repeating: "<item><title>x</title></item>", count: 1000) + "</channel></rss>"
        let error = #expect(throws: SourceFailure.self) { try FeedParser(limits: ParseLimits(maxDocumentBytes: 1000)).parse(document(xml)) }
        #expect(error?.kind == .tooLarge)
    }

    @Test func legacyEncodingsReachTheItems() throws {
        let feed = try parser.parse(document(try TestPaths.fixture("gb2312-declared.xml")))
        #expect(feed.info.encoding == "gb18030")
        #expect(feed.info.title == "测试频道")
        #expect(feed.items.first?.title == "开源软件与芯片：新闻标题测试")
        let big5 = try parser.parse(document(try TestPaths.fixture("undeclared-big5.xml")))
        #expect(big5.items.first?.title == "半導體產業鏈調整，晶片廠商擴大投資")
    }
}

@Suite struct FeedShapesTests {
    @Test func atomEntryDocumentIsOneItem() throws {
        let xml = "<entry xmlns=\"http://www.w3.org/2005/Atom\"><title>Solo</title><id>urn:x</id><link href=\"https://e.example/solo\"/></entry>"
        let feed = try FeedParser().parse(document(xml))
        #expect(feed.info.format == .atom1)
        #expect(feed.items.map(\.title) == ["Solo"])
        #expect(feed.items.first?.link == "https://e.example/solo")
    }

    @Test func feedQuotedInsideXHTMLIsRead() throws {
        let xml = """
        <!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml"><body>
        <feed xmlns="http://www.w3.org/2005/Atom"><title>Inner</title><entry><title>Inside</title></entry></feed>
        </body></html>
        """
        let feed = try FeedParser().parse(document(xml))
        #expect(feed.info.title == "Inner")
        #expect(feed.items.map(\.title) == ["Inside"])
    }
}

@Suite struct RecoveryTests {
    @Test func unclosedChannelFieldDoesNotSwallowItems() throws {
        let xml = """
        <rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>Pod</title>
        <itunes:category text="Technology"><itunes:category text="Gadgets"/>
        <item><title>One</title></item><item><title>Two</title></item>
        </channel></rss>
        """
        let feed = try FeedParser().parse(document(xml))
        #expect(feed.items.map(\.title) == ["One", "Two"])
        #expect(feed.info.warnings.contains { $0.contains("not well-formed") })
    }

    @Test func emptyNestedItemDoesNotSplitAnItem() throws {
        let xml = "<rss version=\"2.0\"><channel><item><title>Whole</title><item/><link>http://e.example/w</link></item></channel></rss>"
        let feed = try FeedParser().parse(document(xml))
        #expect(feed.items.count == 1)
        #expect(feed.items.first?.link == "http://e.example/w")
    }
}

@Suite struct AtomLinkChoiceTests {
    @Test func htmlAlternateBeatsAnEarlierNonHTMLAlternate() throws {
        let xml = """
        <feed xmlns="http://www.w3.org/2005/Atom"><entry><title>t</title>
        <link rel="alternate" type="application/json" href="https://e.example/1.json"/>
        <link rel="alternate" type="text/html" href="https://e.example/1.html"/>
        <link rel="alternate" type="text/html" href="https://e.example/1-other.html"/></entry></feed>
        """
        #expect(try FeedParser().parse(document(xml)).items.first?.link == "https://e.example/1.html")
    }
}

@Suite struct ConcurrencyTests {
    @Test func parsesOnManyTasksAtOnce() async throws {
        let xml = "<rss version=\"2.0\"><channel><title>T</title>"
            + (0..<50).map { "<item><title>Item \($0) &amp; &eacute;</title><link>/p/\($0)</link></item>" }.joined()
            + "</channel></rss>"
        let doc = document(xml)
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<16 { group.addTask { try FeedParser().parse(doc).items.count } }
            var all: [Int] = []
            for try await c in group { all.append(c) }
            return all
        }
        #expect(counts == Array(repeating: 50, count: 16))
    }
}

@Suite struct SizeTests {
    @Test func documentsOverTenMegabytesParseAndFieldsAreCapped() throws {
        let big = String(repeating: "word ", count: 2_400_000) // 12 MB in one text node
        let xml = "<rss version=\"2.0\"><channel><item><title>Big</title><description>\(big)</description></item>"
            + "<item><title>After</title></item></channel></rss>"
        let feed = try FeedParser().parse(document(xml))
        #expect(feed.items.map(\.title) == ["Big", "After"])
        #expect((feed.items[0].summary?.utf8.count ?? 0) <= 1 << 20)
        #expect(feed.items[0].warnings.contains { $0.contains("size limit") })
    }

    @Test func quadraticBlowupIsBounded() throws {
        let a = String(repeating: "a", count: 50_000)
        let refs = String(repeating: "&a;", count: 50_000)
        let xml = "<!DOCTYPE rss [<!ENTITY a \"\(a)\">]><rss version=\"2.0\"><channel><item><title>q</title><description>\(refs)</description></item></channel></rss>"
        let feed = try FeedParser().parse(document(xml))
        #expect(feed.items.count == 1)
        #expect((feed.items[0].summary?.utf8.count ?? 0) <= ParseLimits().maxEntityExpansionBytes)
        #expect(feed.info.warnings.contains { $0.contains("entity expansion") })
    }
}
