import Foundation

/// Finds the project's data files (taxonomy, source registry, pipelines) for runs that
/// name none: the working directory first, then the directories above the executable,
/// so `.build/release/ingest` finds the checkout it was built from.
public enum ProjectPaths {
    public static func locate(_ relativePath: String, fileManager: FileManager = .default) -> URL? {
        for root in searchRoots() {
            let candidate = root.appendingPathComponent(relativePath)
            if fileManager.fileExists(atPath: candidate.path) { return candidate.standardizedFileURL }
        }
        return nil
    }

    public static func searchRoots() -> [URL] {
        var roots = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        if let env = ProcessInfo.processInfo.environment["INGEST_HOME"], !env.isEmpty {
            roots.insert(URL(fileURLWithPath: env), at: 0)
        }
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for _ in 0..<5 {
            roots.append(dir)
            dir = dir.deletingLastPathComponent()
        }
        return roots
    }
}
