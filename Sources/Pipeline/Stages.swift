import Foundation
import IngestCore
import Fetch
import Parse
import Normalize
import Tag
import NewsText

/// The stage implementations one run uses. Built once by the composition root
/// (`Stages.make`) so tests, `ingest --feed`, `run` and `serve` share the same wiring.
public struct Stages: Sendable {
    public var fetcher: Fetcher
    public var feedParser: FeedParser
    public var articleExtractor: ArticleExtractor
    public var normalizer: ItemNormalizer
    public var tagger: TopicTagger

    public init(
        fetcher: Fetcher, feedParser: FeedParser, articleExtractor: ArticleExtractor, normalizer: ItemNormalizer,
        tagger: TopicTagger
    ) {
        self.fetcher = fetcher
        self.feedParser = feedParser
        self.articleExtractor = articleExtractor
        self.normalizer = normalizer
        self.tagger = tagger
    }
}

/// Capacities of the bounded edges between stages. Small on purpose: memory stays flat
/// however many feeds a run has, and a slow sink is felt by the fetcher at once.
public struct EdgeCapacities: Sendable, Hashable {
    /// Fetched documents waiting for Parse (each holds a whole body, so keep it small).
    public var fetched: Int = 4
    /// Events between Parse, Normalize, Tag and Emit.
    public var items: Int = 64
    public init(fetched: Int = 4, items: Int = 64) {
        self.fetched = fetched
        self.items = items
    }
}

/// What the Fetch stage hands to Parse.
public enum FetchOutcome: Sendable {
    case fetched(FetchedDocument)
    case failed(FeedSource, SourceFailure, elapsed: Duration, fetchedAt: Date)
}
