import Foundation
import NIOCore
import NIOHTTP1
import SigV4
import SQSModel
import WharfEngine
import WharfLogging
import WharfProtocol

/// The one HTTP entry point: SQS does not route on paths (docs/sqs-behaviour.md#dispatch), so every request
/// but the health check goes through protocol detection, then the dispatcher. Works on whole
/// requests as NIO's HTTP/1 parser delivers them; SQSChannelHandler feeds it from the socket,
/// SQSResponder from Hummingbird's in-process test client.
struct SQSService: Sendable {
    let dispatcher: OperationDispatcher
    let configuration: ServerConfiguration
    let authenticator: Authenticator
    /// `/metrics` (nil: the endpoint answers 404).
    let metrics: MetricsEndpoint?
    /// Request ids (x-amzn-RequestId), generated without a system call per request.
    let identifiers = IdentifierGenerator()

    static let health = EncodedResponse(status: 200, headers: [], body: Array("ok\n".utf8))
    static let ready = EncodedResponse(status: 200, headers: [], body: Array("ready\n".utf8))
    static let notReady = EncodedResponse(status: 503, headers: [], body: Array("not ready: the store does not accept writes\n".utf8))

    /// `body` is nil when it was over `configuration.maxBodyBytes` (declared or received).
    func respond(to head: HTTPRequestHead, body: ByteBuffer?, from peer: Peer) async -> EncodedResponse {
        let (path, query) = RequestTarget.split(head.uri)
        if path == "/metrics", let metrics { return await metrics.respond(head, peer: peer) }
        // /health: the process answers. /ready: and its store takes writes (load balancers and
        // orchestrators route to a node only while it is ready).
        if path == "/health" { return Self.health }
        if path == "/ready" { return await dispatcher.engine.isReady() ? Self.ready : Self.notReady }

        let requestId = identifiers.uuid()
        let target = head.headers.first(name: "x-amz-target")
        let contentType = head.headers.first(name: "content-type")
        let fallback = WireCodec.guessProtocol(target: target, contentType: contentType)
        let method = head.method.rawValue
        // `/<account>/<queue>`: the queue may come from the path instead of a QueueUrl.
        let segments = path.split(separator: "/")
        let pathQueue = segments.count == 2 ? (account: String(segments[0]), name: String(segments[1])) : nil

        guard let body else {
            return WireCodec.encode(
                error: SQSError(code: .requestEntityTooLarge, httpStatus: 413,
                                message: "Request body must be at most \(configuration.maxBodyBytes) bytes.",
                                modeled: false),
                in: fallback, requestId: requestId)
        }

        let bodyBytes = Array(body.readableBytesView)
        // Authenticate before parsing: an unsigned caller learns nothing about the request.
        let hostHeader = head.headers.first(name: "host")
        let host = hostHeader ?? "\(configuration.host):\(configuration.port)"
        // Signatures cover the raw path, query, headers (Host included) and body bytes.
        var headers = head.headers.map { (name: $0.name, value: $0.value) }
        if hostHeader == nil { headers.append((name: "host", value: host)) }
        let signable = SignableRequest(method: method, path: path, query: query, headers: headers,
                                       body: bodyBytes)
        let now = dispatcher.engine.clock.nowMillis() / 1000
        let caller: Authenticator.Caller
        switch Result(catching: { () throws(SQSError) in try authenticator.authenticate(signable, nowSeconds: now) }) {
        case .success(let authenticated): caller = authenticated
        case .failure(let error):
            return WireCodec.encode(error: error, in: fallback, requestId: requestId)
        }

        let call: WireCall
        do {
            call = try WireCodec.parse(method: method, target: target, contentType: contentType,
                                       queryString: query, body: bodyBytes)
        } catch let error as SQSError {
            var error = error
            if error.code == .missingAction, pathQueue != nil {
                // What real SQS answers a bare GET of a queue URL.
                error = SQSError(code: .unknownOperationException, httpStatus: 404,
                                 message: "An unknown operation was requested.", modeled: false)
            }
            return WireCodec.encode(error: error, in: fallback, requestId: requestId)
        } catch {
            return WireCodec.encode(error: .internalError("We encountered an internal error. Please try again."),
                                    in: fallback, requestId: requestId)
        }
        if pathQueue != nil, !call.operation.isQueueScoped {
            return WireCodec.encode(error: .invalidAction(call.operation.rawValue),
                                    in: call.wireProtocol, requestId: requestId)
        }

        var ctx = CallContext(
            accountId: caller.accountId,
            region: caller.region ?? configuration.defaultRegion,
            endpoint: configuration.publicURL ?? "\(configuration.usesTLS ? "https" : "http")://\(host)",
            // AWS reports the principal: for an account's own keys, the account id (never the key).
            senderId: caller.accountId,
            traceHeader: head.headers.first(name: "x-amzn-trace-id"),
            pathQueue: pathQueue)
        ctx.secureTransport = configuration.usesTLS
        return await RequestScope.$requestId.withValue(requestId) {
            await dispatcher.dispatch(call, ctx, requestId: requestId)
        }
    }
}
