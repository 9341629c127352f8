import SQSModel

// Messages one at a time: send, receive, delete, change visibility. The batch helpers, for
// any number of messages, are in SQSClient+Batch.swift.
extension SQSClient {
    /// Sends a message and returns its id. The client checks the MD5s SQS answers against
    /// the body and attributes it sent.
    ///
    /// ```swift
    /// try await sqs.sendMessage("hello", to: queueURL)
    /// try await sqs.sendMessage(#"{"id": 7}"#, to: queueURL, delaySeconds: 30, messageAttributes: ["kind": "order"])
    /// try await sqs.sendMessage("step 1", to: fifoQueueURL, groupId: "job-9", deduplicationId: "job-9-step-1")
    /// ```
    /// - Parameters:
    ///   - delaySeconds: 0...900 seconds before it can be received; nil: the queue's DelaySeconds.
    ///   - groupId: `MessageGroupId`, required on FIFO queues.
    ///   - deduplicationId: `MessageDeduplicationId` (FIFO), unless the queue deduplicates by content.
    ///   - systemAttributes: only `.awsTraceHeader` is accepted by SQS.
    @discardableResult
    public func sendMessage(_ body: String, to queueURL: String, delaySeconds: Int? = nil, groupId: String? = nil,
                            deduplicationId: String? = nil, messageAttributes: [String: MessageAttribute] = [:],
                            systemAttributes: [MessageSystemAttributeName: MessageAttribute] = [:]) async throws(SQSClientError) -> SendResult {
        try await sendMessage(OutgoingMessage(body: body, delaySeconds: delaySeconds, groupId: groupId,
                                              deduplicationId: deduplicationId, messageAttributes: messageAttributes,
                                              systemAttributes: systemAttributes), to: queueURL)
    }

    /// Sends a message described by an `OutgoingMessage`.
    @discardableResult
    public func sendMessage(_ message: OutgoingMessage, to queueURL: String) async throws(SQSClientError) -> SendResult {
        SendResult(try await perform(SendMessageRequest(message, queueURL: queueURL), returning: SendMessageResponse.self))
    }

    /// Receives up to `maxMessages` messages, waiting up to `waitTimeSeconds` for the first
    /// one. An empty array means none came in time.
    ///
    /// ```swift
    /// let messages = try await sqs.receiveMessages(from: queueURL, maxMessages: 10, waitTimeSeconds: 20,
    ///                                              systemAttributeNames: [.approximateReceiveCount])
    /// for message in messages {
    ///     print(message.body)
    ///     try await sqs.deleteMessage(message.receiptHandle, from: queueURL)
    /// }
    /// ```
    /// - Parameters:
    ///   - maxMessages: 1...10.
    ///   - waitTimeSeconds: 0...20 (a long poll); nil: the queue's ReceiveMessageWaitTimeSeconds.
    ///     The attempt's deadline is the configured timeout plus this wait.
    ///   - visibilityTimeout: 0...43200 seconds the messages stay invisible to other receives;
    ///     nil: the queue's VisibilityTimeout.
    ///   - systemAttributeNames: the system attributes to return in `SQSMessage.attributes`
    ///     (`[.all]` for all). Sent both as MessageSystemAttributeNames and as the older
    ///     AttributeNames, so that servers that know only the latter return them too.
    ///   - messageAttributeNames: the message attributes to return: names, `prefix.*`, or `All`.
    ///   - receiveRequestAttemptId: FIFO: retrying a receive with the same id returns the same
    ///     messages, within five minutes.
    public func receiveMessages(from queueURL: String, maxMessages: Int = 1, waitTimeSeconds: Int? = nil,
                                visibilityTimeout: Int? = nil, systemAttributeNames: [MessageSystemAttributeName] = [],
                                messageAttributeNames: [String] = [],
                                receiveRequestAttemptId: String? = nil) async throws(SQSClientError) -> [SQSMessage] {
        let systemNames = systemAttributeNames.isEmpty ? nil : systemAttributeNames.map(\.rawValue)
        let request = ReceiveMessageRequest(
            QueueUrl: queueURL, AttributeNames: systemNames, MessageSystemAttributeNames: systemNames,
            MessageAttributeNames: messageAttributeNames.isEmpty ? nil : messageAttributeNames,
            MaxNumberOfMessages: maxMessages, VisibilityTimeout: visibilityTimeout, WaitTimeSeconds: waitTimeSeconds,
            ReceiveRequestAttemptId: receiveRequestAttemptId)
        return (try await perform(request, returning: ReceiveMessageResponse.self).Messages ?? []).map(SQSMessage.init)
    }

    /// Deletes a received message, by the receipt handle of its delivery.
    ///
    /// ```swift
    /// try await sqs.deleteMessage(message.receiptHandle, from: queueURL)
    /// ```
    public func deleteMessage(_ receiptHandle: String, from queueURL: String) async throws(SQSClientError) {
        let request = DeleteMessageRequest(QueueUrl: queueURL, ReceiptHandle: receiptHandle)
        _ = try await perform(request, returning: EmptyResponse.self)
    }

    /// Makes a received message visible again after `visibilityTimeout` seconds from now
    /// (0...43200; 0 releases it at once), to get more time or to give it back.
    ///
    /// ```swift
    /// try await sqs.changeMessageVisibility(message.receiptHandle, in: queueURL, visibilityTimeout: 300)
    /// ```
    public func changeMessageVisibility(_ receiptHandle: String, in queueURL: String,
                                        visibilityTimeout: Int) async throws(SQSClientError) {
        let request = ChangeMessageVisibilityRequest(QueueUrl: queueURL, ReceiptHandle: receiptHandle,
                                                     VisibilityTimeout: visibilityTimeout)
        _ = try await perform(request, returning: EmptyResponse.self)
    }
}
