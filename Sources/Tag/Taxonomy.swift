import Foundation
import Yams

/// The topic taxonomy (`pipelines/topics.yaml`): which topics exist, the words that signal
/// them in either language, the false friends that do not, and how much evidence a tag
/// needs. Terms are kept in their written syntax here; `TopicTagger` compiles them.
public struct Taxonomy: Sendable {
    /// How much a match counts in each part of an item: a headline says what the story
    /// is about, a body mentions many things in passing.
    public struct FieldWeights: Sendable, Equatable {
        public var title: Double
        public var summary: Double
        public var content: Double
        public init(title: Double = 3, summary: Double = 1.5, content: Double = 1) {
            self.title = title
            self.summary = summary
            self.content = content
        }
    }

    public struct Topic: Sendable {
        public var id: String
        public var labelZh: String?
        public var labelEn: String?
        /// Terms that count fully; English and Chinese are kept apart only for readability.
        public var terms: [String]
        /// Terms that count `weakWeight`: a hint that needs company to tag.
        public var weakTerms: [String]
        /// False friends: a term match overlapping one of these is not evidence.
        public var exclusions: [String]
        /// Groups of which every one must match in the same field (e.g. a US word and a
        /// China word for `us-china`).
        public var pairs: [[String]]
        /// Further context rules, each like `pairs`: a list of groups that must all match in
        /// the same field. One rule per sense a word takes on topic (a leak verb next to
        /// accounts, a restriction verb next to exports) keeps each rule narrow.
        public var contexts: [[[String]]] = []
        /// Every context rule: `pairs` first, then `contexts`.
        public var contextRules: [[[String]]] { (pairs.isEmpty ? [] : [pairs]) + contexts }
        /// Exclusions that hold only in company (`exclude_with`), each a list of groups: the first
        /// group's matches are dropped like `exclusions` from a field where every later group also
        /// matches. A false friend's sense often shows in a word that is not next to it ("Water
        /// utility's new tariff approved"), which no fixed phrase can catch.
        public var contextExclusions: [[[String]]] = []
        /// Per rule of `contextExclusions`: true for an `exclude_unless` rule, whose exclusion holds
        /// where its company is missing instead. A word whose figurative sense comes in quotation
        /// marks (“社交关税”, 「隱形關稅」) is on topic in quotes only beside the topic's own words,
        /// and those are few and known, where the figures of speech are many and new.
        public var contextExclusionHoldsWithoutCompany: [Bool] = []

        /// Whether exclusion rule `r` is an `exclude_unless` rule (a topic built in code may leave the flags out).
        public func exclusionHoldsWithoutCompany(_ r: Int) -> Bool {
            r < contextExclusionHoldsWithoutCompany.count && contextExclusionHoldsWithoutCompany[r]
        }
        /// When the groups after the first only give context (脱钩 next to a country), the
        /// evidence quotes the first group's term alone, not the context word.
        public var pairEvidenceFirstGroupOnly: Bool = false
        /// Overrides the taxonomy's field weights for this topic.
        public var fieldWeights: FieldWeights?

        public init(
            id: String, labelZh: String? = nil, labelEn: String? = nil, terms: [String],
            weakTerms: [String] = [], exclusions: [String] = [], pairs: [[String]] = [],
            fieldWeights: FieldWeights? = nil
        ) {
            self.id = id
            self.labelZh = labelZh
            self.labelEn = labelEn
            self.terms = terms
            self.weakTerms = weakTerms
            self.exclusions = exclusions
            self.pairs = pairs
            self.fieldWeights = fieldWeights
        }
    }

    public var topics: [Topic]
    /// Score a topic needs to be tagged.
    public var threshold: Double
    public var weakWeight: Double
    /// How often one term counts per field, so that a long body repeating one word
    /// does not outweigh a headline.
    public var maxRepeats: Int
    public var fieldWeights: FieldWeights
    /// Headline forms that are on no topic whatever else they name: a broker's research note
    /// (`开源证券：维持比亚迪“买入”评级`) names the companies it rates, but the story is the rating,
    /// and the broker's name is itself a false friend of open source. A headline with one of
    /// these terms adds nothing to any topic; summary and body still count.
    public var mutedTitles: [String] = []
    /// Headline forms of a story about something other than the business of the companies it
    /// names: a chipmaker's staff choir, an EV maker's basketball league, a marathon a foundry
    /// sponsors, a Tesla driver caught speeding. Under such a headline the item is tagged as if
    /// `names` were not terms, so a company's name alone no longer decides the topic while the
    /// topic's own words (电动车, AI) still do, except inside a name: 半导体 in 华虹半导体 is the
    /// company, not the industry.
    public var offstoryTitles: [String] = []
    /// Terms (as written under some topic's `en`, `zh`, `weak_en`, `weak_zh`, `pairs` or `contexts`)
    /// that are company or product names: on topic when the story is about the business, not when it
    /// merely names it. Without its names, a context rule one of whose groups named only companies
    /// is dropped.
    public var names: [String] = []
    /// Headline words that say a company's business is the story (results, deliveries, a launch,
    /// a plant, a price, a ban). A headline that names one of `names` without any of these is
    /// read like an `offstoryTitles` one: a company donating to a school, its headquarters winning
    /// a green-building label or its founder buying a house is news about the company, not about
    /// its business. Empty: names always count.
    public var businessTitles: [String] = []

    public init(
        topics: [Topic], threshold: Double = 3, weakWeight: Double = 0.5, maxRepeats: Int = 3,
        fieldWeights: FieldWeights = FieldWeights()
    ) {
        self.topics = topics
        self.threshold = threshold
        self.weakWeight = weakWeight
        self.maxRepeats = maxRepeats
        self.fieldWeights = fieldWeights
    }

    /// Reads a taxonomy file. Errors name the file, line and key.
    public static func load(from url: URL) throws -> Taxonomy {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TaxonomyError(file: url.path, line: nil, key: nil, message: "cannot read file: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TaxonomyError(file: url.path, line: nil, key: nil, message: "file is not valid UTF-8")
        }
        return try parse(yaml: text, file: url.path)
    }

    /// Parses taxonomy YAML; `file` is used only in error messages.
    public static func parse(yaml: String, file: String = "<taxonomy>") throws -> Taxonomy {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw TaxonomyError(file: file, line: yamlErrorLine(error), key: nil, message: "invalid YAML: \(yamlErrorProblem(error))")
        } catch {
            throw TaxonomyError(file: file, line: nil, key: nil, message: "invalid YAML: \(error)")
        }
        guard let root else {
            throw TaxonomyError(file: file, line: nil, key: nil, message: "file is empty")
        }
        var reader = NodeReader(file: file)
        return try reader.taxonomy(root)
    }
}

/// A problem in a taxonomy file, located as precisely as the YAML allows.
public struct TaxonomyError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int?
    public var key: String?
    public var message: String

    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        if let key { s += ": \(key)" }
        return s + ": " + message
    }
}

private func yamlErrorLine(_ error: YamlError) -> Int? {
    switch error {
    case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
        return mark.line
    default:
        return nil
    }
}

private func yamlErrorProblem(_ error: YamlError) -> String {
    switch error {
    case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
        .composer(let context, let problem, _, _):
        if let context { return "\(problem) \(context.text)" }
        return problem
    default:
        return "\(error)"
    }
}

/// Walks the YAML node tree so that every error can point at a line and a key path.
private struct NodeReader {
    let file: String

    func fail(_ node: Node?, _ key: String?, _ message: String) -> TaxonomyError {
        TaxonomyError(file: file, line: node?.mark?.line, key: key, message: message)
    }

    func mapping(_ node: Node, _ key: String, allowed: Set<String>) throws -> [(String, Node, Node)] {
        guard case .mapping(let m) = node else {
            throw fail(node, key, "expected a mapping")
        }
        var seen = Set<String>()
        var out: [(String, Node, Node)] = []
        for (k, v) in m {
            guard let name = k.scalar?.string else { throw fail(k, key, "keys must be plain strings") }
            let path = key.isEmpty ? name : "\(key).\(name)"
            guard allowed.contains(name) else {
                throw fail(k, path, "unknown key (expected one of: \(allowed.sorted().joined(separator: ", ")))")
            }
            guard seen.insert(name).inserted else { throw fail(k, path, "duplicate key") }
            out.append((name, k, v))
        }
        return out
    }

    func string(_ node: Node, _ key: String) throws -> String {
        guard case .scalar(let s) = node else { throw fail(node, key, "expected a string") }
        let value = s.string.trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty else { throw fail(node, key, "must not be empty") }
        return value
    }

    func number(_ node: Node, _ key: String) throws -> Double {
        guard case .scalar(let s) = node, let value = Double(s.string), value.isFinite else {
            throw fail(node, key, "expected a number")
        }
        guard value >= 0 else { throw fail(node, key, "must not be negative") }
        return value
    }

    func strings(_ node: Node, _ key: String) throws -> [String] {
        guard case .sequence(let seq) = node else { throw fail(node, key, "expected a list of terms") }
        return try seq.enumerated().map { i, item in
            let term = try string(item, "\(key)[\(i)]")
            // A leading `*` (left-open: the term may end a longer word) is read by the tagger.
            let body = term.hasPrefix("*") ? String(term.dropFirst()) : term
            if let problem = TermPattern.problem(in: body) {
                throw fail(item, "\(key)[\(i)]", "term '\(term)': \(problem)")
            }
            return term
        }
    }

    func fieldWeights(_ node: Node, _ key: String) throws -> Taxonomy.FieldWeights {
        var w = Taxonomy.FieldWeights()
        for (name, _, value) in try mapping(node, key, allowed: ["title", "summary", "content"]) {
            let v = try number(value, "\(key).\(name)")
            switch name {
            case "title": w.title = v
            case "summary": w.summary = v
            default: w.content = v
            }
        }
        return w
    }

    mutating func taxonomy(_ root: Node) throws -> Taxonomy {
        var taxonomy = Taxonomy(topics: [])
        var sawTopics = false
        let allowed: Set<String> = ["version", "threshold", "weak_weight", "max_repeats", "field_weights", "muted_titles",
                                   "offstory_titles", "names", "business_titles", "topics"]
        var namesNode: Node?
        for (name, keyNode, value) in try mapping(root, "", allowed: allowed) {
            switch name {
            case "version":
                let v = try number(value, name)
                guard v == 1 else { throw fail(value, name, "unsupported version \(v) (this build reads version 1)") }
            case "threshold":
                taxonomy.threshold = try number(value, name)
                guard taxonomy.threshold > 0 else { throw fail(value, name, "must be greater than 0") }
            case "weak_weight": taxonomy.weakWeight = try number(value, name)
            case "max_repeats":
                let v = try number(value, name)
                guard v >= 1, v == v.rounded() else { throw fail(value, name, "expected a whole number of at least 1") }
                taxonomy.maxRepeats = Int(v)
            case "field_weights": taxonomy.fieldWeights = try fieldWeights(value, name)
            case "muted_titles": taxonomy.mutedTitles = try strings(value, name)
            case "offstory_titles": taxonomy.offstoryTitles = try strings(value, name)
            case "business_titles": taxonomy.businessTitles = try strings(value, name)
            case "names":
                taxonomy.names = try strings(value, name)
                namesNode = value
            default:
                sawTopics = true
                guard case .sequence(let seq) = value else { throw fail(keyNode, name, "expected a list of topics") }
                var ids = Set<String>()
                for (i, item) in seq.enumerated() {
                    let topic = try self.topic(item, "topics[\(i)]")
                    guard ids.insert(topic.id).inserted else {
                        throw fail(item, "topics[\(i)].id", "duplicate topic id '\(topic.id)'")
                    }
                    taxonomy.topics.append(topic)
                }
            }
        }
        guard sawTopics else { throw fail(root, "topics", "missing key") }
        if let namesNode {
            // A name that is no topic's term would silently do nothing (a typo, or a term since
            // renamed), so it is an error.
            let terms = Set(taxonomy.topics.flatMap { $0.terms + $0.weakTerms + $0.contextRules.flatMap { $0.flatMap { $0 } } })
            if let stray = taxonomy.names.first(where: { !terms.contains($0) }) {
                throw fail(namesNode, "names", "'\(stray)' is not a term of any topic (names must be written as in en, zh, weak_en, weak_zh, pairs or contexts)")
            }
        }
        return taxonomy
    }

    /// A list of rules, each a list of at least two term lists (`contexts`, `exclude_with`).
    func rules(_ value: Node, _ path: String) throws -> [[[String]]] {
        guard case .sequence(let rules) = value else { throw fail(value, path, "expected a list of rules (each a list of term lists)") }
        return try rules.enumerated().map { r, rule in
            guard case .sequence(let groups) = rule else {
                throw fail(rule, "\(path)[\(r)]", "expected a list of term lists")
            }
            guard groups.count >= 2 else { throw fail(rule, "\(path)[\(r)]", "needs at least two groups") }
            return try groups.enumerated().map { i, g in try strings(g, "\(path)[\(r)][\(i)]") }
        }
    }

    func topic(_ node: Node, _ key: String) throws -> Taxonomy.Topic {
        let allowed: Set<String> = [
            "id", "labels", "en", "zh", "weak_en", "weak_zh", "exclude", "exclude_with", "exclude_unless", "pairs", "contexts",
            "pair_evidence",
            "field_weights",
        ]
        var topic = Taxonomy.Topic(id: "", terms: [])
        var sawId = false
        // Kept apart while the keys are read, in whatever order they come: `exclude_with` rules
        // first, then `exclude_unless`, so a rule's index does not depend on the file's key order.
        var excludeWith: [[[String]]] = []
        var excludeUnless: [[[String]]] = []
        for (name, _, value) in try mapping(node, key, allowed: allowed) {
            let path = "\(key).\(name)"
            switch name {
            case "id":
                topic.id = try string(value, path)
                guard topic.id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                    throw fail(value, path, "topic ids are ASCII letters, digits, '-' and '_' (they are part of the record)")
                }
                sawId = true
            case "labels":
                for (lang, _, label) in try mapping(value, path, allowed: ["zh", "en"]) {
                    let text = try string(label, "\(path).\(lang)")
                    if lang == "zh" { topic.labelZh = text } else { topic.labelEn = text }
                }
            case "en", "zh": topic.terms += try strings(value, path)
            case "weak_en", "weak_zh": topic.weakTerms += try strings(value, path)
            case "exclude": topic.exclusions = try strings(value, path)
            case "pairs":
                guard case .sequence(let groups) = value else { throw fail(value, path, "expected a list of term lists") }
                topic.pairs = try groups.enumerated().map { i, g in try strings(g, "\(path)[\(i)]") }
                guard topic.pairs.count >= 2 else { throw fail(value, path, "needs at least two groups") }
            case "contexts": topic.contexts = try rules(value, path)
            case "exclude_with": excludeWith = try rules(value, path)
            case "exclude_unless": excludeUnless = try rules(value, path)
            case "pair_evidence":
                switch try string(value, path) {
                case "all": topic.pairEvidenceFirstGroupOnly = false
                case "first": topic.pairEvidenceFirstGroupOnly = true
                default: throw fail(value, path, "expected 'all' or 'first'")
                }
            default:
                topic.fieldWeights = try fieldWeights(value, path)
            }
        }
        guard sawId else { throw fail(node, "\(key).id", "missing key") }
        topic.contextExclusions = excludeWith + excludeUnless
        topic.contextExclusionHoldsWithoutCompany = excludeWith.map { _ in false } + excludeUnless.map { _ in true }
        guard !topic.terms.isEmpty || !topic.contextRules.isEmpty else {
            throw fail(node, key, "topic '\(topic.id)' has no terms (en, zh or pairs)")
        }
        return topic
    }
}
