import Foundation
import SQSModel
import Testing
import WharfEngine

/// Long polling with a manual clock (docs/sqs-behaviour.md#long-polling). A receive is started
/// in a task, the test waits until it is parked on the clock, then sends or moves time. That a
/// receive has *not* returned is read off the clock — it still sleeps until the deadline it
/// should — never from waiting a while. Every wait is bounded in real time: a regression fails
/// the test instead of hanging the run.
@Suite struct LongPollTests {
    final class Poll: Sendable {
        let task: Task<[Message], any Error>
        let done: Flag
        init(task: Task<[Message], any Error>, done: Flag) { self.task = task; self.done = done }
    }

    /// Starts a long-polling receive.
    func startReceive(_ h: Harness, _ url: String, wait: Int? = 20) -> Poll {
        let done = Flag()
        let task = Task {
            defer { done.set() }
            return try await h.receive(url, wait: wait, system: ["ApproximateReceiveCount"])
        }
        return Poll(task: task, done: done)
    }

    /// The receive's result, which must come without the clock moving. If it does not come in
    /// time, records an issue and releases the receive by moving the clock past any wait.
    func result(_ poll: Poll, _ h: Harness, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [Message] {
        for _ in 0..<3000 where !poll.done.isSet {
            try await Task.sleep(nanoseconds: 1_000_000)
        }
        if !poll.done.isSet {
            Issue.record("the long poll did not return in time", sourceLocation: sourceLocation)
            h.clock.advance(bySeconds: 3600)
        }
        return try await poll.task.value
    }

    @Test func wakesOnSend() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("lp-send")
        let start = h.clock.nowMillis()
        let poll = startReceive(h, url)
        // Parked until its 20 s are over: only a send or the clock can release it.
        await waitUntilParked(h.clock, until: start + 20_000)
        #expect(!poll.done.isSet)
        try await h.send(url, "hello")
        let got = try await result(poll, h)
        #expect(got.map(\.Body) == ["hello"])
        // It returned without the clock moving at all.
        #expect(h.clock.nowMillis() == start)
    }

    @Test func wakesOnBatchSend() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("lp-batch")
        let poll = startReceive(h, url)
        await waitUntilParked(h.clock)
        _ = try await h.engine.sendMessageBatch(SendMessageBatchRequest(QueueUrl: url, Entries: [
            SendMessageBatchRequestEntry(Id: "a", MessageBody: "a"),
        ]), ctx)
        #expect(try await result(poll, h).map(\.Body) == ["a"])
    }

    /// Graceful shutdown: parked polls end empty without the clock moving (the message sent
    /// afterwards stays in the queue), and a later receive does not wait.
    @Test func stopLongPollsAnswersParkedPollsEmpty() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("lp-stop")
        let start = h.clock.nowMillis()
        let polls = [startReceive(h, url), startReceive(h, url)]
        await waitUntilParked(h.clock, count: 2)
        h.engine.stopLongPolls()
        for poll in polls { #expect(try await result(poll, h).isEmpty) }
        try await h.send(url, "after")
        #expect(try await result(startReceive(h, url), h).map(\.Body) == ["after"])
        #expect(try await result(startReceive(h, url), h).isEmpty)
        #expect(h.clock.nowMillis() == start)
    }

    @Test func returnsEmptyOnlyAfterTheWait() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("lp-empty")
        let start = h.clock.nowMillis()
        let poll = startReceive(h, url, wait: 5)
        await waitUntilParked(h.clock, until: start + 5_000)
        h.clock.advance(bySeconds: 4)
        // Four seconds released nothing: the receive still sleeps until its deadline.
        #expect(h.clock.sleeperDeadlines == [start + 5_000])
        #expect(!poll.done.isSet, "the receive returned before its wait time")
        h.clock.advance(bySeconds: 1)
        #expect(try await result(poll, h).isEmpty)
    }

    @Test func queueReceiveWaitTimeIsTheDefault() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("lp-default", ["ReceiveMessageWaitTimeSeconds": "10"])
        let start = h.clock.nowMillis()
        let poll = startReceive(h, url, wait: nil)
        await waitUntilParked(h.clock, until: start + 10_000)
        h.clock.advance(bySeconds: 9)
        #expect(h.clock.sleeperDeadlines == [start + 10_000])
        #expect(!poll.done.isSet)
        h.clock.advance(bySeconds: 1)
        #expect(try await result(poll, h).isEmpty)
    }

    @Test func waitZeroOverridesQueueDefault() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("lp-zero", ["ReceiveMessageWaitTimeSeconds": "20"])
        let poll = startReceive(h, url, wait: 0)
        // Returns at once, without anyone moving the clock.
        #expect(try await result(poll, h).isEmpty)
    }

    @Test func wakesWhenDelayEnds() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("lp-delay")
        let start = h.clock.nowMillis()
        try await h.send(url, "delayed", delay: 10)
        let poll = startReceive(h, url)
        // Parked until the delay ends, not for its whole 20 s.
        await waitUntilParked(h.clock, until: start + 10_000)
        h.clock.advance(bySeconds: 9)
        #expect(h.clock.sleeperDeadlines == [start + 10_000])
        #expect(!poll.done.isSet)
        h.clock.advance(bySeconds: 1)
        #expect(try await result(poll, h).map(\.Body) == ["delayed"])
    }

    @Test
    func delayedSendDuringTheWaitWakesWhenItsDelayEnds() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("lp-delay-later")
        let start = h.clock.nowMillis()
        let poll = startReceive(h, url, wait: 20)
        await waitUntilParked(h.clock, until: start + 20_000)
        // Sent while the receive waits: not visible yet, so the receive, woken, parks again
        // until the delay's end...
        try await h.send(url, "later", delay: 5)
        await waitUntilParked(h.clock, until: start + 5_000)
        #expect(!poll.done.isSet)
        // ...and returns as soon as the delay ends, long before its 20 s wait is over
        // (docs/sqs-behaviour.md#long-polling).
        h.clock.advance(bySeconds: 5)
        #expect(try await result(poll, h).map(\.Body) == ["later"])
    }

    @Test func wakesWhenVisibilityExpires() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("lp-vis", ["VisibilityTimeout": "8"])
        try await h.send(url, "again")
        let start = h.clock.nowMillis()
        _ = try #require(try await h.receive(url).first)
        let poll = startReceive(h, url)
        // Parked until the message's visibility timeout is over.
        await waitUntilParked(h.clock, until: start + 8_000)
        h.clock.advance(bySeconds: 7)
        #expect(h.clock.sleeperDeadlines == [start + 8_000])
        #expect(!poll.done.isSet)
        h.clock.advance(bySeconds: 1)
        let got = try await result(poll, h)
        #expect(got.map(\.Body) == ["again"])
        #expect(got.first?.Attributes?["ApproximateReceiveCount"] == "2")
    }

    @Test func aDeleteThatUnlocksAFifoGroupWakesAParkedReceiver() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("lp-group.fifo", ["FifoQueue": "true"])
        let deadline = h.clock.nowMillis() + 20_000
        let polls = (0..<3).map { _ in startReceive(h, url) }
        await waitUntilParked(h.clock, until: deadline, deadline, deadline)
        try await h.send(url, "message-1", group: "G", dedup: "1")
        // One receiver gets message-1; wait until the other two are parked again.
        var first: Message?
        for _ in 0..<3000 where first == nil {
            for poll in polls where poll.done.isSet { first = try await poll.task.value.first }
            if first == nil { try await Task.sleep(nanoseconds: 1_000_000) }
        }
        let head = try #require(first)
        #expect(head.Body == "message-1")
        let waiting = polls.filter { !$0.done.isSet }
        #expect(waiting.count == 2)
        try await h.send(url, "message-2", group: "G", dedup: "2")
        // The send woke a receiver, which found the group locked and parked again: both still
        // sleep until the end of their wait.
        await waitUntilParked(h.clock, until: deadline, deadline)
        #expect(waiting.allSatisfy { !$0.done.isSet }, "message-2 must wait while message-1 is in flight")
        try await h.delete(url, head.ReceiptHandle)
        // A parked receiver gets message-2 at once, without the clock moving.
        var second: [Message] = []
        for _ in 0..<3000 where second.isEmpty {
            for poll in waiting where poll.done.isSet { second += try await poll.task.value }
            if second.isEmpty { try await Task.sleep(nanoseconds: 1_000_000) }
        }
        #expect(second.map(\.Body) == ["message-2"])
        h.clock.advance(bySeconds: 3600)
        for poll in waiting { _ = try await poll.task.value }
    }

    @Test func aDeadLetteredMessageWakesAReceiverParkedOnTheDeadLetterQueue() async throws {
        let h = try await Harness()
        let dlq = try await h.createQueue("lp-dlq")
        let source = try await h.createQueue("lp-src", ["RedrivePolicy": DeadLetterTests().redrive("lp-dlq", 1)])
        try await h.send(source, "poison")
        _ = try await h.receive(source, max: 10, visibility: 0)
        let start = h.clock.nowMillis()
        let poll = startReceive(h, dlq)
        await waitUntilParked(h.clock, until: start + 20_000)
        // The second receive on the source moves the message to the dead-letter queue.
        #expect(try await h.receive(source, max: 10, visibility: 0).isEmpty)
        let got = try await result(poll, h)
        #expect(got.map(\.Body) == ["poison"])
        #expect(h.clock.nowMillis() == start)
    }

    @Test func aMoveTaskArrivalWakesAReceiverParkedOnTheDestination() async throws {
        let h = try await Harness()
        _ = try await MoveTaskTests().deadLettered(h, sources: ["src"], count: 1)
        let destination = try await h.createQueue("lp-destination")
        let start = h.clock.nowMillis()
        let poll = startReceive(h, destination)
        await waitUntilParked(h.clock, until: start + 20_000)
        _ = try await MoveTaskTests().start(h, to: "lp-destination")
        let got = try await result(poll, h)
        #expect(got.map(\.Body) == ["src-0"])
        #expect(h.clock.nowMillis() == start)
        await h.engine.waitForMoveTasks()
    }

    @Test func changeVisibilityToZeroWakesAWaiter() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("lp-cmv")
        try await h.send(url, "m")
        let first = try #require(try await h.receive(url).first)
        let start = h.clock.nowMillis()
        let poll = startReceive(h, url)
        await waitUntilParked(h.clock)
        try await h.changeVisibility(url, first.ReceiptHandle, 0)
        let got = try await result(poll, h)
        #expect(got.map(\.MessageId) == [first.MessageId])
        #expect(h.clock.nowMillis() == start)
    }

    @Test func oneSendWakesOneOfSeveralWaitersAndTheOthersKeepWaiting() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("lp-many")
        let deadline = h.clock.nowMillis() + 20_000
        let polls = (0..<3).map { _ in startReceive(h, url, wait: 20) }
        await waitUntilParked(h.clock, until: deadline, deadline, deadline)
        try await h.send(url, "only one")
        await waitUntil("a receive returning") { polls.contains(where: \.done.isSet) }
        // Exactly one receive got the message; the send did not wake the others, which still
        // sleep until their wait ends and then return empty.
        #expect(h.clock.sleeperDeadlines == [deadline, deadline])
        #expect(polls.filter(\.done.isSet).count == 1)
        h.clock.advance(bySeconds: 20)
        var bodies: [String] = []
        for poll in polls { bodies += try await result(poll, h).map(\.Body) }
        #expect(bodies == ["only one"])
    }

    /// A poll that nothing woke does not look at the store again when its wait runs out: every
    /// change that could give it a message wakes it (docs/sqs-behaviour.md#long-polling). Shown
    /// with a send no wake-up announces: a second engine on the same SQLite file, with no bus
    /// between them (a setup Wharf never runs, which is what makes the skipped look visible).
    @Test(.enabled(if: StoreUnderTest.isSQLite, "on PostgreSQL the bus wakes the poll"))
    func aPollNothingWokeAnswersEmptyWithoutASecondLook() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("lp-unannounced")
        let deadline = h.clock.nowMillis() + 20_000
        let poll = startReceive(h, url, wait: 20)
        await waitUntilParked(h.clock, until: deadline)
        let other = try await Harness(sharing: h, nodeId: "unannounced")
        try await other.send(url, "unannounced")
        h.clock.advance(bySeconds: 20)
        #expect(try await result(poll, h).isEmpty)
        // Nothing is lost: the next receive finds it.
        #expect(try await h.receive(url).map(\.Body) == ["unannounced"])
    }

    @Test func deletingTheQueueReleasesWaiters() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("lp-delete")
        let poll = startReceive(h, url)
        await waitUntilParked(h.clock)
        _ = try await h.engine.deleteQueue(DeleteQueueRequest(QueueUrl: url), ctx)
        #expect(try await result(poll, h).isEmpty)
    }

    @Test func cancellingAWaitingReceiveReturns() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("lp-cancel")
        let poll = startReceive(h, url)
        await waitUntilParked(h.clock)
        poll.task.cancel()
        for _ in 0..<3000 where !poll.done.isSet { try await Task.sleep(nanoseconds: 1_000_000) }
        #expect(poll.done.isSet)
        if !poll.done.isSet { h.clock.advance(bySeconds: 3600) }
        if case .success(let messages) = await poll.task.result { #expect(messages.isEmpty) }
        // Nothing was claimed: the next send is receivable at once.
        try await h.send(url, "after")
        #expect(try await h.receive(url).map(\.Body) == ["after"])
    }
}
