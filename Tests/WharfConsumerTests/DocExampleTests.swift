import Foundation
import Testing
import WharfClient
import WharfConsumer
import WharfExpression
import WharfTestSupport

/// The README's Swift examples and those of WharfConsumer's documentation, compiled: each one
/// stands below, verbatim, in a function that is never called (they would run until stopped),
/// and the tests fail when the README or a doc comment holds a Swift block that is not here.
/// Change them and this file together.
@Suite struct DocExampleTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test func everySwiftBlockOfTheREADMEIsCompiledHere() throws {
        let readme = try String(contentsOf: Self.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let snippets = CodeSnippets.markdown(readme, origin: "README.md")
        #expect(snippets.count >= 3)
        let missing = CodeSnippets.missing(snippets, in: try String(contentsOfFile: #filePath, encoding: .utf8))
        #expect(missing.isEmpty, "README blocks not compiled in DocExampleTests.swift:\n\(missing.map(\.description).joined(separator: "\n\n"))")
    }

    @Test func everyDocumentationExampleOfTheConsumerIsCompiledHere() throws {
        let sources = Self.packageRoot.appendingPathComponent("Sources/WharfConsumer")
        var snippets: [CodeSnippets.Snippet] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: sources.path).sorted() where file.hasSuffix(".swift") {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            snippets += CodeSnippets.docComments(text, origin: "Sources/WharfConsumer/\(file)")
        }
        #expect(!snippets.isEmpty)
        let missing = CodeSnippets.missing(snippets, in: try String(contentsOfFile: #filePath, encoding: .utf8))
        #expect(missing.isEmpty, "examples not compiled in DocExampleTests.swift:\n\(missing.map(\.description).joined(separator: "\n\n"))")
    }
}

/// "A client in Swift".
private func clientInSwift() async throws {
    let sqs = SQSClient(region: "us-east-1", endpoint: URL(string: "http://localhost:9324"))
    let queueURL = try await sqs.createQueue(named: "jobs", attributes: [.visibilityTimeout: "30"])
    try await sqs.sendMessage("hello", to: queueURL, messageAttributes: ["kind": .string("greeting")])
    for message in try await sqs.receiveMessages(from: queueURL, maxMessages: 10, waitTimeSeconds: 10,
                                                 messageAttributeNames: ["All"]) {
        print(message.body, message.messageAttributes["kind"]?.stringValue ?? "-")
        try await sqs.deleteMessage(message.receiptHandle, from: queueURL)
    }
}

/// "A consumer in Swift", and its events.
private func consumerInSwift() async throws {
    let client = SQSClient(region: "us-east-1", endpoint: URL(string: "http://localhost:9324"))
    var configuration = ConsumerConfiguration(queue: "jobs")
    configuration.condition = try FEELExpression(parsing: #"=body.action = "labeled""#)
    let consumer = Consumer(client: client, configuration: configuration) { message in
        print("handling", message.messageId, message.body)   // throw to retry later
    }
    try await consumer.run()   // until consumer.stop() or cancellation; deletes what succeeded

    Task {
        for await event in consumer.events() {
            if case .failed(let failure) = event {   // message, cause, next (.released(delaySeconds:) …)
                alert("\(failure.message.messageId) failed: \(failure.cause); \(failure.next)")
            }
        }
    }
}

// MARK: WharfConsumer's documentation

/// Consumer.swift.
private func consumer() async throws {
    var configuration = ConsumerConfiguration(queue: "orders")
    configuration.concurrency = 32
    configuration.condition = try FEELExpression(parsing: #"=body.type = "order""#)
    let consumer = Consumer(client: SQSClient(), configuration: configuration) { message in
        try await ship(message.body)          // returning = success: the message is deleted
    }
    try await consumer.run()                  // until consumer.stop() or task cancellation
}

/// ConsumerConfiguration.swift.
private func consumerConfiguration() {
    var configuration = ConsumerConfiguration(queue: "orders")
    configuration.visibilityTimeout = 60
    configuration.systemAttributeNames = [.sentTimestamp]
    configuration.messageAttributeNames = ["tenant", "trace.*"]
    configuration.onFailure = .exponential(initialSeconds: 5, capSeconds: 300)
    configuration.failureJitter = 0.3
}

private func failurePolicy(configuration: inout ConsumerConfiguration) {
    configuration.onFailure = .releaseAfter(seconds: 30)
    configuration.onFailure = .exponential(initialSeconds: 5, multiplier: 2, capSeconds: 600)   // 5, 10, 20 … s
}

/// ConsumerMessage.swift.
private func consumerMessage(sqs: SQSClient) {
    let consumer = Consumer(client: sqs, configuration: ConsumerConfiguration(queue: "orders")) { message in
        print(message.messageId, message.receiveCount, message.body["total"] ?? .null)
        print(message.message.messageAttributes["tenant"]?.stringValue ?? "-")   // the SQSMessage received
    }
    _ = consumer
}

private func batchResult(sqs: SQSClient) {
    let consumer = Consumer(client: sqs, configuration: ConsumerConfiguration(queue: "orders"), batchHandler: { batch in
        let invalid = batch.filter { $0.body["total"] == nil }
        return BatchResult(failedMessageIds: Set(invalid.map(\.messageId)))
    })
    _ = consumer
}

private func acknowledgement(sqs: SQSClient) {
    var configuration = ConsumerConfiguration(queue: "orders")
    configuration.acknowledgement = .manual
    let consumer = Consumer(client: sqs, configuration: configuration) { message in
        if message.body["ready"]?.isTrue == true {
            message.acknowledgement.delete()
        } else {
            await message.acknowledgement.release(afterSeconds: 60)   // again in a minute
        }
    }
    _ = consumer
}

private func alert(_ text: String) {}
private func ship(_ body: FEELValue) async throws {}
