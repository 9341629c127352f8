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
            let url = try await sqs.createQueue(named: "orders", attributes: [.delaySeconds: "0"], tags: ["team": "a"])
            #expect(url.hasSuffix("/orders"))
            #expect(try await sqs.queueURL(named: "orders") == url)
            #expect(try await sqs.listQueues(prefix: "ord").collect() == [url])

            try await sqs.setQueueAttributes([.visibilityTimeout: "45"], of: url)
            let attributes = try await sqs.queueAttributes(of: url)
            #expect(attributes[.visibilityTimeout] == "45")
            #expect(attributes[.queueARN]?.hasSuffix(":orders") == true)
            #expect(try await sqs.queueAttributes(of: url, names: [.delaySeconds]) == [.delaySeconds: "0"])

            try await sqs.tagQueue(url, with: ["env": "test"])
            #expect(try await sqs.queueTags(of: url) == ["team": "a", "env": "test"])
            try await sqs.untagQueue(url, removing: ["team"])
            #expect(try await sqs.queueTags(of: url) == ["env": "test"])

            try await sqs.deleteQueue(url)
            let error = await #expect(throws: SQSClientError.self) { try await sqs.queueURL(named: "orders") }
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
            // The client verifies MD5OfMessageBody and MD5OfMessageAttributes of each response.
            let sent = try await sqs.sendMessage("first", to: url, messageAttributes: [
                "City": .string("Any City"), "Blob": .binary(Data([0, 1, 2])), "Count": .number(42, customType: "int")])
            #expect(sent.md5OfBody == MessageDigest.md5(ofBody: "first"))
            #expect(sent.md5OfMessageAttributes == MessageDigest.md5(ofAttributes: [
                "City": MessageAttributeValue(dataType: "String", stringValue: "Any City"),
                "Blob": MessageAttributeValue(dataType: "Binary", binaryValue: Data([0, 1, 2])),
                "Count": MessageAttributeValue(dataType: "Number.int", stringValue: "42")]))
            let batch = try await sqs.sendMessages((0..<25).map { "body \($0)" }, to: url)
            #expect(batch.successful.map(\.index).sorted() == Array(0..<25) && batch.failed.isEmpty)
            #expect(Set(batch.successful.map(\.result.messageId)).count == 25)

            var received: [SQSMessage] = []
            while received.count < 26 {
                let page = try await sqs.receiveMessages(from: url, maxMessages: 10, waitTimeSeconds: 1, visibilityTimeout: 60,
                                                         systemAttributeNames: [.all], messageAttributeNames: ["All"])
                try #require(!page.isEmpty)
                received += page
            }
            let first = try #require(received.first { $0.body == "first" })
            #expect(first.id == sent.messageId)
            #expect(first.messageAttributes["Blob"]?.binaryValue == Data([0, 1, 2]))
            #expect(first.messageAttributes["Count"] == .number("42", customType: "int"))
            #expect(first.attributes[.approximateReceiveCount] == "1" && first.receiveCount == 1)
            #expect(first.sentAt.map { abs($0.timeIntervalSinceNow) < 60 } == true)
            #expect(first.groupId == nil)

            try await sqs.changeMessageVisibility(first.receiptHandle, in: url, visibilityTimeout: 120)
            try await sqs.deleteMessage(first.receiptHandle, from: url)
            let others = received.filter { $0.body != "first" }.map(\.receiptHandle)
            let changed = try await sqs.changeMessageVisibilities(others, in: url, visibilityTimeout: 90)
            #expect(changed.successful.count == 25 && changed.failed.isEmpty)
            let direct = try await sqs.changeMessageVisibilities([
                VisibilityChange(receiptHandle: others[0], visibilityTimeout: 100),
                VisibilityChange(receiptHandle: "garbage", visibilityTimeout: 100)], in: url)
            #expect(direct.successful == [0])
            #expect(direct.failed.map(\.code) == ["ReceiptHandleIsInvalid"] && direct.failed.map(\.index) == [1])
            #expect(direct.failed.first?.senderFault == true)
            let deleted = try await sqs.deleteMessages(others, from: url)
            #expect(deleted.successful.count == 25 && deleted.failed.isEmpty)

            _ = try await sqs.sendMessages([OutgoingMessage(body: "x"), OutgoingMessage(body: "y", delaySeconds: 1)], to: url)
            try await sqs.purgeQueue(url)
            #expect(try await sqs.receiveMessages(from: url, maxMessages: 10, waitTimeSeconds: 0).isEmpty)
        }
    }

    @Test func fifoSendsCarryGroupsAndSequenceNumbers() async throws {
        try await withWharf { server in
            let sqs = server.client()
            let url = try await sqs.createQueue(named: "steps.fifo", attributes: [.fifoQueue: "true"])
            let first = try await sqs.sendMessage("step 1", to: url, groupId: "job", deduplicationId: "job-1")
            let outcome = try await sqs.sendMessages([OutgoingMessage(body: "step 2", groupId: "job", deduplicationId: "job-2")], to: url)
            let second = try #require(outcome.successful.first?.result)
            #expect(first.sequenceNumber != nil && second.sequenceNumber != nil && first.sequenceNumber != second.sequenceNumber)
            let messages = try await sqs.receiveMessages(from: url, maxMessages: 10, waitTimeSeconds: 1,
                                                         systemAttributeNames: [.messageGroupId, .sequenceNumber])
            #expect(messages.map(\.body) == ["step 1", "step 2"])
            #expect(messages.map(\.groupId) == ["job", "job"])
            #expect(messages.first?.attributes[.sequenceNumber] == first.sequenceNumber)
        }
    }

    @Test func permissionsDeadLettersAndMoveTasks() async throws {
        try await withWharf { server in
            let sqs = server.client()
            let dlq = try await sqs.createQueue(named: "dead")
            let dlqArn = try #require(try await sqs.queueAttributes(of: dlq, names: [.queueARN])[.queueARN])
            let redrive = #"{"deadLetterTargetArn":"\#(dlqArn)","maxReceiveCount":"3"}"#
            let source = try await sqs.createQueue(named: "live", attributes: [.redrivePolicy: redrive])
            let sourceArn = try #require(try await sqs.queueAttributes(of: source, names: [.queueARN])[.queueARN])
            #expect(try await sqs.listDeadLetterSourceQueues(of: dlq).collect() == [source])

            try await sqs.addPermission("partner", to: source, accountIds: ["111122223333"], actions: ["SendMessage"])
            #expect(try await sqs.queueAttributes(of: source, names: [.policy])[.policy]?.contains("partner") == true)
            try await sqs.removePermission("partner", from: source)
            #expect(try await sqs.queueAttributes(of: source, names: [.policy])[.policy]?.contains("partner") != true)

            _ = try await sqs.sendMessages((0..<5).map { "dead \($0)" }, to: dlq)
            let handle = try await sqs.startMessageMoveTask(sourceARN: dlqArn, destinationARN: sourceArn,
                                                            maxNumberOfMessagesPerSecond: 1)
            let task = try #require(try await sqs.listMessageMoveTasks(sourceARN: dlqArn).first)
            #expect(task.taskHandle == handle && task.status == .running)
            #expect(task.sourceARN == dlqArn && task.destinationARN == sourceArn && task.maxNumberOfMessagesPerSecond == 1)
            #expect(task.approximateNumberOfMessagesToMove == 5)
            #expect(task.startedAt.map { abs($0.timeIntervalSinceNow) < 60 } == true)
            _ = try await sqs.cancelMessageMoveTask(handle)
            let after = try await sqs.listMessageMoveTasks(sourceARN: dlqArn, maxResults: 10)
            #expect([.cancelling, .cancelled].contains(after.first?.status))
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
            let first = try await sqs.listQueuesPage(prefix: "page-", maxResults: 2)
            #expect(first.urls.count == 2 && first.nextToken != nil)
        }
    }

    /// A long poll outlives the base timeout: the deadline is base + WaitTimeSeconds.
    @Test func longPollIsNotCutByTheBaseTimeout() async throws {
        try await withWharf { server in
            let sqs = server.client { $0.timeout = 1 }
            let url = try await sqs.createQueue(named: "quiet")
            let start = Date()
            let messages = try await sqs.receiveMessages(from: url, maxMessages: 1, waitTimeSeconds: 2)
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
            let poll = Task { try await sqs.receiveMessages(from: url, waitTimeSeconds: 20) }
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
            try await routed.sendMessage("via origin", to: url)
            #expect(try await routed.receiveMessages(from: url).first?.body == "via origin")
            // Non-queue-scoped operations still use the endpoint.
            let error = await #expect(throws: SQSClientError.self) { try await routed.queueURL(named: "elsewhere") }
            guard case .transport = error else { Issue.record("expected transport error, got \(String(describing: error))"); return }
        }
    }
}
