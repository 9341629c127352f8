import Foundation
import WharfClient

/// What a consumer has done so far; read with `Consumer.counters` at any time.
public struct ConsumerCounters: Sendable, Equatable, Codable {
    /// Messages received.
    public var received = 0
    /// Messages whose handler succeeded.
    public var processed = 0
    /// Messages whose handler failed or timed out, or whose expression could not be evaluated.
    public var failed = 0
    /// Messages whose activation condition was not `true`.
    public var unmatched = 0
    /// Receives that returned no message.
    public var emptyPolls = 0
    /// Receives that failed.
    public var pollErrors = 0
    /// Messages deleted (acknowledged).
    public var deleted = 0
    /// Messages whose visibility was changed by a failure policy, `release` or shutdown.
    public var released = 0
    /// Delete entries that failed (e.g. an expired receipt handle).
    public var deleteErrors = 0
    /// Visibility extensions sent by the heartbeat.
    public var heartbeats = 0
    /// Received messages not finished yet (running or waiting for their FIFO group).
    public var inFlight = 0

    public init() {}
}

/// The consumer's mutable state, behind one lock.
final class ConsumerState: @unchecked Sendable {
    struct InFlight {
        var message: SQSMessage
        var since: ContinuousClock.Instant
    }

    private let lock = NSLock()
    private var counters = ConsumerCounters()
    private var handlerLatency = LatencyHistogram()
    private(set) var stopping = false
    private var running = false
    /// Keyed by receipt handle: received and not finished.
    private var inFlight: [String: InFlight] = [:]
    /// Receipt handles received and not started.
    private var unstarted: Set<String> = []
    private var groupQueues: [String: [SQSMessage]] = [:]
    private var capacityWaiter: CheckedContinuation<Int?, Never>?
    private var interrupt: (@Sendable () -> Void)?
    private var handlerCancellers: [UInt64: @Sendable () -> Void] = [:]
    private var nextHandlerId: UInt64 = 0

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock(); defer { lock.unlock() }
        return body()
    }

    func snapshot() -> ConsumerCounters {
        locked {
            var copy = counters
            copy.inFlight = inFlight.count
            return copy
        }
    }

    func latency() -> LatencyHistogram { locked { handlerLatency } }

    func observeLatency(_ duration: Duration) {
        locked { handlerLatency.observe(seconds: duration.seconds) }
    }

    func count(_ update: (inout ConsumerCounters) -> Void) {
        lock.lock(); defer { lock.unlock() }
        update(&counters)
    }

    func begin() -> Bool {
        locked {
            if running { return false }
            running = true
            return true
        }
    }

    var isStopping: Bool { locked { stopping } }

    /// Sets the stopping flag, wakes the poll loop and interrupts its receive or backoff.
    func stop() {
        lock.lock()
        stopping = true
        let waiter = capacityWaiter
        capacityWaiter = nil
        let interrupt = interrupt
        lock.unlock()
        waiter?.resume(returning: nil)
        interrupt?()
    }

    // MARK: Capacity

    /// Free slots (> 0), waiting for one if needed; nil once stopping.
    func waitForCapacity(_ concurrency: Int) async -> Int? {
        await withCheckedContinuation { continuation in
            lock.lock()
            if stopping {
                lock.unlock()
                continuation.resume(returning: nil)
            } else if inFlight.count < concurrency {
                let free = concurrency - inFlight.count
                lock.unlock()
                continuation.resume(returning: free)
            } else {
                capacityWaiter = continuation
                lock.unlock()
            }
        }
    }

    /// Registers received messages as in flight and unstarted.
    func received(_ messages: [SQSMessage]) {
        locked {
            counters.received += messages.count
            let now = ContinuousClock.now
            for message in messages {
                inFlight[message.receiptHandle] = InFlight(message: message, since: now)
                unstarted.insert(message.receiptHandle)
            }
        }
    }

    /// Marks a message started; false when it was released by shutdown or we are stopping.
    func start(_ message: SQSMessage) -> Bool {
        locked {
            guard !stopping, unstarted.contains(message.receiptHandle) else { return false }
            unstarted.remove(message.receiptHandle)
            return true
        }
    }

    /// The message is done with (deleted, released or left): frees its slot.
    func finish(_ message: SQSMessage, concurrency: Int) {
        lock.lock()
        inFlight[message.receiptHandle] = nil
        unstarted.remove(message.receiptHandle)
        var waiter: CheckedContinuation<Int?, Never>?
        if inFlight.count < concurrency, let pending = capacityWaiter {
            waiter = pending
            capacityWaiter = nil
        }
        let free = concurrency - inFlight.count
        lock.unlock()
        waiter?.resume(returning: free)
    }

    /// All unstarted messages, no longer startable (shutdown releases them).
    func takeUnstarted() -> [SQSMessage] {
        locked {
            let taken = unstarted.compactMap { inFlight[$0]?.message }
            unstarted.removeAll()
            return taken
        }
    }

    /// Messages in flight since at least `age`, for the heartbeat.
    func inFlight(olderThan age: Duration) -> [SQSMessage] {
        locked {
            let now = ContinuousClock.now
            return inFlight.values.filter { now - $0.since >= age }.map(\.message)
        }
    }

    // MARK: FIFO groups

    /// Queues a message behind its group; true when the group was idle (start a drainer).
    func enqueue(_ message: SQSMessage, group: String) -> Bool {
        locked {
            if var queue = groupQueues[group] {
                queue.append(message)
                groupQueues[group] = queue
                return false
            }
            groupQueues[group] = [message]
            return true
        }
    }

    /// The group's next message, or nil (and the group idle) when none is left.
    func next(inGroup group: String) -> SQSMessage? {
        locked {
            guard var queue = groupQueues[group], !queue.isEmpty else {
                groupQueues[group] = nil
                return nil
            }
            let message = queue.removeFirst()
            groupQueues[group] = queue
            return message
        }
    }

    /// The group's remaining unstarted messages, removed from its queue (the group goes idle).
    func abandon(group: String) -> [SQSMessage] {
        locked {
            let rest = groupQueues[group] ?? []
            groupQueues[group] = nil
            let startable = rest.filter { unstarted.contains($0.receiptHandle) }
            for message in startable { unstarted.remove(message.receiptHandle) }
            return startable
        }
    }

    // MARK: Interruption

    /// Registers what `stop()` calls to interrupt the current wait; false if already stopping.
    func setInterrupt(_ body: (@Sendable () -> Void)?) -> Bool {
        locked {
            if body != nil && stopping { return false }
            interrupt = body
            return true
        }
    }

    func registerHandler(_ cancel: @escaping @Sendable () -> Void) -> UInt64 {
        locked {
            nextHandlerId += 1
            handlerCancellers[nextHandlerId] = cancel
            return nextHandlerId
        }
    }

    func unregisterHandler(_ id: UInt64) {
        locked { handlerCancellers[id] = nil }
    }

    /// Cancels every running handler (end of the shutdown grace period).
    func cancelHandlers() {
        let cancellers = locked { Array(handlerCancellers.values) }
        for cancel in cancellers { cancel() }
    }
}
