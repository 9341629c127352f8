import Foundation
import SQSDigest
import SQSModel
import Testing
@testable import WharfClient

/// The client's own types and their one boundary with the wire's (WireConversions.swift).
@Suite struct ModelTests {
    @Test func attributeConstructorsWriteSQSDataTypes() {
        #expect(MessageAttribute.string("x") == MessageAttribute(dataType: "String", stringValue: "x"))
        #expect(MessageAttribute.string("x", customType: "uuid").dataType == "String.uuid")
        #expect(MessageAttribute.number(42) == MessageAttribute(dataType: "Number", stringValue: "42"))
        #expect(MessageAttribute.number("-3.5", customType: "float").dataType == "Number.float")
        #expect(MessageAttribute.binary(Data([1]), customType: "png") == MessageAttribute(dataType: "Binary.png", binaryValue: Data([1])))
        let literal: MessageAttribute = "acme"
        #expect(literal == .string("acme"))
    }

    /// What the server sent survives SQSMessage and back, absent maps included: the CLI's
    /// `--json` prints the wire form of received messages.
    @Test func receivedMessagesRoundTripLosslessly() throws {
        var listed = MessageAttributeValue(dataType: "String")
        listed.StringListValues = []
        let full = Message(MessageId: "m-1", ReceiptHandle: "rh", MD5OfBody: "d1", Body: "hello",
                           Attributes: ["ApproximateReceiveCount": "3", "SentTimestamp": "1700000000123", "Custom": "x"],
                           MD5OfMessageAttributes: "d2",
                           MessageAttributes: ["a": MessageAttributeValue(dataType: "Binary", binaryValue: Data([0, 1])), "l": listed])
        let bare = Message(MessageId: "m-2", ReceiptHandle: "rh2", MD5OfBody: "d3", Body: "plain", Attributes: nil,
                           MD5OfMessageAttributes: nil, MessageAttributes: nil)
        for wire in [full, bare] {
            let message = SQSMessage(wire)
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            #expect(try encoder.encode(Message(message)) == encoder.encode(wire))
        }
        let message = SQSMessage(full)
        #expect(message.id == "m-1" && message.receiveCount == 3 && message.groupId == nil)
        #expect(message.attributes[MessageSystemAttributeName(rawValue: "Custom")] == "x", "unknown names are kept")
        #expect(message.sentAt == Date(timeIntervalSince1970: 1_700_000_000.123))
        #expect(message.messageAttributes["a"]?.binaryValue == Data([0, 1]))
    }

    @Test func handBuiltMessagesCarryTheDigestsSQSWouldCompute() {
        let message = SQSMessage(id: "m", receiptHandle: "rh", body: "Hello from SQS", messageAttributes: ["City": "Any City"])
        #expect(message.md5OfBody == "c7a5a80bb4b8f56b68b7786e692e4a8b")
        #expect(message.md5OfMessageAttributes
                == MessageDigest.md5(ofAttributes: ["City": MessageAttributeValue(dataType: "String", stringValue: "Any City")]))
        #expect(SQSMessage(id: "m", receiptHandle: "rh", body: "b").md5OfMessageAttributes == nil)
    }

    @Test func outgoingMessagesBecomeTheWireRequest() throws {
        let message = OutgoingMessage(body: "b", delaySeconds: 5, groupId: "g", deduplicationId: "d",
                                      messageAttributes: ["k": .number(1)],
                                      systemAttributes: [.awsTraceHeader: "Root=1-5759e988-bd862e3fe1be46a994272793"])
        let entry = SendMessageBatchRequestEntry(message, id: "7")
        #expect(entry.Id == "7" && entry.MessageBody == "b" && entry.DelaySeconds == 5)
        #expect(entry.MessageGroupId == "g" && entry.MessageDeduplicationId == "d")
        #expect(entry.MessageAttributes == ["k": MessageAttributeValue(dataType: "Number", stringValue: "1")])
        #expect(entry.MessageSystemAttributes?["AWSTraceHeader"]?.StringValue == "Root=1-5759e988-bd862e3fe1be46a994272793")
        let plain = SendMessageRequest(OutgoingMessage(body: "p"), queueURL: "u")
        #expect(plain.MessageAttributes == nil && plain.MessageSystemAttributes == nil, "empty maps are not sent")
    }

    @Test func moveTasksRoundTripLosslessly() throws {
        let wire = ListMessageMoveTasksResultEntry(
            TaskHandle: "h", Status: "RUNNING", SourceArn: "arn:aws:sqs:us-east-1:000000000000:dlq", DestinationArn: nil,
            MaxNumberOfMessagesPerSecond: 5, ApproximateNumberOfMessagesMoved: 2, ApproximateNumberOfMessagesToMove: 9,
            FailureReason: nil, StartedTimestamp: 1_700_000_000_123)
        let task = MessageMoveTask(wire)
        #expect(task.status == .running && task.approximateNumberOfMessagesToMove == 9)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(try encoder.encode(ListMessageMoveTasksResultEntry(task)) == encoder.encode(wire))
    }

    /// A batch answer naming an entry the client did not send is not believed.
    @Test func batchResultsForUnknownEntriesAreRefused() async throws {
        let stub = StubServer([.json(#"{"Successful":[{"Id":"5"}]}"#), .json(#"{"Successful":[],"Failed":[{"Id":"x","SenderFault":true,"Code":"C"}]}"#)])
        defer { stub.stop() }
        let sqs = stubClient(stub)
        for _ in 0..<2 {
            let error = await #expect(throws: SQSClientError.self) {
                try await sqs.deleteMessages(["rh0", "rh1"], from: "http://127.0.0.1/0/q")
            }
            guard case .invalidResponse = error else { Issue.record("expected .invalidResponse, got \(String(describing: error))"); return }
        }
    }
}
