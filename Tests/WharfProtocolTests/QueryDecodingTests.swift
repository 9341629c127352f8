import Foundation
import SQSModel
import Testing
@testable import WharfProtocol

@Suite struct QueryDecodingTests {
    @Test func sendMessageExample() throws {
        // botocore's Query SendMessage (docs/sqs-behaviour.md#signed-examples), byte for byte.
        let body = "Action=SendMessage&Version=2012-11-05&QueueUrl=https%3A%2F%2Fsqs.us-east-1.amazonaws.com%2F123456789012%2FMyQueue&MessageBody=Hello+from+SQS&MessageAttribute.1.Name=City&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=Any+City&MessageAttribute.2.Name=Count&MessageAttribute.2.Value.DataType=Number.int&MessageAttribute.2.Value.StringValue=42&MessageAttribute.3.Name=Blob&MessageAttribute.3.Value.DataType=Binary&MessageAttribute.3.Value.BinaryValue=AAEC&MessageSystemAttribute.1.Name=AWSTraceHeader&MessageSystemAttribute.1.Value.DataType=String&MessageSystemAttribute.1.Value.StringValue=Root%3D1-5759e988-bd862e3fe1be46a994272793%3BSampled%3D1"
        let call = try queryCall(body)
        #expect(call.operation == .sendMessage)
        #expect(call.wireProtocol == .query)
        let r = try call.decode(SendMessageRequest.self)
        #expect(r.QueueUrl == "https://sqs.us-east-1.amazonaws.com/123456789012/MyQueue")
        #expect(r.MessageBody == "Hello from SQS")
        #expect(r.MessageAttributes == [
            "City": MessageAttributeValue(dataType: "String", stringValue: "Any City"),
            "Count": MessageAttributeValue(dataType: "Number.int", stringValue: "42"),
            "Blob": MessageAttributeValue(dataType: "Binary", binaryValue: Data([0, 1, 2])),
        ])
        #expect(r.MessageSystemAttributes == [
            "AWSTraceHeader": MessageAttributeValue(dataType: "String",
                                                    stringValue: "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"),
        ])
    }

    @Test func receiveMessageExample() throws {
        // botocore's Query ReceiveMessage (docs/sqs-behaviour.md#signed-examples), byte for byte.
        let body = "Action=ReceiveMessage&Version=2012-11-05&QueueUrl=https%3A%2F%2Fsqs.us-east-1.amazonaws.com%2F123456789012%2FMyQueue&MaxNumberOfMessages=2&WaitTimeSeconds=10&VisibilityTimeout=30&AttributeName.1=All&MessageAttributeName.1=All"
        let r = try queryCall(body).decode(ReceiveMessageRequest.self)
        #expect(r.QueueUrl == "https://sqs.us-east-1.amazonaws.com/123456789012/MyQueue")
        #expect(r.MaxNumberOfMessages == 2)
        #expect(r.WaitTimeSeconds == 10)
        #expect(r.VisibilityTimeout == 30)
        #expect(r.AttributeNames == ["All"])
        #expect(r.MessageAttributeNames == ["All"])
        #expect(r.MessageSystemAttributeNames == nil)
    }

    @Test func receiveMessageSystemAttributeNames() throws {
        let r = try queryCall("Action=ReceiveMessage&QueueUrl=q&MessageSystemAttributeName.2=SentTimestamp&MessageSystemAttributeName.1=SenderId")
            .decode(ReceiveMessageRequest.self)
        #expect(r.MessageSystemAttributeNames == ["SenderId", "SentTimestamp"])
    }

    @Test func sendMessageBatchKeepsNumericOrder() throws {
        var params = ["Action=SendMessageBatch", "QueueUrl=q"]
        // Shuffled on purpose, 12 entries so lexical order ("10" < "2") would be visibly wrong.
        for n in [3, 11, 1, 10, 2, 12, 9, 4, 5, 6, 8, 7] {
            params.append("SendMessageBatchRequestEntry.\(n).Id=id\(n)")
            params.append("SendMessageBatchRequestEntry.\(n).MessageBody=body+\(n)")
        }
        params.append("SendMessageBatchRequestEntry.10.DelaySeconds=7")
        params.append("SendMessageBatchRequestEntry.10.MessageGroupId=g")
        params.append("SendMessageBatchRequestEntry.10.MessageDeduplicationId=d")
        params.append("SendMessageBatchRequestEntry.10.MessageAttribute.2.Name=B")
        params.append("SendMessageBatchRequestEntry.10.MessageAttribute.2.Value.DataType=Binary")
        params.append("SendMessageBatchRequestEntry.10.MessageAttribute.2.Value.BinaryValue=AAEC")
        params.append("SendMessageBatchRequestEntry.10.MessageAttribute.1.Name=S")
        params.append("SendMessageBatchRequestEntry.10.MessageAttribute.1.Value.DataType=String")
        params.append("SendMessageBatchRequestEntry.10.MessageAttribute.1.Value.StringValue=x")
        params.append("SendMessageBatchRequestEntry.10.MessageSystemAttribute.1.Name=AWSTraceHeader")
        params.append("SendMessageBatchRequestEntry.10.MessageSystemAttribute.1.Value.DataType=String")
        params.append("SendMessageBatchRequestEntry.10.MessageSystemAttribute.1.Value.StringValue=Root%3D1")
        let r = try queryCall(params.joined(separator: "&")).decode(SendMessageBatchRequest.self)
        let entries = try #require(r.Entries)
        #expect(entries.map(\.Id) == (1...12).map { "id\($0)" })
        #expect(entries.map(\.MessageBody) == (1...12).map { "body \($0)" })
        let tenth = entries[9]
        #expect(tenth.DelaySeconds == 7)
        #expect(tenth.MessageGroupId == "g")
        #expect(tenth.MessageDeduplicationId == "d")
        #expect(tenth.MessageAttributes == [
            "S": MessageAttributeValue(dataType: "String", stringValue: "x"),
            "B": MessageAttributeValue(dataType: "Binary", binaryValue: Data([0, 1, 2])),
        ])
        #expect(tenth.MessageSystemAttributes?["AWSTraceHeader"]?.StringValue == "Root=1")
        #expect(entries[0].DelaySeconds == nil && entries[0].MessageAttributes == nil)
    }

    @Test func deleteAndChangeVisibilityBatchEntries() throws {
        let d = try queryCall("Action=DeleteMessageBatch&QueueUrl=q&DeleteMessageBatchRequestEntry.2.Id=b&DeleteMessageBatchRequestEntry.2.ReceiptHandle=rb&DeleteMessageBatchRequestEntry.1.Id=a&DeleteMessageBatchRequestEntry.1.ReceiptHandle=ra")
            .decode(DeleteMessageBatchRequest.self)
        #expect(d.Entries?.map(\.Id) == ["a", "b"])
        #expect(d.Entries?.map(\.ReceiptHandle) == ["ra", "rb"])

        let c = try queryCall("Action=ChangeMessageVisibilityBatch&QueueUrl=q&ChangeMessageVisibilityBatchRequestEntry.1.Id=a&ChangeMessageVisibilityBatchRequestEntry.1.ReceiptHandle=ra&ChangeMessageVisibilityBatchRequestEntry.1.VisibilityTimeout=60&ChangeMessageVisibilityBatchRequestEntry.2.Id=b&ChangeMessageVisibilityBatchRequestEntry.2.ReceiptHandle=rb")
            .decode(ChangeMessageVisibilityBatchRequest.self)
        #expect(c.Entries?.map(\.Id) == ["a", "b"])
        #expect(c.Entries?.map(\.VisibilityTimeout) == [60, nil])
    }

    @Test func emptyBatchesDecodeAsEmptyLists() throws {
        let bare = try queryCall("Action=SendMessageBatch&QueueUrl=q&Entries=").decode(SendMessageBatchRequest.self)
        #expect(bare.Entries?.isEmpty == true)
        let none = try queryCall("Action=DeleteMessageBatch&QueueUrl=q").decode(DeleteMessageBatchRequest.self)
        #expect(none.Entries?.isEmpty == true)
        let cmv = try queryCall("Action=ChangeMessageVisibilityBatch&QueueUrl=q").decode(ChangeMessageVisibilityBatchRequest.self)
        #expect(cmv.Entries?.isEmpty == true)
    }

    @Test func missingMemberInBatchEntry() {
        #expect(throws: SQSError.missingParameter("MessageBody")) {
            try queryCall("Action=SendMessageBatch&QueueUrl=q&SendMessageBatchRequestEntry.1.Id=a")
                .decode(SendMessageBatchRequest.self)
        }
    }

    @Test func createQueueAttributesAndLowerCaseTags() throws {
        let r = try queryCall("Action=CreateQueue&QueueName=q1&Attribute.1.Name=DelaySeconds&Attribute.1.Value=5&Attribute.2.Name=FifoQueue&Attribute.2.Value=true&Tag.1.Key=team&Tag.1.Value=core&Tag.2.Key=env&Tag.2.Value=")
            .decode(CreateQueueRequest.self)
        #expect(r.QueueName == "q1")
        #expect(r.Attributes == ["DelaySeconds": "5", "FifoQueue": "true"])
        #expect(r.tags == ["team": "core", "env": ""])
    }

    @Test func setQueueAttributes() throws {
        let r = try queryCall("Action=SetQueueAttributes&QueueUrl=q&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=45")
            .decode(SetQueueAttributesRequest.self)
        #expect(r.Attributes == ["VisibilityTimeout": "45"])
        #expect(throws: SQSError.missingParameter("Attributes")) {
            try queryCall("Action=SetQueueAttributes&QueueUrl=q").decode(SetQueueAttributesRequest.self)
        }
    }

    @Test func tagQueueAndUntagQueue() throws {
        let t = try queryCall("Action=TagQueue&QueueUrl=q&Tag.1.Key=a&Tag.1.Value=1&Tag.2.Key=b&Tag.2.Value=2")
            .decode(TagQueueRequest.self)
        #expect(t.Tags == ["a": "1", "b": "2"])
        let u = try queryCall("Action=UntagQueue&QueueUrl=q&TagKey.1=a&TagKey.2=b").decode(UntagQueueRequest.self)
        #expect(u.TagKeys == ["a", "b"])
    }

    @Test func getQueueAttributesNames() throws {
        let r = try queryCall("Action=GetQueueAttributes&QueueUrl=q&AttributeName.1=QueueArn&AttributeName.2=DelaySeconds")
            .decode(GetQueueAttributesRequest.self)
        #expect(r.AttributeNames == ["QueueArn", "DelaySeconds"])
        let bare = try queryCall("Action=GetQueueAttributes&QueueUrl=q&AttributeNames=")
            .decode(GetQueueAttributesRequest.self)
        #expect(bare.AttributeNames == [])
    }

    @Test func addPermissionLists() throws {
        let r = try queryCall("Action=AddPermission&QueueUrl=q&Label=l&AWSAccountId.1=111122223333&AWSAccountId.2=444455556666&ActionName.1=SendMessage&ActionName.2=ReceiveMessage")
            .decode(AddPermissionRequest.self)
        #expect(r.Label == "l")
        #expect(r.AWSAccountIds == ["111122223333", "444455556666"])
        #expect(r.Actions == ["SendMessage", "ReceiveMessage"])
    }

    @Test func otherScalarsAndIntegers() throws {
        let l = try queryCall("Action=ListQueues&QueueNamePrefix=pre&MaxResults=10&NextToken=t").decode(ListQueuesRequest.self)
        #expect(l.QueueNamePrefix == "pre" && l.MaxResults == 10 && l.NextToken == "t")
        let s = try queryCall("Action=StartMessageMoveTask&SourceArn=arn%3Aa&MaxNumberOfMessagesPerSecond=50")
            .decode(StartMessageMoveTaskRequest.self)
        #expect(s.SourceArn == "arn:a" && s.MaxNumberOfMessagesPerSecond == 50 && s.DestinationArn == nil)
        let c = try queryCall("Action=ChangeMessageVisibility&QueueUrl=q&ReceiptHandle=r%2B1&VisibilityTimeout=0")
            .decode(ChangeMessageVisibilityRequest.self)
        #expect(c.ReceiptHandle == "r+1" && c.VisibilityTimeout == 0)
    }

    @Test func nonIntegerIsInvalidParameterValue() {
        #expect(throws: SQSError.invalidParameterValue(value: "abc", parameter: "DelaySeconds", reason: "Must be an integer.")) {
            try queryCall("Action=SendMessage&QueueUrl=q&MessageBody=b&DelaySeconds=abc").decode(SendMessageRequest.self)
        }
        #expect(throws: SQSError.invalidParameterValue(value: "1.5", parameter: "WaitTimeSeconds", reason: "Must be an integer.")) {
            try queryCall("Action=ReceiveMessage&QueueUrl=q&WaitTimeSeconds=1.5").decode(ReceiveMessageRequest.self)
        }
    }

    @Test func missingRequiredMember() {
        #expect(throws: SQSError.missingParameter("MessageBody")) {
            try queryCall("Action=SendMessage&QueueUrl=q").decode(SendMessageRequest.self)
        }
    }

    @Test func queryStringAndBodyMerge() throws {
        // Presigned/GET style: everything in the query string.
        let get = try WireCodec.parse(method: "GET", target: nil, contentType: nil,
                                      queryString: "Action=SendMessage&MessageBody=foo%20bar", body: [])
        #expect(get.operation == .sendMessage)
        let g = try get.decode(SendMessageRequest.self)
        #expect(g.MessageBody == "foo bar" && g.QueueUrl == nil)
        // Both: the body wins on conflict.
        let both = try queryCall("MessageBody=from+body&QueueUrl=q", queryString: "Action=SendMessage&MessageBody=from+query")
        #expect(try both.decode(SendMessageRequest.self).MessageBody == "from body")
        // No content type on a POST is treated as a form body.
        let untyped = try WireCodec.parse(method: "POST", target: nil, contentType: nil, queryString: nil,
                                          body: Array("Action=ListQueues".utf8))
        #expect(untyped.operation == .listQueues)
    }

    @Test func percentAndUTF8() throws {
        let r = try queryCall("Action=SendMessage&QueueUrl=q&MessageBody=%E2%9C%93+%26+%2B%0D%0A")
            .decode(SendMessageRequest.self)
        #expect(r.MessageBody == "✓ & +\r\n")
        for bad in ["Action=SendMessage&MessageBody=%", "Action=SendMessage&MessageBody=%4", "Action=SendMessage&MessageBody=%zz",
                    "Action=Send%GGMessage"] {
            #expect(throws: SQSError.malformedQueryString("The request parameters contain an invalid percent-encoding.")) {
                try queryCall(bad)
            }
        }
        #expect(throws: SQSError.malformedQueryString("The request parameters are not valid UTF-8.")) {
            try queryCall("Action=SendMessage&MessageBody=%C3%28")
        }
        #expect(throws: SQSError.malformedQueryString("The request parameters are not valid UTF-8.")) {
            try WireCodec.parse(method: "POST", target: nil, contentType: "application/x-www-form-urlencoded",
                                queryString: nil, body: Array("Action=SendMessage&MessageBody=".utf8) + [0xFF, 0xFE])
        }
    }

    @Test func unknownAndMissingAction() {
        #expect(throws: SQSError.invalidAction("FooBar")) { try queryCall("Action=FooBar&Version=2012-11-05") }
        let missing = SQSError(code: .missingAction, message: "The request must contain the parameter Action.",
                               modeled: false)
        #expect(throws: missing) { try queryCall("Version=2012-11-05&QueueUrl=q") }
        #expect(throws: missing) { try queryCall("") }
        #expect(throws: missing) {
            try WireCodec.parse(method: "GET", target: nil, contentType: nil, queryString: nil, body: [])
        }
    }

    @Test func badIndexAndBadBase64() {
        #expect(throws: SQSError.self) {
            try queryCall("Action=UntagQueue&QueueUrl=q&TagKey.x=a").decode(UntagQueueRequest.self)
        }
        #expect(throws: SQSError.self) {
            try queryCall("Action=SendMessage&QueueUrl=q&MessageBody=b&MessageAttribute.1.Name=B&MessageAttribute.1.Value.DataType=Binary&MessageAttribute.1.Value.BinaryValue=%21%21")
                .decode(SendMessageRequest.self)
        }
    }

    @Test func attributeListsAndEmptyBinary() throws {
        let r = try queryCall("Action=SendMessage&QueueUrl=q&MessageBody=b&MessageAttribute.1.Name=L&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringListValue.2=y&MessageAttribute.1.Value.StringListValue.1=x&MessageAttribute.1.Value.BinaryListValue.1=AAEC&MessageAttribute.2.Name=E&MessageAttribute.2.Value.DataType=Binary&MessageAttribute.2.Value.BinaryValue=")
            .decode(SendMessageRequest.self)
        #expect(r.MessageAttributes?["L"]?.StringListValues == ["x", "y"])
        #expect(r.MessageAttributes?["L"]?.BinaryListValues == [Data([0, 1, 2])])
        #expect(r.MessageAttributes?["E"]?.BinaryValue == Data())
    }

    @Test func laterMapEntryWinsAndMissingMapParts() throws {
        let r = try queryCall("Action=SetQueueAttributes&QueueUrl=q&Attribute.2.Name=DelaySeconds&Attribute.2.Value=9&Attribute.1.Name=DelaySeconds&Attribute.1.Value=1")
            .decode(SetQueueAttributesRequest.self)
        #expect(r.Attributes == ["DelaySeconds": "9"])
        #expect(throws: SQSError.missingParameter("Attribute.1.Value")) {
            try queryCall("Action=SetQueueAttributes&QueueUrl=q&Attribute.1.Name=DelaySeconds").decode(SetQueueAttributesRequest.self)
        }
        #expect(throws: SQSError.missingParameter("MessageAttribute.1.Name")) {
            try queryCall("Action=SendMessage&QueueUrl=q&MessageBody=b&MessageAttribute.1.Value.DataType=String")
                .decode(SendMessageRequest.self)
        }
        // A message attribute's value is a structure: what it lacks is reported by member name.
        #expect(throws: SQSError.missingParameter("DataType")) {
            try queryCall("Action=SendMessage&QueueUrl=q&MessageBody=b&MessageAttribute.1.Name=a").decode(SendMessageRequest.self)
        }
    }

    /// The whole tree is checked before any member is read: a malformed parameter is reported
    /// before a missing one, and also when the operation has no such member.
    @Test func malformedParametersComeFirst() {
        #expect(throws: SQSError.invalidParameterValue(value: "abc", parameter: "DelaySeconds", reason: "Must be an integer.")) {
            try queryCall("Action=SendMessage&QueueUrl=q&DelaySeconds=abc").decode(SendMessageRequest.self)
        }
        #expect(throws: SQSError.invalidParameterValue(value: "!!", parameter: "MessageAttribute.1.Value.BinaryValue",
                                                       reason: "Must be base64 encoded.")) {
            try queryCall("Action=ListQueues&MessageAttribute.1.Name=a&MessageAttribute.1.Value.BinaryValue=%21%21")
                .decode(ListQueuesRequest.self)
        }
        #expect(throws: SQSError.invalidParameterValue(value: "x", parameter: "DeleteMessageBatchRequestEntry.2.VisibilityTimeout",
                                                       reason: "Must be an integer.")) {
            try queryCall("Action=DeleteMessageBatch&QueueUrl=q&DeleteMessageBatchRequestEntry.1.Id=a&DeleteMessageBatchRequestEntry.2.Id=b&DeleteMessageBatchRequestEntry.2.ReceiptHandle=r&DeleteMessageBatchRequestEntry.2.VisibilityTimeout=x")
                .decode(DeleteMessageBatchRequest.self)
        }
        #expect(throws: SQSError.malformedQueryString("Invalid index \"0\" in parameter AttributeName.0.")) {
            try queryCall("Action=ListQueues&AttributeName.0=x").decode(ListQueuesRequest.self)
        }
    }

    @Test func bareCollectionNames() throws {
        // `Attribute=` (and `Attributes=`) are an empty map; a bare non-empty value is ignored.
        #expect(try queryCall("Action=SetQueueAttributes&QueueUrl=q&Attributes=").decode(SetQueueAttributesRequest.self).Attributes == [:])
        #expect(try queryCall("Action=SetQueueAttributes&QueueUrl=q&Attribute=").decode(SetQueueAttributesRequest.self).Attributes == [:])
        #expect(try queryCall("Action=GetQueueAttributes&QueueUrl=q&AttributeName=All").decode(GetQueueAttributesRequest.self)
                    .AttributeNames == nil)
        // Real entries win over the empty-list marker.
        let both = try queryCall("Action=DeleteMessageBatch&QueueUrl=q&Entries=&DeleteMessageBatchRequestEntry.1.Id=a&DeleteMessageBatchRequestEntry.1.ReceiptHandle=r")
            .decode(DeleteMessageBatchRequest.self)
        #expect(both.Entries?.map(\.Id) == ["a"])
        // A parameter that has sub-parameters is not a scalar.
        #expect(throws: SQSError.missingParameter("QueueName")) {
            try queryCall("Action=GetQueueUrl&QueueName=q&QueueName.x=y").decode(GetQueueUrlRequest.self)
        }
    }

    @Test func protocolGuess() {
        #expect(WireCodec.guessProtocol(target: "AmazonSQS.Foo", contentType: nil) == .json)
        #expect(WireCodec.guessProtocol(target: nil, contentType: "application/x-amz-json-1.0") == .json)
        #expect(WireCodec.guessProtocol(target: nil, contentType: "application/x-www-form-urlencoded") == .query)
        #expect(WireCodec.guessProtocol(target: nil, contentType: nil) == .query)
    }
}
