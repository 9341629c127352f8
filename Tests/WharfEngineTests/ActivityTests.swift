import SQSModel
import Testing
@testable import WharfEngine

/// Wharf's extension attributes: running totals of messages sent and received, and the age of
/// the oldest message, asked for by name and never part of `All`.
@Suite struct ActivityTests {
    static let names = ["WharfNumberOfMessagesSent", "WharfNumberOfMessagesReceived", "WharfApproximateAgeOfOldestMessage"]

    @Test func totalsCountSendsAndReceivesAndSurviveAFlushAndAPurge() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("activity")
        for i in 0..<3 { try await h.send(url, "m\(i)") }
        _ = try await h.engine.sendMessageBatch(SendMessageBatchRequest(QueueUrl: url, Entries: [
            SendMessageBatchRequestEntry(Id: "a", MessageBody: "a"), SendMessageBatchRequestEntry(Id: "b", MessageBody: "b")]), ctx)
        let received = try await h.receive(url, max: 4, visibility: 60)
        #expect(received.count == 4)
        _ = try await h.receive(url, max: 10, visibility: 60)  // the fifth; then an empty receive counts nothing
        _ = try await h.receive(url, max: 10, visibility: 60)
        // Before the flush: this node's own counts.
        var attributes = try await h.attributes(url, Self.names)
        #expect(attributes["WharfNumberOfMessagesSent"] == "5")
        #expect(attributes["WharfNumberOfMessagesReceived"] == "5")
        await h.engine.flushActivity()
        #expect(h.engine.activity.unflushed(try await queueId(h, url)) == ActivityCounts())
        attributes = try await h.attributes(url, Self.names)
        #expect(attributes["WharfNumberOfMessagesSent"] == "5")
        #expect(attributes["WharfNumberOfMessagesReceived"] == "5")
        // Totals since creation: a purge leaves them.
        _ = try await h.engine.purgeQueue(PurgeQueueRequest(QueueUrl: url), ctx)
        try await h.send(url, "after")
        await h.engine.flushActivity()
        #expect(try await h.attributes(url, ["WharfNumberOfMessagesSent"]) == ["WharfNumberOfMessagesSent": "6"])
    }

    @Test func theyAreNotPartOfAll() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("activity-all")
        try await h.send(url, "m")
        let all = try await h.attributes(url, ["All"])
        #expect(all.keys.allSatisfy { !$0.hasPrefix("Wharf") })
        #expect(all["ApproximateNumberOfMessages"] == "1")
        // Asked for beside All: both.
        let both = try await h.attributes(url, ["All", "WharfNumberOfMessagesSent"])
        #expect(both["WharfNumberOfMessagesSent"] == "1")
        #expect(both["QueueArn"] != nil)
    }

    @Test func theOldestMessagesAgeIsTheGaugesView() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("activity-age")
        #expect(try await h.attributes(url, ["WharfApproximateAgeOfOldestMessage"]) == ["WharfApproximateAgeOfOldestMessage": "0"])
        try await h.send(url, "old")
        h.clock.advance(bySeconds: 30)
        try await h.send(url, "new")
        await h.engine.refreshQueueStats()
        h.clock.advance(bySeconds: 12)
        #expect(try await h.attributes(url, ["WharfApproximateAgeOfOldestMessage"]) == ["WharfApproximateAgeOfOldestMessage": "42"])
    }

    @Test func twoNodesAddUpAndADeletedQueuesCountsAreDropped() async throws {
        let a = try await Harness(nodeId: "node-a")
        let b = try await Harness(sharing: a, nodeId: "node-b")
        let url = try await a.createQueue("activity-nodes")
        try await a.send(url, "1")
        try await b.send(url, "2")
        try await b.send(url, "3")
        _ = try await b.receive(url, max: 10, visibility: 60)
        await a.engine.flushActivity()
        await b.engine.flushActivity()
        for node in [a, b] {
            let attributes = try await node.attributes(url, ["WharfNumberOfMessagesSent", "WharfNumberOfMessagesReceived"])
            #expect(attributes == ["WharfNumberOfMessagesSent": "3", "WharfNumberOfMessagesReceived": "3"])
        }
        // Counts for a queue deleted before they were flushed go nowhere, and fail nothing.
        let gone = try await a.createQueue("activity-gone")
        try await a.send(gone, "x")
        let goneId = try await queueId(a, gone)
        _ = try await a.engine.deleteQueue(DeleteQueueRequest(QueueUrl: gone), ctx)
        await a.engine.flushActivity()
        #expect(a.engine.activity.unflushed(goneId) == ActivityCounts())
        #expect(try await a.store.activity(queueId: goneId).totals == ActivityCounts())
    }

    @Test func anUnknownNameIsStillRefused() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("activity-unknown")
        await expectSQSError("InvalidAttributeName") { _ = try await h.attributes(url, ["WharfSomethingElse"]) }
    }

    func queueId(_ h: Harness, _ url: String) async throws -> Int64 {
        let name = String(url.split(separator: "/").last!)
        return try #require(try await h.store.queue(QueueKey(account: ctx.accountId, region: ctx.region, name: name))).id
    }
}
