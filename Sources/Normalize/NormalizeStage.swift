import IngestCore
import NewsText

extension ItemNormalizer {
    /// Runs Normalize between two pipeline edges: each feed's `begin` supplies the context
    /// its items are read in; framing events pass through unchanged and in order.
    public func run(
        input: BoundedChannel<FeedEvent<RawItem>>,
        output: BoundedChannel<FeedEvent<ContextualItem<FeedItem>>>,
        stats: StageStats? = nil
    ) async throws {
        var contexts: [String: FeedContext] = [:]
        try await runStage(input: input, output: output, stats: stats) { event, emit in
            switch event {
            case .begin(let context):
                contexts[context.source.id] = context
                try await emit(.begin(context))
            case .item(let raw, let feedID):
                guard let context = contexts[feedID] else {
                    // An item without its feed's `begin` is a wiring bug upstream; say so
                    // in the record instead of dropping it silently.
                    let orphan = FeedContext(
                        source: FeedSource(location: feedID, id: feedID), info: FeedInfo(),
                        requestedURL: feedID, finalURL: feedID, httpStatus: nil, fetchedAt: .now)
                    var item = normalize(raw, context: orphan)
                    item.warnings.append("item arrived before its feed's begin event (feed \(feedID))")
                    try await emit(.item(ContextualItem(item, context: orphan), feedID: feedID))
                    return
                }
                try await emit(.item(ContextualItem(normalize(raw, context: context), context: context), feedID: feedID))
            case .end(let outcome):
                contexts[outcome.source.id] = nil
                try await emit(.end(outcome))
            }
        }
    }
}
