import Foundation
import SQSModel
import Testing
@testable import WharfProtocol

@Suite struct JSONDecodingTests {
    // botocore's JSON SendMessage (docs/sqs-behaviour.md#signed-examples), byte for byte.
    let sendMessageBody = #"{"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/MyQueue", "MessageBody": "Hello from SQS", "MessageAttributes": {"City": {"DataType": "String", "StringValue": "Any City"}, "Count": {"DataType": "Number.int", "StringValue": "42"}, "Blob": {"DataType": "Binary", "BinaryValue": "AAEC"}}, "MessageSystemAttributes": {"AWSTraceHeader": {"DataType": "String", "StringValue": "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"}}}"#

    @Test func sendMessageExample() throws {
        let call = try jsonCall("SendMessage", sendMessageBody)
        #expect(call.operation == .sendMessage)
        #expect(call.wireProtocol == .json)
        let r = try call.decode(SendMessageRequest.self)
        #expect(r.QueueUrl == "https://sqs.us-east-1.amazonaws.com/123456789012/MyQueue")
        #expect(r.MessageBody == "Hello from SQS")
        #expect(r.MessageAttributes?["City"] == MessageAttributeValue(dataType: "String", stringValue: "Any City"))
        #expect(r.MessageAttributes?["Count"] == MessageAttributeValue(dataType: "Number.int", stringValue: "42"))
        #expect(r.MessageAttributes?["Blob"] == MessageAttributeValue(dataType: "Binary", binaryValue: Data([0, 1, 2])))
        #expect(r.MessageAttributes?.count == 3)
        #expect(r.MessageSystemAttributes?["AWSTraceHeader"]?.StringValue
                == "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1")
        #expect(r.DelaySeconds == nil)
    }

    @Test func receiveMessageExample() throws {
        let body = #"{"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/MyQueue", "MaxNumberOfMessages": 2, "WaitTimeSeconds": 10, "VisibilityTimeout": 30, "MessageSystemAttributeNames": ["All"], "MessageAttributeNames": ["All"]}"#
        let r = try jsonCall("ReceiveMessage", body).decode(ReceiveMessageRequest.self)
        #expect(r.MaxNumberOfMessages == 2)
        #expect(r.WaitTimeSeconds == 10)
        #expect(r.VisibilityTimeout == 30)
        #expect(r.MessageSystemAttributeNames == ["All"])
        #expect(r.MessageAttributeNames == ["All"])
        #expect(r.AttributeNames == nil)
    }

    @Test func emptyBodyIsEmptyObject() throws {
        let r = try jsonCall("ListQueues", "").decode(ListQueuesRequest.self)
        #expect(r.QueueNamePrefix == nil && r.MaxResults == nil)
    }

    @Test func nullOptionalIsAbsent() throws {
        let r = try jsonCall("SendMessage", #"{"QueueUrl":"q","MessageBody":"b","DelaySeconds":null}"#)
            .decode(SendMessageRequest.self)
        #expect(r.DelaySeconds == nil)
    }

    @Test func lowerCaseTagsOnCreateQueue() throws {
        let r = try jsonCall("CreateQueue", #"{"QueueName":"q","tags":{"a":"1"},"Attributes":{"DelaySeconds":"5"}}"#)
            .decode(CreateQueueRequest.self)
        #expect(r.tags == ["a": "1"])
        #expect(r.Attributes == ["DelaySeconds": "5"])
    }

    @Test func missingTopLevelMember() {
        #expect(throws: SQSError.missingParameter("MessageBody")) {
            try jsonCall("SendMessage", #"{"QueueUrl":"q"}"#).decode(SendMessageRequest.self)
        }
        #expect(throws: SQSError.missingParameter("MessageBody")) {
            try jsonCall("SendMessage", #"{"QueueUrl":"q","MessageBody":null}"#).decode(SendMessageRequest.self)
        }
    }

    @Test func missingMemberInsideBatchEntry() {
        #expect(throws: SQSError.missingParameter("MessageBody")) {
            try jsonCall("SendMessageBatch", #"{"QueueUrl":"q","Entries":[{"Id":"a"}]}"#)
                .decode(SendMessageBatchRequest.self)
        }
    }

    @Test func malformedJSONIsSerializationError() {
        expectSerialization { try jsonCall("SendMessage", #"{"QueueUrl":"q","#).decode(SendMessageRequest.self) }
        expectSerialization { try jsonCall("SendMessage", "[1,2]").decode(SendMessageRequest.self) }
        expectSerialization { try jsonCall("SendMessage", "\"text\"").decode(SendMessageRequest.self) }
        expectSerialization { try jsonCall("ListQueues", "\u{FF}{}").decode(ListQueuesRequest.self) }
    }

    @Test func wrongTypesAreSerializationErrors() {
        expectSerialization {
            try jsonCall("SendMessage", #"{"QueueUrl":"q","MessageBody":"b","DelaySeconds":"5"}"#)
                .decode(SendMessageRequest.self)
        }
        expectSerialization {
            try jsonCall("SendMessage", #"{"QueueUrl":"q","MessageBody":42}"#).decode(SendMessageRequest.self)
        }
        expectSerialization {
            try jsonCall("ReceiveMessage", #"{"QueueUrl":"q","MaxNumberOfMessages":99999999999999999999999}"#)
                .decode(ReceiveMessageRequest.self)
        }
        expectSerialization {
            try jsonCall("ReceiveMessage", #"{"QueueUrl":"q","MaxNumberOfMessages":1.5}"#)
                .decode(ReceiveMessageRequest.self)
        }
        expectSerialization {
            try jsonCall("SendMessage",
                         #"{"QueueUrl":"q","MessageBody":"b","MessageAttributes":{"B":{"DataType":"Binary","BinaryValue":"!!notbase64"}}}"#)
                .decode(SendMessageRequest.self)
        }
    }

    @Test func serializationMessageNamesThePath() throws {
        do {
            _ = try jsonCall("SendMessageBatch",
                             #"{"QueueUrl":"q","Entries":[{"Id":"a","MessageBody":"b","DelaySeconds":"x"}]}"#)
                .decode(SendMessageBatchRequest.self)
            Issue.record("expected an error")
        } catch let error as SQSError {
            #expect(error.code == .serializationException)
            #expect(error.message.contains("Entries[0].DelaySeconds"))
        }
    }

    @Test func unknownTargetIsInvalidAction() {
        #expect(throws: SQSError.invalidAction("FooBar")) {
            try jsonCall("FooBar", "{}")
        }
    }

    private func expectSerialization(_ body: () throws -> Any, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try body()
            Issue.record("expected a SerializationException", sourceLocation: sourceLocation)
        } catch let error as SQSError {
            #expect(error.code == .serializationException, sourceLocation: sourceLocation)
            #expect(error.queryCode == "SerializationException", sourceLocation: sourceLocation)
            #expect(error.httpStatus == 400, sourceLocation: sourceLocation)
            #expect(error.jsonType == "com.amazon.coral.service#SerializationException", sourceLocation: sourceLocation)
        } catch {
            Issue.record("not an SQSError: \(error)", sourceLocation: sourceLocation)
        }
    }
}
