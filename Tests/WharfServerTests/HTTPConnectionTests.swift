import Foundation
import NIOCore
import Testing
import WharfEngine
@testable import WharfServer

/// A connection's life through the production pipeline (TestServer): keep-alive, pipelining,
/// `Connection: close`, HTTP/1.0, the body cap, half-closed clients, the idle timeout and
/// shutdown. The same rules, event by event, are ConnectionStateMachineTests.
@Suite struct HTTPConnectionTests {
    static let clockStart: Int64 = 1_700_000_000_000

    /// A server on a manual clock with one queue, `polls`, whose long polls wait until the clock moves.
    static func withLongPolls(_ configuration: ServerConfiguration = ServerConfiguration(),
                              _ test: (TestServer, ManualClock) async throws -> Void) async throws {
        let clock = ManualClock(startMillis: clockStart)
        try await TestServer.with(configuration, clock: clock) { server in
            #expect(try await server.send(.json("CreateQueue", #"{"QueueName": "polls"}"#)).status == 200)
            try await test(server, clock)
        }
    }

    static let longPoll = TestRequest.json(
        "ReceiveMessage", #"{"QueueUrl": "http://localhost:9324/000000000000/polls", "WaitTimeSeconds": 20}"#)

    /// Waits until a long poll is parked on the clock.
    static func parked(_ clock: ManualClock) async throws {
        let deadline = Date().addingTimeInterval(10)
        while clock.sleeperCount == 0 {
            guard Date() < deadline else { throw TestError("the long poll never parked") }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    @Test func keepAliveServesManyRequestsOnOneConnection() async throws {
        try await TestServer.with { server in
            let connection = try await server.connect()
            for _ in 0..<5 {
                try await connection.write(.json("ListQueues", "{}"))
                let reply = try await connection.reply()
                #expect(reply.status == 200)
                #expect(reply.header("connection") == nil)
            }
            #expect(connection.isOpen)
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await TestServer.with { server in
            #expect(try await server.send(.json("CreateQueue", #"{"QueueName": "pipe"}"#)).status == 200)
            let connection = try await server.connect()
            let sends = (0..<4).map {
                TestRequest.json("SendMessage", #"{"QueueUrl": "http://localhost:9324/000000000000/pipe", "MessageBody": "m\#($0)"}"#)
            }
            // All in one write: each request waits for the previous reply.
            try await connection.write(bytes: sends.flatMap(\.bytes) + TestRequest.get("/health").bytes)
            for index in 0..<4 {
                let reply = try await connection.reply()
                #expect(reply.status == 200)
                #expect(reply.text.contains(md5s[index]))
            }
            #expect(try await connection.reply().text == "ok\n")
            #expect(connection.isOpen)
        }
    }

    @Test func pipelinedRequestsBeforeAHalfCloseAreAllAnswered() async throws {
        try await TestServer.with { server in
            let connection = try await server.connect()
            try await connection.write(.get("/health"), .json("ListQueues", "{}"), .get("/health"))
            try await connection.closeInput()
            #expect(try await connection.reply().text == "ok\n")
            #expect(try await connection.reply().status == 200)
            let last = try await connection.reply()
            #expect(last.text == "ok\n")
            #expect(last.header("connection") == "close")
            #expect(try await connection.closed())
        }
    }

    @Test func connectionCloseIsHonoured() async throws {
        try await TestServer.with { server in
            let connection = try await server.connect()
            try await connection.write(.json("ListQueues", "{}").with("Connection", "close"))
            let reply = try await connection.reply()
            #expect(reply.status == 200)
            #expect(reply.header("connection") == "close")
            #expect(try await connection.closed())
        }
    }

    @Test func http10ClosesAfterTheReplyUnlessKeptAlive() async throws {
        try await TestServer.with { server in
            let plain = try await server.connect()
            try await plain.write(bytes: Array("GET /health HTTP/1.0\r\n\r\n".utf8))
            #expect(try await plain.reply().header("connection") == "close")
            #expect(try await plain.closed())

            let kept = try await server.connect()
            try await kept.write(bytes: Array("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n".utf8))
            #expect(try await kept.reply().text == "ok\n")
            #expect(try await kept.nothingWritten())
            #expect(kept.isOpen)
        }
    }

    @Test func repliesCarryLengthAndTheDate() async throws {
        try await Self.withLongPolls { server, clock in
            let reply = try await server.send(.json("ListQueues", "{}"))
            #expect(reply.header("content-length") == String(reply.body.count))
            #expect(reply.header("date") == HTTPDateCache.format(epochSeconds: clock.nowMillis() / 1000))
        }
    }

    @Test func declaredBodyOverTheCapIs413BeforeTheBodyIsSent() async throws {
        var configuration = ServerConfiguration()
        configuration.maxBodyBytes = 64
        try await TestServer.with(configuration) { server in
            let connection = try await server.connect()
            let body = "{\"QueueNamePrefix\": \"\(String(repeating: "x", count: 80))\"}"
            let request = TestRequest.json("ListQueues", body).bytes
            let headEnd = request.count - body.utf8.count
            // Only the head: the answer does not wait for the body.
            try await connection.write(bytes: Array(request[..<headEnd]))
            let reply = try await connection.reply()
            #expect(reply.status == 413)
            #expect(reply.header("x-amzn-query-error") == "RequestEntityTooLarge;Sender")
            #expect(reply.text.contains("Request body must be at most 64 bytes."))
            // The body is read and dropped; the connection serves the next request.
            try await connection.write(bytes: Array(request[headEnd...]))
            try await connection.write(.get("/health"))
            #expect(try await connection.reply().text == "ok\n")
        }
    }

    @Test func chunkedBodyGrowingPastTheCapIs413AfterItsEnd() async throws {
        var configuration = ServerConfiguration()
        configuration.maxBodyBytes = 64
        try await TestServer.with(configuration) { server in
            let connection = try await server.connect()
            let head = TestRequest.json("ListQueues", "").with("Transfer-Encoding", "chunked").bytes
            let chunk = "28\r\n" + String(repeating: "y", count: 40) + "\r\n"
            try await connection.write(bytes: head + Array((chunk + chunk).utf8))
            // Over the cap, but not answered until the body ends.
            #expect(try await connection.nothingWritten())
            try await connection.write(bytes: Array((chunk + "0\r\n\r\n").utf8))
            let reply = try await connection.reply()
            #expect(reply.status == 413)
            #expect(reply.header("content-type") == "application/x-amz-json-1.0")
            try await connection.write(.get("/health"))
            #expect(try await connection.reply().text == "ok\n")
        }
    }

    @Test func halfClosedClientStillGetsItsReplyThenClose() async throws {
        try await Self.withLongPolls { server, clock in
            let connection = try await server.connect()
            try await connection.write(Self.longPoll)
            try await Self.parked(clock)
            try await connection.closeInput()
            #expect(connection.isOpen)
            clock.advance(bySeconds: 20)
            let reply = try await connection.reply()
            #expect(reply.status == 200)
            #expect(reply.text == "{}")
            #expect(reply.header("connection") == "close")
            #expect(try await connection.closed())
        }
    }

    @Test func halfClosedIdleConnectionIsClosed() async throws {
        try await TestServer.with { server in
            let connection = try await server.connect()
            try await connection.closeInput()
            #expect(try await connection.closed())
        }
    }

    @Test func idleTimeoutIsTheConfiguredOne() async throws {
        var configuration = ServerConfiguration()
        configuration.idleTimeoutSeconds = 42
        try await TestServer.with(configuration) { server in
            let channel = try await server.connect().channel
            let idle = try await channel.testingEventLoop.executeInContext {
                try channel.pipeline.syncOperations.handler(type: IdleStateHandler.self).allTimeout
            }
            #expect(idle == .seconds(42))
        }
    }

    @Test func idleConnectionsAreClosedButLongPollsAreNot() async throws {
        try await Self.withLongPolls { server, clock in
            let idle = try await server.connect()
            try await idle.idleTimeoutPasses()
            #expect(try await idle.closed())

            let polling = try await server.connect()
            try await polling.write(Self.longPoll)
            try await Self.parked(clock)
            // The idle timeout passes, again and again, while the reply is computed.
            try await polling.idleTimeoutPasses()
            try await polling.idleTimeoutPasses()
            #expect(polling.isOpen)
            clock.advance(bySeconds: 20)
            #expect(try await polling.reply().text == "{}")
            // Idle once answered.
            try await polling.idleTimeoutPasses()
            #expect(try await polling.closed())
        }
    }

    @Test func shutdownDuringAReplyClosesAfterIt() async throws {
        try await Self.withLongPolls { server, clock in
            let connection = try await server.connect()
            try await connection.write(Self.longPoll)
            try await Self.parked(clock)
            try await connection.quiesce()
            #expect(connection.isOpen)
            clock.advance(bySeconds: 20)
            let reply = try await connection.reply()
            #expect(reply.text == "{}")
            #expect(reply.header("connection") == "close")
            #expect(try await connection.closed())
        }
    }

    @Test func shutdownClosesAnIdleConnection() async throws {
        try await TestServer.with { server in
            let connection = try await server.connect()
            try await connection.quiesce()
            #expect(try await connection.closed())
        }
    }

    @Test func requestThatDoesNotParseIs400AndClose() async throws {
        try await TestServer.with { server in
            let connection = try await server.connect()
            try await connection.write(bytes: Array("NOT HTTP AT ALL\r\n\r\n".utf8))
            #expect(try await connection.reply().status == 400)
            #expect(try await connection.closed())
        }
    }

    @Test func connectionsBeyondTheLimitAreClosed() async throws {
        var configuration = ServerConfiguration()
        configuration.maxConnections = 1
        try await TestServer.with(configuration) { server in
            let first = try await server.connect()
            let second = try await server.connect()
            #expect(try await second.closed())
            try await first.write(.get("/health"))
            #expect(try await first.reply().status == 200)
        }
    }
}

/// `MD5OfMessageBody` of the pipelined test bodies (hashlib.md5 of each).
let md5s = ["ced6bfe1f650f6b338594d37eb7850d2", "ae7be26cdaa742ca148068d5ac90eaca",
            "aaf2f89992379705dac844c0a2a1d45f", "9678f7a7939f457fa0d9353761e189c7"]
