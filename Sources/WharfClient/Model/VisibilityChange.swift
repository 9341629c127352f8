/// A new visibility timeout for one received message, for `changeMessageVisibilities(_:in:)`.
///
/// ```swift
/// // Give the first message another minute and release the second at once.
/// let changes = [VisibilityChange(receiptHandle: first.receiptHandle, visibilityTimeout: 60),
///                VisibilityChange(receiptHandle: second.receiptHandle, visibilityTimeout: 0)]
/// let outcome = try await sqs.changeMessageVisibilities(changes, in: queueURL)
/// ```
public struct VisibilityChange: Sendable, Hashable {
    public var receiptHandle: String
    /// Seconds (0...43200) from now until the message is visible again; 0 releases it.
    public var visibilityTimeout: Int

    public init(receiptHandle: String, visibilityTimeout: Int) {
        self.receiptHandle = receiptHandle
        self.visibilityTimeout = visibilityTimeout
    }
}
