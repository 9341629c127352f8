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
        #expect(try await sqs.queueUrl(named: "moto-queue") == url)
        try await sqs.sendMessage(queueUrl: url, body: "hello moto",
                                  attributes: ["k": MessageAttributeValue(dataType: "String", stringValue: "v")])
        let batch = try await sqs.sendMessages(queueUrl: url, bodies: ["b1", "b2"])
        #expect(batch.successful.count == 2)
        var received: [Message] = []
        for _ in 0..<5 where received.count < 3 {
            received += try await sqs.receiveMessages(queueUrl: url, max: 10, wait: 1, messageAttributes: ["All"])
        }
        #expect(Set(received.map(\.Body)) == ["hello moto", "b1", "b2"])
        #expect(received.first { $0.Body == "hello moto" }?.MessageAttributes?["k"]?.StringValue == "v")
        try await sqs.deleteMessage(queueUrl: url, receiptHandle: received[0].ReceiptHandle)
        let deleted = try await sqs.deleteMessages(queueUrl: url, receiptHandles: received.dropFirst().map(\.ReceiptHandle))
        #expect(deleted.successful.count == 2)
        try await sqs.deleteQueue(queueUrl: url)
        let error = await #expect(throws: SQSClientError.self) { try await sqs.queueUrl(named: "moto-queue") }
        #expect(error?.code == "AWS.SimpleQueueService.NonExistentQueue")
    }
}
