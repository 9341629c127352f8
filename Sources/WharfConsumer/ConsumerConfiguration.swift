import Foundation
import Logging
import WharfClient
import WharfExpression

/// How a `Consumer` polls a queue and what it does with each message (docs/consumer.md#configuration).
///
/// ```swift
/// var configuration = ConsumerConfiguration(queue: "orders")
/// configuration.visibilityTimeout = 60
/// configuration.systemAttributeNames = [.sentTimestamp]
/// configuration.messageAttributeNames = ["tenant", "trace.*"]
/// configuration.onFailure = .exponential(initialSeconds: 5, capSeconds: 300)
/// configuration.failureJitter = 0.3
/// ```
public struct ConsumerConfiguration: Sendable {
    /// Queue name (resolved with GetQueueUrl) or queue URL. Checked at start: a missing queue
    /// fails `run()` with `ConsumerError.queueDoesNotExist`.
    public var queue: String
    /// Long-poll seconds per ReceiveMessage, 0...20.
    public var waitTimeSeconds: Int = 20
    /// Messages asked for per ReceiveMessage, 1...10.
    public var maxMessages: Int = 10
    /// Messages received and not yet finished, at most (so handlers in flight, at most).
    /// Independent of `maxMessages`: 50 means up to five full polls in flight.
    public var concurrency: Int = 10
    /// VisibilityTimeout to request on receive; nil uses the queue's.
    public var visibilityTimeout: Int?
    /// System attributes to fetch and show in the message object's `attributes`, which is
    /// what the activation condition and mapping may see (`All` by default; empty means `All`,
    /// as in Camunda's connector). ApproximateReceiveCount and MessageGroupId are always
    /// requested, since the failure policy and FIFO ordering need them, but appear in the
    /// object only when selected.
    public var systemAttributeNames: [MessageSystemAttributeName] = [.all]
    /// Message attributes to fetch and show in `messageAttributes` (`All` by default, empty
    /// means `All`; a name may end in `.*` to select a prefix).
    public var messageAttributeNames: [String] = ["All"]
    /// A body that is an SNS notification (`"Type": "Notification"`, as SNS delivers to SQS
    /// without raw message delivery) is replaced by its `Message`, and its `MessageAttributes`
    /// become the message attributes; the envelope stays visible as `sns`.
    public var unwrapSNS: Bool = false
    /// Activation condition: the handler runs only when it evaluates to exactly `true`.
    public var condition: FEELExpression?
    /// Result mapping, evaluated over the message object (also visible as `response`).
    public var resultExpression: FEELExpression?
    /// The whole message object stored under this name in the output.
    public var resultVariable: String?
    public var onUnmatched: UnmatchedPolicy = .delete
    public var acknowledgement: AcknowledgementMode = .onSuccess
    public var deleteBatching: DeleteBatching = DeleteBatching()
    /// Extends the visibility of received messages until they are finished; nil disables.
    public var heartbeat: Heartbeat? = Heartbeat()
    public var onFailure: FailurePolicy = .releaseImmediately
    /// 0...1: a failure policy's delay d becomes a random value in d·(1 − jitter) … d.
    public var failureJitter: Double = 0
    public var pollBackoff: PollBackoff = PollBackoff()
    /// A handler running longer is cancelled and counts as failed.
    public var handlerTimeout: Duration?
    /// On `stop()`: how long running handlers may finish before they are cancelled.
    public var shutdownGracePeriod: Duration = .seconds(30)
    /// Where every event is logged (see `ConsumerEvent`): failures at error, failed polls at
    /// warning, start and stop at info, the rest at debug and trace.
    public var logger: Logger = Logger(label: "wharf.consumer")

    public init(queue: String) { self.queue = queue }

    func validate() throws(ConsumerError) {
        guard !queue.isEmpty else { throw .invalidConfiguration("queue is empty") }
        guard (0...20).contains(waitTimeSeconds) else { throw .invalidConfiguration("waitTimeSeconds must be 0...20") }
        guard (1...10).contains(maxMessages) else { throw .invalidConfiguration("maxMessages must be 1...10") }
        guard concurrency >= 1 else { throw .invalidConfiguration("concurrency must be at least 1") }
        if let visibilityTimeout, !(0...43200).contains(visibilityTimeout) {
            throw .invalidConfiguration("visibilityTimeout must be 0...43200")
        }
        if case .releaseAfter(let seconds) = onFailure, !(0...43200).contains(seconds) {
            throw .invalidConfiguration("releaseAfter must be 0...43200 seconds")
        }
        guard (1...10).contains(deleteBatching.maxBatch) else { throw .invalidConfiguration("deleteBatching.maxBatch must be 1...10") }
        guard (0...1).contains(failureJitter) else { throw .invalidConfiguration("failureJitter must be 0...1") }
    }

    /// The system attribute names sent on receive.
    var requestedSystemAttributes: [MessageSystemAttributeName] {
        if systemAttributeNames.isEmpty || systemAttributeNames.contains(.all) { return [.all] }
        var names = systemAttributeNames
        for required in [MessageSystemAttributeName.approximateReceiveCount, .messageGroupId] where !names.contains(required) {
            names.append(required)
        }
        return names
    }

    /// The message attribute names sent on receive.
    var requestedMessageAttributes: [String] {
        messageAttributeNames.isEmpty ? ["All"] : messageAttributeNames
    }

    var messageObjectOptions: MessageObject.Options {
        MessageObject.Options(systemAttributeNames: systemAttributeNames.map(\.rawValue), messageAttributeNames: messageAttributeNames,
                              unwrapSNS: unwrapSNS)
    }
}

/// What happens to a message whose activation condition is not exactly `true`.
public enum UnmatchedPolicy: String, Sendable, CaseIterable {
    /// Delete it (Camunda's "consume unmatched events", the default).
    case delete
    /// Leave it: it returns after the visibility timeout and, eventually, lands in the DLQ.
    case leave
}

/// When a handled message is deleted.
public enum AcknowledgementMode: String, Sendable, CaseIterable {
    /// After the handler succeeds; a failure applies the failure policy.
    case onSuccess
    /// Whatever the handler's outcome (a failed expression is still retried).
    case always
    /// Only when the handler calls `message.acknowledgement.delete()`; a thrown error applies
    /// the failure policy unless the handler settled the message already.
    case manual
}

/// Deletes are collected and sent as DeleteMessageBatch: at `maxBatch` entries or
/// `flushInterval` after the first, whichever comes first. `maxBatch` 1 deletes one by one.
public struct DeleteBatching: Sendable {
    public var maxBatch: Int = 10
    public var flushInterval: Duration = .milliseconds(100)
    public init(maxBatch: Int = 10, flushInterval: Duration = .milliseconds(100)) {
        self.maxBatch = maxBatch; self.flushInterval = flushInterval
    }
}

/// Visibility heartbeat: every `interval`, messages received at least `interval` ago and not
/// finished get ChangeMessageVisibility(`extendTo`). nil values derive from the visibility
/// timeout in effect (V): interval V/3, extendTo V.
public struct Heartbeat: Sendable {
    public var interval: Duration?
    public var extendTo: Int?
    public init(interval: Duration? = nil, extendTo: Int? = nil) { self.interval = interval; self.extendTo = extendTo }
}

/// What a failed message's visibility becomes (docs/consumer.md#failure-policy).
///
/// ```swift
/// configuration.onFailure = .releaseAfter(seconds: 30)
/// configuration.onFailure = .exponential(initialSeconds: 5, multiplier: 2, capSeconds: 600)   // 5, 10, 20 … s
/// ```
public enum FailurePolicy: Sendable, Equatable {
    /// Visibility 0: the message is available again at once.
    case releaseImmediately
    /// Visible again after N seconds.
    case releaseAfter(seconds: Int)
    /// initial × multiplier^(n−1) seconds, n = ApproximateReceiveCount, at most `capSeconds`.
    case exponential(initialSeconds: Int, multiplier: Double = 2, capSeconds: Int = 43200)
    /// Do nothing: the message returns when its visibility timeout expires (Camunda's way).
    case visibilityTimeout

    /// The visibility timeout to set, or nil to leave the message alone.
    public func visibility(receiveCount: Int) -> Int? {
        switch self {
        case .releaseImmediately: return 0
        case .releaseAfter(let seconds): return seconds
        case .visibilityTimeout: return nil
        case .exponential(let initial, let multiplier, let cap):
            let cap = min(cap, 43200)
            let exponent = Double(max(0, receiveCount - 1))
            let value = Double(initial) * pow(multiplier, exponent)
            return value.isFinite ? Int(min(Double(cap), value).rounded()) : cap
        }
    }
}

/// Waiting after failed polls: exponential with "equal jitter" (between half and all of
/// initial × multiplier^(n−1), at most `maximum`), and at least `authenticationMinimum` after
/// an authentication error. Never zero, so a broken endpoint never sees a tight loop.
public struct PollBackoff: Sendable {
    public var initial: Duration = .seconds(1)
    public var multiplier: Double = 2
    public var maximum: Duration = .seconds(60)
    public var authenticationMinimum: Duration = .seconds(30)

    public init(initial: Duration = .seconds(1), multiplier: Double = 2, maximum: Duration = .seconds(60),
                authenticationMinimum: Duration = .seconds(30)) {
        self.initial = initial; self.multiplier = multiplier; self.maximum = maximum
        self.authenticationMinimum = authenticationMinimum
    }

    /// The wait after `failures` consecutive failed polls (1-based); `random` in 0..<1.
    public func delay(afterFailures failures: Int, authentication: Bool, random: Double) -> Duration {
        let ceiling = min(maximum.seconds, initial.seconds * pow(multiplier, Double(min(max(failures - 1, 0), 60))))
        var seconds = ceiling / 2 + ceiling / 2 * min(max(random, 0), 1)
        if authentication { seconds = max(seconds, authenticationMinimum.seconds) }
        return .seconds(seconds)
    }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

public enum ConsumerError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidConfiguration(String)
    /// The fail-fast check at start found no such queue.
    case queueDoesNotExist(String)
    /// The queue could not be checked at start (network, credentials ...).
    case startFailed(String)
    /// `run()` was called twice.
    case alreadyRunning

    public var description: String {
        switch self {
        case .invalidConfiguration(let text): return "invalid consumer configuration: \(text)"
        case .queueDoesNotExist(let queue): return "queue \(queue) does not exist"
        case .startFailed(let text): return "cannot start consumer: \(text)"
        case .alreadyRunning: return "consumer already running"
        }
    }
}
