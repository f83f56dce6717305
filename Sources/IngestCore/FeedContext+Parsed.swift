import Foundation

/// The feed record and item context of a parsed document, built the one way the pipeline
/// builds them, so benchmarks and dumps that replay the pipeline cannot drift from it.
extension FeedRecord {
    public init(document doc: FetchedDocument, parsed: ParsedFeed) {
        self.init(
            url: doc.requestedURL, finalURL: doc.finalURL, title: parsed.info.title ?? doc.source.title,
            link: parsed.info.link, language: parsed.info.language, description: parsed.info.description,
            format: parsed.info.format?.rawValue, encoding: parsed.info.encoding, httpStatus: doc.httpStatus,
            items: parsed.items.count, warnings: parsed.info.warnings, feedID: doc.source.id, fetchedAt: doc.fetchedAt)
    }
}

extension FeedContext {
    public init(document doc: FetchedDocument, parsed: ParsedFeed, record: FeedRecord) {
        self.init(
            source: doc.source, info: parsed.info, requestedURL: doc.requestedURL, finalURL: doc.finalURL,
            httpStatus: doc.httpStatus, fetchedAt: doc.fetchedAt, headers: doc.headers, record: record)
    }
}
