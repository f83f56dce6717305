// ingest-bench: issue 3's feed-parsing benchmark.
//
//   ingest-bench generate DIR [--mb 120]
//       Writes a deterministic mixed bilingual corpus (RSS 2.0, Atom, RSS 1.0, JSON Feed;
//       ~3% GB18030 declared gb2312) of at least MB megabytes.
//   ingest-bench parse DIR [--rounds 5] [--taxonomy pipelines/topics.yaml]
//                          [--sources pipelines/sources.yaml] [--json OUT.json]
//       In one process, per batch of files, times (CPU, getrusage) the libxml2 reader
//       floor, the Parse stage, and parse + normalize + tag + JSON encoding; prints MB/s,
//       items/s and each stage as a multiple of the floor, plus peak RSS. `--breakdown`
//       adds parse+normalize and parse+normalize+tag; `--only floor,parse` picks stages.
//       `--without-bodies` drops every item's summary and content before Normalize, to
//       show how much of the cost after parsing is the body text and how much is per item.
//   ingest-bench stages DIR [--rounds 5] [--occurrences]
//       CPU µs per item of Normalize, Tag and JSON encoding alone (corpus parsed once and
//       held in memory), best of the rounds; `--occurrences` adds tagger statistics.
//   ingest-bench pipeline-dump [--pages] DIR|LIST...
//       Every record Normalize, Tag and Emit produce per file (fetch time fixed), for
//       checking with `cmp` that a speed change altered no output.
//
// Files are streamed in small batches (read, measured, dropped), so peak RSS does not
// grow with the corpus: that is one of the figures under test.
import Foundation
import IngestCore
import NewsText
import Parse
import Normalize
import Tag
import Emit

func usage() -> Never {
    FileHandle.standardError.write(Data("""
        usage: ingest-bench generate DIR [--mb 120]
               ingest-bench stages DIR [--rounds 5]
               ingest-bench pipeline-dump [--pages] [--taxonomy FILE] [--sources FILE] DIR|LIST...
               ingest-bench parse DIR [--rounds 5] [--batch-mb 4] [--taxonomy FILE] [--sources FILE] [--json OUT]
                                        [--breakdown] [--only floor,parse,pipeline,normalize,tag] [--without-bodies]

        """.utf8))
    exit(2)
}

func option(_ name: String, in args: [String]) -> String? {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}

func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }

func cpuSeconds() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec)
        + Double(u.ru_stime.tv_usec) / 1e6
}

func peakRSSMegabytes() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_maxrss) / 1024  // kilobytes on Linux
}

let args = Array(CommandLine.arguments.dropFirst())
guard let command = args.first, args.count >= 2 else { usage() }
let directory = URL(fileURLWithPath: args[1])

switch command {
case "generate":
    let mb = Int(option("--mb", in: args) ?? "120") ?? 120
    var generator = CorpusGenerator(directory: directory, megabytes: mb)
    let started = Date()
    do {
        let s = try generator.run()
        let formats = s.byFormat.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        print(String(format: "wrote %d feeds, %d items, %.1f MB to %@ in %.1f s", s.feeds, s.items,
                     Double(s.bytes) / 1e6, directory.path, Date().timeIntervalSince(started)))
        print("formats: \(formats); Chinese feeds \(s.zh); GB18030 declared gb2312: \(s.gbk)")
    } catch {
        FileHandle.standardError.write(Data("ingest-bench generate: \(error)\n".utf8))
        exit(1)
    }
case "dump":
    runParseDump(directory)
case "stages":
    do {
        try runStageTimes(args)
    } catch {
        FileHandle.standardError.write(Data("ingest-bench stages: \(error)\n".utf8))
        exit(1)
    }
case "pipeline-dump":
    do {
        try runPipelineDump(args)
    } catch {
        FileHandle.standardError.write(Data("ingest-bench pipeline-dump: \(error)\n".utf8))
        exit(1)
    }
case "parse":
    do {
        try runParseBenchmark(directory: directory, args: args)
    } catch {
        FileHandle.standardError.write(Data("ingest-bench parse: \(error)\n".utf8))
        exit(1)
    }
default:
    usage()
}

// MARK: Parse benchmark

/// CPU seconds and work done by one stage over one subset of the corpus in one round.
struct Tally {
    var cpu = 0.0
    var bytes = 0
    var items = 0
    var feeds = 0
    var failures = 0
    static func + (a: Tally, b: Tally) -> Tally {
        Tally(cpu: a.cpu + b.cpu, bytes: a.bytes + b.bytes, items: a.items + b.items, feeds: a.feeds + b.feeds,
              failures: a.failures + b.failures)
    }
}

/// `normalize` and `tag` are the pipeline cut short (parse+normalize, parse+normalize+tag),
/// measured only with `--breakdown`, to show where the pipeline's time goes.
enum Stage: String, CaseIterable { case floor, parse, pipeline, normalize, tag }
enum Subset: String, CaseIterable { case xml, json }

struct Loaded {
    var name: String
    var subset: Subset
    var document: FetchedDocument
    /// The same document as UTF-8 for the floor, which (like the Parse stage after its
    /// charset step) reads UTF-8 only; decoded outside any timed region.
    var floorUTF8: [UInt8]
}

func runParseBenchmark(directory: URL, args: [String]) throws {
    let rounds = max(1, Int(option("--rounds", in: args) ?? "5") ?? 5)
    let batchBytes = (Int(option("--batch-mb", in: args) ?? "4") ?? 4) * 1_000_000
    let taxonomyPath = option("--taxonomy", in: args) ?? "pipelines/topics.yaml"
    let sourcesPath = option("--sources", in: args) ?? "pipelines/sources.yaml"
    let taxonomy = try Taxonomy.load(from: URL(fileURLWithPath: taxonomyPath))
    let registry = try SourceRegistry.load(path: sourcesPath)
    let parser = FeedParser()
    // `--only floor,parse` skips stages, for profiling one of them.
    let withoutBodies = args.contains("--without-bodies")
    let stages: [Stage] = option("--only", in: args).map { $0.split(separator: ",").compactMap { Stage(rawValue: String($0)) } }
        ?? (args.contains("--breakdown") ? Stage.allCases : [.floor, .parse, .pipeline])
    let normalizer = ItemNormalizer(registry: registry)
    let tagger = TopicTagger(taxonomy: taxonomy)

    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        .filter { $0.hasPrefix("feed-") && ($0.hasSuffix(".xml") || $0.hasSuffix(".json")) }.sorted()
    guard !names.isEmpty else { throw BenchError("\(directory.path): no feed-*.xml/json files; run `ingest-bench generate` first") }

    func load(_ name: String) throws -> Loaded {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        var body = [UInt8](data)
        body.leaveNULAfterEnd()  // as the fetcher's readers do: Parse then reads the bytes in place
        let subset: Subset = name.hasSuffix(".json") ? .json : .xml
        let url = "https://bench.example/feeds/\(name)"
        let doc = FetchedDocument(
            source: FeedSource(location: url, id: name), requestedURL: url, finalURL: url, httpStatus: 200,
            body: body, fetchedAt: Date(timeIntervalSince1970: 1_764_000_000))
        let floorUTF8 = subset == .xml && stages.contains(.floor) ? DocumentDecoder.decode(body, contentType: nil, kind: .xml).utf8 : []
        return Loaded(name: name, subset: subset, document: doc, floorUTF8: floorUTF8)
    }

    var sink = 0  // keeps results observable so nothing is optimised away
    var encoded: [UInt8] = []
    encoded.reserveCapacity(1 << 20)
    var firstFailure: String?

    func measure(_ stage: Stage, _ batch: [Loaded], into t: inout [Subset: Tally]) {
        for subset in Subset.allCases {
            let files = batch.filter { $0.subset == subset }
            if files.isEmpty || (stage == .floor && subset == .json) { continue }
            var tally = Tally()
            let start = cpuSeconds()
            for f in files {
                tally.bytes += f.document.body.count
                tally.feeds += 1
                switch stage {
                case .floor:
                    sink &+= ParseFloor.readerPass(f.floorUTF8)
                case .parse:
                    do {
                        let parsed = try parser.parse(f.document)
                        tally.items += parsed.items.count
                        sink &+= parsed.items.count
                    } catch {
                        tally.failures += 1
                        if firstFailure == nil { firstFailure = "\(f.name): \(error)" }
                    }
                case .pipeline, .normalize, .tag:
                    do {
                        let doc = f.document
                        let parsed = try parser.parse(doc)
                        let record = FeedRecord(document: doc, parsed: parsed)
                        let context = FeedContext(document: doc, parsed: parsed, record: record)
                        encoded.removeAll(keepingCapacity: true)
                        RecordEncoder.append(record, to: &encoded)
                        for var raw in parsed.items {
                            if withoutBodies { raw.summary = nil; raw.content = nil }
                            var item = normalizer.normalize(raw, context: context)
                            if stage == .normalize { sink &+= item.title.utf8.count; continue }
                            tagger.tag(&item)
                            if stage == .tag { sink &+= item.topics.count; continue }
                            RecordEncoder.append(item, to: &encoded)
                        }
                        tally.items += parsed.items.count
                        sink &+= encoded.count
                    } catch {
                        tally.failures += 1
                    }
                }
            }
            tally.cpu = cpuSeconds() - start
            t[subset] = (t[subset] ?? Tally()) + tally
        }
    }

    print("corpus: \(directory.path), \(names.count) files; \(rounds) rounds; batches of \(batchBytes / 1_000_000) MB" + (withoutBodies ? "; items without summary and content (--without-bodies)" : ""))
    var perRound: [[Stage: [Subset: Tally]]] = []
    for round in 1...rounds {
        var totals: [Stage: [Subset: Tally]] = [:]
        var i = 0
        while i < names.count {
            var batch: [Loaded] = []
            var size = 0
            while i < names.count && size < batchBytes {
                let f = try load(names[i])
                size += f.document.body.count
                batch.append(f)
                i += 1
            }
            // Rotate which stage goes first so a noisy neighbour or a cold cache does not
            // always land on the same stage.
            let order = stages
            let shift = (i + round) % order.count
            for stage in order[shift...] + order[..<shift] {
                measure(stage, batch, into: &totals[stage, default: [:]])
            }
        }
        perRound.append(totals)
        let f = totals[.floor]?[.xml]?.cpu ?? 0
        let p = totals[.parse]?[.xml]?.cpu ?? 0
        let w = totals[.pipeline]?[.xml]?.cpu ?? 0
        FileHandle.standardError.write(Data(String(
            format: "round %d: floor %.3f s, parse %.3f s (%.2fx), pipeline %.3f s (%.2fx) [XML feeds]\n",
            round, f, p, p / f, w, w / f).utf8))
    }
    if let firstFailure { print("note: some documents failed to parse; first: \(firstFailure)") }

    // Median round per stage and subset (by CPU); the ratio uses the medians.
    func median(_ stage: Stage, _ subset: Subset) -> Tally? {
        let all = perRound.compactMap { $0[stage]?[subset] }.sorted { $0.cpu < $1.cpu }
        return all.isEmpty ? nil : all[all.count / 2]
    }
    func best(_ stage: Stage, _ subset: Subset) -> Tally? {
        perRound.compactMap { $0[stage]?[subset] }.min { $0.cpu < $1.cpu }
    }
    guard let floorXML = median(.floor, .xml) else { throw BenchError("the floor stage must be measured") }
    let peak = peakRSSMegabytes()
    let xml = median(.parse, .xml) ?? floorXML
    let json = median(.parse, .json)
    print(String(format: "XML feeds: %d files, %.1f MB, %d items; JSON feeds: %d files, %.1f MB, %d items",
                 xml.feeds, Double(xml.bytes) / 1e6, xml.items, json?.feeds ?? 0, Double(json?.bytes ?? 0) / 1e6,
                 json?.items ?? 0))
    print("CPU time = median of \(rounds) rounds (best round in brackets); ratio = median / median floor")
    print("")
    let header = pad("stage (XML feeds: RSS 2.0, Atom, RSS 1.0)", 44) + lpad("CPU s", 10) + lpad("MB/s", 9)
        + lpad("items/s", 11) + lpad("x floor", 9) + lpad("(best)", 9)
    print(header)
    var rows: [[String: Any]] = []
    func row(_ label: String, _ stage: Stage, _ subset: Subset) {
        guard let m = median(stage, subset), let b = best(stage, subset) else { return }
        let mbs = Double(m.bytes) / 1e6 / m.cpu
        let ips = stage == .floor ? Double.nan : Double(m.items) / m.cpu
        let ratio = subset == .xml ? m.cpu / floorXML.cpu : Double.nan
        let bestRatio = subset == .xml ? b.cpu / best(.floor, .xml)!.cpu : Double.nan
        print(pad(label, 44) + lpad(String(format: "%.3f", m.cpu), 10) + lpad(String(format: "%.1f", mbs), 9)
              + lpad(ips.isNaN ? "-" : String(format: "%.0f", ips), 11)
              + lpad(ratio.isNaN ? "-" : String(format: "%.2f", ratio), 9)
              + lpad(bestRatio.isNaN ? "" : String(format: "(%.2f)", bestRatio), 9))
        rows.append(["stage": stage.rawValue, "subset": subset.rawValue, "cpu": m.cpu, "best_cpu": b.cpu,
                     "bytes": m.bytes, "items": m.items, "feeds": m.feeds, "failures": m.failures])
    }
    row("libxml2 xmlReader pass (floor)", .floor, .xml)
    row("Parse stage (FeedParser.parse)", .parse, .xml)
    row("parse+normalize+tag+JSON encode", .pipeline, .xml)
    row("  breakdown: parse+normalize", .normalize, .xml)
    row("  breakdown: parse+normalize+tag", .tag, .xml)
    row("Parse stage, JSON Feed files", .parse, .json)
    row("parse+normalize+tag+JSON, JSON Feed files", .pipeline, .json)
    print(String(format: "\npeak RSS of this process (all rounds, all stages): %.1f MB", peak))
    if let out = option("--json", in: args) {
        let doc: [String: Any] = ["rounds": rounds, "peak_rss_mb": peak, "rows": rows, "checksum": sink & 0xffff]
        let data = try JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: out))
    }
}
