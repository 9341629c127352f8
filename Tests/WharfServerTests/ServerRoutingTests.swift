import Foundation
import Logging
import NIOCore
import SigV4
import Synchronization
import Testing
import WharfEngine
import WharfLogging
@testable import WharfServer

/// The HTTP layer through the production channel handler (TestServer: no socket): health,
/// protocol detection, queue-URL paths and the errors that depend on the path, which the codec
/// alone cannot decide, and the server's own endpoints.
@Suite struct ServerRoutingTests {
    @Test func healthAnswersOK() async throws {
        try await TestServer.with { server in
            let reply = try await server.send(.get("/health"))
            #expect(reply.status == 200)
            #expect(reply.text == "ok\n")
        }
    }

    @Test func readyAnswersWhileTheStoreTakesWrites() async throws {
        try await TestServer.with { server in
            let reply = try await server.send(.get("/ready"))
            #expect(reply.status == 200)
            #expect(reply.text == "ready\n")
        }
    }

    @Test func jsonCreateUsesRegionFromCredentialScope() async throws {
        try await TestServer.with { server in
            let created = try await server.send(.json("CreateQueue", #"{"QueueName": "jobs"}"#, region: "eu-west-1"))
            #expect(created.status == 200)
            #expect(created.text.contains("/000000000000/jobs"))
            let attributes = try await server.send(.json(
                "GetQueueAttributes",
                #"{"QueueUrl": "https://sqs.eu-west-1.amazonaws.com/000000000000/jobs", "AttributeNames": ["QueueArn"]}"#,
                region: "eu-west-1"))
            #expect(attributes.text.contains("arn:aws:sqs:eu-west-1:000000000000:jobs"))
        }
    }

    @Test func queueURLsUseTheHostHeader() async throws {
        try await TestServer.with { server in
            let created = try await server.send(.json("CreateQueue", #"{"QueueName": "hosted"}"#)
                .with("Host", "sqs.internal:4100"))
            #expect(created.text.contains("http://sqs.internal:4100/000000000000/hosted"))
        }
    }

    @Test func queryOnQueuePathTakesQueueFromPath() async throws {
        try await TestServer.with { server in
            #expect(try await server.send(.query("Action=CreateQueue&QueueName=paths")).status == 200)
            let sent = try await server.send(.query("Action=SendMessage&MessageBody=hi", path: "/000000000000/paths"))
            #expect(sent.status == 200)
            #expect(sent.text.contains("<MD5OfMessageBody>49f68a5c8493ec2c0bf489821c21fc3b</MD5OfMessageBody>"))
            let received = try await server.send(.get("/000000000000/paths?Action=ReceiveMessage"))
            #expect(received.text.contains("<Body>hi</Body>"))
        }
    }

    @Test(arguments: [[], [("Accept", "application/json")]] as [[(String, String)]])
    func bareGetOfQueueURLIsUnknownOperation(headers: [(String, String)]) async throws {
        try await TestServer.with { server in
            let reply = try await server.send(.get("/000000000000/anything", headers: headers))
            #expect(reply.status == 404)
            #expect(reply.header("content-type") == "text/xml")
            #expect(reply.text == "<UnknownOperationException/>")
        }
    }

    @Test func accountLevelActionOnQueuePathIsInvalidAction() async throws {
        try await TestServer.with { server in
            let reply = try await server.send(.query("Action=CreateQueue&QueueName=x", path: "/000000000000/q"))
            #expect(reply.status == 400)
            #expect(reply.header("x-amzn-query-error") == "InvalidAction;Sender")
            #expect(reply.text.contains("The action CreateQueue is not valid for this endpoint."))
        }
    }

    @Test func requestWithoutActionIsMissingAction() async throws {
        try await TestServer.with { server in
            let reply = try await server.send(.query("QueueName=x"))
            #expect(reply.status == 400)
            #expect(reply.header("x-amzn-query-error") == "MissingAction;Sender")
            #expect(reply.text.contains("<ErrorResponse"))
        }
    }

    @Test func malformedJSONIsAClientErrorNotACrash() async throws {
        try await TestServer.with { server in
            let reply = try await server.send(.json("SendMessage", #"{"QueueUrl": "#))
            #expect(reply.status == 400)
            #expect(reply.text.contains("SerializationException"))
        }
    }

    @Test func moveTaskOperationsAreRouted() async throws {
        try await TestServer.with { server in
            let reply = try await server.send(.json("StartMessageMoveTask",
                                                    #"{"SourceArn": "arn:aws:sqs:us-east-1:000000000000:dlq"}"#))
            #expect(reply.status == 404)
            #expect(reply.header("x-amzn-query-error") == "ResourceNotFoundException;Sender")
        }
    }

    @Test func unsignedRequestIsRefusedBeforeItIsParsed() async throws {
        var configuration = ServerConfiguration()
        configuration.credentials.add(accessKeyId: "AKIAEXAMPLE1", accountId: "111111111111",
                                      key: KnownKey(secretAccessKey: "secret1"))
        try await TestServer.with(configuration) { server in
            // Not even valid JSON: authentication comes first, in the guessed protocol.
            let reply = try await server.send(TestRequest(headers: [
                ("X-Amz-Target", "AmazonSQS.SendMessage"), ("Content-Type", "application/x-amz-json-1.0"),
            ], body: Array("{".utf8)))
            #expect(reply.status == 403)
            #expect(reply.header("x-amzn-query-error") == "MissingAuthenticationToken;Sender")
            #expect(reply.header("content-type") == "application/x-amz-json-1.0")
        }
    }

    @Test func everyReplyCarriesARequestIdThatTheLogLinesShare() async throws {
        let records = LogRecords()
        var logger = Logger(label: "test", factory: { _ in CapturingLogHandler(records: records) })
        logger.logLevel = .debug
        try await TestServer.with(logger: logger) { server in
            let reply = try await server.send(.json("ListQueues", "{}"))
            let requestId = try #require(reply.header("x-amzn-requestid"))
            #expect(!requestId.isEmpty)
            let line = try #require(records.all.first { $0.message == "request" })
            #expect(line.metadata["request_id"] == .string(requestId))
            #expect(line.metadata["operation"] == .string("ListQueues"))
        }
    }

    @Test func metricsAreServedToLoopbackCallersOnly() async throws {
        try await TestServer.with(metrics: ServerMetrics()) { server in
            let connection = try await server.connect()
            try await connection.write(.get("/metrics"))
            let local = try await connection.reply()
            #expect(local.status == 200)
            #expect(local.header("content-type")?.hasPrefix("text/plain; version=0.0.4") == true)
            let remote = try await server.connect(from: try SocketAddress.makeAddressResolvingHost("192.0.2.7", port: 5000))
            try await remote.write(.get("/metrics"))
            #expect(try await remote.reply().status == 403)
        }
    }

    /// The console's files on the main port, before authentication (they are public, like the
    /// page of any sign-in form); a path under /console never reaches SQS dispatch.
    @Test func theConsoleIsServedUnderConsole() async throws {
        try await TestServer.with { server in
            let page = try await server.send(.get("/console/"))
            #expect(page.status == 200)
            #expect(page.header("content-type") == "text/html; charset=utf-8")
            #expect(page.header("content-security-policy")?.hasPrefix("default-src 'none'") == true)
            #expect(page.header("x-content-type-options") == "nosniff")
            #expect(page.text.contains("/console/app.js"))
            let script = try await server.send(.get("/console/app.js"))
            #expect(script.header("content-type") == "text/javascript; charset=utf-8")
            #expect(script.header("etag") != nil)
            #expect(try await server.send(.get("/console/missing.js")).status == 404)
        }
    }
}

/// Log lines as a LogHandler received them, with what the metadata provider (RequestScope) adds.
final class LogRecords: Sendable {
    struct Record: Sendable {
        let message: String
        let metadata: Logger.Metadata
    }
    private let records = Mutex<[Record]>([])
    func append(_ record: Record) { records.withLock { $0.append(record) } }
    var all: [Record] { records.withLock { $0 } }
}

struct CapturingLogHandler: LogHandler {
    let records: LogRecords
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    var metadataProvider: Logger.MetadataProvider? = RequestScope.metadataProvider

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String,
             file: String, function: String, line: UInt) {
        var all = self.metadata
        all.merge(metadataProvider?.get() ?? [:]) { _, new in new }
        all.merge(metadata ?? [:]) { _, new in new }
        records.append(.init(message: message.description, metadata: all))
    }
}
