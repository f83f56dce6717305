import Foundation
import Synchronization
import Testing
@testable import Pipeline

@Suite("Prepared: start-up work on its own thread")
struct PreparedTests {
    struct Broken: Error, Equatable {}

    @Test("every waiter, async or blocking, early or late, gets the one value built once")
    func manyWaiters() async throws {
        let gate = DispatchSemaphore(value: 0)
        let builds = Mutex(0)
        let prepared = Prepared(name: "test-build") { () -> [Int] in
            gate.wait()  // still building while the waiters below queue up
            builds.withLock { $0 += 1 }
            return Array(0..<1000)
        }
        let early = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 { group.addTask { try await prepared.value().count } }
            let blocking = Thread { _ = try? prepared.wait() }
            blocking.start()
            gate.signal()
            var total = 0
            for try await n in group { total += n }
            return total
        }
        #expect(early == 8000)
        #expect(try prepared.wait().count == 1000)
        #expect(try await prepared.value().last == 999)
        #expect(builds.withLock { $0 } == 1)
    }

    @Test("what the build throws reaches every waiter")
    func failure() async {
        let prepared = Prepared(name: "test-broken") { () throws -> Int in throw Broken() }
        await #expect(throws: Broken.self) { try await prepared.value() }
        #expect(throws: Broken.self) { try prepared.wait() }
        await #expect(throws: Broken.self) { try await prepared.value() }
    }

    @Test("an already built value needs no thread")
    func ready() async throws {
        let prepared = Prepared(42)
        #expect(try prepared.wait() == 42)
        #expect(try await prepared.value() == 42)
    }
}
