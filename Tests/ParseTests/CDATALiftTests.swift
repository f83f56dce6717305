import Foundation
import IngestCore
@testable import Parse
import Testing

/// The fast path lifts CDATA sections out of libxml2's character-by-character reading
/// (see lift_cdata in ingest_feed.c). It must never change what a document yields: every
/// case here is read both ways and the results compared field by field.
@Suite struct CDATALiftTests {
    static let lifting = FeedParser()
    static let plain: FeedParser = {
        var p = FeedParser()
        p.liftsCDATA = false
        return p
    }()

    /// Both readings of one document, as comparable values (or the failure message).
    static func bothWays(_ bytes: [UInt8], url: String = "https://example.org/feed.xml") -> (lifted: String, plain: String) {
        func read(_ parser: FeedParser) -> String {
            do {
                let feed = try parser.parse(document(bytes, url: url))
                return "\(feed.info)\n" + feed.items.map { "\($0)" }.joined(separator: "\n")
            } catch {
                return "error: \(error.kind) \(error.reason)"
            }
        }
        return (read(lifting), read(plain))
    }

    static func rss(_ items: String, prolog: String = "", epilog: String = "") -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>\(prolog)
        <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title>
        \(items)
        </channel></rss>\(epilog)
        """
    }

    static let cases: [(name: String, xml: String)] = [
        ("plain CDATA", rss("<item><title><![CDATA[Chips & <b>boards</b>]]></title><description><![CDATA[<p>One</p><p>Two</p>]]></description></item>")),
        ("CR LF and lone CR inside CDATA", rss("<item><title>A</title><description><![CDATA[line one\r\nline two\rline three\r\n\r\nnext]]></description></item>")),
        ("CDATA beside text and entities", rss("<item><title>Q&amp;A <![CDATA[<i>live</i>]]> &lt;now&gt;</title></item>")),
        ("several sections in one field", rss("<item><description><![CDATA[<p>a]]><![CDATA[b</p>]]>tail<![CDATA[]]></description></item>")),
        ("CDATA-looking text in a comment", rss("<!-- <![CDATA[ --><item><title><![CDATA[kept]]></title></item><!-- ]]> -->")),
        ("CDATA-looking text in a PI", rss("<?pi <![CDATA[ ?><item><title><![CDATA[kept]]></title></item>")),
        ("our own PI target in the document", rss("<?_ingest_cdata 0?><item><title><![CDATA[x]]></title></item>")),
        ("control character inside CDATA", rss("<item><title><![CDATA[bad\u{01}char]]></title></item>")),
        ("U+FFFF inside CDATA", rss("<item><title><![CDATA[bad\u{FFFF}char]]></title></item>")),
        ("CDATA after the root element", rss("<item><title><![CDATA[x]]></title></item>", epilog: "<![CDATA[after]]>")),
        ("CDATA before the root element", "<?xml version=\"1.0\"?><![CDATA[before]]><rss><channel><item><title>t</title></item></channel></rss>"),
        ("unterminated CDATA", rss("<item><title><![CDATA[never closed</title></item>")),
        ("'/>' inside an attribute value", rss("<item><title a=\"x/>\"><![CDATA[t]]></title><link>https://e.org/1</link></item>")),
        ("'>' inside an attribute value", rss("<item><guid isPermaLink=\"false\" note=\"a>b\"><![CDATA[g-1]]></guid></item>")),
        ("DOCTYPE", "<?xml version=\"1.0\"?><!DOCTYPE rss><rss><channel><item><title><![CDATA[t]]></title></item></channel></rss>"),
        ("bare ampersand next to CDATA", rss("<item><title>A & B</title><description><![CDATA[d]]></description></item>")),
        ("CDATA in an element nobody captures", rss("<item><foo><![CDATA[ignored]]></foo><title>t</title></item>")),
        ("xhtml content with CDATA inside markup", """
            <?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>
            <entry><title type="html"><![CDATA[<b>Bold</b> &amp; more]]></title><id>e1</id>
            <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p><![CDATA[raw <x>]]></p></div></content></entry></feed>
            """),
        ("truncated document", String(rss("<item><title><![CDATA[a]]></title></item><item><title><![CDATA[b]]></title>").dropLast(40))),
        ("Chinese text in CDATA", rss("<item><title><![CDATA[央行同比频道：新能源汽车]]></title><description><![CDATA[<p>人工智能今年增长&nbsp;利率</p>]]></description></item>")),
    ]

    @Test(arguments: 0..<cases.count)
    func liftedAndPlainReadingsAgree(_ index: Int) {
        let (name, xml) = Self.cases[index]
        let r = Self.bothWays(Array(xml.utf8))
        #expect(r.lifted == r.plain, "\(name)")
    }

    @Test func crLineEndsInsideCDATABecomeLineFeeds() throws {
        let xml = Self.rss("<item><title>A</title><content:encoded><![CDATA[<p>one\r\ntwo</p>\r\r<p>three</p>]]></content:encoded></item>")
        let feed = try Self.lifting.parse(document(xml))
        #expect(feed.items.first?.content == "one two\nthree")
    }

    @Test func controlCharacterInsideCDATAIsStillRepaired() throws {
        let feed = try Self.lifting.parse(document(Self.rss("<item><title><![CDATA[bad\u{01}char]]></title></item>")))
        #expect(feed.items.first?.title == "badchar")  // libxml2 alone loses the whole section
        #expect(feed.info.warnings.contains { $0.contains("control character") })
    }

    @Test func cutAtTheFieldLimitAcrossSections() throws {
        var limited = FeedParser(limits: ParseLimits(maxFieldBytes: 10))
        let xml = Self.rss("<item><title><![CDATA[abcdef]]>gh<![CDATA[ijklmnop]]></title></item>")
        let lifted = try limited.parse(document(xml))
        limited.liftsCDATA = false
        let plain = try limited.parse(document(xml))
        #expect(lifted.items.first?.title == "abcdefghij")
        #expect(lifted.items == plain.items)
    }

    /// Every real feed in the shared corpus reads the same both ways.
    @Test(.enabled(if: corpusExists))
    func corpusReadsTheSameBothWays() throws {
        var compared = 0, withCDATA = 0
        var differing: [String] = []
        for file in TestPaths.files(under: TestPaths.corpus) {
            let ext = file.pathExtension.lowercased()
            guard ["xml", "rss", "atom", "rdf", "feed", "txt", ""].contains(ext) || file.lastPathComponent.contains("feed") else { continue }
            guard let bytes = try? [UInt8](Data(contentsOf: file)), bytes.count < 8 << 20 else { continue }
            if bytes.count > 9, String(decoding: bytes, as: UTF8.self).contains("<![CDATA[") { withCDATA += 1 }
            let r = Self.bothWays(bytes, url: file.absoluteString)
            compared += 1
            if r.lifted != r.plain { differing.append(file.path) }
        }
        #expect(differing.isEmpty, "\(differing.prefix(10))")
        #expect(compared > 100)
        #expect(withCDATA > 20)
    }
}

/// Strings made from the reader's bytes skip the standard library's UTF-8 check; these
/// make sure that only bytes which really are UTF-8 take that path.
@Suite struct ReaderTextTests {
    static func strings(of feed: ParsedFeed) -> [String] {
        var out = [feed.info.title, feed.info.link, feed.info.description, feed.info.language].compactMap { $0 }
        for i in feed.items {
            out += [i.guid, i.link, i.title, i.summary, i.content, i.published, i.updated, i.sourceName, i.sourceURL,
                    i.language, i.imageURL, i.commentsURL].compactMap { $0 }
            out += i.authors + i.categories + i.enclosures
        }
        return out
    }

    static func isValidUTF8(_ s: String) -> Bool { String(validating: Array(s.utf8), as: UTF8.self) != nil }

    @Test func fieldCutInsideACharacterIsRepaired() throws {
        // 10 bytes keep "abc" and the first seven bytes of three 3-byte characters.
        let parser = FeedParser(limits: ParseLimits(maxFieldBytes: 10))
        let feed = try parser.parse(document(CDATALiftTests.rss("<item><title>abc央行同比</title></item>")))
        let title = try #require(feed.items.first?.title)
        #expect(Self.isValidUTF8(title))
        #expect(title == "abc央行\u{FFFD}")
    }

    @Test func base64ContentThatIsNotUTF8IsRepaired() throws {
        // "/w==" is the single byte 0xFF.
        let xml = """
            <?xml version="1.0"?><feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>F</title>
            <entry><title>t</title><id>e</id><content type="text/plain" mode="base64">/w==</content></entry></feed>
            """
        let feed = try FeedParser().parse(document(xml))
        let content = try #require(feed.items.first?.content)
        #expect(Self.isValidUTF8(content))
        #expect(content == "\u{FFFD}")
    }

    @Test(.enabled(if: corpusExists))
    func everyCorpusStringIsValidUTF8() {
        var checked = 0
        var bad: [String] = []
        for file in TestPaths.files(under: TestPaths.corpus) {
            guard let bytes = try? [UInt8](Data(contentsOf: file)), bytes.count < 8 << 20,
                  let feed = try? FeedParser().parse(document(bytes, url: file.absoluteString)) else { continue }
            for s in Self.strings(of: feed) {
                checked += 1
                if !Self.isValidUTF8(s) { bad.append(file.path) }
            }
        }
        #expect(checked > 10_000)
        #expect(bad.isEmpty, "\(bad.prefix(5))")
    }
}
