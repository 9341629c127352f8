import SQSModel

// Dead-letter redrive: message move tasks. Queues are named by ARN here (the `QueueArn`
// attribute), as the API names them, not by URL.
extension SQSClient {
    /// Starts moving the messages of a dead-letter queue back to the queues they came from
    /// (or to `destinationARN`), and returns the task's handle.
    ///
    /// ```swift
    /// let dlqARN = try await sqs.queueAttributes(of: dlqURL, names: [.queueARN])[.queueARN]!
    /// let handle = try await sqs.startMessageMoveTask(sourceARN: dlqARN)
    /// ```
    /// - Parameter maxNumberOfMessagesPerSecond: 1...500; nil lets SQS choose.
    @discardableResult
    public func startMessageMoveTask(sourceARN: String, destinationARN: String? = nil,
                                     maxNumberOfMessagesPerSecond: Int? = nil) async throws(SQSClientError) -> String {
        let request = StartMessageMoveTaskRequest(SourceArn: sourceARN, DestinationArn: destinationARN,
                                                  MaxNumberOfMessagesPerSecond: maxNumberOfMessagesPerSecond)
        guard let handle = try await perform(request, returning: StartMessageMoveTaskResponse.self).TaskHandle else {
            throw .invalidResponse("StartMessageMoveTask returned no TaskHandle")
        }
        return handle
    }

    /// Cancels a running move task and returns about how many messages it had moved. The
    /// messages it moved stay moved.
    @discardableResult
    public func cancelMessageMoveTask(_ taskHandle: String) async throws(SQSClientError) -> Int? {
        let request = CancelMessageMoveTaskRequest(TaskHandle: taskHandle)
        return try await perform(request, returning: CancelMessageMoveTaskResponse.self)
            .ApproximateNumberOfMessagesMoved.map { Int($0) }
    }

    /// The most recent move tasks of a dead-letter queue, at most `maxResults` (1...10; 10 here,
    /// where SQS alone would return 1).
    ///
    /// ```swift
    /// for task in try await sqs.listMessageMoveTasks(sourceARN: dlqARN) {
    ///     print(task.status ?? .running, task.approximateNumberOfMessagesMoved ?? 0)
    /// }
    /// ```
    public func listMessageMoveTasks(sourceARN: String, maxResults: Int = 10) async throws(SQSClientError) -> [MessageMoveTask] {
        let request = ListMessageMoveTasksRequest(SourceArn: sourceARN, MaxResults: maxResults)
        return (try await perform(request, returning: ListMessageMoveTasksResponse.self).Results ?? []).map(MessageMoveTask.init)
    }
}
