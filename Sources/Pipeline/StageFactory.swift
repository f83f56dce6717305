import Foundation
import IngestCore
import Fetch
import Parse
import Normalize
import Tag
import NewsText
import Synchronization

/// The composition root: turns settings into the stage objects a run uses. `ingest`,
/// `run`, `serve` and the tests all come through here, so they never wire stages
/// differently.
public enum StageFactory {
    public static let defaultTaxonomy = "pipelines/topics.yaml"
    public static let defaultSources = "pipelines/sources.yaml"

    /// `fetchesOverHTTP`: false only when every source is a local file; libcurl and OpenSSL
    /// are then never initialised (see `Fetcher.startTransfers`).
    public static func make(
        fetch: FetchConfiguration, taxonomyPath: String?, sourcesPath: String?,
        normalize: NormalizeOptions = NormalizeOptions(), fetchesOverHTTP: Bool = true
    ) throws -> Stages {
        let taxonomyURL = try locate(taxonomyPath, fallback: defaultTaxonomy, what: "topic taxonomy")
        let sourcesURL = try locate(sourcesPath, fallback: defaultSources, what: "source registry")
        let fetcher: Fetcher
        do {
            fetcher = try Fetcher(configuration: fetch)
            if fetchesOverHTTP { try fetcher.startTransfers() }
        } catch {
            throw AdHocJob.Failure("cannot start the fetcher: \(error)", isConfiguration: false)
        }
        // Normalizer and tagger build on threads of their own while the caller opens its
        // state and starts fetching; the registry and the taxonomy load side by side.
        let text = Prepared(name: "ingest-taxonomy") { () throws -> TextStages in
            let normalizer = Prepared(name: "ingest-sources") { () throws -> ItemNormalizer in
                let registry: SourceRegistry
                do {
                    registry = try SourceRegistry.load(path: sourcesURL.path)
                } catch {
                    throw AdHocJob.Failure("\(sourcesURL.path): \(error)")
                }
                let normalizer = ItemNormalizer(registry: registry, options: normalize)
                // Give back start-up's code pages (argument parsing, the YAML reader, the registry)
                // now, while the taxonomy still compiles: the run's peak is that compile, and
                // releasing only once both tables exist left it 11-15 MB higher (`scripts/bench-memory.py --http`).
                ProcessMemory.releaseStartupPages()
                return normalizer
            }
            let taxonomy: Taxonomy
            do {
                taxonomy = try Taxonomy.load(from: taxonomyURL)
            } catch {
                throw AdHocJob.Failure("\(taxonomyURL.path): \(error)")
            }
            let tagger = TopicTagger(taxonomy: taxonomy)
            let stages = TextStages(normalizer: try normalizer.wait(), tagger: tagger)
            // And the compiler's own pages, once it is done.
            ProcessMemory.releaseStartupPages()
            return stages
        }
        return Stages(
            fetcher: fetcher,
            // A gzip body is inflated under the same cap as a fetched one.
            feedParser: FeedParser(limits: ParseLimits(maxDecompressedBytes: fetch.maxBytes)), articleExtractor: ArticleExtractor(),
            textStages: text)
    }

    /// Builds the text-folding tables (the ICU Traditional→Simplified expansion and the
    /// fold table over the Basic Multilingual Plane, a good part of start-up) on a thread of
    /// their own while the caller reads its configuration; whoever needs them first (the
    /// taxonomy's term checks) waits only for what is left. Once per process.
    public static func prepareTextTablesInBackground() {
        warmUp.withLock { started in
            guard !started else { return }
            started = true
            let thread = Thread { _ = TextFolding.fold("開") }
            thread.name = "ingest-warm-up"
            thread.start()
        }
    }

    private static let warmUp = Mutex(false)

    static func locate(_ explicit: String?, fallback: String, what: String) throws -> URL {
        if let explicit {
            let url = URL(fileURLWithPath: explicit)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw AdHocJob.Failure("\(explicit): \(what) not found")
            }
            return url
        }
        guard let url = ProjectPaths.locate(fallback) else {
            throw AdHocJob.Failure(
                "\(fallback): \(what) not found in the working directory or beside the ingest binary; "
                    + "run from the project root, set INGEST_HOME, or pass the file explicitly")
        }
        return url
    }
}

extension StageFactory {
    /// Loads the taxonomy and the source registry once, for `ingest validate`.
    public static func checkFiles(taxonomyPath: String?, sourcesPath: String?) throws -> (topics: Int, sources: Int) {
        let taxonomyURL = try locate(taxonomyPath, fallback: defaultTaxonomy, what: "topic taxonomy")
        let sourcesURL = try locate(sourcesPath, fallback: defaultSources, what: "source registry")
        let taxonomy: Taxonomy
        do { taxonomy = try Taxonomy.load(from: taxonomyURL) } catch { throw AdHocJob.Failure("\(taxonomyURL.path): \(error)") }
        let registry: SourceRegistry
        do { registry = try SourceRegistry.load(path: sourcesURL.path) } catch { throw AdHocJob.Failure("\(sourcesURL.path): \(error)") }
        return (taxonomy.topics.count, registry.sources.count)
    }
}
