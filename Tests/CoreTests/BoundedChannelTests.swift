import Foundation
import Testing
@testable import IngestCore

/// Waits until `condition` holds, with a 60 s hang guard: until a task started just before has
/// reached the state under test (suspended in the channel). A fixed sleep of a few milliseconds
/// may end before that task has run at all when the cooperative pool is busy (a loaded CI
/// machine), and the test then checks a different path, or fails.
private func waitUntil(_ condition: () -> Bool) async {
    let by = ContinuousClock.now + .seconds(60)
    while !condition(), ContinuousClock.now < by { try? await Task.sleep(for: .milliseconds(1)) }
}

extension BoundedChannel {
    /// Senders suspended on a full channel.
    var suspendedSenders: Int { state.withLock { $0.senders.count } }
    /// Receivers suspended on an empty channel.
    var suspendedReceivers: Int { state.withLock { $0.receivers.count } }
}

@Suite("BoundedChannel")
struct BoundedChannelTests {
    @Test("delivers every element in order, then nil after finish")
    func ordered() async throws {
        let ch = BoundedChannel<Int>(capacity: 3)
        let producer = Task {
            for i in 0..<100 { try await ch.send(i) }
            ch.finish()
        }
        var got: [Int] = []
        for await v in ch { got.append(v) }
        try await producer.value
        #expect(got == Array(0..<100))
        #expect(ch.highWaterMark <= 3)
    }

    @Test("many producers and consumers racing through fast and slow paths: each element exactly once, per-producer order kept")
    func manyProducersManyConsumers() async throws {
        let ch = BoundedChannel<Int>(capacity: 2)
        let producers = 4, perProducer = 5_000
        let collected = try await withThrowingTaskGroup(of: [Int].self) { group in
            for c in 0..<3 {
                group.addTask {
                    var mine: [Int] = []
                    // One consumer yields now and then, so producers find the buffer full.
                    for await v in ch {
                        mine.append(v)
                        if c == 0, v % 7 == 0 { await Task.yield() }
                    }
                    return mine
                }
            }
            group.addTask {
                try await withThrowingTaskGroup(of: Void.self) { senders in
                    for p in 0..<producers {
                        senders.addTask { for i in 0..<perProducer { try await ch.send(p * 1_000_000 + i) } }
                    }
                    try await senders.waitForAll()
                }
                ch.finish()
                return []
            }
            var all: [[Int]] = []
            for try await part in group { all.append(part) }
            return all
        }
        let flat = collected.flatMap { $0 }
        #expect(flat.count == producers * perProducer)
        #expect(Set(flat).count == producers * perProducer)
        for part in collected {
            // A consumer sees each producer's elements in the order they were sent.
            var last: [Int: Int] = [:]
            for v in part {
                let p = v / 1_000_000
                #expect((last[p] ?? -1) < v)
                last[p] = v
            }
        }
        #expect(ch.highWaterMark <= 2)
        #expect(ch.sentCount == producers * perProducer)
    }

    @Test("a stalled consumer suspends producers at the bound")
    func backpressure() async throws {
        let ch = BoundedChannel<Int>(capacity: 4)
        let producers = (0..<3).map { p in
            Task { for i in 0..<50 { try await ch.send(p * 1000 + i) } }
        }
        // Wait until every producer has run into the bound and is suspended, then give them
        // every chance to overrun it.
        await waitUntil { ch.suspendedSenders == 3 }
        for _ in 0..<200 { await Task.yield() }
        try await Task.sleep(for: .milliseconds(50))
        #expect(ch.count == 4)
        #expect(ch.sentCount == 4)
        #expect(ch.highWaterMark == 4)
        var received = 0
        let consumer = Task {
            var n = 0
            for await _ in ch { n += 1 }
            return n
        }
        for p in producers { try await p.value }
        ch.finish()
        received = await consumer.value
        #expect(received == 150)
        #expect(ch.highWaterMark == 4)
    }

    @Test("capacity 0 is a rendezvous")
    func rendezvous() async throws {
        let ch = BoundedChannel<String>(capacity: 0)
        let t = Task { try await ch.send("a"); try await ch.send("b"); ch.finish() }
        #expect(await ch.receive() == "a")
        #expect(await ch.receive() == "b")
        #expect(await ch.receive() == nil)
        try await t.value
        #expect(ch.highWaterMark == 0)
    }

    @Test("cancelling a suspended sender throws CancellationError and drops nothing already accepted")
    func cancelSender() async throws {
        let ch = BoundedChannel<Int>(capacity: 1)
        try await ch.send(1)
        let blocked = Task { try await ch.send(2) }
        await waitUntil { ch.suspendedSenders == 1 }
        blocked.cancel()
        await #expect(throws: CancellationError.self) { try await blocked.value }
        ch.finish()
        var got: [Int] = []
        for await v in ch { got.append(v) }
        #expect(got == [1])
    }

    @Test("cancelling a waiting receiver returns nil")
    func cancelReceiver() async throws {
        let ch = BoundedChannel<Int>(capacity: 2)
        let waiting = Task { await ch.receive() }
        await waitUntil { ch.suspendedReceivers == 1 }
        waiting.cancel()
        #expect(await waiting.value == nil)
    }

    @Test("close() by the consumer fails suspended and later senders")
    func closeFailsSenders() async throws {
        let ch = BoundedChannel<Int>(capacity: 1)
        try await ch.send(1)
        let blocked = Task { try await ch.send(2) }
        await waitUntil { ch.suspendedSenders == 1 }
        ch.close()
        await #expect(throws: BoundedChannel<Int>.Closed.self) { try await blocked.value }
        await #expect(throws: BoundedChannel<Int>.Closed.self) { try await ch.send(3) }
        #expect(await ch.receive() == nil)
    }

    @Test("finish wakes every waiting receiver")
    func finishWakesReceivers() async throws {
        let ch = BoundedChannel<Int>(capacity: 2)
        let receivers = (0..<4).map { _ in Task { await ch.receive() } }
        await waitUntil { ch.suspendedReceivers == 4 }
        ch.finish()
        for r in receivers { #expect(await r.value == nil) }
    }

    @Test("runStage finishes its output even when the transform throws")
    func stageFinishesOnError() async throws {
        struct Boom: Error {}
        let input = BoundedChannel<Int>(capacity: 2)
        let output = BoundedChannel<Int>(capacity: 2)
        let feeder = Task {
            for i in 0..<10 { try? await input.send(i) }
            input.finish()
        }
        let stage = Task {
            try await runStage(input: input, output: output) { v, send in
                if v == 3 { throw Boom() }
                try await send(v * 10)
            }
        }
        var got: [Int] = []
        for await v in output { got.append(v) }
        await #expect(throws: Boom.self) { try await stage.value }
        await feeder.value
        #expect(got == [0, 10, 20])
    }
}

@Suite("RFC 3339")
struct RFC3339Tests {
    @Test func utcAndLocal() {
        let d = Date(timeIntervalSince1970: 1_762_453_500)  // 2025-11-06T18:25:00Z
        #expect(RFC3339.utc(d) == "2025-11-06T18:25:00Z")
        #expect(RFC3339.local(d, offsetSeconds: 8 * 3600) == "2025-11-07T02:25:00+08:00")
        #expect(RFC3339.local(d, offsetSeconds: -5 * 3600 - 1800) == "2025-11-06T12:55:00-05:30")
        #expect(RFC3339.utc(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
        #expect(RFC3339.utc(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00Z")
        #expect(RFC3339.utc(Date(timeIntervalSince1970: 0.25)) == "1970-01-01T00:00:00.250Z")
    }

    @Test func civilRoundTrip() {
        for days in stride(from: Int64(-800_000), through: 800_000, by: 997) {
            let (y, m, d) = RFC3339.civilFromDays(days)
            #expect(RFC3339.daysFromCivil(y, m, d) == days)
        }
    }
}
