import CLibXML
import Foundation
import IngestCore

/// JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1).
enum JSONFeedReader {
    static func parse(
        _ decoded: DecodedDocument, baseURL: String, source: String, notAFeed: (String) -> SourceFailure
    ) throws(SourceFailure) -> ParsedFeed {
        let document: JSONValue
        do {
            document = try JSONReader.parse(decoded.utf8)
        } catch {
            throw SourceFailure(source: source, stage: .parse, kind: .malformed, reason: "invalid JSON: \(error)")
        }
        guard let feed = document.object else { throw notAFeed("JSON document that is not an object: not a feed") }
        let version = feed["version"]?.string ?? ""
        guard version.contains("jsonfeed.org") || feed["items"]?.array != nil else {
            throw notAFeed("JSON document without a JSON Feed version: not a feed")
        }
        var warnings = decoded.warnings
        if !version.contains("jsonfeed.org") { warnings.append("JSON Feed without a version") }
        func url(_ s: JSONValue?) -> String? {
            guard let s = s?.string, !s.trimmed.isEmpty else { return nil }
            return FeedParser.resolve(s.trimmed, against: baseURL)
        }
        func text(_ s: JSONValue?) -> String? {
            guard let s = s?.string else { return nil }
            let t = s.trimmed
            return t.isEmpty ? nil : t
        }
        func names(_ obj: JSONObject) -> [String] {
            var out: [String] = []
            // A null or malformed entry in the array costs only itself, not its neighbours.
            if let authors = obj["authors"]?.array {
                out += authors.compactMap { $0.object.flatMap { text($0["name"]) } }
            }
            if out.isEmpty, let author = obj["author"]?.object, let n = text(author["name"]) { out.append(n) }
            return out
        }
        var info = FeedInfo(format: .json1, encoding: decoded.encoding)
        info.title = text(feed["title"])
        info.link = url(feed["home_page_url"])
        info.description = text(feed["description"])
        info.language = text(feed["language"])
        info.warnings = warnings

        var items: [RawItem] = []
        for case .object(let entry) in feed["items"]?.array ?? [] {
            var item = RawItem()
            switch entry["id"] {
            case .string(let s)?: item.guid = s
            case .number(let literal)?: item.guid = idText(literal)
            default: break
            }
            item.link = url(entry["url"]) ?? url(entry["external_url"])
            item.title = text(entry["title"])
            if let html = entry["content_html"]?.string { item.content = htmlToText(html) }
            if item.content == nil { item.content = text(entry["content_text"]) }
            item.summary = text(entry["summary"])
            item.published = text(entry["date_published"])
            item.updated = text(entry["date_modified"])
            item.authors = names(entry)
            if item.authors.isEmpty { item.authors = names(feed) }
            item.categories = (entry["tags"]?.array ?? []).compactMap { text($0) }
            item.imageURL = url(entry["image"]) ?? url(entry["banner_image"])
            item.enclosures = (entry["attachments"]?.array ?? []).compactMap { $0.object.flatMap { url($0["url"]) } }
            item.language = text(entry["language"])
            items.append(item)
        }
        return ParsedFeed(info: info, items: items)
    }

    /// A numeric id as a string: integers as written, other numbers as their shortest decimal
    /// form (`1e3` → `1000`), the way the JSON Feed spec's "should be a string" is read by
    /// readers that accept numbers at all.
    static func idText(_ literal: String) -> String {
        if !literal.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) { return literal }
        guard let value = Double(literal), value.isFinite else { return literal }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
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
