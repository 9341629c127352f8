import Foundation
import SQSModel

// The one place where the client's types meet the wire's: SQSModel's request and response
// values carry the members as the SQS API names them (`MessageId`, `QueueUrl`), and they stay
// behind this boundary. `package` conversions back to the wire serve the CLI's `--json`
// output, which prints what the aws CLI prints.

extension MessageAttribute {
    init(_ wire: MessageAttributeValue) {
        self.init(dataType: wire.DataType, stringValue: wire.StringValue, binaryValue: wire.BinaryValue,
                  stringListValues: wire.StringListValues, binaryListValues: wire.BinaryListValues)
    }

    var wire: MessageAttributeValue {
        var value = MessageAttributeValue(dataType: dataType, stringValue: stringValue, binaryValue: binaryValue)
        value.StringListValues = stringListValues
        value.BinaryListValues = binaryListValues
        return value
    }
}

extension Dictionary where Value == MessageAttribute {
    /// The wire's attribute map; nil when empty, since SQS omits empty maps.
    func wire(_ name: (Key) -> String) -> MessageAttributes? {
        isEmpty ? nil : Dictionary<String, MessageAttributeValue>(uniqueKeysWithValues: map { (name($0.key), $0.value.wire) })
    }
}

extension Dictionary where Key == String, Value == MessageAttributeValue {
    var idiomatic: [String: MessageAttribute] { mapValues(MessageAttribute.init) }
}

extension Dictionary where Key == String, Value == String {
    /// A wire map keyed by typed names.
    func keyed<Name: RawRepresentable & Hashable>(by _: Name.Type) -> [Name: String] where Name.RawValue == String {
        Dictionary<Name, String>(uniqueKeysWithValues: map { (Name(rawValue: $0.key)!, $0.value) })
    }
}

extension Dictionary where Value == String, Key: RawRepresentable, Key.RawValue == String {
    /// The wire's map of a typed one.
    var wire: [String: String] { Dictionary<String, String>(uniqueKeysWithValues: map { ($0.key.rawValue, $0.value) }) }
}

extension SQSMessage {
    /// Lossless: absent maps become empty ones, and back (SQS omits empty maps).
    init(_ wire: Message) {
        id = wire.MessageId
        receiptHandle = wire.ReceiptHandle
        body = wire.Body
        md5OfBody = wire.MD5OfBody
        attributes = (wire.Attributes ?? [:]).keyed(by: MessageSystemAttributeName.self)
        messageAttributes = (wire.MessageAttributes ?? [:]).idiomatic
        md5OfMessageAttributes = wire.MD5OfMessageAttributes
    }
}

extension Message {
    /// The message as ReceiveMessage's response carries it.
    package init(_ message: SQSMessage) {
        self.init(MessageId: message.id, ReceiptHandle: message.receiptHandle, MD5OfBody: message.md5OfBody,
                  Body: message.body, Attributes: message.attributes.isEmpty ? nil : message.attributes.wire,
                  MD5OfMessageAttributes: message.md5OfMessageAttributes,
                  MessageAttributes: message.messageAttributes.wire { $0 })
    }
}

extension SendResult {
    init(_ wire: SendMessageResponse) {
        self.init(messageId: wire.MessageId, sequenceNumber: wire.SequenceNumber, md5OfBody: wire.MD5OfMessageBody,
                  md5OfMessageAttributes: wire.MD5OfMessageAttributes,
                  md5OfMessageSystemAttributes: wire.MD5OfMessageSystemAttributes)
    }
}

extension SendMessageResponse {
    /// SendMessage's response for this result.
    package init(_ result: SendResult) {
        self.init(MD5OfMessageBody: result.md5OfBody, MD5OfMessageAttributes: result.md5OfMessageAttributes,
                  MD5OfMessageSystemAttributes: result.md5OfMessageSystemAttributes, MessageId: result.messageId,
                  SequenceNumber: result.sequenceNumber)
    }
}

extension SendMessageRequest {
    init(_ message: OutgoingMessage, queueURL: String) {
        self.init(QueueUrl: queueURL, MessageBody: message.body, DelaySeconds: message.delaySeconds,
                  MessageAttributes: message.messageAttributes.wire { $0 },
                  MessageSystemAttributes: message.systemAttributes.wire(\.rawValue),
                  MessageDeduplicationId: message.deduplicationId, MessageGroupId: message.groupId)
    }
}

extension SendMessageBatchRequestEntry {
    init(_ message: OutgoingMessage, id: String) {
        self.init(Id: id, MessageBody: message.body, DelaySeconds: message.delaySeconds,
                  MessageAttributes: message.messageAttributes.wire { $0 },
                  MessageSystemAttributes: message.systemAttributes.wire(\.rawValue),
                  MessageDeduplicationId: message.deduplicationId, MessageGroupId: message.groupId)
    }
}

extension BatchEntryFailure {
    init(_ wire: BatchResultErrorEntry, index: Int) {
        self.init(index: index, code: wire.Code, message: wire.Message, senderFault: wire.SenderFault)
    }
}

extension MessageMoveTask {
    init(_ wire: ListMessageMoveTasksResultEntry) {
        self.init(taskHandle: wire.TaskHandle, status: wire.Status.map(Status.init(rawValue:)), sourceARN: wire.SourceArn,
                  destinationARN: wire.DestinationArn, maxNumberOfMessagesPerSecond: wire.MaxNumberOfMessagesPerSecond,
                  approximateNumberOfMessagesMoved: wire.ApproximateNumberOfMessagesMoved.map { Int($0) },
                  approximateNumberOfMessagesToMove: wire.ApproximateNumberOfMessagesToMove.map { Int($0) },
                  failureReason: wire.FailureReason,
                  startedAt: wire.StartedTimestamp.map { Date(timeIntervalSince1970: Double($0) / 1000) })
    }
}

extension ListMessageMoveTasksResultEntry {
    /// The task as ListMessageMoveTasks's response carries it (StartedTimestamp in epoch ms).
    package init(_ task: MessageMoveTask) {
        self.init(TaskHandle: task.taskHandle, Status: task.status?.rawValue, SourceArn: task.sourceARN,
                  DestinationArn: task.destinationARN, MaxNumberOfMessagesPerSecond: task.maxNumberOfMessagesPerSecond,
                  ApproximateNumberOfMessagesMoved: task.approximateNumberOfMessagesMoved.map { Int64($0) },
                  ApproximateNumberOfMessagesToMove: task.approximateNumberOfMessagesToMove.map { Int64($0) },
                  FailureReason: task.failureReason,
                  StartedTimestamp: task.startedAt.map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) })
    }
}
