import Foundation
import SQSDigest

/// A message as `receiveMessages(from:…)` returns it: its id, body and receipt handle, the
/// system attributes SQS recorded and the message attributes it was sent with.
///
/// The receipt handle, not the id, names this delivery of the message: deleting it or changing
/// its visibility takes the handle, and a message received twice has two handles.
///
/// ```swift
/// for message in try await sqs.receiveMessages(from: queueURL, maxMessages: 10, waitTimeSeconds: 20,
///                                              systemAttributeNames: [.all], messageAttributeNames: ["All"]) {
///     print(message.id, message.body, message.receiveCount ?? 1, message.messageAttributes["kind"]?.stringValue ?? "-")
///     try await sqs.deleteMessage(message.receiptHandle, from: queueURL)
/// }
/// ```
public struct SQSMessage: Sendable, Hashable, Identifiable {
    /// The message id SQS assigned on send (the same on every delivery).
    public var id: String
    /// What deletes or changes the visibility of this delivery.
    public var receiptHandle: String
    public var body: String
    /// The MD5 of the body, as SQS computed it (the client has checked it, unless
    /// `SQSClientConfiguration.verifyChecksums` is off).
    public var md5OfBody: String
    /// The system attributes asked for with `systemAttributeNames` (empty when none were).
    public var attributes: [MessageSystemAttributeName: String]
    /// The message attributes asked for with `messageAttributeNames` (empty when none were).
    public var messageAttributes: [String: MessageAttribute]
    /// The MD5 of the returned message attributes; nil when none were returned.
    public var md5OfMessageAttributes: String?

    /// A message as a server would return it. The digests default to the ones SQS would
    /// compute, so that a message built by hand (in a handler's tests, say) is consistent.
    public init(id: String, receiptHandle: String, body: String, md5OfBody: String? = nil,
                attributes: [MessageSystemAttributeName: String] = [:],
                messageAttributes: [String: MessageAttribute] = [:], md5OfMessageAttributes: String? = nil) {
        self.id = id
        self.receiptHandle = receiptHandle
        self.body = body
        self.md5OfBody = md5OfBody ?? MessageDigest.md5(ofBody: body)
        self.attributes = attributes
        self.messageAttributes = messageAttributes
        self.md5OfMessageAttributes = md5OfMessageAttributes
            ?? MessageDigest.md5(ofAttributes: messageAttributes.mapValues { $0.wire })
    }

    /// `ApproximateReceiveCount`: 1 on the first delivery. nil unless asked for.
    public var receiveCount: Int? { attributes[.approximateReceiveCount].flatMap { Int($0) } }

    /// `MessageGroupId` (FIFO and fair queues). nil unless asked for.
    public var groupId: String? { attributes[.messageGroupId] }

    /// `SentTimestamp`, when SQS accepted the message. nil unless asked for.
    public var sentAt: Date? {
        attributes[.sentTimestamp].flatMap { Double($0) }.map { Date(timeIntervalSince1970: $0 / 1000) }
    }
}
