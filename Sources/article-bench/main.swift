import Foundation
import IngestCore
import Parse
import CLibXML
import NewsText

/// Pages per second for article extraction alone (bytes already in memory, start-up
/// excluded), over every HTML page of the shared corpus article sets.
/// Usage: article-bench [--rounds N] [--dump FILE...] [--credits LINE...] [CORPUS_DIR]
var arguments = Array(CommandLine.arguments.dropFirst())
var rounds = 3
if let i = arguments.firstIndex(of: "--rounds"), i + 1 < arguments.count {
    rounds = Int(arguments[i + 1]) ?? 3
    arguments.removeSubrange(i...(i + 1))
}

func document(_ path: String, _ bytes: [UInt8]) -> FetchedDocument {
    let url = URL(fileURLWithPath: path).absoluteString
    return FetchedDocument(source: FeedSource(location: path, kind: .page), requestedURL: url, finalURL: url,
                           httpStatus: nil, body: bytes, fetchedAt: Date())
}

if arguments.first == "--credits" {
    // The Chinese credits the byline parser reads in each line given (for tuning).
    for line in arguments.dropFirst() { print("\(line) => \(Byline.chineseCredits(in: line))") }
    exit(0)
}

if arguments.first == "--dump" {
    for path in arguments.dropFirst() {
        let bytes = [UInt8]((try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data())
        do {
            let parsed = try ArticleExtractor().extract(document(path, bytes))
            let item = parsed.items[0]
            print("== \(path) [\(parsed.info.encoding ?? "?")]")
            print("title:     \(item.title ?? "nil")")
            print("link:      \(item.link ?? "nil")")
            print("published: \(item.published ?? "nil")   updated: \(item.updated ?? "nil")")
            print("byline:    \(item.byline ?? "nil")")
            print("authors:   \(item.authors)   source: \(item.sourceName ?? "nil")")
            print("summary:   \(item.summary ?? "nil")")
            print("content:\n\(item.content ?? "nil")")
        } catch {
            print("== \(path): \(error)")
        }
    }
    exit(0)
}

let corpus = arguments.first ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("shared/corpus").path
var pages: [(String, [UInt8])] = []
for set in ["zh-articles-gne", "zh-articles-cwced", "articles-readability", "articles-newspaper4k", "articles-goose3"] {
    let root = URL(fileURLWithPath: corpus).appendingPathComponent(set)
    guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { continue }
    for case let url as URL in walker {
        let name = url.lastPathComponent
        guard name.hasSuffix(".html") || name.hasSuffix(".htm") else { continue }
        if set == "articles-readability" && name != "source.html" { continue }
        if let data = try? Data(contentsOf: url) { pages.append((url.path, [UInt8](data))) }
    }
}
guard !pages.isEmpty else {
    FileHandle.standardError.write(Data("article-bench: no pages under \(corpus)\n".utf8))
    exit(1)
}
let totalBytes = pages.reduce(0) { $0 + $1.1.count }
let documents = pages.map { document($0.0, $0.1) }
let extractor = ArticleExtractor()
// The floor: libxml2's HTML parse alone over the same bytes, already UTF-8 (as the
// extractor hands them over after DocumentDecoder), tree built and freed.
let utf8Pages = documents.map { DocumentDecoder.decode($0.body, contentType: nil, kind: .html).utf8 }
var floorBest = Double.infinity
for _ in 1...rounds {
    let start = clock_gettime_nsec_np_fallback()
    for bytes in utf8Pages {
        _ = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { ingest_html_parse_floor($0.baseAddress, $0.count, "UTF-8") }
        }
    }
    floorBest = min(floorBest, Double(clock_gettime_nsec_np_fallback() - start) / 1e9)
}
print(String(format: "floor (libxml2 htmlReadMemory alone): CPU %.3f s, %.0f pages/s", floorBest,
             Double(documents.count) / floorBest))
// Stage split: charset decoding alone (DocumentDecoder), then decoding plus the C pass.
var decodeBest = Double.infinity
for _ in 1...rounds {
    let start = clock_gettime_nsec_np_fallback()
    for doc in documents { _ = DocumentDecoder.decode(doc.body, contentType: nil, kind: .html) }
    decodeBest = min(decodeBest, Double(clock_gettime_nsec_np_fallback() - start) / 1e9)
}
print(String(format: "DocumentDecoder alone: CPU %.3f s", decodeBest))
var tablesBest = Double.infinity
for _ in 1...rounds {
    let start = clock_gettime_nsec_np_fallback()
    for bytes in utf8Pages {
        bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { ingest_html_page_free(ingest_html_page_parse($0.baseAddress, $0.count, "UTF-8")) }
        }
    }
    tablesBest = min(tablesBest, Double(clock_gettime_nsec_np_fallback() - start) / 1e9)
}
print(String(format: "C pass (libxml2 parse + walk to tables): CPU %.3f s, %.2fx the floor", tablesBest, tablesBest / floorBest))
var failures = 0
var best = Double.infinity
for round in 1...rounds {
    let clock = ContinuousClock()
    let start = clock.now
    let cpuStart = clock_gettime_nsec_np_fallback()
    var failed = 0
    for doc in documents {
        do { _ = try extractor.extract(doc) } catch { failed += 1 }
    }
    let wall = (clock.now - start)
    let cpu = Double(clock_gettime_nsec_np_fallback() - cpuStart) / 1e9
    let seconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
    best = min(best, cpu)
    failures = failed
    print(String(format: "round %d: %d pages, %.1f MB, wall %.3f s, CPU %.3f s, %.0f pages/s (CPU), %.1f MB/s",
                 round, documents.count, Double(totalBytes) / 1e6, seconds, cpu, Double(documents.count) / cpu,
                 Double(totalBytes) / 1e6 / cpu))
}
print(String(format: "best: %.0f pages/s on one core (%d pages, %d without an article); %.2fx the libxml2 floor",
             Double(documents.count) / best, documents.count, failures, best / floorBest))

/// CPU time of this thread: the bench runs on one core, whatever else the machine does.
func clock_gettime_nsec_np_fallback() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}
