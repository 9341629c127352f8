import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import WharfEngine
import WharfServer
import WharfSQLite

/// The HTTP layer in process (no socket): health, protocol detection, queue-URL paths and the
/// errors that depend on the path, which the codec alone cannot decide.
@Suite struct ServerRoutingTests {
    static func withApp(_ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("wharf-server-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let engine = try await SQSEngine(store: try SQLiteMessageStore(directory: directory), clock: SystemClock())
        let app = try WharfServer.makeApplication(engine: engine, configuration: ServerConfiguration(),
                                              logger: Logger(label: "test"))
        try await app.test(.router, test)
    }

    static func json(_ target: String, _ body: String) -> (HTTPFields, ByteBuffer) {
        var headers = HTTPFields()
        headers[HTTPField.Name("X-Amz-Target")!] = "AmazonSQS.\(target)"
        headers[.contentType] = "application/x-amz-json-1.0"
        headers[.authorization] =
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240115/eu-west-1/sqs/aws4_request, SignedHeaders=host, Signature=00"
        return (headers, ByteBuffer(string: body))
    }

    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded; charset=utf-8"]

    @Test func healthAnswersOK() async throws {
        try await Self.withApp { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func jsonCreateUsesRegionFromCredentialScope() async throws {
        try await Self.withApp { client in
            let (headers, body) = Self.json("CreateQueue", #"{"QueueName": "jobs"}"#)
            try await client.execute(uri: "/", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("/000000000000/jobs"))
            }
            let (attrHeaders, attrBody) = Self.json(
                "GetQueueAttributes", #"{"QueueUrl": "https://sqs.eu-west-1.amazonaws.com/000000000000/jobs", "AttributeNames": ["QueueArn"]}"#)
            try await client.execute(uri: "/", method: .post, headers: attrHeaders, body: attrBody) { response in
                #expect(String(buffer: response.body).contains("arn:aws:sqs:eu-west-1:000000000000:jobs"))
            }
        }
    }

    @Test func queryOnQueuePathTakesQueueFromPath() async throws {
        try await Self.withApp { client in
            try await client.execute(uri: "/", method: .post, headers: Self.form,
                                     body: ByteBuffer(string: "Action=CreateQueue&QueueName=paths")) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/000000000000/paths", method: .post, headers: Self.form,
                                     body: ByteBuffer(string: "Action=SendMessage&MessageBody=hi")) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("<MD5OfMessageBody>49f68a5c8493ec2c0bf489821c21fc3b</MD5OfMessageBody>"))
            }
            try await client.execute(uri: "/000000000000/paths?Action=ReceiveMessage", method: .get) { response in
                #expect(String(buffer: response.body).contains("<Body>hi</Body>"))
            }
        }
    }

    @Test func bareGetOfQueueURLIsUnknownOperation() async throws {
        try await Self.withApp { client in
            try await client.execute(uri: "/000000000000/anything", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body).contains("UnknownOperationException"))
            }
        }
    }

    @Test func accountLevelActionOnQueuePathIsInvalidAction() async throws {
        try await Self.withApp { client in
            try await client.execute(uri: "/000000000000/q", method: .post, headers: Self.form,
                                     body: ByteBuffer(string: "Action=CreateQueue&QueueName=x")) { response in
                #expect(response.status == .badRequest)
                #expect(response.headers[HTTPField.Name("x-amzn-query-error")!] == "InvalidAction;Sender")
                #expect(String(buffer: response.body).contains("The action CreateQueue is not valid for this endpoint."))
            }
        }
    }

    @Test func malformedJSONIsAClientErrorNotACrash() async throws {
        try await Self.withApp { client in
            let (headers, body) = Self.json("SendMessage", #"{"QueueUrl": "#)
            try await client.execute(uri: "/", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("SerializationException"))
            }
        }
    }

    @Test func moveTaskOperationsAreRouted() async throws {
        try await Self.withApp { client in
            let (headers, body) = Self.json("StartMessageMoveTask", #"{"SourceArn": "arn:aws:sqs:us-east-1:000000000000:dlq"}"#)
            try await client.execute(uri: "/", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[HTTPField.Name("x-amzn-query-error")!] == "ResourceNotFoundException;Sender")
            }
        }
    }
}
