import Foundation
import SQSModel
import WharfClient
import WharfExpression

/// An inbound connector: long-polls one queue and hands each message to a handler.
///
/// ```swift
/// var configuration = ConsumerConfiguration(queue: "orders")
/// configuration.concurrency = 32
/// configuration.condition = try FEELExpression(parsing: #"=body.type = "order""#)
/// let consumer = Consumer(client: SQSClient(), configuration: configuration) { message in
///     try await ship(message.body)          // returning = success: the message is deleted
/// }
/// try await consumer.run()                  // until consumer.stop() or task cancellation
/// ```
public final class Consumer: Sendable {
    public typealias Handler = @Sendable (ConsumerMessage) async throws -> Void
    /// Gets the matched messages of one receive; reports the ones that failed.
    public typealias BatchHandler = @Sendable ([ConsumerMessage]) async throws -> BatchResult

    enum HandlerKind: Sendable {
        case single(Handler)
        case batch(BatchHandler)
    }

    /// What the start-up check learnt about the queue.
    struct QueueInfo: Sendable {
        var url: String
        var arn: String?
        var region: String?
        var visibilityTimeout: Int?
    }

    public let configuration: ConsumerConfiguration
    let transport: any ConsumerTransport
    let handler: HandlerKind
    let state = ConsumerState()
    let sleep: @Sendable (Duration) async throws -> Void
    let random: @Sendable () -> Double
    let now: @Sendable () -> Date

    public convenience init(client: SQSClient, configuration: ConsumerConfiguration, handler: @escaping Handler) {
        self.init(transport: SQSClientTransport(client: client), configuration: configuration, handler: .single(handler))
    }

    public convenience init(client: SQSClient, configuration: ConsumerConfiguration, batchHandler: @escaping BatchHandler) {
        self.init(transport: SQSClientTransport(client: client), configuration: configuration, handler: .batch(batchHandler))
    }

    /// - Parameters:
    ///   - sleep: the poll-error backoff's sleep (tests record it instead of waiting).
    ///   - random: jitter source in 0..<1.
    init(transport: any ConsumerTransport, configuration: ConsumerConfiguration, handler: HandlerKind,
         sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
         random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
         now: @escaping @Sendable () -> Date = Date.init) {
        self.transport = transport
        self.configuration = configuration
        self.handler = handler
        self.sleep = sleep
        self.random = random
        self.now = now
    }

    /// A snapshot of the counters; safe to read at any time, from any thread.
    public var counters: ConsumerCounters { state.snapshot() }

    /// Starts a graceful shutdown: polling stops, unstarted messages are released, running
    /// handlers get `shutdownGracePeriod` to finish. `run()` returns when it is done.
    public func stop() { state.stop() }

    /// Checks the queue, then polls until `stop()` or cancellation of the calling task (which
    /// also shuts down gracefully). Throws only at start.
    public func run() async throws(ConsumerError) {
        try configuration.validate()
        guard state.begin() else { throw .alreadyRunning }
        let queue = try await prepare()
        let batcher = AckBatcher(maxBatch: configuration.deleteBatching.maxBatch,
                                 flushInterval: configuration.deleteBatching.flushInterval) { entries in
            await self.delete(entries, queueURL: queue.url)
        }
        await withTaskCancellationHandler {
            await withTaskGroup(of: Void.self) { background in
                if let settings = heartbeatSettings(queue) {
                    background.addTask { await self.heartbeatLoop(queue: queue, interval: settings.0, extendTo: settings.1) }
                }
                await withTaskGroup(of: Void.self) { group in
                    await pollLoop(queue: queue, batcher: batcher, group: &group)
                    // Shutdown: release what has not started, give running handlers the grace period.
                    let unstarted = state.takeUnstarted()
                    await changeVisibility(unstarted.map { ($0, 0) }, queueURL: queue.url)
                    for message in unstarted { state.finish(message, concurrency: configuration.concurrency) }
                    let grace = configuration.shutdownGracePeriod
                    let watchdog = Task { [state] in
                        do { try await Task.sleep(for: grace) } catch { return }
                        state.cancelHandlers()
                    }
                    await group.waitForAll()
                    watchdog.cancel()
                }
                background.cancelAll()
            }
            await batcher.flushAll()
        } onCancel: {
            self.stop()
        }
    }

    // MARK: Start

    func prepare() async throws(ConsumerError) -> QueueInfo {
        do {
            let url = try await transport.queueURL(for: configuration.queue)
            let attributes = try await transport.queueAttributes(
                queueURL: url, names: ["QueueArn", "VisibilityTimeout"])
            let arn = attributes["QueueArn"]
            return QueueInfo(url: url, arn: arn, region: MessageObject.region(ofARN: arn),
                             visibilityTimeout: attributes["VisibilityTimeout"].flatMap(Int.init))
        } catch {
            let error = TransportError.classify(error)
            if error.kind == .queueDoesNotExist { throw .queueDoesNotExist(configuration.queue) }
            throw .startFailed(error.message)
        }
    }

    func heartbeatSettings(_ queue: QueueInfo) -> (Duration, Int)? {
        guard let heartbeat = configuration.heartbeat else { return nil }
        let visibility = configuration.visibilityTimeout ?? queue.visibilityTimeout ?? 30
        let extendTo = heartbeat.extendTo ?? visibility
        guard extendTo > 0 else { return nil }
        let interval = heartbeat.interval ?? .seconds(max(0.2, Double(visibility) / 3))
        return (interval, extendTo)
    }

    // MARK: Polling

    private func pollLoop(queue: QueueInfo, batcher: AckBatcher, group: inout TaskGroup<Void>) async {
        var failures = 0
        while let free = await state.waitForCapacity(configuration.concurrency) {
            let request = ReceiveRequest(
                queueURL: queue.url, maxMessages: min(free, configuration.maxMessages),
                waitTimeSeconds: configuration.waitTimeSeconds, visibilityTimeout: configuration.visibilityTimeout,
                systemAttributeNames: configuration.requestedSystemAttributes,
                messageAttributeNames: configuration.messageAttributeNames)
            let transport = transport
            let result = await interruptible { try await transport.receive(request) }
            if state.isStopping {
                // Received while stopping: never started, so released at once.
                if case .success(let messages) = result, !messages.isEmpty {
                    state.count { $0.received += messages.count }
                    await changeVisibility(messages.map { ($0, 0) }, queueURL: queue.url)
                }
                return
            }
            switch result {
            case .success(let messages):
                failures = 0
                if messages.isEmpty {
                    state.count { $0.emptyPolls += 1 }
                    continue
                }
                state.received(messages)
                dispatch(messages, queue: queue, batcher: batcher, group: &group)
            case .failure(let error):
                failures += 1
                state.count { $0.pollErrors += 1 }
                let kind = TransportError.classify(error).kind
                let delay = configuration.pollBackoff.delay(afterFailures: failures,
                                                            authentication: kind == .authentication, random: random())
                let sleep = sleep
                _ = await interruptible { try await sleep(delay) }
            }
        }
    }

    /// Runs `body` so that `stop()` can cancel it.
    private func interruptible<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async -> Result<T, any Error> {
        let task = Task { try await body() }
        if !state.setInterrupt({ task.cancel() }) { task.cancel() }
        let result = await task.result
        _ = state.setInterrupt(nil)
        return result
    }

    private func dispatch(_ messages: [Message], queue: QueueInfo, batcher: AckBatcher, group: inout TaskGroup<Void>) {
        switch handler {
        case .batch(let handler):
            group.addTask { await self.processBatch(messages, handler: handler, queue: queue, batcher: batcher) }
        case .single(let handler):
            for message in messages {
                if let groupId = message.groupId {
                    if state.enqueue(message, group: groupId) {
                        group.addTask { await self.drain(group: groupId, handler: handler, queue: queue, batcher: batcher) }
                    }
                } else {
                    group.addTask {
                        guard self.state.start(message) else { return }
                        _ = await self.process(message, handler: handler, queue: queue, batcher: batcher)
                    }
                }
            }
        }
    }

    /// Handles a FIFO group's messages one after another; after a failure the rest of the
    /// group's received messages are released, not processed, so order holds.
    private func drain(group: String, handler: @escaping Handler, queue: QueueInfo, batcher: AckBatcher) async {
        while let message = state.next(inGroup: group) {
            guard state.start(message) else { continue }
            let succeeded = await process(message, handler: handler, queue: queue, batcher: batcher)
            if !succeeded {
                let rest = state.abandon(group: group)
                await changeVisibility(rest.map { ($0, 0) }, queueURL: queue.url)
                for message in rest { state.finish(message, concurrency: configuration.concurrency) }
                return
            }
        }
    }

    // MARK: Processing

    /// Evaluation of the condition and mapping for one message.
    private enum Prepared {
        case matched(ConsumerMessage)
        case unmatched
        case failed(String)
    }

    private func prepare(_ message: Message, queue: QueueInfo, batcher: AckBatcher) -> Prepared {
        let object = MessageObject.make(message, queueURL: queue.url, queueARN: queue.arn, region: queue.region)
        let scope = MessageObject.scope(object)
        let environment = FEELEnvironment(now: now)
        if let condition = configuration.condition {
            do {
                guard try condition.matches(scope, environment: environment) else { return .unmatched }
            } catch {
                return .failed("activation condition: \(error)")
            }
        }
        let output: FEELValue
        do {
            output = try mapOutput(object: object, scope: scope, environment: environment)
        } catch {
            return .failed("result expression: \(error)")
        }
        let acknowledgement = Acknowledgement(
            onDelete: { batcher.add(receiptHandle: message.ReceiptHandle) },
            onRelease: { seconds in await self.changeVisibility([(message, seconds)], queueURL: queue.url) })
        return .matched(ConsumerMessage(message: message, object: object, output: output, acknowledgement: acknowledgement))
    }

    private func mapOutput(object: FEELValue, scope: FEELValue, environment: FEELEnvironment) throws(FEELEvaluationError) -> FEELValue {
        let mapped = try configuration.resultExpression.map { expression throws(FEELEvaluationError) in
            try expression.evaluate(in: scope, environment: environment)
        }
        guard let variable = configuration.resultVariable else { return mapped ?? object }
        var output = FEELContext()
        output[variable] = object
        switch mapped {
        case .context(let context)?:
            for entry in context.entries { output[entry.key] = entry.value }
        case let value?:
            output["result"] = value
        case nil:
            break
        }
        return .context(output)
    }

    /// Handles one message; true unless it failed (FIFO groups stop on false).
    private func process(_ message: Message, handler: @escaping Handler, queue: QueueInfo, batcher: AckBatcher) async -> Bool {
        defer { state.finish(message, concurrency: configuration.concurrency) }
        switch prepare(message, queue: queue, batcher: batcher) {
        case .unmatched:
            state.count { $0.unmatched += 1 }
            if configuration.onUnmatched == .delete { batcher.add(receiptHandle: message.ReceiptHandle) }
            return true
        case .failed:
            state.count { $0.failed += 1 }
            await applyFailurePolicy(message, queue: queue)
            return false
        case .matched(let consumerMessage):
            let outcome = await runHandler(timeout: configuration.handlerTimeout, state: state) {
                try await handler(consumerMessage)
            }
            let succeeded: Bool
            if case .success = outcome { succeeded = true } else { succeeded = false }
            await settle(consumerMessage, succeeded: succeeded, queue: queue)
            return succeeded
        }
    }

    /// Handles the messages of one receive with the batch handler.
    private func processBatch(_ messages: [Message], handler: @escaping BatchHandler, queue: QueueInfo,
                              batcher: AckBatcher) async {
        var matched: [ConsumerMessage] = []
        for message in messages where state.start(message) {
            switch prepare(message, queue: queue, batcher: batcher) {
            case .unmatched:
                state.count { $0.unmatched += 1 }
                if configuration.onUnmatched == .delete { batcher.add(receiptHandle: message.ReceiptHandle) }
                state.finish(message, concurrency: configuration.concurrency)
            case .failed:
                state.count { $0.failed += 1 }
                await applyFailurePolicy(message, queue: queue)
                state.finish(message, concurrency: configuration.concurrency)
            case .matched(let consumerMessage):
                matched.append(consumerMessage)
            }
        }
        guard !matched.isEmpty else { return }
        let batch = matched
        let outcome = await runHandler(timeout: configuration.handlerTimeout, state: state) {
            try await handler(batch)
        }
        let failedIds: Set<String>
        if case .success(let result) = outcome {
            failedIds = result.failedMessageIds
        } else {
            failedIds = Set(batch.map(\.messageId))
        }
        for consumerMessage in batch {
            await settle(consumerMessage, succeeded: !failedIds.contains(consumerMessage.messageId), queue: queue)
            state.finish(consumerMessage.message, concurrency: configuration.concurrency)
        }
    }

    /// Counts the outcome and deletes or releases per the acknowledgement mode.
    private func settle(_ message: ConsumerMessage, succeeded: Bool, queue: QueueInfo) async {
        state.count { succeeded ? ($0.processed += 1) : ($0.failed += 1) }
        switch (configuration.acknowledgement, succeeded) {
        case (.always, _), (.onSuccess, true):
            message.acknowledgement.delete()
        case (.manual, true):
            break
        case (.onSuccess, false), (.manual, false):
            guard !message.acknowledgement.isSettled else { return }
            if let seconds = configuration.onFailure.visibility(receiveCount: message.receiveCount) {
                await message.acknowledgement.release(afterSeconds: seconds)
            } else {
                _ = message.acknowledgement.settle(.released(-1))
            }
        }
    }

    private func applyFailurePolicy(_ message: Message, queue: QueueInfo) async {
        guard let seconds = configuration.onFailure.visibility(receiveCount: message.receiveCount) else { return }
        await changeVisibility([(message, seconds)], queueURL: queue.url)
    }

    // MARK: Calls

    private func delete(_ entries: [DeleteEntry], queueURL: String) async {
        do {
            let failed = try await transport.deleteBatch(queueURL: queueURL, entries: entries)
            state.count {
                $0.deleted += entries.count - failed.count
                $0.deleteErrors += failed.count
            }
        } catch {
            state.count { $0.deleteErrors += entries.count }
        }
    }

    /// ChangeMessageVisibilityBatch in chunks of 10; counts releases.
    func changeVisibility(_ changes: [(Message, Int)], queueURL: String, heartbeat: Bool = false) async {
        var index = 0
        while index < changes.count {
            let chunk = changes[index..<min(index + 10, changes.count)]
            index += 10
            let entries = chunk.enumerated().map { offset, change in
                VisibilityEntry(id: "v\(offset)", receiptHandle: change.0.ReceiptHandle, timeout: change.1)
            }
            let failed = (try? await transport.changeVisibilityBatch(queueURL: queueURL, entries: entries))
                ?? entries.map(\.id)
            let succeeded = entries.count - failed.count
            state.count { heartbeat ? ($0.heartbeats += succeeded) : ($0.released += succeeded) }
        }
    }

    private func heartbeatLoop(queue: QueueInfo, interval: Duration, extendTo: Int) async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { return }
            let due = state.inFlight(olderThan: interval)
            if !due.isEmpty {
                await changeVisibility(due.map { ($0, extendTo) }, queueURL: queue.url, heartbeat: true)
            }
        }
    }
}
