import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The bundled demo feeds are test material for the whole pipeline; these checks keep them
/// the shape the demo and the end-to-end tests rely on.
@Suite struct ConfigSampleFeedsTests {
    static let samples = ConfigPaths.packageRoot.appendingPathComponent("feeds/samples")

    /// Items as (element path -> texts) plus attributes, collected with Foundation's parser.
    final class Collector: NSObject, XMLParserDelegate {
        var items: [[String: [String]]] = []
        var attributes: [(String, [String: String])] = []
        var error: Error?
        private var current: [String: [String]]?
        private var text = ""
        func parser(_ p: XMLParser, didStartElement n: String, namespaceURI: String?, qualifiedName q: String?, attributes a: [String: String] = [:]) {
            if n == "item" || n == "entry" { current = [:] }
            attributes.append((n, a))
            text = ""
        }
        func parser(_ p: XMLParser, foundCharacters s: String) { text += s }
        func parser(_ p: XMLParser, foundCDATA d: Data) { text += String(decoding: d, as: UTF8.self) }
        func parser(_ p: XMLParser, didEndElement n: String, namespaceURI: String?, qualifiedName q: String?) {
            if n == "item" || n == "entry" { if let c = current { items.append(c) }; current = nil }
            else if current != nil { current![n, default: []].append(text.trimmingCharacters(in: .whitespacesAndNewlines)) }
            text = ""
        }
        func parser(_ p: XMLParser, parseErrorOccurred e: Error) { if error == nil { error = e } }
    }

    func parse(_ data: Data) -> Collector {
        let parser = XMLParser(data: data)
        let c = Collector()
        parser.delegate = c
        _ = parser.parse()
        return c
    }

    func iconv(_ data: Data, from: String) throws -> Data? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        p.arguments = ["-f", from, "-t", "UTF-8"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = FileHandle.nullDevice
        try p.run()
        input.fileHandleForWriting.write(data)
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return p.terminationStatus == 0 ? out : nil
    }

    @Test func chineseRSSCarriesTheSeedItem() throws {
        let c = parse(try Data(contentsOf: Self.samples.appendingPathComponent("zh-tech.rss.xml")))
        #expect(c.error == nil)
        #expect(c.items.count >= 8)
        let seed = try #require(c.items.first { $0["title"]?.first == "当全球习惯了中国技术,所谓“脱钩”就失去了根基" })
        #expect(seed["pubDate"] == ["Fri, 07 Nov 2025 02:25:00 +0800"])
        #expect(seed["source"] == ["钛媒体APP"])
        #expect(seed["description"]?.first?.hasPrefix("Core Insights - The article emphasizes China's commitment to an open-source approach") == true)
        #expect(c.items.allSatisfy { $0["pubDate"]?.first?.hasSuffix("+0800") == true })
        #expect(c.items.filter { $0["dc:creator"] != nil }.count >= 6)
        #expect(c.items.allSatisfy { $0["category"] != nil })
        #expect(c.items.contains { $0["title"]?.first?.contains("开源节流") == true })
        #expect(c.items.contains { $0["title"]?.first?.contains("出口管制") == true })
        #expect(c.items.contains { $0["title"]?.first?.contains("新能源汽车") == true })
    }

    @Test func englishAtomUsesRelativeLinksAndHTMLSummaries() throws {
        let c = parse(try Data(contentsOf: Self.samples.appendingPathComponent("en-tech.atom.xml")))
        #expect(c.error == nil)
        #expect(c.items.count >= 8)
        #expect(c.attributes.first { $0.0 == "feed" }?.1["xml:base"] == "https://tech.example.com/")
        let entryLinks = c.attributes.filter { $0.0 == "link" && $0.1["rel"] == "alternate" }.compactMap { $0.1["href"] }
        #expect(entryLinks.filter { $0.hasPrefix("2025/") }.count == 8)
        #expect(c.attributes.contains { $0.0 == "summary" && $0.1["type"] == "html" })
        #expect(c.items.contains { $0["title"]?.first?.contains("sources said") == true })
        #expect(c.items.contains { $0["title"]?.first?.lowercased().contains("decoupling") == true })
    }

    @Test func mixedFeedHasTraditionalChineseAndEnglish() throws {
        let c = parse(try Data(contentsOf: Self.samples.appendingPathComponent("mixed.rss.xml")))
        #expect(c.error == nil)
        let titles = c.items.compactMap { $0["title"]?.first }
        #expect(titles.contains { $0.contains("晶片") || $0.contains("脫鉤") })
        #expect(titles.filter { $0.unicodeScalars.allSatisfy(\.isASCII) }.count >= 2)
    }

    @Test func gbkFeedIsGB18030UnderAGB2312Declaration() throws {
        let bytes = try Data(contentsOf: Self.samples.appendingPathComponent("zh-gbk.rss.xml"))
        #expect(String(data: bytes, encoding: .utf8) == nil)
        #expect(bytes.starts(with: Data(#"<?xml version="1.0" encoding="gb2312"?>"#.utf8)))
        // Characters outside GB2312 are there on purpose: only a GBK/GB18030 reading succeeds.
        #expect(try iconv(bytes, from: "GB2312") == nil)
        let utf8 = try #require(try iconv(bytes, from: "GB18030"))
        let text = String(decoding: utf8, as: UTF8.self)
        #expect(text.contains("王喆"))
        let c = parse(Data(text.replacingOccurrences(of: "encoding=\"gb2312\"", with: "encoding=\"utf-8\"").utf8))
        #expect(c.error == nil)
        #expect(c.items.count == 4)
    }
}
