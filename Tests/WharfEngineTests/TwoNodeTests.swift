import Foundation
import SQSModel
import Testing
import WharfEngine

/// Two engines — two nodes — over one store (one SQLite file; one PostgreSQL schema under
/// `WHARF_TEST_POSTGRES`), racing for the same things. Whatever the interleaving, the store
/// decides once: a message is claimed by one receive, a FIFO group served by one receive, a
/// deduplication id taken by one send, a queue name created once, a move task started once.
@Suite struct TwoNodeTests {
    struct Pair {
        let a: Harness
        let b: Harness
        let followers: [Task<Void, Never>]
    }

    /// Two nodes that hear each other's cluster events.
    func pair() async throws -> Pair {
        let a = try await Harness(nodeId: "node-a")
        let b = try await Harness(sharing: a, nodeId: "node-b")
        let followers = [Task { await a.engine.followClusterEvents() }, Task { await b.engine.followClusterEvents() }]
        return Pair(a: a, b: b, followers: followers)
    }

    func receive(_ h: Harness, _ url: String, max: Int = 10, visibility: Int = 3600) async throws -> [Message] {
        try await h.receive(url, max: max, visibility: visibility)
    }

    @Test func aMessageIsClaimedByOneReceiveOnly() async throws {
        let p = try await pair()
        let url = try await p.a.createQueue("race-claims")
        let count = 60
        for start in stride(from: 0, to: count, by: 10) {
            _ = try await p.a.engine.sendMessageBatch(SendMessageBatchRequest(QueueUrl: url, Entries: (start..<start + 10).map {
                SendMessageBatchRequestEntry(Id: "e\($0)", MessageBody: "m\($0)")
            }), ctx)
        }
        let received = try await withThrowingTaskGroup(of: [String].self) { group in
            for i in 0..<16 {
                let node = i % 2 == 0 ? p.a : p.b
                group.addTask { try await receive(node, url).map(\.MessageId) }
            }
            var all: [String] = []
            for try await ids in group { all += ids }
            return all
        }
        #expect(received.count == Set(received).count, "a message was handed out twice")
        var rest = received
        while true {
            let more = try await receive(p.b, url)
            if more.isEmpty { break }
            rest += more.map(\.MessageId)
        }
        #expect(rest.count == count)
        #expect(Set(rest).count == count)
    }

    @Test func aFifoGroupIsServedByOneReceiveAtATime() async throws {
        let p = try await pair()
        let url = try await p.a.createQueue("race-group.fifo", ["FifoQueue": "true"])
        for i in 1...20 { try await p.a.send(url, "m\(i)", group: "G", dedup: "\(i)") }
        let results = try await withThrowingTaskGroup(of: [String].self) { group in
            for i in 0..<10 {
                let node = i % 2 == 0 ? p.a : p.b
                group.addTask { try await receive(node, url).map(\.Body) }
            }
            var results: [[String]] = []
            for try await bodies in group { results.append(bodies) }
            return results
        }
        let served = results.filter { !$0.isEmpty }
        #expect(served.count == 1, "the group was served by \(served.count) receives at once")
        #expect(served.first == (1...10).map { "m\($0)" })
    }

    @Test func aDeduplicationIdIsTakenByOneSend() async throws {
        let p = try await pair()
        let url = try await p.a.createQueue("race-dedup.fifo", ["FifoQueue": "true"])
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for i in 0..<20 {
                let node = i % 2 == 0 ? p.a : p.b
                group.addTask { try await node.send(url, "same", group: "g", dedup: "one-id").MessageId }
            }
            var ids: [String] = []
            for try await id in group { ids.append(id) }
            return ids
        }
        #expect(Set(ids).count == 1, "every duplicate reports the original's MessageId")
        #expect(try await receive(p.b, url).map(\.MessageId) == [ids[0]])
        #expect(try await receive(p.a, url, visibility: 0).isEmpty)
    }

    @Test func aQueueNameIsCreatedOnce() async throws {
        let p = try await pair()
        let urls = try await withThrowingTaskGroup(of: String.self) { group in
            for i in 0..<10 {
                let node = i % 2 == 0 ? p.a : p.b
                group.addTask { try await node.createQueue("race-name") }
            }
            var urls: [String] = []
            for try await url in group { urls.append(url) }
            return urls
        }
        #expect(Set(urls).count == 1)
        let listed = try await p.b.engine.listQueues(ListQueuesRequest(QueueNamePrefix: "race-name"), ctx).QueueUrls ?? []
        #expect(listed.count == 1)
        // With other attributes, the second create is refused whichever node asks.
        await expectSQSError("QueueAlreadyExists") { try await p.b.createQueue("race-name", ["VisibilityTimeout": "5"]) }
    }

    @Test func concurrentTagsFromBothNodesAreAllKept() async throws {
        let p = try await pair()
        let url = try await p.a.createQueue("race-tags")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<30 {
                let node = i % 2 == 0 ? p.a : p.b
                group.addTask { _ = try await node.engine.tagQueue(TagQueueRequest(QueueUrl: url, Tags: ["t\(i)": "\(i)"]), ctx) }
            }
            try await group.waitForAll()
        }
        let stored = try await p.b.store.queue(QueueKey(account: ctx.accountId, region: ctx.region, name: "race-tags"))
        #expect(stored?.tags.count == 30, "versioned updates lose none of the concurrent changes")
        try await eventually(p.a) {
            (try? await p.b.engine.listQueueTags(ListQueueTagsRequest(QueueUrl: url), ctx).Tags?.count) == 30
        }
    }

    @Test func aMoveTaskIsStartedOnceAndMovesEachMessageOnce() async throws {
        let p = try await pair()
        let dlq = try await p.a.createQueue("dlq")
        let src = try await p.a.createQueue("src", ["RedrivePolicy": DeadLetterTests().redrive("dlq", 1)])
        for i in 0..<30 { try await p.a.send(src, "m\(i)") }
        for _ in 0..<4 { _ = try await p.a.receive(src, max: 10, visibility: 0) }
        #expect(try await p.a.counts(dlq).0 == 30)
        // Throttled, so that the first task is still running when the other starts arrive.
        let request = StartMessageMoveTaskRequest(SourceArn: MoveTaskTests.arn + "dlq", MaxNumberOfMessagesPerSecond: 10)
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for node in [p.a, p.b, p.a, p.b] {
                group.addTask { (try? await node.engine.startMessageMoveTask(request, ctx)) != nil }
            }
            var started = 0
            for await ok in group where ok { started += 1 }
            return started
        }
        #expect(outcomes == 1)
        // Each step of 10 ends in a one-second pause on the shared manual clock.
        while try await p.a.counts(dlq).0 > 0 {
            await waitUntilParked(p.a.clock)
            p.a.clock.advance(bySeconds: 1)
        }
        p.a.clock.advance(bySeconds: 1)
        await p.a.engine.waitForMoveTasks()
        await p.b.engine.waitForMoveTasks()
        #expect(try await p.a.counts(dlq) == (0, 0, 0))
        #expect(try await p.b.counts(src) == (30, 0, 0))
    }

    @Test func aCancelOnOneNodeStopsTheTaskRunningOnTheOther() async throws {
        let p = try await pair()
        let dlq = try await p.a.createQueue("dlq")
        let src = try await p.a.createQueue("src", ["RedrivePolicy": DeadLetterTests().redrive("dlq", 1)])
        for i in 0..<10 { try await p.a.send(src, "m\(i)") }
        for _ in 0..<2 { _ = try await p.a.receive(src, max: 10, visibility: 0) }
        let handle = try #require(try await p.a.engine.startMessageMoveTask(
            StartMessageMoveTaskRequest(SourceArn: MoveTaskTests.arn + "dlq", MaxNumberOfMessagesPerSecond: 2), ctx).TaskHandle)
        await waitUntilParked(p.a.clock)
        _ = try await p.b.engine.cancelMessageMoveTask(CancelMessageMoveTaskRequest(TaskHandle: handle), ctx)
        p.a.clock.advance(bySeconds: 1)
        await p.a.engine.waitForMoveTasks()
        let tasks = try await p.b.engine.listMessageMoveTasks(
            ListMessageMoveTasksRequest(SourceArn: MoveTaskTests.arn + "dlq"), ctx).Results ?? []
        #expect(tasks.first?.Status == "CANCELLED")
        #expect(try await p.b.counts(dlq).0 == 8, "one step of two messages ran before the cancel")
    }

    @Test func aQueueCreatedOnOneNodeIsUsableOnTheOtherAtOnce() async throws {
        let p = try await pair()
        // B looks first and finds nothing (and caches that).
        await expectSQSError("AWS.SimpleQueueService.NonExistentQueue") {
            _ = try await p.b.engine.getQueueUrl(GetQueueUrlRequest(QueueName: "late"), ctx)
        }
        let url = try await p.a.createQueue("late")
        try await eventually(p.a) {
            (try? await p.b.engine.getQueueUrl(GetQueueUrlRequest(QueueName: "late"), ctx).QueueUrl) == url
        }
        try await p.b.send(url, "via b")
        #expect(try await receive(p.a, url).map(\.Body) == ["via b"])
    }

    @Test func aQueueDeletedOnOneNodeStopsTakingSendsOnTheOther() async throws {
        let p = try await pair()
        let url = try await p.a.createQueue("doomed")
        try await p.b.send(url, "before")
        _ = try await p.a.engine.deleteQueue(DeleteQueueRequest(QueueUrl: url), ctx)
        // Whether or not B's cache has heard of it, the store refuses the send.
        await expectSQSError("AWS.SimpleQueueService.NonExistentQueue") { try await p.b.send(url, "after") }
    }

    /// Most likely B still has the queue cached, so its store finds the queue gone: an empty
    /// receive says so rather than answering "no messages".
    @Test(arguments: ["doomed-receive", "doomed-receive.fifo"])
    func aQueueDeletedOnOneNodeFailsReceivesOnTheOther(name: String) async throws {
        let p = try await pair()
        let url = try await p.a.createQueue(name, name.hasSuffix(".fifo") ? ["FifoQueue": "true"] : [:])
        #expect(try await receive(p.b, url).isEmpty)
        _ = try await p.a.engine.deleteQueue(DeleteQueueRequest(QueueUrl: url), ctx)
        await expectSQSError("AWS.SimpleQueueService.NonExistentQueue") { _ = try await receive(p.b, url) }
    }

    @Test func attributeChangesReachTheOtherNode() async throws {
        let p = try await pair()
        let url = try await p.a.createQueue("settings", ["VisibilityTimeout": "30"])
        #expect(try await p.b.attributes(url)["VisibilityTimeout"] == "30")
        try await p.a.setAttributes(url, ["VisibilityTimeout": "45"])
        try await eventually(p.a) { (try? await p.b.attributes(url)["VisibilityTimeout"]) == "45" }
    }

    @Test(.enabled(if: !StoreUnderTest.isSQLite, "wake-ups across nodes travel on the PostgreSQL bus"))
    func aSendOnOneNodeWakesALongPollOnTheOther() async throws {
        let p = try await pair()
        let url = try await p.a.createQueue("cross-wake")
        let start = p.a.clock.nowMillis()
        let poll = Task { try await p.b.receive(url, wait: 20) }
        await waitUntilParked(p.b.clock)
        // The registration reaches node A (and its grace re-check passes) in real time.
        try await Task.sleep(nanoseconds: 400_000_000)
        try await p.a.send(url, "hello")
        let got = try await poll.value
        #expect(got.map(\.Body) == ["hello"])
        #expect(p.a.clock.nowMillis() == start, "woken by the send, not by the clock")
    }

    /// Waits (bounded, in real time) for a change that travels between nodes; on SQLite,
    /// where no bus carries it, moves the clock past the catalog cache's lifetime instead.
    func eventually(_ h: Harness, sourceLocation: SourceLocation = #_sourceLocation,
                    _ condition: () async throws -> Bool) async throws {
        for _ in 0..<2000 {
            if try await condition() { return }
            if StoreUnderTest.isSQLite { h.clock.advance(bySeconds: 5) }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        Issue.record("the change never reached the other node", sourceLocation: sourceLocation)
    }
}
