/// Characters that differ between Traditional and Simplified Chinese, as (T, S) pairs.
///
/// Kept small and frequent on purpose: language detection only needs a signal, and
/// `TextFolding` holds the complete table for folding. Pairs whose
/// simplified form is also an everyday traditional character (后, 里, 台, 面, 干, ...)
/// are listed but never counted as evidence of either script (see `ambiguousSimplified`).
enum ScriptTables {
    static let pairs: String =
        "發发後后裡里臺台颱台麵面乾干幹干隻只雲云製制係系繫系準准穀谷鬥斗範范鬆松徵征衝冲醜丑纔才" +
        "國国們们這这來来時时會会說说對对為为個个學学經经開开關关與与機机電电長长從从動动進进現现" +
        "實实點点業业產产當当權权種种應应區区見见問问間间體体義义議议總总結结頭头軍军兩两萬万無无" +
        "東东車车馬马門门書书親亲線线則则決决計计認认記记話话語语請请讀读論论設设許许評评證证識识" +
        "調调談谈謂谓講讲變变傳传價价億亿優优備备雙双員员圖图場场報报處处夠够夢梦頁页題题類类顯显" +
        "風风飛飞養养館馆驗验體体髮发鬧闹魚鱼鳥鸟黨党齊齐齒齿龍龙龜龟廣广專专將将歲岁歷历曆历氣气" +
        "漢汉灣湾營营爭争獨独狀状環环畫画療疗發发盡尽眾众礎础離离穩稳積积競竞筆笔節节築筑紀纪約约" +
        "紅红級级純纯細细終终組组織织給给統统絕绝網网維维綠绿緊紧線线練练縣县總总績绩繼继續续罷罢" +
        "聖圣聯联聲声職职聽听脫脱腦脑臉脸舊旧術术衛卫裝装補补規规視视覺觉觀观訂订訊讯託托訪访" +
        "試试詩诗該该詳详誌志誤误說说誰谁課课諸诸謝谢證证護护讓让豐丰貝贝負负財财貨货貴贵費费資资" +
        "賣卖質质購购賽赛趙赵躍跃軟软較较載载輕轻輪轮輸输轉转農农辦办運运過过達达違违遠远選选遷迁" +
        "邊边鄉乡錄录錢钱鐵铁銀银鋼钢錯错鍵键鏡镜長长閉闭開开閒闲間间閱阅陣阵陳陈陸陆陽阳隊队際际" +
        "險险隨随雜杂雞鸡難难電电靈灵響响頂顶順顺預预領领頻频顏颜願愿風风飯饭飲饮餘余驅驱驚惊髒脏" +
        "鬥斗鮮鲜麥麦黃黄點点團团園园圍围執执堅坚壓压壞坏壯壮壽寿夥伙奪夺奮奋婦妇媽妈嬰婴寧宁審审" +
        "寫写寶宝尋寻導导層层屬属島岛師师帶带幣币幫帮廳厅張张彈弹復复徑径態态憶忆應应戰战戲戏擁拥" +
        "據据擔担擊击擴扩攜携敗败數数斷断於于舉举覽览讚赞議议產产務务勝胜勢势勞劳動动區区協协衛卫" +
        "歐欧殺杀毀毁氣气決决沒没潔洁減减測测湯汤滿满濟济災灾熱热爺爷爾尔牽牵犧牺獎奖現现璽玺" +
        "瑪玛產产畢毕異异當当瘋疯發发盤盘眾众硬硬確确碼码礙碍禮礼禍祸穀谷窮穷競竞簡简糧粮緒绪" +
        "編编緣缘縮缩總总繁繁織织罰罚羅罗習习聞闻肅肃膽胆膠胶臨临興兴艱艰藝艺藥药蘋苹蘭兰號号" +
        "蟲虫衆众補补襲袭覆覆親亲觸触譯译譽誉變变貿贸賬账贊赞趨趋跡迹踐践蹤踪躍跃輯辑辦办辭辞" +
        "遲迟遺遗鄧邓醫医釋释針针鈔钞銷销鋪铺鎖锁鍾钟鐘钟門门閃闪闡阐際际雖虽雙双雞鸡離离霧雾" +
        "靜静頓顿頗颇頸颈顧顾飽饱餐餐騎骑騙骗驗验體体鬍胡魯鲁鳳凤鹽盐麗丽黑黑嚴严圓圆塊块" +
        "壇坛壩坝奧奥孫孙實实寢寝對对屆届峽峡巖岩帳帐幾几庫库廠厂彎弯徹彻懷怀戶户搶抢擇择擬拟" +
        "撥拨擾扰斂敛暫暂曉晓會会條条東东棄弃棟栋業业極极榮荣樂乐標标樣样橋桥機机檢检櫃柜歡欢" +
        "殘残氫氢滅灭漲涨潛潜濃浓灑洒爐炉爛烂牆墙獄狱獲获瑣琐產产畝亩疊叠瘡疮癒愈盜盗睜睁矯矫" +
        "礦矿禦御禪禅稅税稱称穩稳窩窝竊窃筍笋範范築筑籃篮糾纠紙纸紛纷紹绍絲丝綁绑綜综緩缓" +
        "縱纵繩绳罵骂義义耀耀聖圣膚肤艦舰莊庄蓋盖蘇苏虧亏蝦虾裏里褲裤覓觅記记訴诉診诊詞词" +
        "詢询話话誕诞語语誠诚調调諾诺謀谋謠谣譜谱讀读貓猫貸贷賓宾賴赖贏赢趕赶跡迹躲躲軌轨" +
        "軸轴辯辩遜逊遞递還还邏逻鄰邻釘钉鈴铃鉛铅銅铜鋁铝鍋锅鎮镇鏈链鑰钥閣阁闊阔隱隐雛雏" +
        "電电霸霸韓韩頒颁頌颂餅饼駐驻駛驶騰腾驢驴髮发鬆松鴨鸭鵝鹅鷹鹰麼么黴霉鼓鼓齡龄"

    /// Simplified forms common in Traditional text too, so never evidence for Simplified.
    static let ambiguousSimplified: Set<Character> = Set("后里台面干只云制系准谷斗范松征冲丑才余志胡了家几")
    /// Traditional forms also used inside Simplified text (variants, names).
    static let ambiguousTraditional: Set<Character> = Set("乾覆硬繁耀霸鼓黑餐躲")

    /// Traditional → Simplified for the characters above.
    static let toSimplified: [Character: Character] = {
        var map: [Character: Character] = [:]
        let chars = Array(pairs)
        var i = 0
        while i + 1 < chars.count {
            if chars[i] != chars[i + 1] { map[chars[i]] = chars[i + 1] }
            i += 2
        }
        return map
    }()

    /// Traditional forms that Simplified writing also uses in some words (著名, 瞭望, 慰藉,
    /// 覆盖, 乾隆): never counted as evidence of Traditional.
    static let usedInSimplifiedToo: Set<Character> = Set("著瞭藉覆乾")

    /// Scalars that only appear in Traditional writing: the curated pairs plus every
    /// ideograph ICU's Hant→Hans transliterator changes (via `TextFolding`'s table).
    static let traditionalOnly: Set<UInt32> = {
        let simplified = Set(toSimplified.values)
        var set = Set(Set(toSimplified.keys).subtracting(simplified).subtracting(ambiguousTraditional).map { $0.unicodeScalars.first!.value })
        let stop = Set(usedInSimplifiedToo.map { $0.unicodeScalars.first!.value })
            .union(ambiguousTraditional.map { $0.unicodeScalars.first!.value })
        let table = HantHans.table
        var targets = Set<UInt32>()
        for (i, mapped) in table.enumerated() where mapped != HantHans.lowerBound + UInt32(i) { targets.insert(mapped) }
        for (i, mapped) in table.enumerated() {
            let v = HantHans.lowerBound + UInt32(i)
            // A character ICU changes, that is not itself the simplified form of another.
            if mapped != v, !targets.contains(v), !stop.contains(v) { set.insert(v) }
        }
        return set.subtracting(stop)
    }()

    /// Bitmaps over U+3400…U+FAFF for the detector's per-character test (a set lookup
    /// hashes; this is a shift and a mask).
    static let traditionalBits: ScalarBitmap = ScalarBitmap(traditionalOnly)
    static let simplifiedBits: ScalarBitmap = ScalarBitmap(simplifiedOnly)

    /// Scalars that only appear in Simplified writing.
    static let simplifiedOnly: Set<UInt32> = {
        let traditional = Set(toSimplified.keys)
        return Set(Set(toSimplified.values).subtracting(traditional).subtracting(ambiguousSimplified).map { $0.unicodeScalars.first!.value })
    }()
}

/// Unicode classes the normalizers and detectors share.
public enum CJK {
    /// Han ideographs (URO, Ext A, compatibility, Ext B+).
    @inlinable @inline(__always)
    public static func isHan(_ v: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0xF900...0xFAFF).contains(v)
            || (0x20000...0x3134F).contains(v)
    }

    /// Characters that make a neighbourhood "Chinese" for punctuation purposes: Han,
    /// CJK punctuation, full-width forms and the curly quotes Chinese text uses.
    @inlinable @inline(__always)
    public static func isChineseContext(_ v: UInt32) -> Bool {
        isHan(v) || (0x3000...0x303F).contains(v) || (0xFF01...0xFF0F).contains(v)
            || (0xFF1A...0xFF20).contains(v) || (0x2018...0x201D).contains(v) || v == 0x2026 || v == 0x2014
    }
}

/// Builds a String scalar by scalar through a UTF-8 byte buffer: appending to
/// `String.UnicodeScalarView` one scalar at a time is several times slower, and the
/// normalizers do it for every character of every item.
public struct UTF8Builder {
    // Inlinable across modules: the normalizers call `append` once per scalar.
    @usableFromInline var storage: [UInt8] = []
    public var bytes: [UInt8] { storage }
    @inlinable public init(capacity: Int = 0) { storage.reserveCapacity(capacity) }
    @inlinable public var isEmpty: Bool { storage.isEmpty }
    @inlinable public var count: Int { storage.count }

    @inlinable @inline(__always)
    public mutating func append(_ u: Unicode.Scalar) {
        let v = u.value
        if v < 0x80 {
            storage.append(UInt8(truncatingIfNeeded: v))
        } else if v < 0x800 {
            storage.append(UInt8(truncatingIfNeeded: 0xC0 | (v >> 6))); storage.append(UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F)))
        } else if v < 0x10000 {
            storage.append(UInt8(truncatingIfNeeded: 0xE0 | (v >> 12))); storage.append(UInt8(truncatingIfNeeded: 0x80 | ((v >> 6) & 0x3F)))
            storage.append(UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F)))
        } else {
            storage.append(UInt8(truncatingIfNeeded: 0xF0 | (v >> 18))); storage.append(UInt8(truncatingIfNeeded: 0x80 | ((v >> 12) & 0x3F)))
            storage.append(UInt8(truncatingIfNeeded: 0x80 | ((v >> 6) & 0x3F))); storage.append(UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F)))
        }
    }

    @inlinable @inline(__always)
    public mutating func appendASCII(_ b: UInt8) { storage.append(b) }

    @inlinable public mutating func appendString(_ s: String) { storage.append(contentsOf: s.utf8) }

    @inlinable public mutating func removeAll() { storage.removeAll(keepingCapacity: true) }

    @inlinable public var string: String { String(decoding: storage, as: UTF8.self) }
}

/// Unicode White_Space (`Unicode.Scalar.Properties.isWhitespace`) without a property lookup.
@inlinable @inline(__always)
public func isWhiteSpace(_ v: UInt32) -> Bool {
    v < 0x80 ? (v == 0x20 || (0x09...0x0D).contains(v)) : isNonASCIIWhiteSpace(v)
}

/// Unicode White_Space outside ASCII, without a property lookup (the set is fixed by the
/// standard and has not changed since Unicode 6.3).
@inlinable @inline(__always)
public func isNonASCIIWhiteSpace(_ v: UInt32) -> Bool {
    v == 0x85 || v == 0xA0 || v == 0x1680 || (0x2000...0x200A).contains(v) || v == 0x2028 || v == 0x2029
        || v == 0x202F || v == 0x205F || v == 0x3000
}

/// White space trimmed at both ends without Foundation's `CharacterSet` machinery.
public func trimWhitespace(_ s: String) -> String {
    let sc = s.unicodeScalars
    guard let first = sc.first, let last = sc.last else { return s }
    if !isWhiteSpace(first.value) && !isWhiteSpace(last.value) { return s }
    guard let a = sc.firstIndex(where: { !isWhiteSpace($0.value) }),
          let b = sc.lastIndex(where: { !isWhiteSpace($0.value) }) else { return "" }
    return String(sc[a...b])
}

/// Membership of CJK scalars (U+3400…U+FAFF) as one bit each.
struct ScalarBitmap: Sendable {
    static let lower: UInt32 = 0x3400
    static let upper: UInt32 = 0xFAFF
    let words: [UInt64]

    init(_ set: Set<UInt32>) {
        var w = [UInt64](repeating: 0, count: Int((Self.upper - Self.lower) / 64 + 1))
        for v in set where v >= Self.lower && v <= Self.upper {
            let i = Int(v - Self.lower)
            w[i >> 6] |= 1 << UInt64(i & 63)
        }
        words = w
    }

    @inline(__always)
    func contains(_ v: UInt32) -> Bool {
        guard v >= Self.lower && v <= Self.upper else { return false }
        let i = Int(v - Self.lower)
        return words[i >> 6] & (1 << UInt64(i & 63)) != 0
    }
}
