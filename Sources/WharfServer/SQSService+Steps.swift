import NIOCore
import NIOHTTP1
import SigV4
import SQSModel
import WharfConsole
import WharfEngine
import WharfProtocol

/// The steps of `SQSService.respond`, in order.
extension SQSService {
    static let health = EncodedResponse(status: 200, headers: [], body: Array("ok\n".utf8))
    static let ready = EncodedResponse(status: 200, headers: [], body: Array("ready\n".utf8))

    /// 1. The server's own endpoints, answered before anything SQS: `/metrics`, `/health` (the
    /// process answers) and `/ready` (and its store takes writes, its disk above the watermark included: load balancers and
    /// orchestrators route to a node only while it is ready). nil: an SQS request.
    func endpoint(path: String, head: HTTPRequestHead, from peer: Peer) async -> EncodedResponse? {
        // The web console's files: public like the API's own error answers; everything the page
        // then does goes through the API below, authenticated per call (docs/console.md).
        if Console.handles(path: path) {
            let reply = Console.respond(method: head.method.rawValue, path: path,
                                        ifNoneMatch: head.headers.first(name: "if-none-match"))
            return EncodedResponse(status: reply.status, headers: reply.headers, body: reply.body)
        }
        switch path {
        case "/metrics": return await metrics?.respond(head, peer: peer)
        case "/health": return Self.health
        case "/ready":
            guard let reason = await dispatcher.engine.notReadyReason() else { return Self.ready }
            return EncodedResponse(status: 503, headers: [], body: Array("not ready: \(reason)\n".utf8))
        default: return nil
        }
    }

    /// 2. The body's bytes, or 413 when it was over the cap.
    func withinSizeCap(_ body: RequestBody) throws(SQSError) -> [UInt8] {
        switch body {
        case .complete(let buffer):
            return Array(buffer.readableBytesView)
        case .overCap:
            throw SQSError(code: .requestEntityTooLarge, httpStatus: 413,
                           message: "Request body must be at most \(configuration.maxBodyBytes) bytes.",
                           modeled: false)
        }
    }

    /// 3. Who is calling, before anything is parsed: an unsigned caller learns nothing about the
    /// request. Signatures cover the raw method, path, query, headers (Host included) and body.
    func authenticate(_ request: InboundRequest, body: [UInt8]) throws(SQSError) -> Authenticator.Caller {
        var headers = request.head.headers.map { (name: $0.name, value: $0.value) }
        if !request.hasHostHeader { headers.append((name: "host", value: request.host)) }
        let signable = SignableRequest(method: request.method, path: request.path, query: request.query,
                                       headers: headers, body: body)
        return try authenticator.authenticate(signable, nowSeconds: dispatcher.engine.clock.nowMillis() / 1000)
    }

    /// 4. The operation and protocol (`WireCall`); the body is decoded later, once, by the dispatcher.
    func parse(_ request: InboundRequest, body: [UInt8]) throws(SQSError) -> WireCall {
        do {
            return try WireCodec.parse(method: request.method, target: request.target,
                                       contentType: request.contentType, queryString: request.query, body: body)
        } catch let error as SQSError {
            if error.code == .missingAction, request.pathQueue != nil {
                // What real SQS answers a bare GET of a queue URL (docs/sqs-behaviour.md#dispatch).
                throw SQSError(code: .unknownOperationException, httpStatus: 404,
                               message: "An unknown operation was requested.", modeled: false)
            }
            throw error
        } catch {
            throw .internalError("We encountered an internal error. Please try again.")
        }
    }

    /// 5. A queue's path takes only operations on a queue (docs/sqs-behaviour.md#dispatch).
    func checkQueuePath(_ call: WireCall, _ request: InboundRequest) throws(SQSError) {
        if request.pathQueue != nil, !call.operation.isQueueScoped {
            throw .invalidAction(call.operation.rawValue)
        }
    }

    /// 6. What the engine knows of the caller: account, region, the endpoint queue URLs start
    /// with, the path's queue.
    func callContext(for caller: Authenticator.Caller, _ request: InboundRequest) -> CallContext {
        var ctx = CallContext(
            accountId: caller.accountId,
            region: caller.region ?? configuration.defaultRegion,
            endpoint: configuration.publicURL ?? "\(configuration.usesTLS ? "https" : "http")://\(request.host)",
            // AWS reports the principal: for an account's own keys, the account id (never the key).
            senderId: caller.accountId,
            traceHeader: request.head.headers.first(name: "x-amzn-trace-id"),
            pathQueue: request.pathQueue)
        ctx.secureTransport = configuration.usesTLS
        return ctx
    }
}
