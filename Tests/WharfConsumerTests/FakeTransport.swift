import Foundation
import Testing
import WharfClient
@testable import WharfConsumer

/// An in-memory queue behind the consumer's transport protocol, recording every call.
final class FakeTransport: ConsumerTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var available: [SQSMessage] = []
    private var handleCounter = 0
    var queueExists = true
    /// Thrown by the next receives, one per receive, while not empty.
    var receiveErrors: [any Error] = []
    /// Every receive fails with this when set.
    var alwaysFail: (any Error)?
    /// A release (visibility 0) puts the message back with ApproximateReceiveCount + 1.
    var redeliverOnRelease = false
    /// Delete entries of these message ids fail with this code.
    var failDeletes: [String: String] = [:]
    /// Every visibility change call fails with this error when set.
    var visibilityError: (any Error)?
    private(set) var receives: [ReceiveRequest] = []
    private(set) var deleteCalls: [[DeleteEntry]] = []
    private(set) var visibilityCalls: [[VisibilityEntry]] = []
    private var bodiesByHandle: [String: SQSMessage] = [:]

    func locked<T>(_ body: () -> T) -> T {
        lock.lock(); defer { lock.unlock() }
        return body()
    }

    func add(_ messages: [SQSMessage]) { locked { available += messages.map(issue) } }

    private func issue(_ message: SQSMessage) -> SQSMessage {
        var copy = message
        handleCounter += 1
        copy.receiptHandle = "rh-\(message.id)-\(handleCounter)"
        bodiesByHandle[copy.receiptHandle] = copy
        return copy
    }

    var deletedHandles: [String] { locked { deleteCalls.flatMap { $0.map(\.receiptHandle) } } }
    var deletedIds: [String] { locked { deleteCalls.flatMap { $0.compactMap { bodiesByHandle[$0.receiptHandle]?.id } } } }
    var visibilityChanges: [(id: String, timeout: Int)] {
        locked { visibilityCalls.flatMap { $0.map { (bodiesByHandle[$0.receiptHandle]?.id ?? "?", $0.timeout) } } }
    }
    var remaining: Int { locked { available.count } }

    func queueURL(for queue: String) async throws -> String {
        guard queueExists else { throw TransportError(kind: .queueDoesNotExist, message: "no such queue") }
        return queue.contains("://") ? queue : "http://fake/000000000000/\(queue)"
    }

    func queueAttributes(queueURL: String, names: [QueueAttributeName]) async throws -> [QueueAttributeName: String] {
        [.queueARN: "arn:aws:sqs:eu-west-3:000000000000:fake", .visibilityTimeout: "30"]
    }

    func receive(_ request: ReceiveRequest) async throws -> [SQSMessage] {
        let outcome: Result<[SQSMessage], any Error> = locked {
            receives.append(request)
            if let error = alwaysFail { return .failure(error) }
            if !receiveErrors.isEmpty { return .failure(receiveErrors.removeFirst()) }
            let count = min(request.maxMessages, available.count)
            let taken = Array(available.prefix(count))
            available.removeFirst(count)
            return .success(taken)
        }
        let messages = try outcome.get()
        if messages.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        return messages
    }

    func deleteBatch(queueURL: String, entries: [DeleteEntry]) async throws -> [EntryFailure] {
        locked {
            deleteCalls.append(entries)
            return entries.compactMap { entry in
                guard let id = bodiesByHandle[entry.receiptHandle]?.id, let code = failDeletes[id] else { return nil }
                return EntryFailure(id: entry.id, code: code, message: "The receipt handle has expired.")
            }
        }
    }

    func changeVisibilityBatch(queueURL: String, entries: [VisibilityEntry]) async throws -> [EntryFailure] {
        if let visibilityError = locked({ visibilityError }) { throw visibilityError }
        return locked {
            visibilityCalls.append(entries)
            if redeliverOnRelease {
                for entry in entries where entry.timeout == 0 {
                    guard var message = bodiesByHandle[entry.receiptHandle] else { continue }
                    message.attributes[.approximateReceiveCount] = String((message.receiveCount ?? 1) + 1)
                    available.append(issue(message))
                }
            }
            return []
        }
    }
}

func makeMessage(_ id: String, body: String = "{}", group: String? = nil, receiveCount: Int = 1,
                 attributes: [String: MessageAttribute] = [:]) -> SQSMessage {
    var system: [MessageSystemAttributeName: String] = [.approximateReceiveCount: String(receiveCount), .sentTimestamp: "1700000000000"]
    if let group { system[.messageGroupId] = group }
    return SQSMessage(id: id, receiptHandle: "", body: body, md5OfBody: "md5", attributes: system, messageAttributes: attributes)
}

/// Thread-safe recording for handlers.
final class Recorder<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Value] = []
    func append(_ value: Value) { lock.lock(); items.append(value); lock.unlock() }
    var values: [Value] { lock.lock(); defer { lock.unlock() }; return items }
}

/// Tracks how many things run at once.
final class Gauge: @unchecked Sendable {
    private let lock = NSLock()
    private var current = 0
    private(set) var peak = 0
    func enter() { lock.lock(); current += 1; peak = max(peak, current); lock.unlock() }
    func leave() { lock.lock(); current -= 1; lock.unlock() }
    var maximum: Int { lock.lock(); defer { lock.unlock() }; return peak }
}

struct TestFailure: Error {}

/// Fast defaults for policy tests.
func testConfiguration(_ configure: (inout ConsumerConfiguration) -> Void = { _ in }) -> ConsumerConfiguration {
    var configuration = ConsumerConfiguration(queue: "q")
    configuration.waitTimeSeconds = 0
    configuration.deleteBatching.flushInterval = .milliseconds(20)
    configuration.shutdownGracePeriod = .seconds(5)
    configure(&configuration)
    return configuration
}

/// Runs the consumer until `until` holds (or 60 s pass: a loaded CI machine can stall the whole process for seconds), then stops it and waits for `run()`.
@discardableResult
func runConsumer(_ consumer: Consumer, until: @escaping @Sendable (ConsumerCounters) -> Bool) async throws -> ConsumerCounters {
    let task = Task { try await consumer.run() }
    let deadline = ContinuousClock.now + .seconds(60)
    while !until(consumer.counters) && ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(5))
    }
    #expect(until(consumer.counters), "condition not reached: \(consumer.counters)")
    consumer.stop()
    try await task.value
    return consumer.counters
}

/// Waits `seconds` without reacting to cancellation (and without occupying a thread).
func ignoringCancellation(for seconds: Double) async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { continuation.resume() }
    }
}
