import Foundation
import IngestCore
import Parse
import Testing

@Suite struct DocumentDecoderTests {
    private func text(_ d: DecodedDocument) -> String { String(decoding: d.utf8, as: UTF8.self) }

    @Test func gb2312DeclarationReadsAsGB18030() throws {
        let d = DocumentDecoder.decode(try TestPaths.fixture("gb2312-declared.xml"), contentType: nil, kind: .xml)
        #expect(d.encoding == "gb18030")
        #expect(text(d).contains("开源软件与芯片：新闻标题测试"))
        #expect(d.warnings.isEmpty)
    }

    @Test func big5DeclarationReadsAsBig5() throws {
        let d = DocumentDecoder.decode(try TestPaths.fixture("big5-declared.xml"), contentType: "application/rss+xml", kind: .xml)
        #expect(d.encoding == "big5")
        #expect(text(d).contains("開源軟體與晶片：新聞標題測試"))
    }

    @Test func utf8BytesDeclaredGB2312AreReadAsUTF8() throws {
        let d = DocumentDecoder.decode(try TestPaths.fixture("utf8-declared-gb2312.xml"), contentType: nil, kind: .xml)
        #expect(d.encoding == "utf-8")
        #expect(text(d).contains("声明为GB2312但实际是UTF-8"))
        #expect(!d.warnings.isEmpty)
    }

    @Test func undeclaredGB18030IsDetected() throws {
        let d = DocumentDecoder.decode(try TestPaths.fixture("undeclared-gb18030.xml"), contentType: nil, kind: .xml)
        #expect(d.encoding == "gb18030")
        #expect(text(d).contains("国产大模型开源权重"))
    }

    @Test func undeclaredBig5IsDetected() throws {
        let d = DocumentDecoder.decode(try TestPaths.fixture("undeclared-big5.xml"), contentType: nil, kind: .xml)
        #expect(d.encoding == "big5")
        #expect(text(d).contains("半導體產業鏈調整"))
    }

    @Test func undeclaredWindows1252IsDetected() throws {
        let d = DocumentDecoder.decode(try TestPaths.fixture("undeclared-windows-1252.xml"), contentType: nil, kind: .xml)
        #expect(["windows-1252", "iso-8859-1"].contains(d.encoding))
        #expect(text(d).contains("Café news “quoted” – windows-1252"))
        #expect(text(d).contains("€ price of crème brûlée"))
    }

    @Test func byteOrderMarkBeatsEverything() throws {
        let d = DocumentDecoder.decode(try TestPaths.fixture("bom-utf8-declared-latin1.xml"), contentType: "text/xml; charset=iso-8859-1", kind: .xml)
        #expect(d.encoding == "utf-8")
        #expect(d.utf8.first == UInt8(ascii: "<"))
        #expect(text(d).contains("BOM wins: 中文"))
    }

    @Test func httpCharsetBeatsXMLDeclaration() {
        let bytes = Array("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss><channel><title>caf\u{E9}</title></channel></rss>".utf8)
            .flatMap { $0 == 0xC3 ? [] : [$0 == 0xA9 ? 0xE9 : $0] } // "é" as one latin-1 byte
        let d = DocumentDecoder.decode(bytes, contentType: "application/xml; charset=\"ISO-8859-1\"", kind: .xml)
        #expect(d.encoding == "iso-8859-1")
        #expect(text(d).contains("café"))
    }

    @Test func textXMLWithoutCharsetDefaultsToASCII() {
        let d = DocumentDecoder.decode(Array("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><rss/>".utf8), contentType: "text/xml", kind: .xml)
        #expect(d.encoding == "us-ascii")
    }

    @Test func utf16WithoutBOMIsRecognisedByItsFirstCharacter() {
        var bytes: [UInt8] = []
        for u in "<?xml version=\"1.0\"?><rss><channel><title>寬字元</title></channel></rss>".utf16 {
            bytes.append(UInt8(u & 0xFF)); bytes.append(UInt8(u >> 8))
        }
        let d = DocumentDecoder.decode(bytes, contentType: nil, kind: .xml)
        #expect(d.encoding == "utf-16le")
        #expect(text(d).contains("寬字元"))
    }

    @Test func htmlMetaCharsetIsHonoured() {
        let html = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"><title>网页标题</title></head></html>"
        let d = DocumentDecoder.decode(gb18030(html), contentType: "text/html", kind: .html)
        #expect(d.encoding == "gb18030")
        #expect(text(d).contains("网页标题"))
        let d2 = DocumentDecoder.decode(gb18030("<meta charset=\"GBK\"><p>正文内容</p>"), contentType: nil, kind: .html)
        #expect(d2.encoding == "gb18030")
        #expect(text(d2).contains("正文内容"))
    }

    @Test func invalidBytesNeverLeakIntoOutput() {
        let bytes: [UInt8] = Array("<rss><channel><title>".utf8) + [0xFF, 0xFE, 0x80, 0xC3] + Array("</title></channel></rss>".utf8)
        let d = DocumentDecoder.decode(bytes, contentType: "application/xml; charset=utf-8", kind: .xml)
        #expect(String(validating: d.utf8, as: UTF8.self) != nil)
        #expect(!d.warnings.isEmpty)
    }

    private func gb18030(_ s: String) -> [UInt8] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        p.arguments = ["-f", "UTF-8", "-t", "GB18030"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        try? p.run()
        input.fileHandleForWriting.write(Data(s.utf8))
        try? input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return [UInt8](data)
    }

    // MARK: - Corpus

    static let legacyDir = TestPaths.corpusDir("zh-feeds-legacy-gb-big5")
    static let fixturesDir = TestPaths.corpusDir("encoding-fixtures-feedparser")

    @Test(.enabled(if: TestPaths.exists(legacyDir)))
    func legacyChineseFeedsComeOutReadable() throws {
        var failures: [String] = []
        var checked = 0
        for file in TestPaths.files(under: Self.legacyDir) where !file.lastPathComponent.hasPrefix("LICENSE") {
            let expected = file.path.contains("chardet-Big5") ? "big5" : "gb18030"
            let bytes = [UInt8](try Data(contentsOf: file))
            let kind: DocumentKind = file.pathExtension == "html" ? .html : .xml
            let d = DocumentDecoder.decode(bytes, contentType: nil, kind: kind)
            let s = text(d)
            checked += 1
            // "Readable": the declared (or detected) charset, Han text, and at most a stray
            // replacement character (one corpus file has a broken character reference).
            if d.encoding != expected || s.hanCount < 20 || s.replacementCount > 2 {
                failures.append("\(file.lastPathComponent): \(d.encoding), han \(s.hanCount), U+FFFD \(s.replacementCount), \(d.warnings)")
            }
        }
        #expect(checked >= 30)
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test(.enabled(if: TestPaths.exists(fixturesDir)))
    func feedparserEncodingExpectations() throws {
        let data = try Data(contentsOf: Self.fixturesDir.appendingPathComponent("expectations.json"))
        let table = try JSONSerialization.jsonObject(with: data) as! [String: [String: String]]
        var failures: [String] = []
        var checked = 0
        for (name, entry) in table.sorted(by: { $0.key < $1.key }) {
            // ICU's detector has no Thai model; TIS-620 without a declaration is out of reach.
            guard let expect = entry["Expect"], !name.hasSuffix("tis620.xml") else { continue }
            let bytes = [UInt8](try Data(contentsOf: Self.fixturesDir.appendingPathComponent(name)))
            let header = entry["Header"].map { String($0.drop(while: { $0 != ":" }).dropFirst()) }
            let d = DocumentDecoder.decode(bytes, contentType: header, kind: .xml)
            #expect(String(validating: d.utf8, as: UTF8.self) != nil, "\(name) output is not UTF-8")
            guard let r = expect.range(of: "encoding == '") else { continue }
            let want = expect[r.upperBound...].prefix(while: { $0 != "'" }).lowercased()
            checked += 1
            if !Self.sameCharset(d.encoding, want) { failures.append("\(name): got \(d.encoding), want \(want)") }
        }
        #expect(checked >= 60)
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    /// GB2312 is read as its superset GB18030 on purpose; the rest must match.
    static func sameCharset(_ got: String, _ want: String) -> Bool {
        let aliases: [String: String] = ["gb2312": "gb18030", "tis-620": "tis-620", "shift_jis": "shift_jis"]
        return got == (aliases[want] ?? want)
    }
}

/// The text checks in feedparser's encoding expectations, through the whole parser.
@Suite struct EncodingFixtureTextTests {
    static let dir = TestPaths.corpusDir("encoding-fixtures-feedparser")

    /// Reads a Python string literal body ('...' without quotes): \xNN, \uNNNN, \\.
    static func python(_ s: Substring) -> String {
        var out = String.UnicodeScalarView()
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if c == "\\", s.index(after: i) < s.endIndex {
                let k = s[s.index(after: i)]
                let width = k == "x" ? 2 : k == "u" ? 4 : 0
                if width > 0, let start = s.index(i, offsetBy: 2, limitedBy: s.endIndex),
                   let end = s.index(start, offsetBy: width, limitedBy: s.endIndex),
                   let v = UInt32(s[start..<end], radix: 16), let u = Unicode.Scalar(v) {
                    out.append(u)
                    i = end
                    continue
                }
                out.append(k.unicodeScalars.first!)
                i = s.index(i, offsetBy: 2)
                continue
            }
            out.append(contentsOf: c.unicodeScalars)
            i = s.index(after: i)
        }
        return String(out)
    }

    @Test(.enabled(if: TestPaths.exists(dir)))
    func textExpectations() throws {
        let data = try Data(contentsOf: Self.dir.appendingPathComponent("expectations.json"))
        let table = try JSONSerialization.jsonObject(with: data) as! [String: [String: String]]
        var checked = 0
        var failures: [String] = []
        let patterns: [(String, (ParsedFeed) -> String?)] = [
            ("entries[0]['description'] == '", { $0.items.first?.summary }),
            ("entries[0].summary == '", { $0.items.first?.summary }),
            ("feed['title'] == '", { $0.info.title }),
        ]
        for (name, entry) in table.sorted(by: { $0.key < $1.key }) {
            // "Unguessable characters": the expectation is feedparser's own garbage.
            guard let expect = entry["Expect"], !name.contains("linenoise") else { continue }
            for (prefix, pick) in patterns {
                guard let r = expect.range(of: prefix) else { continue }
                let literal = expect[r.upperBound...].prefix(while: { $0 != "'" })
                // feedparser keeps sanitized HTML; we give its plain text.
                let want = HTMLText.plainText(Self.python(literal))
                let bytes = [UInt8](try Data(contentsOf: Self.dir.appendingPathComponent(name)))
                let header = entry["Header"].map { String($0.drop(while: { $0 != ":" }).dropFirst()) }
                let doc = document(bytes, contentType: header)
                let got = (try? FeedParser().parse(doc)).flatMap(pick)
                checked += 1
                if (got ?? "") != want { failures.append("\(name): got \(got.debugDescription), want \(want.debugDescription)") }
            }
        }
        print("encoding text expectations: \(checked - failures.count)/\(checked)")
        #expect(checked >= 5)
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}
