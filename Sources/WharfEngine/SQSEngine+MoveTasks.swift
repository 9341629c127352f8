import Foundation
import SQSModel

// StartMessageMoveTask, CancelMessageMoveTask, ListMessageMoveTasks (docs/sqs-behaviour.md#message-move-tasks), and the
// background runner that moves the messages.
extension SQSEngine {
    /// Messages a task without MaxNumberOfMessagesPerSecond moves per transaction.
    static let unthrottledMoveBatch = 500

    public func startMessageMoveTask(_ request: StartMessageMoveTaskRequest, _ ctx: CallContext) async throws(SQSError) -> StartMessageMoveTaskResponse {
        let source = try await resolveArn(request.SourceArn, parameter: "SourceArn", ctx, .startMessageMoveTask)
        if let rate = request.MaxNumberOfMessagesPerSecond, !(1...500).contains(rate) {
            throw .invalidParameterValue(value: String(rate), parameter: "MaxNumberOfMessagesPerSecond",
                                         reason: "Must be between 1 and 500.")
        }
        guard try await isDeadLetterQueue(source) else {
            throw .invalidParameterValue("Source queue must be configured as a Dead Letter Queue.")
        }
        if let destination = request.DestinationArn {
            _ = try await resolveArn(destination, parameter: "DestinationArn", ctx, .sendMessage)
        }
        let proposed = MoveTask(
            id: UUID().uuidString.lowercased(), sourceQueueId: source.id, sourceArn: source.key.arn,
            destinationArn: request.DestinationArn, maxPerSecond: request.MaxNumberOfMessagesPerSecond,
            status: .running, moved: 0, toMove: 0, startedAtMillis: clock.nowMillis(), failureReason: nil,
            boundarySeq: 0)
        // The store enforces one active task per source, whichever node starts the other one.
        let created: MoveTask? = try await storage {
            do {
                return try await store.createMoveTask(proposed)
            } catch StoreError.moveTaskActive {
                return nil
            }
        }
        guard let task = created else {
            throw .invalidParameterValue(
                "There is already a task running. Only one active task is allowed for a source queue arn at a given time.")
        }
        bus.publish(.moveTasksChanged)
        try await storage { try await adopt(task) }
        return StartMessageMoveTaskResponse(TaskHandle: MoveTaskHandle(taskId: task.id, sourceArn: task.sourceArn).encoded)
    }

    public func cancelMessageMoveTask(_ request: CancelMessageMoveTaskRequest, _ ctx: CallContext) async throws(SQSError) -> CancelMessageMoveTaskResponse {
        guard let handle = MoveTaskHandle(encoded: request.TaskHandle) else {
            throw .invalidParameterValue("Value for parameter TaskHandle is invalid.")
        }
        _ = try? await resolveArn(handle.sourceArn, parameter: "SourceArn", ctx, .cancelMessageMoveTask)
        let tasks = try await storage { try await store.moveTasks(sourceQueueId: nil) }
        // A handle names a running task: ListMessageMoveTasks shows it only then.
        guard let task = tasks.first(where: { $0.id == handle.taskId }), task.sourceArn == handle.sourceArn,
              task.status == .running else {
            throw .resourceNotFound("Task does not exist.")
        }
        // The node that runs the task sees CANCELLING at its next step and ends it.
        let cancelled = try await storage {
            try await store.updateMoveTask(id: task.id, status: .cancelling, failureReason: nil, from: [.running])
        }
        guard cancelled else { throw .resourceNotFound("Task does not exist.") }
        bus.publish(.moveTasksChanged)
        return CancelMessageMoveTaskResponse(ApproximateNumberOfMessagesMoved: task.moved)
    }

    public func listMessageMoveTasks(_ request: ListMessageMoveTasksRequest, _ ctx: CallContext) async throws(SQSError) -> ListMessageMoveTasksResponse {
        let source = try await resolveArn(request.SourceArn, parameter: "SourceArn", ctx, .listMessageMoveTasks)
        let max = request.MaxResults ?? 1
        guard (1...10).contains(max) else {
            throw .invalidParameterValue(value: String(max), parameter: "MaxResults",
                                         reason: "You must enter a number that's between 1 and 10.")
        }
        let tasks = try await storage { try await store.moveTasks(sourceQueueId: source.id) }
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

    /// Waits for every move task this node runs to end (tests, shutdown).
    public func waitForMoveTasks() async {
        for run in moveTaskRuns.withLock({ Array($0.values) }) { await run.value }
    }

    /// A queue named by ARN that the caller may use; an unknown or foreign one is
    /// ResourceNotFoundException, as AWS answers for move tasks.
    private func resolveArn(_ text: String, parameter: String, _ ctx: CallContext,
                            _ operation: SQSOperation) async throws(SQSError) -> StoredQueue {
        let missing = SQSError.resourceNotFound("The resource that you specified for the \(parameter) parameter doesn't exist.")
        guard let arn = QueueArn(text), let queue = try await freshQueue(arn.key) else { throw missing }
        do throws(SQSError) {
            try authorize(queue, ctx, operation)
        } catch where error.code == .queueDoesNotExist {
            throw missing
        }
        return queue
    }

    /// How long a node owns a move task without renewing: every step renews it, and when the
    /// node dies another one takes the task over after at most this long.
    static let moveTaskLeaseMillis: Int64 = 10_000

    static func leaseName(of task: MoveTask) -> String { "move-task/\(task.id)" }

    /// Takes over every active task that no live node runs: resumes RUNNING ones, finishes
    /// the cancellation of CANCELLING ones. Runs at start and then periodically, so that the
    /// tasks of a node that died continue elsewhere.
    func adoptMoveTasks() async throws {
        for task in try await store.moveTasks(sourceQueueId: nil) where task.status.isActive {
            try await adopt(task)
        }
    }

    /// Runs the task here if no other node holds its lease.
    private func adopt(_ task: MoveTask) async throws {
        if moveTaskRuns.withLock({ $0[task.id] != nil }) { return }
        let lease = Self.leaseName(of: task)
        guard try await store.acquireLease(lease, owner: nodeId, nowMillis: clock.nowMillis(),
                                           durationMillis: Self.moveTaskLeaseMillis) else { return }
        switch task.status {
        case .running:
            logger.info("running message move task \(task.id) from \(task.sourceArn)")
            launch(task)
        case .cancelling:
            _ = try await store.updateMoveTask(id: task.id, status: .cancelled, failureReason: nil, from: [.cancelling])
            try await store.releaseLease(lease, owner: nodeId)
        default:
            try await store.releaseLease(lease, owner: nodeId)
        }
    }

    private func launch(_ task: MoveTask) {
        moveTaskRuns.withLock { runs in
            guard runs[task.id] == nil else { return }
            runs[task.id] = Task { [self] in
                await runMoveTask(task)
                _ = moveTaskRuns.withLock { $0.removeValue(forKey: task.id) }
            }
        }
    }

    /// Moves the task's messages step by step, at most `maxPerSecond` per second, until none
    /// is left, the task is cancelled (from any node), a destination disappears (FAILED), or
    /// another node took the task over.
    private func runMoveTask(_ task: MoveTask) async {
        let batch = task.maxPerSecond ?? Self.unthrottledMoveBatch
        let lease = Self.leaseName(of: task)
        func finish(_ status: MoveTaskStatus, _ reason: String? = nil) async throws {
            _ = try await store.updateMoveTask(id: task.id, status: status, failureReason: reason, from: [.running, .cancelling])
            try await store.releaseLease(lease, owner: nodeId)
            bus.publish(.moveTasksChanged)
        }
        do {
            while true {
                let startedAt = clock.nowMillis()
                guard try await store.acquireLease(lease, owner: nodeId, nowMillis: startedAt,
                                                   durationMillis: Self.moveTaskLeaseMillis) else {
                    logger.notice("message move task \(task.id) is now run by another node")
                    return
                }
                let queues = try await store.loadQueues()
                guard queues.contains(where: { $0.id == task.sourceQueueId }),
                      let destination = moveDestination(task, queues: queues) else {
                    return try await finish(.failed, "AWS.SimpleQueueService.NonExistentQueue")
                }
                let step = try await store.moveMessages(task: task, limit: batch, destination: destination, nowMillis: startedAt)
                switch step.status {
                case .running: break
                case .cancelling: return try await finish(.cancelled)
                default: return try await store.releaseLease(lease, owner: nodeId)
                }
                for queueId in step.destinations { wake(queueId) }
                if step.missingDestination != nil {
                    return try await finish(.failed, "AWS.SimpleQueueService.NonExistentQueue")
                }
                if step.moved < batch { return try await finish(.completed) }
                if task.maxPerSecond != nil {
                    try await clock.sleep(untilMillis: startedAt + 1000)
                } else {
                    await Task.yield()
                }
            }
        } catch {
            // Storage failed or the server is stopping: the task stays RUNNING in the store,
            // and this node or another resumes it once the lease runs out.
            logger.error("message move task \(task.id) interrupted: \(error)")
        }
    }

    private func moveDestination(_ task: MoveTask, queues: [StoredQueue]) -> MoveDestination? {
        if let arnText = task.destinationArn {
            guard let arn = QueueArn(arnText), let queue = queues.first(where: { $0.key == arn.key }) else { return nil }
            return .queue(id: queue.id)
        }
        return .originalSource(queueIdsByArn: Dictionary(queues.map { ($0.key.arn, $0.id) }) { a, _ in a })
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
