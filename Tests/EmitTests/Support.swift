import Foundation
import IngestCore
@testable import Emit

/// The package root, found from this file's path, so tests read the committed schemas.
let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

let itemSchemaURL = packageRoot.appendingPathComponent("schema/ingest.item-1.schema.json")
let feedSchemaURL = packageRoot.appendingPathComponent("schema/ingest.feed-1.schema.json")

func utcDate(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 0, _ min: Int = 0, _ s: Int = 0) -> Date {
    let days = RFC3339.daysFromCivil(y, m, d)
    return Date(timeIntervalSince1970: Double(days * 86_400) + Double(h * 3600 + min * 60 + s))
}

/// An item with every field filled, modelled on the seed article (text written here).
func fullItem() -> FeedItem {
    FeedItem(
        id: "a1b2c3d4e5f60718",
        url: "https://example.com/a?x=1",
        guid: "tag:example.com,2025:1",
        title: "当全球习惯了中国技术，所谓“脱钩”就失去了根基",
        titleRaw: "当全球习惯了中国技术,所谓“脱钩”就失去了根基",
        titleKey: "当全球习惯了中国技术所谓脱钩就失去了根基",
        summary: "Line one\nLine \"two\" \\ tab\there",
        content: nil,
        lang: "zh-Hans",
        published: LocalizedDate(instant: utcDate(2025, 11, 6, 18, 25), utcOffsetSeconds: 8 * 3600),
        updated: nil,
        authors: ["张三", "Jane Doe"],
        categories: ["科技"],
        source: SourceRef(id: "tmtpost", name: "钛媒体APP", nameEn: "TMTPost App"),
        feed: FeedRef(url: "https://example.com/feed.xml", title: "Example", link: "https://example.com/", language: "zh-cn"),
        topics: ["decoupling", "open-source"],
        topicEvidence: [("decoupling", ["脱钩"]), ("open-source", ["开源"])],
        fetchedAt: utcDate(2025, 11, 7),
        revision: 2
    )
}

/// An item that knows nothing but what the contract requires.
func bareItem(id: String = "bare", fetchedAt: Date = utcDate(2025, 11, 7, 1, 2, 3)) -> FeedItem {
    FeedItem(id: id, title: "", titleRaw: "", fetchedAt: fetchedAt)
}

func item(_ id: String, published: Date?, fetched: Date = utcDate(2025, 11, 7, 12), content: String? = nil) -> FeedItem {
    FeedItem(
        id: id, url: "https://example.com/\(id)", title: "Headline \(id)", titleRaw: "Headline \(id)",
        content: content, published: published.map { LocalizedDate(instant: $0, utcOffsetSeconds: 0) },
        fetchedAt: fetched)
}

func parseLine(_ bytes: some Sequence<UInt8>) throws -> [String: Any] {
    let data = Data(bytes)
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw EmitError("not a JSON object: \(String(decoding: data, as: UTF8.self))")
    }
    return object
}

/// A fresh directory under the system temporary directory, removed by the caller.
func makeTemporaryDirectory() throws -> String {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("emit-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Every file under `root`, relative, sorted; what a reader listing the tree would see.
func allFiles(_ root: String) -> [String] {
    let fm = FileManager.default
    guard let e = fm.enumerator(atPath: root) else { return [] }
    var out: [String] = []
    while let p = e.nextObject() as? String {
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: root + "/" + p, isDirectory: &isDir), !isDir.boolValue { out.append(p) }
    }
    return out.sorted()
}

/// Files a reader would consider: not dot files.
func visibleFiles(_ root: String) -> [String] {
    allFiles(root).filter { !$0.split(separator: "/").contains { $0.hasPrefix(".") } }
}

func lines(of data: Data) -> [[UInt8]] {
    var out: [[UInt8]] = []
    var current: [UInt8] = []
    for b in data {
        current.append(b)
        if b == 0x0A { out.append(current); current = [] }
    }
    if !current.isEmpty { out.append(current) }  // an unterminated last line shows up as such
    return out
}

/// Runs a real process and returns its standard output; throws on non-zero exit.
func run(_ executable: String, _ arguments: [String]) throws -> Data {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else {
        throw EmitError("\(executable) \(arguments.joined(separator: " ")) exited with \(p.terminationStatus)")
    }
    return data
}
