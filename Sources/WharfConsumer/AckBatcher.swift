import Foundation

/// Collects deletes and sends them as DeleteMessageBatch: as soon as `maxBatch` are pending,
/// or `flushInterval` after the first of a batch arrived.
final class AckBatcher: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [DeleteEntry] = []
    private var timer: Task<Void, Never>?
    private var flushes: [UInt64: Task<Void, Never>] = [:]
    private var nextId: UInt64 = 0
    private var counter: UInt64 = 0

    let maxBatch: Int
    let flushInterval: Duration
    let send: @Sendable ([DeleteEntry]) async -> Void

    init(maxBatch: Int, flushInterval: Duration, send: @escaping @Sendable ([DeleteEntry]) async -> Void) {
        self.maxBatch = maxBatch; self.flushInterval = flushInterval; self.send = send
    }

    func add(receiptHandle: String, message: MessageReference) {
        lock.lock()
        counter += 1
        pending.append(DeleteEntry(id: "m\(counter)", receiptHandle: receiptHandle, message: message))
        if pending.count >= maxBatch {
            let batch = pending
            pending = []
            timer?.cancel()
            timer = nil
            startFlushLocked(batch)
        } else if timer == nil {
            let interval = flushInterval
            timer = Task { [weak self] in
                do { try await Task.sleep(for: interval) } catch { return }
                self?.flushPending()
            }
        }
        lock.unlock()
    }

    private func flushPending() {
        lock.lock()
        let batch = pending
        pending = []
        timer = nil
        if !batch.isEmpty { startFlushLocked(batch) }
        lock.unlock()
    }

    private func startFlushLocked(_ batch: [DeleteEntry]) {
        nextId += 1
        let id = nextId
        let send = send
        flushes[id] = Task { [weak self] in
            await send(batch)
            self?.finished(id)
        }
    }

    private func finished(_ id: UInt64) {
        lock.lock(); defer { lock.unlock() }
        flushes[id] = nil
    }

    /// Sends everything pending and waits for every batch in flight.
    func flushAll() async {
        flushPending()
        let outstanding: [Task<Void, Never>] = {
            lock.lock(); defer { lock.unlock() }
            timer?.cancel()
            timer = nil
            return Array(flushes.values)
        }()
        for task in outstanding { await task.value }
    }
}

/// How a handler invocation ended.
enum HandlerOutcome<Value: Sendable>: Sendable {
    case success(Value)
    case failure(String)
    case timedOut
    case cancelled

    /// Why it failed; nil for a success.
    func cause(timeout: Duration?) -> FailureCause? {
        switch self {
        case .success: return nil
        case .failure(let text): return .handler(text)
        case .timedOut: return .handlerTimedOut(timeout ?? .zero)
        case .cancelled: return .cancelledAtShutdown
        }
    }
}

/// Resumes one waiter with the first outcome delivered.
final class OutcomeLatch<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var outcome: HandlerOutcome<Value>?
    private var waiter: CheckedContinuation<HandlerOutcome<Value>, Never>?

    func deliver(_ value: HandlerOutcome<Value>) {
        lock.lock()
        guard outcome == nil else { lock.unlock(); return }
        outcome = value
        let waiter = waiter
        self.waiter = nil
        lock.unlock()
        waiter?.resume(returning: value)
    }

    func wait() async -> HandlerOutcome<Value> {
        await withCheckedContinuation { continuation in
            lock.lock()
            if let outcome {
                lock.unlock()
                continuation.resume(returning: outcome)
            } else {
                waiter = continuation
                lock.unlock()
            }
        }
    }
}

/// Runs `body` as its own task, racing a timeout and a forced cancellation (shutdown): the
/// caller gets an outcome even from a handler that ignores cancellation.
func runHandler<Value: Sendable>(timeout: Duration?, state: ConsumerState,
                                 _ body: @escaping @Sendable () async throws -> Value) async -> HandlerOutcome<Value> {
    let latch = OutcomeLatch<Value>()
    let task = Task {
        do {
            let value = try await body()
            latch.deliver(.success(value))
        } catch {
            latch.deliver(Task.isCancelled ? .cancelled : .failure(String(describing: error)))
        }
    }
    let timer: Task<Void, Never>? = timeout.map { timeout in
        Task {
            do { try await Task.sleep(for: timeout) } catch { return }
            latch.deliver(.timedOut)
            task.cancel()
        }
    }
    let id = state.registerHandler {
        latch.deliver(.cancelled)
        task.cancel()
    }
    let outcome = await withTaskCancellationHandler {
        await latch.wait()
    } onCancel: {
        latch.deliver(.cancelled)
        task.cancel()
    }
    timer?.cancel()
    state.unregisterHandler(id)
    return outcome
}
