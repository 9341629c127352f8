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

    /// A request that takes longer than the longest long poll (20 s) and a margin is logged:
    /// something below it (the store, most likely) is stuck.
    static let slowRequestMillis: Int64 = 25_000

    func dispatch(_ call: WireCall, _ ctx: CallContext, requestId: String) async -> EncodedResponse {
        let started = ContinuousClock.now
        var failure: SQSError?
        let response: EncodedResponse
        do {
            response = try await route(call, ctx, requestId)
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
        if elapsed > .milliseconds(Self.slowRequestMillis) {
            logger.warning("slow request: \(call.operation.rawValue) took \(elapsed) (request \(requestId))")
        }
        return response
    }

    private func route(_ call: WireCall, _ ctx: CallContext, _ requestId: String) async throws -> EncodedResponse {
        let e = engine
        switch call.operation {
        case .createQueue: return try await run(call, ctx, requestId) { try await e.createQueue($0, $1) }
        case .getQueueUrl: return try await run(call, ctx, requestId) { try await e.getQueueUrl($0, $1) }
        case .listQueues: return try await run(call, ctx, requestId) { try await e.listQueues($0, $1) }
        case .deleteQueue: return try await run(call, ctx, requestId) { try await e.deleteQueue($0, $1) }
        case .purgeQueue: return try await run(call, ctx, requestId) { try await e.purgeQueue($0, $1) }
        case .getQueueAttributes: return try await run(call, ctx, requestId) { try await e.getQueueAttributes($0, $1) }
        case .setQueueAttributes: return try await run(call, ctx, requestId) { try await e.setQueueAttributes($0, $1) }
        case .tagQueue: return try await run(call, ctx, requestId) { try await e.tagQueue($0, $1) }
        case .untagQueue: return try await run(call, ctx, requestId) { try await e.untagQueue($0, $1) }
        case .listQueueTags: return try await run(call, ctx, requestId) { try await e.listQueueTags($0, $1) }
        case .sendMessage: return try await run(call, ctx, requestId) { try await e.sendMessage($0, $1) }
        case .sendMessageBatch: return try await run(call, ctx, requestId) { try await e.sendMessageBatch($0, $1) }
        case .receiveMessage: return try await run(call, ctx, requestId) { try await e.receiveMessage($0, $1) }
        case .deleteMessage: return try await run(call, ctx, requestId) { try await e.deleteMessage($0, $1) }
        case .deleteMessageBatch: return try await run(call, ctx, requestId) { try await e.deleteMessageBatch($0, $1) }
        case .changeMessageVisibility:
            return try await run(call, ctx, requestId) { try await e.changeMessageVisibility($0, $1) }
        case .changeMessageVisibilityBatch:
            return try await run(call, ctx, requestId) { try await e.changeMessageVisibilityBatch($0, $1) }
        case .listDeadLetterSourceQueues:
            return try await run(call, ctx, requestId) { try await e.listDeadLetterSourceQueues($0, $1) }
        case .addPermission: return try await run(call, ctx, requestId) { try await e.addPermission($0, $1) }
        case .removePermission: return try await run(call, ctx, requestId) { try await e.removePermission($0, $1) }
        case .startMessageMoveTask:
            return try await run(call, ctx, requestId) { try await e.startMessageMoveTask($0, $1) }
        case .cancelMessageMoveTask:
            return try await run(call, ctx, requestId) { try await e.cancelMessageMoveTask($0, $1) }
        case .listMessageMoveTasks:
            return try await run(call, ctx, requestId) { try await e.listMessageMoveTasks($0, $1) }
        }
    }

    private func run<Request: SQSRequest, Response: SQSResponse>(
        _ call: WireCall, _ ctx: CallContext, _ requestId: String,
        _ body: (Request, CallContext) async throws -> Response
    ) async throws -> EncodedResponse {
        let request = try call.decode(Request.self)
        let response = try await body(request, ctx)
        return WireCodec.encode(response, operation: call.operation, in: call.wireProtocol, requestId: requestId)
    }
}
