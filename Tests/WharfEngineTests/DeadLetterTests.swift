import Foundation
import SQSModel
import Testing
import WharfEngine

/// RedrivePolicy, RedriveAllowPolicy and the move to the dead-letter queue
/// (docs/sqs-behaviour.md#dead-letter-queues).
struct DeadLetterTests {
    static let arnPrefix = "arn:aws:sqs:us-east-1:000000000000:"

    func redrive(_ dlq: String, _ max: Any = 2) -> String {
        let count = max is String ? "\"\(max)\"" : "\(max)"
        return #"{"deadLetterTargetArn":"\#(Self.arnPrefix)\#(dlq)","maxReceiveCount":\#(count)}"#
    }

    @Test func redrivePolicyIsValidated() async throws {
        let h = try await Harness()
        try await h.createQueue("dlq")
        try await h.createQueue("dlq.fifo", ["FifoQueue": "true"])
        await expectSQSError("InvalidParameterValue") { try await h.createQueue("src", ["RedrivePolicy": redrive("missing")]) }
        for bad in [0, 1001] {
            await expectSQSError("InvalidParameterValue") { try await h.createQueue("src", ["RedrivePolicy": redrive("dlq", bad)]) }
        }
        await expectSQSError("InvalidParameterValue") { try await h.createQueue("src", ["RedrivePolicy": "{not json"]) }
        await expectSQSError("InvalidParameterValue") {
            try await h.createQueue("src", ["RedrivePolicy": #"{"maxReceiveCount":3}"#])
        }
        // The dead-letter queue must be of the source's type, account and region.
        await expectSQSError("InvalidParameterValue") { try await h.createQueue("src", ["RedrivePolicy": redrive("dlq.fifo")]) }
        await expectSQSError("InvalidParameterValue") {
            try await h.createQueue("src.fifo", ["FifoQueue": "true", "RedrivePolicy": redrive("dlq")])
        }
        await expectSQSError("InvalidParameterValue") {
            try await h.createQueue("src", ["RedrivePolicy": #"{"deadLetterTargetArn":"arn:aws:sqs:eu-west-1:000000000000:dlq","maxReceiveCount":1}"#])
        }
        #expect(try await h.engine.listQueues(ListQueuesRequest(), ctx).QueueUrls?.count == 2, "nothing was created")

        // A numeric string is accepted and comes back as AWS writes it.
        let url = try await h.createQueue("src", ["RedrivePolicy": redrive("dlq", "1000")])
        #expect(try await h.attributes(url)["RedrivePolicy"] == redrive("dlq", 1000))
        // Idempotent create compares the normalised policy.
        #expect(try await h.createQueue("src", ["RedrivePolicy": #"{"maxReceiveCount": "1000", "deadLetterTargetArn": "\#(Self.arnPrefix)dlq"}"#]) == url)
        try await h.setAttributes(url, ["RedrivePolicy": ""])
        #expect(try await h.attributes(url)["RedrivePolicy"] == nil)
    }

    @Test func redriveAllowPolicyDecidesWhoMayUseTheQueue() async throws {
        let h = try await Harness()
        let dlq = try await h.createQueue("dlq", ["RedriveAllowPolicy": #"{"redrivePermission":"denyAll"}"#])
        await expectSQSError("InvalidParameterValue") { try await h.createQueue("src", ["RedrivePolicy": redrive("dlq")]) }
        try await h.setAttributes(dlq, ["RedriveAllowPolicy":
            #"{"redrivePermission":"byQueue","sourceQueueArns":["\#(Self.arnPrefix)allowed"]}"#])
        await expectSQSError("InvalidParameterValue") { try await h.createQueue("src", ["RedrivePolicy": redrive("dlq")]) }
        try await h.createQueue("allowed", ["RedrivePolicy": redrive("dlq")])
        try await h.setAttributes(dlq, ["RedriveAllowPolicy": #"{"redrivePermission":"allowAll"}"#])
        try await h.createQueue("src", ["RedrivePolicy": redrive("dlq")])

        let eleven = (0..<11).map { "\"\(Self.arnPrefix)q\($0)\"" }.joined(separator: ",")
        await expectSQSError("InvalidParameterValue") {
            try await h.setAttributes(dlq, ["RedriveAllowPolicy": #"{"redrivePermission":"byQueue","sourceQueueArns":[\#(eleven)]}"#])
        }
        await expectSQSError("InvalidParameterValue") {
            try await h.setAttributes(dlq, ["RedriveAllowPolicy": #"{"redrivePermission":"allowAll","sourceQueueArns":["\#(Self.arnPrefix)x"]}"#])
        }
        await expectSQSError("InvalidParameterValue") {
            try await h.setAttributes(dlq, ["RedriveAllowPolicy": #"{"redrivePermission":"some"}"#])
        }
    }

    @Test func aMessageReceivedTooOftenMovesToTheDeadLetterQueueIntact() async throws {
        let h = try await Harness()
        let dlq = try await h.createQueue("dlq")
        let src = try await h.createQueue("src", ["RedrivePolicy": redrive("dlq", 2)])
        let sent = try await h.send(src, "poison", attributes: ["k": string("v")])
        let sentAt = try await h.receive(src, visibility: 0, system: ["SentTimestamp"])[0].Attributes?["SentTimestamp"]
        _ = try await h.receive(src, visibility: 0)
        // The third receive would exceed maxReceiveCount=2: the message moves instead.
        #expect(try await h.receive(src, visibility: 0).isEmpty)
        #expect(try await h.counts(src) == (0, 0, 0))

        let moved = try await h.receive(dlq, system: ["All"], messageAttributes: ["All"])
        #expect(moved.count == 1)
        #expect(moved[0].MessageId == sent.MessageId)
        #expect(moved[0].Body == "poison")
        #expect(moved[0].MD5OfMessageAttributes == sent.MD5OfMessageAttributes)
        #expect(moved[0].Attributes?["DeadLetterQueueSourceArn"] == Self.arnPrefix + "src")
        #expect(moved[0].Attributes?["SentTimestamp"] == sentAt)
        #expect(moved[0].Attributes?["ApproximateReceiveCount"] == "3")
    }

    @Test func redriveFillsTheReceiveWithOtherMessages() async throws {
        let h = try await Harness()
        try await h.createQueue("dlq")
        let src = try await h.createQueue("src", ["RedrivePolicy": redrive("dlq", 1)])
        try await h.send(src, "old")
        _ = try await h.receive(src, visibility: 0)
        h.clock.advance(byMillis: 1)
        try await h.send(src, "new")
        let messages = try await h.receive(src, max: 10)
        #expect(messages.map(\.Body) == ["new"])
    }

    @Test func fifoSourceMovesToFifoDeadLetterQueueAndUnblocksTheGroup() async throws {
        let h = try await Harness()
        let dlq = try await h.createQueue("dlq.fifo", ["FifoQueue": "true"])
        let src = try await h.createQueue("src.fifo", ["FifoQueue": "true", "RedrivePolicy": redrive("dlq.fifo", 1)])
        try await h.send(src, "m1", group: "g", dedup: "1")
        try await h.send(src, "m2", group: "g", dedup: "2")
        _ = try await h.receive(src, visibility: 0)
        #expect(try await h.receive(src).map(\.Body) == ["m2"])
        #expect(try await h.receive(dlq, system: ["MessageGroupId"]).map { $0.Attributes?["MessageGroupId"] } == ["g"])
    }

    @Test func theMoveSurvivesAReopen() async throws {
        let directory = freshDirectory()
        let clock = ManualClock()
        var (src, dlq) = ("", "")
        do {
            let h = try await Harness(directory: directory, clock: clock, removeOnDeinit: false)
            dlq = try await h.createQueue("dlq")
            src = try await h.createQueue("src", ["RedrivePolicy": redrive("dlq", 1)])
            try await h.send(src, "poison")
            _ = try await h.receive(src, visibility: 0)
            _ = try await h.receive(src, visibility: 0)
        }
        let h = try await Harness(directory: directory, clock: clock)
        #expect(try await h.counts(src) == (0, 0, 0))
        #expect(try await h.receive(dlq).map(\.Body) == ["poison"])
    }

    @Test func listDeadLetterSourceQueuesPages() async throws {
        let h = try await Harness()
        let dlq = try await h.createQueue("dlq")
        for name in ["c", "a", "b"] { try await h.createQueue(name, ["RedrivePolicy": redrive("dlq")]) }
        try await h.createQueue("unrelated")
        let first = try await h.engine.listDeadLetterSourceQueues(
            ListDeadLetterSourceQueuesRequest(QueueUrl: dlq, MaxResults: 2), ctx)
        #expect(first.queueUrls.map { $0.split(separator: "/").last! } == ["a", "b"])
        let second = try await h.engine.listDeadLetterSourceQueues(
            ListDeadLetterSourceQueuesRequest(QueueUrl: dlq, NextToken: first.NextToken, MaxResults: 2), ctx)
        #expect(second.queueUrls.map { $0.split(separator: "/").last! } == ["c"])
        #expect(second.NextToken == nil)
    }
}
