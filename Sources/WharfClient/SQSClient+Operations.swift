import SQSModel

// The 23 operations of the SQS API, one typed call each. Operations without an output shape
// return nothing.
extension SQSClient {
    // MARK: Queues

    public func createQueue(_ request: CreateQueueRequest) async throws(SQSClientError) -> CreateQueueResponse {
        try await perform(request)
    }
    public func getQueueUrl(_ request: GetQueueUrlRequest) async throws(SQSClientError) -> GetQueueUrlResponse {
        try await perform(request)
    }
    public func listQueues(_ request: ListQueuesRequest) async throws(SQSClientError) -> ListQueuesResponse {
        try await perform(request)
    }
    public func deleteQueue(_ request: DeleteQueueRequest) async throws(SQSClientError) {
        _ = try await perform(request, returning: EmptyResponse.self)
    }
    public func purgeQueue(_ request: PurgeQueueRequest) async throws(SQSClientError) {
        _ = try await perform(request, returning: EmptyResponse.self)
    }
    public func getQueueAttributes(_ request: GetQueueAttributesRequest) async throws(SQSClientError) -> GetQueueAttributesResponse {
        try await perform(request)
    }
    public func setQueueAttributes(_ request: SetQueueAttributesRequest) async throws(SQSClientError) {
        _ = try await perform(request, returning: EmptyResponse.self)
    }
    public func tagQueue(_ request: TagQueueRequest) async throws(SQSClientError) {
        _ = try await perform(request, returning: EmptyResponse.self)
    }
    public func untagQueue(_ request: UntagQueueRequest) async throws(SQSClientError) {
        _ = try await perform(request, returning: EmptyResponse.self)
    }
    public func listQueueTags(_ request: ListQueueTagsRequest) async throws(SQSClientError) -> ListQueueTagsResponse {
        try await perform(request)
    }
    public func addPermission(_ request: AddPermissionRequest) async throws(SQSClientError) {
        _ = try await perform(request, returning: EmptyResponse.self)
    }
    public func removePermission(_ request: RemovePermissionRequest) async throws(SQSClientError) {
        _ = try await perform(request, returning: EmptyResponse.self)
    }
    public func listDeadLetterSourceQueues(_ request: ListDeadLetterSourceQueuesRequest) async throws(SQSClientError) -> ListDeadLetterSourceQueuesResponse {
        try await perform(request)
    }

    // MARK: Messages

    /// Verifies MD5OfMessageBody (and MD5OfMessageAttributes) of the response.
    public func sendMessage(_ request: SendMessageRequest) async throws(SQSClientError) -> SendMessageResponse {
        try await perform(request)
    }
    /// At most 10 entries; see `sendMessages(queueUrl:entries:)` for any number.
    public func sendMessageBatch(_ request: SendMessageBatchRequest) async throws(SQSClientError) -> SendMessageBatchResponse {
        try await perform(request)
    }
    /// The attempt's deadline is the base timeout plus WaitTimeSeconds. Verifies MD5OfBody
    /// and MD5OfMessageAttributes of every message.
    public func receiveMessage(_ request: ReceiveMessageRequest) async throws(SQSClientError) -> ReceiveMessageResponse {
        try await perform(request)
    }
    public func deleteMessage(_ request: DeleteMessageRequest) async throws(SQSClientError) {
        _ = try await perform(request, returning: EmptyResponse.self)
    }
    public func deleteMessageBatch(_ request: DeleteMessageBatchRequest) async throws(SQSClientError) -> DeleteMessageBatchResponse {
        try await perform(request)
    }
    public func changeMessageVisibility(_ request: ChangeMessageVisibilityRequest) async throws(SQSClientError) {
        _ = try await perform(request, returning: EmptyResponse.self)
    }
    public func changeMessageVisibilityBatch(_ request: ChangeMessageVisibilityBatchRequest) async throws(SQSClientError) -> ChangeMessageVisibilityBatchResponse {
        try await perform(request)
    }

    // MARK: Dead-letter redrive

    public func startMessageMoveTask(_ request: StartMessageMoveTaskRequest) async throws(SQSClientError) -> StartMessageMoveTaskResponse {
        try await perform(request)
    }
    public func cancelMessageMoveTask(_ request: CancelMessageMoveTaskRequest) async throws(SQSClientError) -> CancelMessageMoveTaskResponse {
        try await perform(request)
    }
    public func listMessageMoveTasks(_ request: ListMessageMoveTasksRequest) async throws(SQSClientError) -> ListMessageMoveTasksResponse {
        try await perform(request)
    }
}

// Shorthands for the everyday calls.
extension SQSClient {
    public func queueUrl(named name: String, ownerAccountId: String? = nil) async throws(SQSClientError) -> String {
        try await getQueueUrl(GetQueueUrlRequest(QueueName: name, QueueOwnerAWSAccountId: ownerAccountId)).QueueUrl
    }

    /// Returns the queue URL (also when the queue already exists with these attributes).
    public func createQueue(named name: String, attributes: [String: String]? = nil,
                            tags: [String: String]? = nil) async throws(SQSClientError) -> String {
        try await createQueue(CreateQueueRequest(QueueName: name, Attributes: attributes, tags: tags)).QueueUrl
    }

    public func deleteQueue(queueUrl: String) async throws(SQSClientError) {
        try await deleteQueue(DeleteQueueRequest(QueueUrl: queueUrl))
    }

    /// Attribute values by name (`All` by default).
    public func queueAttributes(queueUrl: String, names: [String] = ["All"]) async throws(SQSClientError) -> [String: String] {
        try await getQueueAttributes(GetQueueAttributesRequest(QueueUrl: queueUrl, AttributeNames: names)).Attributes ?? [:]
    }

    @discardableResult
    public func sendMessage(queueUrl: String, body: String, delaySeconds: Int? = nil,
                            attributes: MessageAttributes? = nil, groupId: String? = nil,
                            deduplicationId: String? = nil) async throws(SQSClientError) -> SendMessageResponse {
        try await sendMessage(SendMessageRequest(QueueUrl: queueUrl, MessageBody: body, DelaySeconds: delaySeconds,
                                                 MessageAttributes: attributes, MessageDeduplicationId: deduplicationId,
                                                 MessageGroupId: groupId))
    }

    /// Up to `max` messages (1...10), waiting up to `wait` seconds (0...20) for the first.
    /// `systemAttributes` and `messageAttributes` name what to return (e.g. `["All"]`).
    public func receiveMessages(queueUrl: String, max: Int = 1, wait: Int? = nil, visibility: Int? = nil,
                                systemAttributes: [String]? = nil,
                                messageAttributes: [String]? = nil) async throws(SQSClientError) -> [Message] {
        try await receiveMessage(ReceiveMessageRequest(
            QueueUrl: queueUrl, MessageSystemAttributeNames: systemAttributes, MessageAttributeNames: messageAttributes,
            MaxNumberOfMessages: max, VisibilityTimeout: visibility, WaitTimeSeconds: wait)).Messages ?? []
    }

    public func deleteMessage(queueUrl: String, receiptHandle: String) async throws(SQSClientError) {
        try await deleteMessage(DeleteMessageRequest(QueueUrl: queueUrl, ReceiptHandle: receiptHandle))
    }

    public func changeMessageVisibility(queueUrl: String, receiptHandle: String, timeout: Int) async throws(SQSClientError) {
        try await changeMessageVisibility(ChangeMessageVisibilityRequest(
            QueueUrl: queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: timeout))
    }
}
