import Foundation
import Yams

/// Loads and validates pipeline files (`pipelines/NAME.yaml`).
///
/// Path rules:
/// - A pipeline is named `NAME` (resolved to `<root>/pipelines/NAME.yaml`, or `.yml`) or given
///   as a path (anything with a `/` or a `.yaml`/`.yml` ending; relative to `root`).
/// - Paths inside a pipeline file (feed lists, inline feeds, taxonomy, sources, output, state) resolve
///   against the project root: the parent of the pipeline file's directory when that directory
///   is called `pipelines`, else `root`. So `feeds/demo.yaml` means the same thing whichever
///   directory `ingest` is started from.
/// - Paths inside a feed list resolve against the feed list's own directory.
public enum ConfigLoader {
    /// The loaded pipeline, or every problem found in it and its feed lists.
    public static func load(pipeline pathOrName: String, root: URL) throws(ConfigErrors) -> PipelineConfig {
        let (config, problems) = validate(pipeline: pathOrName, root: root)
        guard let config, problems.isEmpty else { throw ConfigErrors(problems) }
        return config
    }

    /// Everything `ingest validate` reports: the config when it could be built, and all problems.
    public static func validate(pipeline pathOrName: String, root: URL) -> (config: PipelineConfig?, problems: [ConfigProblem]) {
        let file = pipelineFile(pathOrName, root: root)
        let projectRoot = projectRoot(for: file, fallback: root)
        let display = FeedListLoader.displayPath(file, root: projectRoot)
        guard let data = FileManager.default.contents(atPath: file.path) else {
            var message = "no such pipeline file"
            if !isPath(pathOrName) {
                let names = availablePipelines(root: root)
                message = "no pipeline named '\(pathOrName)' (looked for \(display))"
                if let hint = Suggestion.closest(to: pathOrName, in: names) { message += "; did you mean '\(hint)'?" }
                else if !names.isEmpty { message += "; available: \(names.joined(separator: ", "))" }
            }
            return (nil, [ConfigProblem(.missingFile, at: ConfigLocation(file: display), key: "", message)])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return (nil, [ConfigProblem(.syntax, at: ConfigLocation(file: display), key: "", "pipeline file is not valid UTF-8")])
        }
        return parse(yaml: text, file: file, root: projectRoot)
    }

    /// `NAME` -> `<root>/pipelines/NAME.yaml`; a path is taken as given (relative to `root`).
    public static func pipelineFile(_ pathOrName: String, root: URL) -> URL {
        if isPath(pathOrName) { return FeedListLoader.resolvePath(pathOrName, base: root) }
        let dir = root.appendingPathComponent("pipelines")
        let yml = dir.appendingPathComponent("\(pathOrName).yml")
        if !FileManager.default.fileExists(atPath: dir.appendingPathComponent("\(pathOrName).yaml").path),
           FileManager.default.fileExists(atPath: yml.path) {
            return yml
        }
        return dir.appendingPathComponent("\(pathOrName).yaml")
    }

    /// Pipeline names under `<root>/pipelines`, leaving out the taxonomy and source registry.
    public static func availablePipelines(root: URL) -> [String] {
        let dir = root.appendingPathComponent("pipelines")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return files.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
            .map { String($0[..<$0.lastIndex(of: ".")!]) }
            .filter { $0 != "topics" && $0 != "sources" }
            .sorted()
    }

    static func isPath(_ s: String) -> Bool {
        s.contains("/") || s.hasSuffix(".yaml") || s.hasSuffix(".yml")
    }

    static func projectRoot(for file: URL, fallback: URL) -> URL {
        let dir = file.deletingLastPathComponent()
        return dir.lastPathComponent == "pipelines" ? dir.deletingLastPathComponent() : fallback
    }

    static let topKeys = ["name", "description", "feed_lists", "feeds", "fetch", "normalize", "tag", "sources",
                          "buffers", "output", "state", "schedule", "full_text", "serve"]

    /// Parses pipeline YAML already in memory. `file` names it in messages and gives the
    /// default name; paths resolve against `root`; messages show paths relative to `displayRoot`.
    public static func parse(yaml text: String, file: URL, root: URL, displayRoot: URL? = nil) -> (config: PipelineConfig?, problems: [ConfigProblem]) {
        let problems = ProblemCollector()
        let shownRoot = displayRoot ?? root
        let w = YAMLWalker(display: FeedListLoader.displayPath(file, root: shownRoot), problems: problems)
        let defaultName = file.deletingPathExtension().lastPathComponent
        guard let document = w.compose(text), !YAMLWalker.isNull(document) else {
            if problems.isEmpty {
                problems.add(.missingValue, ConfigLocation(file: w.display, line: 1, column: 1), "feed_lists",
                             "pipeline file is empty: add 'feed_lists:' (files under feeds/) or 'feeds:'")
            }
            return (nil, problems.problems)
        }
        guard let top = w.fields(document, at: "", known: topKeys, what: "a mapping of pipeline settings") else {
            return (nil, problems.problems)
        }

        var name = defaultName
        if let v = w.string(top, "name") {
            if v.isEmpty || v.contains(where: { $0 == "/" || $0.isWhitespace || $0 == "\\" }) || v.hasPrefix(".") {
                problems.add(.badValue, w.location(top["name"]), "name", "bad pipeline name '\(v)' (a word used as a directory name: no spaces or slashes)")
            } else {
                name = v
            }
        }
        var config = PipelineConfig(name: name, root: root)
        config.file = file
        config.description = w.string(top, "description")

        func path(_ f: YAMLWalker.Fields, _ key: String, mustExist: Bool) -> URL? {
            guard let text = w.string(f, key) else { return nil }
            guard !text.isEmpty else {
                problems.add(.missingValue, w.location(f[key]), f.keyPath(key), "empty path")
                return nil
            }
            let url = FeedListLoader.resolvePath(text, base: root)
            if mustExist, !FileManager.default.fileExists(atPath: url.path) {
                problems.add(.missingFile, w.location(f[key]), f.keyPath(key), "no such file '\(text)' (looked for \(url.path))")
            }
            return url
        }

        // Feeds: inline first, then lists in order; ids must be unique across all of them.
        var feeds: [FeedEntry] = []
        if let node = top["feeds"] {
            feeds += FeedListLoader.readEntries(node, path: "feeds", defaults: FeedEntry(url: ""), base: root, walker: w)
        }
        if let lists = w.stringList(top, "feed_lists") {
            for (i, (text, node)) in lists.enumerated() {
                let url = FeedListLoader.resolvePath(text, base: root)
                guard FileManager.default.fileExists(atPath: url.path) else {
                    problems.add(.missingFile, w.location(node), "feed_lists[\(i)]", "no such feed list '\(text)' (looked for \(url.path))")
                    continue
                }
                config.feedLists.append(url)
                let (entries, listProblems) = FeedListLoader.read(url, root: shownRoot)
                listProblems.forEach(problems.add)
                feeds += entries
            }
        }
        if top["feeds"] == nil, top["feed_lists"] == nil {
            problems.add(.missingValue, w.location(document), "feed_lists", "pipeline has no feeds: add 'feed_lists:' (files under feeds/) or 'feeds:'")
        }
        config.feeds = FeedListLoader.unique(feeds, problems: problems, fallbackFile: w.display)

        if let node = top["fetch"], let f = w.fields(node, at: "fetch", known: [
            "concurrency", "per_host", "connect_timeout", "timeout", "low_speed_limit", "low_speed_time",
            "retries", "max_bytes", "max_redirects", "user_agent",
        ]) {
            var s = config.fetch
            if let v = w.int(f, "concurrency", min: 1, max: 4096) { s.concurrency = v }
            if let v = w.int(f, "per_host", min: 1, max: 4096) { s.perHost = v }
            if let v = w.duration(f, "connect_timeout") { s.connectTimeout = v }
            if let v = w.duration(f, "timeout") { s.timeout = v }
            if let v = w.int(f, "low_speed_limit", min: 0) { s.lowSpeedLimit = v }
            if let v = w.duration(f, "low_speed_time") { s.lowSpeedTime = v }
            if let v = w.int(f, "retries", min: 0, max: 20) { s.retries = v }
            if let v = w.byteSize(f, "max_bytes") { s.maxBytes = v }
            if let v = w.int(f, "max_redirects", min: 0, max: 20) { s.maxRedirects = v }
            if let v = w.string(f, "user_agent") { s.userAgent = v }
            config.fetch = s
        }

        if let node = top["normalize"], let f = w.fields(node, at: "normalize", known: [
            "default_timezone", "chinese_timezone", "strip_site_names", "strip_tracking",
        ]) {
            if let v = w.timeZone(f, "default_timezone") { config.normalize.defaultTimeZone = v }
            if let v = w.timeZone(f, "chinese_timezone") { config.normalize.chineseTimeZone = v }
            if let v = w.bool(f, "strip_site_names") { config.normalize.stripSiteNames = v }
            if let v = w.bool(f, "strip_tracking") { config.normalize.stripTracking = v }
        }

        if let node = top["tag"], let f = w.fields(node, at: "tag", known: ["taxonomy"]) {
            if let url = path(f, "taxonomy", mustExist: true) { config.tag.taxonomy = url }
        }
        if let url = path(top, "sources", mustExist: true) { config.sources = url }

        if let node = top["buffers"], let f = w.fields(node, at: "buffers", known: ["fetched", "parsed", "normalized", "tagged"]) {
            if let v = w.int(f, "fetched", min: 1, max: 1_000_000) { config.buffers.fetched = v }
            if let v = w.int(f, "parsed", min: 1, max: 1_000_000) { config.buffers.parsed = v }
            if let v = w.int(f, "normalized", min: 1, max: 1_000_000) { config.buffers.normalized = v }
            if let v = w.int(f, "tagged", min: 1, max: 1_000_000) { config.buffers.tagged = v }
        }

        if let node = top["output"], let f = w.fields(node, at: "output", known: [
            "directory", "compression", "rotate_records", "rotate_bytes", "feed_records",
        ]) {
            if let url = path(f, "directory", mustExist: false) {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                    problems.add(.badValue, w.location(f["directory"]), "output.directory", "'\(url.path)' exists and is not a directory")
                }
                config.output.directory = url
            }
            if let v = w.enumValue(f, "compression", OutputSettings.Compression.self) { config.output.compression = v }
            if let v = w.int(f, "rotate_records", min: 1) { config.output.rotateRecords = v }
            if let v = w.byteSize(f, "rotate_bytes") { config.output.rotateBytes = v }
            if let v = w.bool(f, "feed_records") { config.output.feedRecords = v }
        }
        // State lives beside the records unless the pipeline says otherwise.
        config.state.path = config.output.directory.appendingPathComponent("state.sqlite")

        if let node = top["state"], let f = w.fields(node, at: "state", known: ["backend", "path", "url"]) {
            if let v = w.enumValue(f, "backend", StateSettings.Backend.self) { config.state.backend = v }
            if let url = path(f, "path", mustExist: false) { config.state.path = url }
            if let raw = w.string(f, "url") {
                let (expanded, missing) = expandEnvironment(raw)
                if let missing {
                    problems.add(.missingValue, w.location(f["url"]), "state.url", "environment variable '\(missing)' is not set")
                } else if !(expanded.hasPrefix("postgres://") || expanded.hasPrefix("postgresql://")) || URL(string: expanded)?.host == nil {
                    problems.add(.badURL, w.location(f["url"]), "state.url", "bad URL '\(raw)' (expected postgres://user@host/db)")
                } else {
                    config.state.url = expanded
                }
            }
            if config.state.backend == .postgres, f["url"] == nil {
                problems.add(.missingValue, w.location(node), "state.url", "backend postgres needs 'url:' (postgres://user@host/db; ${VAR} is expanded)")
            }
        }

        if let node = top["schedule"], let f = w.fields(node, at: "schedule", known: ["interval", "min_interval", "max_interval", "max_backoff"]) {
            if let v = w.duration(f, "interval") { config.schedule.interval = v }
            if let v = w.duration(f, "min_interval", allowZero: true) { config.schedule.minInterval = v }
            if let v = w.duration(f, "max_interval") { config.schedule.maxInterval = v }
            if let v = w.duration(f, "max_backoff") { config.schedule.maxBackoff = v }
            if config.schedule.minInterval > config.schedule.maxInterval {
                problems.add(.badValue, w.location(f["min_interval"] ?? f["max_interval"]), "schedule.min_interval",
                             "min_interval (\(ConfigDuration.format(config.schedule.minInterval))) is longer than max_interval (\(ConfigDuration.format(config.schedule.maxInterval)))")
            }
        }

        if let v = w.bool(top, "full_text") { config.fullText = v }

        if let node = top["serve"], let f = w.fields(node, at: "serve", known: ["metrics_host", "metrics_port", "health"]) {
            if let v = w.string(f, "metrics_host") { config.serve.metricsHost = v }
            if let v = w.int(f, "metrics_port", min: 0, max: 65535) { config.serve.metricsPort = v }
            if let v = w.bool(f, "health") { config.serve.health = v }
        }

        return (config, sorted(problems.problems))
    }

    /// Problems in file order (the pipeline file's own first, in the order met), then line.
    static func sorted(_ problems: [ConfigProblem]) -> [ConfigProblem] {
        var fileOrder: [String: Int] = [:]
        for p in problems where fileOrder[p.file] == nil { fileOrder[p.file] = fileOrder.count }
        return problems.enumerated().sorted { a, b in
            let (fa, fb) = (fileOrder[a.element.file]!, fileOrder[b.element.file]!)
            if fa != fb { return fa < fb }
            let (la, lb) = (a.element.line ?? 0, b.element.line ?? 0)
            if la != lb { return la < lb }
            let (ca, cb) = (a.element.column ?? 0, b.element.column ?? 0)
            if ca != cb { return ca < cb }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// `${VAR}` references, so that passwords stay out of pipeline files.
    static func expandEnvironment(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> (String, missing: String?) {
        var out = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            out += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { out += rest[start.lowerBound...]; return (out, nil) }
            let name = String(rest[start.upperBound..<end])
            guard let value = environment[name] else { return (text, name) }
            out += value
            rest = rest[rest.index(after: end)...]
        }
        out += rest
        return (out, nil)
    }
}
