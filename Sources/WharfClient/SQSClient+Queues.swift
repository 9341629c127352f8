import SQSModel

// Queues: create, find, list, inspect, change and delete them. A queue is named by its URL
// everywhere but in `createQueue(named:)` and `queueURL(named:)`, which turn a name into one.
extension SQSClient {
    /// Creates a queue and returns its URL; a queue of that name that exists with the same
    /// attributes is not an error (its URL is returned), one with other attributes is
    /// (`QueueAlreadyExists`). A name ending in `.fifo` needs `.fifoQueue: "true"`.
    ///
    /// ```swift
    /// let jobs = try await sqs.createQueue(named: "jobs", attributes: [.visibilityTimeout: "60"], tags: ["team": "core"])
    /// let steps = try await sqs.createQueue(named: "steps.fifo", attributes: [.fifoQueue: "true"])
    /// ```
    public func createQueue(named name: String, attributes: [QueueAttributeName: String] = [:],
                            tags: [String: String] = [:]) async throws(SQSClientError) -> String {
        let request = CreateQueueRequest(QueueName: name, Attributes: attributes.isEmpty ? nil : attributes.wire,
                                         tags: tags.isEmpty ? nil : tags)
        return try await perform(request, returning: CreateQueueResponse.self).QueueUrl
    }

    /// The URL of the queue with this name (of another account's queue, when it grants access).
    ///
    /// ```swift
    /// let queueURL = try await sqs.queueURL(named: "jobs")
    /// ```
    public func queueURL(named name: String, ownerAccountId: String? = nil) async throws(SQSClientError) -> String {
        let request = GetQueueUrlRequest(QueueName: name, QueueOwnerAWSAccountId: ownerAccountId)
        return try await perform(request, returning: GetQueueUrlResponse.self).QueueUrl
    }

    /// Deletes the queue and its messages. Its name can be used again after 60 seconds.
    public func deleteQueue(_ queueURL: String) async throws(SQSClientError) {
        _ = try await perform(DeleteQueueRequest(QueueUrl: queueURL), returning: EmptyResponse.self)
    }

    /// Deletes every message of the queue; at most once every 60 seconds (`PurgeQueueInProgress`).
    public func purgeQueue(_ queueURL: String) async throws(SQSClientError) {
        _ = try await perform(PurgeQueueRequest(QueueUrl: queueURL), returning: EmptyResponse.self)
    }

    /// The queue's attributes by name: `[.all]` (the default) returns every one.
    ///
    /// ```swift
    /// let attributes = try await sqs.queueAttributes(of: queueURL, names: [.approximateNumberOfMessages])
    /// let waiting = attributes[.approximateNumberOfMessages].flatMap { Int($0) } ?? 0
    /// ```
    public func queueAttributes(of queueURL: String,
                                names: [QueueAttributeName] = [.all]) async throws(SQSClientError) -> [QueueAttributeName: String] {
        let request = GetQueueAttributesRequest(QueueUrl: queueURL, AttributeNames: names.map(\.rawValue))
        let response = try await perform(request, returning: GetQueueAttributesResponse.self)
        return (response.Attributes ?? [:]).keyed(by: QueueAttributeName.self)
    }

    /// Changes the given attributes and leaves the others as they are.
    ///
    /// ```swift
    /// try await sqs.setQueueAttributes([.visibilityTimeout: "120", .delaySeconds: "5"], of: queueURL)
    /// ```
    public func setQueueAttributes(_ attributes: [QueueAttributeName: String], of queueURL: String) async throws(SQSClientError) {
        let request = SetQueueAttributesRequest(QueueUrl: queueURL, Attributes: attributes.wire)
        _ = try await perform(request, returning: EmptyResponse.self)
    }

    /// The queue's tags.
    public func queueTags(of queueURL: String) async throws(SQSClientError) -> [String: String] {
        try await perform(ListQueueTagsRequest(QueueUrl: queueURL), returning: ListQueueTagsResponse.self).Tags ?? [:]
    }

    /// Adds tags to the queue, replacing the values of keys it has already.
    ///
    /// ```swift
    /// try await sqs.tagQueue(queueURL, with: ["env": "test"])
    /// try await sqs.untagQueue(queueURL, removing: ["team"])
    /// ```
    public func tagQueue(_ queueURL: String, with tags: [String: String]) async throws(SQSClientError) {
        _ = try await perform(TagQueueRequest(QueueUrl: queueURL, Tags: tags), returning: EmptyResponse.self)
    }

    /// Removes the tags with these keys from the queue.
    public func untagQueue(_ queueURL: String, removing keys: [String]) async throws(SQSClientError) {
        _ = try await perform(UntagQueueRequest(QueueUrl: queueURL, TagKeys: keys), returning: EmptyResponse.self)
    }

    /// Grants other accounts actions on the queue, as a statement of its `Policy` named `label`.
    ///
    /// ```swift
    /// try await sqs.addPermission("partner", to: queueURL, accountIds: ["111122223333"], actions: ["SendMessage"])
    /// try await sqs.removePermission("partner", from: queueURL)
    /// ```
    public func addPermission(_ label: String, to queueURL: String, accountIds: [String],
                              actions: [String]) async throws(SQSClientError) {
        let request = AddPermissionRequest(QueueUrl: queueURL, Label: label, AWSAccountIds: accountIds, Actions: actions)
        _ = try await perform(request, returning: EmptyResponse.self)
    }

    /// Removes the statement `addPermission` added under `label`.
    public func removePermission(_ label: String, from queueURL: String) async throws(SQSClientError) {
        _ = try await perform(RemovePermissionRequest(QueueUrl: queueURL, Label: label), returning: EmptyResponse.self)
    }
}
