import Foundation
import IngestCore
import Testing
@testable import Emit

@Suite struct SchemaTests {
    let itemValidator: JSONSchemaValidator
    let feedValidator: JSONSchemaValidator

    init() throws {
        itemValidator = try JSONSchemaValidator(contentsOf: itemSchemaURL)
        feedValidator = try JSONSchemaValidator(contentsOf: feedSchemaURL)
    }

    static let contractItemKeys = [
        "schema", "id", "url", "guid", "title", "title_raw", "summary", "content", "lang",
        "published_at", "updated_at", "published_local", "authors", "categories", "source", "feed",
        "topics", "topic_evidence", "fetched_at",
    ]
    static let contractFeedKeys = [
        "schema", "url", "final_url", "title", "link", "language", "description", "format",
        "encoding", "http_status", "items", "warnings", "error",
    ]

    func sampleFeed() -> FeedRecord {
        FeedRecord(url: "https://example.com/feed.xml", finalURL: "https://example.com/feed.xml", title: "Example",
                   format: "atom1", encoding: "UTF-8", httpStatus: 200, items: 3, feedID: "ex",
                   fetchedAt: utcDate(2025, 11, 7))
    }

    @Test func encodedItemsAreValid() throws {
        for it in [fullItem(), bareItem()] {
            let errors = itemValidator.validate(jsonLine: RecordEncoder.line(it))
            #expect(errors.isEmpty, "\(errors)")
        }
    }

    @Test func encodedFeedRecordsAreValid() throws {
        for f in [sampleFeed(), FeedRecord(url: "file:///tmp/x.xml", error: "cannot read")] {
            let errors = feedValidator.validate(jsonLine: RecordEncoder.line(f))
            #expect(errors.isEmpty, "\(errors)")
        }
    }

    @Test func schemasRequireExactlyTheContractKeys() throws {
        let item = try JSONSerialization.jsonObject(with: Data(contentsOf: itemSchemaURL)) as! [String: Any]
        #expect(Set(item["required"] as! [String]) == Set(Self.contractItemKeys))
        let feed = try JSONSerialization.jsonObject(with: Data(contentsOf: feedSchemaURL)) as! [String: Any]
        #expect(Set(feed["required"] as! [String]) == Set(Self.contractFeedKeys))
    }

    /// Extensions are allowed by the schema (additive within a version) but every key
    /// ingest itself writes must be declared, typed and documented there.
    @Test func everyKeyTheEncoderWritesIsDeclaredInTheSchema() throws {
        let item = try JSONSerialization.jsonObject(with: Data(contentsOf: itemSchemaURL)) as! [String: Any]
        let declared = Set((item["properties"] as! [String: Any]).keys)
        #expect(Set(try parseLine(RecordEncoder.line(fullItem())).keys) == declared)
        let feed = try JSONSerialization.jsonObject(with: Data(contentsOf: feedSchemaURL)) as! [String: Any]
        let feedDeclared = Set((feed["properties"] as! [String: Any]).keys)
        #expect(Set(try parseLine(RecordEncoder.line(sampleFeed())).keys) == feedDeclared)
    }

    @Test(arguments: contractItemKeys)
    func itemMissingAnyContractKeyFails(key: String) throws {
        var object = try parseLine(RecordEncoder.line(fullItem()))
        object.removeValue(forKey: key)
        let errors = itemValidator.validate(object)
        #expect(errors.contains { $0.contains("missing required key \"\(key)\"") }, "\(errors)")
    }

    @Test(arguments: contractFeedKeys)
    func feedMissingAnyContractKeyFails(key: String) throws {
        var object = try parseLine(RecordEncoder.line(sampleFeed()))
        object.removeValue(forKey: key)
        #expect(!feedValidator.validate(object).isEmpty)
    }

    @Test func nestedObjectsRequireTheirKeys() throws {
        var object = try parseLine(RecordEncoder.line(fullItem()))
        var source = object["source"] as! [String: Any]
        source.removeValue(forKey: "name_en")
        object["source"] = source
        var feed = object["feed"] as! [String: Any]
        feed.removeValue(forKey: "language")
        object["feed"] = feed
        let errors = itemValidator.validate(object)
        #expect(errors.contains("/source: missing required key \"name_en\""), "\(errors)")
        #expect(errors.contains("/feed: missing required key \"language\""), "\(errors)")
    }

    /// Values a buggy stage could produce, each of which the schema must reject.
    @Test(arguments: [
        ("schema", "\"ingest.item/2\""),
        ("id", "\"\""),
        ("id", "null"),
        ("title", "null"),
        ("url", "\"/relative/path\""),
        ("published_at", "\"2025-11-06 18:25:00\""),
        ("published_at", "\"2025-11-07T02:25:00+08:00\""),
        ("published_at", "\"2025-02-30T00:00:00Z\""),
        ("published_at", "\"2025-11-06T24:00:00Z\""),
        ("published_local", "\"2025-11-07T02:25:00+0800\""),
        ("fetched_at", "null"),
        ("lang", "\"zh_CN\""),
        ("authors", "null"),
        ("authors", "[\"a\", 1]"),
        ("categories", "\"tech\""),
        ("topics", "[\"Open Source\"]"),
        ("topic_evidence", "{\"ai\": \"AI\"}"),
        ("topic_evidence", "[]"),
        ("source", "null"),
        ("revision", "0"),
        ("revision", "1.5"),
        ("revision", "true"),
    ])
    func badValuesFail(key: String, json: String) throws {
        var object = try parseLine(RecordEncoder.line(fullItem()))
        object[key] = try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
        let errors = itemValidator.validate(object)
        #expect(!errors.isEmpty, "\(key) = \(json) should be rejected")
        #expect(errors.allSatisfy { $0.hasPrefix("/\(key)") }, "\(errors)")
    }

    @Test(arguments: [
        ("format", "\"rss3\""),
        ("http_status", "700"),
        ("http_status", "\"200\""),
        ("items", "-1"),
        ("warnings", "null"),
        ("error", "false"),
        ("fetched_at", "\"yesterday\""),
    ])
    func badFeedValuesFail(key: String, json: String) throws {
        var object = try parseLine(RecordEncoder.line(sampleFeed()))
        object[key] = try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
        #expect(!feedValidator.validate(object).isEmpty, "\(key) = \(json) should be rejected")
    }

    @Test func unknownExtensionKeysAreAllowed() throws {
        var object = try parseLine(RecordEncoder.line(fullItem()))
        object["x_future_extension"] = ["anything": 1]
        #expect(itemValidator.validate(object).isEmpty)
    }
}

/// The validator itself must be able to fail, or the schema tests above prove nothing.
@Suite struct JSONSchemaValidatorTests {
    func validator(_ json: String) throws -> JSONSchemaValidator {
        try JSONSchemaValidator(schema: JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any])
    }

    func errors(_ schema: String, _ instance: String) throws -> [String] {
        try validator(schema).validate(jsonLine: Data(instance.utf8))
    }

    @Test func refusesKeywordsItDoesNotImplement() throws {
        #expect(throws: JSONSchemaValidator.SchemaError.self) { try validator(#"{"oneOf": [{"type": "string"}]}"#) }
        #expect(throws: JSONSchemaValidator.SchemaError.self) { try validator(##"{"properties": {"a": {"$ref": "#/x"}}}"##) }
        #expect(throws: JSONSchemaValidator.SchemaError.self) { try validator(#"{"format": "uri"}"#) }
        #expect(throws: JSONSchemaValidator.SchemaError.self) { try validator(#"{"pattern": "("}"#) }
    }

    @Test func typesDistinguishBooleansIntegersAndNumbers() throws {
        #expect(try errors(#"{"type": "integer"}"#, "3").isEmpty)
        #expect(try errors(#"{"type": "integer"}"#, "3.0").isEmpty)
        #expect(try !errors(#"{"type": "integer"}"#, "3.5").isEmpty)
        #expect(try !errors(#"{"type": "integer"}"#, "true").isEmpty)
        #expect(try !errors(#"{"type": "boolean"}"#, "1").isEmpty)
        #expect(try errors(#"{"type": "boolean"}"#, "false").isEmpty)
        #expect(try errors(#"{"type": ["string", "null"]}"#, "null").isEmpty)
        #expect(try !errors(#"{"type": ["string", "null"]}"#, "[]").isEmpty)
        #expect(try !errors(#"{"type": "object"}"#, "[]").isEmpty)
        #expect(try !errors(#"{"type": "array"}"#, "{}").isEmpty)
    }

    @Test func objectKeywords() throws {
        let s = #"{"type": "object", "required": ["a"], "properties": {"a": {"const": 1}}, "additionalProperties": false}"#
        #expect(try errors(s, #"{"a": 1}"#).isEmpty)
        #expect(try errors(s, #"{"a": 2}"#) == [#"/a: must be 1, found 2"#])
        #expect(try errors(s, #"{}"#) == [#"/: missing required key "a""#])
        #expect(try errors(s, #"{"a": 1, "b/c": 2}"#) == ["/b~1c: key is not allowed"])
        let names = #"{"propertyNames": {"pattern": "^[a-z]+$"}, "additionalProperties": {"type": "array", "items": {"type": "string"}}}"#
        #expect(try errors(names, #"{"ok": ["x"]}"#).isEmpty)
        #expect(try errors(names, #"{"Bad": ["x"]}"#).count == 1)
        #expect(try errors(names, #"{"ok": ["x", 2]}"#) == ["/ok/1: expected string, found integer"])
    }

    @Test func enumConstAndNumbers() throws {
        #expect(try errors(#"{"enum": ["a", null]}"#, "null").isEmpty)
        #expect(try !errors(#"{"enum": ["a", null]}"#, "\"b\"").isEmpty)
        #expect(try !errors(#"{"const": 1}"#, "true").isEmpty)
        #expect(try !errors(#"{"minimum": 1, "maximum": 2}"#, "0").isEmpty)
        #expect(try !errors(#"{"minimum": 1, "maximum": 2}"#, "2.5").isEmpty)
        #expect(try errors(#"{"minLength": 2}"#, "\"中文\"").isEmpty)
        #expect(try !errors(#"{"minLength": 3}"#, "\"中文\"").isEmpty)
    }

    @Test(arguments: [
        ("2025-11-06T18:25:00Z", true), ("2025-11-06T18:25:00.123456Z", true), ("2025-11-07T02:25:00+08:00", true),
        ("2024-02-29T00:00:00Z", true), ("2016-12-31T23:59:60Z", true), ("2025-11-06t18:25:00z", true),
        ("2025-02-29T00:00:00Z", false), ("1900-02-29T00:00:00Z", false), ("2025-13-01T00:00:00Z", false),
        ("2025-11-06T18:25Z", false), ("2025-11-06T18:25:00", false), ("2025-11-06T18:25:00.Z", false),
        ("2025-11-06T18:25:00+8:00", false), ("2025-11-06T12:00:60Z", false), ("2025-11-06 18:25:00Z", false),
        ("2025-11-06T18:25:00Z ", false),
    ])
    func rfc3339(text: String, valid: Bool) {
        #expect(JSONSchemaValidator.isRFC3339DateTime(text) == valid)
    }
}
