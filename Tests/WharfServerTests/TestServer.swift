import Foundation
import Logging
import NIOCore
import NIOEmbedded
import WharfEngine
import WharfSQLite
@testable import WharfServer

/// Wharf without a socket: the production `SQSService` over an engine on a fresh SQLite store,
/// reached through the production pipeline — `SQSChildChannel.setup`: NIO's HTTP/1 parser and
/// encoder with pipelining and error handling, `ConnectionLimiter`, the idle timeout and
/// `SQSChannelHandler` — on NIO's `NIOAsyncTestingChannel` (NIOEmbedded's EmbeddedChannel for
/// handlers that complete work on tasks). Raw request bytes in, raw reply bytes out.
struct TestServer: Sendable {
    let engine: SQSEngine
    let service: SQSService
    let connections: ConnectionLimiter.Counter

    static func with(_ configuration: ServerConfiguration = ServerConfiguration(),
                     clock: any WharfClock = SystemClock(), metrics: ServerMetrics? = nil,
                     logger: Logger = Logger(label: "test"),
                     _ test: (TestServer) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("wharf-server-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let engine = try await SQSEngine(store: try await SQLiteMessageStore.open(directory: directory), clock: clock)
        let connections = ConnectionLimiter.Counter(limit: configuration.maxConnections)
        let service = WharfServer.makeService(engine: engine, configuration: configuration, metrics: metrics,
                                              diskFree: { nil }, connections: connections, logger: logger)
        try await test(TestServer(engine: engine, service: service, connections: connections))
    }

    /// A new connection from `peer` (loopback unless said otherwise).
    func connect(from peer: SocketAddress? = nil) async throws -> TestConnection {
        let channel = NIOAsyncTestingChannel()
        // Active before the pipeline is built, as an accepted connection is.
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9324)).get()
        // Resolved, as the addresses of accepted sockets are: with their text (`Peer` reads it).
        channel.remoteAddress = try peer ?? SocketAddress.makeAddressResolvingHost("127.0.0.1", port: 50000)
        let child = SQSChildChannel(service: service, connections: connections)
        try await channel.testingEventLoop.executeInContext {
            child.setup(channel: channel, logger: Logger(label: "test"))
        }.get()
        return TestConnection(channel: channel)
    }

    /// One request on a connection of its own.
    func send(_ request: TestRequest) async throws -> TestReply {
        let connection = try await connect()
        try await connection.write(request)
        return try await connection.reply()
    }
}

/// One client connection to a TestServer.
final class TestConnection {
    let channel: NIOAsyncTestingChannel
    /// Reply bytes read from the channel but not yet returned.
    private var received = ByteBuffer()

    init(channel: NIOAsyncTestingChannel) { self.channel = channel }

    var isOpen: Bool { channel.isActive }

    func write(_ requests: TestRequest...) async throws {
        try await write(bytes: requests.flatMap(\.bytes))
    }

    func write(bytes: [UInt8]) async throws {
        try await channel.writeInbound(ByteBuffer(bytes: bytes))
    }

    /// The client shuts its sending side down (a half-closed connection).
    func closeInput() async throws {
        let channel = self.channel
        try await channel.testingEventLoop.executeInContext {
            channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        }
    }

    /// What Hummingbird sends every connection when the server shuts down.
    func quiesce() async throws {
        let channel = self.channel
        try await channel.testingEventLoop.executeInContext {
            channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
    }

    /// What the pipeline's IdleStateHandler sends when nothing was read or written for the idle
    /// timeout. (It measures that on the system's clock, which a test cannot move.)
    func idleTimeoutPasses() async throws {
        let channel = self.channel
        try await channel.testingEventLoop.executeInContext {
            channel.pipeline.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.all)
        }
    }

    /// The next complete reply; fails when none arrives within `timeout` seconds.
    func reply(timeout: Double = 10) async throws -> TestReply {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let reply = try TestReply.parse(&received) { return reply }
            if let data = try await channel.readOutbound(as: IOData.self) {
                guard case .byteBuffer(var buffer) = data else { throw TestError("a file region was written") }
                received.writeBuffer(&buffer)
                continue
            }
            guard Date() < deadline else {
                throw TestError("no complete reply within \(timeout) s; received \(String(buffer: received).debugDescription)")
            }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    /// Waits until the server has closed the connection.
    func closed(timeout: Double = 10) async throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while channel.isActive {
            guard Date() < deadline else { return false }
            try await Task.sleep(for: .milliseconds(2))
        }
        return true
    }

    /// True when no reply bytes were written within `seconds` (the empty buffer NIO's encoder
    /// writes for the end of a reply does not count).
    func nothingWritten(within seconds: Double = 0.2) async throws -> Bool {
        try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
        while let data = try await channel.readOutbound(as: IOData.self) {
            guard case .byteBuffer(var buffer) = data else { return false }
            received.writeBuffer(&buffer)
        }
        return received.readableBytes == 0
    }
}

/// A request as raw HTTP/1.x bytes: Host and Content-Length are added unless given.
struct TestRequest {
    var method = "POST"
    var uri = "/"
    var version = "HTTP/1.1"
    var headers: [(String, String)] = []
    var body: [UInt8] = []

    /// An AWS JSON 1.0 call, with an (unverified in dev mode) credential scope for `region`.
    static func json(_ operation: String, _ body: String, path: String = "/", region: String = "us-east-1") -> Self {
        TestRequest(uri: path, headers: [
            ("X-Amz-Target", "AmazonSQS.\(operation)"),
            ("Content-Type", "application/x-amz-json-1.0"),
            ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240115/\(region)/sqs/aws4_request, SignedHeaders=host, Signature=00"),
        ], body: Array(body.utf8))
    }

    /// A Query call with its parameters in a form body.
    static func query(_ form: String, path: String = "/") -> Self {
        TestRequest(uri: path, headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
                    body: Array(form.utf8))
    }

    static func get(_ uri: String, headers: [(String, String)] = []) -> Self {
        TestRequest(method: "GET", uri: uri, headers: headers)
    }

    func with(_ name: String, _ value: String) -> Self {
        var request = self
        request.headers.append((name, value))
        return request
    }

    var bytes: [UInt8] {
        var head = "\(method) \(uri) \(version)\r\n"
        func has(_ name: String) -> Bool { headers.contains { $0.0.lowercased() == name } }
        if !has("host") { head += "Host: localhost:9324\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !has("content-length"), !has("transfer-encoding"), !body.isEmpty || method == "POST" {
            head += "Content-Length: \(body.count)\r\n"
        }
        head += "\r\n"
        return Array(head.utf8) + body
    }
}

/// A reply as the client reads it.
struct TestReply {
    let status: Int
    let statusLine: String
    /// Names lower-cased.
    let headers: [(name: String, value: String)]
    let body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }

    func header(_ name: String) -> String? {
        headers.first { $0.name == name.lowercased() }?.value
    }

    /// A reply taken off the front of `buffer`, or nil while it is incomplete.
    static func parse(_ buffer: inout ByteBuffer) throws -> TestReply? {
        let bytes = Array(buffer.readableBytesView)
        let separator = Array("\r\n\r\n".utf8)
        guard let end = (0..<max(0, bytes.count - 3)).first(where: { Array(bytes[$0..<$0 + 4]) == separator }) else {
            return nil
        }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw TestError("bad status line \(lines[0])") }
        let headers = lines.dropFirst().map { line -> (name: String, value: String) in
            let colon = line.firstIndex(of: ":") ?? line.endIndex
            return (line[..<colon].lowercased(),
                    line[colon...].dropFirst().trimmingCharacters(in: .whitespaces))
        }
        guard let length = headers.first(where: { $0.name == "content-length" }).flatMap({ Int($0.value) }) else {
            throw TestError("reply without Content-Length: \(lines)")
        }
        let bodyStart = end + 4
        guard bytes.count >= bodyStart + length else { return nil }
        buffer.moveReaderIndex(forwardBy: bodyStart + length)
        return TestReply(status: status, statusLine: lines[0], headers: headers,
                         body: Array(bytes[bodyStart..<bodyStart + length]))
    }
}

struct TestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
