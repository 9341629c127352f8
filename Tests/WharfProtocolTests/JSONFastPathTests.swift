import Foundation
import SQSModel
import Testing
@testable import WharfProtocol

/// The hand-written JSON path must accept only what JSONDecoder accepts and decode it to the
/// same value, and write responses JSONDecoder reads back as the Codable encoding's equal.
@Suite struct JSONFastPathTests {
    /// The same value as canonical bytes (sorted keys), to compare decodes of either path.
    static func canonical(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func agree<R: SQSRequest>(_ type: R.Type, _ body: String) throws -> Bool {
        let bytes = Array(body.utf8)
        guard let fast = JSONFastRequests.decode(type, from: bytes) else { return false }
        let slow = try JSONDecoder().decode(type, from: Data(bytes))
        return try canonical(fast) == canonical(slow)
    }

    // Bodies as botocore and other SDKs write them; every one takes the fast path.
    static let accepted: [(SQSOperation, String)] = [
        (.sendMessage, #"{"QueueUrl":"http://localhost:9324/000000000000/q","MessageBody":"hello"}"#),
        (.sendMessage, #"{"QueueUrl": "u", "MessageBody": "x", "DelaySeconds": 0, "MessageGroupId": "g", "MessageDeduplicationId": "d"}"#),
        (.sendMessage, "{\n \"MessageBody\" : \"tab\\there \\\"quoted\\\" back\\\\slash \\/ \\b\\f\\n\\r\" ,\"DelaySeconds\":-5 }\n"),
        (.sendMessage, #"{"MessageBody":"caf\u00e9 \ud83d\ude00 \u0000 \u20AC","QueueUrl":"q"}"#),
        (.sendMessage, #"{"MessageBody":"café 😀 日本","DelaySeconds":900}"#),
        (.sendMessage, #"{"MessageBody":"","MessageAttributes":{}}"#),
        (.sendMessage, #"{"MessageBody":"a","MessageAttributes":{"City":{"DataType":"String","StringValue":"Any City"},"Blob":{"DataType":"Binary","BinaryValue":"AAEC"},"N":{"StringValue":"42","DataType":"Number"}},"MessageSystemAttributes":{"AWSTraceHeader":{"DataType":"String","StringValue":"Root=1"}}}"#),
        (.sendMessageBatch, #"{"QueueUrl":"q","Entries":[{"Id":"0","MessageBody":"a"},{"Id":"1","MessageBody":"b","DelaySeconds":3,"MessageAttributes":{"k":{"DataType":"String","StringValue":"v"}}}]}"#),
        (.sendMessageBatch, #"{"QueueUrl":"q","Entries":[]}"#),
        (.sendMessageBatch, #"{"QueueUrl":"q"}"#),
        (.receiveMessage, #"{"QueueUrl":"q","MaxNumberOfMessages":10,"WaitTimeSeconds":20,"VisibilityTimeout":30,"AttributeNames":["All"],"MessageSystemAttributeNames":["SentTimestamp","ApproximateReceiveCount"],"MessageAttributeNames":[],"ReceiveRequestAttemptId":"r"}"#),
        (.receiveMessage, #"{}"#),
        (.deleteMessage, #"{"QueueUrl":"q","ReceiptHandle":"AQEB+/=="}"#),
        (.deleteMessageBatch, #"{"QueueUrl":"q","Entries":[{"Id":"a","ReceiptHandle":"h1"},{"ReceiptHandle":"h2","Id":"b"}]}"#),
    ]

    @Test(arguments: accepted)
    func fastPathAgreesWithJSONDecoder(_ operation: SQSOperation, _ body: String) throws {
        let agrees: Bool
        switch operation {
        case .sendMessage: agrees = try Self.agree(SendMessageRequest.self, body)
        case .sendMessageBatch: agrees = try Self.agree(SendMessageBatchRequest.self, body)
        case .receiveMessage: agrees = try Self.agree(ReceiveMessageRequest.self, body)
        case .deleteMessage: agrees = try Self.agree(DeleteMessageRequest.self, body)
        case .deleteMessageBatch: agrees = try Self.agree(DeleteMessageBatchRequest.self, body)
        default: agrees = false
        }
        #expect(agrees, "\(operation): \(body)")
    }

    @Test func escapesDecodeToTheirCharacters() throws {
        let body = #"{"MessageBody":"q\"b\\s\/n\nt\tu\u00e9e\ud83d\ude00"}"#
        let request = try #require(JSONFastRequests.decode(SendMessageRequest.self, from: Array(body.utf8)))
        #expect(request.MessageBody == "q\"b\\s/n\nt\tuée😀")
    }

    // Everything here is left to JSONDecoder, which either rejects it with the error clients
    // expect or has its own opinion (duplicates, nulls, numbers written other ways).
    static let declined: [String] = [
        #"{"MessageBody":null}"#,
        #"{"MessageBody":"a","DelaySeconds":null}"#,
        #"{"MessageBody":"a","DelaySeconds":1.0}"#,
        #"{"MessageBody":"a","DelaySeconds":1e1}"#,
        #"{"MessageBody":"a","DelaySeconds":01}"#,
        #"{"MessageBody":"a","DelaySeconds":"1"}"#,
        #"{"MessageBody":"a","DelaySeconds":1234567890123456789012}"#,
        #"{"MessageBody":"a","MessageBody":"b"}"#,
        #"{"MessageBody":"a","Unknown":1}"#,
        #"{"MessageBody":"a",}"#,
        #"{"MessageBody":"a"} x"#,
        #"{"MessageBody":"a""#,
        #"{"MessageBody":"\ud83d"}"#,
        #"{"MessageBody":"\ude00"}"#,
        #"{"MessageBody":"\x"}"#,
        #"{"MessageBody":"\u12"}"#,
        "{\"MessageBody\":\"raw\ncontrol\"}",
        #"{"QueueUrl":"q"}"#,
        #"{"MessageBody":"a","MessageAttributes":{"k":{"DataType":"Binary","BinaryValue":"not base64!"}}}"#,
        #"{"MessageBody":"a","MessageAttributes":{"k":{"StringValue":"v"}}}"#,
        #"{"MessageBody":"a","MessageAttributes":{"k":{"DataType":"String","StringListValues":[]}}}"#,
        #"{"MessageBody":"a","MessageAttributes":{"k":{"DataType":"String"},"k":{"DataType":"String"}}}"#,
        "",
        "[]",
        "{",
    ]

    @Test(arguments: declined)
    func unusualBodiesGoThroughJSONDecoder(_ body: String) {
        #expect(JSONFastRequests.decode(SendMessageRequest.self, from: Array(body.utf8)) == nil)
    }

    @Test func invalidUTF8IsDeclined() {
        var bytes = Array(#"{"MessageBody":"ab"}"#.utf8)
        bytes.insert(0xC3, at: 17)
        #expect(JSONFastRequests.decode(SendMessageRequest.self, from: bytes) == nil)
    }

    @Test func batchEntryWithoutIdIsDeclined() {
        let body = #"{"QueueUrl":"q","Entries":[{"MessageBody":"a"}]}"#
        #expect(JSONFastRequests.decode(SendMessageBatchRequest.self, from: Array(body.utf8)) == nil)
        let delete = #"{"QueueUrl":"q","Entries":[{"Id":"a"}]}"#
        #expect(JSONFastRequests.decode(DeleteMessageBatchRequest.self, from: Array(delete.utf8)) == nil)
    }

    @Test func otherOperationsAreNotHandled() {
        #expect(JSONFastRequests.decode(GetQueueUrlRequest.self, from: Array(#"{"QueueName":"q"}"#.utf8)) == nil)
    }

    // MARK: responses

    /// The fast bytes must read back (with JSONDecoder) as exactly the value encoded.
    static func roundTrips<R: SQSResponse>(_ response: R) throws -> Bool {
        let fast = try #require(JSONFastResponses.body(for: response))
        let decoded = try JSONDecoder().decode(R.self, from: Data(fast))
        return try canonical(decoded) == canonical(response)
    }

    static let awkward = "q\"b\\s/ \n\t\r\u{8}\u{c}\u{1}\u{1f} é 😀 \u{2028}"

    @Test func sendResponsesRoundTrip() throws {
        let plain = SendMessageResponse(MD5OfMessageBody: "m", MD5OfMessageAttributes: nil,
                                        MD5OfMessageSystemAttributes: nil, MessageId: "id")
        let full = SendMessageResponse(MD5OfMessageBody: "m", MD5OfMessageAttributes: "a",
                                       MD5OfMessageSystemAttributes: "s", MessageId: Self.awkward, SequenceNumber: "1")
        #expect(try Self.roundTrips(plain))
        #expect(try Self.roundTrips(full))
        let batch = SendMessageBatchResponse(
            Successful: [SendMessageBatchResultEntry(Id: "0", result: plain), SendMessageBatchResultEntry(Id: "1", result: full)],
            Failed: [BatchResultErrorEntry(Id: "2", error: .invalidParameterValue(value: "x", parameter: "p", reason: Self.awkward))])
        #expect(try Self.roundTrips(batch))
        #expect(try Self.roundTrips(SendMessageBatchResponse(Successful: [], Failed: [])))
        let bodyText = String(decoding: try #require(JSONFastResponses.body(for: SendMessageBatchResponse(Successful: [], Failed: []))), as: UTF8.self)
        #expect(bodyText == #"{"Successful":[]}"#)
    }

    @Test func batchIdAndEmptyResponsesRoundTrip() throws {
        #expect(try Self.roundTrips(BatchIdResponse(Successful: [BatchResultEntry(Id: "a"), BatchResultEntry(Id: "b")],
                                                   Failed: [])))
        #expect(try Self.roundTrips(BatchIdResponse(
            Successful: [], Failed: [BatchResultErrorEntry(Id: "c", error: .receiptHandleIsInvalid("h"))])))
        #expect(JSONFastResponses.body(for: EmptyResponse()) == Array("{}".utf8))
    }

    @Test func receiveResponsesRoundTrip() throws {
        #expect(try Self.roundTrips(ReceiveMessageResponse(Messages: [])))
        var attributes: MessageAttributes = ["s": MessageAttributeValue(dataType: "String", stringValue: Self.awkward),
                                             "b": MessageAttributeValue(dataType: "Binary", binaryValue: Data([0, 255, 7]))]
        attributes["l"] = MessageAttributeValue(dataType: "String")
        attributes["l"]?.StringListValues = ["x", "y"]
        attributes["l"]?.BinaryListValues = [Data([1])]
        let messages = [
            Message(MessageId: "1", ReceiptHandle: "h", MD5OfBody: "m", Body: Self.awkward, Attributes: nil,
                    MD5OfMessageAttributes: nil, MessageAttributes: nil),
            Message(MessageId: "2", ReceiptHandle: "h2", MD5OfBody: "m2", Body: "{\"json\":[1,2]}",
                    Attributes: ["SentTimestamp": "1", "ApproximateReceiveCount": "2"], MD5OfMessageAttributes: "a",
                    MessageAttributes: attributes),
        ]
        #expect(try Self.roundTrips(ReceiveMessageResponse(Messages: messages)))
    }

    @Test func otherResponsesUseJSONEncoder() {
        #expect(JSONFastResponses.body(for: GetQueueUrlResponse(QueueUrl: "u")) == nil)
    }
}
