import Foundation
import IngestCore
@testable import Pipeline

extension FeedReport {
    /// Report `i` of a made-up run: every field varies with `i`, some are absent, and the text
    /// holds what the spool and the JSON writers must carry unchanged (Chinese, quotes, tabs,
    /// newlines, backslashes, control and line-separator characters, awkward doubles).
    static func sample(_ i: Int) -> FeedReport {
        FeedReport(
            feedID: "feed-\(i)", url: i % 3 == 0 ? "https://例子.cn/a/b/feed-\(i).xml?x=\"1\"" : "/tmp/feed \(i)\t.xml",
            status: [FeedOutcome.Status.ok, .failed, .notModified, .skipped][i % 4],
            httpStatus: i % 5 == 0 ? nil : 200 + i % 7, format: i % 2 == 0 ? "rss2" : nil,
            encoding: i % 6 == 0 ? "gb18030" : nil, emitted: i % 11, new: i % 3, changed: i % 2, unchanged: i % 5,
            warnings: (0..<(i % 4)).map { "警告 \($0) of feed \(i)\n\\ \u{1} \u{2028}" },
            error: i % 4 == 1 ? "http 500: 服务器错误 / \"quoted\"" : nil,
            bytes: i * 1_000, seconds: [Double(i) / 7, 0, 1e-7, 123_456.5, 1e21][i % 5])
    }
}
