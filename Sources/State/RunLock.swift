#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// One run of a pipeline at a time, across processes.
///
/// `flock(2)` on a lock file: the kernel drops the lock when the last descriptor of the
/// open file goes away, so a process killed with SIGKILL, or a crashed one, releases it
/// at once and there is never a stale lock to clean up. The file itself stays; its
/// content (the holder's pid) is only for messages. `flock` rather than `fcntl` locks
/// because fcntl locks belong to the process: a second open in the same process would
/// silently "succeed" and closing any descriptor of the file would drop the lock.
/// The descriptor is close-on-exec; a child forked at the instant of release shares it
/// only until its exec, a matter of milliseconds.
public final class RunLock: Sendable {
    public let path: String
    private let descriptor: Mutex<Int32?>

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = Mutex(descriptor)
    }

    deinit { release() }

    /// The lock, or `nil` when another holder has it. Never waits.
    /// Throws when the lock file cannot be created or locked for another reason.
    public static func tryAcquire(path: String) throws -> RunLock? {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        // O_CLOEXEC: a child process (curl helpers, hooks) must not inherit, and so prolong, the lock.
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw RunLockError(path: path, reason: "cannot open lock file: \(String(cString: strerror(errno)))")
        }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            close(fd)
            if code == EWOULDBLOCK { return nil }
            throw RunLockError(path: path, reason: "cannot lock: \(String(cString: strerror(code)))")
        }
        // Who holds it, for the message a second run prints. Best effort.
        let note = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = note.withCString { pwrite(fd, $0, strlen($0), 0) }
        return RunLock(path: path, descriptor: fd)
    }

    /// The pid the current holder wrote, if any; for "already running (pid N)" messages.
    /// May name a process that has since exited: it never decides anything.
    public static func recordedHolder(path: String) -> Int32? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Releases now rather than at deinit. Safe to call twice.
    public func release() {
        descriptor.withLock { fd in
            guard let held = fd else { return }
            // Closing the only descriptor releases the flock.
            close(held)
            fd = nil
        }
    }

    public var isHeld: Bool { descriptor.withLock { $0 != nil } }
}

public struct RunLockError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "run lock \(path): \(reason)" }
}
