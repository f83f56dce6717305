import Foundation
import Testing
import TestHTTPServer

/// The built `ingest` binary, run as a process over the bundled samples: what a user
/// sees, checked against ../shared/CONTRACT.md.
@Suite("ingest --feed (process)", .serialized)
struct AdHocCLITests {
    let zhSample = "feeds/samples/zh-tech.rss.xml"
    let enSample = "feeds/samples/en-tech.atom.xml"

    @Test("a local path gives contract records on stdout and a summary on stderr")
    func localPath() async throws {
        let r = try await runIngest(["--feed", zhSample])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let records = try parseJSONLines(r.stdout)
        #expect(records.count >= 5)
        for rec in records { checkItemContract(rec) }
        #expect(r.stderr.contains(zhSample), "summary names the feed")
        #expect(!r.stdoutText.contains("ingest:"), "diagnostics never go into the records")

        let seed = try #require(records.first { ($0["title_raw"] as? String)?.contains("脱钩") == true })
        #expect(seed["title"] as? String == "当全球习惯了中国技术，所谓“脱钩”就失去了根基")
        #expect(seed["title_raw"] as? String == "当全球习惯了中国技术,所谓“脱钩”就失去了根基")
        #expect(seed["published_at"] as? String == "2025-11-06T18:25:00Z")
        #expect(seed["published_local"] as? String == "2025-11-07T02:25:00+08:00")
        #expect(seed["lang"] as? String == "zh-Hans")
        let topics = seed["topics"] as? [String] ?? []
        #expect(topics.contains("decoupling"))
        #expect(topics.contains("open-source"))
        #expect((seed["source"] as? [String: Any])?["name"] as? String == "钛媒体APP")
        let url = seed["url"] as? String ?? ""
        #expect(url.hasPrefix("https://news.example.cn/tech/2025/11/07/open-source-decoupling.html"))
        #expect(!url.contains("utm_"), "tracking parameters removed: \(url)")
    }

    @Test("file:// URLs, several feeds and --feed-records")
    func fileURLAndFeedRecords() async throws {
        let fileURL = packageRoot.appendingPathComponent(enSample).absoluteString
        let r = try await runIngest(["--feed", fileURL, "--feed", zhSample, "--feed-records"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let records = try parseJSONLines(r.stdout)
        let feeds = records.filter { $0["schema"] as? String == "ingest.feed/1" }
        #expect(feeds.count == 2)
        for f in feeds {
            for key in feedContractKeys { #expect(f.keys.contains(key), "feed record key \(key)") }
            #expect(f["error"] is NSNull)
        }
        // Each feed record comes before that feed's items.
        var currentFeedURL: String?
        for rec in records {
            if rec["schema"] as? String == "ingest.feed/1" {
                currentFeedURL = rec["url"] as? String
                continue
            }
            checkItemContract(rec)
            #expect((rec["feed"] as? [String: Any])?["url"] as? String == currentFeedURL)
        }
        let atom = try #require(feeds.first { $0["format"] as? String == "atom1" })
        #expect(atom["items"] as? Int == records.filter {
            ($0["feed"] as? [String: Any])?["url"] as? String == atom["url"] as? String
        }.count)
    }

    @Test("http://127.0.0.1 feeds; a 404 and a dead feed are reported and the rest still arrive")
    func httpAndFailures() async throws {
        let body = try Data(contentsOf: packageRoot.appendingPathComponent(enSample))
        let server = try TestHTTPServer { req in
            switch req.path {
            case "/feed.atom": return .bytes([UInt8](body), contentType: "application/atom+xml")
            default: return .status(404)
            }
        }
        defer { server.stop() }
        let r = try await runIngest([
            "--feed", "\(server.baseURL)/missing.xml", "--feed", "\(server.baseURL)/feed.atom",
            "--feed", "feeds/samples/does-not-exist.xml", "--feed-records",
        ])
        #expect(r.status == 0, "feed failures alone do not fail the run: \(r.stderr)")
        let records = try parseJSONLines(r.stdout)
        let items = records.filter { $0["schema"] as? String == "ingest.item/1" }
        #expect(items.count >= 5)
        let failed = records.filter { $0["schema"] as? String == "ingest.feed/1" && !($0["error"] is NSNull) }
        #expect(failed.count == 2)
        #expect(r.stderr.contains("\(server.baseURL)/missing.xml"))
        #expect(r.stderr.contains("404"))
        #expect(r.stderr.contains("does-not-exist.xml"))

        let strict = try await runIngest(["--feed", "\(server.baseURL)/missing.xml", "--feed", zhSample, "--strict"])
        #expect(strict.status == 1)
        #expect(try parseJSONLines(strict.stdout).count >= 5, "--strict still emits what it read")
    }

    @Test("feed autodiscovery: a page that advertises its feed is followed; a page without one is 'not a feed'")
    func autodiscovery() async throws {
        let feed = try Data(contentsOf: packageRoot.appendingPathComponent(zhSample))
        let server = try TestHTTPServer { req in
            switch req.path {
            case "/news/": return .text(#"<!DOCTYPE html><html><head><title>News</title><link rel="alternate" type="application/rss+xml" title="RSS" href="/rss.xml"></head><body><p>hi</p></body></html>"#, contentType: "text/html")
            case "/plain/": return .text("<html><head><title>No feed</title></head><body>nothing</body></html>", contentType: "text/html")
            case "/evil/": return .text(#"<html><head><link rel="alternate" type="application/rss+xml" href="file:///etc/passwd"></head></html>"#, contentType: "text/html")
            case "/rss.xml": return .bytes([UInt8](feed), contentType: "application/rss+xml")
            default: return .status(404)
            }
        }
        defer { server.stop() }
        let r = try await runIngest(["--feed", server.url("/news/"), "--feed", server.url("/plain/"), "--feed-records"])
        #expect(r.status == 0, "\(r.stderr)")
        let records = try parseJSONLines(r.stdout)
        #expect(records.filter { $0["schema"] as? String == "ingest.item/1" }.count >= 5)
        #expect(server.hits(path: "/rss.xml") == 1)
        let plain = records.first { $0["schema"] as? String == "ingest.feed/1" && ($0["url"] as? String)?.hasSuffix("/plain/") == true }
        #expect((plain?["error"] as? String)?.contains("not a feed") == true, "\(String(describing: plain))")

        let evil = try await runIngest(["--feed", server.url("/evil/")])
        #expect(evil.status == 0)
        #expect(evil.stdout.isEmpty, "nothing from /etc/passwd")
        #expect(evil.stderr.contains("only http and https are followed"))
    }

    @Test("--output DIR writes complete JSON Lines files, nothing on stdout")
    func outputDirectory() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try await runIngest(["--feed", zhSample, "--feed", enSample, "--output", dir.path])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.isEmpty)
        let files = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "jsonl" }
        #expect(!files.isEmpty)
        var items = 0
        for f in files where f.lastPathComponent.hasPrefix("part-") {
            let recs = try parseJSONLines(try Data(contentsOf: f))
            for rec in recs { checkItemContract(rec) }
            items += recs.count
        }
        #expect(items >= 10)
        let leftovers = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { $0.lastPathComponent.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    /// Each write to `--output DIR` publishes a part file (two fsyncs); one per feed made a
    /// run over thousands of small feeds leave thousands of part files.
    @Test("--output DIR cuts parts by record count, not one per feed; every item once")
    func outputDirectoryPartsSpanFeeds() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-cli-parts-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let feeds = dir.appendingPathComponent("feeds")
        try FileManager.default.createDirectory(at: feeds, withIntermediateDirectories: true)
        var args: [String] = []
        for f in 0..<30 {
            let file = feeds.appendingPathComponent("feed-\(f).xml")
            try Data(rssFeed(feed: f, count: 3)).write(to: file)
            args += ["--feed", file.path]
        }
        let out = dir.appendingPathComponent("out")
        let r = try await runIngest(args + ["--output", out.path, "--feed-records"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let parts = FileManager.default.enumerator(at: out, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }
            .filter { $0.lastPathComponent.hasPrefix("part-") || $0.lastPathComponent.hasPrefix("feeds-") }
        var guids: [String] = []
        var feedRecords = 0
        for part in parts {
            for rec in try parseJSONLines(try Data(contentsOf: part)) {
                if rec["schema"] as? String == "ingest.feed/1" { feedRecords += 1; continue }
                guids.append(rec["guid"] as? String ?? "")
            }
        }
        #expect(guids.count == 90)
        #expect(Set(guids).count == 90)
        #expect(feedRecords == 30)
        // 120 records fit one batch of 256: one items part (all items fall on 2025-11-06 UTC) and
        // one part of feed records; a part per feed would make 60.
        #expect(parts.count == 2, "\(parts.map(\.lastPathComponent))")
    }

    /// Past a few hundred entries the feed list and the finished feeds' reports wait in
    /// temporary files (a list of tens of thousands of feeds stays inside the memory bound):
    /// every feed still appears once in the summary, in order of finishing, with its failure and
    /// totals, and a repeat inside a feed is still dropped.
    @Test("a feed list longer than what is held in memory: every feed reported, every item once")
    func longFeedList() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-cli-long-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var list = ""
        for f in 0..<600 {
            let file = dir.appendingPathComponent("feed-\(f).xml")
            var bytes = rssFeed(feed: f, count: 2)
            if f == 450 {
                // The same item twice in one document, far past the in-memory part of the list.
                let text = String(decoding: bytes, as: UTF8.self)
                let item = text[text.range(of: "<item>")!.lowerBound..<text.range(of: "</item>")!.upperBound]
                bytes = Array(text.replacingOccurrences(of: "</channel>", with: item + "</channel>").utf8)
            }
            if f == 500 { bytes = Array("plain text, not a feed\n".utf8) }  // feed 500 fails
            try Data(bytes).write(to: file)
            list += file.path + "\n"
        }
        let listFile = dir.appendingPathComponent("feeds.txt")
        try list.write(to: listFile, atomically: true, encoding: .utf8)
        let r = try await runIngest(["--feed-list", listFile.path, "--strict"])
        #expect(r.status == 1, "--strict: one feed failed; stderr tail: \(r.stderr.suffix(300))")
        let guids = try parseJSONLines(r.stdout).compactMap { $0["guid"] as? String }
        #expect(guids.count == 599 * 2)
        #expect(Set(guids).count == guids.count)
        #expect(guids.filter { $0 == "feed-450-item-0" }.count == 1)
        let lines = r.stderr.split(separator: "\n")
        for f in [0, 255, 256, 257, 449, 450, 599] {
            #expect(lines.filter { $0.hasPrefix("  ok ") && $0.contains("/feed-\(f).xml ") }.count == 1, "feed \(f)")
        }
        let fail = lines.filter { $0.hasPrefix("  FAIL") }
        #expect(fail.count == 1 && fail.first?.contains("/feed-500.xml") == true, "\(fail)")
        #expect(lines.filter { $0.hasPrefix("  ok ") }.count == 599)
        #expect(r.stderr.contains("600 sources: 599 ok, 0 not modified, 1 failed"), "\(r.stderr.suffix(300))")
        #expect(r.stderr.contains("; 1198 records;"))
    }

    /// Records reach the sink in batches of 256; each batch used to become a file per day it
    /// touched, so a run whose items span many days wrote files per day per batch (19,090 over
    /// the real-feed corpus, whose items span 1,789 days).
    @Test("--output DIR writes one part per day however many batches the day's items arrive in")
    func outputDirectoryPartsSpanBatches() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-cli-days-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let feeds = dir.appendingPathComponent("feeds")
        try FileManager.default.createDirectory(at: feeds, withIntermediateDirectories: true)
        var args: [String] = []
        for f in 0..<40 {
            var xml = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Feed \(f)</title><link>https://example.com/\(f)/</link>"
            for i in 0..<10 {
                xml += "<item><title>Feed \(f) story \(i)</title><link>https://example.com/\(f)/\(i)</link>"
                    + "<guid>f\(f)-i\(i)</guid><pubDate>Sat, 0\(1 + i % 5) Nov 2025 12:00:00 GMT</pubDate></item>"
            }
            let file = feeds.appendingPathComponent("feed-\(f).xml")
            try (xml + "</channel></rss>").write(to: file, atomically: true, encoding: .utf8)
            args += ["--feed", file.path]
        }
        let out = dir.appendingPathComponent("out")
        // An hour between publications: a loaded machine must not decide the count (the default,
        // 10 s, once passed between the two batches on CI's two cores).
        let r = try await runIngest(args + ["--output", out.path, "--publish-every", "3600"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let all = FileManager.default.enumerator(at: out, includingPropertiesForKeys: nil)!.compactMap { $0 as? URL }
        let parts = all.filter { $0.lastPathComponent.hasPrefix("part-") }
        #expect(!all.contains { $0.lastPathComponent.hasSuffix(".tmp") }, "nothing left under a temporary name")
        var guids: [String] = []
        for part in parts { for rec in try parseJSONLines(try Data(contentsOf: part)) { guids.append(rec["guid"] as? String ?? "") } }
        #expect(guids.count == 400 && Set(guids).count == 400)
        // 400 records in two batches over five days: ten files when each batch was published alone.
        #expect(parts.count == 5, "\(parts.map { $0.deletingLastPathComponent().lastPathComponent + "/" + $0.lastPathComponent })")
    }

    @Test("--feed-list reads OPML and plain lists")
    func feedLists() async throws {
        let opml = try await runIngest(["--feed-list", "feeds/demo.opml"])
        #expect(opml.status == 0, "stderr: \(opml.stderr)")
        let fromOPML = try parseJSONLines(opml.stdout)
        #expect(fromOPML.count >= 20)
        let plain = try await runIngest(["--feed-list", "feeds/demo.txt"])
        #expect(plain.status == 0, "stderr: \(plain.stderr)")
        // The OPML list names feed ids, the plain list cannot: same items, told apart by guid.
        let guids = { (recs: [[String: Any]]) in Set(recs.compactMap { $0["guid"] as? String }) }
        #expect(guids(try parseJSONLines(plain.stdout)) == guids(fromOPML), "same feeds whatever the list format")
    }

    @Test("--page: the seed-shaped article page gives one record with the seed's facts, from a path and over HTTP")
    func seedPage() async throws {
        let fixture = "Tests/ParseTests/Fixtures/article/seed-like.html"
        let html = try Data(contentsOf: packageRoot.appendingPathComponent(fixture))
        let server = try TestHTTPServer { _ in .bytes([UInt8](html), contentType: "text/html; charset=utf-8") }
        defer { server.stop() }
        for src in [fixture, server.url("/2025/11/07/article.html")] {
            let r = try await runIngest(["--page", src])
            #expect(r.status == 0, "\(r.stderr)")
            let records = try parseJSONLines(r.stdout)
            #expect(records.count == 1)
            let rec = try #require(records.first)
            checkItemContract(rec)
            #expect(rec["title"] as? String == "当全球习惯了中国技术，所谓“脱钩”就失去了根基")
            let source = rec["source"] as? [String: Any]
            #expect(source?["name"] as? String == "钛媒体APP")
            #expect(source?["id"] as? String == "tmtpost")
            #expect(rec["published_at"] as? String == "2025-11-06T18:25:00Z")
            #expect(rec["lang"] as? String == "zh-Hans")
            #expect((rec["summary"] as? String)?.hasPrefix("Core Insights") == true)
            let topics = rec["topics"] as? [String] ?? []
            #expect(topics.contains("decoupling") && topics.contains("open-source"))
            let feed = rec["feed"] as? [String: Any]
            #expect(feed?["url"] is NSNull, "a page has no feed")
        }
    }

    @Test("a gzip-compressed feed file is read; inflating past --max-bytes fails that feed with the reason")
    func gzipFeedFileAndItsCap() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-gz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = dir.appendingPathComponent("zh.xml")
        try FileManager.default.copyItem(at: packageRoot.appendingPathComponent(zhSample), to: plain)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gzip.arguments = ["gzip", "-k", "-9", plain.path]
        try gzip.run()
        gzip.waitUntilExit()
        #expect(gzip.terminationStatus == 0)
        let gz = plain.path + ".gz"

        let expected = try parseJSONLines(try await runIngest(["--feed", plain.path]).stdout).count
        let r = try await runIngest(["--feed", gz])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(try parseJSONLines(r.stdout).count == expected)

        // A cap the compressed file fits under but its inflated form does not: the read
        // succeeds and the inflation stops, naming the cap.
        let compressed = try #require(try FileManager.default.attributesOfItem(atPath: gz)[.size] as? Int)
        let cap = compressed + 100
        #expect(cap < 7000, "the sample must compress well for this test (\(compressed) bytes)")
        let capped = try await runIngest(["--feed", gz, "--max-bytes", "\(cap)", "--strict"])
        #expect(capped.status != 0)
        #expect(capped.stderr.contains("inflates to more than the \(cap)-byte cap"), "stderr: \(capped.stderr)")
    }

    /// A taxonomy that fails to compile fails the stages waiting on it, and the stages beside them
    /// then fail with a closed channel. With a few hundred items in flight the closed channel
    /// reached the run first, and the user read "channel closed by its consumer" and exit 1 (seen
    /// on 6 of 6 release runs over a 262-item feed) instead of the line of the taxonomy at fault.
    @Test("a taxonomy that does not compile is named with its reason and exit 78, however many items are in flight")
    func brokenTaxonomyNamesItsCause() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-badtax-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let feed = dir.appendingPathComponent("many.xml")
        try Data(rssFeed(feed: 1, count: 600)).write(to: feed)
        let taxonomy = dir.appendingPathComponent("topics.yaml")
        // The shipped taxonomy (large: items are in flight long before it is read) with one name
        // that is no topic's term, which only reading the whole taxonomy finds.
        let shipped = try String(contentsOf: packageRoot.appendingPathComponent("pipelines/topics.yaml"), encoding: .utf8)
        try #require(shipped.contains("\nnames: ["))
        try shipped.replacingOccurrences(of: "\nnames: [", with: "\nnames: [acme, ")
            .write(to: taxonomy, atomically: true, encoding: .utf8)
        for _ in 0..<3 {
            let r = try await runIngest(["--feed", feed.path, "--taxonomy", taxonomy.path, "--output", "-"])
            #expect(r.status == 78, "\(r.stderr)")
            #expect(r.stderr.contains(taxonomy.path) && r.stderr.contains("acme"), "\(r.stderr)")
            #expect(!r.stderr.contains("channel closed"), "\(r.stderr)")
        }
    }

    @Test("usage errors, --help and --version")
    func usage() async throws {
        let none = try await runIngest([])
        #expect(none.status == 64)
        #expect(none.stderr.contains("--feed"))
        let help = try await runIngest(["--help"])
        #expect(help.status == 0)
        #expect(help.stdoutText.contains("ingest --feed"))
        #expect(help.stdoutText.contains("ingest run"))
        let version = try await runIngest(["--version"])
        #expect(version.status == 0)
        #expect(version.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
        let badList = try await runIngest(["--feed-list", "feeds/nope.opml"])
        #expect(badList.status != 0)
        #expect(badList.stderr.contains("feeds/nope.opml"))
    }
}
