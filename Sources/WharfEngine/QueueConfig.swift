import Foundation
import SQSModel

/// The effective settings of a queue: the attributes the user set, over AWS's defaults, parsed
/// once per change of the attributes (sends and receives read them on every message, the
/// policy is checked on every request).
public struct QueueConfig: Sendable, Equatable {
    public let attributes: [String: String]
    public let delaySeconds: Int
    public let maximumMessageSize: Int
    public let retentionSeconds: Int
    public let receiveWaitSeconds: Int
    public let visibilityTimeoutSeconds: Int
    public let isFifo: Bool
    public let contentBasedDeduplication: Bool
    /// `DeduplicationScope=messageGroup`: deduplication ids are per group, not per queue.
    public let deduplicatesPerGroup: Bool
    public let redrivePolicy: RedrivePolicy?
    /// The `Policy` attribute; nil when there is none (stored policies were validated on write).
    public let policy: QueuePolicy?

    public init(_ attributes: [String: String]) {
        self.attributes = attributes
        let fifo = attributes["FifoQueue"] == "true"
        let defaults = fifo ? Self.fifoDefaults : Self.defaults
        func value(_ name: String) -> String? { attributes[name] ?? defaults[name] }
        func int(_ name: String) -> Int { Int(value(name) ?? "") ?? 0 }
        isFifo = fifo
        delaySeconds = int("DelaySeconds")
        maximumMessageSize = int("MaximumMessageSize")
        retentionSeconds = int("MessageRetentionPeriod")
        receiveWaitSeconds = int("ReceiveMessageWaitTimeSeconds")
        visibilityTimeoutSeconds = int("VisibilityTimeout")
        contentBasedDeduplication = value("ContentBasedDeduplication") == "true"
        deduplicatesPerGroup = value("DeduplicationScope") == "messageGroup"
        redrivePolicy = attributes["RedrivePolicy"].flatMap { try? RedrivePolicy.parse($0) }
        policy = attributes["Policy"].flatMap { try? QueuePolicy.parse($0) }
    }

    /// Everything else derives from the attributes.
    public static func == (lhs: QueueConfig, rhs: QueueConfig) -> Bool { lhs.attributes == rhs.attributes }

    /// Defaults a fresh standard queue reports (docs/sqs-behaviour.md#attribute-defaults).
    public static let defaults: [String: String] = [
        "DelaySeconds": "0",
        "MaximumMessageSize": "1048576",
        "MessageRetentionPeriod": "345600",
        "ReceiveMessageWaitTimeSeconds": "0",
        "VisibilityTimeout": "30",
        "SqsManagedSseEnabled": "true",
    ]

    /// What a fresh FIFO queue reports besides the standard defaults.
    public static let fifoDefaults: [String: String] = defaults.merging([
        "FifoQueue": "true",
        "ContentBasedDeduplication": "false",
        "DeduplicationScope": "queue",
        "FifoThroughputLimit": "perQueue",
    ]) { $1 }

    public var effectiveDefaults: [String: String] { isFifo ? Self.fifoDefaults : Self.defaults }

    public func value(_ name: String) -> String? { attributes[name] ?? effectiveDefaults[name] }
}
