#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Finishes what a killed run left between "committed" and "published", before a new run
/// writes anything. The sink decides where a part's files live; this decides what to do
/// with them, so every backend and every sink follows the same rules.
public enum PartRecovery {
    public struct Report: Sendable, Hashable {
        /// Temporary file renamed to its final name.
        public var rolledForward: [String] = []
        /// Already renamed before the crash; only the confirmation was missing.
        public var confirmed: [String] = []
        /// Both files gone: emission marks taken back, the items will be emitted again.
        public var abandoned: [String] = []
        /// Temporary files of parts never committed, deleted.
        public var deletedTemporaries: [String] = []
        public init() {}
    }

    /// - Parameters:
    ///   - temporaryPath: where the sink writes a part before renaming it.
    ///   - finalPath: where readers see it.
    ///   - leftoverTemporaries: temporary files the sink found in its output directory (full paths).
    public static func recover(
        store: some StateStore,
        temporaryPath: (String) -> String,
        finalPath: (String) -> String,
        leftoverTemporaries: [String]
    ) async throws -> Report {
        var report = Report()
        let fileManager = FileManager.default
        var committedTemporaries: Set<String> = []
        for part in try await store.pendingParts() {
            let temporary = temporaryPath(part.name)
            let final = finalPath(part.name)
            committedTemporaries.insert(temporary)
            if fileManager.fileExists(atPath: temporary) {
                if rename(temporary, final) != 0 {
                    throw RecoveryError(
                        path: temporary, reason: "cannot rename to \(final): \(String(cString: strerror(errno)))")
                }
                syncDirectory(of: final)
                try await store.markPublished(parts: [part.name])
                report.rolledForward.append(part.name)
            } else if fileManager.fileExists(atPath: final) {
                try await store.markPublished(parts: [part.name])
                report.confirmed.append(part.name)
            } else {
                try await store.abandonPart(part.name)
                report.abandoned.append(part.name)
            }
        }
        for temporary in leftoverTemporaries where !committedTemporaries.contains(temporary) {
            if unlink(temporary) == 0 || errno == ENOENT { report.deletedTemporaries.append(temporary) }
        }
        return report
    }

    /// A rename is durable only once its directory is synced.
    static func syncDirectory(of path: String) {
        let directory = (path as NSString).deletingLastPathComponent
        let fd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }
}

public struct RecoveryError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "recovering \(path): \(reason)" }
}
