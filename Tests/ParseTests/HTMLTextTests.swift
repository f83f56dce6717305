import Parse
import Testing

@Suite struct HTMLTextTests {
    @Test(arguments: [
        ("<p>One</p><p>Two</p>", "One\nTwo"),
        ("a<br>b<br/>c", "a\nb\nc"),
        ("<ul><li>x</li><li>y</li></ul>", "x\ny"),
        ("  lots   of\n\n  space  ", "lots of space"),
        ("<b>bold</b> and <i>it</i>alic", "bold and italic"),
        ("&amp;amp; &lt;tag&gt; &eacute;t&eacute; &#8212; &#x4E2D;&#25991; &hellip;", "&amp; <tag> été — 中文 …"),
        ("<script>var x = '<p>no</p>';</script>kept<style>p{}</style>", "kept"),
        ("<!-- hidden --><div>shown</div>", "shown"),
        ("1 < 2 and 3 > 2", "1 < 2 and 3 > 2"),
        ("AT&T &unknownentity; R&D", "AT&T &unknownentity; R&D"),
        ("don&#146;t", "don’t"),
        ("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc"),
        ("<p>中文段落。</p>\n<p>第二段</p>", "中文段落。\n第二段"),
        ("no&nbsp;break", "no break"),
        ("\u{E2}\u{80}\u{A6} and \u{C3}\u{A9}", "… and Ã©"),
        ("caf\u{E9} cr\u{E8}me", "café crème"),
    ])
    func rendersPlainText(html: String, text: String) {
        #expect(HTMLText.plainText(html) == text)
    }

    @Test func discoveryHonoursBaseHref() {
        let html = """
        <html><head><base href="https://cdn.example.net/site/">
        <link rel="alternate feed" type="application/atom+xml" href="atom.xml">
        <link rel="alternate" type="application/feed+json" href="/feed.json">
        <link rel="alternate" type="text/html" href="/other.html">
        <link rel="alternate" type="application/rss+xml" href="atom.xml"></head></html>
        """
        let doc = document(html, url: "https://www.example.net/page", contentType: "text/html; charset=utf-8")
        #expect(FeedParser.discoverFeeds(in: doc) == ["https://cdn.example.net/site/atom.xml", "https://cdn.example.net/feed.json"])
    }
}
