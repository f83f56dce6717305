import Foundation

/// Paths for tests: fixtures written for this project, and the shared third-party corpus
/// that sits beside the project (absent in a user's fresh clone, so tests skip then).
enum TestPaths {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = packageRoot.appendingPathComponent("Tests/ParseTests/Fixtures")
    static let corpus = packageRoot.appendingPathComponent("../shared/corpus").standardizedFileURL

    static func fixture(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: fixtures.appendingPathComponent(name)))
    }

    static func corpusDir(_ name: String) -> URL { corpus.appendingPathComponent(name) }

    static func exists(_ url: URL) -> Bool { FileManager.default.fileExists(atPath: url.path) }

    /// Regular files under `dir`, recursively, sorted for stable reports.
    static func files(under dir: URL) -> [URL] {
        guard let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        var out: [URL] = []
        for case let u as URL in e where (try? u.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            out.append(u)
        }
        return out.sorted { $0.path < $1.path }
    }
}

let corpusExists = TestPaths.exists(TestPaths.corpus)

extension String {
    /// Han characters, the evidence that Chinese text came out readable.
    var hanCount: Int { unicodeScalars.filter { (0x4E00...0x9FFF).contains($0.value) }.count }
    var replacementCount: Int { unicodeScalars.filter { $0.value == 0xFFFD }.count }
}
