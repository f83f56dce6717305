import Foundation
import NewsText

/// The package root, from this file's location.
let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let corpusRoot = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus")
let corpusExists = FileManager.default.fileExists(atPath: corpusRoot.path)

/// The registry the project ships, loaded the way the pipeline loads it.
let shippedRegistry: SourceRegistry = {
    do {
        return try SourceRegistry.load(path: packageRoot.appendingPathComponent("pipelines/sources.yaml").path)
    } catch {
        fatalError("pipelines/sources.yaml does not load: \(error)")
    }
}()
