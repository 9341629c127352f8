import Foundation

/// What a running consumer did, as a program that embeds it sees it through
/// `Consumer.events()` and as the consumer's logger writes it. Every failure says which
/// message (queue, id, receive count), why, and what happens to the message next — the
/// questions an operator asks when a queue's DLQ fills up.
public enum ConsumerEvent: Sendable, Equatable {
    /// The queue was checked and polling begins.
    case started(queueURL: String)
    /// A receive returned messages.
    case received(queueURL: String, count: Int)
    /// The handler succeeded; `duration` is the handler's own time.
    case processed(MessageReference, duration: Duration)
    /// The activation condition was not `true`.
    case unmatched(MessageReference, deleted: Bool)
    /// The message failed (handler, timeout, expression …) and what happens to it next.
    case failed(MessageFailure)
    /// Received but not handled: made visible again without counting as a failure.
    case released(MessageReference, reason: ReleaseReason)
    /// A receive failed; the consumer waits `retryIn` and polls again.
    case pollFailed(PollFailure)
    /// A delete or visibility change did not take effect for one message.
    case acknowledgementFailed(AcknowledgementFailure)
    /// `run()` is returning; the final counters.
    case stopped(ConsumerCounters)
}

/// The message a report is about.
public struct MessageReference: Sendable, Equatable, Hashable {
    public var queueURL: String
    public var messageId: String
    /// ApproximateReceiveCount of this delivery (1 when the server did not send it).
    public var receiveCount: Int

    public init(queueURL: String, messageId: String, receiveCount: Int) {
        self.queueURL = queueURL; self.messageId = messageId; self.receiveCount = receiveCount
    }
}

/// Why a message failed.
public enum FailureCause: Sendable, Equatable, CustomStringConvertible {
    /// The handler threw: the error's description. `wharf listen` puts the exit status and the
    /// end of stderr of `--exec`, and the HTTP status of `--post`, there.
    case handler(String)
    /// The handler ran longer than `handlerTimeout` and was cancelled.
    case handlerTimedOut(Duration)
    /// The handler was still running at the end of the shutdown grace period.
    case cancelledAtShutdown
    /// A batch handler listed the message in its failures.
    case reportedByBatchHandler
    /// The activation condition or the result expression could not be evaluated.
    case expression(ExpressionFailure)

    public var description: String {
        switch self {
        case .handler(let text): return "handler failed: \(text)"
        case .handlerTimedOut(let limit): return "handler timed out after \(limit.seconds.formatted) s"
        case .cancelledAtShutdown: return "handler cancelled at the end of the shutdown grace period"
        case .reportedByBatchHandler: return "reported failed by the batch handler"
        case .expression(let failure): return failure.description
        }
    }
}

/// An expression that failed on a message: which one, its source, and where it failed.
public struct ExpressionFailure: Sendable, Equatable, CustomStringConvertible {
    public enum Role: String, Sendable {
        case activationCondition = "activation condition"
        case resultExpression = "result expression"
    }
    public var role: Role
    public var source: String
    /// The error without its position, e.g. `unknown function "frobnicate"`.
    public var reason: String
    /// 1-based position of the failing part in `source`.
    public var line: Int
    public var column: Int

    public init(role: Role, source: String, reason: String, line: Int, column: Int) {
        self.role = role; self.source = source; self.reason = reason; self.line = line; self.column = column
    }

    public var description: String { "\(role.rawValue) \(source) failed at \(line):\(column): \(reason)" }
}

/// What happens to a failed message.
public enum FailureDisposition: Sendable, Equatable, CustomStringConvertible {
    /// Made visible again after this many seconds (0: at once), per the failure policy.
    case released(delaySeconds: Int)
    /// Left alone: it returns when its visibility timeout runs out.
    case leftToTimeOut
    /// Deleted anyway (acknowledgement `.always`).
    case deleted
    /// The handler had deleted or released it itself before failing.
    case settledByHandler

    public var description: String {
        switch self {
        case .released(let seconds): return seconds == 0 ? "released at once" : "released with delay \(seconds) s"
        case .leftToTimeOut: return "left to time out"
        case .deleted: return "deleted (acknowledged always)"
        case .settledByHandler: return "already settled by the handler"
        }
    }
}

public struct MessageFailure: Sendable, Equatable {
    public var message: MessageReference
    public var cause: FailureCause
    public var next: FailureDisposition

    public init(message: MessageReference, cause: FailureCause, next: FailureDisposition) {
        self.message = message; self.cause = cause; self.next = next
    }
}

/// Why a received message was released without being handled.
public enum ReleaseReason: Sendable, Equatable, CustomStringConvertible {
    /// An earlier message of its FIFO group failed; handling it would break the order.
    case fifoGroupStopped(afterMessageId: String)
    /// The consumer is stopping and had not started it.
    case shutdown

    public var description: String {
        switch self {
        case .fifoGroupStopped(let id): return "released: message \(id) of its FIFO group failed before it"
        case .shutdown: return "released: the consumer is stopping"
        }
    }
}

public struct PollFailure: Sendable, Equatable {
    public var queueURL: String
    /// The SQS error code (`AWS.SimpleQueueService.NonExistentQueue`, `AccessDenied` …); nil for
    /// network and credentials errors.
    public var code: String?
    public var reason: String
    /// Bad or missing credentials: the consumer waits at least `PollBackoff.authenticationMinimum`.
    public var authentication: Bool
    public var consecutiveFailures: Int
    public var retryIn: Duration

    public init(queueURL: String, code: String?, reason: String, authentication: Bool, consecutiveFailures: Int,
                retryIn: Duration) {
        self.queueURL = queueURL; self.code = code; self.reason = reason; self.authentication = authentication
        self.consecutiveFailures = consecutiveFailures; self.retryIn = retryIn
    }
}

public struct AcknowledgementFailure: Sendable, Equatable {
    public enum Operation: String, Sendable {
        case delete
        /// A visibility change of the failure policy, a release or shutdown.
        case changeVisibility = "change visibility"
        case heartbeat
    }
    public var operation: Operation
    public var message: MessageReference
    /// The entry's or the call's SQS error code (`ReceiptHandleIsInvalid` …), nil for network errors.
    public var code: String?
    public var reason: String

    public init(operation: Operation, message: MessageReference, code: String?, reason: String) {
        self.operation = operation; self.message = message; self.code = code; self.reason = reason
    }

    /// What the failure means for the message.
    public var consequence: String {
        switch operation {
        case .delete: return "not deleted: it will be received again after its visibility timeout"
        case .changeVisibility: return "visibility unchanged: it returns after its current visibility timeout"
        case .heartbeat: return "not extended: it may be received again while its handler still runs"
        }
    }
}

extension Double {
    /// At most three decimals, no trailing zeros: 0.25, 30, 1.5.
    var formatted: String {
        let rounded = (self * 1000).rounded() / 1000
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
