import Foundation
import WharfClient
import WharfExpression

/// Evaluating, handling and settling messages: where each failure gets its cause and its
/// disposition reported.
extension Consumer {
    /// Evaluation of the condition and mapping for one message.
    enum Prepared {
        case matched(ConsumerMessage)
        case unmatched
        case failed(FailureCause)
    }

    func reference(_ message: SQSMessage, _ queue: QueueInfo) -> MessageReference {
        MessageReference(queueURL: queue.url, messageId: message.id, receiveCount: message.receiveCountOrOne)
    }

    func prepare(_ message: SQSMessage, queue: QueueInfo, batcher: AckBatcher) -> Prepared {
        let object = MessageObject.make(message, queueURL: queue.url, queueARN: queue.arn, region: queue.region,
                                        options: configuration.messageObjectOptions)
        let scope = MessageObject.scope(object)
        let environment = FEELEnvironment(now: now)
        if let condition = configuration.condition {
            do {
                guard try condition.matches(scope, environment: environment) else { return .unmatched }
            } catch {
                return .failed(.expression(ExpressionFailure(role: .activationCondition, source: condition.source, error)))
            }
        }
        let output: FEELValue
        do {
            output = try mapOutput(object: object, scope: scope, environment: environment)
        } catch {
            let source = configuration.resultExpression?.source ?? ""
            return .failed(.expression(ExpressionFailure(role: .resultExpression, source: source, error)))
        }
        let ref = reference(message, queue)
        let acknowledgement = Acknowledgement(
            onDelete: { batcher.add(receiptHandle: message.receiptHandle, message: ref) },
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
    func process(_ message: SQSMessage, handler: @escaping Handler, queue: QueueInfo, batcher: AckBatcher) async -> Bool {
        defer { state.finish(message, concurrency: configuration.concurrency) }
        switch prepare(message, queue: queue, batcher: batcher) {
        case .unmatched:
            unmatched(message, queue: queue, batcher: batcher)
            return true
        case .failed(let cause):
            await failedBeforeHandling(message, cause: cause, queue: queue)
            return false
        case .matched(let consumerMessage):
            let started = ContinuousClock.now
            let outcome = await runHandler(timeout: configuration.handlerTimeout, state: state) {
                try await handler(consumerMessage)
            }
            let duration = ContinuousClock.now - started
            state.observeLatency(duration)
            let cause = outcome.cause(timeout: configuration.handlerTimeout)
            await settle(consumerMessage, failure: cause, duration: duration, queue: queue)
            return cause == nil
        }
    }

    /// Handles the messages of one receive with the batch handler.
    func processBatch(_ messages: [SQSMessage], handler: @escaping BatchHandler, queue: QueueInfo,
                      batcher: AckBatcher) async {
        var matched: [ConsumerMessage] = []
        for message in messages where state.start(message) {
            switch prepare(message, queue: queue, batcher: batcher) {
            case .unmatched:
                unmatched(message, queue: queue, batcher: batcher)
                state.finish(message, concurrency: configuration.concurrency)
            case .failed(let cause):
                await failedBeforeHandling(message, cause: cause, queue: queue)
                state.finish(message, concurrency: configuration.concurrency)
            case .matched(let consumerMessage):
                matched.append(consumerMessage)
            }
        }
        guard !matched.isEmpty else { return }
        let batch = matched
        let started = ContinuousClock.now
        let outcome = await runHandler(timeout: configuration.handlerTimeout, state: state) {
            try await handler(batch)
        }
        let duration = ContinuousClock.now - started
        state.observeLatency(duration)
        let failures = Self.batchFailures(outcome, batch: batch, timeout: configuration.handlerTimeout)
        for consumerMessage in batch {
            await settle(consumerMessage, failure: failures[consumerMessage.messageId], duration: duration, queue: queue)
            state.finish(consumerMessage.message, concurrency: configuration.concurrency)
        }
    }

    /// The cause of failure of each failed message of a batch. As Lambda does with
    /// `batchItemFailures`, a result naming a message that is not in the batch fails the
    /// whole batch: the handler's report cannot be trusted.
    static func batchFailures(_ outcome: HandlerOutcome<BatchResult>, batch: [ConsumerMessage],
                              timeout: Duration?) -> [String: FailureCause] {
        let ids = batch.map(\.messageId)
        switch outcome {
        case .success(let result):
            let unknown = result.failedMessageIds.subtracting(ids)
            if !unknown.isEmpty {
                let cause = FailureCause.handler("the batch result names message ids not in the batch: \(unknown.sorted().joined(separator: ", "))")
                return Dictionary(uniqueKeysWithValues: ids.map { ($0, cause) })
            }
            return Dictionary(uniqueKeysWithValues: result.failedMessageIds.map { ($0, FailureCause.reportedByBatchHandler) })
        default:
            let cause = outcome.cause(timeout: timeout) ?? .cancelledAtShutdown
            return Dictionary(uniqueKeysWithValues: ids.map { ($0, cause) })
        }
    }

    private func unmatched(_ message: SQSMessage, queue: QueueInfo, batcher: AckBatcher) {
        state.count { $0.unmatched += 1 }
        let delete = configuration.onUnmatched == .delete
        let ref = reference(message, queue)
        if delete { batcher.add(receiptHandle: message.receiptHandle, message: ref) }
        reporter.report(.unmatched(ref, deleted: delete))
    }

    /// An expression failed: no handler ran, the failure policy applies (whatever the
    /// acknowledgement mode: the message was never handled).
    private func failedBeforeHandling(_ message: SQSMessage, cause: FailureCause, queue: QueueInfo) async {
        state.count { $0.failed += 1 }
        let next: FailureDisposition
        if let seconds = releaseDelay(receiveCount: message.receiveCountOrOne) {
            await changeVisibility([(message, seconds)], queueURL: queue.url)
            next = .released(delaySeconds: seconds)
        } else {
            next = .leftToTimeOut
        }
        reporter.report(.failed(MessageFailure(message: reference(message, queue), cause: cause, next: next)))
    }

    /// Counts the outcome, deletes or releases per the acknowledgement mode, and reports it.
    private func settle(_ message: ConsumerMessage, failure: FailureCause?, duration: Duration, queue: QueueInfo) async {
        let ref = reference(message.message, queue)
        guard let failure else {
            state.count { $0.processed += 1 }
            if configuration.acknowledgement != .manual { message.acknowledgement.delete() }
            reporter.report(.processed(ref, duration: duration))
            return
        }
        state.count { $0.failed += 1 }
        let next: FailureDisposition
        if configuration.acknowledgement == .always {
            next = message.acknowledgement.isSettled ? .settledByHandler : .deleted
            message.acknowledgement.delete()
        } else if message.acknowledgement.isSettled {
            next = .settledByHandler
        } else if let seconds = releaseDelay(receiveCount: message.receiveCount) {
            await message.acknowledgement.release(afterSeconds: seconds)
            next = .released(delaySeconds: seconds)
        } else {
            _ = message.acknowledgement.settle(.released(-1))
            next = .leftToTimeOut
        }
        reporter.report(.failed(MessageFailure(message: ref, cause: failure, next: next)))
    }

    /// The failure policy's visibility for this delivery, with the configured jitter: a delay d
    /// becomes a random value in d·(1 − jitter) … d, so messages that failed together (an
    /// outage) do not all return at the same second.
    func releaseDelay(receiveCount: Int) -> Int? {
        guard let seconds = configuration.onFailure.visibility(receiveCount: receiveCount) else { return nil }
        let jitter = min(max(configuration.failureJitter, 0), 1)
        guard seconds > 0, jitter > 0 else { return seconds }
        return Int((Double(seconds) * (1 - jitter * random())).rounded())
    }
}

extension ExpressionFailure {
    init(role: Role, source: String, _ error: FEELEvaluationError) {
        self.init(role: role, source: source, reason: "\(error.reason)", line: error.line, column: error.column)
    }
}
