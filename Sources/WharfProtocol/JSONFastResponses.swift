import Foundation
import SQSModel

/// The hot responses, written member for member as their Codable conformances would
/// (WharfProtocolTests compares both).
enum JSONFastResponses {
    /// The body, or nil for a response that goes through `JSONEncoder`.
    static func body(for response: some SQSResponse) -> [UInt8]? {
        var json = JSONFastWriter()
        switch response {
        case let r as SendMessageResponse: json.write(r)
        case let r as SendMessageBatchResponse: json.write(r)
        case let r as BatchIdResponse: json.write(r)
        case let r as ReceiveMessageResponse: json.write(r)
        case is EmptyResponse: json.beginObject(); json.endObject()
        default: return nil
        }
        return json.bytes
    }
}

extension JSONFastWriter {
    mutating func write(_ r: SendMessageResponse) {
        beginObject()
        member("MD5OfMessageBody", r.MD5OfMessageBody)
        member("MD5OfMessageAttributes", r.MD5OfMessageAttributes)
        member("MD5OfMessageSystemAttributes", r.MD5OfMessageSystemAttributes)
        member("MessageId", r.MessageId)
        member("SequenceNumber", r.SequenceNumber)
        endObject()
    }

    mutating func write(_ r: SendMessageBatchResponse) {
        batch(r.Successful, failed: r.Failed) { json, entry in
            json.member("Id", entry.Id)
            json.member("MessageId", entry.MessageId)
            json.member("MD5OfMessageBody", entry.MD5OfMessageBody)
            json.member("MD5OfMessageAttributes", entry.MD5OfMessageAttributes)
            json.member("MD5OfMessageSystemAttributes", entry.MD5OfMessageSystemAttributes)
            json.member("SequenceNumber", entry.SequenceNumber)
        }
    }

    mutating func write(_ r: BatchIdResponse) {
        batch(r.Successful, failed: r.Failed) { json, entry in json.member("Id", entry.Id) }
    }

    /// `{"Successful":[{...}],"Failed":[...]}`, each successful entry's members written by `members`.
    private mutating func batch<Entry>(_ successful: [Entry], failed: [BatchResultErrorEntry]?,
                                       members: (inout JSONFastWriter, Entry) -> Void) {
        beginObject()
        key("Successful")
        beginArray()
        for entry in successful {
            beginObject()
            members(&self, entry)
            endObject()
        }
        endArray()
        self.failed(failed)
        endObject()
    }

    private mutating func failed(_ entries: [BatchResultErrorEntry]?) {
        guard let entries else { return }
        key("Failed")
        beginArray()
        for entry in entries {
            beginObject()
            member("Id", entry.Id)
            member("SenderFault", entry.SenderFault)
            member("Code", entry.Code)
            member("Message", entry.Message)
            endObject()
        }
        endArray()
    }

    mutating func write(_ r: ReceiveMessageResponse) {
        beginObject()
        if let messages = r.Messages {
            key("Messages")
            beginArray()
            for message in messages { write(message) }
            endArray()
        }
        endObject()
    }

    private mutating func write(_ m: Message) {
        beginObject()
        member("MessageId", m.MessageId)
        member("ReceiptHandle", m.ReceiptHandle)
        member("MD5OfBody", m.MD5OfBody)
        member("Body", m.Body)
        stringMap("Attributes", m.Attributes)
        member("MD5OfMessageAttributes", m.MD5OfMessageAttributes)
        if let attributes = m.MessageAttributes {
            key("MessageAttributes")
            beginObject()
            for (name, value) in attributes {
                key(name)
                write(value)
            }
            endObject()
        }
        endObject()
    }

    /// Binary values as base64, which is what JSONEncoder's default data strategy writes.
    private mutating func write(_ value: MessageAttributeValue) {
        beginObject()
        member("DataType", value.DataType)
        member("StringValue", value.StringValue)
        member("BinaryValue", value.BinaryValue?.base64EncodedString())
        stringArray("StringListValues", value.StringListValues)
        stringArray("BinaryListValues", value.BinaryListValues?.map { $0.base64EncodedString() })
        endObject()
    }
}
