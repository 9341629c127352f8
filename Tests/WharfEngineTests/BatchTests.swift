import Foundation
import SQSDigest
import SQSModel
import Testing
import WharfEngine

/// SendMessageBatch, DeleteMessageBatch, ChangeMessageVisibilityBatch (docs/sqs-behaviour.md#batches).
@Suite struct BatchTests {
    func sendBatch(_ h: Harness, _ url: String, _ entries: [SendMessageBatchRequestEntry]) async throws -> SendMessageBatchResponse {
        try await h.engine.sendMessageBatch(SendMessageBatchRequest(QueueUrl: url, Entries: entries), ctx)
    }

    @Test func sendBatchWithPerEntryFailures() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("batch", ["MaximumMessageSize": "1024"])
        let response = try await sendBatch(h, url, [
            SendMessageBatchRequestEntry(Id: "ok1", MessageBody: "one"),
            SendMessageBatchRequestEntry(Id: "badchars", MessageBody: "bad\u{0}"),
            SendMessageBatchRequestEntry(Id: "toobig", MessageBody: String(repeating: "x", count: 1025)),
            SendMessageBatchRequestEntry(Id: "ok2", MessageBody: "two", MessageAttributes: ["Foo": string("Bar")]),
            SendMessageBatchRequestEntry(Id: "badattr", MessageBody: "b", MessageAttributes: ["AWS.x": string("v")]),
        ])
        #expect(response.Successful.map(\.Id) == ["ok1", "ok2"])
        let ok1 = try #require(response.Successful.first { $0.Id == "ok1" })
        #expect(ok1.MD5OfMessageBody == MessageDigest.md5(ofBody: "one"))
        #expect(ok1.MD5OfMessageAttributes == nil)
        let ok2 = try #require(response.Successful.first { $0.Id == "ok2" })
        #expect(ok2.MD5OfMessageAttributes == "ae7155c6026991b6d54b11589678bf9c")
        #expect(ok1.MessageId != ok2.MessageId)

        let failed = try #require(response.Failed)
        #expect(failed.map(\.Id) == ["badchars", "toobig", "badattr"])
        #expect(failed.allSatisfy { $0.SenderFault })
        #expect(failed[0].Code == "InvalidMessageContents")
        #expect(failed[1].Code == "InvalidParameterValue")
        #expect(failed[1].Message == "One or more parameters cannot be validated. Reason: Message must be shorter than 1024 bytes.")
        #expect(failed[2].Code == "InvalidParameterValue")

        let got = try await h.receive(url, max: 10)
        #expect(Set(got.map(\.Body)) == ["one", "two"])
    }

    @Test func perEntryDelayOutOfRangeFailsOnlyThatEntry() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("bdelay")
        let response = try await sendBatch(h, url, [
            SendMessageBatchRequestEntry(Id: "ok", MessageBody: "a", DelaySeconds: 900),
            SendMessageBatchRequestEntry(Id: "bad", MessageBody: "b", DelaySeconds: 901),
            SendMessageBatchRequestEntry(Id: "empty", MessageBody: ""),
        ])
        #expect(response.Successful.map(\.Id) == ["ok"])
        #expect(response.Failed?.map(\.Id) == ["bad", "empty"])
        #expect(response.Failed?.map(\.Code) == ["InvalidParameterValue", "MissingParameter"])
        #expect(try await h.counts(url) == (0, 0, 1))
    }

    @Test func allSucceedHasNoFailedList() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("allok")
        let entries = (0..<10).map { SendMessageBatchRequestEntry(Id: "e\($0)", MessageBody: "m\($0)", DelaySeconds: $0 == 9 ? 30 : nil) }
        let response = try await sendBatch(h, url, entries)
        #expect(response.Successful.count == 10)
        #expect(response.Failed == nil)
        #expect(try await h.counts(url) == (9, 0, 1))
    }

    @Test func emptyBatch() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("emptyb")
        await expectSQSError("AWS.SimpleQueueService.EmptyBatchRequest") { _ = try await sendBatch(h, url, []) }
        await expectSQSError("AWS.SimpleQueueService.EmptyBatchRequest") {
            _ = try await h.engine.deleteMessageBatch(DeleteMessageBatchRequest(QueueUrl: url, Entries: []), ctx)
        }
        await expectSQSError("AWS.SimpleQueueService.EmptyBatchRequest") {
            _ = try await h.engine.changeMessageVisibilityBatch(ChangeMessageVisibilityBatchRequest(QueueUrl: url, Entries: []), ctx)
        }
    }

    @Test func tooManyEntries() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("many")
        let entries = (0..<20).map { SendMessageBatchRequestEntry(Id: "e\($0)", MessageBody: "m") }
        await expectSQSError("AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
                             message: "Maximum number of entries per request are 10. You have sent 20.") {
            _ = try await sendBatch(h, url, entries)
        }
        let deletes = (0..<11).map { DeleteMessageBatchRequestEntry(Id: "d\($0)", ReceiptHandle: "x") }
        await expectSQSError("AWS.SimpleQueueService.TooManyEntriesInBatchRequest") {
            _ = try await h.engine.deleteMessageBatch(DeleteMessageBatchRequest(QueueUrl: url, Entries: deletes), ctx)
        }
        #expect(try await h.counts(url).0 == 0)
    }

    @Test func idsNotDistinct() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("dups")
        let error = await sqsError {
            _ = try await sendBatch(h, url, [
                SendMessageBatchRequestEntry(Id: "same", MessageBody: "a"),
                SendMessageBatchRequestEntry(Id: "same", MessageBody: "b"),
            ])
        }
        #expect(error?.queryCode == "AWS.SimpleQueueService.BatchEntryIdsNotDistinct")
        #expect(error?.httpStatus == 400)
        await expectSQSError("AWS.SimpleQueueService.BatchEntryIdsNotDistinct") {
            _ = try await h.engine.changeMessageVisibilityBatch(ChangeMessageVisibilityBatchRequest(QueueUrl: url, Entries: [
                ChangeMessageVisibilityBatchRequestEntry(Id: "x", ReceiptHandle: "h", VisibilityTimeout: 1),
                ChangeMessageVisibilityBatchRequestEntry(Id: "x", ReceiptHandle: "h", VisibilityTimeout: 1),
            ]), ctx)
        }
        #expect(try await h.counts(url).0 == 0)
    }

    @Test(arguments: ["", "invalid:id", "has space", String(repeating: "i", count: 81), String(repeating: "i", count: 100)])
    func invalidEntryIds(_ id: String) async throws {
        let h = try await Harness()
        let url = try await h.createQueue("ids")
        await expectSQSError(
            "AWS.SimpleQueueService.InvalidBatchEntryId",
            message: "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.") {
            _ = try await sendBatch(h, url, [SendMessageBatchRequestEntry(Id: id, MessageBody: "a")])
        }
    }

    @Test func longestValidEntryId() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("longid")
        let response = try await sendBatch(h, url, [
            SendMessageBatchRequestEntry(Id: String(repeating: "i", count: 80), MessageBody: "a"),
            SendMessageBatchRequestEntry(Id: "A-z_0-9", MessageBody: "b"),
        ])
        #expect(response.Successful.count == 2)
    }

    @Test func batchRequestTooLong() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("toolong")
        await expectSQSError(
            "AWS.SimpleQueueService.BatchRequestTooLong",
            message: "Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.") {
            _ = try await sendBatch(h, url, [
                SendMessageBatchRequestEntry(Id: "a", MessageBody: String(repeating: "a", count: 524_288)),
                SendMessageBatchRequestEntry(Id: "b", MessageBody: String(repeating: "b", count: 524_289)),
            ])
        }
        #expect(try await h.counts(url).0 == 0)
        // Exactly the limit is fine.
        let ok = try await sendBatch(h, url, [
            SendMessageBatchRequestEntry(Id: "a", MessageBody: String(repeating: "a", count: 524_288)),
            SendMessageBatchRequestEntry(Id: "b", MessageBody: String(repeating: "b", count: 524_288)),
        ])
        #expect(ok.Successful.count == 2)
    }

    @Test func deleteBatchWithABadHandle() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("delbatch")
        for i in 0..<3 { try await h.send(url, "m\(i)") }
        let got = try await h.receive(url, max: 10)
        #expect(got.count == 3)
        let response = try await h.engine.deleteMessageBatch(DeleteMessageBatchRequest(QueueUrl: url, Entries: [
            DeleteMessageBatchRequestEntry(Id: "a", ReceiptHandle: got[0].ReceiptHandle),
            DeleteMessageBatchRequestEntry(Id: "bad", ReceiptHandle: "garbage"),
            DeleteMessageBatchRequestEntry(Id: "b", ReceiptHandle: got[1].ReceiptHandle),
        ]), ctx)
        #expect(response.Successful.map(\.Id) == ["a", "b"])
        let failed = try #require(response.Failed)
        #expect(failed.count == 1)
        #expect(failed[0].Id == "bad")
        #expect(failed[0].Code == "ReceiptHandleIsInvalid")
        #expect(failed[0].SenderFault)
        #expect(try await h.counts(url) == (0, 1, 0))
    }

    @Test func changeVisibilityBatch() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("cmvbatch")
        for i in 0..<3 { try await h.send(url, "m\(i)") }
        let got = try await h.receive(url, max: 10)
        #expect(got.count == 3)
        try await h.delete(url, got[2].ReceiptHandle)
        let response = try await h.engine.changeMessageVisibilityBatch(ChangeMessageVisibilityBatchRequest(QueueUrl: url, Entries: [
            ChangeMessageVisibilityBatchRequestEntry(Id: "zero", ReceiptHandle: got[0].ReceiptHandle, VisibilityTimeout: 0),
            ChangeMessageVisibilityBatchRequestEntry(Id: "long", ReceiptHandle: got[1].ReceiptHandle, VisibilityTimeout: 600),
            ChangeMessageVisibilityBatchRequestEntry(Id: "deleted", ReceiptHandle: got[2].ReceiptHandle, VisibilityTimeout: 0),
            ChangeMessageVisibilityBatchRequestEntry(Id: "garbage", ReceiptHandle: "garbage", VisibilityTimeout: 0),
            ChangeMessageVisibilityBatchRequestEntry(Id: "range", ReceiptHandle: got[1].ReceiptHandle, VisibilityTimeout: 43201),
        ]), ctx)
        #expect(response.Successful.map(\.Id) == ["zero", "long"])
        let failed = try #require(response.Failed)
        #expect(failed.map(\.Id) == ["deleted", "garbage", "range"])
        #expect(failed.map(\.Code) == ["InvalidParameterValue", "ReceiptHandleIsInvalid", "InvalidParameterValue"])
        #expect(failed.allSatisfy { $0.SenderFault })
        let visible = try await h.receive(url, max: 10)
        #expect(visible.map(\.MessageId) == [got[0].MessageId])
        try await h.delete(url, visible[0].ReceiptHandle)
        h.clock.advance(bySeconds: 600)
        #expect(try await h.receive(url, max: 10).map(\.MessageId) == [got[1].MessageId])
    }
}
