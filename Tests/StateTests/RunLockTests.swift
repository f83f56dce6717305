import Foundation
import Testing
@testable import State

#if canImport(Glibc)
import Glibc
#endif

/// The lock is tested against other real processes: `/bin/sh` holding the file with
/// flock(1), and flock(1) probing ours.
@Suite("Run lock")
struct RunLockTests {
    static let flockTool = "/usr/bin/flock"
    static var toolsPresent: Bool { FileManager.default.isExecutableFile(atPath: flockTool) }

    @Test("a second acquirer gets nil until the first releases")
    func exclusiveInProcess() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("locks/demo.lock")
        let first = try #require(try RunLock.tryAcquire(path: path))
        #expect(first.isHeld)
        #expect(try RunLock.tryAcquire(path: path) == nil)
        #expect(RunLock.recordedHolder(path: path) == getpid())
        first.release()
        first.release()
        #expect(!first.isHeld)
        let second = try Self.acquireSoon(path: path)
        #expect(second != nil)
    }

    @Test("dropping the lock object releases it")
    func releasedOnDeinit() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("demo.lock")
        do {
            let held = try RunLock.tryAcquire(path: path)
            #expect(held != nil)
            #expect(try RunLock.tryAcquire(path: path) == nil)
        }
        #expect(try Self.acquireSoon(path: path) != nil)
    }

    @Test("an unusable lock path throws a message naming it")
    func unusablePath() throws {
        let dir = try TemporaryDirectory()
        let blocker = dir.file("not-a-dir")
        try Data().write(to: URL(fileURLWithPath: blocker))
        #expect {
            _ = try RunLock.tryAcquire(path: blocker + "/demo.lock")
        } throws: { error in
            (error as? RunLockError)?.description.contains("not-a-dir/demo.lock") == true
        }
    }

    @Test("another process sees our lock as held, and free after release", .enabled(if: toolsPresent))
    func otherProcessSeesOurLock() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("demo.lock")
        let lock = try #require(try RunLock.tryAcquire(path: path))
        // flock(1) -n exits with -E's code when the lock is taken.
        #expect(try Self.run(Self.flockTool, ["-n", "-E", "75", path, "true"]) == 75)
        lock.release()
        // Retried until a hang-guard deadline, for the reason given at acquireSoon.
        var status: Int32 = -1
        let freeBy = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < freeBy {
            status = try Self.run(Self.flockTool, ["-n", "-E", "75", path, "true"])
            if status == 0 { break }
            usleep(20_000)
        }
        #expect(status == 0)
    }

    @Test("a lock held by another process blocks us, and dies with it on SIGKILL", .enabled(if: toolsPresent))
    func lockDiesWithItsProcess() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("demo.lock")
        // One process holds the lock: the shell opens fd 9, flock(1) locks that open file,
        // and the shell execs into sleep, which keeps fd 9. No child outlives the kill.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/bin/sh")
        holder.arguments = ["-c", "exec 9>>\"$1\" && \(Self.flockTool) -n 9 && echo locked && exec sleep 300", "sh", path]
        let output = Pipe()
        holder.standardOutput = output
        try holder.run()
        defer {
            if holder.isRunning { kill(holder.processIdentifier, SIGKILL) }
            holder.waitUntilExit()
        }
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        try #require(line == "locked\n", "holder did not take the lock: \(line)")

        #expect(try RunLock.tryAcquire(path: path) == nil)
        #expect(try RunLock.tryAcquire(path: path) == nil)

        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        #expect(holder.terminationReason == .uncaughtSignal)
        // The kernel dropped the lock with the process: no stale lock to clean up.
        let lock = try RunLock.tryAcquire(path: path)
        #expect(lock != nil)
    }

    /// After a release, the lock is free — except that a process forked at that moment by
    /// another test in this process briefly shares the descriptor until its exec closes it
    /// (O_CLOEXEC). So retry instead of failing on that race, until a deadline that is a hang
    /// guard only: on a loaded machine that child can wait seconds for a CPU before its exec.
    static func acquireSoon(path: String) throws -> RunLock? {
        let by = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < by {
            if let lock = try RunLock.tryAcquire(path: path) { return lock }
            usleep(20_000)
        }
        return try RunLock.tryAcquire(path: path)
    }

    /// Runs a tool to completion; its exit status.
    static func run(_ tool: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
