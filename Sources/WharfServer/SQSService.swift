import NIOCore
import NIOHTTP1
import SQSModel
import WharfEngine
import WharfLogging
import WharfProtocol

/// The one HTTP entry point: SQS does not route on paths (docs/sqs-behaviour.md#dispatch), so every request
/// but the health, readiness and metrics endpoints goes through the same steps to the
/// dispatcher. Works on whole requests as SQSChannelHandler collects them from NIO's HTTP/1
/// parser. Each step is a method of its own (SQSService+Steps.swift); the first that fails
/// answers in the protocol the request was guessed to speak.
struct SQSService: Sendable {
    let dispatcher: OperationDispatcher
    let configuration: ServerConfiguration
    let authenticator: Authenticator
    /// `/metrics` (nil: the endpoint answers 404).
    let metrics: MetricsEndpoint?
    /// Request ids (x-amzn-RequestId), generated without a system call per request.
    let identifiers = IdentifierGenerator()

    func respond(to head: HTTPRequestHead, body: RequestBody, from peer: Peer) async -> EncodedResponse {
        let (path, query) = RequestTarget.split(head.uri)
        if let reply = await endpoint(path: path, head: head, from: peer) { return reply }
        let request = InboundRequest(head: head, path: path, query: query,
                                     defaultHost: "\(configuration.host):\(configuration.port)")
        let requestId = identifiers.uuid()
        let call: WireCall, caller: Authenticator.Caller
        do throws(SQSError) {
            let bytes = try withinSizeCap(body)
            caller = try authenticate(request, body: bytes)
            call = try parse(request, body: bytes)
        } catch {
            return WireCodec.encode(error: error, in: request.guessedProtocol, requestId: requestId)
        }
        do throws(SQSError) {
            try checkQueuePath(call, request)
        } catch {
            return WireCodec.encode(error: error, in: call.wireProtocol, requestId: requestId)
        }
        let ctx = callContext(for: caller, request)
        return await RequestScope.$requestId.withValue(requestId) {
            await dispatcher.dispatch(call, ctx, requestId: requestId)
        }
    }
}

/// A request's body as SQSChannelHandler collected it.
enum RequestBody: Sendable {
    case complete(ByteBuffer)
    /// Over `ServerConfiguration.maxBodyBytes`, declared or received: not kept.
    case overCap
}
