import Foundation
import Logging
import SQSModel
import WharfEngine
import WharfProtocol

/// Decodes a call into its typed request, runs it on the engine and encodes the result in the
/// caller's protocol: decode once, encode once.
struct OperationDispatcher: Sendable {
    let engine: SQSEngine
    /// Requests by operation, status and error, and their latency (nil: not counted).
    let metrics: ServerMetrics?
    let logger: Logger
    /// Log every request at info level (`--access-log`).
    var accessLog = false

    /// A request that takes longer than the longest long poll (20 s) and a margin is logged:
    /// something below it (the store, most likely) is stuck.
    static let slowRequestMillis: Int64 = 25_000

    func dispatch(_ call: WireCall, _ ctx: CallContext, requestId: String) async -> EncodedResponse {
        let started = ContinuousClock.now
        var queue: String?
        var failure: SQSError?
        let response: EncodedResponse
        do {
            response = try await route(call, ctx, requestId, &queue)
        } catch let error as SQSError {
            failure = error
            response = WireCodec.encode(error: error, in: call.wireProtocol, requestId: requestId)
        } catch {
            let error = SQSError.internalError("We encountered an internal error. Please try again.")
            failure = error
            response = WireCodec.encode(error: error, in: call.wireProtocol, requestId: requestId)
        }
        let elapsed = ContinuousClock.now - started
        metrics?.request(operation: call.operation.rawValue, status: response.status, error: failure?.queryCode,
                         duration: elapsed)
        log(call.operation, queue: queue, status: response.status, failure: failure, elapsed: elapsed)
        return response
    }

    /// The request's line: always for a server-side failure (with its cause) but a retryable
    /// refusal (503 ServiceUnavailable, whose cause is logged where it arises), or a request slower
    /// than any long poll, at info level for every request when the access log is on, else at
    /// debug. The request id comes with it (`RequestScope`). The metadata is only built for a line
    /// the logger writes: at the default level most requests write none.
    private func log(_ operation: SQSOperation, queue: String?, status: Int, failure: SQSError?, elapsed: Duration) {
        let level: Logger.Level
        let message: Logger.Message
        if status == 503, failure?.code == .serviceUnavailable {
            // A refusal for a condition its source logs when it starts (the disk watermark
            // crossed, a full disk, a store failed closed or unreachable): one line per
            // request would bury that line under thousands.
            (level, message) = (accessLog ? .info : .debug, "request refused")
        } else if status >= 500 {
            (level, message) = (.error, "request failed")
        } else if elapsed > .milliseconds(Self.slowRequestMillis) {
            (level, message) = (.warning, "slow request")
        } else {
            (level, message) = (accessLog ? .info : .debug, "request")
        }
        guard logger.logLevel <= level else { return }
        var metadata: Logger.Metadata = [
            "operation": .string(operation.rawValue), "status": .stringConvertible(status),
            "latency_ms": .string(String(format: "%.2f", Double(elapsed.components.attoseconds) / 1e15
                                                      + Double(elapsed.components.seconds) * 1000)),
        ]
        if let queue { metadata["queue"] = .string(queue) }
        if let failure {
            metadata["error"] = .string(failure.queryCode)
            metadata["cause"] = .string(failure.message)
        }
        logger.log(level: level, message, metadata: metadata)
    }

    private func route(_ call: WireCall, _ ctx: CallContext, _ requestId: String,
                       _ queue: inout String?) async throws -> EncodedResponse {
        let e = engine
        switch call.operation {
        case .createQueue: return try await run(call, ctx, requestId, &queue) { try await e.createQueue($0, $1) }
        case .getQueueUrl: return try await run(call, ctx, requestId, &queue) { try await e.getQueueUrl($0, $1) }
        case .listQueues: return try await run(call, ctx, requestId, &queue) { try await e.listQueues($0, $1) }
        case .deleteQueue: return try await run(call, ctx, requestId, &queue) { try await e.deleteQueue($0, $1) }
        case .purgeQueue: return try await run(call, ctx, requestId, &queue) { try await e.purgeQueue($0, $1) }
        case .getQueueAttributes: return try await run(call, ctx, requestId, &queue) { try await e.getQueueAttributes($0, $1) }
        case .setQueueAttributes: return try await run(call, ctx, requestId, &queue) { try await e.setQueueAttributes($0, $1) }
        case .tagQueue: return try await run(call, ctx, requestId, &queue) { try await e.tagQueue($0, $1) }
        case .untagQueue: return try await run(call, ctx, requestId, &queue) { try await e.untagQueue($0, $1) }
        case .listQueueTags: return try await run(call, ctx, requestId, &queue) { try await e.listQueueTags($0, $1) }
        case .sendMessage: return try await run(call, ctx, requestId, &queue) { try await e.sendMessage($0, $1) }
        case .sendMessageBatch: return try await run(call, ctx, requestId, &queue) { try await e.sendMessageBatch($0, $1) }
        case .receiveMessage: return try await run(call, ctx, requestId, &queue) { try await e.receiveMessage($0, $1) }
        case .peekMessages: return try await run(call, ctx, requestId, &queue) { try await e.peekMessages($0, $1) }
        case .deleteMessage: return try await run(call, ctx, requestId, &queue) { try await e.deleteMessage($0, $1) }
        case .deleteMessageBatch: return try await run(call, ctx, requestId, &queue) { try await e.deleteMessageBatch($0, $1) }
        case .changeMessageVisibility:
            return try await run(call, ctx, requestId, &queue) { try await e.changeMessageVisibility($0, $1) }
        case .changeMessageVisibilityBatch:
            return try await run(call, ctx, requestId, &queue) { try await e.changeMessageVisibilityBatch($0, $1) }
        case .listDeadLetterSourceQueues:
            return try await run(call, ctx, requestId, &queue) { try await e.listDeadLetterSourceQueues($0, $1) }
        case .addPermission: return try await run(call, ctx, requestId, &queue) { try await e.addPermission($0, $1) }
        case .removePermission: return try await run(call, ctx, requestId, &queue) { try await e.removePermission($0, $1) }
        case .startMessageMoveTask:
            return try await run(call, ctx, requestId, &queue) { try await e.startMessageMoveTask($0, $1) }
        case .cancelMessageMoveTask:
            return try await run(call, ctx, requestId, &queue) { try await e.cancelMessageMoveTask($0, $1) }
        case .listMessageMoveTasks:
            return try await run(call, ctx, requestId, &queue) { try await e.listMessageMoveTasks($0, $1) }
        }
    }

    private func run<Request: SQSRequest, Response: SQSResponse>(
        _ call: WireCall, _ ctx: CallContext, _ requestId: String, _ queue: inout String?,
        _ body: (Request, CallContext) async throws -> Response
    ) async throws -> EncodedResponse {
        let request = try call.decode(Request.self)
        queue = Self.queueName(request) ?? ctx.pathQueue?.name
        let response = try await body(request, ctx)
        return WireCodec.encode(response, operation: call.operation, in: call.wireProtocol, requestId: requestId)
    }
}

extension OperationDispatcher {
    /// The queue a request names, for its log line.
    static func queueName(_ request: any SQSRequest) -> String? {
        if let scoped = request as? any QueueScopedRequest, let url = scoped.QueueUrl {
            return url.split(separator: "/").last.map(String.init)
        }
        if let create = request as? CreateQueueRequest { return create.QueueName }
        if let lookup = request as? GetQueueUrlRequest { return lookup.QueueName }
        return nil
    }
}
