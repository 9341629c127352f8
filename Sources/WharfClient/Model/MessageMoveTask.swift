import Foundation

/// A message move task: messages of a dead-letter queue moved back to their source queues (or
/// to another queue), as `startMessageMoveTask` starts it and `listMessageMoveTasks` lists it.
///
/// ```swift
/// let handle = try await sqs.startMessageMoveTask(sourceARN: dlqARN, maxNumberOfMessagesPerSecond: 50)
/// for task in try await sqs.listMessageMoveTasks(sourceARN: dlqARN) where task.status == .running {
///     print(task.approximateNumberOfMessagesMoved ?? 0, "of", task.approximateNumberOfMessagesToMove ?? 0)
/// }
/// try await sqs.cancelMessageMoveTask(handle)
/// ```
public struct MessageMoveTask: Sendable, Hashable {
    /// What a task is doing, as SQS reports it (`RUNNING` …). Open, like the attribute names.
    public struct Status: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let running = Self(rawValue: "RUNNING")
        public static let completed = Self(rawValue: "COMPLETED")
        public static let cancelling = Self(rawValue: "CANCELLING")
        public static let cancelled = Self(rawValue: "CANCELLED")
        public static let failed = Self(rawValue: "FAILED")
    }

    /// What `cancelMessageMoveTask` takes; SQS gives it only for running tasks.
    public var taskHandle: String?
    public var status: Status?
    public var sourceARN: String?
    /// nil: each message goes back to the queue it came from.
    public var destinationARN: String?
    public var maxNumberOfMessagesPerSecond: Int?
    public var approximateNumberOfMessagesMoved: Int?
    /// How many messages the task had to move when it started.
    public var approximateNumberOfMessagesToMove: Int?
    /// Why a task failed (`status == .failed`).
    public var failureReason: String?
    public var startedAt: Date?

    public init(taskHandle: String? = nil, status: Status? = nil, sourceARN: String? = nil, destinationARN: String? = nil,
                maxNumberOfMessagesPerSecond: Int? = nil, approximateNumberOfMessagesMoved: Int? = nil,
                approximateNumberOfMessagesToMove: Int? = nil, failureReason: String? = nil, startedAt: Date? = nil) {
        self.taskHandle = taskHandle
        self.status = status
        self.sourceARN = sourceARN
        self.destinationARN = destinationARN
        self.maxNumberOfMessagesPerSecond = maxNumberOfMessagesPerSecond
        self.approximateNumberOfMessagesMoved = approximateNumberOfMessagesMoved
        self.approximateNumberOfMessagesToMove = approximateNumberOfMessagesToMove
        self.failureReason = failureReason
        self.startedAt = startedAt
    }
}
