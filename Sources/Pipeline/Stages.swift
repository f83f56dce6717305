import Foundation
import IngestCore
import Fetch
import Parse
import Normalize
import Tag
import NewsText

/// The stage implementations one run uses. Built once by the composition root
/// (`StageFactory.make`) so tests, `ingest --feed`, `run` and `serve` share the same wiring.
public struct Stages: Sendable {
    public var fetcher: Fetcher
    public var feedParser: FeedParser
    public var articleExtractor: ArticleExtractor
    /// The normalizer and tagger may still be building when a run starts: their tables
    /// (source registry, taxonomy automaton, Traditional→Simplified fold) are most of
    /// start-up, and the first response is a network round trip away, so fetching does
    /// not wait for them. The first item does (`text()`).
    public var textStages: Prepared<TextStages>

    public init(
        fetcher: Fetcher, feedParser: FeedParser, articleExtractor: ArticleExtractor, normalizer: ItemNormalizer,
        tagger: TopicTagger
    ) {
        self.init(
            fetcher: fetcher, feedParser: feedParser, articleExtractor: articleExtractor,
            textStages: Prepared(TextStages(normalizer: normalizer, tagger: tagger)))
    }

    public init(fetcher: Fetcher, feedParser: FeedParser, articleExtractor: ArticleExtractor, textStages: Prepared<TextStages>) {
        self.fetcher = fetcher
        self.feedParser = feedParser
        self.articleExtractor = articleExtractor
        self.textStages = textStages
    }

    /// The normalizer and tagger, once built; throws what building them threw (a broken
    /// taxonomy or source registry), which ends the run before anything is emitted.
    public func text() async throws -> TextStages { try await textStages.value() }
}

/// Normalize and Tag, which are built together because both need the text-folding tables.
public struct TextStages: Sendable {
    public var normalizer: ItemNormalizer
    public var tagger: TopicTagger
    public init(normalizer: ItemNormalizer, tagger: TopicTagger) {
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
