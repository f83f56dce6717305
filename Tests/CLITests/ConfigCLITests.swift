import Foundation
import Testing

/// `ingest validate` and `ingest export-opml` as processes.
@Suite("ingest validate / export-opml (process)")
struct ConfigCLITests {
    @Test("the shipped pipelines validate")
    func shippedPipelinesValidate() async throws {
        for name in ["demo", "china-tech"] {
            let r = try await runIngest(["validate", name])
            #expect(r.status == 0, "\(name): \(r.stderr)")
            #expect(r.stdoutText.contains("\(name): ok"))
        }
    }

    @Test("a broken pipeline: every problem with file:line:column and key, exit 78, and run refuses too")
    func brokenPipeline() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-bad-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("pipelines"), withIntermediateDirectories: true)
        let yaml = """
            name: bad
            feeds:
              - url: htp://example.com/rss
              - url: https://example.com/a.xml
                intervall: 5m
            fetch:
              concurrency: many
            """
        let file = dir.appendingPathComponent("pipelines/bad.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let r = try await runIngest(["validate", file.path], cwd: dir)
        #expect(r.status == 78)
        #expect(r.stderr.contains("pipelines/bad.yaml:3:"), "\(r.stderr)")
        #expect(r.stderr.contains("feeds[0].url"))
        #expect(r.stderr.contains("intervall"))
        #expect(r.stderr.contains("interval"), "did-you-mean")
        #expect(r.stderr.contains("fetch.concurrency"))
        let run = try await runIngest(["run", file.path], cwd: dir)
        #expect(run.status == 78, "run validates first")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("output").path), "nothing was run")
    }

    @Test("export-opml prints the pipeline's feeds as OPML that reads back as the same list")
    func exportOPML() async throws {
        let r = try await runIngest(["export-opml", "demo"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdoutText.hasPrefix("<?xml"))
        #expect(r.stdoutText.components(separatedBy: "xmlUrl=").count - 1 == 4)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-\(UUID().uuidString).opml")
        defer { try? FileManager.default.removeItem(at: out) }
        try r.stdout.write(to: out)
        let back = try await runIngest(["--feed-list", out.path, "--quiet"])
        #expect(back.status == 0, "\(back.stderr)")
        #expect(try parseJSONLines(back.stdout).count >= 20)
    }
}
