import Foundation

/// The states of a message move task (docs/sqs-behaviour.md, "Message move tasks").
public enum MoveTaskStatus: String, Sendable, Equatable {
    case running = "RUNNING"
    case completed = "COMPLETED"
    case cancelling = "CANCELLING"
    case cancelled = "CANCELLED"
    case failed = "FAILED"

    public var isActive: Bool { self == .running || self == .cancelling }
}

/// A dead-letter redrive: moves the messages of a DLQ to one destination or back to where each
/// came from. Persisted, so that a restart resumes it instead of losing it.
public struct MoveTask: Sendable, Equatable {
    public var id: String
    public var sourceQueueId: Int64
    public var sourceArn: String
    /// Nil: each message goes back to the queue it was dead-lettered from.
    public var destinationArn: String?
    public var maxPerSecond: Int?
    public var status: MoveTaskStatus
    public var moved: Int64
    public var toMove: Int64
    public var startedAtMillis: Int64
    public var failureReason: String?
    /// Only messages at or below this sequence number move: those in the DLQ when the task
    /// started. Later arrivals stay for the next task, and the task always ends.
    public var boundarySeq: Int64

    public init(id: String, sourceQueueId: Int64, sourceArn: String, destinationArn: String?, maxPerSecond: Int?,
                status: MoveTaskStatus, moved: Int64, toMove: Int64, startedAtMillis: Int64,
                failureReason: String?, boundarySeq: Int64) {
        self.id = id; self.sourceQueueId = sourceQueueId; self.sourceArn = sourceArn
        self.destinationArn = destinationArn; self.maxPerSecond = maxPerSecond; self.status = status
        self.moved = moved; self.toMove = toMove; self.startedAtMillis = startedAtMillis
        self.failureReason = failureReason; self.boundarySeq = boundarySeq
    }
}

/// Where a move step sends messages.
public enum MoveDestination: Sendable {
    case queue(id: Int64)
    /// Back to each message's dead-letter source, looked up by ARN among the existing queues.
    case originalSource(queueIdsByArn: [String: Int64])
}

/// What one move step did.
public struct MoveStep: Sendable, Equatable {
    public var moved: Int
    /// Queue ids that received messages (their long polls need waking).
    public var destinations: Set<Int64>
    /// Set when a message's destination no longer exists: the ARN it wanted. Nothing after it moved.
    public var missingDestination: String?
    /// The task's status when the step began: anything but RUNNING (a cancel from any node, or
    /// a task that ended elsewhere) means nothing was moved and the runner should stop.
    public var status: MoveTaskStatus
    public init(moved: Int, destinations: Set<Int64>, missingDestination: String?, status: MoveTaskStatus = .running) {
        self.moved = moved; self.destinations = destinations; self.missingDestination = missingDestination
        self.status = status
    }
}
