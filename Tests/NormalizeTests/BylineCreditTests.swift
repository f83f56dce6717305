import Testing
@testable import NewsText

/// Chinese credit lines as news pages print them (lines written for these tests, the
/// forms taken from real pages: reporters glued to their outlet, `文/` and `/文`,
/// editors with staff codes, photographers, people named as the source).
@Suite("Chinese credit lines")
struct BylineCreditTests {
    private func writers(_ line: String) -> [String] {
        Byline.chineseCredits(in: line).filter { $0.role == .author }.flatMap(\.names)
    }

    private func roles(_ line: String) -> [CreditRole] {
        Byline.chineseCredits(in: line).map(\.role)
    }

    @Test func reportersWithAndWithoutSpace() {
        #expect(writers("（记者 王小明 通讯员 李华）本报讯") == ["王小明", "李华"])
        #expect(writers("城市网5月3日讯（记者周立 整合）") == ["周立"])
        #expect(writers("本报记者欧阳明月发自上海") == ["欧阳明月"])
        #expect(writers("新华社北京1月2日电（记者唐明）") == ["唐明"])
        #expect(writers("晚报记者 孙静 刘洋") == ["孙静", "刘洋"])
        #expect(writers("采写：南方记者 何青 向晓") == ["何青", "向晓"], "the outlet before 记者 is not a name")
    }

    @Test func writerLabels() {
        #expect(writers("作者：林一凡") == ["林一凡"])
        #expect(writers("文/郑小雨") == ["郑小雨"])
        #expect(writers("【文/某某网专栏作者 许平】") == ["许平"])
        #expect(writers("河东日报记者陈平/文 受访者供图") == ["陈平"])
        #expect(writers("执笔人：赵一 钱二 孙三 编辑：李四 来源：某某网") == ["赵一", "钱二", "孙三"])
        #expect(writers("作者： 风中&微笑 骠骑将军(从一品)") == ["风中&微笑"], "a nickname after a colon; a rank is no name")
        #expect(writers("abcuser 发表于 2005-9-15 11:46:00") == ["abcuser"])
        #expect(writers("由小海豚张贴 @ 2005-06-14 03:25:55") == ["小海豚"])
    }

    @Test func proseIsNoCredit() {
        #expect(Byline.chineseCredits(in: "公司负责人对记者表示，目前尚无回应。").isEmpty)
        #expect(Byline.chineseCredits(in: "记者注意到，多家企业已经停产。").isEmpty)
        #expect(Byline.chineseCredits(in: "外交部举行记者会").isEmpty)
        #expect(Byline.chineseCredits(in: "作者最新文章").isEmpty)
    }

    @Test func nobodyNamed() {
        #expect(writers("作者：未知 责任编辑：棒棒糖") == [])
        #expect(writers("作者：网络整理") == [])
        #expect(writers("来源：本站原创 作者：某某医院党支部") == [])
        #expect(writers("作者： size=\"20\" 来源： size=\"20\"") == [])
    }

    @Test func editorsPhotographersAndSources() {
        #expect(Byline.chineseCredits(in: "责任编辑：杨丽_NF1234") == [Credit(role: .editor, names: ["杨丽"])])
        #expect(Byline.chineseCredits(in: "[责任编辑：韩梅 PK155]") == [Credit(role: .editor, names: ["韩梅"])])
        #expect(Byline.chineseCredits(in: "(责编：汤一、丁二)") == [Credit(role: .editor, names: ["汤一", "丁二"])])
        #expect(roles("资料图：市民出行。某某社记者 贾明 摄") == [.photographer], "记者 X 摄 took the picture")
        #expect(roles("马莉/摄") == [.photographer])
        #expect(Byline.chineseCredits(in: "来源: 尹红") == [Credit(role: .sourcePerson, names: ["尹红"])])
        #expect(Byline.chineseCredits(in: "来源：某某日报").isEmpty)
        #expect(Byline.chineseCredits(in: "来源：澎湃新闻·澎湃号·政务").isEmpty)
    }

    @Test func personNames() {
        #expect(Byline.isChinesePersonName("张倩"))
        #expect(Byline.isChinesePersonName("司马光明"))
        #expect(Byline.isChinesePersonName("阿卜杜·热合曼"))
        #expect(!Byline.isChinesePersonName("注意到"))
        #expect(!Byline.isChinesePersonName("新京报"))
        #expect(!Byline.isChinesePersonName("网易"))
    }
}
