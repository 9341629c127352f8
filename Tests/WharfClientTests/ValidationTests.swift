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

    @Test func batchLimits() async {
        let eleven = (0..<11).map { SendMessageBatchRequestEntry(Id: "e\($0)", MessageBody: "b") }
        #expect(await refusal { _ = try await $0.sendMessageBatch(SendMessageBatchRequest(QueueUrl: Self.url, Entries: eleven)) }
                == "AWS.SimpleQueueService.TooManyEntriesInBatchRequest")
        #expect(await refusal { _ = try await $0.deleteMessageBatch(DeleteMessageBatchRequest(QueueUrl: Self.url, Entries: [])) }
                == "AWS.SimpleQueueService.EmptyBatchRequest")
        let twins = [DeleteMessageBatchRequestEntry(Id: "a", ReceiptHandle: "1"), DeleteMessageBatchRequestEntry(Id: "a", ReceiptHandle: "2")]
        #expect(await refusal { _ = try await $0.deleteMessageBatch(DeleteMessageBatchRequest(QueueUrl: Self.url, Entries: twins)) }
                == "AWS.SimpleQueueService.BatchEntryIdsNotDistinct")
        let badId = [ChangeMessageVisibilityBatchRequestEntry(Id: "no:colons", ReceiptHandle: "1", VisibilityTimeout: 1)]
        #expect(await refusal { _ = try await $0.changeMessageVisibilityBatch(ChangeMessageVisibilityBatchRequest(QueueUrl: Self.url, Entries: badId)) }
                == "AWS.SimpleQueueService.InvalidBatchEntryId")
        let big = String(repeating: "x", count: 300_000)
        let tooLong = (0..<4).map { SendMessageBatchRequestEntry(Id: "e\($0)", MessageBody: big) }
        #expect(await refusal { _ = try await $0.sendMessageBatch(SendMessageBatchRequest(QueueUrl: Self.url, Entries: tooLong)) }
                == "AWS.SimpleQueueService.BatchRequestTooLong")
        let duplicated = [SendMessageBatchRequestEntry(Id: "a", MessageBody: "1"), SendMessageBatchRequestEntry(Id: "a", MessageBody: "2")]
        #expect(await refusal { _ = try await $0.sendMessages(queueUrl: Self.url, entries: duplicated) }
                == "AWS.SimpleQueueService.BatchEntryIdsNotDistinct")
    }

    @Test func messageAndReceiveLimits() async {
        #expect(await refusal { try await $0.sendMessage(queueUrl: Self.url, body: "") } == "MissingParameter")
        #expect(await refusal { try await $0.sendMessage(queueUrl: Self.url, body: String(repeating: "x", count: 1_048_577)) }
                == "InvalidParameterValue")
        #expect(await refusal { _ = try await $0.receiveMessages(queueUrl: Self.url, max: 11) } == "InvalidParameterValue")
        #expect(await refusal { _ = try await $0.receiveMessages(queueUrl: Self.url, max: 0) } == "InvalidParameterValue")
        #expect(await refusal { _ = try await $0.receiveMessages(queueUrl: Self.url, wait: 21) } == "InvalidParameterValue")
        #expect(await refusal { try await $0.changeMessageVisibility(queueUrl: Self.url, receiptHandle: "r", timeout: 43_201) }
                == "InvalidParameterValue")
    }

    /// The message rules are the server's (SQSModel's MessageRules): attributes are checked too,
    /// and Binary values count their bytes, not their base64 (docs/sqs-behaviour.md#message-size).
    @Test func messageRulesAreTheServers() async {
        let eleven = Dictionary(uniqueKeysWithValues: (0...10).map { ("a\($0)", MessageAttributeValue(dataType: "String", stringValue: "v")) })
        #expect(await refusal { _ = try await $0.sendMessage(SendMessageRequest(QueueUrl: Self.url, MessageBody: "b", MessageAttributes: eleven)) }
                == "InvalidParameterValue")
        let reserved = ["AWS.x": MessageAttributeValue(dataType: "String", stringValue: "v")]
        #expect(await refusal { _ = try await $0.sendMessage(SendMessageRequest(QueueUrl: Self.url, MessageBody: "b", MessageAttributes: reserved)) }
                == "InvalidParameterValue")
        #expect(await refusal { _ = try await $0.sendMessage(SendMessageRequest(QueueUrl: Self.url, MessageBody: "\u{0}")) }
                == "InvalidMessageContents")
        // 1 MiB exactly: sent.
        let stub = StubServer([.json(#"{"MessageId":"m","MD5OfMessageBody":"x"}"#)])
        defer { stub.stop() }
        let sqs = stubClient(stub) { $0.verifyChecksums = false }
        let blob = ["bin": MessageAttributeValue(dataType: "Binary", binaryValue: Data([0, 1, 2]))]
        _ = try? await sqs.sendMessage(SendMessageRequest(QueueUrl: Self.url, MessageBody: String(repeating: "x", count: 1_048_576 - 12),
                                                          MessageAttributes: blob))
        #expect(stub.requests.count == 1)
    }

    /// What SQS fails entry by entry (an empty body, a bad visibility timeout) is sent, for the
    /// server to report in `Failed`: refusing the whole batch would refuse its good entries too.
    @Test func entryErrorsAreLeftToTheServer() async throws {
        let stub = StubServer([.json(#"{"Successful":[]}"#)])
        defer { stub.stop() }
        let sqs = stubClient(stub) { $0.verifyChecksums = false }
        _ = try await sqs.sendMessageBatch(SendMessageBatchRequest(QueueUrl: Self.url, Entries: [
            SendMessageBatchRequestEntry(Id: "a", MessageBody: ""), SendMessageBatchRequestEntry(Id: "b", MessageBody: "b")]))
        _ = try await sqs.changeMessageVisibilityBatch(ChangeMessageVisibilityBatchRequest(QueueUrl: Self.url, Entries: [
            ChangeMessageVisibilityBatchRequestEntry(Id: "a", ReceiptHandle: "r", VisibilityTimeout: 43_201)]))
        #expect(stub.requests.count == 2)
    }

    /// The helpers split any number of entries into requests of ≤ 10 entries and ≤ 1 MiB.
    @Test func batchHelpersChunkByCountAndSize() async throws {
        let stub = StubServer([.json(#"{"Successful":[]}"#)])
        defer { stub.stop() }
        let sqs = stubClient(stub) { $0.verifyChecksums = false }
        _ = try await sqs.sendMessages(queueUrl: Self.url, bodies: (0..<23).map { "m\($0)" })
        #expect(stub.requests.count == 3)
        #expect(stub.requests.map { $0.components(separatedBy: "\"Id\"").count - 1 } == [10, 10, 3])
        _ = try await sqs.sendMessages(queueUrl: Self.url, bodies: Array(repeating: String(repeating: "x", count: 400_000), count: 5))
        #expect(stub.requests.count == 6)  // 2 + 2 + 1 bodies of 400 kB
        _ = try await sqs.deleteMessages(queueUrl: Self.url, receiptHandles: (0..<12).map { "rh\($0)" })
        #expect(stub.requests.count == 8)
    }
}
