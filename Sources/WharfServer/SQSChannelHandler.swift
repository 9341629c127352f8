import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import WharfProtocol

/// Serves requests straight from the channel pipeline: a thin shell around
/// `ConnectionStateMachine`, which collects one request (head and body, up to the size limit)
/// and decides what happens; this handler runs the request through SQSService on a task,
/// writes the reply and closes the connection when the machine says so.
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
    /// Everything this connection remembers between events; the handler only performs the
    /// actions it returns.
    private var machine: ConnectionStateMachine

    init(service: SQSService, dates: HTTPDateCache) {
        self.service = service
        self.dates = dates
        self.machine = ConnectionStateMachine(maxBodyBytes: service.configuration.maxBodyBytes)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let action: ConnectionStateMachine.Action
        switch unwrapInboundIn(data) {
        case .head(let head): action = machine.receivedHead(head)
        case .body(let part): action = machine.receivedBodyPart(part)
        case .end: action = machine.receivedEnd()
        }
        perform(action, context: context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if (event as? ChannelEvent) == .inputClosed {
            perform(machine.inputClosed(), context: context)
        } else if event is ChannelShouldQuiesceEvent {
            perform(machine.quiesce(), context: context)
        } else if (event as? IdleStateHandler.IdleStateEvent) == .all {
            perform(machine.idleTimeout(), context: context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Parse errors were answered (400) by NIO's error handler; anything else ends the connection.
        perform(machine.errorCaught(), context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        machine.channelInactive()
        context.fireChannelInactive()
    }

    private func perform(_ action: ConnectionStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .ignore:
            break
        case .dispatch(let head, let body):
            respond(to: head, body: .complete(body), context: context)
        case .answerTooLarge(let head):
            respond(to: head, body: .overCap, context: context)
        case .writeReply(let reply, let closeAfter):
            write(reply, closeAfter: closeAfter, context: context)
        case .close:
            context.close(promise: nil)
        }
    }

    /// Runs the request through SQSService on a task; its reply comes back on the event loop.
    private func respond(to head: HTTPRequestHead, body: RequestBody, context: ChannelHandlerContext) {
        let service = self.service
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        let peer = Peer(context.remoteAddress)
        context.eventLoop.makeFutureWithTask {
            await service.respond(to: head, body: body, from: peer)
        }.whenSuccess { reply in
            let (handler, context) = bound.value
            handler.perform(handler.machine.replyReady(reply), context: context)
        }
    }

    /// The reply with `Content-Length`, the Date header (`HTTPDateCache`) and, when the
    /// connection closes after it, `Connection: close`.
    private func write(_ reply: EncodedResponse, closeAfter: Bool, context: ChannelHandlerContext) {
        var headers = HTTPHeaders(reply.headers)
        headers.add(name: "Content-Length", value: String(reply.body.count))
        headers.add(name: "Date", value: dates.current(nowMillis: service.dispatcher.engine.clock.nowMillis()))
        if closeAfter { headers.add(name: "Connection", value: "close") }
        let status = HTTPResponseStatus(statusCode: reply.status)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))),
                      promise: nil)
        if !reply.body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: reply.body)))),
                          promise: nil)
        }
        guard closeAfter else {
            // May deliver the next pipelined request at once: the machine is ready for it.
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            return
        }
        // Closed once the reply is out, not before: a close drops writes still queued.
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            let (handler, context) = bound.value
            handler.perform(handler.machine.replyWritten(), context: context)
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
        // The handlers do the work; this task only keeps the connection registered until it
        // closes — or until it is cancelled (a graceful shutdown past its bound), which closes it.
        await withTaskCancellationHandler {
            try? await value.channel.closeFuture.get()
        } onCancel: {
            value.channel.close(promise: nil)
        }
    }
}
