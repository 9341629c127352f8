import Foundation
import SQSModel
import Testing
import WharfEngine

/// Queue attributes and tags (docs/sqs-behaviour.md#queue-attributes, #quotas).
@Suite struct QueueAttributeTests {
    @Test func allAttributesOfAFreshQueue() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("fresh")
        let attributes = try await h.attributes(url)
        #expect(Set(attributes.keys) == [
            "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesDelayed",
            "ApproximateNumberOfMessagesNotVisible", "CreatedTimestamp", "DelaySeconds", "LastModifiedTimestamp",
            "MaximumMessageSize", "MessageRetentionPeriod", "QueueArn", "ReceiveMessageWaitTimeSeconds",
            "SqsManagedSseEnabled", "VisibilityTimeout",
        ])
        #expect(attributes["ApproximateNumberOfMessages"] == "0")
        #expect(attributes["ApproximateNumberOfMessagesDelayed"] == "0")
        #expect(attributes["ApproximateNumberOfMessagesNotVisible"] == "0")
        #expect(attributes["DelaySeconds"] == "0")
        #expect(attributes["MaximumMessageSize"] == "1048576")
        #expect(attributes["MessageRetentionPeriod"] == "345600")
        #expect(attributes["ReceiveMessageWaitTimeSeconds"] == "0")
        #expect(attributes["SqsManagedSseEnabled"] == "true")
        #expect(attributes["VisibilityTimeout"] == "30")
        #expect(attributes["QueueArn"] == "arn:aws:sqs:us-east-1:000000000000:fresh")
        let seconds = String(h.clock.nowMillis() / 1000)
        #expect(attributes["CreatedTimestamp"] == seconds)
        #expect(attributes["LastModifiedTimestamp"] == seconds)
    }

    @Test func noNamesMeansNoAttributesAndSpecificNamesOnlyThose() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("few")
        let none = try await h.engine.getQueueAttributes(GetQueueAttributesRequest(QueueUrl: url), ctx)
        #expect(none.Attributes == nil)
        let some = try await h.attributes(url, ["VisibilityTimeout", "ApproximateNumberOfMessages"])
        #expect(some == ["VisibilityTimeout": "30", "ApproximateNumberOfMessages": "0"])
        // Unset optional attributes are not returned even when asked for.
        #expect(try await h.attributes(url, ["Policy", "RedrivePolicy", "KmsMasterKeyId"]).isEmpty)
    }

    @Test func unknownAttributeNameOnGet() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("get")
        await expectSQSError("InvalidAttributeName", message: "Unknown Attribute Bogus.") {
            _ = try await h.attributes(url, ["Bogus"])
        }
    }

    @Test func createWithAttributesReportsThem() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("custom", [
            "DelaySeconds": "5", "MaximumMessageSize": "2048", "MessageRetentionPeriod": "60",
            "ReceiveMessageWaitTimeSeconds": "20", "VisibilityTimeout": "0",
        ])
        let attributes = try await h.attributes(url)
        #expect(attributes["DelaySeconds"] == "5")
        #expect(attributes["MaximumMessageSize"] == "2048")
        #expect(attributes["MessageRetentionPeriod"] == "60")
        #expect(attributes["ReceiveMessageWaitTimeSeconds"] == "20")
        #expect(attributes["VisibilityTimeout"] == "0")
    }

    static let outOfRange: [(String, String)] = [
        ("VisibilityTimeout", "43201"), ("VisibilityTimeout", "-1"), ("MessageRetentionPeriod", "59"),
        ("MessageRetentionPeriod", "1209601"), ("DelaySeconds", "901"), ("MaximumMessageSize", "1023"),
        ("MaximumMessageSize", "1048577"), ("ReceiveMessageWaitTimeSeconds", "21"), ("VisibilityTimeout", "abc"),
        ("KmsDataKeyReusePeriodSeconds", "59"), ("SqsManagedSseEnabled", "maybe"), ("Policy", "{not json"),
    ]

    @Test(arguments: QueueAttributeTests.outOfRange)
    func invalidAttributeValueOnCreateAndSet(_ name: String, _ value: String) async throws {
        let h = try await Harness()
        let error = await sqsError { try await h.createQueue("bad", [name: value]) }
        #expect(error?.queryCode == "InvalidAttributeValue")
        #expect(error?.httpStatus == 400)
        #expect(error?.message.hasPrefix("Invalid value for the parameter \(name).") == true)
        // Nothing was created.
        await expectSQSError("AWS.SimpleQueueService.NonExistentQueue") {
            _ = try await h.engine.getQueueUrl(GetQueueUrlRequest(QueueName: "bad"), ctx)
        }
        let url = try await h.createQueue("good")
        let setError = await sqsError {
            _ = try await h.engine.setQueueAttributes(SetQueueAttributesRequest(QueueUrl: url, Attributes: [name: value]), ctx)
        }
        #expect(setError?.queryCode == "InvalidAttributeValue")
    }

    @Test func boundaryValuesAreAccepted() async throws {
        let h = try await Harness()
        let low = ["VisibilityTimeout": "0", "MessageRetentionPeriod": "60", "DelaySeconds": "0",
                   "MaximumMessageSize": "1024", "ReceiveMessageWaitTimeSeconds": "0"]
        let high = ["VisibilityTimeout": "43200", "MessageRetentionPeriod": "1209600", "DelaySeconds": "900",
                    "MaximumMessageSize": "1048576", "ReceiveMessageWaitTimeSeconds": "20"]
        for (name, attributes) in [("lo", low), ("hi", high)] {
            let url = try await h.createQueue(name, attributes)
            // Taken as given, not clamped or replaced by a default.
            #expect(try await h.attributes(url, Array(attributes.keys)) == attributes)
        }
    }

    @Test func unknownAttributeName() async throws {
        let h = try await Harness()
        await expectSQSError("InvalidAttributeName", message: "Unknown Attribute Bogus.") {
            try await h.createQueue("q", ["Bogus": "1"])
        }
        let url = try await h.createQueue("q")
        await expectSQSError("InvalidAttributeName", message: "Unknown Attribute Bogus.") {
            _ = try await h.engine.setQueueAttributes(SetQueueAttributesRequest(QueueUrl: url, Attributes: ["Bogus": "1"]), ctx)
        }
    }

    @Test func fifoAttributesOnAStandardQueue() async throws {
        let h = try await Harness()
        // Even "false" is rejected on a standard queue (docs/sqs-behaviour.md#queue-attributes).
        await expectSQSError("InvalidAttributeName", message: "Unknown Attribute FifoQueue.") {
            try await h.createQueue("std", ["FifoQueue": "false"])
        }
        await expectSQSError("InvalidAttributeName", message: "Unknown Attribute ContentBasedDeduplication.") {
            try await h.createQueue("std", ["ContentBasedDeduplication": "true"])
        }
        await expectSQSError("InvalidAttributeName",
                             message: "You can specify the DeduplicationScope only when FifoQueue is set to true.") {
            try await h.createQueue("std", ["DeduplicationScope": "queue"])
        }
        await expectSQSError("InvalidAttributeName",
                             message: "You can specify the FifoThroughputLimit only when FifoQueue is set to true.") {
            try await h.createQueue("std", ["FifoThroughputLimit": "perQueue"])
        }
        let url = try await h.createQueue("std")
        await expectSQSError("InvalidAttributeName", message: "Unknown Attribute FifoQueue.") {
            _ = try await h.engine.setQueueAttributes(SetQueueAttributesRequest(QueueUrl: url, Attributes: ["FifoQueue": "true"]), ctx)
        }
    }

    @Test func fifoNameRules() async throws {
        let h = try await Harness()
        // FifoQueue=true without .fifo, and .fifo without FifoQueue=true: InvalidParameterValue
        // (docs/sqs-behaviour.md#queue-names).
        await expectSQSError("InvalidParameterValue") { try await h.createQueue("plain", ["FifoQueue": "true"]) }
        await expectSQSError("InvalidParameterValue") { try await h.createQueue("named.fifo") }
    }

    @Test func setQueueAttributesUpdatesLastModified() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("mod")
        let before = try await h.attributes(url, ["CreatedTimestamp", "LastModifiedTimestamp"])
        h.clock.advance(bySeconds: 100)
        _ = try await h.engine.setQueueAttributes(
            SetQueueAttributesRequest(QueueUrl: url, Attributes: ["VisibilityTimeout": "77", "DelaySeconds": "3"]), ctx)
        let after = try await h.attributes(url)
        #expect(after["VisibilityTimeout"] == "77")
        #expect(after["DelaySeconds"] == "3")
        #expect(after["CreatedTimestamp"] == before["CreatedTimestamp"])
        let created = try #require(Int(before["LastModifiedTimestamp"] ?? ""))
        #expect(after["LastModifiedTimestamp"] == String(created + 100))
    }

    @Test func policyCanBeSetAndRemoved() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("pol")
        let policy = #"{"Version":"2012-10-17","Statement":[]}"#
        _ = try await h.engine.setQueueAttributes(SetQueueAttributesRequest(QueueUrl: url, Attributes: ["Policy": policy]), ctx)
        #expect(try await h.attributes(url)["Policy"] == policy)
        _ = try await h.engine.setQueueAttributes(SetQueueAttributesRequest(QueueUrl: url, Attributes: ["Policy": ""]), ctx)
        #expect(try await h.attributes(url)["Policy"] == nil)
    }

    @Test func sseKmsAndSqsAreExclusive() async throws {
        let h = try await Harness()
        await expectSQSError(
            "InvalidAttributeName",
            message: "You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.") {
            try await h.createQueue("sse", ["KmsMasterKeyId": "alias/aws/sqs", "SqsManagedSseEnabled": "true"])
        }
        let url = try await h.createQueue("sse", ["KmsMasterKeyId": "alias/aws/sqs"])
        let attributes = try await h.attributes(url)
        #expect(attributes["KmsMasterKeyId"] == "alias/aws/sqs")
        #expect(attributes["SqsManagedSseEnabled"] == "false")
    }

    @Test func countsVisibleInFlightAndDelayed() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("counts")
        try await h.send(url, "visible-1")
        try await h.send(url, "visible-2")
        try await h.send(url, "delayed", delay: 60)
        #expect(try await h.counts(url) == (2, 0, 1))
        let got = try await h.receive(url)
        #expect(got.count == 1)
        #expect(try await h.counts(url) == (1, 1, 1))
        h.clock.advance(bySeconds: 30)   // visibility timeout (30 s default) ends
        #expect(try await h.counts(url) == (2, 0, 1))
        h.clock.advance(bySeconds: 30)   // delay ends
        #expect(try await h.counts(url) == (3, 0, 0))
        try await h.delete(url, got[0].ReceiptHandle)
        #expect(try await h.counts(url) == (2, 0, 0))
    }

    @Test func tags() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("tagged", tags: ["team": "core", "env": "test"])
        #expect(try await h.engine.listQueueTags(ListQueueTagsRequest(QueueUrl: url), ctx).Tags == ["team": "core", "env": "test"])
        _ = try await h.engine.tagQueue(TagQueueRequest(QueueUrl: url, Tags: ["env": "prod", "empty": ""]), ctx)
        #expect(try await h.engine.listQueueTags(ListQueueTagsRequest(QueueUrl: url), ctx).Tags ==
                ["team": "core", "env": "prod", "empty": ""])
        _ = try await h.engine.untagQueue(UntagQueueRequest(QueueUrl: url, TagKeys: ["team", "missing"]), ctx)
        #expect(try await h.engine.listQueueTags(ListQueueTagsRequest(QueueUrl: url), ctx).Tags == ["env": "prod", "empty": ""])
        _ = try await h.engine.untagQueue(UntagQueueRequest(QueueUrl: url, TagKeys: ["env", "empty"]), ctx)
        #expect(try await h.engine.listQueueTags(ListQueueTagsRequest(QueueUrl: url), ctx).Tags == nil)

        let untagged = try await h.createQueue("untagged")
        #expect(try await h.engine.listQueueTags(ListQueueTagsRequest(QueueUrl: untagged), ctx).Tags == nil)
    }

    @Test func tagRules() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("tagrules")
        await expectSQSError("InvalidParameterValue") {
            _ = try await h.engine.tagQueue(TagQueueRequest(QueueUrl: url, Tags: ["aws:reserved": "x"]), ctx)
        }
        await expectSQSError("InvalidParameterValue") {
            _ = try await h.engine.tagQueue(TagQueueRequest(QueueUrl: url, Tags: [String(repeating: "k", count: 129): "x"]), ctx)
        }
        await expectSQSError("InvalidParameterValue") {
            _ = try await h.engine.tagQueue(TagQueueRequest(QueueUrl: url, Tags: ["k": String(repeating: "v", count: 257)]), ctx)
        }
        #expect(try await h.engine.listQueueTags(ListQueueTagsRequest(QueueUrl: url), ctx).Tags == nil)
    }
}
