import Foundation
import SQSModel
import Testing
@testable import WharfEngine

/// PeekMessages, Wharf's extension (docs/console.md#peekmessages): messages in send order,
/// read without receiving them — visibility, receive counts, first-receive times and FIFO group
/// locks stay exactly as they were — and handles that delete what was peeked.
@Suite struct PeekTests {
    func peek(_ h: Harness, _ url: String, max: Int? = nil, token: String? = nil,
              in context: CallContext = ctx) async throws -> PeekMessagesResponse {
        try await h.engine.peekMessages(PeekMessagesRequest(QueueUrl: url, MaxNumberOfMessages: max, NextToken: token), context)
    }

    @Test func peekShowsMessagesInSendOrderAndReceivingThemAfterwardIsTheFirstReceive() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("peek")
        let attributes: MessageAttributes = ["City": MessageAttributeValue(dataType: "String", stringValue: "Oslo")]
        let first = try await h.send(url, #"{"n":1}"#, attributes: attributes)
        try await h.send(url, "two")
        try await h.send(url, "three")
        let peeked = try await peek(h, url)
        #expect(peeked.Messages.map(\.Body) == [#"{"n":1}"#, "two", "three"])
        #expect(peeked.NextToken == nil)
        let message = peeked.Messages[0]
        #expect(message.MessageId == first.MessageId)
        #expect(message.MD5OfBody == first.MD5OfMessageBody)
        #expect(message.MD5OfMessageAttributes == first.MD5OfMessageAttributes)
        #expect(message.MessageAttributes?["City"]?.StringValue == "Oslo")
        #expect(message.Attributes?["ApproximateReceiveCount"] == "0")
        #expect(message.Attributes?["ApproximateFirstReceiveTimestamp"] == nil)
        #expect(message.Attributes?["SentTimestamp"] == String(h.clock.nowMillis()))
        #expect(message.Attributes?["SenderId"] == ctx.senderId)
        #expect(message.Attributes?["WharfState"] == "visible")
        // Peeking twice changes nothing either.
        #expect(try await peek(h, url).Messages.map(\.Attributes?["ApproximateReceiveCount"]) == ["0", "0", "0"])

        h.clock.advance(bySeconds: 5)
        let received = try await h.receive(url, max: 10, system: ["All"])
        #expect(received.count == 3)
        #expect(received.allSatisfy { $0.Attributes?["ApproximateReceiveCount"] == "1" })
        #expect(received.allSatisfy { $0.Attributes?["ApproximateFirstReceiveTimestamp"] == String(h.clock.nowMillis()) })
        #expect(try await h.counts(url) == (0, 3, 0))
    }

    @Test func peekLeavesInFlightAndDelayedMessagesAsTheyAre() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("states")
        try await h.send(url, "a")
        try await h.send(url, "later", delay: 60)
        let taken = try await h.receive(url, visibility: 30)
        #expect(taken.map(\.Body) == ["a"])
        let receivedAt = h.clock.nowMillis()
        h.clock.advance(bySeconds: 10)

        let peeked = try await peek(h, url).Messages
        #expect(peeked.map(\.Body) == ["a", "later"])
        #expect(peeked[0].Attributes?["WharfState"] == "inFlight")
        #expect(peeked[0].Attributes?["ApproximateReceiveCount"] == "1")
        #expect(peeked[0].Attributes?["ApproximateFirstReceiveTimestamp"] == String(receivedAt))
        #expect(peeked[1].Attributes?["WharfState"] == "delayed")
        #expect(try await h.counts(url) == (0, 1, 1))
        // Still hidden until its visibility timeout ends, 30 s after the receive.
        #expect(try await h.receive(url).isEmpty)
        h.clock.advance(bySeconds: 21)
        let again = try await h.receive(url, system: ["All"])
        #expect(again.first?.Body == "a")
        #expect(again.first?.Attributes?["ApproximateReceiveCount"] == "2")
        #expect(again.first?.Attributes?["ApproximateFirstReceiveTimestamp"] == String(receivedAt))
        // The receipt handle of the real receive still works.
        try await h.delete(url, again[0].ReceiptHandle)
    }

    @Test func pagesFollowTheTokenInSendOrder() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("pages")
        // Same timestamp for all (the clock stands still): ties go by sequence.
        for i in 0..<25 { try await h.send(url, "m\(i)") }
        var bodies: [String] = []
        var token: String?
        var pages = 0
        repeat {
            let page = try await peek(h, url, max: 10, token: token)
            bodies += page.Messages.map(\.Body)
            token = page.NextToken
            pages += 1
        } while token != nil
        #expect(pages == 3)
        #expect(bodies == (0..<25).map { "m\($0)" })
        // A page that ends exactly at the last message has no token.
        #expect(try await peek(h, url, max: 25).NextToken == nil)
        #expect(try await peek(h, url, max: 24).NextToken != nil)
    }

    @Test func messagesPastRetentionAreNotShown() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("retention", ["MessageRetentionPeriod": "60"])
        try await h.send(url, "old")
        h.clock.advance(bySeconds: 30)
        try await h.send(url, "new")
        h.clock.advance(bySeconds: 31)
        #expect(try await peek(h, url).Messages.map(\.Body) == ["new"])
    }

    @Test func aPeekHandleDeletesWhileNoReceiveHappenedSince() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("peek-delete")
        try await h.send(url, "a")
        try await h.send(url, "b")
        let peeked = try await peek(h, url).Messages
        try await h.delete(url, peeked[0].ReceiptHandle)
        #expect(try await peek(h, url).Messages.map(\.Body) == ["b"])
        // "b" is received after the peek: the peeked handle no longer names it as it was.
        let received = try await h.receive(url)
        await expectSQSError("InvalidParameterValue") { try await h.delete(url, peeked[1].ReceiptHandle) }
        #expect(try await h.counts(url) == (0, 1, 0))
        // A peek's handle changes no visibility, and has no place in a batch.
        let fresh = try await peek(h, url).Messages[0]
        await expectSQSError("ReceiptHandleIsInvalid", status: 404) { try await h.changeVisibility(url, fresh.ReceiptHandle, 0) }
        let batch = try await h.engine.deleteMessageBatch(DeleteMessageBatchRequest(
            QueueUrl: url, Entries: [DeleteMessageBatchRequestEntry(Id: "x", ReceiptHandle: fresh.ReceiptHandle)]), ctx)
        #expect(batch.Failed?.first?.Code == "ReceiptHandleIsInvalid")
        try await h.delete(url, fresh.ReceiptHandle)
        #expect(try await h.counts(url) == (0, 0, 0))
        _ = received
    }

    @Test func fifoPeekTakesNoGroupLockAndShowsFifoAttributes() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("peek.fifo", ["FifoQueue": "true"])
        try await h.send(url, "g1", group: "g", dedup: "1")
        try await h.send(url, "g2", group: "g", dedup: "2")
        let peeked = try await peek(h, url).Messages
        #expect(peeked.map(\.Body) == ["g1", "g2"])
        #expect(peeked[0].Attributes?["MessageGroupId"] == "g")
        #expect(peeked[0].Attributes?["MessageDeduplicationId"] == "1")
        #expect(peeked[0].Attributes?["SequenceNumber"] != nil)
        // The group is not locked by the peek: a receive gets its head at once.
        let received = try await h.receive(url, system: ["All"])
        #expect(received.first?.Body == "g1")
        #expect(received.first?.Attributes?["ApproximateReceiveCount"] == "1")
        // ... and it is locked by that receive, not by a peek: g2 waits.
        #expect(try await h.receive(url).isEmpty)
        try await h.delete(url, received[0].ReceiptHandle)
        // Deleting the rest through peek handles empties the group (its row goes too).
        for message in try await peek(h, url).Messages { try await h.delete(url, message.ReceiptHandle) }
        #expect(try await h.counts(url) == (0, 0, 0))
        #expect(try await h.fifoGroupRows() == 0)
    }

    @Test func invalidLimitsAndTokensAreRefused() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("limits")
        await expectSQSError("InvalidParameterValue") { _ = try await peek(h, url, max: 0) }
        await expectSQSError("InvalidParameterValue") { _ = try await peek(h, url, max: SQSEngine.maxPeekMessages + 1) }
        await expectSQSError("InvalidParameterValue") { _ = try await peek(h, url, token: "not a token") }
        #expect(try await peek(h, url, max: SQSEngine.maxPeekMessages).Messages.isEmpty)
    }

    /// Peeking is reading: the queue policy governs it exactly as ReceiveMessage.
    @Test func thePolicyDecidesAsForReceiveMessage() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("guarded")
        try await h.send(url, "secret")
        let other = CallContext(accountId: "111111111111", region: "us-east-1", endpoint: "http://localhost:9324",
                                senderId: "OTHER")
        await expectSQSError("AWS.SimpleQueueService.NonExistentQueue") { _ = try await peek(h, url, in: other) }
        let arn = "arn:aws:sqs:us-east-1:000000000000:guarded"
        try await h.setAttributes(url, ["Policy": #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sqs:ReceiveMessage","Resource":"\#(arn)"}]}"#])
        #expect(try await peek(h, url, in: other).Messages.map(\.Body) == ["secret"])
        try await h.setAttributes(url, ["Policy": #"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"sqs:ReceiveMessage","Resource":"\#(arn)"}]}"#])
        await expectSQSError("AccessDenied", status: 403) { _ = try await peek(h, url) }
    }
}
