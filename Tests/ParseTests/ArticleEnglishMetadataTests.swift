import Foundation
import IngestCore
import Testing
@testable import Parse

private let fixtureDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/article")

private func fixture(_ name: String) throws -> RawItem {
    let url = "https://example.org/2021/story.html"
    let bytes = try [UInt8](Data(contentsOf: fixtureDirectory.appendingPathComponent(name)))
    let doc = FetchedDocument(source: FeedSource(location: url, kind: .page), requestedURL: url, finalURL: url,
                              httpStatus: 200, body: bytes, fetchedAt: Date())
    return try #require(try ArticleExtractor().extract(doc).items.first)
}

private func article(_ head: String, _ body: String) throws -> RawItem {
    let html = """
    <html lang="en"><head><title>Harbour town votes to keep its ferry | The Example Gazette</title>
    <meta property="og:site_name" content="The Example Gazette">\(head)</head><body>
    <h1>Harbour town votes to keep its ferry</h1>\(body)
    <div class="story-body">
    <p>Residents of the harbour town voted on Tuesday to keep the century-old ferry running, rejecting a plan to replace it with a bridge.</p>
    <p>The council had argued that a bridge would cut travel times, but opponents said it would change the character of the waterfront.</p>
    <p>Turnout was the highest in a local vote for two decades, the returning officer said on Wednesday morning.</p>
    </div></body></html>
    """
    let url = "https://example.org/2021/story.html"
    let doc = FetchedDocument(source: FeedSource(location: url, kind: .page), requestedURL: url, finalURL: url,
                              httpStatus: 200, body: Array(html.utf8), fetchedAt: Date())
    return try #require(try ArticleExtractor().extract(doc).items.first)
}

/// English headlines, authors and bodies on pages written for these tests, shaped like the
/// misses found on the Readability corpus.
@Suite("English article metadata on written fixtures")
struct ArticleEnglishMetadataTests {
    @Test func markedArticleBodyBeatsALargerGalleryAndDropsSlideCaptions() throws {
        let item = try fixture("marked-body-with-gallery.html")
        let content = try #require(item.content)
        // The story's paragraphs, under a wrapper whose id names a share widget.
        #expect(content.hasPrefix("Residents of the harbour town voted on Tuesday"))
        #expect(content.contains("apply for a grant to replace the vessel's engines"))
        // Neither the larger photo essay beside it nor the slide captions (`ul.legends`) inside it.
        #expect(!content.contains("Picture 1."))
        #expect(!content.contains("1/6 Morning crossing"))
        #expect(!content.contains("Counting votes"))
    }

    @Test func bodySplitAcrossWrappersKeepsItsOpening() throws {
        let item = try fixture("split-body-read-more.html")
        let content = try #require(item.content)
        // The intro box and the bare paragraph sit beside the `read-more` box that holds most of the text.
        #expect(content.contains("has put off its vote on the new bus lane"))
        #expect(content.contains("The delay was announced on Monday evening"))
        #expect(content.contains("Shop owners on the high street"))
        #expect(content.contains("The vote is now expected in September."))
        #expect(!content.contains("Share on social media"))
    }

    @Test func numberedBodyPartsAreOneBodyWithoutChartsAdsOrCaptions() throws {
        let item = try fixture("numbered-body-parts.html")
        let content = try #require(item.content)
        // `story-part-1` and `story-part-2` are one text split by a related-links box.
        #expect(content.contains("more complicated than it looks"))
        #expect(content.contains("The sale happens in two steps."))
        #expect(content.contains("take about two years to finish"))
        #expect(!content.contains("Station clock to be restored"))
        // A graphic's labels (`ai2html`), the ad label and the caption line are not prose.
        #expect(!content.contains("Station visitors per year"))
        #expect(!content.split(separator: "\n").contains("Advertisement"))
        #expect(!content.contains("Media caption"))
        // A gallery title printed over every slide, photo credits and player buttons.
        #expect(!content.contains("Station through the years"))
        #expect(!content.contains("Credit: Town Archive"))
        #expect(!content.contains("Photo by A. Reader"))
        #expect(!content.contains("Hide Caption"))
    }

    @Test func bodyPartWithAnExtraClassModifierStillBelongs() throws {
        let item = try fixture("body-parts-with-modifier.html")
        let content = try #require(item.content)
        #expect(content.contains("boil a litre of water without the roar"))
        // `review-text tone-grey extra`: the same content class with a modifier, far from the first part.
        #expect(content.contains("The body is brushed steel with a plastic base"))
        #expect(content.contains("the filter is hard to remove"))
        // A paragraph's random anchor id (`NavQk3`) does not make it navigation.
        #expect(content.contains("the spout is wide enough"))
    }

    @Test func linkedSubheadingsOfAListicleStayLinkedTeasersGo() throws {
        let item = try fixture("listicle-linked-headings.html")
        let content = try #require(item.content)
        #expect(content.contains("5) The Long Ridge"))
        #expect(content.contains("3) Across the Moor"))
        #expect(content.contains("the sense of space is worth every wrong turn"))
        // Linked headings followed by more links are a list of other stories.
        #expect(!content.contains("Coast walks for winter"))
        #expect(!content.contains("Where to walk with a dog"))
    }

    @Test func personalBlogOwnerIsTheAuthorThoughAlsoThePublisher() throws {
        let item = try fixture("person-blog.html")
        #expect(item.authors == ["Ada Quill"])
        #expect(item.title == "Counting rows without counting twice")
    }

    @Test func metadataHeadlineNobodyEchoesIsADescription() throws {
        let item = try fixture("description-as-headline.html")
        #expect(item.title == "Lighthouse keeper")
        // An Organization credited as author is not a person.
        #expect(item.authors.isEmpty)
    }

    @Test func creditAfterTheDateInTheByline() throws {
        let item = try article("", #"<div class="byline">Tuesday 15 October 2019 by Jane Q. Doe</div>"#)
        #expect(item.authors == ["Jane Q. Doe"])
    }

    @Test func jointCreditInJSONLDIsSplitIntoPeople() throws {
        let item = try article("""
        <script type="application/ld+json">{"@type": "NewsArticle", "headline": "Harbour town votes to keep its ferry",
        "author": {"@type": "Person", "name": "Jane Doe and John Roe"}}</script>
        """, "")
        #expect(item.authors == ["Jane Doe", "John Roe"])
    }

    @Test func roleAfterTheNameIsDropped() throws {
        let item = try article(#"<meta name="author" content="By Jane Doe, Staff Writer">"#, "")
        #expect(item.authors == ["Jane Doe"])
    }

    @Test func visibleJointCreditDropsTheAgency() throws {
        let item = try article("", "<p>By Jane Doe and John Roe, Associated Press</p>")
        #expect(item.authors == ["Jane Doe", "John Roe"])
    }

    @Test func coWritersInBracketsAreNamed() throws {
        let item = try article(#"<meta name="author" content="Marie Dupont (avec Paul Martin et Claire Petit)">"#, "")
        #expect(item.authors == ["Marie Dupont", "Paul Martin", "Claire Petit"])
    }

    @Test func olderPublicationDateMetaNamesAreRead() throws {
        let original = try article(#"<meta name="OriginalPublicationDate" content="2014-06-30T16:54:02+00:00">"#, "")
        #expect(original.published == "2014-06-30T16:54:02+00:00")
        let rnews = try article(#"<meta property="rnews:datePublished" content="2010-02-22T11:53:04+00:00">"#, "")
        #expect(rnews.published == "2010-02-22T11:53:04+00:00")
    }

    @Test func creditLinesLeaveTheTextButByPhrasesInProseStay() throws {
        #expect(MainText.isCreditLine("By Jane Doe"))
        #expect(MainText.isCreditLine("By Jane Q. Doe, MA"))
        #expect(MainText.isCreditLine("BY JANE DOE and JOHN ROE"))
        #expect(!MainText.isCreditLine("By Tuesday, officials had counted most of the ballots."))
        #expect(!MainText.isCreditLine("By 2030 the ferry will need new engines."))
        #expect(!MainText.isCreditLine("By The Associated Press"))
        let item = try article("", "")
        #expect(item.content?.contains("Residents of the harbour town") == true)
    }

    @Test func timeOfTheArticleNotOfTheLatestNewsRail() throws {
        let item = try fixture("latest-rail-times.html")
        #expect(item.published?.hasPrefix("2024-02-27") == true)
    }

    @Test func surnameFirstCreditStaysOneName() throws {
        #expect(PageReading.latinNames("Doe, Jane") == ["Doe, Jane"])
        #expect(PageReading.latinNames("By Jane Doe, John Roe & Ann Poe") == ["Jane Doe", "John Roe", "Ann Poe"])
        #expect(PageReading.latinNames("Richard (R.J.) Roe") == ["Richard (R.J.) Roe"])
    }
}

/// Publication dates stated in forms other than ISO text, and pages that state nothing else.
@Suite("Publication dates in machine forms")
struct ArticleMachineDateTests {
    private func extract(_ html: String) throws -> RawItem {
        let url = "https://example.org/2023/story.html"
        let doc = FetchedDocument(source: FeedSource(location: url, kind: .page), requestedURL: url, finalURL: url,
                                  httpStatus: 200, body: Array(html.utf8), fetchedAt: Date())
        return try #require(try ArticleExtractor().extract(doc).items.first)
    }

    @Test func jsonLDUnixTimeInSecondsAndMilliseconds() throws {
        for stamp in ["1676551869", "1676551869000"] {
            let item = try article("""
                <script type="application/ld+json">{"@type": "NewsArticle", "datePublished": \(stamp)}</script>
                """, "")
            #expect(item.published == "2023-02-16T12:51:09Z", "datePublished \(stamp)")
        }
        // A small number is no timestamp (a revision counter, a year): no date rather than 1970.
        let item = try article(#"<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": 2023}</script>"#, "")
        #expect(item.published == nil)
    }

    @Test func parselyPageMetaGivesThePublicationTime() throws {
        let item = try article("""
            <meta name="parsely-page" content='{"title": "Harbour town votes", "pub_date": "2014-11-23T16:00:00+04:00", "author": ""}'>
            """, "")
        #expect(item.published == "2014-11-23T16:00:00+04:00")
    }

    /// goose3's `test_publish_date_tag` prints `2014-11-23T16:00:00+04:00`: without its offset the
    /// time was read as UTC, four hours late.
    @Test func aPrintedDateKeepsItsZone() throws {
        let cases = [
            ("2014-11-23T16:00:00+04:00", "2014-11-23T16:00:00+04:00"),
            ("Posted 2019-09-07 13:43:45 +0800 by the desk", "2019-09-07 13:43:45 +0800"),
            ("Updated: 2021-03-04 09:30 UTC", "2021-03-04 09:30 UTC"),
            ("2021-03-04 09:30:12.250Z", "2021-03-04 09:30:12.250Z"),
            // A name after the time is no zone.
            ("2019-01-01 12:00 Zhang San", "2019-01-01 12:00"),
        ]
        for (printed, expected) in cases {
            let item = try article("", #"<div class="byline">\#(printed)</div>"#)
            #expect(item.published == expected, "\(printed)")
        }
    }

    @Test func pageWithOnlyADateStillYieldsTheDate() throws {
        let item = try extract("<html><head><meta property='article:published_time' content='2012-01-11T15:55:01+00:00'></head><body></body></html>")
        #expect(item.published == "2012-01-11T15:55:01+00:00")
        #expect(item.title == nil && item.content == nil)
        // Nothing at all still fails, naming the reason.
        #expect(throws: SourceFailure.self) { try extract("<html><head></head><body><div></div></body></html>") }
    }
}

/// Furniture inside the article's own container, shaped like the misses on goose3's pages.
@Suite("Furniture inside the article container")
struct ArticleInlineFurnitureTests {
    @Test func headingsOverDroppedWidgetsIconGlyphsCreditsAndARepeatedHeadlineLeaveTheText() throws {
        let html = """
        <html lang="en"><head><title>Harbour town votes to keep its ferry</title></head><body>
        <h1>Harbour town votes to keep its ferry</h1>
        <div class="story-body">
        <h2>Harbour town votes to keep its ferry</h2>
        <div id="lede"><p><span class="photoCredit">Courtesy G4</span></p></div>
        <p class="byline-line">Par Jeanne Martin, Paul Durand</p>
        <p>Residents of the harbour town voted on Tuesday to keep the century-old ferry running, rejecting a plan to replace it with a bridge.</p>
        <p><span class="img"><img src="a.jpg"></span><span class="icon">S</span></p>
        <h3>What comes next</h3>
        <p>The council had argued that a bridge would cut travel times, but opponents said it would change the character of the waterfront.</p>
        <div id="story_tools"><h4>Story Tools</h4><ul><li><a href="/share">Share on a network</a></li><li><a href="/mail">E-mail this story</a></li></ul></div>
        <p>Turnout was the highest in a local vote for two decades, the returning officer said on Wednesday morning.</p>
        </div></body></html>
        """
        let url = "https://example.org/2021/story.html"
        let doc = FetchedDocument(source: FeedSource(location: url, kind: .page), requestedURL: url, finalURL: url,
                                  httpStatus: 200, body: Array(html.utf8), fetchedAt: Date())
        let item = try #require(try ArticleExtractor().extract(doc).items.first)
        let lines = try #require(item.content).split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("Residents of the harbour town") == true)
        // A subheading with its section's text stays; the widget's heading and the glyph go.
        #expect(lines.contains("What comes next"))
        #expect(!lines.contains("Story Tools"))
        #expect(!lines.contains("S"))
        #expect(lines.count == 4)
    }

    @Test func openingParagraphsInWrappersOfTheirOwnJoinTheBody() throws {
        let html = """
        <html lang="en"><head><title>Chilli contest leaves two in hospital</title></head><body>
        <h1>Chilli contest leaves two in hospital</h1>
        <div id="mainBodyArea">
        <div class="firstPar"><p>Emergency services were called to a restaurant's curry-eating challenge after competitors started fainting during the contest.</p></div>
        <div class="secondPar"><p>One participant was so ill after sampling the dish that she had to be taken to the infirmary by ambulance twice in a matter of hours.</p></div>
        <div class="related"><h2>Related Articles</h2><ul><li><a href="/a">Flag to fly above town</a></li><li><a href="/b">Water column over the lake</a></li></ul></div>
        <div class="body">
        <p>The owner admitted that he would have to tone down the contest, but said the challenge had raised hundreds of pounds for charity.</p>
        <p>He added that half of the people who took part had dropped out after witnessing the first diners collapsing, sweating and panting.</p>
        <p>Previously the restaurant's signature dish had caused diners to suffer nose bleeds, and one elderly man had gone to hospital.</p>
        <p>A student who came second in the competition said the accolade had come at a price, and that she would not try it again.</p>
        </div></div></body></html>
        """
        let url = "https://example.org/2011/chilli.html"
        let doc = FetchedDocument(source: FeedSource(location: url, kind: .page), requestedURL: url, finalURL: url,
                                  httpStatus: 200, body: Array(html.utf8), fetchedAt: Date())
        let content = try #require(try ArticleExtractor().extract(doc).items.first?.content)
        #expect(content.hasPrefix("Emergency services were called"))
        #expect(content.contains("One participant was so ill"))
        #expect(!content.contains("Flag to fly above town"))
    }

    @Test func jobTitlesAndOutletLinesLeaveAuthorNames() throws {
        #expect(PageReading.withoutTrailingRole("Andrea Stone Senior Washington Correspondent") == "Andrea Stone")
        #expect(PageReading.latinNames("LILIAN ALEMAGNA, LAURE BRETTON Envoyés spéciaux à Toulouse") == ["LILIAN ALEMAGNA", "LAURE BRETTON"])
        #expect(PageReading.withoutTrailingRole("Mary Anne Smith") == "Mary Anne Smith")
        let credit = try article("", #"<div class="byline"><cite>By Jane Doe<br>Example.com<br><a href="/a">Archive</a> | <a href="/c">Contact</a></cite></div>"#)
        #expect(credit.authors == ["Jane Doe"])
        let address = try article(#"<meta name="author" content="example.es">"#, "")
        #expect(address.authors.isEmpty)
    }

    @Test func summaryIsNeitherTheSiteNameNorATeaserBox() throws {
        let named = try article(#"<meta property="og:description" content="The Example Gazette"><meta name="description" content="The ferry stays after a record turnout.">"#, "")
        #expect(named.summary == "The ferry stays after a record turnout.")
        let related = try article(#"<meta name="description" content="The ferry stays after a record turnout.">"#,
                                  #"<div class="related lead"><p>Another story teased in a box beside this one, with a summary class.</p></div>"#)
        #expect(related.summary == "The ferry stays after a record turnout.")
    }

    @Test func authorCreditBoxAtTheTopLeavesTheText() throws {
        let html = """
        <html lang="en"><head><title>Harbour town votes to keep its ferry</title></head><body>
        <h1>Harbour town votes to keep its ferry</h1>
        <div class="story-body">
        <p class="author vcard"><b class="fn">Jane Doe</b> <span>Senior Harbour Correspondent</span></p>
        <p>Text Size</p>
        <p>Residents of the harbour town voted on Tuesday to keep the century-old ferry running, rejecting a plan to replace it with a bridge.</p>
        <p>The council had argued that a bridge would cut travel times, but opponents said it would change the character of the waterfront.</p>
        </div></body></html>
        """
        let url = "https://example.org/2021/story.html"
        let doc = FetchedDocument(source: FeedSource(location: url, kind: .page), requestedURL: url, finalURL: url,
                                  httpStatus: 200, body: Array(html.utf8), fetchedAt: Date())
        let item = try #require(try ArticleExtractor().extract(doc).items.first)
        #expect(item.authors == ["Jane Doe"])
        #expect(item.content?.hasPrefix("Residents of the harbour town") == true)
    }

    @Test func creditLinesInOtherLanguagesAndWithDates() {
        #expect(MainText.isCreditLine("Par LILIAN ALEMAGNA, LAURE BRETTON Envoyés spéciaux à Toulouse"))
        #expect(MainText.isCreditLine("By Richard Lawler posted Aug 18th 2010 7:30PM"))
        #expect(MainText.isCreditLine("Por Steven Lee Myers, Keith Bradsher y Tariq Panja"))
        #expect(!MainText.isCreditLine("Par exemple, le conseil a voté contre."))
        #expect(!MainText.isCreditLine("By Tuesday, officials had left the harbour."))
        #expect(MainText.isPhotoCredit("Mandel Ngan / AFP / Getty Images", chars: 32))
        #expect(MainText.isPhotoCredit("- Tapie en 2008. REUTERS/Benoit Tessier -", chars: 41))
        #expect(MainText.isPhotoCredit("Arnaud Montebourg, ministre Crédits photo : Jean MARMARA/Le Figaro", chars: 66))
        #expect(!MainText.isPhotoCredit("Getty Images said on Monday it would buy the archive.", chars: 53))
        #expect(MainText.isCourtesyCredit("Courtesy G4", chars: 11))
        #expect(!MainText.isCourtesyCredit("Courtesy calls resumed on Monday.", chars: 33))
    }
}
