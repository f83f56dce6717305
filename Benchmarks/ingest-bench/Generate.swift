import Foundation

/// Deterministic pseudo-random numbers: the same seed gives byte-identical corpora on
/// every machine, so figures from different days compare the same bytes.
struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ a: [T]) -> T { a[below(a.count)] }
}

/// Writes a mixed bilingual feed corpus: RSS 2.0, Atom 1.0, RSS 1.0 and JSON Feed,
/// Chinese and English, HTML bodies escaped or in CDATA, ~3% re-encoded to GB18030
/// under a gb2312 declaration (what many Chinese portals really serve).
struct CorpusGenerator {
    enum Format: String { case rss2, atom, rss1, json }

    var rng = SplitMix(state: 20_251_107)
    let directory: URL
    let targetBytes: Int

    static let english = [
        "market", "shares", "chip", "chips", "tariffs", "trade", "officials", "said", "on", "the", "a", "of", "in",
        "and", "to", "for", "new", "China", "Beijing", "Shanghai", "startup", "open-source", "AI", "model",
        "semiconductor", "export", "controls", "battery", "electric", "vehicles", "supply", "chain", "growth",
        "quarter", "profit", "investors", "policy", "regulators", "data", "security", "cloud", "platform",
        "launch", "report", "analysts", "expected", "rise", "fall", "percent", "billion", "yuan", "dollar",
        "Tuesday", "week", "central", "bank", "rates", "property", "developers", "smartphone", "Huawei",
        "factory", "output", "consumer", "demand", "research", "university", "students", "weather", "typhoon",
        "football", "league", "film", "box", "office", "satellite", "launches", "rocket", "robotics", "drones",
    ]
    static let chinese = [
        "芯片", "开源", "人工智能", "关税", "贸易", "市场", "股价", "公司", "发布", "新能源汽车", "电池", "数据安全",
        "监管", "部门", "表示", "今年", "第三季度", "利润", "增长", "投资者", "北京", "上海", "深圳", "科技",
        "企业", "政策", "出口", "管制", "供应链", "消费", "需求", "研究", "大学", "学生", "天气", "台风", "足球",
        "联赛", "电影", "票房", "卫星", "火箭", "机器人", "无人机", "央行", "利率", "房地产", "开发商", "手机",
        "华为", "工厂", "产量", "记者", "获悉", "据了解", "同比", "上涨", "下降", "亿元", "美元", "会议", "国际",
        "合作", "创新", "平台", "云计算", "模型", "算法", "半导体", "光伏", "储能", "物流", "电商", "直播",
    ]
    static let zhPunct = ["，", "。", "、", "：", "；", "“", "”", "（", "）"]
    static let hostsZh = ["news.example.cn", "tech.example.com.cn", "finance.example.cn", "www.example.net.cn"]
    static let hostsEn = ["www.example.com", "news.example.org", "tech.example.net", "markets.example.com"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    init(directory: URL, megabytes: Int) {
        self.directory = directory
        self.targetBytes = megabytes * 1_000_000
    }

    struct Summary { var feeds = 0, items = 0, bytes = 0, gbk = 0, byFormat: [String: Int] = [:], zh = 0 }

    mutating func run() throws -> Summary {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // Stale files from a larger earlier corpus would silently join the run.
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path)
        where name.hasPrefix("feed-") {
            try FileManager.default.removeItem(at: directory.appendingPathComponent(name))
        }
        var summary = Summary()
        var index = 0
        while summary.bytes < targetBytes {
            let gbk = index % 33 == 7
            let format: Format
            switch index % 20 {
            case 0...8, 17, 18: format = .rss2
            case 9...13: format = .atom
            case 14...16: format = .rss1
            default: format = .json
            }
            let chosen: Format = gbk ? (index % 2 == 0 ? .rss2 : .atom) : format
            let zh = gbk || rng.chance(55)
            let itemCount = 10 + rng.below(44)
            var text = feed(index: index, format: chosen, zh: zh, items: itemCount, gbk: gbk)
            let ext = chosen == .json ? "json" : "xml"
            let name = String(format: "feed-%04d%@.%@", index, gbk ? "-gbk" : "", ext)
            let url = directory.appendingPathComponent(name)
            var bytes: Int
            if gbk {
                bytes = try Self.writeGB18030(text, to: url)
            } else {
                let data = Data(text.utf8)
                try data.write(to: url)
                bytes = data.count
            }
            text = ""
            summary.feeds += 1
            summary.items += itemCount
            summary.bytes += bytes
            summary.gbk += gbk ? 1 : 0
            summary.zh += zh ? 1 : 0
            summary.byFormat[chosen.rawValue, default: 0] += 1
            index += 1
        }
        return summary
    }

    /// Through the system's iconv, the converter the brief names, so the bytes are what a
    /// GBK-serving site would produce rather than our own table's idea of GB18030.
    static func writeGB18030(_ text: String, to url: URL) throws -> Int {
        let tmp = url.appendingPathExtension("utf8")
        try Data(text.utf8).write(to: tmp)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        p.arguments = ["-f", "UTF-8", "-t", "GB18030", "-o", url.path, tmp.path]
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw BenchError("iconv failed (status \(p.terminationStatus)) converting \(url.lastPathComponent)")
        }
        let attrs = try FileManager.default.attributesOfItem(atPath: url.path)
        return (attrs[.size] as? Int) ?? 0
    }

    // MARK: Text

    mutating func headline(zh: Bool) -> String {
        if zh {
            var s = rng.chance(15) ? "【快讯】" : ""
            let n = 5 + rng.below(6)
            for k in 0..<n {
                s += rng.pick(Self.chinese)
                if k == n / 2 && rng.chance(50) { s += rng.chance(50) ? "：" : "，" }
            }
            if rng.chance(20) { s += " AI" }
            return s
        }
        let n = 6 + rng.below(7)
        var words: [String] = []
        for k in 0..<n {
            var w = rng.pick(Self.english)
            if k == 0 || rng.chance(30) { w = w.prefix(1).uppercased() + w.dropFirst() }
            words.append(w)
        }
        if rng.chance(20) { words.insert("Q&A:", at: 0) }
        if rng.chance(15) { words.append("\u{2014} \u{201C}Exclusive\u{201D}") }
        return words.joined(separator: " ")
    }

    mutating func sentence(zh: Bool) -> String {
        if zh {
            var s = ""
            let n = 8 + rng.below(14)
            for k in 0..<n {
                s += rng.pick(Self.chinese)
                if k > 0 && k < n - 1 && rng.chance(18) { s += rng.pick(["，", "、", "；"]) }
            }
            return s + "。"
        }
        let n = 10 + rng.below(16)
        var words: [String] = []
        for _ in 0..<n { words.append(rng.pick(Self.english)) }
        words[0] = words[0].prefix(1).uppercased() + words[0].dropFirst()
        return words.joined(separator: " ") + "."
    }

    /// An HTML body as publishers write it: paragraphs, links with tracking parameters,
    /// images, emphasis and the HTML entities (`&nbsp;`, `&ldquo;`) XML itself lacks.
    mutating func htmlBody(zh: Bool, host: String, paragraphs: Int) -> String {
        var html = ""
        for p in 0..<paragraphs {
            html += "<p>"
            let sentences = 1 + rng.below(4)
            for s in 0..<sentences {
                var sent = sentence(zh: zh)
                if s == 0 && rng.chance(30) { sent = "<strong>" + sent + "</strong>" }
                html += sent
                if rng.chance(12) { html += zh ? "&nbsp;" : " &amp; " }
                if rng.chance(8) { html += "&ldquo;\(zh ? "重要" : "key")&rdquo;" }
            }
            if rng.chance(25) {
                html += " <a href=\"https://\(host)/related/\(rng.below(100_000)).html?utm_source=rss&amp;utm_medium=feed\">"
                html += zh ? "相关阅读" : "Read more"
                html += "</a>"
            }
            html += "</p>\n"
            if p == 0 && rng.chance(30) {
                html += "<p><img src=\"https://img.\(host)/\(rng.below(1_000_000)).jpg\" alt=\"\(zh ? "图片" : "photo")\" width=\"640\"/></p>\n"
            }
        }
        return html
    }

    func rfc822(_ t: Int, zh: Bool) -> String {
        let d = Date(timeIntervalSince1970: TimeInterval(t))
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(secondsFromGMT: zh ? 8 * 3600 : 0)!
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: d)
        return String(
            format: "%@, %02d %@ %04d %02d:%02d:%02d %@", Self.weekdays[(c.weekday! + 5) % 7], c.day!,
            Self.months[c.month! - 1], c.year!, c.hour!, c.minute!, c.second!, zh ? "+0800" : "GMT")
    }

    func rfc3339(_ t: Int, zh: Bool) -> String {
        let d = Date(timeIntervalSince1970: TimeInterval(t))
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(secondsFromGMT: zh ? 8 * 3600 : 0)!
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: d)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d%@", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!,
            zh ? "+08:00" : "Z")
    }

    static func xmlEscape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    static func jsonEscape(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if ch.value < 0x20 { out += String(format: "\\u%04x", ch.value) } else { out.unicodeScalars.append(ch) }
            }
        }
        return out + "\""
    }

    // MARK: Feeds

    mutating func feed(index: Int, format: Format, zh: Bool, items: Int, gbk: Bool) -> String {
        let host = zh ? rng.pick(Self.hostsZh) : rng.pick(Self.hostsEn)
        let lang = zh ? "zh-CN" : "en-US"
        let title = zh ? "\(rng.pick(Self.chinese))\(rng.pick(Self.chinese))频道 \(index)" : "Example \(rng.pick(Self.english).capitalized) News \(index)"
        var t = 1_764_000_000 - rng.below(86_400 * 30)
        let useCDATA = rng.chance(50)
        let withContent = rng.chance(35)
        let decl = gbk ? "<?xml version=\"1.0\" encoding=\"gb2312\"?>\n" : "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        var s = ""
        s.reserveCapacity(items * 2400)

        func wrapHTML(_ html: String) -> String {
            useCDATA ? "<![CDATA[" + html + "]]>" : Self.xmlEscape(html)
        }

        switch format {
        case .rss2:
            s += decl
            s += "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n"
            s += "<title>\(Self.xmlEscape(title))</title>\n<link>https://\(host)/</link>\n"
            s += "<description>\(Self.xmlEscape(title)) \(zh ? "最新报道" : "latest stories")</description>\n"
            s += "<language>\(lang)</language>\n<ttl>30</ttl>\n"
            s += "<atom:link href=\"https://\(host)/rss/\(index).xml\" rel=\"self\" type=\"application/rss+xml\"/>\n"
            for j in 0..<items {
                t -= 300 + rng.below(7200)
                let path = "/\(2025)/\(index)/\(j).html"
                s += "<item>\n<title>\(Self.xmlEscape(headline(zh: zh)))</title>\n"
                s += "<link>https://\(host)\(path)?utm_source=rss&amp;utm_campaign=feed</link>\n"
                s += "<guid isPermaLink=\"false\">\(host)-\(index)-\(j)</guid>\n"
                s += "<pubDate>\(rfc822(t, zh: zh))</pubDate>\n"
                if rng.chance(60) { s += "<dc:creator>\(zh ? "记者 " + rng.pick(["张伟", "王芳", "李娜", "刘洋"]) : rng.pick(["Jane Doe", "John Smith", "Li Wei"]))</dc:creator>\n" }
                s += "<category>\(zh ? rng.pick(["科技", "财经", "国际"]) : rng.pick(["Tech", "Business", "World"]))</category>\n"
                s += "<description>\(wrapHTML(htmlBody(zh: zh, host: host, paragraphs: 1 + rng.below(withContent ? 2 : 5))))</description>\n"
                if withContent {
                    s += "<content:encoded><![CDATA[\(htmlBody(zh: zh, host: host, paragraphs: 2 + rng.below(5)))]]></content:encoded>\n"
                }
                s += "</item>\n"
            }
            s += "</channel>\n</rss>\n"
        case .atom:
            s += decl
            s += "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"\(lang)\">\n"
            s += "<title type=\"text\">\(Self.xmlEscape(title))</title>\n<id>tag:\(host),2025:feed-\(index)</id>\n"
            s += "<link rel=\"alternate\" href=\"https://\(host)/\"/>\n<link rel=\"self\" href=\"https://\(host)/atom/\(index).xml\"/>\n"
            s += "<updated>\(rfc3339(t, zh: zh))</updated>\n"
            let xhtml = rng.chance(25)
            for j in 0..<items {
                t -= 300 + rng.below(7200)
                s += "<entry>\n<title type=\"html\">\(Self.xmlEscape(headline(zh: zh)))</title>\n"
                s += "<id>tag:\(host),2025:\(index)-\(j)</id>\n"
                s += "<link rel=\"alternate\" type=\"text/html\" href=\"/\(index)/\(j).html?utm_medium=atom\"/>\n"
                s += "<published>\(rfc3339(t, zh: zh))</published>\n<updated>\(rfc3339(t + 600, zh: zh))</updated>\n"
                s += "<author><name>\(zh ? rng.pick(["张伟", "王芳"]) : rng.pick(["Jane Doe", "Li Wei"]))</name></author>\n"
                s += "<category term=\"\(zh ? "科技" : "tech")\"/>\n"
                s += "<summary type=\"html\">\(Self.xmlEscape(sentence(zh: zh) + sentence(zh: zh)))</summary>\n"
                let body = htmlBody(zh: zh, host: host, paragraphs: 2 + rng.below(6))
                if xhtml {
                    // XHTML content is real markup: HTML-only entities are not allowed there.
                    let clean = body.replacingOccurrences(of: "&nbsp;", with: "\u{00A0}")
                        .replacingOccurrences(of: "&ldquo;", with: "\u{201C}").replacingOccurrences(of: "&rdquo;", with: "\u{201D}")
                    s += "<content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">\(clean)</div></content>\n"
                } else {
                    s += "<content type=\"html\">\(wrapHTML(body))</content>\n"
                }
                s += "</entry>\n"
            }
            s += "</feed>\n"
        case .rss1:
            s += decl
            s += "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n"
            s += "<channel rdf:about=\"https://\(host)/rdf/\(index)\">\n<title>\(Self.xmlEscape(title))</title>\n<link>https://\(host)/</link>\n"
            s += "<description>\(Self.xmlEscape(title))</description>\n<dc:language>\(lang)</dc:language>\n<items><rdf:Seq>\n"
            for j in 0..<items { s += "<rdf:li rdf:resource=\"https://\(host)/\(index)/\(j).html\"/>\n" }
            s += "</rdf:Seq></items>\n</channel>\n"
            for j in 0..<items {
                t -= 300 + rng.below(7200)
                s += "<item rdf:about=\"https://\(host)/\(index)/\(j).html\">\n<title>\(Self.xmlEscape(headline(zh: zh)))</title>\n"
                s += "<link>https://\(host)/\(index)/\(j).html</link>\n<dc:date>\(rfc3339(t, zh: zh))</dc:date>\n"
                s += "<dc:creator>\(zh ? "本报记者" : "Staff")</dc:creator>\n<dc:subject>\(zh ? "财经" : "markets")</dc:subject>\n"
                s += "<description>\(wrapHTML(htmlBody(zh: zh, host: host, paragraphs: 1 + rng.below(5))))</description>\n"
                s += "</item>\n"
            }
            s += "</rdf:RDF>\n"
        case .json:
            s += "{\n\"version\": \"https://jsonfeed.org/version/1.1\",\n\"title\": \(Self.jsonEscape(title)),\n"
            s += "\"home_page_url\": \"https://\(host)/\",\n\"feed_url\": \"https://\(host)/feed.json\",\n\"language\": \"\(lang)\",\n\"items\": [\n"
            for j in 0..<items {
                t -= 300 + rng.below(7200)
                s += "{\"id\": \"\(host)-\(index)-\(j)\", \"url\": \"https://\(host)/\(index)/\(j).html?utm_source=json\", "
                s += "\"title\": \(Self.jsonEscape(headline(zh: zh))), \"date_published\": \"\(rfc3339(t, zh: zh))\", "
                s += "\"authors\": [{\"name\": \(Self.jsonEscape(zh ? "张伟" : "Jane Doe"))}], \"tags\": [\(Self.jsonEscape(zh ? "科技" : "tech"))], "
                s += "\"summary\": \(Self.jsonEscape(sentence(zh: zh))), "
                s += "\"content_html\": \(Self.jsonEscape(htmlBody(zh: zh, host: host, paragraphs: 2 + rng.below(5))))}"
                s += j == items - 1 ? "\n" : ",\n"
            }
            s += "]\n}\n"
        }
        return s
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
