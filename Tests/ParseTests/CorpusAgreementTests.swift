import Foundation
import IngestCore
import Parse
import Testing

/// Corpus-driven checks: every real feed parses or fails cleanly, and titles, links and
/// dates agree with the expected outputs that rss-parser and feed-rs ship.
@Suite struct CorpusAgreementTests {
    static let root = TestPaths.corpusDir("feeds-parser-fixtures-en-multi")

    static func parse(_ url: URL) -> Result<ParsedFeed, SourceFailure> {
        let bytes = (try? [UInt8](Data(contentsOf: url))) ?? []
        let doc = document(bytes, url: url.absoluteString)
        do { return .success(try FeedParser().parse(doc)) } catch { return .failure(error) }
    }

    @Test(.enabled(if: TestPaths.exists(root)))
    func everyCorpusFileParsesOrFailsCleanly() {
        var parsed = 0, refused: [String] = [], recovered = 0, items = 0
        let feedExtensions: Set<String> = ["xml", "rss", "atom", "rdf", "html", "opml", "json"]
        for file in TestPaths.files(under: Self.root) where feedExtensions.contains(file.pathExtension) {
            let name = file.path.replacingOccurrences(of: Self.root.path + "/", with: "")
            // Expected outputs of other parsers are not inputs.
            if name.hasSuffix(".serde.json") || name.contains("/test/output/") { continue }
            switch Self.parse(file) {
            case .success(let feed):
                parsed += 1
                items += feed.items.count
                if !feed.info.warnings.isEmpty { recovered += 1 }
                if ProcessInfo.processInfo.environment["INGEST_PARSE_VERBOSE"] != nil {
                    print("FILE \(name): \(feed.info.format?.rawValue ?? "-") \(feed.info.encoding ?? "-") items=\(feed.items.count) "
                          + "title=\(feed.info.title ?? "nil") first=\(feed.items.first?.title ?? "nil") warnings=\(feed.info.warnings)")
                }
                for item in feed.items {
                    for text in [item.title, item.summary, item.content, item.link].compactMap({ $0 }) {
                        #expect(!text.contains("\u{01}"), "break marker leaked in \(name)")
                    }
                }
            case .failure(let f):
                #expect(!f.reason.isEmpty)
                #expect(f.stage == .parse)
                refused.append("\(name): \(f.kind.rawValue): \(f.reason.prefix(100))")
            }
        }
        print("corpus: \(parsed) parsed (\(items) items, \(recovered) with warnings), \(refused.count) refused:\n  "
              + refused.joined(separator: "\n  "))
        #expect(parsed >= 150)
        // Only documents that are not feeds may be refused.
        for r in refused { #expect(r.contains("not-a-feed") || r.contains("malformed"), "\(r)") }
    }

    // MARK: - Agreement with shipped expectations

    struct Tally {
        var checks = 0, agreed = 0
        var misses: [String] = []
        mutating func check(_ ok: Bool, _ what: @autoclosure () -> String) {
            checks += 1
            if ok { agreed += 1 } else { misses.append(what()) }
        }
        var percent: Double { checks == 0 ? 100 : Double(agreed) * 100 / Double(checks) }
    }

    static func plain(_ s: String?) -> String {
        guard let s else { return "" }
        let text = s.contains("<") || s.contains("&") ? HTMLText.plainText(s) : s
        return text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    static func sameLink(_ ours: String?, _ theirs: String?) -> Bool {
        guard let theirs = theirs?.trimmingCharacters(in: .whitespacesAndNewlines), !theirs.isEmpty else { return true }
        guard let ours else { return false }
        if ours == theirs { return true }
        // They left relative links relative; we resolve them.
        if !theirs.contains("://"), ours.hasSuffix(theirs.hasPrefix("/") ? theirs : "/" + theirs) { return true }
        return canonical(ours) == canonical(theirs)
    }

    /// Host case and an empty path are not differences between URLs.
    static func canonical(_ s: String) -> String {
        guard var c = URLComponents(string: s) else { return s.removingPercentEncoding ?? s }
        c.host = c.host?.lowercased()
        c.scheme = c.scheme?.lowercased()
        if c.path.isEmpty { c.path = "/" }
        return c.string?.removingPercentEncoding ?? s
    }

    static func sameInstant(_ ours: String?, _ theirs: String?) -> Bool {
        guard let theirs, let t = DateReading.parse(theirs) else { return true }
        guard let ours, let o = DateReading.parse(ours) else { return false }
        return abs(o.timeIntervalSince(t)) < 1
    }

    static func loadJSON(_ url: URL) -> Any? {
        guard let data = try? Data(contentsOf: url) else { return nil }
        if let v = try? JSONSerialization.jsonObject(with: data) { return v }
        // One expected output was written in Latin-1.
        let latin = String(decoding: data.map { $0 }, as: UTF8.self)
        return try? JSONSerialization.jsonObject(with: Data(latin.utf8))
    }

    static func rssParserTally() -> Tally {
        var tally = Tally()
        let outputs = Self.root.appendingPathComponent("rss-parser/test/output")
        let inputs = Self.root.appendingPathComponent("rss-parser/test/input")
        let inputFiles = (try? FileManager.default.contentsOfDirectory(at: inputs, includingPropertiesForKeys: nil)) ?? []
        for out in TestPaths.files(under: outputs) where out.pathExtension == "json" {
            let stem = out.deletingPathExtension().lastPathComponent
            guard let input = inputFiles.first(where: { $0.deletingPathExtension().lastPathComponent == stem }),
                  let json = loadJSON(out) as? [String: Any],
                  let feed = (json["feed"] as? [String: Any]) ?? json as [String: Any]?,
                  let expected = feed["items"] as? [[String: Any]] else { continue }
            guard case .success(let parsed) = parse(input) else {
                tally.check(false, "\(stem): not parsed")
                continue
            }
            for (i, e) in expected.enumerated() {
                let ours = i < parsed.items.count ? parsed.items[i] : nil
                if let t = e["title"] as? String {
                    tally.check(plain(ours?.title) == plain(t), "rss-parser \(stem)#\(i) title: \(plain(ours?.title)) | \(plain(t))")
                }
                if let l = e["link"] as? String {
                    tally.check(sameLink(ours?.link, l), "rss-parser \(stem)#\(i) link: \(ours?.link ?? "nil") | \(l)")
                }
                if let d = (e["isoDate"] as? String) ?? (e["pubDate"] as? String) {
                    let o = ours?.published ?? ours?.updated
                    tally.check(sameInstant(o, d), "rss-parser \(stem)#\(i) date: \(o ?? "nil") | \(d)")
                }
            }
        }
        return tally
    }

    static func feedRSTally() -> Tally {
        var tally = Tally()
        for out in TestPaths.files(under: Self.root.appendingPathComponent("feed-rs")) where out.lastPathComponent.hasSuffix(".serde.json") {
            let stem = String(out.lastPathComponent.dropLast(".serde.json".count))
            let dir = out.deletingLastPathComponent()
            let candidates = ["xml", "rss", "atom", "json"].map { dir.appendingPathComponent("\(stem).\($0)") }
            guard let input = candidates.first(where: { TestPaths.exists($0) }),
                  let json = loadJSON(out) as? [String: Any],
                  let entries = json["entries"] as? [[String: Any]] else { continue }
            guard case .success(let parsed) = parse(input) else {
                tally.check(false, "\(stem): not parsed")
                continue
            }
            for (i, e) in entries.enumerated() {
                let ours = i < parsed.items.count ? parsed.items[i] : nil
                if let t = (e["title"] as? [String: Any])?["content"] as? String {
                    tally.check(plain(ours?.title) == plain(t), "feed-rs \(stem)#\(i) title: \(plain(ours?.title)) | \(plain(t))")
                }
                if let links = e["links"] as? [[String: Any]], !links.isEmpty {
                    let hrefs = links.compactMap { $0["href"] as? String }
                    let alternate = links.first(where: { ($0["rel"] as? String).map { $0 == "alternate" } ?? true })?["href"] as? String
                    let want = alternate ?? hrefs.first
                    tally.check(sameLink(ours?.link, want), "feed-rs \(stem)#\(i) link: \(ours?.link ?? "nil") | \(want ?? "nil")")
                }
                if let d = (e["published"] as? String) ?? (e["updated"] as? String) {
                    let o = (e["published"] is String) ? (ours?.published ?? ours?.updated) : (ours?.updated ?? ours?.published)
                    tally.check(sameInstant(o, d), "feed-rs \(stem)#\(i) date: \(o ?? "nil") | \(d)")
                }
            }
        }
        return tally
    }

    @Test(.enabled(if: TestPaths.exists(root)))
    func titlesLinksAndDatesAgreeWithShippedExpectations() {
        let a = Self.rssParserTally()
        let b = Self.feedRSTally()
        let all = Tally(checks: a.checks + b.checks, agreed: a.agreed + b.agreed, misses: a.misses + b.misses)
        print(String(format: "agreement: rss-parser %.1f%% (%d/%d), feed-rs %.1f%% (%d/%d), overall %.1f%% (%d/%d)",
                     a.percent, a.agreed, a.checks, b.percent, b.agreed, b.checks, all.percent, all.agreed, all.checks))
        print("disagreements:\n  " + all.misses.joined(separator: "\n  "))
        #expect(all.checks > 300)
        #expect(all.percent >= 97)
    }
}

/// Test-side reading of printed dates, only to compare instants with other parsers'
/// normalized output (the product's own date rules live in Normalize).
enum DateReading {
    static func parse(_ raw: String) -> Date? {
        let s = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        let iso = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime]] {
            iso.formatOptions = options
            if let d = iso.date(from: s) { return d }
        }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        for format in [
            "EEE, dd MMM yyyy HH:mm:ss Z", "EEE, d MMM yyyy HH:mm:ss Z", "dd MMM yyyy HH:mm:ss Z", "EEE, dd MMM yyyy HH:mm Z",
            "EEE, dd MMM yyyy HH:mm:ss zzz", "EEE, d MMM yyyy HH:mm:ss zzz", "dd MMM yyyy HH:mm:ss zzz",
            "EEE, dd MMM yyyy HH:mm zzz", "EEE, dd MMM yy HH:mm:ss Z",
            "yyyy-MM-dd'T'HH:mm:ssZZZZZ", "yyyy-MM-dd'T'HH:mmZZZZZ", "yyyy-MM-dd'T'HH:mm:ss.SSSZZZZZ", "yyyy-MM-dd'T'HH:mm:ss",
            "yyyy-MM-dd HH:mm:ss Z", "yyyy-MM-dd", "EEE, dd MMM yyyy HH:mm:ss", "EEE MMM dd HH:mm:ss zzz yyyy",
        ] {
            f.dateFormat = format
            if let d = f.date(from: s) { return d }
        }
        return nil
    }
}

/// Chinese feeds end to end through FeedParser: every file parses and its items read as
/// Chinese text with links.
@Suite struct ChineseCorpusTests {
    static let wechat = TestPaths.corpusDir("zh-feeds-wechat-feeds-2021")
    static let legacy = TestPaths.corpusDir("zh-feeds-legacy-gb-big5")

    @Test(.enabled(if: TestPaths.exists(wechat)))
    func wechatFeedsParse() throws {
        var problems: [String] = []
        var files = 0, items = 0
        for file in TestPaths.files(under: Self.wechat) where file.pathExtension == "xml" || file.pathExtension == "rss" {
            files += 1
            let doc = document([UInt8](try Data(contentsOf: file)), url: file.absoluteString)
            do {
                let feed = try FeedParser().parse(doc)
                items += feed.items.count
                if feed.items.isEmpty { problems.append("\(file.lastPathComponent): no items") }
                for item in feed.items {
                    let title = item.title ?? ""
                    if title.isEmpty || title.replacementCount > 0 { problems.append("\(file.lastPathComponent): bad title \(title)") }
                    if item.link == nil { problems.append("\(file.lastPathComponent): item without link") }
                    if item.published == nil { problems.append("\(file.lastPathComponent): item without date") }
                }
            } catch {
                problems.append("\(file.lastPathComponent): \(error)")
            }
        }
        print("wechat: \(files) files, \(items) items, \(problems.count) problems")
        #expect(files >= 40)
        #expect(problems.isEmpty, "\(problems.prefix(20).joined(separator: "\n"))")
    }

    @Test(.enabled(if: TestPaths.exists(legacy)))
    func legacyFeedsYieldChineseItems() throws {
        var problems: [String] = []
        // The chromium samples are HTML pages (refused as "not a feed", which is right).
        for file in TestPaths.files(under: Self.legacy) where file.pathExtension == "xml" && !file.lastPathComponent.contains(".html") {
            let doc = document([UInt8](try Data(contentsOf: file)), url: file.absoluteString)
            do {
                let feed = try FeedParser().parse(doc)
                let text = ([feed.info.title ?? ""] + feed.items.flatMap { [$0.title ?? "", $0.summary ?? "", $0.content ?? ""] }).joined()
                if text.hanCount < 10 || text.replacementCount > 2 {
                    problems.append("\(file.lastPathComponent): \(feed.info.encoding ?? "-") han \(text.hanCount) U+FFFD \(text.replacementCount) items \(feed.items.count)")
                }
            } catch {
                problems.append("\(file.lastPathComponent): \(error)")
            }
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }
}
