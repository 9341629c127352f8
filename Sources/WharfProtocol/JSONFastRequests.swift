import Foundation
import SQSModel

/// Hand-written decoding of the requests a busy queue sees most: SendMessage(Batch),
/// ReceiveMessage and DeleteMessage(Batch). Codable's generic containers were ~10 % of server
/// CPU under load (BENCHMARKS.md); this path reads the same bytes straight into the model.
///
/// It is only a shortcut: for any body it does not accept (unknown or repeated members, nulls,
/// numbers with fractions, malformed JSON...) it answers nil and the body goes through
/// `JSONDecoder` as before, so every error a client sees is still worded in one place.
public enum JSONFastRequests {
    public static func decode<R: SQSRequest>(_ type: R.Type, from body: [UInt8]) -> R? {
        body.withUnsafeBufferPointer { buffer -> R? in
            var reader = JSONFastReader(buffer)
            let request: (any SQSRequest)?
            switch R.operation {
            case .sendMessage: request = reader.sendMessage()
            case .sendMessageBatch: request = reader.sendMessageBatch()
            case .receiveMessage: request = reader.receiveMessage()
            case .deleteMessage: request = reader.deleteMessage()
            case .deleteMessageBatch: request = reader.deleteMessageBatch()
            default: return nil
            }
            guard reader.atEnd() else { return nil }
            return request as? R
        }
    }
}

/// Stores a value read for a member; false (reject) when the read failed or the member
/// came twice.
private func assign<T>(_ slot: inout T?, _ value: T?) -> Bool {
    guard slot == nil, let value else { return false }
    slot = value
    return true
}

/// The members a single send and a batch entry share.
private struct SendMembers {
    var body: String?
    var delaySeconds: Int?
    var attributes: MessageAttributes?
    var systemAttributes: MessageAttributes?
    var deduplicationId: String?
    var groupId: String?
}

extension JSONFastReader {
    mutating func sendMessage() -> SendMessageRequest? {
        var queueUrl: String?
        var members = SendMembers()
        let ok = object { reader, key in
            key == "QueueUrl" ? assign(&queueUrl, reader.string()) : reader.sendMember(key, into: &members)
        }
        guard ok, let body = members.body else { return nil }
        return SendMessageRequest(
            QueueUrl: queueUrl, MessageBody: body, DelaySeconds: members.delaySeconds,
            MessageAttributes: members.attributes, MessageSystemAttributes: members.systemAttributes,
            MessageDeduplicationId: members.deduplicationId, MessageGroupId: members.groupId)
    }

    mutating func sendMessageBatch() -> SendMessageBatchRequest? {
        guard let (queueUrl, entries) = batch({ $0.sendEntry() }) else { return nil }
        var request = SendMessageBatchRequest(QueueUrl: queueUrl, Entries: [])
        request.Entries = entries
        return request
    }

    /// The shape every batch request shares: `QueueUrl` and `Entries`, both optional here
    /// (the engine words a missing queue or an empty batch).
    private mutating func batch<Entry>(_ entry: (inout JSONFastReader) -> Entry?) -> (String?, [Entry]?)? {
        var queueUrl: String?
        var entries: [Entry]?
        let ok = object { reader, key in
            switch key {
            case "QueueUrl": return assign(&queueUrl, reader.string())
            case "Entries": return assign(&entries, reader.array(entry))
            default: return false
            }
        }
        return ok ? (queueUrl, entries) : nil
    }

    private mutating func sendEntry() -> SendMessageBatchRequestEntry? {
        var id: String?
        var members = SendMembers()
        let ok = object { reader, key in
            key == "Id" ? assign(&id, reader.string()) : reader.sendMember(key, into: &members)
        }
        guard ok, let id, let body = members.body else { return nil }
        return SendMessageBatchRequestEntry(
            Id: id, MessageBody: body, DelaySeconds: members.delaySeconds, MessageAttributes: members.attributes,
            MessageSystemAttributes: members.systemAttributes, MessageDeduplicationId: members.deduplicationId,
            MessageGroupId: members.groupId)
    }

    private mutating func sendMember(_ key: String, into members: inout SendMembers) -> Bool {
        switch key {
        case "MessageBody": return assign(&members.body, string())
        case "DelaySeconds": return assign(&members.delaySeconds, int())
        case "MessageAttributes": return assign(&members.attributes, messageAttributes())
        case "MessageSystemAttributes": return assign(&members.systemAttributes, messageAttributes())
        case "MessageDeduplicationId": return assign(&members.deduplicationId, string())
        case "MessageGroupId": return assign(&members.groupId, string())
        default: return false
        }
    }

    private mutating func messageAttributes() -> MessageAttributes? {
        var attributes: MessageAttributes = [:]
        let ok = object { reader, name in
            guard attributes[name] == nil, let value = reader.attributeValue() else { return false }
            attributes[name] = value
            return true
        }
        return ok ? attributes : nil
    }

    /// String and binary values; list values (reserved by AWS) take the general path.
    private mutating func attributeValue() -> MessageAttributeValue? {
        var dataType: String?
        var stringValue: String?
        var binaryValue: Data?
        let ok = object { reader, key in
            switch key {
            case "DataType": return assign(&dataType, reader.string())
            case "StringValue": return assign(&stringValue, reader.string())
            // What JSONDecoder's default `.base64` strategy does, so both paths agree.
            case "BinaryValue": return assign(&binaryValue, reader.string().flatMap { Data(base64Encoded: $0) })
            default: return false
            }
        }
        guard ok, let dataType else { return nil }
        return MessageAttributeValue(dataType: dataType, stringValue: stringValue, binaryValue: binaryValue)
    }

    mutating func receiveMessage() -> ReceiveMessageRequest? {
        var request = ReceiveMessageRequest(QueueUrl: nil)
        let ok = object { reader, key in
            switch key {
            case "QueueUrl": return assign(&request.QueueUrl, reader.string())
            case "AttributeNames": return assign(&request.AttributeNames, reader.stringArray())
            case "MessageSystemAttributeNames": return assign(&request.MessageSystemAttributeNames, reader.stringArray())
            case "MessageAttributeNames": return assign(&request.MessageAttributeNames, reader.stringArray())
            case "MaxNumberOfMessages": return assign(&request.MaxNumberOfMessages, reader.int())
            case "VisibilityTimeout": return assign(&request.VisibilityTimeout, reader.int())
            case "WaitTimeSeconds": return assign(&request.WaitTimeSeconds, reader.int())
            case "ReceiveRequestAttemptId": return assign(&request.ReceiveRequestAttemptId, reader.string())
            default: return false
            }
        }
        return ok ? request : nil
    }

    mutating func deleteMessage() -> DeleteMessageRequest? {
        guard let (queueUrl, handle) = stringPair("QueueUrl", "ReceiptHandle"), let handle else { return nil }
        return DeleteMessageRequest(QueueUrl: queueUrl, ReceiptHandle: handle)
    }

    mutating func deleteMessageBatch() -> DeleteMessageBatchRequest? {
        guard let (queueUrl, entries) = batch({ $0.deleteEntry() }) else { return nil }
        var request = DeleteMessageBatchRequest(QueueUrl: queueUrl, Entries: [])
        request.Entries = entries
        return request
    }

    private mutating func deleteEntry() -> DeleteMessageBatchRequestEntry? {
        guard let (id, handle) = stringPair("Id", "ReceiptHandle"), let id, let handle else { return nil }
        return DeleteMessageBatchRequestEntry(Id: id, ReceiptHandle: handle)
    }

    /// An object of at most two string members, `first` and `second`.
    private mutating func stringPair(_ first: String, _ second: String) -> (String?, String?)? {
        var a: String?
        var b: String?
        let ok = object { reader, key in
            switch key {
            case first: return assign(&a, reader.string())
            case second: return assign(&b, reader.string())
            default: return false
            }
        }
        return ok ? (a, b) : nil
    }
}
