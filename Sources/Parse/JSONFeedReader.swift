import CLibXML
import Foundation
import IngestCore

/// JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1).
enum JSONFeedReader {
    static func parse(
        _ decoded: DecodedDocument, baseURL: String, source: String, notAFeed: (String) -> SourceFailure
    ) throws(SourceFailure) -> ParsedFeed {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(decoded.utf8), options: [.fragmentsAllowed])
        } catch {
            throw SourceFailure(source: source, stage: .parse, kind: .malformed, reason: "invalid JSON: \(error.localizedDescription)")
        }
        guard let feed = object as? [String: Any] else { throw notAFeed("JSON document that is not an object: not a feed") }
        let version = feed["version"] as? String ?? ""
        guard version.contains("jsonfeed.org") || feed["items"] is [Any] else {
            throw notAFeed("JSON document without a JSON Feed version: not a feed")
        }
        var warnings = decoded.warnings
        if !version.contains("jsonfeed.org") { warnings.append("JSON Feed without a version") }
        func url(_ s: Any?) -> String? {
            guard let s = s as? String, !s.trimmed.isEmpty else { return nil }
            return FeedParser.resolve(s.trimmed, against: baseURL)
        }
        func text(_ s: Any?) -> String? {
            guard let s = s as? String else { return nil }
            let t = s.trimmed
            return t.isEmpty ? nil : t
        }
        func names(_ obj: [String: Any]) -> [String] {
            var out: [String] = []
            // A null or malformed entry in the array costs only itself, not its neighbours.
            if let authors = obj["authors"] as? [Any] {
                out += authors.compactMap { ($0 as? [String: Any]).flatMap { text($0["name"]) } }
            }
            if out.isEmpty, let author = obj["author"] as? [String: Any], let n = text(author["name"]) { out.append(n) }
            return out
        }
        var info = FeedInfo(format: .json1, encoding: decoded.encoding)
        info.title = text(feed["title"])
        info.link = url(feed["home_page_url"])
        info.description = text(feed["description"])
        info.language = text(feed["language"])
        info.warnings = warnings

        var items: [RawItem] = []
        for case let entry as [String: Any] in (feed["items"] as? [Any] ?? []) {
            var item = RawItem()
            if let id = entry["id"] {
                item.guid = (id as? String) ?? (id as? NSNumber).map { $0.stringValue }
            }
            item.link = url(entry["url"]) ?? url(entry["external_url"])
            item.title = text(entry["title"])
            if let html = entry["content_html"] as? String { item.content = htmlToText(html) }
            if item.content == nil { item.content = text(entry["content_text"]) }
            item.summary = text(entry["summary"])
            item.published = text(entry["date_published"])
            item.updated = text(entry["date_modified"])
            item.authors = names(entry)
            if item.authors.isEmpty { item.authors = names(feed) }
            item.categories = (entry["tags"] as? [Any] ?? []).compactMap { text($0) }
            item.imageURL = url(entry["image"]) ?? url(entry["banner_image"])
            item.enclosures = (entry["attachments"] as? [Any] ?? []).compactMap { ($0 as? [String: Any]).flatMap { url($0["url"]) } }
            item.language = text(entry["language"])
            items.append(item)
        }
        return ParsedFeed(info: info, items: items)
    }

    static func htmlToText(_ html: String) -> String? {
        var out: UnsafeMutablePointer<CChar>?
        var len = 0
        let bytes = Array(html.utf8)
        let rc = bytes.withUnsafeBufferPointer { buf in
            buf.withMemoryRebound(to: CChar.self) { ingest_html_to_text($0.baseAddress, $0.count, &out, &len) }
        }
        defer { ingest_free(out) }
        guard rc == 0, let out else { return nil }
        let s = out.withMemoryRebound(to: UInt8.self, capacity: len) {
            String(decoding: UnsafeBufferPointer(start: $0, count: len), as: UTF8.self)
        }
        return s.isEmpty ? nil : s
    }
}

/// HTML fragment to plain text, the same rendering feeds get: block elements become line
/// breaks, entities (numeric and HTML named) are decoded once, white space collapses.
public enum HTMLText {
    public static func plainText(_ html: String) -> String { JSONFeedReader.htmlToText(html) ?? "" }
}
