import Foundation
import Synchronization

/// Counters kept by the wrapper around each stage, so that metrics never need code
/// inside the stages themselves.
public final class StageStats: Sendable {
    public let name: String
    private let counters = Mutex<(received: Int, emitted: Int, busyNanos: UInt64)>((0, 0, 0))

    public init(name: String) { self.name = name }

    public var received: Int { counters.withLock { $0.received } }
    public var emitted: Int { counters.withLock { $0.emitted } }
    public var busy: Duration { .nanoseconds(Int64(counters.withLock { $0.busyNanos })) }

    public func record(received: Int = 0, emitted: Int = 0, busy: Duration = .zero) {
        let c = busy.components
        let ns = UInt64(max(0, c.seconds)) * 1_000_000_000 + UInt64(max(0, c.attoseconds / 1_000_000_000))
        counters.withLock {
            $0.received += received
            $0.emitted += emitted
            $0.busyNanos += ns
        }
    }
}

/// Runs one stage as a loop between two bounded edges.
///
/// The output is always finished — whether the input ended, the transform threw or
/// the task was cancelled — because a stage that forgets `finish()` hangs everything
/// after it.
public func runStage<In: Sendable, Out: Sendable>(
    input: BoundedChannel<In>,
    output: BoundedChannel<Out>,
    stats: StageStats? = nil,
    transform: (In, (Out) async throws -> Void) async throws -> Void
) async throws {
    defer { output.finish() }
    let clock = ContinuousClock()
    do {
        for await element in input {
            let start = clock.now
            var emitted = 0
            try await transform(element) { out in
                emitted += 1
                try await output.send(out)
            }
            stats?.record(received: 1, emitted: emitted, busy: clock.now - start)
        }
    } catch {
        input.close()
        throw error
    }
}
