import Foundation
@testable import Pipeline

/// Paths the config tests share: the package root (for the shipped pipelines and feeds) and
/// the fixture project under Fixtures/config (its own pipelines/ and feeds/).
enum ConfigPaths {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/config")

    /// A fresh directory for a test to write its own project into.
    static func temporaryProject() throws -> URL {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("ingest-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("pipelines"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("feeds"), withIntermediateDirectories: true)
        return dir
    }

    static func write(_ text: String, to path: String, in root: URL) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }
}
