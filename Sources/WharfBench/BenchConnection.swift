import NIOCore
import NIOHTTP1
import NIOPosix

/// One HTTP/1.1 request as the load generator sends it.
public struct BenchRequest: Sendable {
    public var method: HTTPMethod
    public var path: String
    public var headers: [(String, String)]
    public var body: [UInt8]
}

public struct BenchResponse: Sendable {
    public var status: Int
    public var body: ByteBuffer
    /// The server closes the connection after this response (`Connection: close`, HTTP/1.0):
    /// the next request needs a new connection.
    public var closes: Bool
}

public enum BenchError: Error, CustomStringConvertible {
    case connectionClosed
    case badEndpoint(String)
    case http(status: Int, body: String)
    case setup(String)

    public var description: String {
        switch self {
        case .connectionClosed: "the server closed the connection"
        case .badEndpoint(let text): "not an http:// endpoint: \(text)"
        case .http(let status, let body): "HTTP \(status): \(body.prefix(300))"
        case .setup(let text): text
        }
    }
}

/// A keep-alive connection used by one worker: request, wait for the whole response, repeat.
/// No pipelining, so latency is what one client would see. Servers that close after each
/// response (moto's development server does) get a new connection per request.
///
/// Plain channel handlers and futures rather than async channels: one hop to the event loop
/// and one back per request keeps the load generator's own CPU low.
public final class BenchConnection: @unchecked Sendable {
    // Used by one worker task at a time; the handler state lives on the channel's event loop.
    private let host: String
    private let port: Int
    /// What requests carry as Host: the endpoint they were signed for, which with several
    /// endpoints (nodes behind one name) need not be the one connected to.
    private let hostHeader: String
    private let group: any EventLoopGroup
    private var channel: (any Channel)?
    private var collector: ResponseCollector?

    init(host: String, port: Int, hostHeader: String? = nil, group: any EventLoopGroup) {
        self.host = host; self.port = port; self.group = group
        self.hostHeader = hostHeader ?? "\(host):\(port)"
    }

    /// Opens a connection and runs `body` with it; the connection closes when `body` returns.
    public static func with<T: Sendable>(
        host: String, port: Int, hostHeader: String? = nil, group: any EventLoopGroup,
        _ body: (inout BenchConnection) async throws -> T
    ) async throws -> T {
        var connection = BenchConnection(host: host, port: port, hostHeader: hostHeader, group: group)
        do {
            try await connection.connect()
            let result = try await body(&connection)
            await connection.close()
            return result
        } catch {
            await connection.close()
            throw error
        }
    }

    private func connect() async throws {
        let collector = ResponseCollector()
        channel = try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(collector)
                }
            }
            .connect(host: host, port: port).get()
        self.collector = collector
    }

    private func close() async {
        try? await channel?.close()
        channel = nil
    }

    public func send(_ request: BenchRequest) async throws -> BenchResponse {
        if channel?.isActive != true { try await connect() }
        guard let channel, let collector else { throw BenchError.connectionClosed }
        var head = HTTPRequestHead(version: .http1_1, method: request.method, uri: request.path)
        head.headers.add(name: "Host", value: hostHeader)
        for (name, value) in request.headers { head.headers.add(name: name, value: value) }
        head.headers.add(name: "Content-Length", value: String(request.body.count))
        let body = channel.allocator.buffer(bytes: request.body)
        let response = try await channel.eventLoop.flatSubmit { [head] in
            let promise = channel.eventLoop.makePromise(of: BenchResponse.self)
            collector.expect(promise)
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            channel.write(HTTPClientRequestPart.body(.byteBuffer(body)), promise: nil)
            channel.writeAndFlush(HTTPClientRequestPart.end(nil)).whenFailure { collector.fail($0) }
            return promise.futureResult
        }.get()
        if response.closes { await close() }
        return response
    }
}

/// Collects one response at a time and completes the waiting request's promise.
private final class ResponseCollector: ChannelInboundHandler, @unchecked Sendable {
    // Touched only on the channel's event loop.
    typealias InboundIn = HTTPClientResponsePart
    private var promise: EventLoopPromise<BenchResponse>?
    private var status = 0
    private var closes = false
    private var body = ByteBuffer()

    func expect(_ promise: EventLoopPromise<BenchResponse>) {
        self.promise = promise
        status = 0
        closes = false
        body.clear()
    }

    func fail(_ error: any Error) {
        promise?.fail(error)
        promise = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
            closes = !head.isKeepAlive
        case .body(var chunk):
            body.writeBuffer(&chunk)
        case .end:
            let done = promise
            promise = nil
            done?.succeed(BenchResponse(status: status, body: body, closes: closes))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(BenchError.connectionClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error)
        context.close(promise: nil)
    }
}
