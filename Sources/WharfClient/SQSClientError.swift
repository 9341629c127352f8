import SQSModel

/// Everything an `SQSClient` call throws.
///
/// Users of other SDKs switch on AWS's code, so `code` is the Query-era code SQS puts in
/// `x-amzn-query-error` (`AWS.SimpleQueueService.NonExistentQueue`), not the JSON `__type`
/// shape (`QueueDoesNotExist`), which stays available as `SQSError.shape`; code that needs to
/// know which error it has compares `SQSError.code` with the constants of `SQSError.Code`
/// (`SQSError` comes from the `SQSModel` module, shared with the server).
///
/// ```swift
/// do throws(SQSClientError) {
///     _ = try await sqs.queueURL(named: "missing")
/// } catch .service(let error, let requestId) where error.code == .queueDoesNotExist {
///     print("no such queue (request \(requestId ?? "?"))")
/// } catch {
///     print(error.code ?? "no code", error.message)
/// }
/// ```
public enum SQSClientError: Error, Sendable, CustomStringConvertible {
    /// The service answered with an error. `requestId` is `x-amzn-RequestId`, for support cases.
    case service(SQSError, requestId: String?)
    /// Refused before sending because SQS would refuse it: carries the error SQS would answer.
    case invalidRequest(SQSError)
    /// Could not connect, or the connection dropped before a response arrived.
    case transport(String)
    /// No response within the attempt's deadline (base timeout plus any long-poll wait).
    case timeout(seconds: Double)
    /// A returned MD5 does not match the body or attributes: the message was altered in transit.
    case checksumMismatch(ChecksumMismatch)
    /// A 200 response whose body is not the operation's output.
    case invalidResponse(String)
    /// No credentials could be found, or a credentials file is unreadable.
    case credentials(String)
    /// The calling task was cancelled.
    case cancelled

    /// AWS's error code for service and validation errors (the query code when the server sent
    /// one, else the `__type` shape); nil for client-side failures.
    public var code: String? {
        switch self {
        case .service(let error, _), .invalidRequest(let error): return error.queryCode
        default: return nil
        }
    }

    /// The HTTP status of a service error (validation errors carry the status SQS would use).
    public var httpStatus: Int? {
        switch self {
        case .service(let error, _), .invalidRequest(let error): return error.httpStatus
        default: return nil
        }
    }

    public var message: String {
        switch self {
        case .service(let error, _), .invalidRequest(let error): return error.message
        case .transport(let text), .invalidResponse(let text), .credentials(let text): return text
        case .timeout(let seconds): return "no response within \(seconds) s"
        case .checksumMismatch(let mismatch): return mismatch.description
        case .cancelled: return "cancelled"
        }
    }

    public var description: String {
        switch self {
        case .service(let error, _): return "\(error.queryCode) (HTTP \(error.httpStatus)): \(error.message)"
        case .invalidRequest(let error): return "\(error.queryCode) (not sent): \(error.message)"
        case .transport: return "transport error: \(message)"
        case .timeout: return "timeout: \(message)"
        case .checksumMismatch: return "checksum mismatch: \(message)"
        case .invalidResponse: return "invalid response: \(message)"
        case .credentials: return "credentials: \(message)"
        case .cancelled: return "cancelled"
        }
    }
}

/// Which digest did not match, for which message or batch entry.
///
/// ```swift
/// do throws(SQSClientError) {
///     try await sqs.sendMessage("hello", to: queueURL)
/// } catch .checksumMismatch(let mismatch) {
///     print("\(mismatch.field) of \(mismatch.id) is not what was sent")
/// }
/// ```
public struct ChecksumMismatch: Sendable, Equatable, CustomStringConvertible {
    /// The response member, e.g. `MD5OfBody` or `MD5OfMessageAttributes`.
    public var field: String
    /// The MessageId (receive, send) or the batch entry Id.
    public var id: String
    /// What the client computed from the data.
    public var expected: String
    /// What the server returned (nil when it returned none).
    public var received: String?

    public init(field: String, id: String, expected: String, received: String?) {
        self.field = field; self.id = id; self.expected = expected; self.received = received
    }

    public var description: String {
        "\(field) of \(id) is \(received ?? "missing"), expected \(expected)"
    }
}
