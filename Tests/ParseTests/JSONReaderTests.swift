import Foundation
import IngestCore
import Testing
@testable import Parse

/// The JSON reader behind JSON Feed parsing: what it must agree on with any JSON reader, and
/// where it chooses to be lenient (lone surrogates, raw control characters) or strict (depth).
@Suite("JSON reader")
struct JSONReaderTests {
    private func read(_ text: String) throws -> JSONValue { try JSONReader.parse(Array(text.utf8)) }

    @Test func escapesDecodeOnceIncludingSurrogatePairs() throws {
        let value = try read(#"{"t": "a\"b\\c\/d\n\t\u00e9\u4e2d\ud83d\ude00 \u0026amp;"}"#)
        #expect(value.object?["t"]?.string == "a\"b\\c/d\n\té中😀 &amp;")
    }

    @Test func loneSurrogatesBecomeReplacementCharactersNotErrors() throws {
        #expect(try read(#"["x\ud83dy", "\ude00", "\ud83d\u0041"]"#).array?.compactMap(\.string)
            == ["x\u{FFFD}y", "\u{FFFD}", "\u{FFFD}A"])
    }

    @Test func rawControlCharactersInStringsAreKept() throws {
        #expect(try read("{\"t\": \"line one\nline\ttwo\"}").object?["t"]?.string == "line one\nline\ttwo")
    }

    @Test func numbersKeepTheirLiteralAndIdsReadAsText() throws {
        let items = try read(#"[12, -3, 1.5, 1e3, 2.50, 123456789012345678901]"#).array ?? []
        let literals = items.map { if case .number(let n) = $0 { n } else { "?" } }
        #expect(literals == ["12", "-3", "1.5", "1e3", "2.50", "123456789012345678901"])
        #expect(literals.map(JSONFeedReader.idText) == ["12", "-3", "1.5", "1000", "2.5", "123456789012345678901"])
    }

    @Test func aRepeatedKeyMeansItsLastValue() throws {
        #expect(try read(#"{"k": "first", "k": "last"}"#).object?["k"]?.string == "last")
    }

    @Test func literalsAndEmptyContainers() throws {
        let value = try read(#"{"a": true, "b": false, "c": null, "d": [], "e": {}}"#)
        guard case .bool(true)? = value.object?["a"], case .bool(false)? = value.object?["b"],
              case .null? = value.object?["c"] else { Issue.record("literals misread: \(value)"); return }
        #expect(value.object?["d"]?.array?.isEmpty == true)
        #expect(value.object?["e"]?.object?.members.isEmpty == true)
    }

    @Test func aByteOrderMarkIsSkipped() throws {
        #expect(try JSONReader.parse([0xEF, 0xBB, 0xBF] + Array(#"{"a": "b"}"#.utf8)).object?["a"]?.string == "b")
    }

    @Test(arguments: [
        (#"{"a": "b"} x"#, "unexpected data after the document at byte 11"),
        (#"{"a": "b"#, "unterminated string at byte 6"),
        (#"{"a" "b"}"#, "expected ':' after a member name at byte 5"),
        (#"[1, 2"#, "unterminated array at byte 5"),
        (#"{"a": tru}"#, "invalid literal at byte 6"),
        (#"["\x"]"#, #"invalid escape '\x' at byte 2"#),
        (#"["\u12G4"]"#, #"invalid \u escape at byte 6"#),
        ("", "unexpected end of the document at byte 0"),
        ("[-]", "invalid number at byte 2"),
    ])
    func syntaxErrorsSayWhatAndWhere(input: String, message: String) {
        #expect(throws: JSONSyntaxError.self) { try read(input) }
        do { _ = try read(input) } catch { #expect("\(error)" == message) }
    }

    /// A hostile document nested a million levels deep must fail cleanly, not overflow the stack.
    @Test func nestingIsCapped() throws {
        let deep = String(repeating: "[", count: 1_000_000) + String(repeating: "]", count: 1_000_000)
        do {
            _ = try read(deep)
            Issue.record("a million levels of nesting were accepted")
        } catch {
            #expect("\(error)" == "nesting deeper than 512 levels at byte 512")
        }
        let fine = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(throws: Never.self) { try read(fine) }
    }

    @Test func aBrokenJSONFeedNamesTheSourceAndTheReason() throws {
        let json = #"{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1", "title": "cut off"#
        do {
            _ = try FeedParser().parse(document(json, url: "https://j.example/feed.json"))
            Issue.record("a truncated JSON Feed parsed")
        } catch {
            #expect(error.kind == .malformed)
            #expect(error.source == "https://j.example/feed.json")
            #expect(error.reason == "invalid JSON: unterminated string at byte 79")
        }
    }

    @Test func aDeeplyNestedJSONFeedIsRefusedWithItsReason() throws {
        let json = #"{"version": "https://jsonfeed.org/version/1.1", "items": "# + String(repeating: "[", count: 100_000)
        do {
            _ = try FeedParser().parse(document(json, url: "https://j.example/deep.json"))
            Issue.record("a hostile JSON Feed parsed")
        } catch {
            #expect(error.kind == .malformed)
            #expect(error.reason.hasPrefix("invalid JSON: nesting deeper than 512 levels"))
        }
    }
}
