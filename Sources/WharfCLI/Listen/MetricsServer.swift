import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// `--metrics-port`: a small HTTP/1.1 server answering `GET /metrics` with what `render`
/// returns (Prometheus text format) and 404 for anything else. On NIO's shared event loops; it
/// lives as long as the listener and is closed when `listen` returns.
final class MetricsServer: Sendable {
    let channel: any Channel
    /// The port bound (the asked one, or the kernel's choice for 0).
    let port: Int

    private init(channel: any Channel) {
        self.channel = channel
        port = channel.localAddress?.port ?? 0
    }

    static func start(host: String, port: Int, contentType: String,
                      render: @escaping @Sendable () -> String) async throws -> MetricsServer {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 16)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(MetricsHandler(contentType: contentType, render: render))
                }
            }
        return MetricsServer(channel: try await bootstrap.bind(host: host, port: port).get())
    }

    func stop() async {
        try? await channel.close()
    }
}

private final class MetricsHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let contentType: String
    let render: @Sendable () -> String
    private var head: HTTPRequestHead?

    init(contentType: String, render: @escaping @Sendable () -> String) {
        self.contentType = contentType; self.render = render
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            head = request
        case .body:
            break
        case .end:
            guard let request = head else { return }
            head = nil
            let path = request.uri.split(separator: "?").first.map(String.init) ?? request.uri
            let (status, body, type): (HTTPResponseStatus, String, String)
            if request.method == .GET && path == "/metrics" {
                (status, body, type) = (.ok, render(), contentType)
            } else {
                (status, body, type) = (.notFound, "only GET /metrics is served here\n", "text/plain; charset=utf-8")
            }
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: type)
            headers.add(name: "Content-Length", value: String(body.utf8.count))
            let keepAlive = request.isKeepAlive
            if !keepAlive { headers.add(name: "Connection", value: "close") }
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))),
                          promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
            let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
            if !keepAlive {
                let channel = context.channel
                done.whenComplete { _ in channel.close(promise: nil) }
            }
        }
    }
}
