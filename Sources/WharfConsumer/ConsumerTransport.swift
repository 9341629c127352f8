import Foundation
import SQSModel
import WharfClient

/// The SQS calls a consumer makes: an SQSClient in production, a fake in policy tests.
protocol ConsumerTransport: Sendable {
    /// The URL of a queue given by name; URLs are returned as they are.
    func queueURL(for queue: String) async throws -> String
    func queueAttributes(queueURL: String, names: [QueueAttributeName]) async throws -> [QueueAttributeName: String]
    func receive(_ request: ReceiveRequest) async throws -> [SQSMessage]
    /// Returns the entries that failed.
    func deleteBatch(queueURL: String, entries: [DeleteEntry]) async throws -> [EntryFailure]
    /// Returns the entries that failed.
    func changeVisibilityBatch(queueURL: String, entries: [VisibilityEntry]) async throws -> [EntryFailure]
}

/// A batch entry SQS refused, with its code (`ReceiptHandleIsInvalid` …) and message.
struct EntryFailure: Sendable, Equatable {
    var id: String
    var code: String
    var message: String
}

struct ReceiveRequest: Sendable, Equatable {
    var queueURL: String
    var maxMessages: Int
    var waitTimeSeconds: Int
    var visibilityTimeout: Int?
    var systemAttributeNames: [MessageSystemAttributeName]
    var messageAttributeNames: [String]
}

struct DeleteEntry: Sendable, Equatable {
    var id: String
    var receiptHandle: String
    /// The message it deletes, for reports; not sent.
    var message: MessageReference
}

struct VisibilityEntry: Sendable, Equatable {
    var id: String
    var receiptHandle: String
    var timeout: Int
}

/// Errors a transport throws, classified for the consumer's policies.
struct TransportError: Error, Sendable, CustomStringConvertible {
    enum Kind: Sendable { case queueDoesNotExist, authentication, cancelled, other }
    var kind: Kind
    var message: String
    /// SQS's error code, for service errors.
    var code: String? = nil
    var description: String { message }

    static func classify(_ error: any Error) -> TransportError {
        if let error = error as? TransportError { return error }
        if error is CancellationError { return TransportError(kind: .cancelled, message: "cancelled") }
        guard let error = error as? SQSClientError else { return TransportError(kind: .other, message: "\(error)") }
        switch error {
        case .cancelled: return TransportError(kind: .cancelled, message: "cancelled")
        case .credentials: return TransportError(kind: .authentication, message: error.description)
        case .service(let sqsError, _):
            let code = sqsError.queryCode
            if sqsError.code == .queueDoesNotExist || sqsError.queryCode.hasSuffix("NonExistentQueue") {
                return TransportError(kind: .queueDoesNotExist, message: error.description, code: code)
            }
            if authenticationCodes.contains(sqsError.shape) || authenticationCodes.contains(sqsError.queryCode) {
                return TransportError(kind: .authentication, message: error.description, code: code)
            }
            return TransportError(kind: .other, message: error.description, code: code)
        default: return TransportError(kind: .other, message: error.description, code: error.code)
        }
    }

    static let authenticationCodes: Set<String> = [
        "InvalidClientTokenId", "SignatureDoesNotMatch", "AccessDenied", "AccessDeniedException",
        "UnrecognizedClientException", "IncompleteSignature", "MissingAuthenticationToken",
        "ExpiredToken", "InvalidAccessKeyId", "InvalidSecurity", "AuthFailure",
    ]
}

/// The production transport. The batch calls number their entries by index, so a failure's
/// index names the consumer's entry.
struct SQSClientTransport: ConsumerTransport {
    let client: SQSClient

    func queueURL(for queue: String) async throws -> String {
        if queue.contains("://") { return queue }
        do { return try await client.queueURL(named: queue) } catch { throw TransportError.classify(error) }
    }

    func queueAttributes(queueURL: String, names: [QueueAttributeName]) async throws -> [QueueAttributeName: String] {
        do { return try await client.queueAttributes(of: queueURL, names: names) } catch {
            throw TransportError.classify(error)
        }
    }

    func receive(_ request: ReceiveRequest) async throws -> [SQSMessage] {
        do {
            return try await client.receiveMessages(
                from: request.queueURL, maxMessages: request.maxMessages, waitTimeSeconds: request.waitTimeSeconds,
                visibilityTimeout: request.visibilityTimeout, systemAttributeNames: request.systemAttributeNames,
                messageAttributeNames: request.messageAttributeNames)
        } catch { throw TransportError.classify(error) }
    }

    func deleteBatch(queueURL: String, entries: [DeleteEntry]) async throws -> [EntryFailure] {
        do {
            let outcome = try await client.deleteMessages(entries.map(\.receiptHandle), from: queueURL)
            return outcome.failed.map { EntryFailure($0, id: entries[$0.index].id) }
        } catch { throw TransportError.classify(error) }
    }

    func changeVisibilityBatch(queueURL: String, entries: [VisibilityEntry]) async throws -> [EntryFailure] {
        do {
            let outcome = try await client.changeMessageVisibilities(entries.map {
                VisibilityChange(receiptHandle: $0.receiptHandle, visibilityTimeout: $0.timeout)
            }, in: queueURL)
            return outcome.failed.map { EntryFailure($0, id: entries[$0.index].id) }
        } catch { throw TransportError.classify(error) }
    }
}

extension EntryFailure {
    init(_ failure: BatchEntryFailure, id: String) {
        self.init(id: id, code: failure.code, message: failure.message ?? failure.code)
    }
}
