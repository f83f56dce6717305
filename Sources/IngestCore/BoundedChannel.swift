import DequeModule
import Synchronization

/// Thrown to a sender when the consumer closed the channel or the task was cancelled.
///
/// Not nested in the generic channel, so that whoever collects a pipeline's errors can tell
/// this consequence of another stage's failure from the failure itself, whatever the edge.
public struct ChannelClosed: Error, CustomStringConvertible {
    public var description: String { "channel closed by its consumer" }
    @inlinable public init() {}
}

/// A multi-producer, multi-consumer async channel with a fixed buffer.
///
/// Every pipeline edge is one of these, so a slow consumer suspends its producers:
/// that is the backpressure `AsyncStream` (unbounded by default) and `AsyncChannel`
/// (a rendezvous, silent on cancellation) do not give. A sender that is cancelled, or
/// whose consumer has gone away, gets an error instead of losing the element quietly.
public final class BoundedChannel<Element: Sendable>: AsyncSequence, Sendable {
    public typealias Failure = Never

    /// Thrown to a sender when the consumer closed the channel or the task was cancelled.
    public typealias Closed = ChannelClosed

    // The internals are `@usableFromInline` and the hot paths `@inlinable` so that each
    // stage's module compiles a copy specialized to its element type: unspecialized, every
    // send and receive went through value witnesses and looked up `Deque<Element>`'s generic
    // metadata, a tenth of a whole run's CPU.

    @usableFromInline
    struct Sender {
        @usableFromInline var id: UInt64
        @usableFromInline var element: Element
        @usableFromInline var continuation: CheckedContinuation<Void, any Error>
        @inlinable
        init(id: UInt64, element: Element, continuation: CheckedContinuation<Void, any Error>) {
            self.id = id
            self.element = element
            self.continuation = continuation
        }
    }

    @usableFromInline
    struct Receiver {
        @usableFromInline var id: UInt64
        @usableFromInline var continuation: CheckedContinuation<Element?, Never>
        @inlinable
        init(id: UInt64, continuation: CheckedContinuation<Element?, Never>) {
            self.id = id
            self.continuation = continuation
        }
    }

    @usableFromInline
    enum SendAction { case resume(CheckedContinuation<Element?, Never>), done, fail, wait }
    @usableFromInline
    enum ReceiveAction { case value(Element, CheckedContinuation<Void, any Error>?), end, wait }

    @usableFromInline
    struct State {
        @usableFromInline var buffer = Deque<Element>()
        @usableFromInline var senders = Deque<Sender>()
        @usableFromInline var receivers = Deque<Receiver>()
        @usableFromInline var finished = false
        @usableFromInline var closed = false
        @usableFromInline var nextID: UInt64 = 0
        @usableFromInline var highWater = 0
        @usableFromInline var sent = 0
        @inlinable init() {}
    }

    /// The part of a send that needs no waiting, under the lock: fails on a closed
    /// channel, hands the element to a waiting receiver, or buffers it; nil when full.
    @inlinable
    static func place(_ element: Element, in s: inout State, capacity: Int) -> SendAction? {
        if s.closed { return .fail }
        precondition(!s.finished, "send after finish()")
        if let r = s.receivers.popFirst() {
            s.sent += 1
            return .resume(r.continuation)
        }
        guard s.buffer.count < capacity else { return nil }
        s.buffer.append(element)
        s.sent += 1
        s.highWater = Swift.max(s.highWater, s.buffer.count)
        return .done
    }

    /// The part of a receive that needs no waiting, under the lock: the next element (moving
    /// a suspended sender's into the buffer), or the end; nil when the receiver must wait.
    @inlinable
    static func take(from s: inout State) -> ReceiveAction? {
        if let first = s.buffer.popFirst() {
            var woken: CheckedContinuation<Void, any Error>?
            if let snd = s.senders.popFirst() {
                s.buffer.append(snd.element)
                s.sent += 1
                woken = snd.continuation
            }
            return .value(first, woken)
        }
        if let snd = s.senders.popFirst() {
            s.sent += 1
            return .value(snd.element, snd.continuation)
        }
        if s.finished || s.closed || Task.isCancelled { return .end }
        return nil
    }

    public let capacity: Int
    @usableFromInline let state: Mutex<State>

    /// - Parameter capacity: elements held between producer and consumer; 0 makes a rendezvous.
    public init(capacity: Int) {
        precondition(capacity >= 0, "capacity must not be negative")
        self.capacity = capacity
        self.state = Mutex(State())
    }

    /// The most elements ever buffered at once; tests use it to prove the bound holds.
    public var highWaterMark: Int { state.withLock { $0.highWater } }
    /// Elements currently buffered (not counting suspended senders, who still own theirs).
    public var count: Int { state.withLock { $0.buffer.count } }
    /// Elements accepted so far.
    public var sentCount: Int { state.withLock { $0.sent } }

    /// Hands `element` on, suspending while the buffer is full.
    @inlinable
    public func send(_ element: Element) async throws {
        try Task.checkCancellation()
        // Fast path: room in the buffer or a receiver waiting; no continuation, no
        // cancellation handler. Most sends of a flowing pipeline end here.
        let fast: SendAction = state.withLock { s in Self.place(element, in: &s, capacity: capacity) ?? .wait }
        switch fast {
        case .done: return
        case .resume(let r):
            r.resume(returning: element)
            return
        case .fail: throw Task.isCancelled ? CancellationError() : Closed()
        case .wait: break
        }
        let id: UInt64 = state.withLock { s in
            s.nextID += 1
            return s.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (cont: CheckedContinuation<Void, any Error>) in
                let action: SendAction = state.withLock { s in
                    if let placed = Self.place(element, in: &s, capacity: capacity) { return placed }
                    if Task.isCancelled { return .fail }
                    s.senders.append(Sender(id: id, element: element, continuation: cont))
                    return .wait
                }
                switch action {
                case .resume(let r):
                    r.resume(returning: element)
                    cont.resume()
                case .done: cont.resume()
                case .fail: cont.resume(throwing: Task.isCancelled ? CancellationError() : Closed())
                case .wait: break
                }
            }
        } onCancel: {
            let waiting: Sender? = state.withLock { s in
                guard let i = s.senders.firstIndex(where: { $0.id == id }) else { return nil }
                return s.senders.remove(at: i)
            }
            waiting?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Producer side: no more elements. Consumers drain the buffer, then see `nil`.
    @inlinable
    public func finish() {
        let receivers: Deque<Receiver> = state.withLock { s in
            s.finished = true
            guard s.buffer.isEmpty, s.senders.isEmpty else { return [] }
            defer { s.receivers.removeAll() }
            return s.receivers
        }
        for r in receivers { r.continuation.resume(returning: nil) }
    }

    /// Consumer side: stop accepting; suspended and future senders get `Closed`.
    @inlinable
    public func close() {
        let (senders, receivers): (Deque<Sender>, Deque<Receiver>) = state.withLock { s in
            s.closed = true
            s.finished = true
            s.buffer.removeAll()
            defer { s.senders.removeAll(); s.receivers.removeAll() }
            return (s.senders, s.receivers)
        }
        for snd in senders { snd.continuation.resume(throwing: Closed()) }
        for r in receivers { r.continuation.resume(returning: nil) }
    }

    /// Next element, or `nil` once finished and drained (or when the task is cancelled).
    @inlinable
    public func receive() async -> Element? {
        // Fast path: something buffered (or a sender waiting), or the end: no suspension.
        let fast: ReceiveAction = state.withLock { s in Self.take(from: &s) ?? .wait }
        switch fast {
        case .value(let e, let woken):
            woken?.resume()
            return e
        case .end: return nil
        case .wait: break
        }
        let id: UInt64 = state.withLock { s in
            s.nextID += 1
            return s.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (cont: CheckedContinuation<Element?, Never>) in
                let action: ReceiveAction = state.withLock { s in
                    if let taken = Self.take(from: &s) { return taken }
                    s.receivers.append(Receiver(id: id, continuation: cont))
                    return .wait
                }
                switch action {
                case .value(let e, let woken):
                    woken?.resume()
                    cont.resume(returning: e)
                case .end: cont.resume(returning: nil)
                case .wait: break
                }
            }
        } onCancel: {
            let waiting: Receiver? = state.withLock { s in
                guard let i = s.receivers.firstIndex(where: { $0.id == id }) else { return nil }
                return s.receivers.remove(at: i)
            }
            waiting?.continuation.resume(returning: nil)
        }
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        @usableFromInline let channel: BoundedChannel
        @inlinable init(channel: BoundedChannel) { self.channel = channel }
        @inlinable public mutating func next() async -> Element? { await channel.receive() }
        @inlinable
        public mutating func next(isolation actor: isolated (any Actor)?) async throws(Never) -> Element? {
            await channel.receive()
        }
    }

    @inlinable public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(channel: self) }
}
