import Foundation
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
    let reporter: ConsumerReporter
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
        self.reporter = ConsumerReporter(logger: configuration.logger)
    }

    /// A snapshot of the counters; safe to read at any time, from any thread.
    public var counters: ConsumerCounters { state.snapshot() }

    /// A snapshot of the handlers' durations (one observation per single-message handler call
    /// or batch handler call).
    public var handlerLatency: LatencyHistogram { state.latency() }

    /// Every event from now on, until `run()` returns (then the stream finishes). Each call
    /// makes a new stream; one that is not read keeps the newest `bufferingNewest` events.
    /// Subscribe before `run()` to see the start.
    public func events(bufferingNewest: Int = 1000) -> AsyncStream<ConsumerEvent> {
        reporter.subscribe(capacity: bufferingNewest)
    }

    /// Starts a graceful shutdown: polling stops, unstarted messages are released, running
    /// handlers get `shutdownGracePeriod` to finish. `run()` returns when it is done.
    public func stop() { state.stop() }

    /// Checks the queue, then polls until `stop()` or cancellation of the calling task (which
    /// also shuts down gracefully). Throws only at start.
    public func run() async throws(ConsumerError) {
        try configuration.validate()
        guard state.begin() else { throw .alreadyRunning }
        let queue: QueueInfo
        do {
            queue = try await prepare()
        } catch {
            configuration.logger.error("consumer cannot start: \(error)", metadata: ["queue": "\(configuration.queue)"])
            reporter.finish()
            throw error
        }
        reporter.report(.started(queueURL: queue.url))
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
                    for message in unstarted { reporter.report(.released(reference(message, queue), reason: .shutdown)) }
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
            reporter.report(.stopped(state.snapshot()))
            reporter.finish()
        } onCancel: {
            self.stop()
        }
    }

    // MARK: Start

    func prepare() async throws(ConsumerError) -> QueueInfo {
        do {
            let url = try await transport.queueURL(for: configuration.queue)
            let attributes = try await transport.queueAttributes(queueURL: url, names: [.queueARN, .visibilityTimeout])
            let arn = attributes[.queueARN]
            return QueueInfo(url: url, arn: arn, region: MessageObject.region(ofARN: arn),
                             visibilityTimeout: attributes[.visibilityTimeout].flatMap { Int($0) })
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

    func pollLoop(queue: QueueInfo, batcher: AckBatcher, group: inout TaskGroup<Void>) async {
        var failures = 0
        while let free = await state.waitForCapacity(configuration.concurrency) {
            let request = ReceiveRequest(
                queueURL: queue.url, maxMessages: min(free, configuration.maxMessages),
                waitTimeSeconds: configuration.waitTimeSeconds, visibilityTimeout: configuration.visibilityTimeout,
                systemAttributeNames: configuration.requestedSystemAttributes,
                messageAttributeNames: configuration.requestedMessageAttributes)
            let transport = transport
            let result = await interruptible { try await transport.receive(request) }
            if state.isStopping {
                // Received while stopping: never started, so released at once.
                if case .success(let messages) = result, !messages.isEmpty {
                    state.count { $0.received += messages.count }
                    await changeVisibility(messages.map { ($0, 0) }, queueURL: queue.url)
                    for message in messages { reporter.report(.released(reference(message, queue), reason: .shutdown)) }
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
                reporter.report(.received(queueURL: queue.url, count: messages.count))
                dispatch(messages, queue: queue, batcher: batcher, group: &group)
            case .failure(let error):
                failures += 1
                state.count { $0.pollErrors += 1 }
                let classified = TransportError.classify(error)
                let authentication = classified.kind == .authentication
                let delay = configuration.pollBackoff.delay(afterFailures: failures,
                                                            authentication: authentication, random: random())
                reporter.report(.pollFailed(PollFailure(
                    queueURL: queue.url, code: classified.code, reason: classified.message, authentication: authentication,
                    consecutiveFailures: failures, retryIn: delay)))
                let sleep = sleep
                _ = await interruptible { try await sleep(delay) }
            }
        }
    }

    /// Runs `body` so that `stop()` can cancel it.
    func interruptible<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async -> Result<T, any Error> {
        let task = Task { try await body() }
        if !state.setInterrupt({ task.cancel() }) { task.cancel() }
        let result = await task.result
        _ = state.setInterrupt(nil)
        return result
    }

    func dispatch(_ messages: [SQSMessage], queue: QueueInfo, batcher: AckBatcher, group: inout TaskGroup<Void>) {
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
    func drain(group: String, handler: @escaping Handler, queue: QueueInfo, batcher: AckBatcher) async {
        while let message = state.next(inGroup: group) {
            guard state.start(message) else { continue }
            let succeeded = await process(message, handler: handler, queue: queue, batcher: batcher)
            if !succeeded {
                let rest = state.abandon(group: group)
                await changeVisibility(rest.map { ($0, 0) }, queueURL: queue.url)
                for later in rest {
                    reporter.report(.released(reference(later, queue), reason: .fifoGroupStopped(afterMessageId: message.id)))
                }
                for message in rest { state.finish(message, concurrency: configuration.concurrency) }
                return
            }
        }
    }
}
