/// The numbers of SQS's limits (docs/sqs-behaviour.md#limits), for the server's checks and the
/// client's pre-checks alike. What is counted against the size limits is `MessageSize`'s.
package enum SQSLimits {
    /// The largest `MaximumMessageSize` a queue may have, and a new queue's (1 MiB since 2025,
    /// 256 KiB before; docs/sqs-behaviour.md#queue-attributes). A message may be exactly this size.
    package static let maximumMessageSize = 1_048_576
    /// The smallest `MaximumMessageSize` a queue may have.
    package static let minimumMessageSizeLimit = 1_024
    /// What the messages of one SendMessageBatch may add up to, whatever the queue's limit
    /// (docs/sqs-behaviour.md#batches).
    package static let maximumBatchSize = 1_048_576
    /// Entries of one batch request.
    package static let maximumBatchEntries = 10
    /// Characters of a batch entry id (`[A-Za-z0-9_-]`).
    package static let batchEntryIdLength = 1...80
    /// Message attributes of one message (docs/sqs-behaviour.md#message-attributes).
    package static let maximumMessageAttributes = 10
    /// UTF-8 bytes of a message attribute's name, and of its DataType.
    package static let maximumAttributeNameLength = 256
    package static let maximumDataTypeLength = 256
    /// Characters of a MessageGroupId, MessageDeduplicationId or ReceiveRequestAttemptId.
    package static let fifoIdentifierLength = 1...128
    /// A message's own DelaySeconds (docs/sqs-behaviour.md#numeric-parameters).
    package static let delaySeconds = 0...900
    /// ReceiveMessage's MaxNumberOfMessages and WaitTimeSeconds.
    package static let receiveMaxNumberOfMessages = 1...10
    package static let receiveWaitTimeSeconds = 0...20
    /// A visibility timeout: on a receive, a change, or as the queue's attribute.
    package static let visibilityTimeout = 0...43_200
}
