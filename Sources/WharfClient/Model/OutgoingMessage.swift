/// A message to send, with everything SendMessage takes besides the queue: for
/// `sendMessages(_:to:)` (any number, in batches) and `sendMessage(_:to:)`.
///
/// ```swift
/// let orders = [OutgoingMessage(body: #"{"order": 1}"#, groupId: "customer-7"),
///               OutgoingMessage(body: #"{"order": 2}"#, groupId: "customer-7",
///                               messageAttributes: ["source": "web"])]
/// let outcome = try await sqs.sendMessages(orders, to: fifoQueueURL)
/// for failure in outcome.failed { print("order \(failure.index) not sent: \(failure.code)") }
/// ```
public struct OutgoingMessage: Sendable, Hashable {
    public var body: String
    /// Seconds (0...900) before the message can be received; nil uses the queue's DelaySeconds.
    /// FIFO queues take no per-message delay.
    public var delaySeconds: Int?
    /// The message's own attributes, returned with it on receive (at most 10).
    public var messageAttributes: [String: MessageAttribute]
    /// System attributes to send; SQS takes only `.awsTraceHeader` (an X-Ray trace header).
    public var systemAttributes: [MessageSystemAttributeName: MessageAttribute]
    /// `MessageGroupId`: required on FIFO queues; on a standard queue it makes it a fair queue.
    public var groupId: String?
    /// `MessageDeduplicationId` (FIFO): a message with the id of one sent in the last five
    /// minutes is accepted but not delivered again.
    public var deduplicationId: String?

    public init(body: String, delaySeconds: Int? = nil, groupId: String? = nil, deduplicationId: String? = nil,
                messageAttributes: [String: MessageAttribute] = [:],
                systemAttributes: [MessageSystemAttributeName: MessageAttribute] = [:]) {
        self.body = body
        self.delaySeconds = delaySeconds
        self.groupId = groupId
        self.deduplicationId = deduplicationId
        self.messageAttributes = messageAttributes
        self.systemAttributes = systemAttributes
    }
}
