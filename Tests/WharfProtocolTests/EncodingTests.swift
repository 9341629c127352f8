import Foundation
import SQSModel
import Testing
@testable import WharfProtocol

@Suite struct EncodingTests {
    let ns = "xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\""

    func sampleMessage() -> Message {
        Message(MessageId: "219f8380-5770-4cc2-8c3e-5c715e145f5e",
                ReceiptHandle: "AQEBaZ+j5qUoOAoxlmrCQPkBm9njMWXqemmIG6shMHCO6fV20JrQYg==",
                MD5OfBody: "c7a5a80bb4b8f56b68b7786e692e4a8b", Body: "Hello from SQS",
                Attributes: ["SenderId": "AIDAIENQZJOLO23YVJ4VO", "SentTimestamp": "1705320000123"],
                MD5OfMessageAttributes: "27f137935bc9d60f824ed82d6a69fba1",
                MessageAttributes: [
                    "City": MessageAttributeValue(dataType: "String", stringValue: "Any City"),
                    "Blob": MessageAttributeValue(dataType: "Binary", binaryValue: Data([0, 1, 2])),
                ])
    }

    @Test func receiveMessageJSON() throws {
        let r = WireCodec.encode(ReceiveMessageResponse(Messages: [sampleMessage()]), operation: .receiveMessage,
                                 in: .json, requestId: "req-1")
        #expect(r.status == 200)
        #expect(header(r, "Content-Type") == "application/x-amz-json-1.0")
        #expect(header(r, "x-amzn-RequestId") == "req-1")
        #expect(header(r, "x-amzn-query-error") == nil)
        let object = try jsonObject(r)
        let messages = try #require(object["Messages"] as? [[String: Any]])
        #expect(messages.count == 1)
        let m = messages[0]
        #expect(m["ReceiptHandle"] as? String == "AQEBaZ+j5qUoOAoxlmrCQPkBm9njMWXqemmIG6shMHCO6fV20JrQYg==")
        #expect(m["Body"] as? String == "Hello from SQS")
        #expect((m["Attributes"] as? [String: String])?["SentTimestamp"] == "1705320000123")
        let blob = try #require((m["MessageAttributes"] as? [String: [String: String]])?["Blob"])
        #expect(blob == ["DataType": "Binary", "BinaryValue": "AAEC"])
        // And it decodes back into the model.
        let back = try JSONDecoder().decode(ReceiveMessageResponse.self, from: Data(r.body))
        #expect(back.Messages?.first?.MessageAttributes == sampleMessage().MessageAttributes)
    }

    @Test func emptyResultsJSON() {
        let empty = WireCodec.encode(ReceiveMessageResponse(Messages: []), operation: .receiveMessage,
                                     in: .json, requestId: "r")
        #expect(bodyString(empty) == "{}")
        let none = WireCodec.encode(EmptyResponse(), operation: .deleteMessage, in: .json, requestId: "r")
        #expect(bodyString(none) == "{}")
        #expect(none.status == 200)
    }

    @Test func int64CountersAreNumbers() throws {
        let r = WireCodec.encode(CancelMessageMoveTaskResponse(ApproximateNumberOfMessagesMoved: 5_000_000_000),
                                 operation: .cancelMessageMoveTask, in: .json, requestId: "r")
        #expect(bodyString(r) == #"{"ApproximateNumberOfMessagesMoved":5000000000}"#)
    }

    @Test func receiveMessageXML() {
        let r = WireCodec.encode(ReceiveMessageResponse(Messages: [sampleMessage()]), operation: .receiveMessage,
                                 in: .query, requestId: "req-2")
        #expect(r.status == 200)
        #expect(header(r, "Content-Type") == "text/xml")
        #expect(header(r, "x-amzn-RequestId") == "req-2")
        let expected = "<?xml version=\"1.0\"?><ReceiveMessageResponse \(ns)><ReceiveMessageResult><Message>"
            + "<MessageId>219f8380-5770-4cc2-8c3e-5c715e145f5e</MessageId>"
            + "<ReceiptHandle>AQEBaZ+j5qUoOAoxlmrCQPkBm9njMWXqemmIG6shMHCO6fV20JrQYg==</ReceiptHandle>"
            + "<MD5OfBody>c7a5a80bb4b8f56b68b7786e692e4a8b</MD5OfBody><Body>Hello from SQS</Body>"
            + "<Attribute><Name>SenderId</Name><Value>AIDAIENQZJOLO23YVJ4VO</Value></Attribute>"
            + "<Attribute><Name>SentTimestamp</Name><Value>1705320000123</Value></Attribute>"
            + "<MD5OfMessageAttributes>27f137935bc9d60f824ed82d6a69fba1</MD5OfMessageAttributes>"
            + "<MessageAttribute><Name>Blob</Name><Value><BinaryValue>AAEC</BinaryValue><DataType>Binary</DataType></Value></MessageAttribute>"
            + "<MessageAttribute><Name>City</Name><Value><StringValue>Any City</StringValue><DataType>String</DataType></Value></MessageAttribute>"
            + "</Message></ReceiveMessageResult><ResponseMetadata><RequestId>req-2</RequestId></ResponseMetadata>"
            + "</ReceiveMessageResponse>"
        #expect(bodyString(r) == expected)
    }

    @Test func emptyReceiveAndNoOutputXML() {
        let empty = WireCodec.encode(ReceiveMessageResponse(Messages: []), operation: .receiveMessage,
                                     in: .query, requestId: "r")
        // docs/sqs-behaviour.md#xml-responses: an empty receive is `<ReceiveMessageResult/>`.
        #expect(bodyString(empty) == "<?xml version=\"1.0\"?><ReceiveMessageResponse \(ns)><ReceiveMessageResult/>"
                + "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ReceiveMessageResponse>")
        let none = WireCodec.encode(EmptyResponse(), operation: .deleteMessage, in: .query, requestId: "r")
        #expect(bodyString(none) == "<?xml version=\"1.0\"?><DeleteMessageResponse \(ns)>"
                + "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DeleteMessageResponse>")
    }

    @Test(arguments: [WireProtocol.query, .json])
    func unknownOperationIsOneEmptyElementInEitherProtocol(wireProtocol: WireProtocol) {
        // docs/sqs-behaviour.md#dispatch: what SQS answers a bare GET of a queue URL.
        let error = SQSError(code: .unknownOperationException, httpStatus: 404,
                             message: "An unknown operation was requested.", modeled: false)
        let r = WireCodec.encode(error: error, in: wireProtocol, requestId: "r")
        #expect(r.status == 404)
        #expect(header(r, "Content-Type") == "text/xml")
        #expect(header(r, "x-amzn-RequestId") == "r")
        #expect(bodyString(r) == "<UnknownOperationException/>")
    }

    @Test func listsAndMapsXML() throws {
        let lq = bodyString(WireCodec.encode(ListQueuesResponse(QueueUrls: ["u1", "u2"], NextToken: nil),
                                             operation: .listQueues, in: .query, requestId: "r"))
        #expect(lq.contains("<ListQueuesResult><QueueUrl>u1</QueueUrl><QueueUrl>u2</QueueUrl></ListQueuesResult>"))
        let dl = bodyString(WireCodec.encode(ListDeadLetterSourceQueuesResponse(queueUrls: ["d"], NextToken: "t"),
                                             operation: .listDeadLetterSourceQueues, in: .query, requestId: "r"))
        #expect(dl.contains("<ListDeadLetterSourceQueuesResult><QueueUrl>d</QueueUrl><NextToken>t</NextToken>"))
        let tags = bodyString(WireCodec.encode(ListQueueTagsResponse(Tags: ["b": "2", "a": "1"]),
                                               operation: .listQueueTags, in: .query, requestId: "r"))
        #expect(tags.contains("<ListQueueTagsResult><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>b</Key><Value>2</Value></Tag></ListQueueTagsResult>"))
        let attrs = bodyString(WireCodec.encode(GetQueueAttributesResponse(Attributes: ["DelaySeconds": "0"]),
                                                operation: .getQueueAttributes, in: .query, requestId: "r"))
        #expect(attrs.contains("<GetQueueAttributesResult><Attribute><Name>DelaySeconds</Name><Value>0</Value></Attribute></GetQueueAttributesResult>"))
        // The entry has no public memberwise init; build it the way the engine's tests would.
        let task = try JSONDecoder().decode(ListMessageMoveTasksResultEntry.self, from: Data(
            #"{"TaskHandle":"h","Status":"RUNNING","ApproximateNumberOfMessagesMoved":3}"#.utf8))
        let tasks = bodyString(WireCodec.encode(ListMessageMoveTasksResponse(Results: [task]),
                                                operation: .listMessageMoveTasks, in: .query, requestId: "r"))
        #expect(tasks.contains("<ListMessageMoveTasksResultEntry><TaskHandle>h</TaskHandle><Status>RUNNING</Status><ApproximateNumberOfMessagesMoved>3</ApproximateNumberOfMessagesMoved></ListMessageMoveTasksResultEntry>"))
    }

    func batchResponse() -> SendMessageBatchResponse {
        let ok = SendMessageBatchResultEntry(Id: "a", result: SendMessageResponse(
            MD5OfMessageBody: "m1", MD5OfMessageAttributes: nil, MD5OfMessageSystemAttributes: nil, MessageId: "id-a"))
        let bad = BatchResultErrorEntry(Id: "b", error: .invalidMessageContents())
        let serverSide = BatchResultErrorEntry(Id: "c", error: .internalError("boom"))
        return SendMessageBatchResponse(Successful: [ok], Failed: [bad, serverSide])
    }

    @Test func batchWithFailuresJSON() throws {
        let r = WireCodec.encode(batchResponse(), operation: .sendMessageBatch, in: .json, requestId: "r")
        #expect(r.status == 200)
        let object = try jsonObject(r)
        let ok = try #require(object["Successful"] as? [[String: Any]])
        #expect(ok.count == 1 && ok[0]["Id"] as? String == "a" && ok[0]["MessageId"] as? String == "id-a")
        #expect(ok[0]["MD5OfMessageAttributes"] == nil)
        let failed = try #require(object["Failed"] as? [[String: Any]])
        #expect(failed.count == 2)
        #expect(failed[0]["Id"] as? String == "b")
        #expect(failed[0]["SenderFault"] as? Bool == true)
        #expect(failed[0]["Code"] as? String == "InvalidMessageContents")
        #expect(failed[1]["SenderFault"] as? Bool == false)
        #expect(failed[1]["Code"] as? String == "InternalError")
        // All successful: no Failed key.
        let allOK = WireCodec.encode(BatchIdResponse(Successful: [BatchResultEntry(Id: "x")], Failed: []),
                                     operation: .deleteMessageBatch, in: .json, requestId: "r")
        #expect(bodyString(allOK) == #"{"Successful":[{"Id":"x"}]}"#)
    }

    @Test func batchWithFailuresXML() {
        let s = bodyString(WireCodec.encode(batchResponse(), operation: .sendMessageBatch, in: .query, requestId: "r"))
        #expect(s.contains("<SendMessageBatchResult><SendMessageBatchResultEntry><Id>a</Id><MessageId>id-a</MessageId><MD5OfMessageBody>m1</MD5OfMessageBody></SendMessageBatchResultEntry>"))
        #expect(s.contains("<BatchResultErrorEntry><Id>b</Id><SenderFault>true</SenderFault><Code>InvalidMessageContents</Code><Message>"))
        #expect(s.contains("<BatchResultErrorEntry><Id>c</Id><SenderFault>false</SenderFault><Code>InternalError</Code><Message>boom</Message></BatchResultErrorEntry></SendMessageBatchResult>"))

        let ids = BatchIdResponse(Successful: [BatchResultEntry(Id: "x")],
                                  Failed: [BatchResultErrorEntry(Id: "y", error: .receiptHandleIsInvalid("h"))])
        let del = bodyString(WireCodec.encode(ids, operation: .deleteMessageBatch, in: .query, requestId: "r"))
        #expect(del.contains("<DeleteMessageBatchResult><DeleteMessageBatchResultEntry><Id>x</Id></DeleteMessageBatchResultEntry><BatchResultErrorEntry><Id>y</Id><SenderFault>true</SenderFault><Code>ReceiptHandleIsInvalid</Code>"))
        let cmv = bodyString(WireCodec.encode(ids, operation: .changeMessageVisibilityBatch, in: .query, requestId: "r"))
        #expect(cmv.contains("<ChangeMessageVisibilityBatchResult><ChangeMessageVisibilityBatchResultEntry><Id>x</Id></ChangeMessageVisibilityBatchResultEntry>"))
        #expect(!cmv.contains("DeleteMessageBatchResultEntry"))
    }

    @Test func errorJSON() throws {
        let r = WireCodec.encode(error: .queueDoesNotExist(), in: .json, requestId: "req-e")
        #expect(r.status == 400)
        #expect(header(r, "Content-Type") == "application/x-amz-json-1.0")
        #expect(header(r, "x-amzn-RequestId") == "req-e")
        #expect(header(r, "x-amzn-query-error") == "AWS.SimpleQueueService.NonExistentQueue;Sender")
        let object = try jsonObject(r)
        #expect(object["__type"] as? String == "com.amazonaws.sqs#QueueDoesNotExist")
        #expect(object["message"] as? String == "The specified queue does not exist.")
        #expect(object.count == 2)

        let serverSide = WireCodec.encode(error: .internalError("x"), in: .json, requestId: "r")
        #expect(serverSide.status == 500)
        #expect(header(serverSide, "x-amzn-query-error") == "InternalError;Receiver")
        #expect(try jsonObject(serverSide)["__type"] as? String == "com.amazon.coral.service#InternalError")
    }

    @Test func errorXML() {
        let r = WireCodec.encode(error: .receiptHandleIsInvalid("a<b"), in: .query, requestId: "req-x")
        #expect(r.status == 404)
        #expect(header(r, "Content-Type") == "text/xml")
        #expect(header(r, "x-amzn-RequestId") == "req-x")
        #expect(header(r, "x-amzn-query-error") == "ReceiptHandleIsInvalid;Sender")
        #expect(bodyString(r) == "<?xml version=\"1.0\"?><ErrorResponse \(ns)><Error><Type>Sender</Type>"
                + "<Code>ReceiptHandleIsInvalid</Code>"
                + "<Message>The input receipt handle &quot;a&lt;b&quot; is not a valid receipt handle.</Message>"
                + "<Detail/></Error><RequestId>req-x</RequestId></ErrorResponse>")
        let receiver = bodyString(WireCodec.encode(error: .internalError("x"), in: .query, requestId: "r"))
        #expect(receiver.contains("<Type>Receiver</Type><Code>InternalError</Code>"))
    }

    @Test func sendMessageXMLOrder() {
        let r = SendMessageResponse(MD5OfMessageBody: "b", MD5OfMessageAttributes: "a", MD5OfMessageSystemAttributes: nil,
                                    MessageId: "m", SequenceNumber: "1")
        let s = bodyString(WireCodec.encode(r, operation: .sendMessage, in: .query, requestId: "r"))
        #expect(s.contains("<SendMessageResult><MessageId>m</MessageId><MD5OfMessageBody>b</MD5OfMessageBody><MD5OfMessageAttributes>a</MD5OfMessageAttributes><SequenceNumber>1</SequenceNumber></SendMessageResult>"))
    }
}
