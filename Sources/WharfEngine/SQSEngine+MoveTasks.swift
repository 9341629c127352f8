import Foundation
import SQSModel

// StartMessageMoveTask, CancelMessageMoveTask, ListMessageMoveTasks (sqs-api.md §7.6), and the
// background runner that moves the messages.
extension SQSEngine {
    /// Messages a task without MaxNumberOfMessagesPerSecond moves per transaction.
    static let unthrottledMoveBatch = 500

    public func startMessageMoveTask(_ request: StartMessageMoveTaskRequest, _ ctx: CallContext) async throws(SQSError) -> StartMessageMoveTaskResponse {
        let source = try resolveArn(request.SourceArn, parameter: "SourceArn", ctx, .startMessageMoveTask)
        if let rate = request.MaxNumberOfMessagesPerSecond, !(1...500).contains(rate) {
            throw .invalidParameterValue(value: String(rate), parameter: "MaxNumberOfMessagesPerSecond",
                                         reason: "Must be between 1 and 500.")
        }
        guard isDeadLetterQueue(source) else {
            throw .invalidParameterValue("Source queue must be configured as a Dead Letter Queue.")
        }
        if let destination = request.DestinationArn {
            _ = try resolveArn(destination, parameter: "DestinationArn", ctx, .sendMessage)
        }
        let task: MoveTask = try await storage {
            try await moveTaskLock.withLock {
                if try await store.moveTasks().contains(where: { $0.sourceQueueId == source.id && $0.status.isActive }) {
                    throw SQSError.invalidParameterValue(
                        "There is already a task running. Only one active task is allowed for a source queue arn at a given time.")
                }
                return try await store.createMoveTask(MoveTask(
                    id: UUID().uuidString.lowercased(), sourceQueueId: source.id, sourceArn: source.key.arn,
                    destinationArn: request.DestinationArn, maxPerSecond: request.MaxNumberOfMessagesPerSecond,
                    status: .running, moved: 0, toMove: 0, startedAtMillis: clock.nowMillis(), failureReason: nil,
                    boundarySeq: 0))
            }
        }
        launch(task)
        return StartMessageMoveTaskResponse(TaskHandle: MoveTaskHandle(taskId: task.id, sourceArn: task.sourceArn).encoded)
    }

    public func cancelMessageMoveTask(_ request: CancelMessageMoveTaskRequest, _ ctx: CallContext) async throws(SQSError) -> CancelMessageMoveTaskResponse {
        guard let handle = MoveTaskHandle(encoded: request.TaskHandle) else {
            throw .invalidParameterValue("Value for parameter TaskHandle is invalid.")
        }
        _ = try? resolveArn(handle.sourceArn, parameter: "SourceArn", ctx, .cancelMessageMoveTask)
        let task: MoveTask = try await storage {
            try await moveTaskLock.withLock {
                guard let task = try await store.moveTasks().first(where: { $0.id == handle.taskId }),
                      task.sourceArn == handle.sourceArn else {
                    throw SQSError.resourceNotFound("Task does not exist.")
                }
                // A handle names a running task: ListMessageMoveTasks shows it only then.
                guard task.status == .running else { throw SQSError.resourceNotFound("Task does not exist.") }
                try await store.updateMoveTask(id: task.id, status: .cancelling, failureReason: nil)
                return task
            }
        }
        cancelledMoveTasks.withLock { _ = $0.insert(task.id) }
        return CancelMessageMoveTaskResponse(ApproximateNumberOfMessagesMoved: task.moved)
    }

    public func listMessageMoveTasks(_ request: ListMessageMoveTasksRequest, _ ctx: CallContext) async throws(SQSError) -> ListMessageMoveTasksResponse {
        let source = try resolveArn(request.SourceArn, parameter: "SourceArn", ctx, .listMessageMoveTasks)
        let max = request.MaxResults ?? 1
        guard (1...10).contains(max) else {
            throw .invalidParameterValue(value: String(max), parameter: "MaxResults",
                                         reason: "You must enter a number that's between 1 and 10.")
        }
        let tasks = try await storage { try await store.moveTasks() }
        let entries = tasks.filter { $0.sourceArn == source.key.arn }.prefix(max).map { task in
            ListMessageMoveTasksResultEntry(
                TaskHandle: task.status == .running ? MoveTaskHandle(taskId: task.id, sourceArn: task.sourceArn).encoded : nil,
                Status: task.status.rawValue, SourceArn: task.sourceArn, DestinationArn: task.destinationArn,
                MaxNumberOfMessagesPerSecond: task.maxPerSecond, ApproximateNumberOfMessagesMoved: task.moved,
                ApproximateNumberOfMessagesToMove: task.toMove,
                FailureReason: task.status == .failed ? task.failureReason : nil, StartedTimestamp: task.startedAtMillis)
        }
        return ListMessageMoveTasksResponse(Results: Array(entries))
    }

    /// Waits for every running move task to end (tests, shutdown).
    public func waitForMoveTasks() async {
        for run in moveTaskRuns.withLock({ Array($0.values) }) { await run.value }
    }

    /// A queue named by ARN that the caller may use; an unknown or foreign one is
    /// ResourceNotFoundException, as AWS answers for move tasks.
    private func resolveArn(_ text: String, parameter: String, _ ctx: CallContext,
                            _ operation: SQSOperation) throws(SQSError) -> StoredQueue {
        let missing = SQSError.resourceNotFound("The resource that you specified for the \(parameter) parameter doesn't exist.")
        guard let arn = QueueArn(text), let queue = catalog.lookup(arn.key) else { throw missing }
        do throws(SQSError) {
            try authorize(queue, ctx, operation)
        } catch where error.shape == "QueueDoesNotExist" {
            throw missing
        }
        return queue
    }

    /// On start-up: resume what was running, finish what was being cancelled.
    func resumeMoveTasks() async throws {
        for task in try await store.moveTasks() {
            switch task.status {
            case .running:
                logger.info("resuming message move task \(task.id) from \(task.sourceArn)")
                launch(task)
            case .cancelling:
                try await store.updateMoveTask(id: task.id, status: .cancelled, failureReason: nil)
            default: break
            }
        }
    }

    private func launch(_ task: MoveTask) {
        let run = Task { [self] in
            await runMoveTask(task)
            _ = moveTaskRuns.withLock { $0.removeValue(forKey: task.id) }
        }
        moveTaskRuns.withLock { $0[task.id] = run }
    }

    /// Moves the task's messages step by step, at most `maxPerSecond` per second, until none
    /// is left, the task is cancelled, or a destination disappears (FAILED).
    private func runMoveTask(_ task: MoveTask) async {
        let batch = task.maxPerSecond ?? Self.unthrottledMoveBatch
        do {
            while true {
                if cancelledMoveTasks.withLock({ $0.remove(task.id) != nil }) {
                    return try await store.updateMoveTask(id: task.id, status: .cancelled, failureReason: nil)
                }
                guard catalog.all().contains(where: { $0.id == task.sourceQueueId }),
                      let destination = moveDestination(task) else {
                    return try await store.updateMoveTask(id: task.id, status: .failed,
                                                          failureReason: "AWS.SimpleQueueService.NonExistentQueue")
                }
                let startedAt = clock.nowMillis()
                let step = try await store.moveMessages(task: task, limit: batch, destination: destination, nowMillis: startedAt)
                for queueId in step.destinations { waiters.notify(queueId: queueId) }
                if step.missingDestination != nil {
                    return try await store.updateMoveTask(id: task.id, status: .failed,
                                                          failureReason: "AWS.SimpleQueueService.NonExistentQueue")
                }
                if step.moved < batch {
                    return try await store.updateMoveTask(id: task.id, status: .completed, failureReason: nil)
                }
                if task.maxPerSecond != nil {
                    try await clock.sleep(untilMillis: startedAt + 1000)
                } else {
                    await Task.yield()
                }
            }
        } catch {
            // Storage failed or the server is stopping: the task stays RUNNING on disk and
            // resumes at the next start.
            logger.error("message move task \(task.id) interrupted: \(error)")
        }
    }

    private func moveDestination(_ task: MoveTask) -> MoveDestination? {
        if let arnText = task.destinationArn {
            guard let arn = QueueArn(arnText), let queue = catalog.lookup(arn.key) else { return nil }
            return .queue(id: queue.id)
        }
        return .originalSource(queueIdsByArn: Dictionary(catalog.all().map { ($0.key.arn, $0.id) }) { a, _ in a })
    }
}

/// The opaque TaskHandle: base64 of the task id and source ARN (LocalStack's shape).
struct MoveTaskHandle: Codable {
    var taskId: String
    var sourceArn: String

    /// Stable: the same task always gets the same handle (sorted keys).
    var encoded: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return ((try? encoder.encode(self)) ?? Data()).base64EncodedString()
    }

    init(taskId: String, sourceArn: String) { self.taskId = taskId; self.sourceArn = sourceArn }

    init?(encoded: String) {
        guard let data = Data(base64Encoded: encoded),
              let handle = try? JSONDecoder().decode(MoveTaskHandle.self, from: data) else { return nil }
        self = handle
    }
}
