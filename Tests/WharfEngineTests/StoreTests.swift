import Foundation
import SQSDigest
import SQSModel
import Testing
import WharfEngine

/// What every store keeps, through the engine: everything survives reopening, and concurrent
/// requests each land exactly once. (What only the SQLite store has is in WharfSQLiteTests.)
@Suite struct StoreTests {
    @Test func everythingSurvivesReopening() async throws {
        let directory = freshDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clock = ManualClock()
        let url: String
        let inFlightId: String
        do {
            let h = try await Harness(directory: directory, clock: clock, removeOnDeinit: false)
            url = try await h.createQueue("durable", ["VisibilityTimeout": "120", "DelaySeconds": "1"],
                                          tags: ["team": "core"])
            _ = try await h.engine.tagQueue(TagQueueRequest(QueueUrl: url, Tags: ["env": "prod"]), ctx)
            try await h.send(url, "first", delay: 0,
                             attributes: ["City": string("Any City"), "Blob": binary([0, 1, 2])])
            try await h.send(url, "second", delay: 0)
            try await h.send(url, "third", delay: 0)
            try await h.send(url, "delayed", delay: 600)
            let received = try #require(try await h.receive(url).first)
            inFlightId = received.MessageId
        }

        // A new store and engine on the same directory.
        let h = try await Harness(directory: directory, clock: clock, removeOnDeinit: false)
        #expect(try await h.engine.getQueueUrl(GetQueueUrlRequest(QueueName: "durable"), ctx).QueueUrl == url)
        let attributes = try await h.attributes(url)
        #expect(attributes["VisibilityTimeout"] == "120")
        #expect(attributes["DelaySeconds"] == "1")
        #expect(attributes["ApproximateNumberOfMessages"] == "2")
        #expect(attributes["ApproximateNumberOfMessagesNotVisible"] == "1")
        #expect(attributes["ApproximateNumberOfMessagesDelayed"] == "1")
        #expect(try await h.engine.listQueueTags(ListQueueTagsRequest(QueueUrl: url), ctx).Tags == ["team": "core", "env": "prod"])

        let visible = try await h.receive(url, max: 10, messageAttributes: ["All"])
        #expect(visible.count == 2)
        #expect(!visible.contains { $0.MessageId == inFlightId })
        // The in-flight message keeps its visibility timeout and its receive count.
        clock.advance(bySeconds: 120)
        let again = try await h.receive(url, max: 10, system: ["ApproximateReceiveCount"], messageAttributes: ["All"])
        let first = try #require(again.first { $0.MessageId == inFlightId })
        #expect(first.Body == "first")
        #expect(first.Attributes?["ApproximateReceiveCount"] == "2")
        #expect(first.MessageAttributes?["Blob"]?.BinaryValue == Data([0, 1, 2]))
        #expect(first.MD5OfMessageAttributes == MessageDigest.md5(ofAttributes: [
            "City": string("Any City"), "Blob": binary([0, 1, 2]),
        ]))
    }

    @Test func cooldownsSurviveReopening() async throws {
        let directory = freshDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clock = ManualClock()
        do {
            let h = try await Harness(directory: directory, clock: clock, removeOnDeinit: false)
            let gone = try await h.createQueue("gone")
            _ = try await h.engine.deleteQueue(DeleteQueueRequest(QueueUrl: gone), ctx)
            let purged = try await h.createQueue("purged")
            _ = try await h.engine.purgeQueue(PurgeQueueRequest(QueueUrl: purged), ctx)
        }
        let h = try await Harness(directory: directory, clock: clock, removeOnDeinit: false)
        await expectSQSError("AWS.SimpleQueueService.QueueDeletedRecently") { try await h.createQueue("gone") }
        let purged = try await h.engine.getQueueUrl(GetQueueUrlRequest(QueueName: "purged"), ctx).QueueUrl
        await expectSQSError("AWS.SimpleQueueService.PurgeQueueInProgress", status: 403) {
            _ = try await h.engine.purgeQueue(PurgeQueueRequest(QueueUrl: purged), ctx)
        }
        clock.advance(bySeconds: 61)
        try await h.createQueue("gone")
        _ = try await h.engine.purgeQueue(PurgeQueueRequest(QueueUrl: purged), ctx)
    }

    @Test func deletedMessagesStayDeletedAfterReopening() async throws {
        let directory = freshDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clock = ManualClock()
        let url: String
        do {
            let h = try await Harness(directory: directory, clock: clock, removeOnDeinit: false)
            url = try await h.createQueue("del")
            try await h.send(url, "keep")
            try await h.send(url, "drop")
            let got = try await h.receive(url, max: 10, visibility: 0)
            let drop = try #require(got.first { $0.Body == "drop" })
            try await h.delete(url, drop.ReceiptHandle)
        }
        let h = try await Harness(directory: directory, clock: clock, removeOnDeinit: false)
        #expect(try await h.receive(url, max: 10).map(\.Body) == ["keep"])
    }

    @Test func receiptHandlesStayValidAcrossReopening() async throws {
        let directory = freshDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clock = ManualClock()
        let url: String
        let handle: String
        do {
            let h = try await Harness(directory: directory, clock: clock, removeOnDeinit: false)
            url = try await h.createQueue("handles")
            try await h.send(url, "m")
            handle = try #require(try await h.receive(url).first).ReceiptHandle
        }
        let h = try await Harness(directory: directory, clock: clock, removeOnDeinit: false)
        try await h.delete(url, handle)
        clock.advance(bySeconds: 31)
        #expect(try await h.receive(url).isEmpty)
    }

    @Test func concurrentSendsAllLandExactlyOnce() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("concurrent")
        let count = 200
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for i in 0..<count {
                group.addTask { try await h.send(url, "message-\(i)").MessageId }
            }
            var ids: [String] = []
            for try await id in group { ids.append(id) }
            return ids
        }
        #expect(ids.count == count)
        #expect(Set(ids).count == count)
        #expect(try await h.counts(url) == (count, 0, 0))

        var bodies: [String] = []
        var receivedIds: [String] = []
        for _ in 0..<(count / 10 + 5) {
            let got = try await h.receive(url, max: 10, visibility: 3600)
            if got.isEmpty { break }
            bodies += got.map(\.Body)
            receivedIds += got.map(\.MessageId)
        }
        #expect(bodies.count == count)
        #expect(Set(bodies) == Set((0..<count).map { "message-\($0)" }))
        #expect(Set(receivedIds) == Set(ids))
        #expect(try await h.counts(url) == (0, count, 0))
    }

    @Test func concurrentReceivesNeverShareAMessage() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("claims")
        let count = 60
        for start in stride(from: 0, to: count, by: 10) {
            _ = try await h.engine.sendMessageBatch(SendMessageBatchRequest(QueueUrl: url, Entries: (start..<start + 10).map {
                SendMessageBatchRequestEntry(Id: "e\($0)", MessageBody: "m\($0)")
            }), ctx)
        }
        let received = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<12 {
                group.addTask { try await h.receive(url, max: 10).map(\.MessageId) }
            }
            var all: [String] = []
            for try await ids in group { all += ids }
            return all
        }
        #expect(received.count == count)
        #expect(Set(received).count == count)
    }

    @Test func concurrentDeletesAndChangesAreApplied() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("mixed")
        for i in 0..<30 { try await h.send(url, "m\(i)") }
        var messages: [Message] = []
        while messages.count < 30 {
            let got = try await h.receive(url, max: 10)
            if got.isEmpty { break }
            messages += got
        }
        #expect(messages.count == 30)
        let handles = messages.map(\.ReceiptHandle)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (i, handle) in handles.enumerated() {
                group.addTask {
                    if i % 2 == 0 { try await h.delete(url, handle) } else { try await h.changeVisibility(url, handle, 0) }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await h.counts(url) == (15, 0, 0))
    }
}
