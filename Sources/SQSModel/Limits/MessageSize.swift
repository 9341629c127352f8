import Foundation

/// A message's size as SQS counts it against the queue's `MaximumMessageSize` and a batch's
/// 1 MiB (docs/sqs-behaviour.md#message-size): the UTF-8 bytes of the body, plus for each
/// message attribute the UTF-8 bytes of its name and of its DataType and the bytes of every
/// value it carries — a String (or Number) value as UTF-8, a Binary value as its raw bytes (not
/// its base64 form), and list values, if any, item by item. Message system attributes
/// (`AWSTraceHeader`) do not count.
package enum MessageSize {
    package static func of(body: String, attributes: MessageAttributes?) -> Int {
        var size = body.utf8.count
        for (name, value) in attributes ?? [:] { size += of(attribute: name, value) }
        return size
    }

    package static func of(attribute name: String, _ value: MessageAttributeValue) -> Int {
        var size = name.utf8.count + value.DataType.utf8.count
        size += value.StringValue?.utf8.count ?? 0
        size += value.BinaryValue?.count ?? 0
        for item in value.StringListValues ?? [] { size += item.utf8.count }
        for item in value.BinaryListValues ?? [] { size += item.count }
        return size
    }

    package static func of(_ request: SendMessageRequest) -> Int {
        of(body: request.MessageBody, attributes: request.MessageAttributes)
    }

    package static func of(_ entry: SendMessageBatchRequestEntry) -> Int {
        of(body: entry.MessageBody, attributes: entry.MessageAttributes)
    }

    /// What a SendMessageBatch's entries add up to, checked against `SQSLimits.maximumBatchSize`.
    package static func ofBatch(_ entries: [SendMessageBatchRequestEntry]) -> Int {
        entries.reduce(0) { $0 + of($1) }
    }
}
