import Foundation
import NewsText
import Testing

/// `SourceRegistry.source(named:)` keeps its answers per printed name. The cache must not
/// change an answer: names that are equal as `String`s but spelt differently (precomposed
/// and decomposed accents, a CJK compatibility ideograph) are kept apart, and repeated or
/// reordered questions get what a registry asked for the first time gets.
@Suite struct SourceNameCacheTests {
    static let sources = [
        NewsSource(id: "cafe", name: "Café Daily", aliases: ["Cafe\u{301} Wire"]),
        NewsSource(id: "jin", name: "金融时报", aliases: ["\u{F90A}融网"]),
        NewsSource(id: "xinhua", name: "新华社", aliases: ["Xinhua"]),
    ]
    static let names = ["Café Daily", "Cafe\u{301} Daily", "Cafe\u{301} Wire", "Café Wire", "金融时报", "\u{F90A}融时报",
                        "\u{F90A}融网", "金融网", "新华社", "新華社", "XINHUA", " Xinhua ", "", "无名", "快讯"]

    @Test func cachedAnswersEqualFirstAnswersInAnyOrder() throws {
        var expected: [String: String] = [:]
        for name in Self.names {
            // A fresh registry answers without a cache.
            let fresh = try SourceRegistry(sources: Self.sources)
            expected[name.unicodeScalars.map { String($0.value, radix: 16) }.joined(separator: " ")] =
                fresh.source(named: name)?.id ?? "-"
        }
        var rng = SystemRandomNumberGenerator()
        let shared = try SourceRegistry(sources: Self.sources)
        for _ in 0..<5 {
            for name in Self.names.shuffled(using: &rng) {
                let key = name.unicodeScalars.map { String($0.value, radix: 16) }.joined(separator: " ")
                #expect((shared.source(named: name)?.id ?? "-") == expected[key], "\(key)")
            }
        }
        #expect(expected.values.filter { $0 != "-" }.count >= 5)
    }
}
