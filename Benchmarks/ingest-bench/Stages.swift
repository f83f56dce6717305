import Foundation
import IngestCore
import NewsText
import Parse
import Normalize
import Tag
import Emit

/// `ingest-bench stages DIR [--rounds 5]`: CPU time per item of Normalize, Tag and the JSON
/// encoding alone, each over the whole corpus held in memory (parsed once, untimed), best
/// of the rounds. Separates the three costs that `parse --breakdown` sees only as
/// differences of noisy totals.
func runStageTimes(_ args: [String]) throws {
    let directory = URL(fileURLWithPath: args[1])
    let rounds = max(1, Int(option("--rounds", in: args) ?? "5") ?? 5)
    let taxonomy = try Taxonomy.load(from: URL(fileURLWithPath: option("--taxonomy", in: args) ?? "pipelines/topics.yaml"))
    let registry = try SourceRegistry.load(path: option("--sources", in: args) ?? "pipelines/sources.yaml")
    let normalizer = ItemNormalizer(registry: registry)
    let tagger = TopicTagger(taxonomy: taxonomy)
    let parser = FeedParser()
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        .filter { $0.hasPrefix("feed-") && ($0.hasSuffix(".xml") || $0.hasSuffix(".json")) }.sorted()
    var feeds: [(FeedContext, [RawItem])] = []
    for name in names {
        let url = "https://bench.example/feeds/\(name)"
        let doc = FetchedDocument(
            source: FeedSource(location: url, id: name), requestedURL: url, finalURL: url, httpStatus: 200,
            body: [UInt8](try Data(contentsOf: directory.appendingPathComponent(name))),
            fetchedAt: Date(timeIntervalSince1970: 1_764_000_000))
        guard let parsed = try? parser.parse(doc) else { continue }
        let context = FeedContext(
            source: doc.source, info: parsed.info, requestedURL: doc.requestedURL, finalURL: doc.finalURL,
            httpStatus: doc.httpStatus, fetchedAt: doc.fetchedAt, headers: doc.headers)
        feeds.append((context, parsed.items))
    }
    let count = feeds.reduce(0) { $0 + $1.1.count }
    var normalized: [FeedItem] = []
    var tagged: [FeedItem] = []
    var best = (normalize: Double.infinity, tag: Double.infinity, encode: Double.infinity)
    var sink = 0
    var out: [UInt8] = []
    out.reserveCapacity(1 << 22)
    for _ in 0..<rounds {
        normalized.removeAll(keepingCapacity: true)
        var start = cpuSeconds()
        for (context, items) in feeds {
            for raw in items { normalized.append(normalizer.normalize(raw, context: context)) }
        }
        best.normalize = min(best.normalize, cpuSeconds() - start)
        tagged = normalized
        start = cpuSeconds()
        for i in tagged.indices { tagger.tag(&tagged[i]) }
        best.tag = min(best.tag, cpuSeconds() - start)
        start = cpuSeconds()
        for item in tagged {
            RecordEncoder.append(item, to: &out)
            if out.count > 1 << 22 {
                sink &+= out.count
                out.removeAll(keepingCapacity: true)
            }
        }
        best.encode = min(best.encode, cpuSeconds() - start)
    }
    if args.contains("--occurrences") {
        var occurrences = 0, hits = 0, bytes = 0
        for item in normalized {
            for text in [item.title, item.summary ?? "", item.content ?? ""] {
                occurrences += tagger.occurrenceCount(in: text)
                hits += tagger.hitCount(in: text)
                bytes += text.utf8.count
            }
        }
        let size = tagger.automatonSize
        print(String(format: "automaton: %d states, %d classes, %.2f MB; per item: %.0f bytes of text, %.1f occurrences, %.1f hits (edge rules passed)",
                     size.states, size.classes, Double(size.bytes) / 1e6, Double(bytes) / Double(count),
                     Double(occurrences) / Double(count), Double(hits) / Double(count)))
    }
    print(String(format: "%d items; best of %d rounds, µs per item: normalize %.2f, tag %.2f, JSON %.2f (checksum %d)",
                 count, rounds, best.normalize / Double(count) * 1e6, best.tag / Double(count) * 1e6,
                 best.encode / Double(count) * 1e6, (sink + out.count) & 0xff))
}
