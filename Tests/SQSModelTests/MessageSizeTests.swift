import Foundation
import SQSModel
import Testing

/// How a message's size is counted (docs/sqs-behaviour.md#message-size).
@Suite struct MessageSizeTests {
    static func string(_ value: String, type: String = "String") -> MessageAttributeValue {
        MessageAttributeValue(dataType: type, stringValue: value)
    }

    @Test func bodyIsCountedInUTF8Bytes() {
        #expect(MessageSize.of(body: "", attributes: nil) == 0)
        #expect(MessageSize.of(body: "abc", attributes: nil) == 3)
        #expect(MessageSize.of(body: "é", attributes: nil) == 2)
        #expect(MessageSize.of(body: "€", attributes: nil) == 3)
        #expect(MessageSize.of(body: "😀", attributes: nil) == 4)
        // One Character, two bytes: never count Characters.
        #expect(MessageSize.of(body: "\r\n", attributes: nil) == 2)
        // Decomposed and precomposed forms are different bytes, and different sizes.
        #expect(MessageSize.of(body: "e\u{301}", attributes: nil) == 3)
    }

    @Test func attributeNameTypeAndValueCount() {
        // name (4) + type (6) + value (4)
        #expect(MessageSize.of(body: "", attributes: ["name": Self.string("abcd")]) == 14)
        // The whole DataType counts, label included: 1 + 10 + 2.
        #expect(MessageSize.of(body: "", attributes: ["n": Self.string("42", type: "Number.int")]) == 13)
        // Names and values in UTF-8: "ø" and "é" are two bytes each.
        #expect(MessageSize.of(body: "", attributes: ["ø": Self.string("é")]) == 2 + 6 + 2)
        // An empty attribute map is no attributes.
        #expect(MessageSize.of(body: "b", attributes: [:]) == 1)
    }

    @Test func binaryValuesCountTheirBytesNotTheirBase64() {
        let blob = MessageAttributeValue(dataType: "Binary", binaryValue: Data([0, 1, 2]))
        // "AAEC" on the wire, three bytes in the message: 3 + 6 + 3.
        #expect(MessageSize.of(attribute: "bin", blob) == 12)
        #expect(MessageSize.of(attribute: "e", MessageAttributeValue(dataType: "Binary", binaryValue: Data())) == 7)
    }

    @Test func everyValueAnAttributeCarriesCounts() {
        var both = MessageAttributeValue(dataType: "String", stringValue: "ab", binaryValue: Data([1, 2, 3]))
        #expect(MessageSize.of(attribute: "x", both) == 1 + 6 + 2 + 3)
        both.StringListValues = ["é", "cd"]
        both.BinaryListValues = [Data([9]), Data([8, 7])]
        #expect(MessageSize.of(attribute: "x", both) == 1 + 6 + 2 + 3 + (2 + 2) + (1 + 2))
        // A type without any value is its name and type.
        #expect(MessageSize.of(attribute: "x", MessageAttributeValue(dataType: "String")) == 7)
    }

    @Test func systemAttributesDoNotCount() {
        let trace = ["AWSTraceHeader": Self.string("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1")]
        let request = SendMessageRequest(QueueUrl: "q", MessageBody: "hello", MessageAttributes: ["a": Self.string("b")],
                                         MessageSystemAttributes: trace)
        #expect(MessageSize.of(request) == 5 + 1 + 6 + 1)
        let entry = SendMessageBatchRequestEntry(Id: "1", MessageBody: "hello", MessageSystemAttributes: trace)
        #expect(MessageSize.of(entry) == 5)
    }

    @Test func aBatchIsTheSumOfItsMessages() {
        let entries = [
            SendMessageBatchRequestEntry(Id: "a", MessageBody: "12345"),
            SendMessageBatchRequestEntry(Id: "b", MessageBody: "é", MessageAttributes: ["k": Self.string("v")]),
            SendMessageBatchRequestEntry(Id: "c", MessageBody: ""),
        ]
        // Ids are not part of any message.
        #expect(MessageSize.ofBatch(entries) == 5 + (2 + 1 + 6 + 1) + 0)
        #expect(MessageSize.ofBatch([]) == 0)
    }
}
