import Foundation
import SQSDigest
import SQSModel
import Testing
import WharfClient
import WharfTestSupport

/// Every operation against a live `wharf serve`.
@Suite struct LiveWharfTests {
    @Test func queueLifecycleAttributesAndTags() async throws {
        try await withWharf { server in
            let sqs = server.client()
            let url = try await sqs.createQueue(named: "orders", attributes: ["DelaySeconds": "0"], tags: ["team": "a"])
            #expect(url.hasSuffix("/orders"))
            #expect(try await sqs.queueUrl(named: "orders") == url)
            let listed = try await sqs.listQueues(ListQueuesRequest(QueueNamePrefix: "ord"))
            #expect(listed.QueueUrls == [url])

            try await sqs.setQueueAttributes(SetQueueAttributesRequest(QueueUrl: url, Attributes: ["VisibilityTimeout": "45"]))
            let attributes = try await sqs.queueAttributes(queueUrl: url)
            #expect(attributes["VisibilityTimeout"] == "45")
            #expect(attributes["QueueArn"]?.hasSuffix(":orders") == true)

            try await sqs.tagQueue(TagQueueRequest(QueueUrl: url, Tags: ["env": "test"]))
            #expect(try await sqs.listQueueTags(ListQueueTagsRequest(QueueUrl: url)).Tags == ["team": "a", "env": "test"])
            try await sqs.untagQueue(UntagQueueRequest(QueueUrl: url, TagKeys: ["team"]))
            #expect(try await sqs.listQueueTags(ListQueueTagsRequest(QueueUrl: url)).Tags == ["env": "test"])

            try await sqs.deleteQueue(queueUrl: url)
            let error = await #expect(throws: SQSClientError.self) { try await sqs.queueUrl(named: "orders") }
            #expect(error?.code == "AWS.SimpleQueueService.NonExistentQueue")
            #expect(error?.httpStatus == 400)
            if case .service(let sqsError, let requestId) = error {
                #expect(sqsError.code == .queueDoesNotExist)
                #expect(requestId != nil)
            } else {
                Issue.record("expected a service error, got \(String(describing: error))")
            }
        }
    }

    @Test func messagesSingleAndBatched() async throws {
        try await withWharf { server in
            let sqs = server.client()
            let url = try await sqs.createQueue(named: "work")
            let attributes: MessageAttributes = [
                "City": MessageAttributeValue(dataType: "String", stringValue: "Any City"),
                "Blob": MessageAttributeValue(dataType: "Binary", binaryValue: Data([0, 1, 2])),
            ]
            // The client verifies MD5OfMessageBody and MD5OfMessageAttributes of each response.
            let sent = try await sqs.sendMessage(queueUrl: url, body: "first", attributes: attributes)
            #expect(sent.MD5OfMessageAttributes == MessageDigest.md5(ofAttributes: attributes))
            let batch = try await sqs.sendMessages(queueUrl: url, bodies: (0..<25).map { "body \($0)" })
            #expect(batch.successful.count == 25 && batch.failed.isEmpty)

            var received: [Message] = []
            while received.count < 26 {
                let page = try await sqs.receiveMessages(queueUrl: url, max: 10, wait: 1, visibility: 60,
                                                         systemAttributes: ["All"], messageAttributes: ["All"])
                try #require(!page.isEmpty)
                received += page
            }
            let first = try #require(received.first { $0.Body == "first" })
            #expect(first.MessageAttributes?["Blob"]?.BinaryValue == Data([0, 1, 2]))
            #expect(first.Attributes?["ApproximateReceiveCount"] == "1")

            try await sqs.changeMessageVisibility(queueUrl: url, receiptHandle: first.ReceiptHandle, timeout: 120)
            try await sqs.deleteMessage(queueUrl: url, receiptHandle: first.ReceiptHandle)
            let others = received.filter { $0.Body != "first" }.map(\.ReceiptHandle)
            let changed = try await sqs.changeMessageVisibilities(queueUrl: url, receiptHandles: others, visibilityTimeout: 90)
            #expect(changed.successful.count == 25 && changed.failed.isEmpty)
            let direct = try await sqs.changeMessageVisibilityBatch(ChangeMessageVisibilityBatchRequest(
                QueueUrl: url, Entries: [ChangeMessageVisibilityBatchRequestEntry(Id: "a", ReceiptHandle: others[0], VisibilityTimeout: 100),
                                         ChangeMessageVisibilityBatchRequestEntry(Id: "b", ReceiptHandle: "garbage", VisibilityTimeout: 100)]))
            #expect(direct.Successful.map(\.Id) == ["a"])
            #expect(direct.Failed?.map(\.Code) == ["ReceiptHandleIsInvalid"])
            let deleted = try await sqs.deleteMessages(queueUrl: url, receiptHandles: others)
            #expect(deleted.successful.count == 25 && deleted.failed.isEmpty)

            _ = try await sqs.sendMessageBatch(SendMessageBatchRequest(QueueUrl: url, Entries: [
                SendMessageBatchRequestEntry(Id: "x", MessageBody: "x"), SendMessageBatchRequestEntry(Id: "y", MessageBody: "y")]))
            try await sqs.purgeQueue(PurgeQueueRequest(QueueUrl: url))
            #expect(try await sqs.receiveMessages(queueUrl: url, max: 10, wait: 0).isEmpty)
        }
    }

    @Test func permissionsDeadLettersAndMoveTasks() async throws {
        try await withWharf { server in
            let sqs = server.client()
            let dlq = try await sqs.createQueue(named: "dead")
            let dlqArn = try #require(try await sqs.queueAttributes(queueUrl: dlq, names: ["QueueArn"])["QueueArn"])
            let redrive = #"{"deadLetterTargetArn":"\#(dlqArn)","maxReceiveCount":"3"}"#
            let source = try await sqs.createQueue(named: "live", attributes: ["RedrivePolicy": redrive])
            let sourceArn = try #require(try await sqs.queueAttributes(queueUrl: source, names: ["QueueArn"])["QueueArn"])
            #expect(try await sqs.listDeadLetterSourceQueues(ListDeadLetterSourceQueuesRequest(QueueUrl: dlq)).queueUrls == [source])

            try await sqs.addPermission(AddPermissionRequest(QueueUrl: source, Label: "partner",
                                                             AWSAccountIds: ["111122223333"], Actions: ["SendMessage"]))
            #expect(try await sqs.queueAttributes(queueUrl: source, names: ["Policy"])["Policy"]?.contains("partner") == true)
            try await sqs.removePermission(RemovePermissionRequest(QueueUrl: source, Label: "partner"))
            #expect(try await sqs.queueAttributes(queueUrl: source, names: ["Policy"])["Policy"]?.contains("partner") != true)

            _ = try await sqs.sendMessages(queueUrl: dlq, bodies: (0..<5).map { "dead \($0)" })
            let started = try await sqs.startMessageMoveTask(StartMessageMoveTaskRequest(
                SourceArn: dlqArn, DestinationArn: sourceArn, MaxNumberOfMessagesPerSecond: 1))
            let handle = try #require(started.TaskHandle)
            let tasks = try await sqs.listMessageMoveTasks(ListMessageMoveTasksRequest(SourceArn: dlqArn, MaxResults: 10))
            #expect(tasks.Results?.first?.TaskHandle == handle)
            #expect(tasks.Results?.first?.Status == "RUNNING")
            _ = try await sqs.cancelMessageMoveTask(CancelMessageMoveTaskRequest(TaskHandle: handle))
            let after = try await sqs.listMessageMoveTasks(ListMessageMoveTasksRequest(SourceArn: dlqArn, MaxResults: 10))
            #expect(["CANCELLING", "CANCELLED"].contains(after.Results?.first?.Status ?? ""))
        }
    }

    @Test func listQueuesFollowsNextToken() async throws {
        try await withWharf { server in
            let sqs = server.client()
            var expected: [String] = []
            for index in 0..<5 { expected.append(try await sqs.createQueue(named: "page-\(index)")) }
            _ = try await sqs.createQueue(named: "other")
            var seen: [String] = []
            for try await url in sqs.listQueues(prefix: "page-", pageSize: 2) { seen.append(url) }
            #expect(seen.sorted() == expected.sorted())
            // A page size of 2 really pages: the first call returns a token.
            let first = try await sqs.listQueues(ListQueuesRequest(QueueNamePrefix: "page-", MaxResults: 2))
            #expect(first.QueueUrls?.count == 2 && first.NextToken != nil)
        }
    }

    /// A long poll outlives the base timeout: the deadline is base + WaitTimeSeconds.
    @Test func longPollIsNotCutByTheBaseTimeout() async throws {
        try await withWharf { server in
            let sqs = server.client { $0.timeout = 1 }
            let url = try await sqs.createQueue(named: "quiet")
            let start = Date()
            let messages = try await sqs.receiveMessages(queueUrl: url, max: 1, wait: 2)
            #expect(messages.isEmpty)
            #expect(Date().timeIntervalSince(start) >= 1.9)
        }
    }

    /// Cancelling the calling task ends a long poll at once, with `.cancelled`.
    @Test func cancellationEndsALongPoll() async throws {
        try await withWharf { server in
            let sqs = server.client()
            let url = try await sqs.createQueue(named: "cancel-me")
            let start = Date()
            let poll = Task { try await sqs.receiveMessages(queueUrl: url, wait: 20) }
            try await Task.sleep(nanoseconds: 300_000_000)
            poll.cancel()
            let result = await poll.result
            guard case .failure(let error) = result, case .cancelled? = error as? SQSClientError else {
                Issue.record("expected .cancelled, got \(result)"); return
            }
            #expect(Date().timeIntervalSince(start) < 5)
        }
    }

    /// With `useQueueURLOrigin` queue-scoped calls go to the queue URL's host, even when the
    /// configured endpoint is dead.
    @Test func queueURLOrigin() async throws {
        try await withWharf { server in
            let url = try await server.client().createQueue(named: "elsewhere")
            let deadEndpoint = URL(string: "http://127.0.0.1:\(Sockets.freePort())")!
            let routed = server.client { $0.endpoint = deadEndpoint; $0.useQueueURLOrigin = true; $0.retry.maxAttempts = 1 }
            try await routed.sendMessage(queueUrl: url, body: "via origin")
            #expect(try await routed.receiveMessages(queueUrl: url, max: 1).first?.Body == "via origin")
            // Non-queue-scoped operations still use the endpoint.
            let error = await #expect(throws: SQSClientError.self) { try await routed.queueUrl(named: "elsewhere") }
            guard case .transport = error else { Issue.record("expected transport error, got \(String(describing: error))"); return }
        }
    }
}
