import Foundation
import SQSModel
import Testing
import WharfEngine

/// FIFO queues (docs/sqs-behaviour.md#fifo-queues, #visibility), driven by a manual clock: the
/// 5-minute windows pass without sleeping.
struct FifoTests {
    func fifoQueue(_ h: Harness, _ name: String = "jobs.fifo", _ extra: [String: String] = [:]) async throws -> String {
        try await h.createQueue(name, ["FifoQueue": "true"].merging(extra) { $1 })
    }

    @Test func freshFifoQueueReportsItsDefaults() async throws {
        let h = try await Harness()
        let url = try await fifoQueue(h)
        let attributes = try await h.attributes(url)
        #expect(attributes["FifoQueue"] == "true")
        #expect(attributes["ContentBasedDeduplication"] == "false")
        #expect(attributes["DeduplicationScope"] == "queue")
        #expect(attributes["FifoThroughputLimit"] == "perQueue")
    }

    @Test func nameAndFifoQueueMustAgree() async throws {
        let h = try await Harness()
        await expectSQSError("InvalidParameterValue") { try await h.createQueue("a.fifo") }
        await expectSQSError("InvalidParameterValue") { try await h.createQueue("a.fifo", ["FifoQueue": "false"]) }
        await expectSQSError("InvalidParameterValue") { try await h.createQueue("a", ["FifoQueue": "true"]) }
        await expectSQSError("InvalidParameterValue") { try await h.createQueue(".fifo", ["FifoQueue": "true"]) }
        let longest = String(repeating: "n", count: 75) + ".fifo"
        _ = try await h.createQueue(longest, ["FifoQueue": "true"])
        await expectSQSError("InvalidParameterValue") { try await h.createQueue("n" + longest, ["FifoQueue": "true"]) }
        // Idempotent with the same attributes, as for standard queues.
        let url = try await fifoQueue(h)
        #expect(try await fifoQueue(h) == url)
    }

    @Test func queueTypeCannotChange() async throws {
        let h = try await Harness()
        let url = try await fifoQueue(h)
        // FifoQueue=true on a FIFO queue changes nothing: accepted, as AWS does.
        try await h.setAttributes(url, ["FifoQueue": "true"])
        #expect(try await h.attributes(url)["FifoQueue"] == "true")
        await expectSQSError("InvalidAttributeValue",
                             message: "Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.") {
            try await h.setAttributes(url, ["FifoQueue": "false"])
        }
        let standard = try await h.createQueue("plain")
        await expectSQSError("InvalidAttributeName", message: "Unknown Attribute FifoQueue.") {
            try await h.setAttributes(standard, ["FifoQueue": "true"])
        }
    }

    @Test func switchingToHighThroughputChangesDeduplicationForLaterSends() async throws {
        let h = try await Harness()
        let url = try await fifoQueue(h, "switch.fifo")
        let first = try await h.send(url, "a", group: "g1", dedup: "same")
        // Queue scope: the same id in another group is a duplicate.
        #expect(try await h.send(url, "b", group: "g2", dedup: "same").MessageId == first.MessageId)
        try await h.setAttributes(url, ["DeduplicationScope": "messageGroup", "FifoThroughputLimit": "perMessageGroupId"])
        // Group scope from now on: a new group takes the id afresh, the first group still holds it.
        let third = try await h.send(url, "c", group: "g3", dedup: "same")
        #expect(third.MessageId != first.MessageId)
        #expect(try await h.send(url, "d", group: "g3", dedup: "same").MessageId == third.MessageId)
        #expect(try await h.receive(url, max: 10).map(\.Body) == ["a", "c"])
    }

    @Test func highThroughputSettingsAreValidated() async throws {
        let h = try await Harness()
        let url = try await fifoQueue(h, "ht.fifo", ["DeduplicationScope": "messageGroup",
                                                   "FifoThroughputLimit": "perMessageGroupId"])
        #expect(try await h.attributes(url)["FifoThroughputLimit"] == "perMessageGroupId")
        await expectSQSError("InvalidAttributeValue") { try await h.setAttributes(url, ["DeduplicationScope": "group"]) }
        await expectSQSError("InvalidAttributeValue") { try await h.setAttributes(url, ["FifoThroughputLimit": "perGroup"]) }
        // perMessageGroupId needs the messageGroup scope, on create and on set.
        await expectSQSError("InvalidAttributeValue") {
            try await h.createQueue("bad.fifo", ["FifoQueue": "true", "FifoThroughputLimit": "perMessageGroupId"])
        }
        await expectSQSError("InvalidAttributeValue") { try await h.setAttributes(url, ["DeduplicationScope": "queue"]) }
        try await h.setAttributes(url, ["DeduplicationScope": "queue", "FifoThroughputLimit": "perQueue"])
        await expectSQSError("InvalidAttributeValue") { try await h.setAttributes(url, ["ContentBasedDeduplication": "yes"]) }
    }

    @Test func sendRules() async throws {
        let h = try await Harness()
        let url = try await fifoQueue(h)
        await expectSQSError("MissingParameter", message: "The request must contain the parameter MessageGroupId.") {
            try await h.send(url, "no group")
        }
        await expectSQSError("InvalidParameterValue",
                             message: "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly") {
            try await h.send(url, "no dedup", group: "g")
        }
        await expectSQSError("InvalidParameterValue",
                             message: "Value 2 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.") {
            try await h.send(url, "delayed", group: "g", dedup: "d", delay: 2)
        }
        try await h.send(url, "explicit zero delay", group: "g", dedup: "d0", delay: 0)
        for bad in ["", "has space", String(repeating: "x", count: 129), "é"] {
            await expectSQSError("InvalidParameterValue") { try await h.send(url, "x", group: bad, dedup: "d1") }
            await expectSQSError("InvalidParameterValue") { try await h.send(url, "x", group: "g", dedup: bad) }
        }
        #expect(try await h.counts(url).0 == 1)
    }

    @Test func duplicatesWithinFiveMinutesAreDroppedEvenAfterDelete() async throws {
        let h = try await Harness()
        let url = try await fifoQueue(h)
        let first = try await h.send(url, "one", group: "g", dedup: "d")
        let again = try await h.send(url, "one (retry)", group: "g", dedup: "d")
        #expect(again.MessageId == first.MessageId)
        #expect(again.SequenceNumber == first.SequenceNumber)
        #expect(try await h.counts(url).0 == 1)

        let received = try await h.receive(url)
        try await h.delete(url, received[0].ReceiptHandle)
        h.clock.advance(bySeconds: 299)
        try await h.send(url, "one (late retry)", group: "g", dedup: "d")
        #expect(try await h.counts(url).0 == 0, "the window holds after the delete")

        h.clock.advance(bySeconds: 2)
        let later = try await h.send(url, "one, a new message", group: "g", dedup: "d")
        #expect(later.MessageId != first.MessageId)
        #expect(try await h.counts(url).0 == 1)
    }

    @Test func contentBasedDeduplicationHashesTheBodyOnly() async throws {
        let h = try await Harness()
        let url = try await fifoQueue(h, "cbd.fifo", ["ContentBasedDeduplication": "true"])
        let a = try await h.send(url, "same body", group: "g1")
        let b = try await h.send(url, "same body", group: "g2")
        #expect(a.MessageId == b.MessageId, "queue scope: the group does not matter")
        try await h.send(url, "other body", group: "g1")
        try await h.send(url, "same body", group: "g1", dedup: "explicit")
        #expect(try await h.counts(url).0 == 3)
    }

    @Test func contentBasedIdIsTheSHA256OfTheBody() async throws {
        let h = try await Harness()
        let url = try await fifoQueue(h, "cbd.fifo", ["ContentBasedDeduplication": "true"])
        try await h.send(url, "abc", group: "g")
        let message = try await h.receive(url, system: ["MessageDeduplicationId"])[0]
        // FIPS 180-2 test vector.
        #expect(message.Attributes?["MessageDeduplicationId"]
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func messageGroupScopeDeduplicatesPerGroup() async throws {
        let h = try await Harness()
        let url = try await fifoQueue(h, "scoped.fifo", ["DeduplicationScope": "messageGroup"])
        try await h.send(url, "a", group: "g1", dedup: "d")
        try await h.send(url, "b", group: "g2", dedup: "d")
        try await h.send(url, "c", group: "g1", dedup: "d")
        #expect(try await h.counts(url).0 == 2)
    }

    @Test func sequenceNumbersIncreaseAndComeBackOnReceive() async throws {
        let h = try await Harness()
        let url = try await fifoQueue(h)
        var sent: [String] = []
        for i in 0..<3 { sent.append(try await h.send(url, "m\(i)", group: "g", dedup: "d\(i)").SequenceNumber!) }
        #expect(sent.allSatisfy { $0.count == 20 && $0.allSatisfy(\.isNumber) })
        #expect(sent == sent.sorted() && Set(sent).count == 3)
        let messages = try await h.receive(url, max: 10, system: ["All"])
        #expect(messages.map { $0.Attributes?["SequenceNumber"] ?? "" } == sent)
        #expect(messages.map { $0.Attributes?["MessageGroupId"] ?? "" } == ["g", "g", "g"])
        #expect(messages.map { $0.Attributes?["MessageDeduplicationId"] ?? "" } == ["d0", "d1", "d2"])
    }

    @Test func aGroupIsLockedWhileItsHeadIsInFlight() async throws {
        let h = try await Harness()
        let url = try await fifoQueue(h)
        for i in 1...3 { try await h.send(url, "g1-m\(i)", group: "g1", dedup: "g1-\(i)") }
        try await h.send(url, "g2-m1", group: "g2", dedup: "g2-1")

        let head = try await h.receive(url)
        #expect(head.map(\.Body) == ["g1-m1"])
        // g1 is locked; g2 keeps flowing.
        let next = try await h.receive(url, max: 10)
        #expect(next.map(\.Body) == ["g2-m1"])
        #expect(try await h.receive(url, max: 10).isEmpty)

        try await h.delete(url, head[0].ReceiptHandle)
        #expect(try await h.receive(url, max: 10).map(\.Body) == ["g1-m2", "g1-m3"])
    }

    @Test func visibilityExpiryUnlocksTheGroupInOrder() async throws {
        let h = try await Harness()
        let url = try await fifoQueue(h)
        for i in 1...2 { try await h.send(url, "m\(i)", group: "g", dedup: "\(i)") }
        _ = try await h.receive(url, visibility: 30)
        h.clock.advance(bySeconds: 29)
        #expect(try await h.receive(url).isEmpty)
        h.clock.advance(bySeconds: 1)
        let again = try await h.receive(url, system: ["ApproximateReceiveCount"])
        #expect(again.map(\.Body) == ["m1"], "the same head again, never m2 first")
        #expect(again[0].Attributes?["ApproximateReceiveCount"] == "2")
    }

    @Test func aReceiveDrainsOneGroupBeforeTheNext() async throws {
        let h = try await Harness()
        let url = try await fifoQueue(h)
        try await h.send(url, "g1-m1", group: "g1", dedup: "1")
        try await h.send(url, "g2-m1", group: "g2", dedup: "2")
        try await h.send(url, "g1-m2", group: "g1", dedup: "3")
        let messages = try await h.receive(url, max: 3, visibility: 0)
        #expect(messages.map(\.Body) == ["g1-m1", "g1-m2", "g2-m1"])
    }

    @Test func aHeadMadeVisibleAgainIsReturnedAloneWhileLaterOnesAreInFlight() async throws {
        let h = try await Harness()
        let url = try await fifoQueue(h)
        for i in 1...3 { try await h.send(url, "m\(i)", group: "g", dedup: "\(i)") }
        let both = try await h.receive(url, max: 2, visibility: 60)
        #expect(both.map(\.Body) == ["m1", "m2"])
        try await h.changeVisibility(url, both[0].ReceiptHandle, 0)
        #expect(try await h.receive(url, max: 10).map(\.Body) == ["m1"])
    }

    @Test func handlesExpireWithTheirVisibility() async throws {
        let h = try await Harness()
        let url = try await fifoQueue(h)
        try await h.send(url, "a", group: "g", dedup: "a")
        let first = try await h.receive(url, visibility: 10)[0].ReceiptHandle
        h.clock.advance(bySeconds: 11)
        await expectSQSError("InvalidParameterValue",
                             message: "Value \(first) for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.") {
            try await h.delete(url, first)
        }
        await expectSQSError("InvalidParameterValue") { try await h.changeVisibility(url, first, 30) }
        // A handle extended before it expired keeps working.
        let second = try await h.receive(url, visibility: 10)[0].ReceiptHandle
        h.clock.advance(bySeconds: 5)
        try await h.changeVisibility(url, second, 60)
        h.clock.advance(bySeconds: 30)
        try await h.delete(url, second)
        #expect(try await h.counts(url) == (0, 0, 0))
        // Deleting again: the message is gone, which is fine.
        try await h.delete(url, second)
    }

    @Test func aReceiveAttemptRetriedReturnsTheSameMessagesAndHandles() async throws {
        let h = try await Harness()
        let url = try await fifoQueue(h)
        for i in 1...3 { try await h.send(url, "m\(i)", group: "g\(i)", dedup: "\(i)") }
        let first = try await h.receive(url, max: 2, visibility: 30, attemptId: "attempt-1")
        #expect(first.count == 2)
        h.clock.advance(bySeconds: 20)
        let retry = try await h.receive(url, max: 2, visibility: 30, attemptId: "attempt-1")
        #expect(retry.map(\.MessageId) == first.map(\.MessageId))
        #expect(retry.map(\.ReceiptHandle) == first.map(\.ReceiptHandle))
        // The retry re-armed the visibility timeout: 20 s later they are still hidden.
        h.clock.advance(bySeconds: 20)
        #expect(try await h.receive(url, max: 10).map(\.Body) == ["m3"])
        // The handles still delete.
        for message in retry { try await h.delete(url, message.ReceiptHandle) }
        #expect(try await h.counts(url).0 == 0)
    }

    @Test func aReceiveAttemptAfterFiveMinutesIsANewReceive() async throws {
        let h = try await Harness()
        let url = try await fifoQueue(h)
        try await h.send(url, "m1", group: "g", dedup: "1")
        let first = try await h.receive(url, visibility: 0, attemptId: "a")
        h.clock.advance(bySeconds: 301)
        let later = try await h.receive(url, visibility: 0, system: ["ApproximateReceiveCount"], attemptId: "a")
        #expect(later[0].MessageId == first[0].MessageId)
        #expect(later[0].ReceiptHandle != first[0].ReceiptHandle)
        #expect(later[0].Attributes?["ApproximateReceiveCount"] == "2")
        await expectSQSError("InvalidParameterValue") { _ = try await h.receive(url, attemptId: "bad id") }
    }

    @Test func batchSendRulesAndDuplicatesInsideOneBatch() async throws {
        let h = try await Harness()
        let url = try await fifoQueue(h)
        await expectSQSError("InvalidParameterValue", message: "The request must contain the parameter MessageGroupId.") {
            _ = try await h.engine.sendMessageBatch(SendMessageBatchRequest(QueueUrl: url, Entries: [
                SendMessageBatchRequestEntry(Id: "a", MessageBody: "x", MessageDeduplicationId: "1", MessageGroupId: "g"),
                SendMessageBatchRequestEntry(Id: "b", MessageBody: "y", MessageDeduplicationId: "2"),
            ]), ctx)
        }
        let result = try await h.engine.sendMessageBatch(SendMessageBatchRequest(QueueUrl: url, Entries: [
            SendMessageBatchRequestEntry(Id: "a", MessageBody: "x", MessageDeduplicationId: "1", MessageGroupId: "g"),
            SendMessageBatchRequestEntry(Id: "b", MessageBody: "x again", MessageDeduplicationId: "1", MessageGroupId: "g"),
            SendMessageBatchRequestEntry(Id: "c", MessageBody: "z", DelaySeconds: 5, MessageDeduplicationId: "3", MessageGroupId: "g"),
        ]), ctx)
        #expect(result.Successful.map(\.Id) == ["a", "b"])
        #expect(result.Successful[0].MessageId == result.Successful[1].MessageId)
        #expect(result.Successful[0].SequenceNumber != nil)
        #expect((result.Failed ?? []).map(\.Id) == ["c"])
        #expect(try await h.counts(url).0 == 1)
    }

    @Test func queueDelayAppliesToFifoMessages() async throws {
        let h = try await Harness()
        let url = try await fifoQueue(h, "slow.fifo", ["DelaySeconds": "10"])
        try await h.send(url, "later", group: "g", dedup: "1")
        #expect(try await h.receive(url).isEmpty)
        h.clock.advance(bySeconds: 10)
        #expect(try await h.receive(url).map(\.Body) == ["later"])
    }

    @Test func fifoStateSurvivesAReopen() async throws {
        let directory = freshDirectory()
        let clock = ManualClock()
        var url = ""
        do {
            let h = try await Harness(directory: directory, clock: clock, removeOnDeinit: false)
            url = try await fifoQueue(h)
            try await h.send(url, "m1", group: "g", dedup: "d")
            _ = try await h.receive(url, visibility: 60)
        }
        let h = try await Harness(directory: directory, clock: clock)
        try await h.send(url, "m1 retry", group: "g", dedup: "d")
        #expect(try await h.counts(url) == (0, 1, 0), "dedup and the group lock survive")
        try await h.send(url, "m2", group: "g", dedup: "e")
        #expect(try await h.receive(url).isEmpty)
    }
}
