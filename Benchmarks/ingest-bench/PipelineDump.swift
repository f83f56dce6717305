import Foundation
import IngestCore
import NewsText
import Parse
import Normalize
import Tag
import Emit

/// `ingest-bench pipeline-dump [--pages] [--taxonomy FILE] [--sources FILE] DIR|LIST...`:
/// every record the pipeline would emit for each file (the feed line, then each item's
/// JSON line as `RecordEncoder` writes it after Normalize and Tag, then the item's
/// warnings), with the fetch time fixed, files in sorted order. Dumps from two builds
/// compared with `cmp` show that a speed change to Normalize, Tag or Emit changed no
/// output. `--pages` reads `.html`/`.htm` files as article pages (the `--page` path).
func runPipelineDump(_ args: [String]) throws {
    let taxonomy = try Taxonomy.load(from: URL(fileURLWithPath: option("--taxonomy", in: args) ?? "pipelines/topics.yaml"))
    let registry = try SourceRegistry.load(path: option("--sources", in: args) ?? "pipelines/sources.yaml")
    let pages = args.contains("--pages")
    var targets: [String] = []
    var k = 1
    while k < args.count {
        if args[k] == "--taxonomy" || args[k] == "--sources" { k += 2; continue }
        if !args[k].hasPrefix("--") { targets.append(args[k]) }
        k += 1
    }
    var paths: [String] = []
    for target in targets {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: target, isDirectory: &isDir), isDir.boolValue {
            let e = FileManager.default.enumerator(at: URL(fileURLWithPath: target), includingPropertiesForKeys: [.isRegularFileKey])
            // Symlinked files count (scripts/real-corpus.py links the corpus rather than copying it).
            while let u = e?.nextObject() as? URL {
                if (try? u.resolvingSymlinksInPath().resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                    paths.append(u.path)
                }
            }
        } else if let text = try? String(contentsOfFile: target, encoding: .utf8) {
            paths += text.split(separator: "\n").map { String($0) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
        } else {
            throw BenchError("\(target): neither a directory nor a readable list of paths")
        }
    }
    paths.sort()
    let parser = FeedParser()
    let extractor = ArticleExtractor()
    let normalizer = ItemNormalizer(registry: registry)
    let tagger = TopicTagger(taxonomy: taxonomy)
    var out: [UInt8] = []
    func text(_ s: String) { out.append(contentsOf: s.utf8) }
    for path in paths {
        guard let data = FileManager.default.contents(atPath: path) else { continue }
        let isPage = pages && (path.hasSuffix(".html") || path.hasSuffix(".htm"))
        if pages && !isPage { continue }
        let url = URL(fileURLWithPath: path).absoluteString
        let source = FeedSource(location: url, kind: isPage ? .page : .feed)
        let doc = FetchedDocument(
            source: source, requestedURL: url, finalURL: url, httpStatus: 200,
            body: [UInt8](data), fetchedAt: Date(timeIntervalSince1970: 1_764_000_000))
        text("=== \(path)\n")
        do {
            let parsed = isPage ? try extractor.extract(doc) : try parser.parse(doc)
            let record = FeedRecord(document: doc, parsed: parsed)
            let context = FeedContext(document: doc, parsed: parsed, record: record)
            RecordEncoder.append(record, to: &out)
            for raw in parsed.items {
                var item = normalizer.normalize(raw, context: context)
                tagger.tag(&item)
                RecordEncoder.append(item, to: &out)
                for w in item.warnings { text("warning: \(w)\n") }
            }
        } catch {
            text("error: \(error.kind.rawValue) \(error.reason)\n")
        }
        if out.count > 1 << 20 {
            FileHandle.standardOutput.write(Data(out))
            out.removeAll(keepingCapacity: true)
        }
    }
    FileHandle.standardOutput.write(Data(out))
}
