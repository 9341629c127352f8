import Foundation
import SQSDigest
import SQSModel

// ReceiveMessage, DeleteMessage[Batch], ChangeMessageVisibility[Batch].
extension SQSEngine {
    static let maxVisibilitySeconds = SQSLimits.visibilityTimeout.upperBound

    public func receiveMessage(_ request: ReceiveMessageRequest, _ ctx: CallContext) async throws(SQSError) -> ReceiveMessageResponse {
        let queue = try await resolveQueue(request.QueueUrl, ctx, for: .receiveMessage)
        let limit = request.MaxNumberOfMessages ?? 1
        guard SQSLimits.receiveMaxNumberOfMessages.contains(limit) else {
            throw .invalidParameterValue(value: String(limit), parameter: "MaxNumberOfMessages",
                                         reason: "Must be between 1 and 10, if provided.")
        }
        if let wait = request.WaitTimeSeconds, !SQSLimits.receiveWaitTimeSeconds.contains(wait) {
            throw .invalidParameterValue(value: String(wait), parameter: "WaitTimeSeconds",
                                         reason: "Must be >= 0 and <= 20, if provided.")
        }
        if let visibility = request.VisibilityTimeout, !SQSLimits.visibilityTimeout.contains(visibility) {
            throw .invalidParameterValue(value: String(visibility), parameter: "VisibilityTimeout",
                                         reason: "Must be >= 0 and <= 43200, if provided.")
        }
        let fifo = queue.config.isFifo
        var attemptId: String?
        if fifo, let attempt = request.ReceiveRequestAttemptId {
            guard MessageRules.isValidFifoIdentifier(attempt) else {
                throw .invalidParameterValue(value: attempt, parameter: "ReceiveRequestAttemptId",
                                             reason: "ReceiveRequestAttemptId can only include alphanumeric and punctuation characters. 1 to 128 in length.")
            }
            attemptId = attempt
        }
        let wait = request.WaitTimeSeconds ?? queue.config.receiveWaitSeconds
        let deadline = clock.nowMillis() + Int64(wait) * 1000
        let view = ReceiveView(request, fifo: fifo)

        var parked = false
        while true {
            // Settings may change while we wait; the queue may even be deleted.
            guard let current = try await self.queue(queue.key), current.id == queue.id else {
                return ReceiveMessageResponse(Messages: [])
            }
            let generation = waiters.generation(of: queue.id)
            let now = clock.nowMillis()
            let config = current.config
            let visibility = request.VisibilityTimeout ?? config.visibilityTimeoutSeconds
            let claim = ReceiveClaim(
                limit: limit, nowMillis: now, invisibleUntilMillis: now + Int64(visibility) * 1000,
                expiredBeforeMillis: now - Int64(config.retentionSeconds) * 1000,
                order: receiveOrder(queue.id, fifo: fifo, nowMillis: now),
                deadLetter: try await deadLetterTarget(of: current), attemptId: attemptId,
                attemptValidAfterMillis: now - Self.receiveAttemptWindowMillis,
                maxInFlight: limits.maxInFlightMessages, nonce: identifiers.next())
            let outcome: ReceiveOutcome
            do {
                outcome = try await storage { try await store.receive(queueId: queue.id, claim) }
            } catch where parked && error.code == .queueDoesNotExist {
                // Deleted (through another node) while this receive waited: it ends empty.
                return ReceiveMessageResponse(Messages: [])
            }
            // At the in-flight limit a standard queue's short poll fails; long polls and FIFO
            // queues just find nothing (docs/sqs-behaviour.md#quotas).
            if outcome.atInFlightLimit { queuesAtInFlightLimit.withLock { _ = $0.insert(queue.id) } }
            if outcome.atInFlightLimit && wait == 0 && !fifo {
                throw .overLimit("The maximum number of in flight messages (\(limits.maxInFlightMessages)) has been reached for queue \(queue.key.name).")
            }
            if let group = outcome.lastGroup {
                fairCursors.withLock { $0[queue.id] = group }
            } else if case .fairByGroup = claim.order {
                ungroupedUntil.withLock { $0[queue.id] = now + Self.ungroupedHintMillis }
            }
            if outcome.movedToDeadLetter > 0, let target = claim.deadLetter {
                wake(target.queueId, count: outcome.movedToDeadLetter)
            }
            let claimed = outcome.claimed
            if !claimed.isEmpty || now >= deadline || Task.isCancelled {
                observer.received(current, count: claimed.count)
                if !claimed.isEmpty { activity.add(queue.id, ActivityCounts(received: Int64(claimed.count))) }
                return ReceiveMessageResponse(Messages: claimed.map { view.message($0, queueId: queue.id) })
            }
            // Sleep until a send or visibility change notifies us, or until the next hidden
            // message becomes visible, whichever comes first.
            let next: Int64?
            switch outcome.nextVisible {
            case .unknown: next = try await storage { try await store.nextVisibleTime(queueId: queue.id, after: now) }
            case .never: next = nil
            case .at(let millis): next = millis
            }
            await waiters.wait(queueId: queue.id, seenGeneration: generation,
                               deadlineMillis: min(deadline, next ?? deadline))
            // Shutting down: a waiting receive ends empty rather than claim messages the
            // client may never get to read before its connection closes.
            if waiters.isClosed { return ReceiveMessageResponse(Messages: []) }
            // The wait ran out, and nothing was sent to or made visible in the queue since the
            // look above (every such change bumps the generation: on this node directly, from
            // other nodes through the bus, and a bus that may have missed some wakes everyone),
            // nor was anything due to become visible by now: the answer is empty without a
            // second look. On a networked store that look is what 10,000 idle long polls
            // timing out together would queue up in front of every other request.
            if clock.nowMillis() >= deadline, waiters.generation(of: queue.id) == generation,
               next.map({ $0 > deadline }) ?? true {
                observer.received(current, count: 0)
                return ReceiveMessageResponse(Messages: [])
            }
            parked = true
        }
    }

    /// FIFO order; fair round robin over groups; or, while no groups were seen lately, plain
    /// send order.
    private func receiveOrder(_ queueId: Int64, fifo: Bool, nowMillis: Int64) -> ReceiveOrder {
        if fifo { return .fifo }
        if let until = ungroupedUntil.withLock({ $0[queueId] }), nowMillis < until { return .oldestFirst }
        return .fairByGroup(startAfter: fairCursors.withLock { $0[queueId] })
    }

    /// A FIFO receive attempt id replays within this window.
    static let receiveAttemptWindowMillis: Int64 = 5 * 60 * 1000

    public func deleteMessage(_ request: DeleteMessageRequest, _ ctx: CallContext) async throws(SQSError) -> EmptyResponse {
        let queue = try await resolveQueue(request.QueueUrl, ctx, for: .deleteMessage)
        let handle = try parseHandle(request.ReceiptHandle, queue: queue, allowPeeked: true)
        // A peek's handle deletes while no receive happened since the peek (the receive count
        // it carries is still the message's), in either kind of queue: `Int64.min` makes every
        // message count as hidden, so only the receive count decides (docs/console.md#peekmessages).
        let currentAt = handle.peeked ? Int64.min : fifoCurrentAt(queue)
        let outcome = try await storage {
            try await store.delete(queueId: queue.id, messages: [handle.reference], currentAt: currentAt)
        }
        if outcome[0] == .expired { throw .receiptHandleExpired(request.ReceiptHandle) }
        if outcome[0] == .deleted { deleted(from: queue, count: 1) }
        return EmptyResponse()
    }

    public func deleteMessageBatch(_ request: DeleteMessageBatchRequest, _ ctx: CallContext) async throws(SQSError) -> DeleteMessageBatchResponse {
        let queue = try await resolveQueue(request.QueueUrl, ctx, for: .deleteMessageBatch)
        let entries = request.Entries ?? []
        try BatchRules.validate(ids: entries.map(\.Id), entryName: "DeleteMessageBatchRequestEntry")
        var results = [Result<Void, SQSError>](repeating: .success(()), count: entries.count)
        var valid: [(index: Int, reference: HandleReference)] = []
        for (index, entry) in entries.enumerated() {
            do {
                valid.append((index, try parseHandle(entry.ReceiptHandle, queue: queue).reference))
            } catch {
                results[index] = .failure(error)
            }
        }
        if !valid.isEmpty {
            let outcomes = try await storage {
                try await store.delete(queueId: queue.id, messages: valid.map(\.reference), currentAt: fifoCurrentAt(queue))
            }
            for (item, outcome) in zip(valid, outcomes) where outcome == .expired {
                results[item.index] = .failure(.receiptHandleExpired(entries[item.index].ReceiptHandle))
            }
            let count = outcomes.filter { $0 == .deleted }.count
            if count > 0 { deleted(from: queue, count: count) }
        }
        return Self.batchResponse(ids: entries.map(\.Id), results)
    }

    /// Splits per-entry outcomes into a batch response's Successful and Failed lists.
    private static func batchResponse(ids: [String], _ results: [Result<Void, SQSError>]) -> BatchIdResponse {
        var successful: [BatchResultEntry] = []
        var failed: [BatchResultErrorEntry] = []
        for (id, result) in zip(ids, results) {
            switch result {
            case .success: successful.append(BatchResultEntry(Id: id))
            case .failure(let error): failed.append(BatchResultErrorEntry(Id: id, error: error))
            }
        }
        return BatchIdResponse(Successful: successful, Failed: failed)
    }

    /// A delete can make messages receivable: in a FIFO queue the next message of the group,
    /// and in a queue at the in-flight limit whatever the limit held back. Long polls there wake.
    private func deleted(from queue: StoredQueue, count: Int) {
        observer.deleted(queue, count: count)
        let wasAtLimit = queuesAtInFlightLimit.withLock { $0.remove(queue.id) != nil }
        if queue.config.isFifo || wasAtLimit { wake(queue.id) }
    }

    /// FIFO handles stop working when their receive is over; standard ones never do (docs/sqs-behaviour.md#visibility).
    private func fifoCurrentAt(_ queue: StoredQueue) -> Int64? {
        queue.config.isFifo ? clock.nowMillis() : nil
    }

    public func changeMessageVisibility(_ request: ChangeMessageVisibilityRequest, _ ctx: CallContext) async throws(SQSError) -> EmptyResponse {
        let queue = try await resolveQueue(request.QueueUrl, ctx, for: .changeMessageVisibility)
        let results = try await changeVisibility(
            queue, [(request.ReceiptHandle, Optional(request.VisibilityTimeout))])
        if case .failure(let error) = results[0] { throw error }
        return EmptyResponse()
    }

    public func changeMessageVisibilityBatch(_ request: ChangeMessageVisibilityBatchRequest, _ ctx: CallContext) async throws(SQSError) -> ChangeMessageVisibilityBatchResponse {
        let queue = try await resolveQueue(request.QueueUrl, ctx, for: .changeMessageVisibilityBatch)
        let entries = request.Entries ?? []
        try BatchRules.validate(ids: entries.map(\.Id), entryName: "ChangeMessageVisibilityBatchRequestEntry")
        let results = try await changeVisibility(queue, entries.map { ($0.ReceiptHandle, $0.VisibilityTimeout) })
        return Self.batchResponse(ids: entries.map(\.Id), results)
    }

    /// Validates and applies visibility changes in one store transaction; one result per input.
    private func changeVisibility(_ queue: StoredQueue, _ changes: [(handle: String, timeout: Int?)]) async throws(SQSError) -> [Result<Void, SQSError>] {
        let now = clock.nowMillis()
        var results = [Result<Void, SQSError>](repeating: .success(()), count: changes.count)
        var valid: [(index: Int, reference: HandleReference, visibleAtMillis: Int64)] = []
        for (index, change) in changes.enumerated() {
            do throws(SQSError) {
                let handle = try parseHandle(change.handle, queue: queue)
                guard let timeout = change.timeout else { throw .missingParameter("VisibilityTimeout") }
                guard SQSLimits.visibilityTimeout.contains(timeout) else {
                    throw .invalidParameterValue(value: String(timeout), parameter: "VisibilityTimeout",
                                                 reason: "Must be between 0 and 43200, if provided.")
                }
                valid.append((index, handle.reference, now + Int64(timeout) * 1000))
            } catch {
                results[index] = .failure(error)
            }
        }
        guard !valid.isEmpty else { return results }
        let outcomes = try await storage {
            try await store.changeVisibility(queueId: queue.id, changes: valid.map { ($0.reference, $0.visibleAtMillis) },
                                             nowMillis: now, maxInvisibleMillis: Int64(Self.maxVisibilitySeconds) * 1000,
                                             currentAt: fifoCurrentAt(queue))
        }
        var madeVisible = 0
        for (change, outcome) in zip(valid, outcomes) {
            let handle = changes[change.index].handle
            switch outcome {
            case .changed:
                if change.visibleAtMillis <= now { madeVisible += 1 }
            case .notFound:
                results[change.index] = .failure(.invalidParameterValue(
                    value: handle, parameter: "ReceiptHandle",
                    reason: "Message does not exist or is not available for visibility timeout change."))
            case .expired:
                results[change.index] = .failure(.receiptHandleExpired(handle))
            case .beyondLimit:
                let seconds = (change.visibleAtMillis - now) / 1000
                results[change.index] = .failure(.invalidParameterValue(
                    value: String(seconds), parameter: "VisibilityTimeout",
                    reason: "Total VisibilityTimeout for the message is beyond the limit [43200 seconds]"))
            }
        }
        if madeVisible > 0 { wake(queue.id, count: madeVisible) }
        return results
    }

    /// A handle this server issued for this queue; anything else is `ReceiptHandleIsInvalid`. A
    /// peek's handle is one only where `allowPeeked` (DeleteMessage): it names no receive, so it
    /// has no visibility to change and no place in a batch.
    private func parseHandle(_ encoded: String, queue: StoredQueue, allowPeeked: Bool = false) throws(SQSError) -> ReceiptHandle {
        guard let handle = ReceiptHandle(encoded: encoded), handle.queueId == queue.id,
              allowPeeked || !handle.peeked else {
            throw .receiptHandleIsInvalid(encoded)
        }
        return handle
    }
}

/// Which attributes a receive returns, and the rendering of claimed messages
/// (docs/sqs-behaviour.md#system-attributes, #attribute-selection).
struct ReceiveView {
    let systemNames: Set<String>
    let allSystem: Bool
    let attributeFilters: [String]
    /// The filters select every attribute: the digest computed on send is the one to return.
    let allAttributes: Bool

    let fifo: Bool

    init(_ request: ReceiveMessageRequest, fifo: Bool) {
        self.fifo = fifo
        systemNames = Set((request.AttributeNames ?? []) + (request.MessageSystemAttributeNames ?? []))
        allSystem = systemNames.contains("All")
        attributeFilters = request.MessageAttributeNames ?? []
        allAttributes = attributeFilters.contains { $0 == "All" || $0 == "*" || $0 == ".*" }
    }

    func message(_ claimed: ClaimedMessage, queueId: Int64) -> Message {
        var system: [String: String] = [:]
        func add(_ name: String, _ value: String?) {
            if let value, allSystem || systemNames.contains(name) { system[name] = value }
        }
        let record = claimed.record
        add("SenderId", record.senderId)
        add("SentTimestamp", String(record.sentAtMillis))
        add("ApproximateReceiveCount", String(claimed.receiveCount))
        add("ApproximateFirstReceiveTimestamp", String(claimed.firstReceiveAtMillis))
        add("AWSTraceHeader", record.traceHeader)
        add("MessageGroupId", record.groupId)
        add("DeadLetterQueueSourceArn", record.deadLetterSourceArn)
        if fifo {
            add("SequenceNumber", SQSEngine.sequenceNumber(claimed.seq))
            add("MessageDeduplicationId", record.deduplicationId)
        }

        var attributes: MessageAttributes = [:]
        var storedCount = 0
        if !attributeFilters.isEmpty, let json = record.attributesJSON,
           let stored = try? StoredAttributes.decoder.decode(MessageAttributes.self, from: json) {
            storedCount = stored.count
            attributes = allAttributes ? stored : stored.filter { wants($0.key) }
        }
        let handle = ReceiptHandle(queueId: queueId, seq: claimed.seq, receiveCount: claimed.receiveCount,
                                   nonce: claimed.nonce)
        return Message(MessageId: record.messageId, ReceiptHandle: handle.encoded(), MD5OfBody: record.md5OfBody,
                       Body: record.body, Attributes: system.isEmpty ? nil : system,
                       MD5OfMessageAttributes: !attributes.isEmpty && attributes.count == storedCount
                           ? record.md5OfAttributes ?? MessageDigest.md5(ofAttributes: attributes)
                           : MessageDigest.md5(ofAttributes: attributes),
                       MessageAttributes: attributes.isEmpty ? nil : attributes)
    }

    /// `All`, `*`, `.*`, exact names and `prefix.*` filters; anything else matches nothing.
    private func wants(_ name: String) -> Bool {
        attributeFilters.contains { filter in
            if filter == "All" || filter == "*" || filter == ".*" { return true }
            // `C.*` matches City and Count: the prefix is what precedes `.*`
            // (docs/sqs-behaviour.md#attribute-selection).
            if filter.hasSuffix(".*") { return name.hasPrefix(String(filter.dropLast(2))) }
            return filter == name
        }
    }
}
