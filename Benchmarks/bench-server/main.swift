import Foundation
import TestHTTPServer

/// A local feed server for the fetch benchmarks: `N` RSS feeds at `/feed/<i>.xml`, each
/// answered after a fixed latency, with an ETag so a second pass is all 304s.
///
///     bench-server --feeds 2000 --latency-ms 100 --items 20
///
/// Prints `PORT <port>` on its first line, then serves until killed.
struct Options {
    var feeds = 2000
    var latency = 100
    var items = 20
}
let options: Options = {
    var o = Options()
    var args = CommandLine.arguments.dropFirst().makeIterator()
    while let a = args.next() {
        switch a {
        case "--feeds": o.feeds = Int(args.next() ?? "") ?? o.feeds
        case "--latency-ms": o.latency = Int(args.next() ?? "") ?? o.latency
        case "--items": o.items = Int(args.next() ?? "") ?? o.items
        default:
            FileHandle.standardError.write(Data("usage: bench-server [--feeds N] [--latency-ms MS] [--items K]\n".utf8))
            exit(64)
        }
    }
    return o
}()
let feeds = options.feeds
let items = options.items

func feedBody(_ n: Int) -> [UInt8] {
    var s = #"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>"#
    s += "<title>Bench feed \(n) 科技</title><link>https://bench.example/\(n)/</link><description>benchmark</description>"
    for i in 0..<items {
        s += "<item><title>Feed \(n) story \(i): 芯片出口管制 and open-source models</title>"
        s += "<link>https://bench.example/\(n)/\(i).html</link><guid>bench-\(n)-\(i)</guid>"
        s += "<pubDate>Fri, 07 Nov 2025 02:\(String(format: "%02d", i % 60)):00 +0800</pubDate>"
        s += "<description>正文摘要 \(i)：中美科技脱钩背景下的开源大模型与半导体产业。</description></item>"
    }
    return Array((s + "</channel></rss>").utf8)
}

let bodies = (0..<feeds).map(feedBody)
let delay = Duration.milliseconds(options.latency)
let server = try TestHTTPServer { req in
    let digits = req.path.split(separator: "/").last?.prefix { $0.isNumber } ?? ""
    guard let n = Int(digits), n < feeds else { return TestResponse(status: 404, delay: delay) }
    let etag = "\"bench-\(n)\""
    if req.header("If-None-Match") == etag {
        return TestResponse(status: 304, headers: [(name: "ETag", value: etag)], delay: delay)
    }
    return TestResponse(status: 200, headers: [(name: "ETag", value: etag), (name: "Content-Type", value: "application/rss+xml")],
                        body: bodies[n], delay: delay)
}
FileHandle.standardOutput.write(Data("PORT \(server.port)\n".utf8))
while true { sleep(3600) }
