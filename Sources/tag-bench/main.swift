// tag-bench: shows that topic tagging cost stays flat as the taxonomy grows, because
// every term of every topic lives in one automaton that reads each text once.
//
//   swift run -c release tag-bench [taxonomy.yaml] [--naive] [--terms 100,10000] [--rounds N]
//   tag-bench --dump TERMS        (tags of every bench text with the TERMS-term taxonomy)
//   tag-bench --tag-lines TAXONOMY  /  --tag-jsonl TAXONOMY   (tags of standard input)
//
// For 100, 1,000 and 10,000 terms (and 100,000 as a stress point) it tags the same
// fixed set of bilingual headlines and bodies and prints the cost per text and per
// character. Build time and table memory of the automaton are reported separately.
// `--dump` and `--tag-jsonl` print tagging output only, so two builds can be compared
// with `cmp`: a faster automaton must tag byte for byte alike.
import Foundation
import Tag

struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

// `tag-bench --tag-lines TAXONOMY`: tag each line of standard input as a headline and
// print the topics with their evidence, for reviewing a taxonomy against real headlines.
if CommandLine.arguments.count > 2 && CommandLine.arguments[1] == "--tag-lines" {
    let tagger = TopicTagger(taxonomy: try Taxonomy.load(from: URL(fileURLWithPath: CommandLine.arguments[2])))
    while let line = readLine() {
        let tags = tagger.tag(title: line, summary: nil, content: nil)
        let shown = tags.map { "\($0.topic)\($0.terms)" }.joined(separator: " ")
        print("\(shown)\t\(line)")
    }
    exit(0)
}

// `tag-bench --tag-jsonl TAXONOMY`: tag each record of standard input (JSON Lines with
// `title`, `summary`, `content`, as `ingest` writes them) and print its topics and evidence,
// one line per record: two builds compare their tagging over real records with `cmp`.
if CommandLine.arguments.count > 2 && CommandLine.arguments[1] == "--tag-jsonl" {
    let tagger = TopicTagger(taxonomy: try Taxonomy.load(from: URL(fileURLWithPath: CommandLine.arguments[2])))
    while let line = readLine() {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            print("(not a JSON object)")
            continue
        }
        let tags = tagger.tag(title: object["title"] as? String ?? "", summary: object["summary"] as? String,
                              content: object["content"] as? String)
        print(tags.map { "\($0.topic)\($0.terms)" }.joined(separator: " "))
    }
    exit(0)
}

var rng = SplitMix(state: 2025)
let letters = Array("abcdefghijklmnopqrstuvwxyz")
// Common CJK range, so synthetic Chinese terms look like real two- to four-character words.
@MainActor func cjk() -> Character { Character(Unicode.Scalar(UInt32(0x4E00 + rng.below(3000)))!) }
@MainActor func englishWord() -> String { String((0..<(4 + rng.below(7))).map { _ in letters[rng.below(26)] }) }
@MainActor func chineseWord() -> String { String((0..<(2 + rng.below(3))).map { _ in cjk() }) }

// Texts: headlines and short bodies mixing Chinese and English, with some real topic words.
let realWords = ["芯片", "开源", "AI", "关税", "脱钩", "open-source", "chips", "tariffs", "新能源汽车", "数据安全"]
@MainActor func sentence(_ words: Int) -> String {
    var parts: [String] = []
    for _ in 0..<words {
        switch rng.below(10) {
        case 0: parts.append(realWords[rng.below(realWords.count)])
        case 1...4: parts.append(englishWord())
        default: parts.append(chineseWord())
        }
    }
    return parts.joined(separator: rng.below(2) == 0 ? " " : "")
}
let texts: [(String, String)] = (0..<5_000).map { _ in (sentence(8), sentence(60)) }
let totalScalars = texts.reduce(0) { $0 + $1.0.unicodeScalars.count + $1.1.unicodeScalars.count }

/// Seeded by its size, so one size gives the same taxonomy whichever sizes run before it.
@MainActor func taxonomy(terms: Int) -> Taxonomy {
    rng = SplitMix(state: UInt64(terms))
    let topicCount = 10
    var topics: [Taxonomy.Topic] = (0..<topicCount).map { Taxonomy.Topic(id: "t\($0)", terms: []) }
    for i in 0..<terms {
        topics[i % topicCount].terms.append(i % 2 == 0 ? englishWord() + " " + englishWord() : chineseWord())
    }
    topics[0].terms += realWords
    return Taxonomy(topics: topics)
}

func cpuSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func option(_ name: String) -> String? {
    guard let i = CommandLine.arguments.firstIndex(of: name), i + 1 < CommandLine.arguments.count else { return nil }
    return CommandLine.arguments[i + 1]
}

if let dump = option("--dump"), let terms = Int(dump) {
    let tagger = TopicTagger(taxonomy: taxonomy(terms: terms))
    for (title, body) in texts {
        print(tagger.tag(title: title, summary: nil, content: body).map { "\($0.topic)\($0.terms)" }.joined(separator: " "))
    }
    exit(0)
}
let sizes = option("--terms").map { $0.split(separator: ",").compactMap { Int($0) } } ?? [100, 1_000, 10_000, 100_000]
let rounds = option("--rounds").flatMap { Int($0) } ?? 3

print("texts: \(texts.count), characters: \(totalScalars)")
// `walk` is the automaton pass alone (no edge rules, no scoring); `occ/text` is what it
// finds per text (title + body), so a larger taxonomy that simply matches more often shows
// up there and not as a hidden cost of the walk.
print("terms     patterns    states  classes  build ms  table MB  walk µs/text  occ/text  tag µs/text   ns/char   topics tagged")
for terms in sizes {
    let t0 = cpuSeconds()
    let tagger = TopicTagger(taxonomy: taxonomy(terms: terms))
    let built = cpuSeconds()
    var best = Double.infinity
    var bestWalk = Double.infinity
    var tagged = 0
    var occurrences = 0
    for _ in 0..<rounds {
        occurrences = 0
        let walkStart = cpuSeconds()
        for (title, body) in texts {
            occurrences += tagger.occurrenceCount(in: title) + tagger.occurrenceCount(in: body)
        }
        bestWalk = min(bestWalk, cpuSeconds() - walkStart)
        tagged = 0
        let start = cpuSeconds()
        for (title, body) in texts {
            tagged += tagger.tag(title: title, summary: nil, content: body).count
        }
        best = min(best, cpuSeconds() - start)
    }
    let size = tagger.automatonSize
    print(String(format: "%6d  %10d  %8d  %7d  %8.0f  %8.1f  %12.2f  %8.2f  %11.2f  %8.1f   %d", terms, tagger.patternCount,
                 size.states, size.classes, (built - t0) * 1000, Double(size.bytes) / 1e6, bestWalk / Double(texts.count) * 1e6,
                 Double(occurrences) / Double(texts.count), best / Double(texts.count) * 1e6,
                 best / Double(totalScalars) * 1e9, tagged))
}

// For contrast: what one substring search per term costs (no boundaries, no scoring),
// over the first 500 texts only.
import NewsText
if CommandLine.arguments.contains("--naive") {
print("naive per-term search (500 texts):")
for terms in [100, 1_000] {
    let all = taxonomy(terms: terms).topics.flatMap(\.terms).map { TextFolding.fold($0) }
    let sample = texts.prefix(500).map { TextFolding.fold($0.0 + " " + $0.1) }
    let start = cpuSeconds()
    var found = 0
    for text in sample {
        for term in all where text.contains(term) { found += 1 }
    }
    let s = cpuSeconds() - start
    print(String(format: "%6d terms: %.2f µs/text (%d hits)", terms, s / Double(sample.count) * 1e6, found))
}
}

let optionsWithValues: Set<String> = ["--terms", "--rounds", "--dump"]
let positional = CommandLine.arguments.indices.dropFirst().filter { i in
    !CommandLine.arguments[i].hasPrefix("--") && !optionsWithValues.contains(CommandLine.arguments[i - 1])
}
if let i = positional.first {
    let path = CommandLine.arguments[i]
    let url = URL(fileURLWithPath: path)
    let tagger = TopicTagger(taxonomy: try Taxonomy.load(from: url))
    var s = Double.infinity
    var tagged = 0
    for _ in 0..<3 {
        tagged = 0
        let start = cpuSeconds()
        for (title, body) in texts { tagged += tagger.tag(title: title, summary: nil, content: body).count }
        s = min(s, cpuSeconds() - start)
    }
    print(String(format: "%@: %d patterns, %.2f µs/text, %.1f ns/char, %d tags", url.lastPathComponent,
                 tagger.patternCount, s / Double(texts.count) * 1e6, s / Double(totalScalars) * 1e9, tagged))
}
