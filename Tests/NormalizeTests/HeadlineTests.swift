import Foundation
import IngestCore
import NewsText
import Normalize
import Testing

private let normalizer = HeadlineNormalizer(registry: shippedRegistry)

@Suite("Headlines")
struct HeadlineTests {
    @Test func seedHeadline() {
        let n = normalizer.normalize("当全球习惯了中国技术,所谓“脱钩”就失去了根基")
        #expect(n.title == "当全球习惯了中国技术，所谓“脱钩”就失去了根基")
        #expect(n.source == nil)
    }

    @Test("Contract rules", arguments: [
        // white space incl. U+3000, zero-width and control characters
        ("  华为\u{3000}发布\u{200B}新款  手机\u{0007} ", "华为 发布新款 手机"),
        ("Apple\u{00A0} unveils\t\tM5\n chip", "Apple unveils M5 chip"),
        // full-width letters and digits to half-width; full-width punctuation kept
        ("ＡＩ芯片出口管制升级：５Ｇ也受影响", "AI芯片出口管制升级：5G也受影响"),
        // ASCII punctuation between Chinese characters to full width, spaces around it dropped
        ("外交部:中方坚决反对", "外交部：中方坚决反对"),
        ("真的吗?我不信", "真的吗？我不信"),
        ("技术, 所谓创新", "技术，所谓创新"),
        ("上海;北京;深圳", "上海；北京；深圳"),
        ("中国(北京)自贸区扩容", "中国（北京）自贸区扩容"),
        ("竞价排名是赢利最关键 (转)", "竞价排名是赢利最关键（转）"),
        // ... but not next to Latin text or digits
        ("苹果发布iPhone 17,售价不变", "苹果发布iPhone 17,售价不变"),
        ("华为(Huawei)发布新机", "华为(Huawei)发布新机"),
        ("股价上涨3.5%,创新高", "股价上涨3.5%,创新高"),
        // NFC: decomposed é composed
        ("Cafe\u{0301} culture returns", "Café culture returns"),
        // English: quotes and dashes as published, no case change
        ("“Open-weight” models — a new era? 'Maybe'", "“Open-weight” models — a new era? 'Maybe'"),
        ("iPhone sales DROP in China", "iPhone sales DROP in China"),
        // script kept
        ("當全球習慣了中國技術,所謂「脫鉤」就失去了根基", "當全球習慣了中國技術，所謂「脫鉤」就失去了根基"),
    ])
    func rules(input: String, expected: String) {
        #expect(normalizer.normalize(input).title == expected)
    }

    @Test("Glued site names are removed and become the source", arguments: [
        ("当全球习惯了中国技术 - 钛媒体", "当全球习惯了中国技术", "tmtpost"),
        ("华为发布新款芯片_新浪科技_新浪网", "华为发布新款芯片", "sina"),
        ("China exports rise | Reuters", "China exports rise", "reuters"),
        ("国务院召开常务会议-新华网", "国务院召开常务会议", "xinhua"),
        ("【新华社】国务院召开常务会议", "国务院召开常务会议", "xinhua"),
        ("Fed holds rates steady - The New York Times", "Fed holds rates steady", "nytimes"),
        ("中美经贸磋商取得进展_网易科技", "中美经贸磋商取得进展", "163"),
        ("央行降准 | 财新网", "央行降准", "caixin"),
        ("央行降准_财经频道_凤凰网", "央行降准", "ifeng"),
        ("Fed holds rates - Business - The Guardian", "Fed holds rates", "guardian"),
        // A channel the registry does not list, named by the outlet and a section word.
        ("新能源汽车下乡活动启动，百余款车型参与_新浪汽车_新浪网", "新能源汽车下乡活动启动，百余款车型参与", "sina"),
        ("诺如病毒致某幼儿园多名幼儿呕吐 全园停课消毒_新浪育儿_新浪网", "诺如病毒致某幼儿园多名幼儿呕吐 全园停课消毒", "sina"),
        ("苹果发布新款手机_网易数码_网易", "苹果发布新款手机", "163"),
        // A 频道 that opens with the outlet's own name is one of its sections, whatever it is called.
        ("大模型价格战背后：谁在为算力买单_财新周刊频道_财新网", "大模型价格战背后：谁在为算力买单", "caixin"),
        // The Central News Agency signs its titles with both of its names.
        ("福衛八號首顆衛星順利升空 - 中央社 CNA", "福衛八號首顆衛星順利升空", "cna"),
        ("福衛八號首顆衛星順利升空 | 中央社 CNA", "福衛八號首顆衛星順利升空", "cna"),
        // Reddit's page titles end ` : r/subreddit`; PTT's print the board before the site.
        ("Qwen3 235B running on 4x3090s at 20 tok/s, AMA : r/LocalLLaMA", "Qwen3 235B running on 4x3090s at 20 tok/s, AMA", "reddit"),
        ("Trump raises tariffs on Chinese goods to 145% : r/economics", "Trump raises tariffs on Chinese goods to 145%", "reddit"),
        ("[新聞] 台積電2奈米試產良率傳達六成 - 看板 Stock - 批踢踢實業坊", "[新聞] 台積電2奈米試產良率傳達六成", "ptt"),
        // The Register glues its name with a bullet.
        ("OpenTofu, the Terraform fork, is accepted into the CNCF • The Register", "OpenTofu, the Terraform fork, is accepted into the CNCF", "theregister"),
        // LWN prints its name in brackets after the headline; People's Daily a channel before its name.
        ("The 6.17 kernel has been released [LWN.net]", "The 6.17 kernel has been released", "lwn"),
        ("台積電法說會釋正面訊號【中央社】", "台積電法說會釋正面訊號", "cna"),
        ("台積電法說會釋正面訊號［中央社］", "台積電法說會釋正面訊號", "cna"),
        ("钟声：搞“脱钩断链”注定失败--观点--人民网", "钟声：搞“脱钩断链”注定失败", "people"),
        // Anue prints its channel after its own name.
        ("台積電ADR漲逾3% 費半指數創高 | 鉅亨網 - 台股新聞", "台積電ADR漲逾3% 費半指數創高", "cnyes"),
        ("美元指數走弱 | 鉅亨網 - 外匯", "美元指數走弱", "cnyes"),
        ("手把手教你本地部署开源大模型_哔哩哔哩_bilibili", "手把手教你本地部署开源大模型", "bilibili"),
    ])
    func glued(input: String, title: String, id: String) {
        let n = normalizer.normalize(input)
        #expect(n.title == title)
        #expect(n.source?.id == id)
    }

    @Test("Site names the registry lacks go by their shape", arguments: [
        ("国产核电主蒸汽隔离阀通过鉴定_中国阀门网", "国产核电主蒸汽隔离阀通过鉴定", "中国阀门网"),
        ("杭州出台数据要素市场化配置改革实施方案_杭州市人民政府", "杭州出台数据要素市场化配置改革实施方案", "杭州市人民政府"),
        ("石岐老街周末夜市开张 - 中山网", "石岐老街周末夜市开张", "中山网"),
        ("縣府推動長照2.0升級 | 金門日報", "縣府推動長照2.0升級", "金門日報"),
        ("宁波舟山港吞吐量再创新高-宁波晚报", "宁波舟山港吞吐量再创新高", "宁波晚报"),
        ("钢铁行业超低排放改造完成过半 - 某省工业报", "钢铁行业超低排放改造完成过半", "某省工业报"),
        ("两市成交额连续三日破万亿 - 某某证券报", "两市成交额连续三日破万亿", "某某证券报"),
        // Agencies, media words after a name of their own, and names glued with `_`.
        ("普京会见来访外宾 | 俄新社", "普京会见来访外宾", "俄新社"),
        ("國產無人機零組件加速去中化 - 某某軍武頻道", "國產無人機零組件加速去中化", "某某軍武頻道"),
        ("高通发布新一代移动平台_太平洋电脑在线", "高通发布新一代移动平台", "太平洋电脑在线"),
        ("合肥人工智能核心产业营收增长两成_安徽新闻", "合肥人工智能核心产业营收增长两成", "安徽新闻"),
        ("出生人口下降 多地幼儿园关停合并_某某订阅", "出生人口下降 多地幼儿园关停合并", "某某订阅"),
        ("老式煤油灯的灯芯怎么换_某某视频_somevideo", "老式煤油灯的灯芯怎么换", "某某视频"),
        // English outlets: capitalised words with an outlet word, or a bare domain.
        ("Intel's Ohio chip plant delayed again - Akron Beacon Journal", "Intel's Ohio chip plant delayed again", "Akron Beacon Journal"),
        ("E-bike battery fire destroys flat in Leeds - Yorkshire Evening Post", "E-bike battery fire destroys flat in Leeds", "Yorkshire Evening Post"),
        ("Chipmaker breaks ground on Lehigh Valley plant | pennlive.com", "Chipmaker breaks ground on Lehigh Valley plant", "pennlive.com"),
        ("Brewer says ransomware attack exposed data | KANSAI-OSAKA Daily News", "Brewer says ransomware attack exposed data", "KANSAI-OSAKA Daily News"),
        ("Grid operators brace for record winter demand | Utility Dive", "Grid operators brace for record winter demand", "Utility Dive"),
    ])
    func unknownSiteNames(input: String, title: String, printed: String) {
        let n = normalizer.normalize(input)
        #expect(n.title == title)
        #expect(n.source == nil)
        #expect(n.gluedName == printed)
    }

    @Test func unknownPaperInBracketsAndDatesAfterOutlets() {
        // A bracket prefix goes by shape only for a paper, a site or an agency.
        let paper = normalizer.normalize("【经济观察报】车用固态电池量产，究竟是突破还是噱头？")
        #expect(paper.title == "车用固态电池量产，究竟是突破还是噱头？")
        #expect(paper.gluedName == "经济观察报")
        #expect(normalizer.normalize("【财经新闻】央行降准").title == "【财经新闻】央行降准")
        #expect(normalizer.normalize("【某某工业报】钢铁行业超低排放改造完成过半").title == "钢铁行业超低排放改造完成过半")
        // DW dates its page titles after its name; the date goes with the name.
        let dw = normalizer.normalize("Nexperia chip shortage forces European carmakers to cut output – DW – 10/28/2025")
        #expect(dw.title == "Nexperia chip shortage forces European carmakers to cut output")
        #expect(dw.source?.id == "dw")
        #expect(normalizer.normalize("欧盟人工智能法通用模型条款生效 – DW – 2025年8月2日").title == "欧盟人工智能法通用模型条款生效")
        // A date after an unknown name, or after the headline itself, stays.
        #expect(normalizer.normalize("季度报告发布 – 某某 – 2025年8月2日").title == "季度报告发布 – 某某 – 2025年8月2日")
        // A section after the outlet goes with it.
        #expect(normalizer.normalize("Should you fix your energy tariff now? | Money | The Guardian").title == "Should you fix your energy tariff now?")
    }

    @Test func unknownSuffixesAndPrefixesStay() {
        // A bracket that names no outlet is the headline's own.
        #expect(normalizer.normalize("Rust 1.90 released [video]").title == "Rust 1.90 released [video]")
        // Words where 网 is a network and 报 a report are the headline's own.
        #expect(normalizer.normalize("新能源并网提速 - 国家电网").title == "新能源并网提速 - 国家电网")
        #expect(normalizer.normalize("千兆入户全面铺开_城市光网").title == "千兆入户全面铺开_城市光网")
        #expect(normalizer.normalize("某公司前三季度业绩 - 业绩快报").title == "某公司前三季度业绩 - 业绩快报")
        #expect(normalizer.normalize("寒潮来袭 - 中央气象台预报").title == "寒潮来袭 - 中央气象台预报")
        #expect(normalizer.normalize("【独家】某公司裁员").title == "【独家】某公司裁员")
        #expect(normalizer.normalize("COVID-19 cases rise").title == "COVID-19 cases rise")
        #expect(normalizer.normalize("Spider-Man returns - Variety Weekly").title == "Spider-Man returns - Variety Weekly")
        // English tails that are not Title Case, hold no outlet word, or follow an unspaced dash.
        #expect(normalizer.normalize("Markets rally as investors cheer - what comes next").title == "Markets rally as investors cheer - what comes next")
        #expect(normalizer.normalize("The Case for a Four-Day School Week").title == "The Case for a Four-Day School Week")
        #expect(normalizer.normalize("Ranking this year's best phones - Part Two").title == "Ranking this year's best phones - Part Two")
        // A cooperative (合作社) or a travel agency (旅行社) is no news agency; a bare channel
        // after `_` is the headline's own.
        #expect(normalizer.normalize("村里成立新的合作社 - 某某村合作社").title == "村里成立新的合作社 - 某某村合作社")
        #expect(normalizer.normalize("春节出境游报名火爆 - 某某旅行社").title == "春节出境游报名火爆 - 某某旅行社")
        #expect(normalizer.normalize("央行降准_国际新闻").title == "央行降准_国际新闻")
        // A channel word alone is no outlet.
        #expect(normalizer.normalize("央行降准_财经").title == "央行降准_财经")
        // Another outlet's channel before the outlet is the headline's own text.
        #expect(normalizer.normalize("央行降准_某某财经_新浪网").title == "央行降准_某某财经")
        #expect(normalizer.normalize("央行降准_某某周刊频道_财新网").title == "央行降准_某某周刊频道")
        // A colon inside a headline is text: only the whole ` : r/name` tail is Reddit's.
        #expect(normalizer.normalize("Ratio : r/2 of the budget").title == "Ratio : r/2 of the budget")
        #expect(normalizer.normalize("Ask: r/place returns").title == "Ask: r/place returns")
        #expect(normalizer.normalize("Board games : r/a").title == "Board games : r/a")
        // A channel after an unknown name, or a channel alone, is the headline's own text.
        #expect(normalizer.normalize("台積電漲逾3% | 某某網 - 台股新聞").title == "台積電漲逾3% | 某某網 - 台股新聞")
        #expect(normalizer.normalize("外資賣超 - 台股新聞").title == "外資賣超 - 台股新聞")
        // `看板` is a channel only after PTT's own name.
        #expect(normalizer.normalize("熱門話題 - 看板 Stock").title == "熱門話題 - 看板 Stock")
        // Without a registry nothing is taken for a site name.
        #expect(HeadlineNormalizer(registry: nil).normalize("华为发布新款芯片_新浪科技").title == "华为发布新款芯片_新浪科技")
    }

    @Test func markupOnlyWhenAsked() {
        // Parse hands over plain text: a published `&amp;` stays.
        #expect(normalizer.normalize("AT&amp;T earnings").title == "AT&amp;T earnings")
        #expect(normalizer.normalize("<b>AT&amp;T</b> earnings &#x4E2D;", decodeMarkup: true).title == "AT&T earnings 中")
    }

    @Test func titleKeyFoldsScriptCaseAndPunctuation() {
        let simp = HeadlineNormalizer.titleKey("当全球习惯了中国技术，所谓“脱钩”就失去了根基")
        let trad = HeadlineNormalizer.titleKey("當全球習慣了中國技術，所謂「脫鉤」就失去了根基")
        #expect(simp == "当全球习惯了中国技术所谓脱钩就失去了根基")
        #expect(simp == trad)
        #expect(HeadlineNormalizer.titleKey("ＤｅｅｐＳｅｅｋ 開源了 模型權重!") == HeadlineNormalizer.titleKey("deepseek开源了模型权重"))
        #expect(HeadlineNormalizer.titleKey("Fed Holds Rates — Steady") == "fedholdsratessteady")
    }
}
