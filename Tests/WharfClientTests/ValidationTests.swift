import Foundation
import SQSModel
import Testing
import WharfClient

/// Requests SQS would refuse are refused locally, with SQS's code, and never sent.
@Suite struct ValidationTests {
    static let url = "http://127.0.0.1/000000000000/q"

    func refusal(_ call: (SQSClient) async throws -> Void) async -> String? {
        let stub = StubServer([.json("{}")])
        defer { stub.stop() }
        var code: String?
        do {
            try await call(stubClient(stub))
        } catch {
            if case .invalidRequest(let sqsError)? = error as? SQSClientError { code = sqsError.queryCode }
            else { Issue.record("expected .invalidRequest, got \(error)") }
        }
        #expect(stub.requests.isEmpty)
        return code
    }

    /// Refusals of single requests go through `perform`: the batch helpers never build a
    /// request of 11 entries or with repeated ids.
    @Test func batchLimits() async {
        let eleven = (0..<11).map { SendMessageBatchRequestEntry(Id: "e\($0)", MessageBody: "b") }
        #expect(await refusal { _ = try await $0.perform(SendMessageBatchRequest(QueueUrl: Self.url, Entries: eleven),
                                                         returning: SendMessageBatchResponse.self) }
                == "AWS.SimpleQueueService.TooManyEntriesInBatchRequest")
        #expect(await refusal { _ = try await $0.perform(DeleteMessageBatchRequest(QueueUrl: Self.url, Entries: []),
                                                         returning: DeleteMessageBatchResponse.self) }
                == "AWS.SimpleQueueService.EmptyBatchRequest")
        let twins = [DeleteMessageBatchRequestEntry(Id: "a", ReceiptHandle: "1"), DeleteMessageBatchRequestEntry(Id: "a", ReceiptHandle: "2")]
        #expect(await refusal { _ = try await $0.perform(DeleteMessageBatchRequest(QueueUrl: Self.url, Entries: twins),
                                                         returning: DeleteMessageBatchResponse.self) }
                == "AWS.SimpleQueueService.BatchEntryIdsNotDistinct")
        let badId = [ChangeMessageVisibilityBatchRequestEntry(Id: "no:colons", ReceiptHandle: "1", VisibilityTimeout: 1)]
        #expect(await refusal { _ = try await $0.perform(ChangeMessageVisibilityBatchRequest(QueueUrl: Self.url, Entries: badId),
                                                         returning: ChangeMessageVisibilityBatchResponse.self) }
                == "AWS.SimpleQueueService.InvalidBatchEntryId")
        let big = String(repeating: "x", count: 300_000)
        let tooLong = (0..<4).map { SendMessageBatchRequestEntry(Id: "e\($0)", MessageBody: big) }
        #expect(await refusal { _ = try await $0.perform(SendMessageBatchRequest(QueueUrl: Self.url, Entries: tooLong),
                                                         returning: SendMessageBatchResponse.self) }
                == "AWS.SimpleQueueService.BatchRequestTooLong")
    }

    @Test func messageAndReceiveLimits() async {
        #expect(await refusal { try await $0.sendMessage("", to: Self.url) } == "MissingParameter")
        #expect(await refusal { try await $0.sendMessage(String(repeating: "x", count: 1_048_577), to: Self.url) }
                == "InvalidParameterValue")
        #expect(await refusal { try await $0.sendMessage("late", to: Self.url, delaySeconds: 901) } == "InvalidParameterValue")
        #expect(await refusal { _ = try await $0.receiveMessages(from: Self.url, maxMessages: 11) } == "InvalidParameterValue")
        #expect(await refusal { _ = try await $0.receiveMessages(from: Self.url, maxMessages: 0) } == "InvalidParameterValue")
        #expect(await refusal { _ = try await $0.receiveMessages(from: Self.url, waitTimeSeconds: 21) } == "InvalidParameterValue")
        #expect(await refusal { try await $0.changeMessageVisibility("r", in: Self.url, visibilityTimeout: 43_201) }
                == "InvalidParameterValue")
    }

    /// The message rules are the server's (SQSModel's MessageRules): attributes are checked too,
    /// and Binary values count their bytes, not their base64 (docs/sqs-behaviour.md#message-size).
    @Test func messageRulesAreTheServers() async {
        let eleven = Dictionary(uniqueKeysWithValues: (0...10).map { ("a\($0)", MessageAttribute.string("v")) })
        #expect(await refusal { _ = try await $0.sendMessage(OutgoingMessage(body: "b", messageAttributes: eleven), to: Self.url) }
                == "InvalidParameterValue")
        let reserved: [String: MessageAttribute] = ["AWS.x": "v"]
        #expect(await refusal { _ = try await $0.sendMessage(OutgoingMessage(body: "b", messageAttributes: reserved), to: Self.url) }
                == "InvalidParameterValue")
        #expect(await refusal { _ = try await $0.sendMessage("\u{0}", to: Self.url) }
                == "InvalidMessageContents")
        // 1 MiB exactly: sent.
        let stub = StubServer([.json(#"{"MessageId":"m","MD5OfMessageBody":"x"}"#)])
        defer { stub.stop() }
        let sqs = stubClient(stub) { $0.verifyChecksums = false }
        let blob = ["bin": MessageAttribute.binary(Data([0, 1, 2]))]
        _ = try? await sqs.sendMessage(OutgoingMessage(body: String(repeating: "x", count: 1_048_576 - 12),
                                                       messageAttributes: blob), to: Self.url)
        #expect(stub.requests.count == 1)
    }

    /// What SQS fails entry by entry (an empty body, a bad visibility timeout) is sent, for the
    /// server to report in `Failed`: refusing the whole batch would refuse its good entries too.
    @Test func entryErrorsAreLeftToTheServer() async throws {
        let stub = StubServer([.json(#"{"Successful":[]}"#)])
        defer { stub.stop() }
        let sqs = stubClient(stub) { $0.verifyChecksums = false }
        _ = try await sqs.sendMessages(["", "b"], to: Self.url)
        _ = try await sqs.changeMessageVisibilities(["r"], in: Self.url, visibilityTimeout: 43_201)
        #expect(stub.requests.count == 2)
    }

    /// The helpers split any number of entries into requests of ≤ 10 entries and ≤ 1 MiB.
    @Test func batchHelpersChunkByCountAndSize() async throws {
        let stub = StubServer([.json(#"{"Successful":[]}"#)])
        defer { stub.stop() }
        let sqs = stubClient(stub) { $0.verifyChecksums = false }
        _ = try await sqs.sendMessages((0..<23).map { "m\($0)" }, to: Self.url)
        #expect(stub.requests.count == 3)
        #expect(stub.requests.map { $0.components(separatedBy: "\"Id\"").count - 1 } == [10, 10, 3])
        _ = try await sqs.sendMessages(Array(repeating: String(repeating: "x", count: 400_000), count: 5), to: Self.url)
        #expect(stub.requests.count == 6)  // 2 + 2 + 1 bodies of 400 kB
        _ = try await sqs.deleteMessages((0..<12).map { "rh\($0)" }, from: Self.url)
        #expect(stub.requests.count == 8)
    }
}
