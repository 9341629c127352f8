import Foundation
import WharfClient
import WharfExpression

/// A received message as handlers see it.
///
/// ```swift
/// let consumer = Consumer(client: sqs, configuration: ConsumerConfiguration(queue: "orders")) { message in
///     print(message.messageId, message.receiveCount, message.body["total"] ?? .null)
///     print(message.message.messageAttributes["tenant"]?.stringValue ?? "-")   // the SQSMessage received
/// }
/// ```
public struct ConsumerMessage: Sendable {
    /// The message as SQS returned it.
    public let message: SQSMessage
    /// The message object of docs/consumer.md#message-object (what `--when` and `--map` see).
    public let object: FEELValue
    /// The result of the mapping (`resultExpression` / `resultVariable`), else `object`.
    public let output: FEELValue
    /// Settles the message: required in `.manual` mode, optional (early) otherwise.
    public let acknowledgement: Acknowledgement

    public var messageId: String { message.id }
    public var receiptHandle: String { message.receiptHandle }
    /// The body parsed as JSON, else the body string.
    public var body: FEELValue { object["body"] ?? .string(message.body) }
    /// MessageGroupId (FIFO and fair queues).
    public var groupId: String? { message.groupId }
    /// ApproximateReceiveCount (1 when the server did not send it).
    public var receiveCount: Int { message.receiveCountOrOne }
}

extension SQSMessage {
    /// ApproximateReceiveCount, 1 when the server did not send it: what the failure policy counts.
    var receiveCountOrOne: Int { receiveCount ?? 1 }
}

/// What a batch handler reports: the messages that failed (Lambda's `batchItemFailures`).
/// Only those return to the queue; the others count as processed.
///
/// ```swift
/// let consumer = Consumer(client: sqs, configuration: ConsumerConfiguration(queue: "orders"), batchHandler: { batch in
///     let invalid = batch.filter { $0.body["total"] == nil }
///     return BatchResult(failedMessageIds: Set(invalid.map(\.messageId)))
/// })
/// ```
public struct BatchResult: Sendable, Equatable {
    public var failedMessageIds: Set<String>
    public init(failedMessageIds: Set<String> = []) { self.failedMessageIds = failedMessageIds }
    public static let success = BatchResult()

    /// A handler's answer in Lambda's `ReportBatchItemFailures` form,
    /// `{"batchItemFailures": [{"itemIdentifier": "<messageId>"}]}`, read with Lambda's rules:
    /// nothing, `null`, `{}` or an empty or null list mean every message succeeded; output that
    /// is not such JSON, or an item without a non-empty string `itemIdentifier`, throws (the
    /// whole batch then fails). Ids not in the batch fail the whole batch too (in the consumer).
    public init(lambdaResponse data: Data) throws(BatchResponseError) {
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text != "null" else { self.init(); return }
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]),
              let response = object as? [String: Any] else {
            throw BatchResponseError(description: "the handler's output is not a batchItemFailures object: \(text.prefix(200))")
        }
        guard let failures = response["batchItemFailures"], !(failures is NSNull) else { self.init(); return }
        guard let items = failures as? [Any] else { throw BatchResponseError(description: "batchItemFailures is not a list") }
        var ids = Set<String>()
        for item in items {
            guard let entry = item as? [String: Any], let id = entry["itemIdentifier"] as? String, !id.isEmpty else {
                throw BatchResponseError(description: "a batchItemFailures entry has no itemIdentifier: \(item)")
            }
            ids.insert(id)
        }
        self.init(failedMessageIds: ids)
    }
}

/// A batch handler's answer that cannot be read: every message of the batch failed.
public struct BatchResponseError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// The settlement of one message: deleted or released, once.
///
/// ```swift
/// var configuration = ConsumerConfiguration(queue: "orders")
/// configuration.acknowledgement = .manual
/// let consumer = Consumer(client: sqs, configuration: configuration) { message in
///     if message.body["ready"]?.isTrue == true {
///         message.acknowledgement.delete()
///     } else {
///         await message.acknowledgement.release(afterSeconds: 60)   // again in a minute
///     }
/// }
/// ```
public final class Acknowledgement: Sendable {
    enum Settlement: Sendable, Equatable { case pending, deleted, released(Int) }
    private let settlement = Locked<Settlement>(.pending)
    private let onDelete: @Sendable () -> Void
    private let onRelease: @Sendable (Int) async -> Void

    init(onDelete: @escaping @Sendable () -> Void, onRelease: @escaping @Sendable (Int) async -> Void) {
        self.onDelete = onDelete; self.onRelease = onRelease
    }

    /// Deletes the message (batched). Later calls do nothing.
    public func delete() {
        if settle(.deleted) { onDelete() }
    }

    /// Makes the message visible again after `seconds` (0 = now). Later calls do nothing.
    public func release(afterSeconds seconds: Int = 0) async {
        if settle(.released(seconds)) { await onRelease(seconds) }
    }

    public var isSettled: Bool { settlement.value != .pending }

    func settle(_ value: Settlement) -> Bool {
        settlement.withLock { current in
            guard current == .pending else { return false }
            current = value
            return true
        }
    }
}

/// A value behind a lock, for state read from any thread.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        lock.lock(); defer { lock.unlock() }
        return stored
    }
    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock(); defer { lock.unlock() }
        return try body(&stored)
    }
}
