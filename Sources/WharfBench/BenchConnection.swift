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
/// No pipelining, so latency is what one client would see.
public struct BenchConnection {
    var inbound: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>
    let host: String

    /// Opens a connection and runs `body` with it; the connection closes when `body` returns.
    public static func with<T: Sendable>(
        host: String, port: Int, group: any EventLoopGroup,
        _ body: (inout BenchConnection) async throws -> T
    ) async throws -> T {
        let channel = try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var connection = BenchConnection(inbound: inbound.makeAsyncIterator(), outbound: outbound,
                                             host: "\(host):\(port)")
            return try await body(&connection)
        }
    }

    public mutating func send(_ request: BenchRequest) async throws -> BenchResponse {
        var head = HTTPRequestHead(version: .http1_1, method: request.method, uri: request.path)
        head.headers.add(name: "Host", value: host)
        for (name, value) in request.headers { head.headers.add(name: name, value: value) }
        head.headers.add(name: "Content-Length", value: String(request.body.count))
        try await outbound.write(contentsOf: [
            .head(head), .body(.byteBuffer(ByteBuffer(bytes: request.body))), .end(nil),
        ])
        var status = 0
        var body = ByteBuffer()
        while let part = try await inbound.next() {
            switch part {
            case .head(let head): status = Int(head.status.code)
            case .body(var chunk): body.writeBuffer(&chunk)
            case .end: return BenchResponse(status: status, body: body)
            }
        }
        throw BenchError.connectionClosed
    }
}
