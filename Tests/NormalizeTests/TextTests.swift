import Foundation
import IngestCore
import NewsText
import Testing

private let fetched = Date(timeIntervalSince1970: 1_762_480_800)  // 2025-11-07T10:00:00+08:00

private func local(_ b: Byline?) -> String? {
    b?.date.map { RFC3339.local($0.instant, offsetSeconds: $0.utcOffsetSeconds) }
}

@Suite("Source registry")
struct SourceRegistryTests {
    @Test func shipsAtLeastSixtyOutletsAcrossRegions() {
        let r = shippedRegistry
        #expect(r.sources.count >= 60)
        let zones = Set(r.sources.compactMap(\.timeZone))
        #expect(zones.isSuperset(of: ["Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Europe/London", "America/New_York"]))
        for required in ["钛媒体", "36氪", "新浪", "网易", "澎湃", "财新", "新华社", "人民日报", "界面", "虎嗅", "IT之家",
                         "联合早报", "BBC 中文", "FT中文网", "Reuters", "AP", "Bloomberg", "the Guardian", "中国网", "参考消息",
                         "央视", "环球时报", "南华早报", "端传媒", "中央社", "联合报", "自由时报", "NYT", "WSJ", "CNN"] {
            #expect(r.source(named: required) != nil, "registry lacks \(required)")
        }
    }

    @Test func coversTheWeChatCorpusAccounts() throws {
        guard corpusExists else { return }
        let data = try Data(contentsOf: corpusRoot.appendingPathComponent("zh-feeds-wechat-feeds-2021/index.json"))
        let accounts = try JSONSerialization.jsonObject(with: data) as! [[String: Any]]
        let missing = accounts.compactMap { $0["account"] as? String }.filter { shippedRegistry.source(named: $0) == nil }
        #expect(missing.isEmpty, "accounts without a registry entry: \(missing)")
    }

    @Test("Name lookup tolerates spacing, case, full width and script", arguments: [
        ("Tai Mei Ti A P P", "tmtpost"), ("TaiMeiTiAPP", "tmtpost"), ("tmtpost", "tmtpost"), ("TMTPost", "tmtpost"),
        ("钛媒体", "tmtpost"), ("钛媒体ＡＰＰ", "tmtpost"), ("reuters", "reuters"), ("The Guardian", "guardian"),
        ("聯合報", "udn"), ("联合报", "udn"), ("中央社", "cna"), ("BBC中文网", "bbc-chinese"), ("新浪科技", "sina"),
    ])
    func byName(name: String, id: String) {
        #expect(shippedRegistry.source(named: name)?.id == id)
    }

    @Test("Domain lookup from URLs, subdomains and path-scoped domains", arguments: [
        ("https://www.tmtpost.com/7712345.html", "tmtpost"), ("https://tech.sina.com.cn/i/2025-11-07/doc.shtml", "sina"),
        ("https://www.bbc.com/zhongwen/simp/world-123", "bbc-chinese"), ("https://www.bbc.com/news/world-123", "bbc"),
        ("http://news.163.com:80/25/1107/x.html", "163"), ("https://www.reuters.com/world/china/", "reuters"),
    ])
    func byDomain(url: String, id: String) {
        #expect(shippedRegistry.source(forURL: url)?.id == id)
    }

    @Test func unknownsAreNil() {
        #expect(shippedRegistry.source(named: "Nonexistent Gazette") == nil)
        #expect(shippedRegistry.source(forURL: "https://example.org/a") == nil)
        #expect(shippedRegistry.source(forURL: "not a url") == nil)
        for odd in ["http://", "http://user@", "https://:80/", "https://[::1]:8080/x", "//reuters.com/x", "https://REUTERS.COM:443"] {
            _ = shippedRegistry.source(forURL: odd)  // must not trap
        }
        #expect(shippedRegistry.source(forURL: "https://REUTERS.COM:443")?.id == "reuters")
        #expect(shippedRegistry.source(forURL: "https://user:pw@www.reuters.com/x")?.id == "reuters")
    }

    @Test func badRegistryFilesGiveAClearReason() {
        #expect(throws: SourceRegistryError.self) { try SourceRegistry(yaml: "sources: [{name: x}]", origin: "t.yaml") }
        do {
            _ = try SourceRegistry(yaml: "sources:\n  - {id: a, name: A, time_zone: Mars/Base}\n", origin: "t.yaml")
            Issue.record("unknown zone accepted")
        } catch {
            #expect("\(error)".contains("t.yaml"))
            #expect("\(error)".contains("Mars/Base"))
        }
        #expect(throws: SourceRegistryError.self) {
            try SourceRegistry(yaml: "sources:\n  - {id: a, name: A}\n  - {id: a, name: B}\n", origin: "t.yaml")
        }
    }
}

@Suite("Bylines")
struct BylineTests {
    @Test func seedByline() {
        let b = Byline.parse("Tai Mei Ti A P P·2025-11-07 02:25", registry: shippedRegistry, reference: fetched)
        #expect(b?.source == SourceRef(id: "tmtpost", name: "钛媒体APP", nameEn: "TMTPost App"))
        #expect(b?.sourceText == "Tai Mei Ti A P P")
        #expect(b?.dateText == "2025-11-07 02:25")
        #expect(local(b) == "2025-11-07T02:25:00+08:00")
        #expect(b.map { RFC3339.utc($0.date!.instant) } == "2025-11-06T18:25:00Z")
    }

    @Test("Chinese byline forms", arguments: [
        ("中国网 2019-11-25 10:37:31", "chinanet", "2019-11-25T10:37:31+08:00"),
        ("2019年11月25日 18:57 参考消息", "cankaoxiaoxi", "2019-11-25T18:57:00+08:00"),
        ("来源：新华网 2020-03-01", "xinhua", "2020-03-01T00:00:00+08:00"),
        ("2019-09-07 13:43:45　来源: 网易科技", "163", "2019-09-07T13:43:45+08:00"),
        ("发布时间：2025-11-07 02:25 来源：澎湃新闻", "thepaper", "2025-11-07T02:25:00+08:00"),
        ("2019年09月07日 04:04 北京日报", "bjd", "2019-09-07T04:04:00+08:00"),
        ("2019-09-07 16:28:35　来源: 新京报", "bjnews", "2019-09-07T16:28:35+08:00"),
        ("2018年12月28日 19:55 新京报", "bjnews", "2018-12-28T19:55:00+08:00"),
        ("2019年09月09日 20:52 新浪财经-自媒体综合", "sina", "2019-09-09T20:52:00+08:00"),
    ])
    func chinese(text: String, id: String, expected: String) {
        let b = Byline.parse(text, registry: shippedRegistry, reference: fetched)
        #expect(b?.source?.id == id)
        #expect(local(b) == expected)
    }

    @Test func unknownOutletKeepsItsPrintedName() {
        let b = Byline.parse("2019-09-05 11:10 游民星空[整理]", registry: nil, reference: fetched)
        #expect(b?.source == SourceRef(name: "游民星空"))
        #expect(local(b) == "2019-09-05T11:10:00+08:00")
    }

    @Test func authorsAndSourceTogether() {
        let b = Byline.parse("来源：人民日报　作者：张三 李四　责任编辑：王五", registry: shippedRegistry, reference: fetched)
        #expect(b?.source?.id == "people")
        #expect(b?.authors == ["张三", "李四"])
        #expect(b?.date == nil)
    }

    @Test func englishBylines() {
        let b = Byline.parse("By Jane Doe, Reuters", registry: shippedRegistry, reference: fetched)
        #expect(b?.authors == ["Jane Doe"])
        #expect(b?.source?.id == "reuters")
        #expect(b?.source?.nameEn == "Reuters")
        let two = Byline.parse("By Jane Doe and John Roe | Bloomberg", registry: shippedRegistry, reference: fetched)
        #expect(two?.authors == ["Jane Doe", "John Roe"])
        #expect(two?.source?.id == "bloomberg")
        let dated = Byline.parse("By Jane Doe, Associated Press, Nov. 7, 2025 2:25 PM EST", registry: shippedRegistry, reference: fetched)
        #expect(dated?.source?.id == "ap")
        #expect(dated?.date.map { RFC3339.utc($0.instant) } == "2025-11-07T19:25:00Z")
    }

    @Test func personAndOutletWithoutBy() {
        let b = Byline.parse("Jane Doe | Reuters | Nov 7, 2025", registry: shippedRegistry, reference: fetched)
        #expect(b?.authors == ["Jane Doe"])
        #expect(b?.source?.id == "reuters")
        #expect(b?.date.map { RFC3339.utc($0.instant) } == "2025-11-07T00:00:00Z")
    }

    @Test func relativeBylineDate() {
        let b = Byline.parse("36氪 · 3小时前", registry: shippedRegistry, reference: fetched)
        #expect(b?.source?.id == "36kr")
        #expect(local(b) == "2025-11-07T07:00:00+08:00")
    }

    @Test func nothingToFind() {
        #expect(Byline.parse("", registry: shippedRegistry) == nil)
        #expect(Byline.parse("举报 字号", registry: shippedRegistry) == nil)
    }

    /// Real bylines from the GNE article corpus: the page's own date line gives the ground-truth time.
    @Test(.enabled(if: corpusExists)) func gneCorpusBylines() throws {
        let data = try Data(contentsOf: corpusRoot.appendingPathComponent("zh-articles-gne/gne_output_result.json"))
        let truth = try JSONSerialization.jsonObject(with: data) as! [String: [String: Any]]
        var checked = 0, right = 0
        var misses: [String] = []
        for (file, v) in truth {
            guard let when = v["publish_time"] as? String, when.count >= 16,
                  let html = try? String(contentsOf: corpusRoot.appendingPathComponent("zh-articles-gne").appendingPathComponent(file), encoding: .utf8)
            else { continue }
            // The first text node (not markup) holding the date is the byline candidate.
            let day = String(when.prefix(10))
            var line: String?
            var from = html.startIndex
            while let r = html.range(of: day, range: from..<html.endIndex) {
                from = r.upperBound
                let start = html[..<r.lowerBound].lastIndex(where: { $0 == ">" || $0 == "<" })
                guard let s0 = start, html[s0] == ">" else { continue }
                let end = html[r.lowerBound...].firstIndex(of: "<") ?? html.endIndex
                line = String(html[html.index(after: s0)..<end])
                break
            }
            // Script bodies are not bylines.
            guard let text = line, !text.contains("{"), text.count < 200 else { continue }
            let shanghai = TimeZone(identifier: "Asia/Shanghai")!
            guard let expected = NewsDate.parse(when, defaultZone: shanghai, reference: fetched, chineseContext: true) else { continue }
            checked += 1
            // The page is Chinese, so the extractor passes its zone for bylines that are only digits.
            let b = Byline.parse(text, registry: shippedRegistry, defaultZone: shanghai, reference: fetched)
            if let d = b?.date, abs(d.instant.timeIntervalSince(expected.instant)) < 60 {
                right += 1
            } else {
                misses.append("\(file): \(text)")
            }
        }
        #expect(checked >= 10)
        #expect(Double(right) >= Double(checked) * 0.85, "byline dates right on \(right) of \(checked); missed \(misses)")
    }
}

@Suite("Language")
struct LanguageTests {
    @Test("Detected from the text", arguments: [
        ("当全球习惯了中国技术，所谓“脱钩”就失去了根基", "zh-Hans"),
        ("當全球習慣了中國技術，所謂「脫鉤」就失去了根基", "zh-Hant"),
        ("DeepSeek开源了模型权重", "zh-Hans"),
        ("DeepSeek開源了模型權重", "zh-Hant"),
        ("OpenAI发布GPT-5", "zh-Hans"),
        ("懂得放手嗎", "zh-Hant"),  // 嗎 only in ICU's full table
        ("著名作家回应", "zh-Hans"),  // 著 is Simplified too
        ("Apple unveils new M5 chip for MacBook Pro", "en"),
        ("China's exports rise as US tariffs bite", "en"),
        ("Xi 习近平 meets Biden in San Francisco", "en"),
        ("東京で新しいAIモデルが発表された", "ja"),
        ("삼성전자, 새로운 반도체 공개", "ko"),
        ("Китай снизил пошлины на американские товары", "ru"),
        ("الصين تخفض الرسوم الجمركية", "ar"),
        ("پاکستان ان دہشت گرد گروہوں کے خلاف کارروائی کرے", "ur"),
        ("PSP deteve mais de 800 pessoas nas festas de Natal", "pt"),
        // Initialisms are one word: the letters of C.E.O. are not Portuguese `e` and `o`.
        ("Exxon Mobil Names New C.E.O.", "en"),
        ("U.S. and E.U. Reach Deal on Steel", "en"),
        ("O presidente e o ministro da economia discutem o orçamento", "pt"),
        ("A. Silva e o P. Costa: o debate da noite", "pt"),
        ("Le gouvernement annonce une nouvelle loi sur les données", "fr"),
        ("Die Regierung und der Bundestag streiten über das Gesetz", "de"),
    ])
    func detect(text: String, expected: String) {
        #expect(LanguageDetector.detect(text) == expected)
    }

    @Test func declarationOnlyBreaksTies() {
        // No script-specific character: the hint decides; a wrong hint never overrides the text.
        #expect(LanguageDetector.detect("日本首相", hint: "zh-TW") == "zh-Hant")
        #expect(LanguageDetector.detect("日本首相", hint: nil) == "zh-Hans")
        #expect(LanguageDetector.detect("当全球习惯了中国技术", hint: "zh-TW") == "zh-Hans")
        #expect(LanguageDetector.detect("   ") == nil)
    }
}
