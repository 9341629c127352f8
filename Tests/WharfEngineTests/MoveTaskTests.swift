import Foundation
import SQSModel
import Testing
import WharfEngine

/// StartMessageMoveTask, CancelMessageMoveTask, ListMessageMoveTasks (docs/sqs-behaviour.md#message-move-tasks).
struct MoveTaskTests {
    static let arn = DeadLetterTests.arnPrefix

    /// A DLQ holding `count` messages dead-lettered from each of `sources` (maxReceiveCount 1).
    func deadLettered(_ h: Harness, sources: [String], count: Int) async throws -> String {
        let dlq = try await h.createQueue("dlq")
        for source in sources {
            let url = try await h.createQueue(source, ["RedrivePolicy": DeadLetterTests().redrive("dlq", 1)])
            for i in 0..<count { try await h.send(url, "\(source)-\(i)") }
            for _ in 0..<2 { _ = try await h.receive(url, max: 10, visibility: 0) }
            #expect(try await h.counts(url).0 == 0)
        }
        #expect(try await h.counts(dlq).0 == sources.count * count)
        return dlq
    }

    func start(_ h: Harness, _ source: String = "dlq", to destination: String? = nil,
               rate: Int? = nil) async throws -> String {
        try await h.engine.startMessageMoveTask(StartMessageMoveTaskRequest(
            SourceArn: Self.arn + source, DestinationArn: destination.map { Self.arn + $0 },
            MaxNumberOfMessagesPerSecond: rate), ctx).TaskHandle!
    }

    func list(_ h: Harness, max: Int? = 10) async throws -> [ListMessageMoveTasksResultEntry] {
        try await h.engine.listMessageMoveTasks(ListMessageMoveTasksRequest(SourceArn: Self.arn + "dlq", MaxResults: max), ctx)
            .Results ?? []
    }

    @Test func startIsValidated() async throws {
        let h = try await Harness()
        _ = try await deadLettered(h, sources: ["src"], count: 1)
        await expectSQSError("InvalidParameterValue", message: "Source queue must be configured as a Dead Letter Queue.") {
            _ = try await start(h, "src")
        }
        await expectSQSError("ResourceNotFoundException", status: 404) { _ = try await start(h, "nope") }
        await expectSQSError("ResourceNotFoundException", status: 404,
                             message: "The resource that you specified for the DestinationArn parameter doesn't exist.") {
            _ = try await start(h, to: "nope")
        }
        for rate in [0, 501] {
            await expectSQSError("InvalidParameterValue") { _ = try await start(h, rate: rate) }
        }
        await expectSQSError("InvalidParameterValue") { _ = try await list(h, max: 11) }
        await expectSQSError("InvalidParameterValue") { _ = try await list(h, max: 0) }
        #expect(try await list(h).isEmpty)
    }

    @Test func messagesGoBackToWhereTheyCameFrom() async throws {
        let h = try await Harness()
        let dlq = try await deadLettered(h, sources: ["src1", "src2"], count: 3)
        _ = try await start(h)
        await h.engine.waitForMoveTasks()
        #expect(try await h.counts(dlq).0 == 0)
        for source in ["src1", "src2"] {
            let url = "http://localhost:9324/000000000000/\(source)"
            let messages = try await h.receive(url, max: 10, system: ["All"])
            #expect(Set(messages.map(\.Body)) == Set((0..<3).map { "\(source)-\($0)" }))
            // A moved message starts afresh: one receive so far, no dead-letter mark.
            #expect(messages.allSatisfy { $0.Attributes?["ApproximateReceiveCount"] == "1" })
            #expect(messages.allSatisfy { $0.Attributes?["DeadLetterQueueSourceArn"] == nil })
        }
        let tasks = try await list(h)
        #expect(tasks.count == 1)
        #expect(tasks[0].Status == "COMPLETED")
        #expect(tasks[0].ApproximateNumberOfMessagesMoved == 6)
        #expect(tasks[0].ApproximateNumberOfMessagesToMove == 6)
        #expect(tasks[0].TaskHandle == nil, "only running tasks show their handle")
        #expect(tasks[0].DestinationArn == nil && tasks[0].MaxNumberOfMessagesPerSecond == nil)
        #expect(tasks[0].StartedTimestamp == h.clock.nowMillis())
    }

    @Test func anExplicitDestinationTakesEverything() async throws {
        let h = try await Harness()
        _ = try await deadLettered(h, sources: ["src"], count: 4)
        let other = try await h.createQueue("other")
        _ = try await start(h, to: "other")
        await h.engine.waitForMoveTasks()
        #expect(try await h.counts(other).0 == 4)
        #expect(try await list(h)[0].DestinationArn == Self.arn + "other")
    }

    @Test func aThrottledTaskMovesItsRatePerSecondAndCanBeCancelled() async throws {
        let h = try await Harness()
        let dlq = try await deadLettered(h, sources: ["src"], count: 5)
        let handle = try await start(h, rate: 2)
        await expectSQSError("InvalidParameterValue",
                             message: "There is already a task running. Only one active task is allowed for a source queue arn at a given time.") {
            _ = try await start(h)
        }
        await waitUntilParked(h.clock)
        var running = try await list(h, max: 1)[0]
        #expect(running.Status == "RUNNING")
        #expect(running.TaskHandle == handle)
        #expect(running.MaxNumberOfMessagesPerSecond == 2)
        #expect(running.ApproximateNumberOfMessagesMoved == 2)

        let cancelled = try await h.engine.cancelMessageMoveTask(CancelMessageMoveTaskRequest(TaskHandle: handle), ctx)
        #expect(cancelled.ApproximateNumberOfMessagesMoved == 2)
        #expect(try await list(h)[0].Status == "CANCELLING")
        h.clock.advance(bySeconds: 1)
        await h.engine.waitForMoveTasks()
        running = try await list(h)[0]
        #expect(running.Status == "CANCELLED")
        // Nothing lost, nothing doubled: 2 moved back, 3 still in the DLQ.
        #expect(try await h.counts(dlq).0 == 3)
        #expect(try await h.counts("http://localhost:9324/000000000000/src").0 == 2)
        // Choice: a handle names a running task only (ListMessageMoveTasks shows it only then), so
        // cancelling a finished task finds no task.
        await expectSQSError("ResourceNotFoundException", status: 404) {
            _ = try await h.engine.cancelMessageMoveTask(CancelMessageMoveTaskRequest(TaskHandle: handle), ctx)
        }
    }

    @Test func cancelRejectsBadHandles() async throws {
        let h = try await Harness()
        await expectSQSError("InvalidParameterValue", message: "Value for parameter TaskHandle is invalid.") {
            _ = try await h.engine.cancelMessageMoveTask(CancelMessageMoveTaskRequest(TaskHandle: "garbage!"), ctx)
        }
        let unknown = Data(#"{"taskId":"nope","sourceArn":"\#(Self.arn)dlq"}"#.utf8).base64EncodedString()
        await expectSQSError("ResourceNotFoundException", status: 404, message: "Task does not exist.") {
            _ = try await h.engine.cancelMessageMoveTask(CancelMessageMoveTaskRequest(TaskHandle: unknown), ctx)
        }
    }

    @Test func aDeletedDestinationFailsTheTask() async throws {
        let h = try await Harness()
        let dlq = try await deadLettered(h, sources: ["src"], count: 3)
        let other = try await h.createQueue("other")
        _ = try await start(h, to: "other", rate: 1)
        await waitUntilParked(h.clock)
        _ = try await h.engine.deleteQueue(DeleteQueueRequest(QueueUrl: other), ctx)
        h.clock.advance(bySeconds: 1)
        await h.engine.waitForMoveTasks()
        let task = try await list(h)[0]
        #expect(task.Status == "FAILED")
        #expect(task.FailureReason == "AWS.SimpleQueueService.NonExistentQueue")
        #expect(try await h.counts(dlq).0 == 2)
    }

    @Test func aTaskResumesAfterARestartAndMovesEachMessageOnce() async throws {
        let directory = freshDirectory()
        let clock = ManualClock()
        do {
            let h = try await Harness(directory: directory, clock: clock, removeOnDeinit: false)
            _ = try await deadLettered(h, sources: ["src"], count: 5)
            _ = try await start(h, rate: 2)
            await waitUntilParked(clock)
            // The old engine's runner stays parked on the clock; the new engine takes over.
        }
        let h = try await Harness(directory: directory, clock: clock)
        await waitUntilParked(clock, count: 2)
        // Two messages a second: a second at a time, each once a runner sleeps until its next
        // step, until the new engine's run of the task is over.
        let finished = Flag()
        let run = Task { await h.engine.waitForMoveTasks(); finished.set() }
        await waitUntil("the task finishing") {
            if !finished.isSet && clock.sleeperCount > 0 { clock.advance(bySeconds: 1) }
            return finished.isSet
        }
        await run.value
        let task = try await list(h)[0]
        #expect(task.Status == "COMPLETED")
        #expect(task.ApproximateNumberOfMessagesMoved == 5)
        let source = "http://localhost:9324/000000000000/src"
        let messages = try await h.receive(source, max: 10)
        #expect(messages.count == 5)
        #expect(Set(messages.map(\.MessageId)).count == 5)
        #expect(try await h.counts("http://localhost:9324/000000000000/dlq") == (0, 0, 0))
    }

    @Test func listShowsTheNewestFirst() async throws {
        let h = try await Harness()
        _ = try await deadLettered(h, sources: ["src"], count: 1)
        _ = try await start(h)
        await h.engine.waitForMoveTasks()
        h.clock.advance(bySeconds: 1)
        _ = try await start(h, to: "src")
        await h.engine.waitForMoveTasks()
        let tasks = try await list(h)
        #expect(tasks.map(\.DestinationArn) == [Self.arn + "src", nil])
        #expect(try await list(h, max: nil).count == 1, "MaxResults defaults to 1")
    }
}
