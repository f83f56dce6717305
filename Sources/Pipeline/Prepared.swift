import Foundation
import IngestCore
import Synchronization
import CMalloc

/// A value built on a thread of its own from the moment it is asked for, so start-up
/// work (loading tables, compiling the taxonomy) overlaps with whatever the caller does
/// next, such as opening state and starting the first fetches. Async callers wait
/// without holding a thread of the cooperative pool; `wait()` is for the few sync ones.
public final class Prepared<Value: Sendable>: Sendable {
    private enum State {
        case building([CheckedContinuation<Value, any Error>])
        case done(Result<Value, any Error>)
    }

    private let state: Mutex<State>
    /// Left once the value is done; `wait()` waits on it.
    private let finished = DispatchSemaphore(value: 0)

    /// Already built.
    public init(_ value: Value) {
        state = Mutex(.done(.success(value)))
        finished.signal()
    }

    /// Starts `body` on a new thread at once.
    public init(name: String, _ body: @escaping @Sendable () throws -> Value) {
        state = Mutex(.building([]))
        let thread = Thread { [self] in
            RunTrace.note("\(name): building")
            let result = Result { try body() }
            RunTrace.note("\(name): built")
            // Compiling the taxonomy peaks at several times what the compiled tables keep;
            // glibc holds the freed pages in this thread's arena unless asked to give them back.
            ProcessMemory.releaseFreedPages()
            complete(result)
        }
        thread.name = name
        thread.start()
    }

    private func complete(_ result: Result<Value, any Error>) {
        let waiters = state.withLock { state -> [CheckedContinuation<Value, any Error>] in
            guard case .building(let waiters) = state else { return [] }
            state = .done(result)
            return waiters
        }
        finished.signal()
        for waiter in waiters { waiter.resume(with: result) }
    }

    /// The value, or what building it threw.
    public func value() async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLock { state -> Result<Value, any Error>? in
                switch state {
                case .done(let result): return result
                case .building(var waiters):
                    waiters.append(continuation)
                    state = .building(waiters)
                    return nil
                }
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    /// Blocks the calling thread until the value is built. Not for the cooperative pool.
    public func wait() throws -> Value {
        finished.wait()
        finished.signal()  // let every other waiter through too
        return try state.withLock { state -> Result<Value, any Error> in
            guard case .done(let result) = state else { preconditionFailure("signalled before done") }
            return result
        }.get()
    }
}
