import Synchronization

/// Parks long-polling receives until their queue may have something for them.
///
/// Event-driven: a send, a visibility change or a timer set to the queue's next visibility
/// time wakes waiters; nothing polls. An idle waiter is a suspended continuation and one
/// sleeping timer task, so thousands of idle long polls cost memory, not CPU.
///
/// The per-queue `generation` closes the race between "the receive found nothing" and "the
/// waiter is parked": a receive reads the generation first, and parking with a stale
/// generation returns at once.
final class LongPollWaiters: Sendable {
    private struct Waiter {
        let continuation: CheckedContinuation<Void, Never>
        let timer: Task<Void, Never>?
    }
    private struct QueueWaiters {
        var generation: UInt64 = 0
        var waiters: [(id: UInt64, waiter: Waiter)] = []
    }
    private struct State {
        var queues: [Int64: QueueWaiters] = [:]
        var nextId: UInt64 = 0
        /// Shutting down: nothing parks any more.
        var closed = false
    }
    private let state = Mutex(State())
    private let clock: any WharfClock
    /// Told when a queue gets its first parked waiter (`true`) and loses its last (`false`), so
    /// that other nodes can be asked to wake this one only for queues it waits on.
    private let onWaitingChange: @Sendable (Int64, Bool) -> Void

    init(clock: any WharfClock, onWaitingChange: @escaping @Sendable (Int64, Bool) -> Void = { _, _ in }) {
        self.clock = clock
        self.onWaitingChange = onWaitingChange
    }

    /// Waiters parked now, over all queues.
    var parkedCount: Int { state.withLock { $0.queues.values.reduce(0) { $0 + $1.waiters.count } } }

    /// Queues with at least one parked waiter.
    var waitedQueues: [Int64] {
        state.withLock { state in state.queues.compactMap { $0.value.waiters.isEmpty ? nil : $0.key } }
    }

    /// Wakes every waiter of every queue (events may have been missed).
    func notifyAll() {
        for queueId in state.withLock({ Array($0.queues.keys) }) { notify(queueId: queueId) }
    }

    /// Whether `close()` was called.
    var isClosed: Bool { state.withLock { $0.closed } }

    /// Wakes every waiter and lets none park from now on (graceful shutdown: parked long polls
    /// are answered at once).
    func close() {
        state.withLock { $0.closed = true }
        notifyAll()
    }

    func generation(of queueId: Int64) -> UInt64 {
        state.withLock { $0.queues[queueId]?.generation ?? 0 }
    }

    /// Waits until notified, until `deadlineMillis`, or until the task is cancelled.
    func wait(queueId: Int64, seenGeneration: UInt64, deadlineMillis: Int64) async {
        let id = state.withLock { state -> UInt64 in
            state.nextId += 1
            return state.nextId
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let clock = self.clock
                let (parked, first) = state.withLock { state -> (Bool, Bool) in
                    var entry = state.queues[queueId] ?? QueueWaiters()
                    guard entry.generation == seenGeneration, !state.closed, !Task.isCancelled else { return (false, false) }
                    let timer = Task { [weak self] in
                        try? await clock.sleep(untilMillis: deadlineMillis)
                        if !Task.isCancelled { self?.resume(queueId: queueId, id: id) }
                    }
                    let first = entry.waiters.isEmpty
                    entry.waiters.append((id, Waiter(continuation: continuation, timer: timer)))
                    state.queues[queueId] = entry
                    return (true, first)
                }
                if !parked { continuation.resume() }
                if first { onWaitingChange(queueId, true) }
            }
        } onCancel: {
            self.resume(queueId: queueId, id: id)
        }
    }

    /// Something became visible in the queue: wake up to `count` waiters (all when nil).
    func notify(queueId: Int64, count: Int? = nil) {
        let (woken, last): ([Waiter], Bool) = state.withLock { state in
            var entry = state.queues[queueId] ?? QueueWaiters()
            entry.generation &+= 1
            let n = min(count ?? entry.waiters.count, entry.waiters.count)
            let taken = entry.waiters.prefix(n).map(\.waiter)
            entry.waiters.removeFirst(n)
            state.queues[queueId] = entry
            return (taken, n > 0 && entry.waiters.isEmpty)
        }
        if last { onWaitingChange(queueId, false) }
        for waiter in woken {
            waiter.timer?.cancel()
            waiter.continuation.resume()
        }
    }

    private func resume(queueId: Int64, id: UInt64) {
        let (waiter, last): (Waiter?, Bool) = state.withLock { state in
            guard var entry = state.queues[queueId],
                  let index = entry.waiters.firstIndex(where: { $0.id == id }) else { return (nil, false) }
            let waiter = entry.waiters.remove(at: index).waiter
            state.queues[queueId] = entry
            return (waiter, entry.waiters.isEmpty)
        }
        guard let waiter else { return }
        if last { onWaitingChange(queueId, false) }
        waiter.timer?.cancel()
        waiter.continuation.resume()
    }
}
