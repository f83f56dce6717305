import Foundation
import IngestCore
import Yams

/// Reads feed lists: YAML (this project's own format), OPML (as feed readers export it) and
/// plain text (one URL or path per line, `#` comments).
///
/// Relative paths inside a list resolve against the list's own directory, so a list and the
/// sample files beside it can move together.
public enum FeedListLoader {
    public enum Format: String, Sendable { case yaml, opml, text }

    /// Every feed of `file` (ids unique), or all of the file's problems. This is what
    /// `ingest --feed-list FILE` uses; `root` only shortens file names in messages.
    public static func load(_ file: URL, root: URL? = nil) throws(ConfigErrors) -> [FeedEntry] {
        let (entries, problems) = read(file, root: root)
        let collector = ProblemCollector()
        problems.forEach(collector.add)
        let unique = unique(entries, problems: collector, fallbackFile: displayPath(file, root: root))
        if !collector.isEmpty { throw ConfigErrors(collector.problems) }
        return unique
    }

    /// `entries` without repeated ids; each repeat is a problem pointing at both places.
    static func unique(_ entries: [FeedEntry], problems: ProblemCollector, fallbackFile: String) -> [FeedEntry] {
        var firstSeen: [String: FeedEntry] = [:]
        var out: [FeedEntry] = []
        out.reserveCapacity(entries.count)
        for entry in entries {
            if let first = firstSeen[entry.id] {
                let how = entry.idDerived ? " (derived from its URL; give one of them an 'id:')" : ""
                problems.add(.duplicateID, entry.origin ?? ConfigLocation(file: fallbackFile),
                             entry.originKey.isEmpty ? "id" : "\(entry.originKey).id",
                             "duplicate feed id '\(entry.id)'\(how), first used at \(first.origin?.description ?? "?")")
                continue
            }
            firstSeen[entry.id] = entry
            out.append(entry)
        }
        return out
    }

    /// The feeds that could be read, and every problem; used by the pipeline loader so one
    /// bad entry does not hide the next.
    public static func read(_ file: URL, root: URL? = nil) -> (entries: [FeedEntry], problems: [ConfigProblem]) {
        let collector = ProblemCollector()
        let display = displayPath(file, root: root)
        guard let data = FileManager.default.contents(atPath: file.path) else {
            collector.add(.missingFile, ConfigLocation(file: display), "", "cannot read feed list (no such file)")
            return ([], collector.problems)
        }
        let entries = parse(data, format: format(of: file, data: data), file: file, display: display, problems: collector)
        return (entries, collector.problems)
    }

    /// Parses list content already in memory; `file` gives the base directory and the name in messages.
    public static func parse(_ data: Data, format: Format, file: URL, root: URL? = nil) -> (entries: [FeedEntry], problems: [ConfigProblem]) {
        let collector = ProblemCollector()
        let entries = parse(data, format: format, file: file, display: displayPath(file, root: root), problems: collector)
        return (entries, collector.problems)
    }

    static func parse(_ data: Data, format: Format, file: URL, display: String, problems: ProblemCollector) -> [FeedEntry] {
        let base = file.deletingLastPathComponent()
        switch format {
        case .opml:
            return OPMLReader(display: display, base: base, problems: problems).read(data)
        case .yaml, .text:
            guard let text = String(data: data, encoding: .utf8) else {
                problems.add(.syntax, ConfigLocation(file: display), "", "feed list is not valid UTF-8")
                return []
            }
            return format == .yaml
                ? readYAML(text, base: base, walker: YAMLWalker(display: display, problems: problems))
                : readText(text, base: base, display: display, problems: problems)
        }
    }

    /// By extension first; otherwise XML-looking content is OPML and anything else a plain list.
    public static func format(of file: URL, data: Data) -> Format {
        switch file.pathExtension.lowercased() {
        case "yaml", "yml": return .yaml
        case "opml", "xml": return .opml
        default:
            let head = data.prefix(512).drop { [0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
            return head.first == UInt8(ascii: "<") ? .opml : .text
        }
    }

    // MARK: YAML

    static let entryKeys = ["id", "url", "type", "title", "language", "source", "timezone", "interval",
                            "enabled", "html_url", "categories"]
    static let defaultKeys = ["type", "language", "source", "timezone", "interval", "enabled", "categories"]

    static func readYAML(_ text: String, base: URL, walker: YAMLWalker, path: String = "feeds") -> [FeedEntry] {
        guard let root = walker.compose(text) else { return [] }
        switch root {
        case .sequence:
            return readEntries(root, path: "", defaults: FeedEntry(url: ""), base: base, walker: walker)
        case .mapping:
            guard let f = walker.fields(root, at: "", known: ["title", "description", "defaults", "feeds"]) else { return [] }
            var defaults = FeedEntry(url: "")
            if let node = f["defaults"], let d = walker.fields(node, at: "defaults", known: defaultKeys) {
                apply(d, to: &defaults, base: base, walker: walker)
            }
            _ = walker.string(f, "title")
            _ = walker.string(f, "description")
            guard let feeds = f["feeds"] else {
                walker.problems.add(.missingValue, walker.location(root), "feeds", "feed list has no 'feeds:'")
                return []
            }
            return readEntries(feeds, path: "feeds", defaults: defaults, base: base, walker: walker)
        default:
            if YAMLWalker.isNull(root) { return [] }
            walker.problems.add(.wrongType, walker.location(root), "", "expected a list of feeds or a mapping with 'feeds:', got \(walker.describeKind(root))")
            return []
        }
    }

    /// The entries of a `feeds:` sequence; shared with inline `feeds:` in pipeline files.
    static func readEntries(_ node: Node, path: String, defaults: FeedEntry, base: URL, walker: YAMLWalker) -> [FeedEntry] {
        guard case let .sequence(seq) = node else {
            walker.problems.add(.wrongType, walker.location(node), path, "expected a list of feeds, got \(walker.describeKind(node))")
            return []
        }
        var entries: [FeedEntry] = []
        for (i, element) in seq.enumerated() {
            let here = "\(path)[\(i)]"
            var entry = defaults
            entry.origin = walker.location(element)
            entry.originKey = here
            if case let .scalar(s) = element, !YAMLWalker.isNull(element) {
                guard let url = location(s.string, node: element, keyPath: here, base: base, walker: walker) else { continue }
                entry.url = url
                entry.id = FeedID.derive(from: s.string)
                entry.idDerived = true
                entries.append(entry)
                continue
            }
            guard let f = walker.fields(element, at: here, known: entryKeys, what: "a feed (a URL or a mapping with 'url:')") else { continue }
            guard let rawURL = walker.string(f, "url") else {
                if f["url"] == nil {
                    walker.problems.add(.missingValue, walker.location(element), "\(here).url", "feed has no 'url:'")
                }
                apply(f, to: &entry, base: base, walker: walker)
                continue
            }
            apply(f, to: &entry, base: base, walker: walker)
            if let id = walker.string(f, "id") {
                if id.isEmpty || id.contains(where: { $0.isWhitespace || $0 == "/" }) {
                    walker.problems.add(.badValue, walker.location(f["id"]), f.keyPath("id"), "bad feed id '\(id)' (no spaces or slashes)")
                }
                entry.id = id
                entry.idDerived = false
            } else {
                entry.id = FeedID.derive(from: rawURL)
                entry.idDerived = true
            }
            guard let url = location(rawURL, node: f["url"], keyPath: f.keyPath("url"), base: base, walker: walker) else { continue }
            entry.url = url
            entries.append(entry)
        }
        return entries
    }

    /// Per-feed (or `defaults:`) settings other than `url` and `id`.
    static func apply(_ f: YAMLWalker.Fields, to entry: inout FeedEntry, base: URL, walker: YAMLWalker) {
        if let type = walker.enumValue(f, "type", FeedType.self) { entry.type = type.kind }
        if let v = walker.string(f, "title") { entry.title = v }
        if let v = walker.language(f, "language") { entry.language = v }
        if let v = walker.string(f, "source") { entry.source = v }
        if let v = walker.timeZone(f, "timezone") { entry.timezone = v }
        if let v = walker.duration(f, "interval") { entry.interval = v }
        if let v = walker.bool(f, "enabled") { entry.enabled = v }
        if let v = walker.string(f, "html_url") { entry.htmlURL = v }
        if let v = walker.stringList(f, "categories") { entry.categories = v.map(\.0) }
    }

    // MARK: Plain text

    static func readText(_ text: String, base: URL, display: String, problems: ProblemCollector) -> [FeedEntry] {
        var entries: [FeedEntry] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(raw)
            if line.hasSuffix("\r") { line = line.dropLast() }
            let indent = line.prefix { $0 == " " || $0 == "\t" }.count
            var item = line.trimmingCharacters(in: .whitespaces)
            if item.isEmpty || item.hasPrefix("#") { continue }
            // A comment after the source needs white space before `#`: URLs may carry fragments.
            if let r = item.range(of: " #") ?? item.range(of: "\t#") {
                item = item[..<r.lowerBound].trimmingCharacters(in: .whitespaces)
            }
            let where_ = ConfigLocation(file: display, line: i + 1, column: indent + 1)
            guard let url = checkLocation(item, at: where_, keyPath: "", base: base, problems: problems) else { continue }
            var entry = FeedEntry(url: url, origin: where_)
            entry.id = FeedID.derive(from: item)
            entries.append(entry)
        }
        return entries
    }

    // MARK: Locations

    static func location(_ text: String, node: Node?, keyPath: String, base: URL, walker: YAMLWalker) -> String? {
        checkLocation(text, at: walker.location(node), keyPath: keyPath, base: base, problems: walker.problems)
    }

    /// The fetchable form of `text` (relative paths made absolute against `base`), or `nil`
    /// after recording why it cannot be fetched.
    static func checkLocation(_ text: String, at location: ConfigLocation, keyPath: String, base: URL,
                              problems: ProblemCollector) -> String? {
        let onlyThese = "(only http, https, file or a path)"
        let trimmed = ConfigChecks.trimmed(text)
        guard !trimmed.isEmpty else {
            problems.add(.missingValue, location, keyPath, "empty URL")
            return nil
        }
        guard !ConfigChecks.containsWhitespace(trimmed) else {
            problems.add(.badURL, location, keyPath, "bad URL '\(text)' (contains white space)")
            return nil
        }
        if let scheme = ConfigChecks.scheme(of: trimmed) {
            switch scheme {
            case "http", "https":
                guard let url = URL(string: trimmed), let host = url.host, !host.isEmpty else {
                    problems.add(.badURL, location, keyPath, "bad URL '\(text)' (no host)")
                    return nil
                }
                return trimmed
            case "file":
                guard let url = URL(string: trimmed), url.isFileURL, !url.path.isEmpty else {
                    problems.add(.badURL, location, keyPath, "bad URL '\(text)' \(onlyThese)")
                    return nil
                }
                guard FileManager.default.fileExists(atPath: url.path) else {
                    problems.add(.missingFile, location, keyPath, "no such file '\(url.path)'")
                    return nil
                }
                return trimmed
            default:
                let hint = Suggestion.closest(to: scheme, in: ["http", "https", "file"]).map { " (did you mean '\($0):'?)" } ?? ""
                problems.add(.badURL, location, keyPath, "bad URL '\(text)' \(onlyThese)\(hint)")
                return nil
            }
        }
        let path = resolvePath(trimmed, base: base)
        guard FileManager.default.fileExists(atPath: path.path) else {
            problems.add(.missingFile, location, keyPath, "no such file '\(trimmed)' (looked for \(path.path))")
            return nil
        }
        return path.path
    }

    static func resolvePath(_ path: String, base: URL) -> URL {
        let expanded = path.hasPrefix("~/") ? NSString(string: path).expandingTildeInPath : path
        if expanded.hasPrefix("/") { return URL(fileURLWithPath: expanded).standardizedFileURL }
        return base.appendingPathComponent(expanded).standardizedFileURL
    }

    /// `file` relative to `root` when inside it, else its absolute path.
    static func displayPath(_ file: URL, root: URL?) -> String {
        let path = file.standardizedFileURL.path
        guard let root else { return path }
        let prefix = root.standardizedFileURL.path.hasSuffix("/") ? root.standardizedFileURL.path : root.standardizedFileURL.path + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}

/// The `type:` values of a feed entry.
enum FeedType: String, CaseIterable {
    case feed, page
    var kind: FeedSource.Kind { self == .feed ? .feed : .page }
}
