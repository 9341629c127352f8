/// The name of a message system attribute: what SQS records about a message (`SentTimestamp`,
/// `ApproximateReceiveCount`, `MessageGroupId` …), asked for on receive and found in
/// `SQSMessage.attributes`.
///
/// Open like `QueueAttributeName`, for the same reasons: a struct over the wire name, with a
/// constant for each name SQS documents.
///
/// ```swift
/// let messages = try await sqs.receiveMessages(from: queueURL, systemAttributeNames: [.sentTimestamp, .approximateReceiveCount])
/// for message in messages {
///     print(message.attributes[.sentTimestamp] ?? "?", message.receiveCount ?? 1)
/// }
/// ```
public struct MessageSystemAttributeName: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The name as SQS spells it (`ApproximateReceiveCount`).
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

extension MessageSystemAttributeName {
    /// Every system attribute: only meaningful in `receiveMessages(from:…systemAttributeNames:)`.
    public static let all = Self(rawValue: "All")

    public static let approximateReceiveCount = Self(rawValue: "ApproximateReceiveCount")
    public static let approximateFirstReceiveTimestamp = Self(rawValue: "ApproximateFirstReceiveTimestamp")
    public static let sentTimestamp = Self(rawValue: "SentTimestamp")
    public static let senderId = Self(rawValue: "SenderId")
    public static let awsTraceHeader = Self(rawValue: "AWSTraceHeader")
    public static let deadLetterQueueSourceARN = Self(rawValue: "DeadLetterQueueSourceArn")

    // FIFO queues.
    public static let messageGroupId = Self(rawValue: "MessageGroupId")
    public static let messageDeduplicationId = Self(rawValue: "MessageDeduplicationId")
    public static let sequenceNumber = Self(rawValue: "SequenceNumber")
}
