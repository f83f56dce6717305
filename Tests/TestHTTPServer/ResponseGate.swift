import Foundation

/// Holds server responses until the test lets them go: a handler calls `wait()`, which
/// blocks its connection's thread while the gate is closed; `open()` lets every held
/// response go and every later one through; `close()` holds the next ones again.
///
/// A held response orders events without timing: the request has arrived (`waiting`
/// counts the handlers held right now) and cannot finish before the test opens the gate.
/// A timed `.delayed(by:)` can run out on a loaded machine before the test got to act.
///
/// ```swift
/// let gate = ResponseGate()
/// let server = try TestHTTPServer { _ in
///     gate.wait()                                  // hang guard only
///     return .text(rss)
/// }
/// defer { server.stop() }
/// defer { gate.open() }                            // never leave a handler held
/// ... start the client ...
/// try #require(await gate.untilWaiting(1))         // the request is here and held
/// ... act while it is held ...
/// gate.open()
/// ```
///
/// `wait(timeout:)` gives up after a hang guard (600 s by default), so a gate the test
/// forgot to open cannot hang CI forever; `untilWaiting` gives up after 120 s by default.
public final class ResponseGate: @unchecked Sendable {
    /// How long `wait()` holds a response at most.
    public static let hangGuard: Duration = .seconds(600)

    /// How long the `untilWaiting` helpers wait at most for handlers to arrive.
    public static let arrivalGuard: Duration = .seconds(120)

    // `isOpen` and `held` are read and written only with `condition` locked.
    private let condition = NSCondition()
    private var isOpen: Bool
    private var held = 0

    /// A closed gate holds every response until `open()`; an open one holds none until `close()`.
    public init(open: Bool = false) { isOpen = open }

    /// Lets every held response go, and every later one through until `close()`.
    public func open() {
        condition.lock()
        isOpen = true
        condition.broadcast()
        condition.unlock()
    }

    /// Holds the responses of handlers that call `wait()` from now on.
    public func close() {
        condition.lock()
        isOpen = false
        condition.unlock()
    }

    /// Handlers held in `wait()` right now.
    public var waiting: Int {
        condition.lock()
        defer { condition.unlock() }
        return held
    }

    /// Called by a handler, on its connection's thread: returns once the gate is open, or
    /// false when `timeout` (the hang guard) ran out first.
    @discardableResult
    public func wait(timeout: Duration = ResponseGate.hangGuard) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout.seconds)
        condition.lock()
        defer { condition.unlock() }
        held += 1
        condition.broadcast()    // for untilWaiting(_:timeout:)
        defer { held -= 1 }
        while !isOpen {
            if !condition.wait(until: deadline), !isOpen {
                FileHandle.standardError.write(Data("ResponseGate: hang guard: not opened within \(timeout)\n".utf8))
                return false
            }
        }
        return true
    }

    /// Blocks until at least `count` handlers are held, or the hang guard runs out; returns
    /// whether they are. For synchronous tests (blocks the calling thread).
    public func untilWaiting(_ count: Int, timeout: Duration = ResponseGate.arrivalGuard) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout.seconds)
        condition.lock()
        defer { condition.unlock() }
        while held < count {
            if !condition.wait(until: deadline) { return held >= count }
        }
        return true
    }

    /// Polls until at least `count` handlers are held, or the hang guard runs out; returns
    /// whether they are. For async tests: suspends, never blocks a thread of the pool.
    public func untilWaiting(_ count: Int, timeout: Duration = ResponseGate.arrivalGuard) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            if waiting >= count { return true }
            if ContinuousClock.now >= deadline { return waiting >= count }
            do { try await Task.sleep(for: .milliseconds(5)) } catch { return waiting >= count }
        }
    }
}

extension Duration {
    fileprivate var seconds: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
