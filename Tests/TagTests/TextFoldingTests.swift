import Testing
import NewsText

@Suite struct TextFoldingTests {
    @Test func traditionalFoldsToSimplified() {
        #expect(TextFolding.fold("開源 脫鉤 晶片 人工智慧 臺灣 網路安全") == "开源 脱钩 晶片 人工智慧 台湾 网路安全")
    }

    @Test func fullWidthAsciiFoldsAndLowercases() {
        #expect(TextFolding.fold("ＡＩ芯片 Open-Source ５Ｇ") == "ai芯片 open-source 5g")
        #expect(TextFolding.fold("全角\u{3000}空格") == "全角 空格")
        #expect(TextFolding.fold("open\u{2011}source") == "open-source")
    }

    @Test func simplifiedAndAsciiAreUnchangedApartFromCase() {
        let s = "当全球习惯了中国技术所谓“脱钩”就失去了根基"
        #expect(TextFolding.fold(s) == s)
        // Full-width punctuation is full-width ASCII too: it folds like the letters.
        #expect(TextFolding.fold("技术，所谓") == "技术,所谓")
        #expect(TextFolding.fold("DeepSeek开源了模型权重") == "deepseek开源了模型权重")
    }

    @Test func offsetsQuoteThePublishedText() {
        let f = TextFolding.foldKeepingOffsets("美國ＡＩ晶片禁令")
        #expect(f.foldedString == "美国ai晶片禁令")
        #expect(f.originalText(forFolded: 2..<4) == "ＡＩ")
        #expect(f.originalText(forFolded: 0..<2) == "美國")
    }

    @Test func multiScalarLowercaseKeepsOffsets() {
        // U+0130 lowercases to two scalars; both must point back at it.
        let f = TextFolding.foldKeepingOffsets("\u{130}stanbul AI")
        #expect(f.folded.count == f.sourceIndex.count)
        #expect(f.originalText(forFolded: 0..<2) == "\u{130}")
        #expect(TextFolding.fold("\u{130}stanbul AI") == f.foldedString)
    }
}
