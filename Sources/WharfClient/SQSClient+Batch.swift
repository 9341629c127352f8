import SQSModel

// Batch calls for any number of entries: split into requests of at most 10 entries (and, for
// sends, at most 1 MiB), sent one after another so FIFO order holds. Entries are numbered by
// their index in the given array, which is also their batch entry id on the wire ("0", "1" …),
// so that every success and failure names its entry. A request-level error (e.g. the queue
// does not exist) is thrown; the requests before it have taken effect.
extension SQSClient {
    /// Sends any number of bodies, in batches.
    ///
    /// ```swift
    /// let outcome = try await sqs.sendMessages((1...25).map { "job \($0)" }, to: queueURL)
    /// print(outcome.successful.count, "sent,", outcome.failed.count, "failed")
    /// ```
    public func sendMessages(_ bodies: [String], to queueURL: String) async throws(SQSClientError) -> BatchOutcome<SentBatchEntry> {
        try await sendMessages(bodies.map { OutgoingMessage(body: $0) }, to: queueURL)
    }

    /// Sends any number of messages, in batches.
    public func sendMessages(_ messages: [OutgoingMessage],
                             to queueURL: String) async throws(SQSClientError) -> BatchOutcome<SentBatchEntry> {
        let entries = messages.enumerated().map { SendMessageBatchRequestEntry($0.element, id: String($0.offset)) }
        var outcome = BatchOutcome<SentBatchEntry>()
        for chunk in Self.chunks(entries, size: { RequestValidation.payloadSize($0.MessageBody, $0.MessageAttributes) }) {
            let request = SendMessageBatchRequest(QueueUrl: queueURL, Entries: chunk)
            let response = try await perform(request, returning: SendMessageBatchResponse.self)
            for entry in response.Successful {
                outcome.successful.append(SentBatchEntry(index: try Self.index(entry.Id, of: messages.count),
                                                         result: SendResult(entry.result)))
            }
            outcome.failed += try Self.failures(response.Failed, of: messages.count)
        }
        return outcome
    }

    /// Deletes any number of received messages, in batches; `successful` holds the indices of
    /// the handles deleted.
    ///
    /// ```swift
    /// let outcome = try await sqs.deleteMessages(messages.map(\.receiptHandle), from: queueURL)
    /// ```
    public func deleteMessages(_ receiptHandles: [String], from queueURL: String) async throws(SQSClientError) -> BatchOutcome<Int> {
        let entries = receiptHandles.enumerated().map {
            DeleteMessageBatchRequestEntry(Id: String($0.offset), ReceiptHandle: $0.element)
        }
        var outcome = BatchOutcome<Int>()
        for chunk in Self.chunks(entries, size: { _ in 0 }) {
            let request = DeleteMessageBatchRequest(QueueUrl: queueURL, Entries: chunk)
            let response = try await perform(request, returning: DeleteMessageBatchResponse.self)
            for entry in response.Successful { outcome.successful.append(try Self.index(entry.Id, of: entries.count)) }
            outcome.failed += try Self.failures(response.Failed, of: entries.count)
        }
        return outcome
    }

    /// Gives any number of received messages the same visibility timeout, in batches (a
    /// heartbeat for slow handlers, or a release with 0); `successful` holds indices.
    ///
    /// ```swift
    /// _ = try await sqs.changeMessageVisibilities(messages.map(\.receiptHandle), in: queueURL, visibilityTimeout: 120)
    /// ```
    public func changeMessageVisibilities(_ receiptHandles: [String], in queueURL: String,
                                          visibilityTimeout: Int) async throws(SQSClientError) -> BatchOutcome<Int> {
        try await changeMessageVisibilities(receiptHandles.map {
            VisibilityChange(receiptHandle: $0, visibilityTimeout: visibilityTimeout)
        }, in: queueURL)
    }

    /// Changes the visibility of any number of received messages, each to its own timeout.
    public func changeMessageVisibilities(_ changes: [VisibilityChange],
                                          in queueURL: String) async throws(SQSClientError) -> BatchOutcome<Int> {
        let entries = changes.enumerated().map {
            ChangeMessageVisibilityBatchRequestEntry(Id: String($0.offset), ReceiptHandle: $0.element.receiptHandle,
                                                     VisibilityTimeout: $0.element.visibilityTimeout)
        }
        var outcome = BatchOutcome<Int>()
        for chunk in Self.chunks(entries, size: { _ in 0 }) {
            let request = ChangeMessageVisibilityBatchRequest(QueueUrl: queueURL, Entries: chunk)
            let response = try await perform(request, returning: ChangeMessageVisibilityBatchResponse.self)
            for entry in response.Successful { outcome.successful.append(try Self.index(entry.Id, of: entries.count)) }
            outcome.failed += try Self.failures(response.Failed, of: entries.count)
        }
        return outcome
    }

    /// The index an entry id of ours stands for.
    static func index(_ id: String, of count: Int) throws(SQSClientError) -> Int {
        guard let index = Int(id), (0..<count).contains(index), String(index) == id else {
            throw .invalidResponse("batch result for unknown entry \(id)")
        }
        return index
    }

    static func failures(_ failed: [BatchResultErrorEntry]?, of count: Int) throws(SQSClientError) -> [BatchEntryFailure] {
        var failures: [BatchEntryFailure] = []
        for entry in failed ?? [] { failures.append(BatchEntryFailure(entry, index: try index(entry.Id, of: count))) }
        return failures
    }

    /// Consecutive runs of at most 10 entries whose sizes add up to at most 1 MiB. An entry
    /// that is too big alone gets a chunk of its own, and the server's error.
    static func chunks<Entry>(_ entries: [Entry], size: (Entry) -> Int) -> [[Entry]] {
        var chunks: [[Entry]] = []
        var current: [Entry] = []
        var bytes = 0
        for entry in entries {
            let entrySize = size(entry)
            if !current.isEmpty && (current.count == 10 || bytes + entrySize > RequestValidation.maxPayload) {
                chunks.append(current)
                current = []
                bytes = 0
            }
            current.append(entry)
            bytes += entrySize
        }
        if !current.isEmpty { chunks.append(current) }
        return chunks
    }
}
