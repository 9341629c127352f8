import Foundation
import SQSModel
import WharfExpression

/// A received message as handlers see it.
public struct ConsumerMessage: Sendable {
    /// The message as SQS returned it.
    public let message: Message
    /// The message object of connectors.md §3 (what `--when` and `--map` see).
    public let object: FEELValue
    /// The result of the mapping (`resultExpression` / `resultVariable`), else `object`.
    public let output: FEELValue
    /// Settles the message: required in `.manual` mode, optional (early) otherwise.
    public let acknowledgement: Acknowledgement

    public var messageId: String { message.MessageId }
    public var receiptHandle: String { message.ReceiptHandle }
    /// The body parsed as JSON, else the body string.
    public var body: FEELValue { object["body"] ?? .string(message.Body) }
    public var groupId: String? { message.Attributes?["MessageGroupId"] }
    /// ApproximateReceiveCount (1 when the server did not send it).
    public var receiveCount: Int { message.receiveCount }
}

extension Message {
    var receiveCount: Int { Attributes?["ApproximateReceiveCount"].flatMap(Int.init) ?? 1 }
    var groupId: String? { Attributes?["MessageGroupId"] }
}

/// What a batch handler reports: the messages that failed (Lambda's `batchItemFailures`).
/// Only those return to the queue; the others count as processed.
public struct BatchResult: Sendable, Equatable {
    public var failedMessageIds: Set<String>
    public init(failedMessageIds: Set<String> = []) { self.failedMessageIds = failedMessageIds }
    public static let success = BatchResult()
}

/// The settlement of one message: deleted or released, once.
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

/// Builds the message object of connectors.md §3.
enum MessageObject {
    static func make(_ message: Message, queueURL: String, queueARN: String?, region: String?) -> FEELValue {
        var object = FEELContext()
        object["messageId"] = .string(message.MessageId)
        object["receiptHandle"] = .string(message.ReceiptHandle)
        object["md5OfBody"] = .string(message.MD5OfBody)
        object["md5OfMessageAttributes"] = message.MD5OfMessageAttributes.map(FEELValue.string) ?? .null
        object["body"] = parseBody(message.Body)
        object["rawBody"] = .string(message.Body)
        let attributes = message.Attributes ?? [:]
        object["attributes"] = .context(FEELContext(attributes.keys.sorted().map { ($0, .string(attributes[$0]!)) }))
        var messageAttributes = FEELContext()
        for (name, value) in (message.MessageAttributes ?? [:]).sorted(by: { $0.key < $1.key }) {
            var entry = FEELContext()
            if let string = value.StringValue { entry["stringValue"] = .string(string) }
            if let binary = value.BinaryValue { entry["binaryValue"] = .string(binary.base64EncodedString()) }
            entry["stringListValues"] = .list((value.StringListValues ?? []).map(FEELValue.string))
            entry["binaryListValues"] = .list((value.BinaryListValues ?? []).map { .string($0.base64EncodedString()) })
            entry["dataType"] = .string(value.DataType)
            messageAttributes[name] = .context(entry)
        }
        object["messageAttributes"] = .context(messageAttributes)
        object["queueUrl"] = .string(queueURL)
        object["eventSource"] = .string("aws:sqs")
        object["eventSourceARN"] = queueARN.map(FEELValue.string) ?? .null
        object["awsRegion"] = region.map(FEELValue.string) ?? .null
        return .context(object)
    }

    /// JSON when the body parses as JSON, else the string.
    static func parseBody(_ body: String) -> FEELValue {
        (try? FEELValue(jsonString: body)) ?? .string(body)
    }

    /// The region field of an ARN (`arn:aws:sqs:<region>:<account>:<name>`).
    static func region(ofARN arn: String?) -> String? {
        guard let arn else { return nil }
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count > 3 && !parts[3].isEmpty ? String(parts[3]) : nil
    }

    /// The scope expressions evaluate in: the object's fields, and the object as `response`.
    static func scope(_ object: FEELValue) -> FEELValue {
        guard case .context(var context) = object else { return object }
        context["response"] = object
        return .context(context)
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
