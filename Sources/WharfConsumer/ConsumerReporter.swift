import Foundation
import Logging

/// Sends every event to the logger and to the subscribers of `Consumer.events()`. Subscribers
/// get a stream each, buffering the newest `capacity` events, so a slow reader loses old
/// events instead of slowing the consumer.
final class ConsumerReporter: @unchecked Sendable {
    private let lock = NSLock()
    private var subscribers: [UInt64: AsyncStream<ConsumerEvent>.Continuation] = [:]
    private var nextId: UInt64 = 0
    private var finished = false
    let logger: Logger

    init(logger: Logger) { self.logger = logger }

    func subscribe(capacity: Int) -> AsyncStream<ConsumerEvent> {
        let (stream, continuation) = AsyncStream<ConsumerEvent>.makeStream(bufferingPolicy: .bufferingNewest(max(1, capacity)))
        lock.lock()
        if finished {
            lock.unlock()
            continuation.finish()
            return stream
        }
        nextId += 1
        let id = nextId
        subscribers[id] = continuation
        lock.unlock()
        continuation.onTermination = { [weak self] _ in self?.unsubscribe(id) }
        return stream
    }

    private func unsubscribe(_ id: UInt64) {
        lock.lock(); defer { lock.unlock() }
        subscribers[id] = nil
    }

    func report(_ event: ConsumerEvent) {
        event.log(to: logger)
        let targets = lock.withLock { Array(subscribers.values) }
        for continuation in targets { continuation.yield(event) }
    }

    /// Ends every stream (after `.stopped`); later subscribers get an empty stream.
    func finish() {
        let targets: [AsyncStream<ConsumerEvent>.Continuation] = lock.withLock {
            finished = true
            defer { subscribers = [:] }
            return Array(subscribers.values)
        }
        for continuation in targets { continuation.finish() }
    }
}

extension ConsumerEvent {
    /// The level a log line of this event gets: failures of messages and acknowledgements are
    /// errors, failed polls warnings (they are retried; bad credentials say so), the rest is
    /// debug or trace except start and stop.
    var level: Logger.Level {
        switch self {
        case .started, .stopped: return .info
        case .received: return .trace
        case .processed, .unmatched, .released: return .debug
        case .failed, .acknowledgementFailed: return .error
        case .pollFailed: return .warning
        }
    }

    /// One line per event: a sentence for people and metadata for machines (`--log-format json`).
    func log(to logger: Logger) {
        let level = self.level
        guard logger.logLevel <= level else { return }
        let (text, metadata) = logLine
        logger.log(level: level, "\(text)", metadata: metadata)
    }

    var logLine: (String, Logger.Metadata) {
        switch self {
        case .started(let queue):
            return ("consumer started", ["queue": "\(queue)"])
        case .received(let queue, let count):
            return ("received \(count) message\(count == 1 ? "" : "s")", ["queue": "\(queue)", "count": "\(count)"])
        case .processed(let message, let duration):
            return ("message processed", message.metadata.merging(["duration": "\(duration.seconds.formatted)"]) { $1 })
        case .unmatched(let message, let deleted):
            let next = deleted ? "deleted as unmatched" : "left unmatched to time out"
            return ("message unmatched: \(next)", message.metadata.merging(["next": "\(next)"]) { $1 })
        case .failed(let failure):
            var metadata = failure.message.metadata
            metadata["cause"] = "\(failure.cause)"
            metadata["next"] = "\(failure.next)"
            if case .expression(let expression) = failure.cause {
                metadata["expression"] = "\(expression.source)"
                metadata["position"] = "\(expression.line):\(expression.column)"
            }
            return ("message failed: \(failure.cause); \(failure.next)", metadata)
        case .released(let message, let reason):
            return ("message \(reason)", message.metadata.merging(["next": "released at once"]) { $1 })
        case .pollFailed(let failure):
            var metadata: Logger.Metadata = ["queue": "\(failure.queueURL)", "failures": "\(failure.consecutiveFailures)",
                                             "retryIn": "\(failure.retryIn.seconds.formatted)"]
            if let code = failure.code { metadata["code"] = "\(code)" }
            let retry = "retrying in \(failure.retryIn.seconds.formatted) s"
            if failure.authentication {
                metadata["authentication"] = "true"
                return ("receive failed, authentication: \(failure.reason); check the credentials; backing off, \(retry)", metadata)
            }
            return ("receive failed: \(failure.reason); \(retry)", metadata)
        case .acknowledgementFailed(let failure):
            var metadata = failure.message.metadata
            metadata["operation"] = "\(failure.operation.rawValue)"
            if let code = failure.code { metadata["code"] = "\(code)" }
            metadata["next"] = "\(failure.consequence)"
            return ("\(failure.operation.rawValue) failed: \(failure.reason); \(failure.consequence)", metadata)
        case .stopped(let counters):
            return ("consumer stopped", [
                "received": "\(counters.received)", "processed": "\(counters.processed)", "failed": "\(counters.failed)",
                "unmatched": "\(counters.unmatched)", "deleted": "\(counters.deleted)",
            ])
        }
    }
}

extension MessageReference {
    var metadata: Logger.Metadata {
        ["queue": "\(queueURL)", "messageId": "\(messageId)", "receiveCount": "\(receiveCount)"]
    }
}
