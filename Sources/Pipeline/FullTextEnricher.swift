import Foundation
import IngestCore
import Fetch
import Parse

/// `full_text: true`: fetches the article page behind each new feed item whose feed
/// carries no body, and fills what the feed lacked.
///
/// The feed stays the authority: its title, link, dates, authors and source are kept
/// where it has them; the page only fills `content` and any of `authors`,
/// `published_at` and `source` that are missing. Page fetches go through the same
/// fetcher, so the same per-host limit, timeouts and size cap apply.
struct FullTextEnricher: Sendable {
    let stages: Stages
    /// Feed bodies shorter than this (in characters) count as "no body".
    var minimumContent = 200
    /// Pages fetched at once per feed.
    var concurrency = 4

    func needsPage(_ item: FeedItem) -> Bool {
        guard let url = item.url, url.hasPrefix("http://") || url.hasPrefix("https://") else { return false }
        return (item.content?.count ?? 0) < minimumContent
    }

    /// Returns the items in order, enriched where their page could be read; a page that
    /// fails leaves the item as the feed had it, with a warning.
    func enrich(_ items: [FeedItem], feedID: String) async -> [FeedItem] {
        let wanted = items.indices.filter { needsPage(items[$0]) }
        guard !wanted.isEmpty else { return items }
        var out = items
        await withTaskGroup(of: (Int, FeedItem).self) { group in
            var next = wanted.makeIterator()
            var running = 0
            func start() -> Bool {
                guard let i = next.next() else { return false }
                let item = items[i]
                group.addTask { (i, await enrichOne(item, feedID: feedID)) }
                return true
            }
            while running < concurrency, start() { running += 1 }
            for await (i, item) in group {
                out[i] = item
                if !start() { running -= 1 }
            }
        }
        return out
    }

    private func enrichOne(_ item: FeedItem, feedID: String) async -> FeedItem {
        var result = item
        let source = FeedSource(location: item.url!, kind: .page, id: "\(feedID)#page")
        let document: FetchedDocument
        switch await stages.fetcher.fetch(FetchRequest(source: source)) {
        case .success(let doc): document = doc
        case .failure(let failure):
            result.warnings.append("full text: \(failure.description)")
            return result
        }
        let parsed: ParsedFeed
        do {
            parsed = try stages.articleExtractor.extract(document)
        } catch {
            result.warnings.append("full text: \(error.description)")
            return result
        }
        guard let raw = parsed.items.first else { return result }
        let context = FeedContext(
            source: source, info: parsed.info, requestedURL: document.requestedURL, finalURL: document.finalURL,
            httpStatus: document.httpStatus, fetchedAt: document.fetchedAt, headers: document.headers)
        // Items reach enrichment only after Normalize and Tag ran, so these are built.
        guard let text = try? await stages.text() else { return result }
        let page = text.normalizer.normalize(raw, context: context)
        if let content = page.content, content.count > (result.content?.count ?? 0) { result.content = content }
        if result.authors.isEmpty { result.authors = page.authors }
        if result.published == nil { result.published = page.published }
        if result.source.id == nil, page.source.id != nil { result.source = page.source }
        text.tagger.tag(&result)
        return result
    }
}
