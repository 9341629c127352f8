import Foundation
import SQSModel
import Testing
import WharfClient
import WharfTestSupport

/// The client against moto_server, an SQS emulator that is not Wharf.
@Suite(.enabled(if: executableOnPath("moto_server") != nil, "moto_server is not installed"))
struct MotoTests {
    @Test func createSendReceiveDelete() async throws {
        let moto = try await MotoProcess(binary: executableOnPath("moto_server")!)
        do {
            try await exercise(moto)
            await moto.stop()
        } catch {
            await moto.stop()
            throw error
        }
    }

    func exercise(_ moto: MotoProcess) async throws {
        var configuration = SQSClientConfiguration(region: "us-east-1", endpoint: moto.url,
                                                   credentials: StaticCredentialsProvider(accessKeyId: "testing", secretAccessKey: "testing"))
        configuration.environment = [:]
        let sqs = SQSClient(configuration: configuration)
        let url = try await sqs.createQueue(named: "moto-queue")
        #expect(try await sqs.queueURL(named: "moto-queue") == url)
        try await sqs.sendMessage("hello moto", to: url, messageAttributes: ["k": "v"])
        let batch = try await sqs.sendMessages(["b1", "b2"], to: url)
        #expect(batch.successful.count == 2)
        var received: [SQSMessage] = []
        for _ in 0..<5 where received.count < 3 {
            received += try await sqs.receiveMessages(from: url, maxMessages: 10, waitTimeSeconds: 1, messageAttributeNames: ["All"])
        }
        #expect(Set(received.map(\.body)) == ["hello moto", "b1", "b2"])
        #expect(received.first { $0.body == "hello moto" }?.messageAttributes["k"]?.stringValue == "v")
        try await sqs.deleteMessage(received[0].receiptHandle, from: url)
        let deleted = try await sqs.deleteMessages(received.dropFirst().map(\.receiptHandle), from: url)
        #expect(deleted.successful.count == 2)
        try await sqs.deleteQueue(url)
        let error = await #expect(throws: SQSClientError.self) { try await sqs.queueURL(named: "moto-queue") }
        #expect(error?.code == "AWS.SimpleQueueService.NonExistentQueue")
    }
}
