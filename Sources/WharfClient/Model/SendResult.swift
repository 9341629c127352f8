/// What SQS answers for a message it accepted: its id (and, on FIFO queues, its sequence
/// number) and the digests of what it stored, which the client has compared with what it sent.
///
/// ```swift
/// let sent = try await sqs.sendMessage("hello", to: queueURL)
/// print("sent \(sent.messageId)")
/// let fifo = try await sqs.sendMessage("step 1", to: fifoQueueURL, groupId: "job-9", deduplicationId: "job-9-1")
/// print(fifo.sequenceNumber ?? "-")
/// ```
public struct SendResult: Sendable, Hashable {
    public var messageId: String
    /// FIFO queues: the message's place in its group, a large decimal number as text.
    public var sequenceNumber: String?
    /// The MD5 of the body SQS stored.
    public var md5OfBody: String
    /// The MD5 of the message attributes; nil when there were none.
    public var md5OfMessageAttributes: String?
    /// The MD5 of the system attributes; nil when there were none.
    public var md5OfMessageSystemAttributes: String?

    public init(messageId: String, sequenceNumber: String? = nil, md5OfBody: String,
                md5OfMessageAttributes: String? = nil, md5OfMessageSystemAttributes: String? = nil) {
        self.messageId = messageId
        self.sequenceNumber = sequenceNumber
        self.md5OfBody = md5OfBody
        self.md5OfMessageAttributes = md5OfMessageAttributes
        self.md5OfMessageSystemAttributes = md5OfMessageSystemAttributes
    }
}
