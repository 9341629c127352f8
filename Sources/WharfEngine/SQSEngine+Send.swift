import Foundation
import SQSDigest
import SQSModel

// SendMessage and SendMessageBatch.
extension SQSEngine {
    public func sendMessage(_ request: SendMessageRequest, _ ctx: CallContext) async throws(SQSError) -> SendMessageResponse {
        let queue = try await resolveQueue(request.QueueUrl, ctx, for: .sendMessage)
        try admitGrowingWrite()
        let now = clock.nowMillis()
        let (message, response, size) = try prepare(
            SendMessageBatchRequestEntry(Id: "-", MessageBody: request.MessageBody, DelaySeconds: request.DelaySeconds,
                                         MessageAttributes: request.MessageAttributes,
                                         MessageSystemAttributes: request.MessageSystemAttributes,
                                         MessageDeduplicationId: request.MessageDeduplicationId,
                                         MessageGroupId: request.MessageGroupId),
            queue: queue, ctx: ctx, nowMillis: now, inBatch: false)
        let outcomes = try await storage { try await store.send(queueId: queue.id, messages: [message], nowMillis: now) }
        if request.MessageGroupId != nil { noteGroups(queue) }
        if case .stored = outcomes[0] {
            observer.sent(queue, sizes: [size], deduplicated: 0)
            activity.add(queue.id, ActivityCounts(sent: 1))
        } else {
            observer.sent(queue, sizes: [], deduplicated: 1)
        }
        // A delayed message wakes a waiter too: it re-arms its timer for the delay's end.
        if case .stored = outcomes[0] { wake(queue.id, count: 1) }
        return Self.finish(response, outcomes[0], fifo: queue.config.isFifo)
    }

    /// A standard queue now has grouped messages: its receives go back to the fair round robin.
    private func noteGroups(_ queue: StoredQueue) {
        if !queue.config.isFifo { _ = ungroupedUntil.withLock { $0.removeValue(forKey: queue.id) } }
    }

    /// Fills in what only the store knows: a FIFO message's sequence number, and for a
    /// duplicate the id of the message it duplicates.
    private static func finish(_ response: SendMessageResponse, _ outcome: SendOutcome, fifo: Bool) -> SendMessageResponse {
        guard fifo else { return response }
        var response = response
        response.SequenceNumber = sequenceNumber(outcome.seq)
        if case .duplicate(let messageId, _) = outcome { response.MessageId = messageId }
        return response
    }

    /// FIFO sequence numbers: the store's sequence, zero-padded to AWS's 20 digits, so they also
    /// sort as strings.
    static func sequenceNumber(_ seq: Int64) -> String {
        let digits = String(seq)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }

    /// How long a FIFO deduplication id holds.
    static let deduplicationWindowMillis: Int64 = 5 * 60 * 1000

    public func sendMessageBatch(_ request: SendMessageBatchRequest, _ ctx: CallContext) async throws(SQSError) -> SendMessageBatchResponse {
        let queue = try await resolveQueue(request.QueueUrl, ctx, for: .sendMessageBatch)
        try admitGrowingWrite()
        let entries = request.Entries ?? []
        try BatchRules.validate(ids: entries.map(\.Id), entryName: "SendMessageBatchRequestEntry")
        let config = queue.config
        if config.isFifo {
            // In a FIFO batch these fail the whole request (docs/sqs-behaviour.md#batches).
            if entries.contains(where: { $0.MessageGroupId == nil }) {
                throw .invalidParameterValue("The request must contain the parameter MessageGroupId.")
            }
            if !config.contentBasedDeduplication && entries.contains(where: { $0.MessageDeduplicationId == nil }) {
                throw .invalidParameterValue(
                    "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly")
            }
        }
        try BatchRules.validateSize(entries)

        let now = clock.nowMillis()
        var accepted: [(id: String, message: NewMessage, response: SendMessageResponse, size: Int)] = []
        var failed: [BatchResultErrorEntry] = []
        for entry in entries {
            do {
                let (message, response, size) = try prepare(entry, queue: queue, ctx: ctx, nowMillis: now, inBatch: true)
                accepted.append((entry.Id, message, response, size))
            } catch {
                failed.append(BatchResultErrorEntry(Id: entry.Id, error: error))
            }
        }
        var successful: [SendMessageBatchResultEntry] = []
        if !accepted.isEmpty {
            // One transaction, one fsync for the whole batch.
            let outcomes = try await storage {
                try await store.send(queueId: queue.id, messages: accepted.map(\.message), nowMillis: now)
            }
            if accepted.contains(where: { $0.message.record.groupId != nil }) { noteGroups(queue) }
            let sizes = zip(accepted, outcomes).compactMap { entry, outcome -> Int? in
                if case .stored = outcome { entry.size } else { nil }
            }
            observer.sent(queue, sizes: sizes, deduplicated: accepted.count - sizes.count)
            activity.add(queue.id, ActivityCounts(sent: Int64(sizes.count)))
            let stored = outcomes.filter { if case .stored = $0 { true } else { false } }.count
            if stored > 0 { wake(queue.id, count: stored) }
            successful = zip(accepted, outcomes).map { entry, outcome in
                SendMessageBatchResultEntry(Id: entry.id, result: Self.finish(entry.response, outcome, fifo: config.isFifo))
            }
        }
        return SendMessageBatchResponse(Successful: successful, Failed: failed)
    }

    /// Validates one message and builds what the store writes, what the caller is told, and the
    /// message's size as SQS counts it.
    private func prepare(_ entry: SendMessageBatchRequestEntry, queue: StoredQueue, ctx: CallContext,
                         nowMillis now: Int64, inBatch: Bool) throws(SQSError) -> (NewMessage, SendMessageResponse, Int) {
        let config = queue.config
        let body = entry.MessageBody
        try MessageRules.validateBody(body)
        // FIFO queues take only the queue's delay; an explicit 0 means "the queue's"
        // (docs/sqs-behaviour.md#numeric-parameters).
        if config.isFifo, let delay = entry.DelaySeconds, delay != 0 {
            throw .invalidParameterValue(value: String(delay), parameter: "DelaySeconds",
                                         reason: "The request include parameter that is not valid for this queue type.")
        }
        let attributes = entry.MessageAttributes ?? [:]
        let size = try MessageRules.validateMessage(body: body, delaySeconds: entry.DelaySeconds, attributes: attributes,
                                                    maximumSize: config.maximumMessageSize, inBatch: inBatch)
        let systemAttributes = entry.MessageSystemAttributes ?? [:]
        for (name, value) in systemAttributes {
            guard name == "AWSTraceHeader" else {
                throw .invalidParameterValue("Message system attribute name '\(name)' is invalid.")
            }
            guard value.DataType == "String", let trace = value.StringValue, !trace.isEmpty else {
                throw .invalidParameterValue("Message system attribute 'AWSTraceHeader' must contain a non-empty value of type 'String'.")
            }
        }
        if let groupId = entry.MessageGroupId, !MessageRules.isValidFifoIdentifier(groupId) {
            throw .invalidParameterValue(value: groupId, parameter: "MessageGroupId",
                                         reason: "MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.")
        }
        let deduplication = try fifoDeduplication(entry, config: config, nowMillis: now)

        let md5OfBody = MessageDigest.md5(ofBody: body)
        let md5OfAttributes = MessageDigest.md5(ofAttributes: attributes)
        let md5OfSystem = MessageDigest.md5(ofAttributes: systemAttributes)
        let messageId = identifiers.uuid()
        // On a FIFO queue an explicit 0 means the queue's delay too (only 0 gets this far).
        let delay = config.isFifo ? config.delaySeconds : entry.DelaySeconds ?? config.delaySeconds
        let attributesJSON: Data? = attributes.isEmpty ? nil : try? StoredAttributes.encoder.encode(attributes)
        let record = MessageRecord(
            messageId: messageId, body: body, md5OfBody: md5OfBody, attributesJSON: attributesJSON,
            md5OfAttributes: md5OfAttributes, traceHeader: systemAttributes["AWSTraceHeader"]?.StringValue ?? ctx.traceHeader,
            senderId: ctx.senderId, groupId: entry.MessageGroupId, deduplicationId: deduplication?.id, sentAtMillis: now)
        let message = NewMessage(record: record, visibleAtMillis: now + Int64(delay) * 1000, deduplication: deduplication)
        let response = SendMessageResponse(MD5OfMessageBody: md5OfBody, MD5OfMessageAttributes: md5OfAttributes,
                                           MD5OfMessageSystemAttributes: md5OfSystem, MessageId: messageId)
        return (message, response, size)
    }
}

extension SQSEngine {
    /// The FIFO deduplication key of a message, or nil on a standard queue (where a
    /// deduplication id is refused). Content-based ids are the SHA-256 of the body alone.
    fileprivate func fifoDeduplication(_ entry: SendMessageBatchRequestEntry, config: QueueConfig,
                                       nowMillis: Int64) throws(SQSError) -> DeduplicationKey? {
        guard config.isFifo else {
            if let dedupId = entry.MessageDeduplicationId {
                throw .invalidParameterValue(value: dedupId, parameter: "MessageDeduplicationId",
                                             reason: "The request includes a parameter that is not valid for this queue type.")
            }
            return nil
        }
        guard let groupId = entry.MessageGroupId else { throw .missingParameter("MessageGroupId") }
        let id: String
        if let explicit = entry.MessageDeduplicationId {
            guard MessageRules.isValidFifoIdentifier(explicit) else {
                throw .invalidParameterValue(value: explicit, parameter: "MessageDeduplicationId",
                                             reason: "MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.")
            }
            id = explicit
        } else if config.contentBasedDeduplication {
            id = MessageDigest.sha256(ofBody: entry.MessageBody)
        } else {
            throw .invalidParameterValue(
                "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly")
        }
        return DeduplicationKey(scope: config.deduplicatesPerGroup ? groupId : "", id: id,
                                expiresAtMillis: nowMillis + Self.deduplicationWindowMillis)
    }
}
