import Foundation
import Pipeline
import Testing

/// Issue 3's memory bound: the pages of code and constants that start-up touched are given back
/// once the start-up builders finish (`ProcessMemory.releaseStartupPages`).
@Suite struct ProcessMemoryTests {
    /// `RssFile` of this process in kB: its resident pages that belong to mapped files.
    static func residentFileKB() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("RssFile:") })
        return try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
    }

    @Test("giving back start-up pages shrinks the resident file pages of this process",
          .enabled(if: ProcessMemory.canReleaseStartupPages, "the kernel has no MADV_PAGEOUT"))
    func startupPagesGoBack() throws {
        // This test binary is mapped by this process alone, and running the suite has touched
        // many megabytes of its code; tests running in parallel touch some of it again at once.
        let before = try Self.residentFileKB()
        let advised = ProcessMemory.releaseStartupPages()
        let after = try Self.residentFileKB()
        #expect(advised > 0, "no read-only file mapping was advised")
        #expect(after < before - 1024, "resident file pages went from \(before) kB to \(after) kB")
    }
}
