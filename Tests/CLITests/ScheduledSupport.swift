import Foundation
import Testing
import TestHTTPServer

/// A throwaway project: `pipelines/NAME.yaml`, a feed list of server URLs, output and
/// state under the same temporary directory.
struct TempProject {
    let root: URL
    let name: String

    init(name: String = "t", feeds: [String], pipelineExtra: String = "", interval: String = "1h") throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-\(name)-\(UUID().uuidString)")
        self.name = name
        let fm = FileManager.default
        try fm.createDirectory(at: root.appendingPathComponent("pipelines"), withIntermediateDirectories: true)
        try fm.createDirectory(at: root.appendingPathComponent("feeds"), withIntermediateDirectories: true)
        var list = "feeds:\n"
        for (i, url) in feeds.enumerated() { list += "  - id: f\(i)\n    url: \(url)\n    interval: \(interval)\n" }
        try list.write(to: root.appendingPathComponent("feeds/list.yaml"), atomically: true, encoding: .utf8)
        let pipeline = """
            name: \(name)
            feed_lists:
              - feeds/list.yaml
            fetch:
              concurrency: 8
              timeout: 10s
              retries: 0
            output:
              directory: output/\(name)
            state:
              path: output/\(name)/state.sqlite
            \(pipelineExtra)
            """
        try pipeline.write(to: root.appendingPathComponent("pipelines/\(name).yaml"), atomically: true, encoding: .utf8)
    }

    var pipelineFile: String { root.appendingPathComponent("pipelines/\(name).yaml").path }
    var outputDir: URL { root.appendingPathComponent("output/\(name)") }

    func run(_ extra: [String] = []) throws -> ProcessResult {
        try runIngestBlocking(["run", pipelineFile] + extra, cwd: root)
    }

    /// Item records in every file a reader would see (dot files are in-progress temporaries).
    func visibleItems() throws -> [[String: Any]] {
        guard let e = FileManager.default.enumerator(at: outputDir, includingPropertiesForKeys: nil) else { return [] }
        var out: [[String: Any]] = []
        for case let url as URL in e where url.lastPathComponent.hasPrefix("part-") && url.pathExtension == "jsonl" {
            out += try parseJSONLines(try Data(contentsOf: url))
        }
        return out
    }

    func temporaryFiles() -> [String] {
        guard let e = FileManager.default.enumerator(at: outputDir, includingPropertiesForKeys: nil) else { return [] }
        return e.compactMap { ($0 as? URL)?.lastPathComponent }.filter { $0.hasPrefix(".") && $0.hasSuffix(".tmp") }
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

/// An RSS document with items `0..<count` of feed `feed`; `variant` changes their text.
func rssFeed(feed: Int, count: Int, variant: Int = 0, ttl: Int? = nil) -> [UInt8] {
    var s = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>Feed \(feed)</title><link>https://example.com/\(feed)/</link>
        <description>test feed</description>
        """
    if let ttl { s += "<ttl>\(ttl)</ttl>" }
    for i in 0..<count {
        s += """
            <item><title>Feed \(feed) story \(i) about chips\(variant > 0 ? " (updated \(variant))" : "")</title>
            <link>https://example.com/\(feed)/\(i).html</link><guid>feed-\(feed)-item-\(i)</guid>
            <pubDate>Fri, 07 Nov 2025 0\(i % 10):25:00 +0800</pubDate>
            <description>Body of story \(i), variant \(variant).</description></item>
            """
    }
    s += "</channel></rss>\n"
    return Array(s.utf8)
}

/// Starts the binary in the background, for kill and signal tests. `stderrLog` collects the
/// process's warnings (appended), for a failure message to quote.
func startIngest(_ arguments: [String], cwd: URL, stderrLog: URL? = nil, trace: URL? = nil) throws -> Process {
    let p = Process()
    p.executableURL = ingestBinary
    p.arguments = arguments
    p.currentDirectoryURL = cwd
    if let trace {
        var environment = ProcessInfo.processInfo.environment
        environment["INGEST_TRACE"] = trace.path
        p.environment = environment
    }
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    if let stderrLog {
        if !FileManager.default.fileExists(atPath: stderrLog.path) {
            FileManager.default.createFile(atPath: stderrLog.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: stderrLog)
        handle.seekToEndOfFile()
        p.standardError = handle
    }
    p.standardInput = FileHandle.nullDevice
    try p.run()
    return p
}

/// A plain HTTP/1.0 GET on 127.0.0.1 over a socket (Foundation's URL loading is not in
/// the base Foundation module on Linux). `nil` when nothing answers.
func localGET(port: Int, path: String) -> String? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = in_port_t(UInt16(port).bigEndian)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let ok = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard ok == 0 else { return nil }
    let request = Array("GET \(path) HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".utf8)
    guard send(fd, request, request.count, Int32(MSG_NOSIGNAL)) == request.count else { return nil }
    var response: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = recv(fd, &buf, buf.count, 0)
        if n <= 0 { break }
        response += buf[0..<n]
    }
    return String(decoding: response, as: UTF8.self)
}
