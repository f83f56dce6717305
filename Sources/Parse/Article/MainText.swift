import Foundation
import CLibXML

/// Main-text extraction over the C tables, in the manner of Readability and GNE: text
/// blocks vote for their ancestors by length and punctuation (Chinese full-width marks
/// count), link-heavy and boilerplate-named containers lose, and the best container
/// plus its like-scored siblings become the article. Blocks inside it are then
/// filtered one by one (link lists, share bars, copyright lines).
struct MainText {
    let page: HTMLPage

    struct Result {
        var text: String
        var blockIndices: [Int]
        var roots: [Int]

        /// `text` is the kept blocks' text, one per line: the page reading adds and drops blocks
        /// after the extraction (a standfirst, a byline, a repeated headline), always through these.
        mutating func insertBlock(_ block: Int, at k: Int, page: HTMLPage) {
            blockIndices.insert(block, at: k)
            rejoin(page)
        }

        mutating func removeBlock(at k: Int, page: HTMLPage) {
            blockIndices.remove(at: k)
            rejoin(page)
        }

        private mutating func rejoin(_ page: HTMLPage) {
            text = blockIndices.map { page.text(of: page.blocks[$0]) }.joined(separator: "\n")
        }
    }

    /// Like Readability, first with suspicious class names removed; when that leaves
    /// almost nothing (a page-wide wrapper named `js-social-…`), again trusting only tags
    /// and comment sections.
    func extract(excluding excluded: Set<Int>) -> Result {
        let strict = extract(excluding: excluded, strictClasses: true)
        guard strict.text.unicodeScalars.count < 250 else { return strict }
        let relaxed = extract(excluding: excluded, strictClasses: false)
        return relaxed.text.unicodeScalars.count > strict.text.unicodeScalars.count ? relaxed : strict
    }

    private func extract(excluding excluded: Set<Int>, strictClasses: Bool) -> Result {
        let nodes = page.nodes
        let blocks = page.blocks
        guard !nodes.isEmpty, !blocks.isEmpty else { return Result(text: "", blockIndices: [], roots: []) }
        var score = [Double](repeating: 0, count: nodes.count)
        var scored = [Bool](repeating: false, count: nodes.count)
        let unlikely = unlikelyNodes(strictClasses: strictClasses)

        func initialize(_ n: Int) {
            guard !scored[n] else { return }
            scored[n] = true
            score[n] = baseScore(nodes[n])
        }

        for (i, block) in blocks.enumerated() where !excluded.contains(i) {
            let chars = Int(block.chars)
            guard chars >= 10 else { continue }
            if Double(block.link_chars) > 0.5 * Double(chars) { continue }
            let owner = Int(block.node)
            let ownerTag = Int(nodes[owner].tag)
            if isHeading(ownerTag) || unlikely[owner] { continue }
            // List items, captions and definition terms are galleries and link lists far
            // more often than prose (Readability does not score them either).
            if ownerTag == INGEST_HTML_TAG_LI || ownerTag == INGEST_HTML_TAG_FIGCAPTION
                || ownerTag == INGEST_HTML_TAG_DT || ownerTag == INGEST_HTML_TAG_TH { continue }
            let contentScore = 1.0 + Double(block.punct) + min(Double(chars) / 100.0, 3.0)
            var ancestor = Int(nodes[owner].parent)
            var level = 0
            while ancestor >= 0 && level < 5 {
                initialize(ancestor)
                let divider: Double = level == 0 ? 1 : (level == 1 ? 2 : Double(level) * 3)
                score[ancestor] += contentScore / divider
                ancestor = Int(nodes[ancestor].parent)
                level += 1
            }
        }

        var top = -1
        var topScore = -Double.infinity
        for n in 0..<nodes.count where scored[n] {
            let tag = Int(nodes[n].tag)
            if tag == INGEST_HTML_TAG_HTML || tag == INGEST_HTML_TAG_BODY { continue }
            score[n] *= (1 - linkDensity(nodes[n]))
            if score[n] > topScore {
                topScore = score[n]
                top = n
            }
        }
        guard top >= 0 else {
            return collect(roots: [0], excluded: excluded, unlikely: unlikely)
        }
        // Readability's walk up: a body split across wrappers (`story-intro`, a bare <p>,
        // a `read-more` box) votes most for one box inside it, but an ancestor that scores
        // higher still than that box, before the scores fade below a third, holds it all.
        var lastScore = topScore
        var ancestor = Int(nodes[top].parent)
        while ancestor >= 0, topScore > 0 {
            let tag = Int(nodes[ancestor].tag)
            if tag == INGEST_HTML_TAG_BODY || tag == INGEST_HTML_TAG_HTML { break }
            if scored[ancestor] {
                if score[ancestor] < topScore / 3 { break }
                if score[ancestor] > lastScore, !unlikely[ancestor] {
                    top = ancestor
                    topScore = score[ancestor]
                    break
                }
                lastScore = score[ancestor]
            }
            ancestor = Int(nodes[ancestor].parent)
        }
        // The publisher's `itemprop="articleBody"` outranks the vote when the vote landed
        // outside it (a 50-slide gallery beside a short story): the mark is deliberate,
        // the vote a guess. A mark on a teaser too short to be the story is ignored.
        if let marked = markedArticleBody(), !page.contains(marked, top) {
            top = marked
            topScore = max(score[marked], 10)
        }

        // Siblings that look like more of the same article (split bodies, pagination blocks).
        var roots = [top]
        let parent = Int(nodes[top].parent)
        if parent >= 0 {
            let threshold = max(10, topScore * 0.2)
            let topAttributes = page.attributes(of: nodes[top])
            var child = parent + 1
            while child <= Int(nodes[parent].subtree_end) {
                defer { child = Int(nodes[child].subtree_end) + 1 }
                if child == top { continue }
                let node = nodes[child]
                var bonus = 0.0
                if !topAttributes.isEmpty && Self.sameFamily(page.attributes(of: node), topAttributes) { bonus = topScore * 0.2 }
                let density = linkDensity(node)
                if scored[child] && score[child] + bonus >= threshold && !isBoilerplate(node) {
                    roots.append(child)
                } else if Int(node.tag) == INGEST_HTML_TAG_P {
                    let length = Int(node.text_chars)
                    if length > 80 && density < 0.25 { roots.append(child) }
                    else if length > 0 && length <= 80 && density == 0 && node.punct > 0 { roots.append(child) }
                } else if Int(node.tag) == INGEST_HTML_TAG_DIV, node.paragraphs == 1, node.text_chars > 80,
                          density < 0.25, node.punct > 0, !isBoilerplate(node), !unlikely[child],
                          (node.hints | node.inherited) & UInt32(INGEST_HTML_HINT_SUMMARY) == 0 {
                    // A paragraph in a wrapper of its own (`<div class="firstPar"><p>…</p></div>`
                    // beside the body's other wrappers) is a paragraph, as a bare <p> would be; a
                    // summary box is the summary's.
                    roots.append(child)
                }
            }
        }
        // Bodies split by ads and embeds into same-named sections far apart in the tree
        // (`<div class="article-text">` × N): every such section belongs to the article.
        let topAttributes = page.attributes(of: nodes[top])
        if !topAttributes.isEmpty {
            var n = 0
            while n < nodes.count {
                let node = nodes[n]
                if n != top, node.tag == nodes[top].tag, !unlikely[n], node.text_chars >= 20,
                   linkDensity(node) < 0.3, !roots.contains(where: { page.contains($0, n) || page.contains(n, $0) }),
                   Self.sameFamily(page.attributes(of: node), topAttributes)
                    || (node.hints & UInt32(INGEST_HTML_HINT_POSITIVE) != 0
                        && Self.sameLeadingClass(page.attributes(of: node), topAttributes)) {
                    roots.append(n)
                    n = Int(node.subtree_end) + 1
                    continue
                }
                n += 1
            }
        }
        roots.sort()
        return collect(roots: roots, excluded: excluded, unlikely: unlikely)
    }

    /// Class/id strings that differ only in their numbers (`story-body story-body-1` and
    /// `…-2`): numbered parts of one body.
    static func sameFamily(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        let x = a.utf8.filter { $0 < 0x30 || $0 > 0x39 }, y = b.utf8.filter { $0 < 0x30 || $0 > 0x39 }
        return x.count >= 4 && x == y
    }

    /// `article-text c-gray-1` and `article-text c-gray-1 Array`: the same content class
    /// first, with a modifier added to one part.
    static func sameLeadingClass(_ a: String, _ b: String) -> Bool {
        guard let x = a.split(separator: " ").first, let y = b.split(separator: " ").first else { return false }
        return x.count >= 6 && x == y
    }

    /// The largest `itemprop="articleBody"` element holding a story's worth of unlinked text.
    private func markedArticleBody() -> Int? {
        var best: Int?
        var bestChars = 0
        for (n, node) in page.nodes.enumerated() where node.hints & UInt32(INGEST_HTML_HINT_ARTICLE_BODY) != 0 {
            let own = Int(node.text_chars) - Int(node.link_chars)
            if own > bestChars, linkDensity(node) < 0.4 { best = n; bestChars = own }
        }
        return bestChars >= 300 ? best : nil
    }

    /// Nodes inside comment sections, navigation and similar furniture: their text
    /// neither votes nor becomes content (Readability removes them before scoring).
    private func unlikelyNodes(strictClasses: Bool) -> [Bool] {
        let nodes = page.nodes
        var unlikely = [Bool](repeating: false, count: nodes.count)
        for n in 0..<nodes.count {
            let parent = Int(nodes[n].parent)
            if parent >= 0 && unlikely[parent] { unlikely[n] = true; continue }
            let tag = Int(nodes[n].tag)
            if tag == INGEST_HTML_TAG_BODY || tag == INGEST_HTML_TAG_HTML { continue }
            unlikely[n] = strictClasses ? isBoilerplate(nodes[n]) : isFurniture(nodes[n])
        }
        return unlikely
    }

    private func collect(roots: [Int], excluded: Set<Int>, unlikely: [Bool]) -> Result {
        var indices: [Int] = []
        var paragraphs: [String] = []
        for (i, block) in page.blocks.enumerated() where !excluded.contains(i) {
            let owner = Int(block.node)
            guard let root = roots.first(where: { page.contains($0, owner) }) else { continue }
            let chars = Int(block.chars)
            if Double(block.link_chars) > 0.5 * Double(chars) && !headsProse(i, root: root, unlikely: unlikely) { continue }
            if unlikely[owner] && !unlikely[root] { continue }
            let text = page.text(of: block)
            if Self.isBoilerplateLine(text, chars: chars) { continue }
            // A lone Latin letter is an icon font's glyph (`<span class="icon">S</span>`), not prose.
            if chars == 1, let byte = text.utf8.first, byte < 0x80 { continue }
            indices.append(i)
            paragraphs.append(text)
        }
        dropOrphanHeadings(&indices, &paragraphs)
        // A short line printed three times or more (a gallery's title over every slide,
        // `Continue reading the main story`) is furniture, however it is marked up.
        if paragraphs.count >= 3 {
            var seen: [String: Int] = [:]
            // Three words at least: a table repeats its one-word cells (`Comedy`, `2004`) honestly.
            for text in paragraphs where text.utf8.count < 300 && text.split(separator: " ").count >= 3 {
                seen[text, default: 0] += 1
            }
            if seen.values.contains(where: { $0 >= 3 }) {
                var keep: [Int] = [], kept: [String] = []
                for (k, text) in paragraphs.enumerated() where (seen[text] ?? 0) < 3 || text.count >= 100 {
                    keep.append(indices[k]); kept.append(text)
                }
                indices = keep
                paragraphs = kept
            }
        }
        return Result(text: paragraphs.joined(separator: "\n"), blockIndices: indices, roots: roots)
    }

    /// A heading whose own section kept nothing after it (`<h4>Story Tools</h4>` over a list
    /// of share links, `<h2>Browse Issues</h2>` over a linked teaser) titles furniture that was
    /// dropped: the block right after it, inside the heading's parent, was dropped, and no
    /// kept block follows it inside that parent.
    private func dropOrphanHeadings(_ indices: inout [Int], _ paragraphs: inout [String]) {
        let blocks = page.blocks
        var drop: [Int] = []
        for (k, i) in indices.enumerated() {
            let owner = Int(blocks[i].node)
            guard isHeading(Int(page.nodes[owner].tag)), i + 1 < blocks.count else { continue }
            let parent = Int(page.nodes[owner].parent)
            guard parent >= 0, page.contains(parent, Int(blocks[i + 1].node)),
                  k + 1 >= indices.count || indices[k + 1] != i + 1 else { continue }
            let keptAfter = indices[(k + 1)...].contains { page.contains(parent, Int(blocks[$0].node)) }
            if !keptAfter { drop.append(k) }
        }
        for k in drop.reversed() {
            indices.remove(at: k)
            paragraphs.remove(at: k)
        }
    }

    /// A linked subheading of a listicle (`<h3>13) <a>The Square</a></h3>`) followed by a
    /// prose paragraph of the same body is part of the text; linked headings of a related-
    /// stories list are followed by more links.
    private func headsProse(_ i: Int, root: Int, unlikely: [Bool]) -> Bool {
        let blocks = page.blocks
        let tag = Int(page.nodes[Int(blocks[i].node)].tag)
        guard tag >= INGEST_HTML_TAG_H2 && tag <= INGEST_HTML_TAG_H4, blocks[i].chars <= 120, i + 1 < blocks.count else { return false }
        let next = blocks[i + 1]
        let owner = Int(next.node)
        return page.contains(root, owner) && !unlikely[owner] && next.chars >= 80
            && Double(next.link_chars) < 0.3 * Double(next.chars) && !isHeading(Int(page.nodes[owner].tag))
    }

    private func baseScore(_ node: HTMLPage.Node) -> Double {
        var s: Double
        switch Int(node.tag) {
        case INGEST_HTML_TAG_DIV, INGEST_HTML_TAG_ARTICLE, INGEST_HTML_TAG_SECTION, INGEST_HTML_TAG_MAIN: s = 5
        case INGEST_HTML_TAG_PRE, INGEST_HTML_TAG_TD, INGEST_HTML_TAG_BLOCKQUOTE: s = 3
        case INGEST_HTML_TAG_ADDRESS, INGEST_HTML_TAG_OL, INGEST_HTML_TAG_UL, INGEST_HTML_TAG_DL,
             INGEST_HTML_TAG_DD, INGEST_HTML_TAG_DT, INGEST_HTML_TAG_LI, INGEST_HTML_TAG_FORM: s = -3
        case INGEST_HTML_TAG_H1, INGEST_HTML_TAG_H2, INGEST_HTML_TAG_H3, INGEST_HTML_TAG_H4,
             INGEST_HTML_TAG_H5, INGEST_HTML_TAG_H6, INGEST_HTML_TAG_TH: s = -5
        case INGEST_HTML_TAG_NAV, INGEST_HTML_TAG_ASIDE, INGEST_HTML_TAG_FOOTER: s = -25
        default: s = 0
        }
        let hints = node.hints
        let positive = hints & UInt32(INGEST_HTML_HINT_POSITIVE) != 0
        let negative = hints & UInt32(INGEST_HTML_HINT_NEGATIVE | INGEST_HTML_HINT_NAV) != 0
            && hints & UInt32(INGEST_HTML_HINT_ARTICLE_BODY) == 0
        if positive && !negative { s += 25 }
        if negative && !positive { s -= 25 }
        if hints & UInt32(INGEST_HTML_HINT_COMMENT) != 0 { s -= 25 }
        return s
    }

    private func linkDensity(_ node: HTMLPage.Node) -> Double {
        node.text_chars == 0 ? 0 : Double(node.link_chars) / Double(node.text_chars)
    }

    private func isHeading(_ tag: Int) -> Bool {
        tag >= INGEST_HTML_TAG_H1 && tag <= INGEST_HTML_TAG_H6
    }

    private func isBoilerplate(_ node: HTMLPage.Node) -> Bool {
        if node.hints & UInt32(INGEST_HTML_HINT_ARTICLE_BODY) != 0 { return false }
        let tag = Int(node.tag)
        if tag == INGEST_HTML_TAG_NAV || tag == INGEST_HTML_TAG_ASIDE || tag == INGEST_HTML_TAG_FOOTER { return true }
        let hints = node.hints
        if hints & UInt32(INGEST_HTML_HINT_COMMENT) != 0 { return true }
        let negative = hints & UInt32(INGEST_HTML_HINT_NEGATIVE | INGEST_HTML_HINT_NAV) != 0
        return negative && hints & UInt32(INGEST_HTML_HINT_POSITIVE) == 0
    }

    private func isFurniture(_ node: HTMLPage.Node) -> Bool {
        let tag = Int(node.tag)
        if tag == INGEST_HTML_TAG_NAV || tag == INGEST_HTML_TAG_FOOTER { return true }
        return node.hints & UInt32(INGEST_HTML_HINT_COMMENT) != 0 && node.hints & UInt32(INGEST_HTML_HINT_POSITIVE) == 0
    }

    /// A boilerplate container between the block and the chosen root (exclusive).
    private func insideBoilerplate(_ owner: Int, below root: Int) -> Bool {
        var n = owner
        while n > root && n >= 0 {
            if isBoilerplate(page.nodes[n]) { return true }
            n = Int(page.nodes[n].parent)
        }
        return false
    }

    private static let boilerplatePrefixes = [
        "©", "copyright", "版权所有", "版权声明", "分享到", "分享至", "相关阅读", "相关新闻", "相关文章",
        "延伸阅读", "推荐阅读", "热门推荐", "上一篇", "下一篇", "返回首页", "打印本页", "关闭窗口", "点击排行",
        "扫一扫", "微信扫一扫", "本文来源", "免责声明", "all rights reserved", "share this", "related:",
        "advertisement", "read more", "sign up", "subscribe",
    ]

    /// Whole short lines that are furniture wherever they appear: ad labels, video-player
    /// and widget leftovers, teaser headings.
    private static let boilerplateLines: Set<String> = [
        "advertisement", "advertising", "ad", "sponsored", "sponsored content", "undo", "videos", "video",
        "you may also like", "related", "related articles", "related stories", "related content", "more on this story",
        "continue reading the main story", "continue reading", "skip advertisement", "story continues below advertisement",
        "supported by", "share", "share this article", "share this", "read more", "more", "comments", "loading",
        "loading...", "photo", "image", "credit", "text size", "font size",
    ]

    /// Caption and credit lines that news sites print inside the text flow (`Media caption …`,
    /// `Image copyright …`), and credit lines (`Written by …`, `Edited by …`).
    private static let captionPrefixes = [
        "media caption", "image caption", "image copyright", "image source", "video caption", "written by ", "edited by ",
    ]

    /// Photo credits printed as their own line under pictures (short lines only).
    private static let creditPrefixes = [
        "credit:", "credits:", "screenshot by ", "screenshot:", "photo by ", "photos by ", "photograph by ", "image by ",
        "image credit", "photo credit", "picture by ", "illustration by ", "hide caption", "show caption", "caption:",
    ]

    /// Agency picture credits: `Mandel Ngan / AFP / Getty Images`, `… REUTERS/Benoit Tessier -`.
    private static let agencyCredits = ["REUTERS/", "AFP/", "AP/", "EPA/", "AFP PHOTO", "/ AFP", "/AFP", "Getty Images",
                                        "Associated Press/", "/ AP", "/ Reuters", "/ EPA", "Bloomberg/"]

    /// A short line that credits a picture, not a sentence: an agency credit with no closing
    /// full stop, or a caption carrying `Crédits photo :` / `Photo credit`.
    static func isPhotoCredit(_ text: String, lower: String? = nil, chars: Int) -> Bool {
        guard chars <= 160 else { return false }
        let lower = lower ?? text.lowercased()
        if TextSearch.contains(lower, "crédit") && (TextSearch.contains(lower, "crédits photo") || TextSearch.contains(lower, "crédit photo")) {
            return true
        }
        // Every agency form but two has a slash: most lines are ruled out by one byte scan.
        guard chars <= 100, let last = text.last, !".?!\"”".contains(last),
              text.utf8.contains(UInt8(ascii: "/")) || TextSearch.contains(text, "Getty") || TextSearch.contains(text, "AFP")
        else { return false }
        return agencyCredits.contains { TextSearch.contains(text, $0) }
    }

    /// `Courtesy G4`, `Courtesy of the artist`: a picture credit when short and no sentence.
    static func isCourtesyCredit(_ text: String, chars: Int) -> Bool {
        chars <= 50 && (text.hasPrefix("Courtesy ") || text.hasPrefix("COURTESY ")) && !text.hasSuffix(".")
            && text.split(separator: " ").count <= 6
    }

    /// `By Jane Doe`, `By Jane Doe, MA`, `By Jane Doe and John Roe`: a credit printed in the
    /// text flow. `By Tuesday, officials had…` and `By 2030 …` are prose.
    static func isCreditLine(_ text: String) -> Bool {
        guard ["By ", "BY ", "Par ", "PAR ", "Von ", "Por "].contains(where: { text.hasPrefix($0) }) else { return false }
        // `By Jane Doe posted Aug 18th 2010 7:30PM`: the name before its date and verb.
        var name = Substring(PageReading.latinCredit(text))
        for stop in [",", " and ", " y ", " et ", " und ", " & ", " |", " -", " —", " posted", " updated", " published", " on "] {
            if let r = name.range(of: stop) { name = name[..<r.lowerBound] }
        }
        return PageReading.readsAsPersonName(String(name).trimmingCharacters(in: .whitespaces))
    }

    static func isBoilerplateLine(_ text: String, chars: Int) -> Bool {
        guard chars < 300 else { return false }
        let lower = text.lowercased()
        if chars <= 40, boilerplateLines.contains(lower.trimmingCharacters(in: CharacterSet(charactersIn: " .:…|"))) { return true }
        for prefix in captionPrefixes where lower.hasPrefix(prefix) { return true }
        if chars <= 100 && isCreditLine(text) { return true }
        // `When you walk into any store, you're…  Read more Read more`: a teaser of another story.
        if TextSearch.contains(text, "…") && (lower.hasSuffix("read more") || lower.hasSuffix("read more »")) { return true }
        guard chars < 120 else { return false }
        for prefix in creditPrefixes where lower.hasPrefix(prefix) { return true }
        if isCourtesyCredit(text, chars: chars) { return true }
        if isPhotoCredit(text, lower: lower, chars: chars) { return true }
        for prefix in boilerplatePrefixes where lower.hasPrefix(prefix) { return true }
        if chars < 60 && (TextSearch.contains(lower, "all rights reserved") || TextSearch.contains(lower, "版权所有")) { return true }
        return false
    }
}
