import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads OPML subscription lists. OPML files are small, so Foundation's `XMLParser` is
/// enough; it never resolves external entities unless asked.
///
/// Outlines with an `xmlUrl` are feeds; outlines without one are folders whose titles become
/// the feeds' `categories`. Besides the standard attributes (`xmlUrl`, `htmlUrl`, `title`,
/// `text`, `language`, `type`, `category`) ingest reads and writes its own `id`, `source`,
/// `timezone`, `interval` and `enabled`, which feed readers ignore.
struct OPMLReader {
    let display: String
    let base: URL
    let problems: ProblemCollector

    func read(_ data: Data) -> [FeedEntry] {
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        let delegate = Delegate(reader: self)
        parser.delegate = delegate
        // swift-corelibs' parse() can return true after a fatal error; the delegate's first
        // error (with its position) is the reliable signal.
        let finished = parser.parse()
        if let (code, line, column) = delegate.firstError ?? (finished ? nil : ((parser.parserError as NSError?)?.code ?? 1, parser.lineNumber, parser.columnNumber)) {
            problems.add(.syntax, ConfigLocation(file: display, line: line, column: column), "",
                         "OPML is not well-formed XML: \(Self.explain(code))")
            return delegate.entries
        }
        if !delegate.sawOPML {
            problems.add(.syntax, ConfigLocation(file: display, line: 1), "", "not an OPML document (no <opml> root element)")
        } else if !delegate.sawBody {
            problems.add(.missingValue, ConfigLocation(file: display, line: 1), "body", "OPML document has no <body>")
        }
        return delegate.entries
    }

    /// libxml2's error numbers (which `XMLParser` passes on) for the mistakes hand-edited
    /// OPML files actually contain.
    static func explain(_ code: Int) -> String {
        switch code {
        case 4: return "empty document"
        case 5: return "document ends too early (an element is not closed)"
        case 9, 26, 27: return "undefined entity (escape & as &amp;)"
        case 23, 24, 68: return "unescaped & or < in text (write &amp; and &lt;)"
        case 38, 39, 40, 41: return "bad attribute (every value needs quotes)"
        case 73: return "'>' expected"
        case 76: return "closing tag does not match the open element"
        case 77: return "element is not finished"
        case 80: return "'--' inside a comment"
        default: return "XML error \(code)"
        }
    }

    private final class Delegate: NSObject, XMLParserDelegate {
        let reader: OPMLReader
        var firstError: (code: Int, line: Int, column: Int)?
        var entries: [FeedEntry] = []
        var sawOPML = false
        var sawBody = false
        /// One element per open `<outline>`: the folder name it contributes, if any.
        var folders: [String?] = []
        var outlineCount = 0

        init(reader: OPMLReader) { self.reader = reader }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            switch name.lowercased() {
            case "opml": sawOPML = true
            case "body": sawBody = true
            case "outline":
                let here = "outline[\(outlineCount)]"
                outlineCount += 1
                let location = ConfigLocation(file: reader.display, line: parser.lineNumber, column: parser.columnNumber)
                // Exporters disagree on case (`xmlUrl`, `xmlurl`, `XMLURL`).
                var attrs: [String: String] = [:]
                for (k, v) in attributes { attrs[k.lowercased()] = v }
                let label = (attrs["title"] ?? attrs["text"]).flatMap { $0.isEmpty ? nil : $0 }
                let type = attrs["type"]?.lowercased()
                let isPage = type == "page" || type == "html" || (type == "link" && attrs["xmlurl"] == nil)
                guard let raw = attrs["xmlurl"] ?? (isPage ? attrs["url"] : nil) else {
                    if type == "rss" || type == "atom" {
                        reader.problems.add(.missingValue, location, "\(here).xmlUrl", "feed outline '\(label ?? "")' has no xmlUrl")
                    }
                    folders.append(label)
                    return
                }
                folders.append(nil)
                let problems = reader.problems
                guard let url = FeedListLoader.checkLocation(raw, at: location, keyPath: "\(here).xmlUrl", base: reader.base, problems: problems) else { return }
                var entry = FeedEntry(id: attrs["id"], url: url, type: isPage ? .page : .feed, title: label,
                                      htmlURL: attrs["htmlurl"], origin: location)
                entry.originKey = here
                if attrs["id"] == nil { entry.id = FeedID.derive(from: raw) }
                if let lang = attrs["language"], !lang.isEmpty {
                    if ConfigChecks.isLanguageTag(lang) { entry.language = lang } else {
                        problems.add(.badLanguage, location, "\(here).language", "bad language tag '\(lang)' (use BCP 47, e.g. zh-Hans, zh-Hant, en)")
                    }
                }
                if let tz = attrs["timezone"], !tz.isEmpty {
                    if ConfigChecks.isTimeZone(tz) { entry.timezone = tz } else {
                        problems.add(.badTimeZone, location, "\(here).timezone", ConfigChecks.timeZoneMessage(tz))
                    }
                }
                if let text = attrs["interval"], !text.isEmpty {
                    if let value = ConfigDuration.parse(text), value > 0 { entry.interval = value } else {
                        problems.add(.badDuration, location, "\(here).interval", "bad duration '\(text)' (use e.g. 90s, 15m, 1h or 1h30m; must be more than zero)")
                    }
                }
                if let text = attrs["enabled"]?.lowercased(), !text.isEmpty {
                    switch text {
                    case "true", "yes", "on": entry.enabled = true
                    case "false", "no", "off": entry.enabled = false
                    default: problems.add(.wrongType, location, "\(here).enabled", "expected true or false, got '\(text)'")
                    }
                }
                if let source = attrs["source"], !source.isEmpty { entry.source = source }
                var categories = folders.compactMap { $0 }
                // OPML 2.0 `category`: comma-separated, slash-delimited paths ("/Tech/AI,/News").
                for path in (attrs["category"] ?? "").split(separator: ",") {
                    for part in path.split(separator: "/") where !part.trimmingCharacters(in: .whitespaces).isEmpty {
                        let name = part.trimmingCharacters(in: .whitespaces)
                        if !categories.contains(name) { categories.append(name) }
                    }
                }
                entry.categories = categories
                entries.append(entry)
            default: break
            }
        }

        func parser(_ parser: XMLParser, parseErrorOccurred error: Error) {
            if firstError == nil { firstError = ((error as NSError).code, parser.lineNumber, parser.columnNumber) }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name.lowercased() == "outline", !folders.isEmpty { folders.removeLast() }
        }
    }
}

/// Writes feeds as OPML 2.0 for feed readers (`ingest export-opml`), grouped into folders by
/// each feed's first category. Reading the result back gives the same feeds.
public enum OPMLExporter {
    public static func export(feeds: [FeedEntry], title: String) -> String {
        var out = """
        <?xml version="1.0" encoding="UTF-8"?>
        <opml version="2.0">
          <head>
            <title>\(escape(title))</title>
          </head>
          <body>

        """
        // Folders in first-seen order; feeds without a category at the top level.
        var folderOrder: [String] = []
        var byFolder: [String: [FeedEntry]] = [:]
        var loose: [FeedEntry] = []
        for feed in feeds {
            guard let folder = feed.categories.first else { loose.append(feed); continue }
            if byFolder[folder] == nil { folderOrder.append(folder) }
            byFolder[folder, default: []].append(feed)
        }
        for folder in folderOrder {
            out += "    <outline text=\"\(escape(folder))\" title=\"\(escape(folder))\">\n"
            for feed in byFolder[folder]! { out += "      " + outline(feed, extraCategories: Array(feed.categories.dropFirst())) + "\n" }
            out += "    </outline>\n"
        }
        for feed in loose { out += "    " + outline(feed, extraCategories: []) + "\n" }
        out += "  </body>\n</opml>\n"
        return out
    }

    private static func outline(_ feed: FeedEntry, extraCategories: [String]) -> String {
        var attrs: [(String, String)] = [("type", feed.type == .page ? "page" : "rss"), ("text", feed.title ?? feed.id)]
        if let title = feed.title { attrs.append(("title", title)) }
        attrs.append((feed.type == .page ? "url" : "xmlUrl", feed.url))
        if let v = feed.htmlURL { attrs.append(("htmlUrl", v)) }
        if let v = feed.language { attrs.append(("language", v)) }
        attrs.append(("id", feed.id))
        if let v = feed.source { attrs.append(("source", v)) }
        if let v = feed.timezone { attrs.append(("timezone", v)) }
        if let v = feed.interval { attrs.append(("interval", ConfigDuration.format(v))) }
        if !feed.enabled { attrs.append(("enabled", "false")) }
        if !extraCategories.isEmpty {
            attrs.append(("category", extraCategories.map { "/" + $0.replacingOccurrences(of: "/", with: " ") }.joined(separator: ",")))
        }
        return "<outline " + attrs.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: " ") + "/>"
    }

    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n": out += "&#10;"
            case "\t": out += "&#9;"
            case "\r": out += "&#13;"
            default:
                // XML 1.0 cannot carry most C0 controls even escaped.
                if ch.value < 0x20 { continue }
                out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}
