import Foundation
import SQSModel
import Testing
import WharfClient
import WharfEngine
import WharfSQLite

/// The client's pre-checks (`RequestValidation`) and the server (`SQSEngine`, on a standard
/// queue with default attributes) answer every request of a table alike: what the client
/// refuses, the server refuses with the same error; what the client lets through, the server
/// takes — or fails just the entries SQS fails on their own (docs/sqs-behaviour.md#batches).
@Suite struct ClientServerAgreementTests {
    enum Outcome: Equatable, CustomStringConvertible {
        case accepted
        /// The whole request, with this query code.
        case refused(String)
        /// Only the first entry, with this query code.
        case entryFails(String)

        var description: String {
            switch self {
            case .accepted: "accepted"
            case .refused(let code): "refused \(code)"
            case .entryFails(let code): "entry fails \(code)"
            }
        }
    }

    enum Call: Sendable {
        case send(SendMessageRequest)
        case sendBatch([SendMessageBatchRequestEntry])
        case receive(ReceiveMessageRequest)
        case changeVisibility(Int)
        case changeVisibilityBatch([Int?])
        case deleteBatch(ids: [String])
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let call: Call
        let expected: Outcome
        init(_ name: String, _ call: Call, _ expected: Outcome) {
            self.name = name; self.call = call; self.expected = expected
        }
        var testDescription: String { name }
    }

    static let mib = SQSLimits.maximumMessageSize
    static func body(_ bytes: Int) -> String { String(repeating: "a", count: bytes) }
    static func string(_ value: String, type: String = "String") -> MessageAttributeValue {
        MessageAttributeValue(dataType: type, stringValue: value)
    }
    static func send(_ body: String, delay: Int? = nil, _ attributes: MessageAttributes? = nil,
                     system: MessageAttributes? = nil) -> Call {
        .send(SendMessageRequest(QueueUrl: nil, MessageBody: body, DelaySeconds: delay, MessageAttributes: attributes,
                                 MessageSystemAttributes: system))
    }
    static func entries(_ bodies: [String]) -> [SendMessageBatchRequestEntry] {
        bodies.enumerated().map { SendMessageBatchRequestEntry(Id: "e\($0.offset)", MessageBody: $0.element) }
    }
    static let bothValues = MessageAttributeValue(dataType: "String", stringValue: "s", binaryValue: Data([1, 2]))
    static let withList: MessageAttributeValue = {
        var value = string("s")
        value.StringListValues = ["xyz"]
        value.BinaryListValues = [Data([1])]
        return value
    }()
    static let trace = ["AWSTraceHeader": string("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1")]

    static let cases: [Case] = [
        Case("a plain message", send("hello"), .accepted),
        Case("an empty body", send(""), .refused("MissingParameter")),
        Case("a body of exactly 1 MiB", send(body(mib)), .accepted),
        Case("a body of 1 MiB and a byte", send(body(mib + 1)), .refused("InvalidParameterValue")),
        Case("a body in two-byte characters, 1 MiB", send(String(repeating: "é", count: mib / 2)), .accepted),
        Case("a body in two-byte characters, 1 MiB and 2 bytes", send(String(repeating: "é", count: mib / 2 + 1)),
             .refused("InvalidParameterValue")),
        Case("a String attribute: name, type and value count", send(body(mib - 14), ["name": string("abcd")]), .accepted),
        Case("a String attribute, one byte over", send(body(mib - 13), ["name": string("abcd")]), .refused("InvalidParameterValue")),
        Case("a Binary attribute counts its bytes", send(body(mib - 12), ["bin": MessageAttributeValue(dataType: "Binary",
             binaryValue: Data([0, 1, 2]))]), .accepted),
        Case("a Binary attribute, one byte over", send(body(mib - 11), ["bin": MessageAttributeValue(dataType: "Binary",
             binaryValue: Data([0, 1, 2]))]), .refused("InvalidParameterValue")),
        Case("String and Binary values both count", send(body(mib - 10), ["x": bothValues]), .accepted),
        Case("String and Binary values both count, one byte over", send(body(mib - 9), ["x": bothValues]),
             .refused("InvalidParameterValue")),
        Case("list values count", send(body(mib - 12), ["x": withList]), .accepted),
        Case("list values count, one byte over", send(body(mib - 11), ["x": withList]), .refused("InvalidParameterValue")),
        Case("system attributes do not count", send(body(mib), system: trace), .accepted),
        Case("ten attributes", send("b", Dictionary(uniqueKeysWithValues: (0..<10).map { ("a\($0)", string("v")) })), .accepted),
        Case("eleven attributes", send("b", Dictionary(uniqueKeysWithValues: (0...10).map { ("a\($0)", string("v")) })),
             .refused("InvalidParameterValue")),
        Case("a reserved attribute name", send("b", ["AWS.x": string("v")]), .refused("InvalidParameterValue")),
        Case("a Latin-1 attribute name", send("b", ["attr.1øßä": string("v")]), .accepted),
        Case("an unknown data type", send("b", ["n": string("v", type: "Text")]), .refused("InvalidParameterValue")),
        Case("a Number that is not one", send("b", ["n": string("abc", type: "Number")]), .refused("InvalidParameterValue")),
        Case("a NUL in the body", send("a\u{0}"), .refused("InvalidMessageContents")),
        Case("a delay of 900", send("b", delay: 900), .accepted),
        Case("a delay of 901", send("b", delay: 901), .refused("InvalidParameterValue")),

        Case("a batch of ten", .sendBatch(entries(Array(repeating: "b", count: 10))), .accepted),
        Case("a batch of eleven", .sendBatch(entries(Array(repeating: "b", count: 11))),
             .refused("AWS.SimpleQueueService.TooManyEntriesInBatchRequest")),
        Case("an empty batch", .sendBatch([]), .refused("AWS.SimpleQueueService.EmptyBatchRequest")),
        Case("a bad entry id", .sendBatch([SendMessageBatchRequestEntry(Id: "no:colons", MessageBody: "b")]),
             .refused("AWS.SimpleQueueService.InvalidBatchEntryId")),
        Case("two entries with one id", .sendBatch([SendMessageBatchRequestEntry(Id: "a", MessageBody: "1"),
                                                    SendMessageBatchRequestEntry(Id: "a", MessageBody: "2")]),
             .refused("AWS.SimpleQueueService.BatchEntryIdsNotDistinct")),
        Case("a batch of exactly 1 MiB", .sendBatch(entries(Array(repeating: body(mib / 4), count: 4))), .accepted),
        Case("a batch of 1 MiB and a byte", .sendBatch(entries(Array(repeating: body(mib / 4), count: 3) + [body(mib / 4 + 1)])),
             .refused("AWS.SimpleQueueService.BatchRequestTooLong")),
        Case("a batch whose attributes make it too long", .sendBatch([
            SendMessageBatchRequestEntry(Id: "a", MessageBody: body(mib - 7),
                                         MessageAttributes: ["x": MessageAttributeValue(dataType: "Binary", binaryValue: Data([1]))]),
            SendMessageBatchRequestEntry(Id: "b", MessageBody: "b"),
        ]), .refused("AWS.SimpleQueueService.BatchRequestTooLong")),
        Case("an empty body in a batch fails its entry", .sendBatch(entries(["", "b"])), .entryFails("MissingParameter")),
        Case("a bad attribute in a batch fails its entry",
             .sendBatch([SendMessageBatchRequestEntry(Id: "a", MessageBody: "b", MessageAttributes: ["AWS.x": string("v")]),
                         SendMessageBatchRequestEntry(Id: "b", MessageBody: "b")]), .entryFails("InvalidParameterValue")),
        Case("a bad delay in a batch fails its entry",
             .sendBatch([SendMessageBatchRequestEntry(Id: "a", MessageBody: "b", DelaySeconds: 901),
                         SendMessageBatchRequestEntry(Id: "b", MessageBody: "b")]), .entryFails("InvalidParameterValue")),

        Case("a receive of ten", .receive(ReceiveMessageRequest(QueueUrl: nil, MaxNumberOfMessages: 10)), .accepted),
        Case("a receive of eleven", .receive(ReceiveMessageRequest(QueueUrl: nil, MaxNumberOfMessages: 11)),
             .refused("InvalidParameterValue")),
        Case("a receive of none", .receive(ReceiveMessageRequest(QueueUrl: nil, MaxNumberOfMessages: 0)),
             .refused("InvalidParameterValue")),
        Case("a wait of 21 s", .receive(ReceiveMessageRequest(QueueUrl: nil, WaitTimeSeconds: 21)), .refused("InvalidParameterValue")),
        Case("a receive's visibility of 43201 s", .receive(ReceiveMessageRequest(QueueUrl: nil, VisibilityTimeout: 43_201)),
             .refused("InvalidParameterValue")),
        Case("a visibility change to 60 s", .changeVisibility(60), .accepted),
        Case("a visibility change to 43201 s", .changeVisibility(43_201), .refused("InvalidParameterValue")),
        Case("a visibility change to -1 s", .changeVisibility(-1), .refused("InvalidParameterValue")),
        Case("a bad timeout in a visibility batch fails its entry", .changeVisibilityBatch([43_201, 60]),
             .entryFails("InvalidParameterValue")),
        Case("a visibility batch without a timeout fails its entry", .changeVisibilityBatch([nil, 60]),
             .entryFails("MissingParameter")),
        Case("a delete batch of eleven", .deleteBatch(ids: (0...10).map { "d\($0)" }),
             .refused("AWS.SimpleQueueService.TooManyEntriesInBatchRequest")),
        Case("a delete batch with one id twice", .deleteBatch(ids: ["d", "d"]), .refused("AWS.SimpleQueueService.BatchEntryIdsNotDistinct")),
        Case("a delete batch", .deleteBatch(ids: ["d1", "d2"]), .accepted),
    ]

    static let ctx = CallContext(accountId: "000000000000", region: "us-east-1", endpoint: "http://localhost:9324",
                                 senderId: "AKIDTEST")

    /// What the client's pre-checks say, and what the server answers, for the same request.
    static func outcomes(_ call: Call, _ engine: SQSEngine, queue: String) async throws -> (client: SQSError?, server: Result<[BatchResultErrorEntry], SQSError>) {
        func client<R: SQSRequest>(_ request: R) -> SQSError? {
            do throws(SQSError) { try RequestValidation.validate(request); return nil } catch { return error }
        }
        func server(_ body: () async throws(SQSError) -> [BatchResultErrorEntry]) async -> Result<[BatchResultErrorEntry], SQSError> {
            do throws(SQSError) { return .success(try await body()) } catch { return .failure(error) }
        }
        /// Receipt handles of messages sent and received for the call.
        func handles(_ count: Int) async throws -> [String] {
            let batch = entries(Array(repeating: "m", count: count))
            _ = try await engine.sendMessageBatch(SendMessageBatchRequest(QueueUrl: queue, Entries: batch), ctx)
            let got = try await engine.receiveMessage(ReceiveMessageRequest(QueueUrl: queue, MaxNumberOfMessages: count), ctx)
            return (got.Messages ?? []).map(\.ReceiptHandle)
        }
        switch call {
        case .send(var request):
            request.QueueUrl = queue
            return (client(request), await server { () async throws(SQSError) in
                _ = try await engine.sendMessage(request, ctx); return []
            })
        case .sendBatch(let entries):
            let request = SendMessageBatchRequest(QueueUrl: queue, Entries: entries)
            return (client(request), await server { () async throws(SQSError) in
                try await engine.sendMessageBatch(request, ctx).Failed ?? []
            })
        case .receive(var request):
            request.QueueUrl = queue
            return (client(request), await server { () async throws(SQSError) in
                _ = try await engine.receiveMessage(request, ctx); return []
            })
        case .changeVisibility(let timeout):
            let handle = try await handles(1)[0]
            let request = ChangeMessageVisibilityRequest(QueueUrl: queue, ReceiptHandle: handle, VisibilityTimeout: timeout)
            return (client(request), await server { () async throws(SQSError) in
                _ = try await engine.changeMessageVisibility(request, ctx); return []
            })
        case .changeVisibilityBatch(let timeouts):
            let received = try await handles(timeouts.count)
            let request = ChangeMessageVisibilityBatchRequest(QueueUrl: queue, Entries: zip(received, timeouts).enumerated().map {
                ChangeMessageVisibilityBatchRequestEntry(Id: "c\($0.offset)", ReceiptHandle: $0.element.0, VisibilityTimeout: $0.element.1)
            })
            return (client(request), await server { () async throws(SQSError) in
                try await engine.changeMessageVisibilityBatch(request, ctx).Failed ?? []
            })
        case .deleteBatch(let ids):
            let received = try await handles(min(ids.count, 10))
            let request = DeleteMessageBatchRequest(QueueUrl: queue, Entries: ids.enumerated().map {
                DeleteMessageBatchRequestEntry(Id: $0.element, ReceiptHandle: received[min($0.offset, received.count - 1)])
            })
            return (client(request), await server { () async throws(SQSError) in
                try await engine.deleteMessageBatch(request, ctx).Failed ?? []
            })
        }
    }

    @Test(arguments: cases)
    func clientAndServerAgree(_ item: Case) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wharf-agreement-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let engine = try await SQSEngine(store: try await SQLiteMessageStore.open(directory: directory), clock: ManualClock())
        let queue = try await engine.createQueue(CreateQueueRequest(QueueName: "agreement"), Self.ctx).QueueUrl
        let (client, server) = try await Self.outcomes(item.call, engine, queue: queue)

        switch (client, server) {
        case (let refusal?, .failure(let error)):
            #expect(error == refusal, "the server's error differs from the client's")
            #expect(item.expected == .refused(refusal.queryCode), "\(refusal)")
        case (let refusal?, .success):
            Issue.record("the client refuses (\(refusal)), the server accepts")
        case (nil, .failure(let error)):
            Issue.record("the client accepts, the server refuses: \(error)")
        case (nil, .success(let failed)):
            let outcome: Outcome = failed.first.map { .entryFails($0.Code) } ?? .accepted
            #expect(outcome == item.expected)
            #expect(failed.count <= 1)
        }
    }
}
