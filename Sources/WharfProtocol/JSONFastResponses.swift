import Foundation
import SQSModel

/// The hot responses, with the members their Codable conformances write (WharfProtocolTests
/// reads them back with JSONDecoder). Flat result entries share their member lists with the
/// XML writer (ResultMembers.swift).
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
        r.writeMembers(to: &self)
        endObject()
    }

    mutating func write(_ r: SendMessageBatchResponse) {
        batch(r.Successful, failed: r.Failed) { json, entry in entry.writeMembers(to: &json) }
    }

    mutating func write(_ r: BatchIdResponse) {
        batch(r.Successful, failed: r.Failed) { json, entry in entry.writeMembers(to: &json) }
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
            entry.writeMembers(to: &self)
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
