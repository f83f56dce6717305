import Testing
@testable import Tag

/// Headlines written for these tests in the style of current Chinese and English news, one
/// or more per contract topic, to keep the taxonomy's vocabulary honest beyond the 2021
/// corpus. Expected topics are what an editor would assign.
@Suite struct GoldenCoverageTests {
    typealias Case = GoldenTopicTests.Case

    static let cases: [Case] = [
        // decoupling
        Case(title: "跨国企业加速“中国+1”布局，供应链多元化成共识", topics: ["decoupling"]),
        Case(title: "Friend-shoring push reshapes Asian factory map", topics: ["decoupling"]),
        Case(title: "德国企业界反对与中国脱钩断链", topics: ["decoupling"]),
        // open-source
        Case(title: "阿里通义千问开源新一代模型", topics: ["open-source", "ai"]),
        Case(title: "Linux Foundation launches new open-source AI project", topics: ["open-source", "ai"]),
        Case(title: "開源社群推出新版本編輯器", topics: ["open-source"]),
        // ai
        Case(title: "Google unveils Gemini 2.5 with better reasoning", topics: ["ai"]),
        Case(title: "多模态大模型进入落地元年", topics: ["ai"]),
        Case(title: "Anthropic and OpenAI race to sell AI agents to businesses", topics: ["ai"]),
        Case(title: "生成式人工智能服务管理办法正式施行", topics: ["ai"]),
        // semiconductors
        Case(title: "Nvidia's Blackwell chips sold out through next year", topics: ["semiconductors"]),
        Case(title: "中芯国际二季度营收创新高", topics: ["semiconductors"]),
        Case(title: "寒武纪股价大涨，国产算力芯片受追捧", topics: ["ai", "semiconductors"]),
        Case(title: "輝達新一代晶片延後出貨", topics: ["semiconductors"]),
        // export-controls
        Case(title: "US tightens export curbs on advanced chips to China", topics: ["semiconductors", "export-controls", "us-china"]),
        Case(title: "商务部：对部分稀土相关物项实施出口管制", topics: ["export-controls"]),
        Case(title: "Dutch government restricts ASML export licences", topics: ["semiconductors", "export-controls"]),
        // trade
        Case(title: "Trump raises tariffs on Chinese goods again", topics: ["trade", "us-china"]),
        Case(title: "欧盟对华电动汽车反补贴调查终裁", topics: ["trade", "electric-vehicles"]),
        Case(title: "中美日内瓦经贸会谈达成共识，互降关税", topics: ["trade", "us-china"]),
        Case(title: "WTO cuts forecast for global goods trade", topics: ["trade"]),
        // us-china
        Case(title: "Xi and Biden agree to restore military communication", topics: ["us-china"]),
        Case(title: "外交部回应美方涉华言论", topics: ["us-china"]),
        Case(title: "U.S.-China relations: what the summit changed", topics: ["us-china"]),
        Case(title: "北京时间今晚美国公布非农数据", topics: []),
        // electric-vehicles
        Case(title: "小米汽车SU7交付量突破十万台", topics: ["electric-vehicles"]),
        Case(title: "BYD overtakes Tesla in global EV sales", topics: ["electric-vehicles"]),
        Case(title: "宁德时代发布新一代固态电池", topics: ["electric-vehicles"]),
        // cybersecurity
        // China's state hackers in US networks are also a US-China story: seven of the twelve written
        // sets that have such a headline label it so, all five since written19.
        Case(title: "Salt Typhoon hackers breached US telecom networks", topics: ["us-china", "cybersecurity"]),
        Case(title: "Salt Typhoon hackers breached telecom networks in dozens of countries", topics: ["cybersecurity"]),
        Case(title: "Ransomware attack disrupts hospital systems", topics: ["cybersecurity"]),
        Case(title: "国家网信办通报多款App违规收集个人信息，存在数据泄露风险", topics: ["cybersecurity"]),
        Case(title: "微软修补已遭利用的零日漏洞", topics: ["cybersecurity"]),
        // mixed-script Chinese headlines
        Case(title: "OpenAI发布GPT-5，定价下调", topics: ["ai"]),
    ]

    @Test(arguments: cases)
    func modernHeadlines(_ c: Case) {
        #expect(topics(c.title) == c.topics)
    }
}
