import Foundation
import IngestCore
import Fetch
import Parse
import Normalize
import Tag
import NewsText

/// The composition root: turns settings into the stage objects a run uses. `ingest`,
/// `run`, `serve` and the tests all come through here, so they never wire stages
/// differently.
public enum StageFactory {
    public static let defaultTaxonomy = "pipelines/topics.yaml"
    public static let defaultSources = "pipelines/sources.yaml"

    public static func make(
        fetch: FetchConfiguration, taxonomyPath: String?, sourcesPath: String?,
        normalize: NormalizeOptions = NormalizeOptions()
    ) throws -> Stages {
        let taxonomyURL = try locate(taxonomyPath, fallback: defaultTaxonomy, what: "topic taxonomy")
        let sourcesURL = try locate(sourcesPath, fallback: defaultSources, what: "source registry")
        let taxonomy: Taxonomy
        do {
            taxonomy = try Taxonomy.load(from: taxonomyURL)
        } catch {
            throw AdHocJob.Failure("\(taxonomyURL.path): \(error)")
        }
        let registry: SourceRegistry
        do {
            registry = try SourceRegistry.load(path: sourcesURL.path)
        } catch {
            throw AdHocJob.Failure("\(sourcesURL.path): \(error)")
        }
        let fetcher: Fetcher
        do {
            fetcher = try Fetcher(configuration: fetch)
        } catch {
            throw AdHocJob.Failure("cannot start the fetcher: \(error)", isConfiguration: false)
        }
        return Stages(
            fetcher: fetcher, feedParser: FeedParser(), articleExtractor: ArticleExtractor(),
            normalizer: ItemNormalizer(registry: registry, options: normalize),
            tagger: TopicTagger(taxonomy: taxonomy))
    }

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
