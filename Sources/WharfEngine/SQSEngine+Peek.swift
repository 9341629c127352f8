import Foundation
import SQSDigest
import SQSModel

// PeekMessages, Wharf's extension (docs/console.md#peekmessages): what a receive would hand out,
// read without receiving it.
extension SQSEngine {
    /// Peeks return at most this many messages per call: a console page, read in one index range.
    public static let maxPeekMessages = 100

    public func peekMessages(_ request: PeekMessagesRequest, _ ctx: CallContext) async throws(SQSError) -> PeekMessagesResponse {
        // Authorized as ReceiveMessage (`SQSOperation.policyAction`): it reads the same messages.
        let queue = try await resolveQueue(request.QueueUrl, ctx, for: .peekMessages)
        let limit = request.MaxNumberOfMessages ?? 10
        guard (1...Self.maxPeekMessages).contains(limit) else {
            throw .invalidParameterValue(value: String(limit), parameter: "MaxNumberOfMessages",
                                         reason: "Must be between 1 and \(Self.maxPeekMessages), if provided.")
        }
        var cursor: PeekCursor?
        if let token = request.NextToken {
            guard let parsed = Self.peekCursor(token) else {
                throw .invalidParameterValue(value: token, parameter: "NextToken", reason: "Invalid NextToken.")
            }
            cursor = parsed
        }
        let now = clock.nowMillis()
        let retentionCutoff = now - Int64(queue.config.retentionSeconds) * 1000
        // One more than asked tells whether a next page exists without a second query.
        let found = try await storage {
            try await store.peek(queueId: queue.id, after: cursor, sentAfterMillis: retentionCutoff, limit: limit + 1)
        }
        let page = found.prefix(limit)
        let fifo = queue.config.isFifo
        let messages = page.map { Self.peekedMessage($0, queueId: queue.id, fifo: fifo, nowMillis: now) }
        let next = found.count > limit ? page.last.map { Self.peekToken(PeekCursor(sentAtMillis: $0.record.sentAtMillis, seq: $0.seq)) } : nil
        return PeekMessagesResponse(Messages: messages, NextToken: next)
    }

    /// ReceiveMessage's rendering with every attribute, the receive state as it is (no first
    /// receive timestamp before the first receive) and Wharf's `WharfState`.
    static func peekedMessage(_ peeked: PeekedMessage, queueId: Int64, fifo: Bool, nowMillis: Int64) -> Message {
        let record = peeked.record
        var system: [String: String] = [
            "SenderId": record.senderId,
            "SentTimestamp": String(record.sentAtMillis),
            "ApproximateReceiveCount": String(peeked.receiveCount),
            "WharfState": peeked.visibleAtMillis <= nowMillis ? "visible" : peeked.receiveCount > 0 ? "inFlight" : "delayed",
        ]
        system["ApproximateFirstReceiveTimestamp"] = peeked.firstReceiveAtMillis.map { String($0) }
        system["AWSTraceHeader"] = record.traceHeader
        system["MessageGroupId"] = record.groupId
        system["DeadLetterQueueSourceArn"] = record.deadLetterSourceArn
        if fifo {
            system["SequenceNumber"] = sequenceNumber(peeked.seq)
            system["MessageDeduplicationId"] = record.deduplicationId
        }
        var attributes: MessageAttributes = [:]
        if let json = record.attributesJSON,
           let stored = try? StoredAttributes.decoder.decode(MessageAttributes.self, from: json) {
            attributes = stored
        }
        let handle = ReceiptHandle(queueId: queueId, seq: peeked.seq, receiveCount: peeked.receiveCount, peeked: true)
        return Message(MessageId: record.messageId, ReceiptHandle: handle.encoded(), MD5OfBody: record.md5OfBody,
                       Body: record.body, Attributes: system,
                       MD5OfMessageAttributes: attributes.isEmpty
                           ? nil : record.md5OfAttributes ?? MessageDigest.md5(ofAttributes: attributes),
                       MessageAttributes: attributes.isEmpty ? nil : attributes)
    }

    /// `p1:<sent at>:<seq>` in base64: opaque to callers, like SQS's own tokens.
    static func peekToken(_ cursor: PeekCursor) -> String {
        Data("p1:\(cursor.sentAtMillis):\(cursor.seq)".utf8).base64EncodedString()
    }

    static func peekCursor(_ token: String) -> PeekCursor? {
        guard token.utf8.count <= 256, let data = Data(base64Encoded: token),
              let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "p1", let sentAt = Int64(parts[1]), let seq = Int64(parts[2]) else { return nil }
        return PeekCursor(sentAtMillis: sentAt, seq: seq)
    }
}
