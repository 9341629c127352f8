import Foundation
import SQSModel
import WharfClient

/// The SQS calls a consumer makes: an SQSClient in production, a fake in policy tests.
protocol ConsumerTransport: Sendable {
    /// The URL of a queue given by name; URLs are returned as they are.
    func queueURL(for queue: String) async throws -> String
    func queueAttributes(queueURL: String, names: [String]) async throws -> [String: String]
    func receive(_ request: ReceiveRequest) async throws -> [Message]
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
    var systemAttributeNames: [String]
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

/// The production transport.
struct SQSClientTransport: ConsumerTransport {
    let client: SQSClient

    func queueURL(for queue: String) async throws -> String {
        if queue.contains("://") { return queue }
        do { return try await client.queueUrl(named: queue) } catch { throw TransportError.classify(error) }
    }

    func queueAttributes(queueURL: String, names: [String]) async throws -> [String: String] {
        do { return try await client.queueAttributes(queueUrl: queueURL, names: names) } catch {
            throw TransportError.classify(error)
        }
    }

    func receive(_ request: ReceiveRequest) async throws -> [Message] {
        do {
            return try await client.receiveMessage(ReceiveMessageRequest(
                QueueUrl: request.queueURL, AttributeNames: request.systemAttributeNames,
                MessageSystemAttributeNames: request.systemAttributeNames,
                MessageAttributeNames: request.messageAttributeNames,
                MaxNumberOfMessages: request.maxMessages, VisibilityTimeout: request.visibilityTimeout,
                WaitTimeSeconds: request.waitTimeSeconds)).Messages ?? []
        } catch { throw TransportError.classify(error) }
    }

    func deleteBatch(queueURL: String, entries: [DeleteEntry]) async throws -> [EntryFailure] {
        do {
            let response = try await client.deleteMessageBatch(DeleteMessageBatchRequest(
                QueueUrl: queueURL, Entries: entries.map { DeleteMessageBatchRequestEntry(Id: $0.id, ReceiptHandle: $0.receiptHandle) }))
            return (response.Failed ?? []).map(EntryFailure.init)
        } catch { throw TransportError.classify(error) }
    }

    func changeVisibilityBatch(queueURL: String, entries: [VisibilityEntry]) async throws -> [EntryFailure] {
        do {
            let response = try await client.changeMessageVisibilityBatch(ChangeMessageVisibilityBatchRequest(
                QueueUrl: queueURL, Entries: entries.map {
                    ChangeMessageVisibilityBatchRequestEntry(Id: $0.id, ReceiptHandle: $0.receiptHandle, VisibilityTimeout: $0.timeout)
                }))
            return (response.Failed ?? []).map(EntryFailure.init)
        } catch { throw TransportError.classify(error) }
    }
}

extension EntryFailure {
    init(_ entry: BatchResultErrorEntry) {
        self.init(id: entry.Id, code: entry.Code, message: entry.Message ?? entry.Code)
    }
}
