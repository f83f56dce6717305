import Foundation
import IngestCore
import Parse
import Testing

/// libxml2 reads a body in place only when a 0 follows its last byte; otherwise it reads
/// past the end (on into whatever the array's spare capacity holds), so the body must be
/// copied. These tests put text, not zeros, in that spare capacity.
@Suite struct InPlaceParseTests {
    let parser = FeedParser()

    /// `bytes` with `tail` written into the storage just past the end and then dropped, so
    /// the array's spare capacity holds text rather than a terminator.
    static func withJunkAfterEnd(_ bytes: [UInt8], _ tail: String = "GARBAGE</title><title>x") -> [UInt8] {
        var b = bytes
        let junk = Array(tail.utf8)
        b.append(contentsOf: junk)
        b.removeLast(junk.count)
        return b
    }

    static func terminated(_ bytes: [UInt8]) -> [UInt8] {
        var b = bytes
        b.leaveNULAfterEnd()
        return b
    }

    @Test("leaveNULAfterEnd leaves a terminator that withNULTerminatedBytes sees; junk past the end is not one")
    func terminatorIsSeenOnlyWhenThere() {
        let text = Array("<rss/>".utf8)
        #expect(Self.terminated(text).withNULTerminatedBytes { $1 })
        #expect(Self.terminated(text).withNULTerminatedBytes { buf, _ in Array(buf) } == text)
        #expect(!Self.withJunkAfterEnd(text).withNULTerminatedBytes { $1 })
        var exact: [UInt8] = []
        exact.reserveCapacity(0)
        #expect(!exact.withNULTerminatedBytes { $1 })
    }

    @Test("a truncated feed with text past its end reads only its own bytes, in place or copied")
    func truncatedFeedReadsOnlyItsBytes() throws {
        let feed = Array(#"<?xml version="1.0"?><rss version="2.0"><channel><title>C</title><item><title>Hello"#.utf8)
        for body in [Self.withJunkAfterEnd(feed), Self.terminated(feed)] {
            let parsed = try parser.parse(document(body))
            #expect(parsed.items.map(\.title) == ["Hello"])
        }
    }

    @Test("a feed read in place gives the same items and feed facts as one copied first (project feeds and the shared corpus)")
    func inPlaceMatchesCopied() throws {
        var files = TestPaths.files(under: TestPaths.packageRoot.appendingPathComponent("feeds"))
        for dir in ["feeds-parser-fixtures-en-multi", "zh-feeds-legacy-gb-big5", "encoding-fixtures-feedparser"] {
            let url = TestPaths.corpusDir(dir)
            if TestPaths.exists(url) { files += TestPaths.files(under: url).prefix(400) }
        }
        var compared = 0
        for file in files where ["xml", "rss", "atom", "rdf"].contains(file.pathExtension.lowercased()) {
            let bytes = [UInt8](try Data(contentsOf: file))
            let inPlace = Result { try parser.parse(document(Self.terminated(bytes))) }
            let copied = Result { try parser.parse(document(Self.withJunkAfterEnd(bytes))) }
            switch (inPlace, copied) {
            case (.success(let a), .success(let b)):
                #expect(a.items == b.items, "\(file.path)")
                #expect(a.info.title == b.info.title && a.info.link == b.info.link, "\(file.path)")
                compared += 1
            case (.failure(let a), .failure(let b)):
                #expect("\(a)" == "\(b)", "\(file.path)")
            default:
                Issue.record("\(file.path): one way parsed and the other did not")
            }
        }
        #expect(compared >= 3)
    }
}
