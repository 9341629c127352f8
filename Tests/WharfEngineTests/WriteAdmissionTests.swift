import SQSModel
import Synchronization
import Testing
import WharfEngine

/// While the store's admission refuses growing writes (a SQLite node below its disk
/// watermark): sends, new queues, attributes, tags and permissions get a retryable 503 with
/// the reason; everything that drains a queue keeps working; the refusal lifts by itself.
@Suite struct WriteAdmissionTests {
    final class Switch: WriteAdmission {
        let refusing = Atomic<Bool>(false)
        func refusalReason() -> String? {
            refusing.load(ordering: .relaxed) ? "The server's disk is below its free-space watermark" : nil
        }
    }

    func expectRefused(_ what: String, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("\(what) was admitted")
        } catch let error as SQSError {
            #expect(error.httpStatus == 503, "\(what)")
            #expect(error.code == .serviceUnavailable, "\(what)")
            #expect(error.message.contains("watermark"), "\(what)")
        } catch {
            Issue.record("\(what): \(error)")
        }
    }

    @Test func growingWritesAreRefusedAndDrainingGoesOn() async throws {
        let gate = Switch()
        let h = try await Harness(admission: gate)
        let url = try await h.createQueue("drain")
        for n in 0..<4 { try await h.send(url, "m\(n)") }
        gate.refusing.store(true, ordering: .relaxed)

        await expectRefused("SendMessage") { try await h.send(url, "more") }
        await expectRefused("SendMessageBatch") {
            _ = try await h.engine.sendMessageBatch(SendMessageBatchRequest(
                QueueUrl: url, Entries: [SendMessageBatchRequestEntry(Id: "a", MessageBody: "x")]), ctx)
        }
        await expectRefused("CreateQueue") { try await h.createQueue("new") }
        await expectRefused("SetQueueAttributes") {
            _ = try await h.engine.setQueueAttributes(
                SetQueueAttributesRequest(QueueUrl: url, Attributes: ["VisibilityTimeout": "60"]), ctx)
        }
        await expectRefused("TagQueue") {
            _ = try await h.engine.tagQueue(TagQueueRequest(QueueUrl: url, Tags: ["team": "a"]), ctx)
        }
        await expectRefused("AddPermission") {
            _ = try await h.engine.addPermission(AddPermissionRequest(
                QueueUrl: url, Label: "l", AWSAccountIds: ["111111111111"], Actions: ["SendMessage"]), ctx)
        }
        // An existing queue is still answered: CreateQueue is idempotent, and declared queues
        // must not keep a node from starting.
        #expect(try await h.createQueue("drain") == url)

        // Draining: receive, change visibility, delete (single and batch), purge, delete queue.
        let first = try await h.receive(url, max: 2)
        #expect(first.count == 2)
        _ = try await h.engine.changeMessageVisibility(
            ChangeMessageVisibilityRequest(QueueUrl: url, ReceiptHandle: first[0].ReceiptHandle, VisibilityTimeout: 0), ctx)
        _ = try await h.engine.deleteMessage(DeleteMessageRequest(QueueUrl: url, ReceiptHandle: first[1].ReceiptHandle), ctx)
        let rest = try await h.receive(url, max: 10)
        let deleted = try await h.engine.deleteMessageBatch(DeleteMessageBatchRequest(
            QueueUrl: url, Entries: rest.enumerated().map {
                DeleteMessageBatchRequestEntry(Id: "d\($0.offset)", ReceiptHandle: $0.element.ReceiptHandle)
            }), ctx)
        #expect(deleted.Successful.count == 3)
        #expect(await h.engine.isReady() == false)
        #expect(await h.engine.notReadyReason()?.contains("watermark") == true)
        _ = try await h.engine.purgeQueue(PurgeQueueRequest(QueueUrl: url), ctx)
        _ = try await h.engine.deleteQueue(DeleteQueueRequest(QueueUrl: url), ctx)

        // Above the watermark again: everything resumes, without a restart.
        gate.refusing.store(false, ordering: .relaxed)
        let again = try await h.createQueue("again")
        try await h.send(again, "resumed")
        #expect(try await h.receive(again).map(\.Body) == ["resumed"])
        #expect(await h.engine.isReady())
    }
}
