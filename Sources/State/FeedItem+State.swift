import Foundation
import IngestCore

extension ItemFingerprint {
    /// The fingerprint the pipeline classifies: `FeedItem.contentHash` decides what a change is.
    public init(item: FeedItem, feedID: String) {
        self.init(feedID: feedID, itemID: item.id, contentHash: item.contentHash)
    }
}

extension EmittedItem {
    /// After classification, `item.revision` holds the revision that was written.
    public init(item: FeedItem, feedID: String) {
        self.init(feedID: feedID, itemID: item.id, contentHash: item.contentHash, revision: item.revision)
    }
}

extension FetchRecord {
    /// A fetch outcome scheduled by `SchedulePolicy`.
    public init(
        outcome: Outcome, at: Date, httpStatus: Int?, etag: String? = nil, lastModified: String? = nil,
        schedule: SchedulePolicy.Decision
    ) {
        self.init(
            outcome: outcome, at: at, httpStatus: httpStatus, etag: etag, lastModified: lastModified,
            nextDueAt: schedule.nextDueAt, intervalSeconds: schedule.intervalSeconds)
    }
}
