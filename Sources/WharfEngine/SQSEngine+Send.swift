import Foundation
import SQSModel

// SendMessage and SendMessageBatch.
extension SQSEngine {
    public func sendMessage(_ request: SendMessageRequest, _ ctx: CallContext) async throws(SQSError) -> SendMessageResponse {
        let queue = try resolveQueue(request.QueueUrl, ctx, for: .sendMessage)
        let now = clock.nowMillis()
        let (message, response) = try prepare(
            SendMessageBatchRequestEntry(Id: "-", MessageBody: request.MessageBody, DelaySeconds: request.DelaySeconds,
                                         MessageAttributes: request.MessageAttributes,
                                         MessageSystemAttributes: request.MessageSystemAttributes,
                                         MessageDeduplicationId: request.MessageDeduplicationId,
                                         MessageGroupId: request.MessageGroupId),
            queue: queue, ctx: ctx, nowMillis: now, inBatch: false)
        try await storage { try await store.send(queueId: queue.id, messages: [message]) }
        // A delayed message wakes a waiter too: it re-arms its timer for the delay's end.
        waiters.notify(queueId: queue.id, count: 1)
        return response
    }

    public func sendMessageBatch(_ request: SendMessageBatchRequest, _ ctx: CallContext) async throws(SQSError) -> SendMessageBatchResponse {
        let queue = try resolveQueue(request.QueueUrl, ctx, for: .sendMessageBatch)
        let entries = request.Entries ?? []
        try BatchRules.validate(ids: entries.map(\.Id), entryName: "SendMessageBatchRequestEntry")
        let total = entries.reduce(0) { $0 + MessageRules.size(body: $1.MessageBody, attributes: $1.MessageAttributes) }
        if total > MessageRules.batchLimitBytes { throw .batchRequestTooLong(size: total) }

        let now = clock.nowMillis()
        var accepted: [(id: String, message: NewMessage, response: SendMessageResponse)] = []
        var failed: [BatchResultErrorEntry] = []
        for entry in entries {
            do {
                let (message, response) = try prepare(entry, queue: queue, ctx: ctx, nowMillis: now, inBatch: true)
                accepted.append((entry.Id, message, response))
            } catch {
                failed.append(BatchResultErrorEntry(Id: entry.Id, error: error))
            }
        }
        if !accepted.isEmpty {
            // One transaction, one fsync for the whole batch.
            try await storage { try await store.send(queueId: queue.id, messages: accepted.map(\.message)) }
            waiters.notify(queueId: queue.id, count: accepted.count)
        }
        return SendMessageBatchResponse(
            Successful: accepted.map { SendMessageBatchResultEntry(Id: $0.id, result: $0.response) },
            Failed: failed)
    }

    /// Validates one message and builds what the store writes and what the caller is told.
    private func prepare(_ entry: SendMessageBatchRequestEntry, queue: StoredQueue, ctx: CallContext,
                         nowMillis now: Int64, inBatch: Bool) throws(SQSError) -> (NewMessage, SendMessageResponse) {
        let config = queue.config
        let body = entry.MessageBody
        if body.isEmpty { throw .missingParameter("MessageBody") }
        if let delay = entry.DelaySeconds, !(0...900).contains(delay) {
            throw .invalidParameterValue(value: String(delay), parameter: "DelaySeconds",
                                         reason: "DelaySeconds must be >= 0 and <= 900.")
        }
        guard MessageRules.hasOnlyValidCharacters(body) else { throw .invalidMessageContents() }
        let attributes = entry.MessageAttributes ?? [:]
        try MessageRules.validateAttributes(attributes)
        let size = MessageRules.size(body: body, attributes: attributes)
        if size > config.maximumMessageSize {
            let lead = inBatch ? "One or more parameters cannot be validated." : "One or more parameters are invalid."
            throw .invalidParameterValue("\(lead) Reason: Message must be shorter than \(config.maximumMessageSize) bytes.")
        }
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
        if let dedupId = entry.MessageDeduplicationId {
            throw .invalidParameterValue(value: dedupId, parameter: "MessageDeduplicationId",
                                         reason: "The request includes a parameter that is not valid for this queue type.")
        }

        let md5OfBody = MessageDigest.md5(ofBody: body)
        let md5OfAttributes = MessageDigest.md5(ofAttributes: attributes)
        let md5OfSystem = MessageDigest.md5(ofAttributes: systemAttributes)
        let messageId = UUID().uuidString.lowercased()
        let delay = entry.DelaySeconds ?? config.delaySeconds
        let attributesJSON: Data? = attributes.isEmpty ? nil : try? JSONEncoder().encode(attributes)
        let record = MessageRecord(
            messageId: messageId, body: body, md5OfBody: md5OfBody, attributesJSON: attributesJSON,
            traceHeader: systemAttributes["AWSTraceHeader"]?.StringValue ?? ctx.traceHeader,
            senderId: ctx.senderId, groupId: entry.MessageGroupId, sentAtMillis: now)
        let message = NewMessage(record: record, visibleAtMillis: now + Int64(delay) * 1000)
        let response = SendMessageResponse(MD5OfMessageBody: md5OfBody, MD5OfMessageAttributes: md5OfAttributes,
                                           MD5OfMessageSystemAttributes: md5OfSystem, MessageId: messageId)
        return (message, response)
    }
}

/// Request-level checks shared by the three batch operations (sqs-api.md §6.2).
enum BatchRules {
    static let maxEntries = 10

    static func validate(ids: [String], entryName: String) throws(SQSError) {
        if ids.isEmpty { throw .emptyBatchRequest(entryName: entryName) }
        if ids.count > maxEntries { throw .tooManyEntriesInBatchRequest(count: ids.count) }
        var seen = Set<String>()
        for id in ids {
            guard MessageRules.isValidBatchEntryId(id) else { throw .invalidBatchEntryId() }
            // Valid ids are ASCII, so String equality is byte equality here.
            guard seen.insert(id).inserted else {
                throw .batchEntryIdsNotDistinct(id: id)
            }
        }
    }
}
