import Foundation
import IngestCore
import Parse
import Testing

/// Constructs that universal feed parsers' test suites check and that real feeds carry:
/// each document here is written for this project and shows one construct.
@Suite struct ConformanceConstructTests {
    let parser = FeedParser()

    @Test func atom1NonTextMediaTypesAreBase64() throws {
        // "Budget <i>vote</i> passes" and "Rain due later" in base64.
        let html64 = Data("Budget <i>vote</i> passes".utf8).base64EncodedString()
        let text64 = Data("Rain due later".utf8).base64EncodedString()
        let xml = """
        <feed xmlns="http://www.w3.org/2005/Atom">
          <title type="application/octet-stream">\(text64)</title>
          <entry>
            <id>urn:uuid:4e1a</id>
            <title type="application/octet-stream">
              \(html64)
            </title>
            <summary type="application/octet-stream">\(text64)</summary>
            <content type="image/png">iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==</content>
          </entry>
        </feed>
        """
        let feed = try parser.parse(document(xml))
        #expect(feed.info.title == "Rain due later")
        let item = try #require(feed.items.first)
        #expect(item.title == "Budget vote passes")
        #expect(item.summary == "Rain due later")
        // Binary content does not decode to text: it stays as published rather than as garbage.
        #expect(item.content?.hasPrefix("iVBORw0KGgo") == true)
    }

    @Test func atomDraftNamespacesReadAsAtom03() throws {
        for ns in ["http://purl.org/echo/", "http://purl.org/pie/", "http://example.net/necho"] {
            let xml = """
            <feed version="0.3" xmlns="\(ns)">
              <title>Harbour log</title>
              <link rel="alternate" type="text/html" href="http://harbour.example/"/>
              <entry><id>tag:harbour.example,2004:1</id><title>Tide tables</title>
                <link rel="alternate" href="http://harbour.example/tides"/>
                <issued>2004-03-01T08:00:00Z</issued></entry>
            </feed>
            """
            let feed = try parser.parse(document(xml))
            #expect(feed.info.format == .atom03, "\(ns)")
            #expect(feed.info.title == "Harbour log", "\(ns)")
            #expect(feed.info.link == "http://harbour.example/", "\(ns)")
            let item = try #require(feed.items.first)
            #expect(item.title == "Tide tables")
            #expect(item.link == "http://harbour.example/tides")
            #expect(item.guid == "tag:harbour.example,2004:1")
            #expect(item.published == "2004-03-01T08:00:00Z")
        }
    }

    @Test func ampersandsInAttributesComeOutOnce() throws {
        let xml = """
        <feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/">
          <title>Q</title>
          <link rel="alternate" href="http://q.example/?a=1&amp;b=2"/>
          <entry><id>q1</id><title>Query</title>
            <link rel="alternate" href="http://q.example/item?id=7&amp;lang=en&#38;x=&amp;amp;"/>
            <category term="Food &amp; Drink"/>
            <media:thumbnail url="http://img.example/t.jpg?w=60&amp;h=60"/>
          </entry>
        </feed>
        """
        let feed = try parser.parse(document(xml))
        #expect(feed.info.link == "http://q.example/?a=1&b=2")
        let item = try #require(feed.items.first)
        #expect(item.link == "http://q.example/item?id=7&lang=en&x=&amp;")
        #expect(item.categories == ["Food & Drink"])
        #expect(item.imageURL == "http://img.example/t.jpg?w=60&h=60")
    }

    @Test func rssInTheNamespaceRSS2WasBrieflyGiven() throws {
        let xml = """
        <rss version="2.0" xmlns="http://blogs.law.harvard.edu/tech/rss"><channel>
          <title>Ferry times</title><link>http://ferry.example/</link><description>Sailings</description>
          <language>en-GB</language>
          <item><title>Late ferry</title><link>http://ferry.example/late</link><guid>ferry-1</guid>
            <pubDate>Tue, 02 Mar 2004 09:00:00 GMT</pubDate></item>
        </channel></rss>
        """
        let feed = try parser.parse(document(xml))
        #expect(feed.info.title == "Ferry times")
        #expect(feed.info.link == "http://ferry.example/")
        #expect(feed.info.description == "Sailings")
        #expect(feed.info.language == "en-GB")
        let item = try #require(feed.items.first)
        #expect(item.title == "Late ferry")
        #expect(item.link == "http://ferry.example/late")
        #expect(item.guid == "ferry-1")
        #expect(item.published == "Tue, 02 Mar 2004 09:00:00 GMT")
    }

    @Test(arguments: [
        ("macroman", "Äpfel"), ("mac-roman", "Äpfel"), ("maccentraleurope", "Äpfel"), ("maciceland", "Äpfel"),
        ("cp_is", "Çpfel"), ("csibm861", "Çpfel"),
    ])
    func macAndDOSCodePagesByTheirPythonNames(_ charset: String, _ title: String) throws {
        // 0x80 is Ä in the Mac code pages and Ç in IBM 861 (Icelandic DOS).
        let bytes = Array("<?xml version=\"1.0\" encoding=\"\(charset)\"?><rss version=\"2.0\"><channel><title>".utf8)
            + [0x80] + Array("pfel</title><item><guid>m</guid><title>t</title></item></channel></rss>".utf8)
        let feed = try parser.parse(document(bytes))
        #expect(feed.info.title == title, "\(charset)")
    }

    @Test func channelDefinitionFormat() throws {
        let xml = """
        <?xml version="1.0"?>
        <CHANNEL HREF="http://almanac.example/" BASE="http://almanac.example/">
          <TITLE>Almanac</TITLE>
          <ABSTRACT>Daily &lt;b&gt;facts&lt;/b&gt;</ABSTRACT>
          <ITEM HREF="http://almanac.example/moon" LASTMOD="2001-05-04T21:30:00-07:00">
            <Title>Moon phases</Title>
            <Abstract>Full moon on Monday</Abstract>
          </ITEM>
          <item href="http://almanac.example/sun"><title>Sunrise</title></item>
        </CHANNEL>
        """
        let feed = try parser.parse(document(xml))
        #expect(feed.info.format == .cdf)
        #expect(feed.info.title == "Almanac")
        #expect(feed.info.link == "http://almanac.example/")
        #expect(feed.info.description == "Daily facts")
        #expect(feed.items.map(\.title) == ["Moon phases", "Sunrise"])
        #expect(feed.items.map(\.link) == ["http://almanac.example/moon", "http://almanac.example/sun"])
        #expect(feed.items.first?.summary == "Full moon on Monday")
        #expect(feed.items.first?.updated == "2001-05-04T21:30:00-07:00")
    }

    @Test func aLowercaseChannelRootIsStillRSS() throws {
        let xml = "<channel><title>Bare</title><item><title>One</title><guid>b1</guid></item></channel>"
        let feed = try parser.parse(document(xml))
        #expect(feed.info.format == .rss2)
        #expect(feed.items.map(\.title) == ["One"])
    }

    @Test func rssElementNamesInAnyCase() throws {
        let xml = """
        <rss version="2.0"><channel><Title>Shouty</Title><LINK>http://shouty.example/</LINK>
        <ITEM><TITLE>Loud news</TITLE><Link>http://shouty.example/1</Link><GUID>s1</GUID>
          <PUBDATE>Wed, 03 Mar 2004 10:00:00 GMT</PUBDATE><pubdate>ignored second date</pubdate></ITEM>
        </channel></rss>
        """
        let feed = try parser.parse(document(xml))
        #expect(feed.info.title == "Shouty")
        #expect(feed.info.link == "http://shouty.example/")
        let item = try #require(feed.items.first)
        #expect(item.title == "Loud news")
        #expect(item.link == "http://shouty.example/1")
        #expect(item.guid == "s1")
        #expect(item.published == "Wed, 03 Mar 2004 10:00:00 GMT")
    }

    @Test func descriptionBesideAStraySummary() throws {
        let xml = """
        <rss version="2.0"><channel><title>S</title>
        <item><guid>x1</guid><description>Teaser first</description><summary>Longer text second</summary></item>
        <item><guid>x2</guid><summary>Teaser first</summary><description>Longer text second</description></item>
        <item><guid>x3</guid><description>Same</description><summary>Same</summary></item>
        </channel></rss>
        """
        let feed = try parser.parse(document(xml))
        #expect(feed.items.map(\.summary) == ["Teaser first", "Teaser first", "Same"])
        #expect(feed.items.map(\.content) == ["Longer text second", "Longer text second", nil])
    }

    @Test func capitalXCharacterReferenceIsRepaired() throws {
        let xml = """
        <rss version="2.0"><channel><title>Refs</title>
        <item><title>&#X48;ello &#x57;orld</title><guid>r1</guid></item></channel></rss>
        """
        let feed = try parser.parse(document(xml))
        #expect(feed.items.first?.title == "Hello World")
    }

    @Test func itunesNamespaceAsApplesOldDocsSpelledIt() throws {
        let xml = """
        <rss version="2.0" xmlns:itunes="http://www.itunes.com/DTDs/Podcast-1.0.dtd"><channel><title>Pod</title>
        <item><guid>ep1</guid><title>Episode 1</title>
          <itunes:author>Ada Host</itunes:author>
          <itunes:summary>We talk about lighthouses.</itunes:summary>
          <itunes:category text="Science"><itunes:category text="Engineering"/></itunes:category>
          <itunes:category text="History"/>
        </item></channel></rss>
        """
        let item = try #require(try parser.parse(document(xml)).items.first)
        #expect(item.authors == ["Ada Host"])
        #expect(item.summary == "We talk about lighthouses.")
        #expect(item.categories == ["Science", "Engineering", "History"])
    }

    @Test func mediaCategoryIsACategory() throws {
        let xml = """
        <rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>M</title>
        <item><guid>m1</guid><title>Clip</title><category>News</category>
          <media:category scheme="urn:example:genres">Weather</media:category>
          <media:category>Coast</media:category>
        </item></channel></rss>
        """
        let item = try #require(try parser.parse(document(xml)).items.first)
        #expect(item.categories == ["News", "Weather", "Coast"])
    }

    @Test func dcCreatorWithAddressNamesThePerson() throws {
        let xml = """
        <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>D</title>
        <item><guid>d1</guid><title>A</title><dc:creator>Grace Editor (grace@news.example)</dc:creator></item>
        <item><guid>d2</guid><title>B</title><dc:creator>Wu Ming</dc:creator></item>
        </channel></rss>
        """
        let feed = try parser.parse(document(xml))
        #expect(feed.items.map(\.authors) == [["Grace Editor"], ["Wu Ming"]])
    }

    @Test func posixLocaleLanguageBecomesBCP47() throws {
        let rss = """
        <rss version="2.0"><channel><title>L</title><language>zh_CN</language>
        <item><guid>l1</guid><title>T</title></item></channel></rss>
        """
        #expect(try parser.parse(document(rss)).info.language == "zh-CN")
        let atom = """
        <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en_GB"><title>L</title>
        <entry><id>l1</id><title>T</title></entry></feed>
        """
        #expect(try parser.parse(document(atom)).info.language == "en-GB")
    }

    @Test func fullitemAndXHTMLBodyAreTheContent() throws {
        let xml = """
        <rss version="2.0"><channel><title>F</title>
        <item><guid>f1</guid><title>Escaped</title><description>Short</description>
          <fullitem>&lt;p&gt;The whole &lt;b&gt;story&lt;/b&gt;.&lt;/p&gt;</fullitem></item>
        <item><guid>f2</guid><title>Inline</title>
          <body xmlns="http://www.w3.org/1999/xhtml"><p>First part.</p><p>Second part.</p></body></item>
        </channel></rss>
        """
        let feed = try parser.parse(document(xml))
        #expect(feed.items.map(\.content) == ["The whole story.", "First part.\nSecond part."])
        #expect(feed.items.first?.summary == "Short")
    }
    @Test func authorAddressFormsAndNamesThatOnlyLookLikeThem() throws {
        let xml = """
        <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>A</title>
        <item><guid>a1</guid><author>Lin Qiao &lt;lin@paper.example&gt;</author></item>
        <item><guid>a2</guid><author>"Qiao, Lin" &lt;lin@paper.example&gt;</author></item>
        <item><guid>a3</guid><dc:creator>Lin Qiao (@linq)</dc:creator></item>
        <item><guid>a4</guid><dc:creator>@linq</dc:creator></item>
        <item><guid>a5</guid><dc:creator>Harbour &amp; Sons (Press)</dc:creator></item>
        <item><guid>a6</guid><dc:creator>Lin Qiao (mailto:lin@paper.example)</dc:creator></item>
        <item><guid>a7</guid><author>lin@paper.example</author></item>
        </channel></rss>
        """
        let feed = try parser.parse(document(xml))
        #expect(feed.items.map(\.authors) == [
            ["Lin Qiao"], ["Qiao, Lin"], ["Lin Qiao (@linq)"], ["@linq"], ["Harbour & Sons (Press)"], ["Lin Qiao"],
            ["lin@paper.example"],
        ])
    }

    @Test func onlyRDFAboutOrAFullURLNamesAnRSS1Item() throws {
        let xml = """
        <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
          <channel rdf:about="http://tides.example/rss"><title>Tides</title><link>http://tides.example/</link></channel>
          <item rdf:about="http://tides.example/1"><title>One</title></item>
          <item about="local-name"><title>Two</title></item>
          <item about="http://tides.example/3"><title>Three</title></item>
        </rdf:RDF>
        """
        let feed = try parser.parse(document(xml))
        #expect(feed.items.map(\.guid) == ["http://tides.example/1", nil, "http://tides.example/3"])
    }

    @Test func itunesKeywordsAreCategories() throws {
        let xml = """
        <rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>K</title>
        <item><guid>k1</guid><title>Ep</title><category>Radio</category>
          <itunes:keywords>tides, harbours ,,ships</itunes:keywords></item></channel></rss>
        """
        let item = try #require(try parser.parse(document(xml)).items.first)
        #expect(item.categories == ["Radio", "tides", "harbours", "ships"])
    }

    @Test func moduleNamespacesDeclaredWithSpacesOrWithoutTheTrailingSlash() throws {
        let xml = """
        <rss version="2.0" xmlns:itunes=" http://www.itunes.com/dtds/podcast-1.0.dtd "
             xmlns:content="http://purl.org/rss/1.0/modules/content"
             xmlns:dc="http://purl.org/dc/elements/1.1"><channel><title>N</title>
        <item><guid>n1</guid><title>Ferry times</title><itunes:author>Harbour Radio</itunes:author>
          <content:encoded>&lt;p&gt;Full timetable.&lt;/p&gt;</content:encoded></item>
        <item><guid>n2</guid><title>Tides</title><dc:creator>Lin Qiao</dc:creator></item>
        </channel></rss>
        """
        let feed = try parser.parse(document(xml))
        #expect(feed.items.map(\.authors) == [["Harbour Radio"], ["Lin Qiao"]])
        #expect(feed.items.first?.content == "Full timetable.")
    }
}
