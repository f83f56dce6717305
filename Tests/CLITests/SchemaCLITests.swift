import Foundation
import Testing

/// Real `ingest` output validated against the JSON Schemas committed in `schema/`.
@Suite("JSON Schema of real output")
struct SchemaCLITests {
    @Test("every record of a run over all bundled samples validates; a broken line does not")
    func realOutputValidates() async throws {
        let items = try JSONSchemaValidator(contentsOf: packageRoot.appendingPathComponent("schema/ingest.item-1.schema.json"))
        let feeds = try JSONSchemaValidator(contentsOf: packageRoot.appendingPathComponent("schema/ingest.feed-1.schema.json"))
        let r = try await runIngest(["--feed-list", "feeds/demo.yaml", "--feed-records", "--feed", "feeds/nope.xml"])
        #expect(r.status == 0, "\(r.stderr)")
        var checkedItems = 0
        var checkedFeeds = 0
        for line in r.lines where !line.isEmpty {
            if line.contains(#""schema":"ingest.feed/1""#) {
                #expect(feeds.validate(jsonLine: Array(line.utf8)) == [], "\(line)")
                checkedFeeds += 1
            } else {
                #expect(items.validate(jsonLine: Array(line.utf8)) == [], "\(line)")
                checkedItems += 1
            }
        }
        #expect(checkedItems >= 20)
        #expect(checkedFeeds == 5, "four samples and the missing file")
        // The validator is not a rubber stamp: the same record without `lang` fails.
        let first = try #require(r.lines.first { $0.contains(#""schema":"ingest.item/1""#) })
        var obj = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        obj.removeValue(forKey: "lang")
        let broken = String(decoding: try JSONSerialization.data(withJSONObject: obj), as: UTF8.self)
        #expect(items.validate(jsonLine: Array(broken.utf8)) != [])
    }
}
