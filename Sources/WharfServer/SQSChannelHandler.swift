import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import WharfProtocol

/// Serves requests straight from the channel pipeline: collects one request (head and body,
/// up to the size limit), runs it through SQSService on a task, and writes the reply.
///
/// Why not Hummingbird's request path: it hands every request part through an async sequence
/// to a per-connection task and writes the response back through an async writer. On this
/// machine that was ~40 % of the cost of the cheapest request (health: 21.7k req/s through
/// Hummingbird's responder, 35k req/s from a plain channel handler, same load generator).
/// Hummingbird still runs the listener, TLS and graceful shutdown (SQSChildChannel below).
/// NIO's pipelining handler holds a connection's next request back until this one's reply has
/// been written, so replies keep their order. NIO's HTTP/1 types are used as they come: a
/// conversion to swift-http-types and back was ~5 % of server CPU (docs/stack.md#http-server).
final class SQSChannelHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let service: SQSService
    private let dates: HTTPDateCache
    /// The request whose body is being collected.
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    /// The received body passed the limit: the rest is read and dropped, then 413.
    private var bodyTooLarge = false
    /// The declared length passed the limit and 413 went out at once: drop the rest.
    private var answeredEarly = false
    private var replying = false
    /// The client closed its side, or the server is shutting down: close once the reply in
    /// progress is written.
    private var closeWhenReplied = false

    init(service: SQSService, dates: HTTPDateCache) {
        self.service = service
        self.dates = dates
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            body.clear()
            bodyTooLarge = false
            let declared = head.headers.first(name: "content-length").flatMap { Int($0) } ?? 0
            if declared > service.configuration.maxBodyBytes {
                // Answered before a byte of the body is read (as Hummingbird did).
                answeredEarly = true
                reply(to: head, body: nil, context: context)
            } else {
                self.head = head
            }
        case .body(var chunk):
            guard !answeredEarly, !bodyTooLarge else { return }
            if body.readableBytes + chunk.readableBytes > service.configuration.maxBodyBytes {
                bodyTooLarge = true
                body.clear()
            } else {
                body.writeBuffer(&chunk)
            }
        case .end:
            if answeredEarly {
                answeredEarly = false
                return
            }
            guard let head else { return }
            self.head = nil
            reply(to: head, body: bodyTooLarge ? nil : body, context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if (event as? ChannelEvent) == .inputClosed || event is ChannelShouldQuiesceEvent {
            // The client closed its side (Hummingbird's server allows half-closed connections),
            // or the server is shutting down: close once the request in progress is answered.
            if replying || head != nil || answeredEarly { closeWhenReplied = true } else { context.close(promise: nil) }
        } else if (event as? IdleStateHandler.IdleStateEvent) == .all {
            // Nothing read or written for the idle timeout; a reply still being computed (a
            // long poll) keeps the connection.
            if !replying { context.close(promise: nil) }
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Parse errors were answered (400) by NIO's error handler; anything else ends the connection.
        context.close(promise: nil)
    }

    private func reply(to head: HTTPRequestHead, body: ByteBuffer?, context: ChannelHandlerContext) {
        // HTTP/1.0 without keep-alive, or `Connection: close`.
        let closeAfter = !head.isKeepAlive
        let service = self.service, dates = self.dates
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        let peer = Peer(context.remoteAddress)
        replying = true
        context.eventLoop.makeFutureWithTask {
            await service.respond(to: head, body: body.map(RequestBody.complete) ?? .overCap, from: peer)
        }.whenSuccess { reply in
            let (handler, context) = bound.value
            var headers = HTTPHeaders(reply.headers)
            headers.add(name: "Content-Length", value: String(reply.body.count))
            headers.add(name: "Date", value: dates.current(nowMillis: service.dispatcher.engine.clock.nowMillis()))
            if closeAfter { headers.add(name: "Connection", value: "close") }
            let status = HTTPResponseStatus(statusCode: reply.status)
            context.write(handler.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status,
                                                                         headers: headers))), promise: nil)
            if !reply.body.isEmpty {
                let buffer = context.channel.allocator.buffer(bytes: reply.body)
                context.write(handler.wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            }
            context.writeAndFlush(handler.wrapOutboundOut(.end(nil)), promise: nil)
            handler.replying = false
            if closeAfter || handler.closeWhenReplied { context.close(promise: nil) }
        }
    }
}

/// The per-connection pipeline for SQSChannelHandler, in Hummingbird's server (which accepts
/// connections, wraps them in TLS when configured, and sends the quiesce event on shutdown).
struct SQSChildChannel: ServerChildChannel {
    struct Value: ServerChildChannelValue {
        let channel: any Channel
    }

    let service: SQSService
    let connections: ConnectionLimiter.Counter
    let dates = HTTPDateCache()

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let configuration = service.configuration
            var limits = NIOHTTPDecoderLimitConfiguration()
            limits.maxHeaderFieldSize = configuration.maxHeaderFieldSize
            limits.maxHeaderListSize = configuration.maxHeaderListSize
            limits.maxHeaderFieldCount = configuration.maxHeaderFieldCount
            let pipeline = channel.pipeline.syncOperations
            // Error handling on: a request that does not parse gets 400 and the connection closes.
            try pipeline.configureHTTPServerPipeline(
                withPipeliningAssistance: true, withErrorHandling: true, withOutboundHeaderValidation: true,
                withEncoderConfiguration: .init(), withDecoderLimitConfiguration: limits)
            try pipeline.addHandler(ConnectionLimiter(counter: connections))
            try pipeline.addHandler(IdleStateHandler(allTimeout: .seconds(configuration.idleTimeoutSeconds)))
            try pipeline.addHandler(SQSChannelHandler(service: service, dates: dates))
            return Value(channel: channel)
        }
    }

    func handle(value: Value, logger: Logger) async {
        // The handlers do the work; this task only keeps the connection registered until it closes.
        try? await value.channel.closeFuture.get()
    }
}
