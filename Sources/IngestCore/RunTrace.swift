import Foundation

/// A step-by-step log of one process's scheduled run, for the one question a summary
/// cannot answer: where a run that makes no progress is waiting. Off unless the
/// environment names a file (`INGEST_TRACE=/path/run.trace`), then every line is appended
/// with one `write(2)`, so several workers may share the file and a line survives a
/// SIGKILL right after it.
///
/// Each line: wall-clock time, seconds since the process started (monotonic), pid, event.
public enum RunTrace {
    /// The open file, or -1 when tracing is off.
    private static let descriptor: Int32 = {
        guard let path = ProcessInfo.processInfo.environment["INGEST_TRACE"], !path.isEmpty else { return -1 }
        return open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
    }()
    private static let started = ContinuousClock.now
    private static let pid = getpid()

    /// `event` is built only when tracing is on.
    public static func note(_ event: @autoclosure () -> String) {
        let fd = descriptor
        guard fd >= 0 else { return }
        let origin = started  // first use sets it: read it before the clock
        let elapsed = ContinuousClock.now - origin
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var line = "\(RFC3339.utc(Date())) +\(String(format: "%.3f", seconds))s pid \(pid) \(event())\n"
        line.withUTF8 { _ = write(fd, $0.baseAddress, $0.count) }
    }
}
