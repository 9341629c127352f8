/// The name of a queue attribute, as `createQueue`, `setQueueAttributes` and `queueAttributes`
/// key their dictionaries.
///
/// A struct over the wire name rather than a closed enum: servers return attributes this
/// client does not know (AWS adds some every year), and they must not be lost. Deliberately
/// not `ExpressibleByStringLiteral`, so that a typo is a compile error; write
/// `QueueAttributeName(rawValue: "NewAttribute")` for a name without a constant.
///
/// ```swift
/// let queueURL = try await sqs.createQueue(named: "jobs", attributes: [.visibilityTimeout: "60"])
/// let attributes = try await sqs.queueAttributes(of: queueURL, names: [.queueARN, .approximateNumberOfMessages])
/// print(attributes[.queueARN] ?? "?", attributes[.approximateNumberOfMessages] ?? "0")
/// ```
public struct QueueAttributeName: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The name as SQS spells it (`VisibilityTimeout`).
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

extension QueueAttributeName {
    /// Every attribute: only meaningful in `queueAttributes(of:names:)`.
    public static let all = Self(rawValue: "All")

    // Settable on every queue.
    public static let delaySeconds = Self(rawValue: "DelaySeconds")
    public static let maximumMessageSize = Self(rawValue: "MaximumMessageSize")
    public static let messageRetentionPeriod = Self(rawValue: "MessageRetentionPeriod")
    public static let policy = Self(rawValue: "Policy")
    public static let receiveMessageWaitTimeSeconds = Self(rawValue: "ReceiveMessageWaitTimeSeconds")
    public static let visibilityTimeout = Self(rawValue: "VisibilityTimeout")
    public static let redrivePolicy = Self(rawValue: "RedrivePolicy")
    public static let redriveAllowPolicy = Self(rawValue: "RedriveAllowPolicy")
    public static let kmsMasterKeyId = Self(rawValue: "KmsMasterKeyId")
    public static let kmsDataKeyReusePeriodSeconds = Self(rawValue: "KmsDataKeyReusePeriodSeconds")
    public static let sqsManagedSseEnabled = Self(rawValue: "SqsManagedSseEnabled")

    // FIFO queues.
    public static let fifoQueue = Self(rawValue: "FifoQueue")
    public static let contentBasedDeduplication = Self(rawValue: "ContentBasedDeduplication")
    public static let deduplicationScope = Self(rawValue: "DeduplicationScope")
    public static let fifoThroughputLimit = Self(rawValue: "FifoThroughputLimit")

    // Read-only.
    public static let queueARN = Self(rawValue: "QueueArn")
    public static let approximateNumberOfMessages = Self(rawValue: "ApproximateNumberOfMessages")
    public static let approximateNumberOfMessagesNotVisible = Self(rawValue: "ApproximateNumberOfMessagesNotVisible")
    public static let approximateNumberOfMessagesDelayed = Self(rawValue: "ApproximateNumberOfMessagesDelayed")
    public static let createdTimestamp = Self(rawValue: "CreatedTimestamp")
    public static let lastModifiedTimestamp = Self(rawValue: "LastModifiedTimestamp")
}
