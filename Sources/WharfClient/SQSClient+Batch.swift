import SQSModel

/// The merged results of a batch helper: every chunk's successful and failed entries.
public struct BatchOutcome<Success: Sendable>: Sendable {
    public var successful: [Success] = []
    public var failed: [BatchResultErrorEntry] = []
}

// Batch helpers for any number of entries: split into requests of at most 10 entries (and, for
// sends, at most 1 MiB), sent one after another so FIFO order holds. A request-level error
// (e.g. the queue does not exist) is thrown; the chunks before it have taken effect.
extension SQSClient {
    /// Entry ids are the bodies' indices ("0", "1", ...), so a failed entry names its body.
    public func sendMessages(queueUrl: String, bodies: [String]) async throws(SQSClientError) -> BatchOutcome<SendMessageBatchResultEntry> {
        try await sendMessages(queueUrl: queueUrl, entries: bodies.enumerated().map {
            SendMessageBatchRequestEntry(Id: String($0.offset), MessageBody: $0.element)
        })
    }

    /// Entry ids must be distinct across all entries (checked before anything is sent).
    public func sendMessages(queueUrl: String, entries: [SendMessageBatchRequestEntry]) async throws(SQSClientError) -> BatchOutcome<SendMessageBatchResultEntry> {
        if configuration.validateRequests && Set(entries.map(\.Id)).count != entries.count {
            let duplicate = Dictionary(grouping: entries.map(\.Id), by: { $0 }).first { $0.value.count > 1 }!.key
            throw .invalidRequest(.batchEntryIdsNotDistinct(id: duplicate))
        }
        var outcome = BatchOutcome<SendMessageBatchResultEntry>()
        for chunk in Self.chunks(entries, size: { RequestValidation.payloadSize($0.MessageBody, $0.MessageAttributes) }) {
            let response = try await sendMessageBatch(SendMessageBatchRequest(QueueUrl: queueUrl, Entries: chunk))
            outcome.successful += response.Successful
            outcome.failed += response.Failed ?? []
        }
        return outcome
    }

    /// Entry ids are the handles' indices.
    public func deleteMessages(queueUrl: String, receiptHandles: [String]) async throws(SQSClientError) -> BatchOutcome<BatchResultEntry> {
        var outcome = BatchOutcome<BatchResultEntry>()
        let entries = receiptHandles.enumerated().map { DeleteMessageBatchRequestEntry(Id: String($0.offset), ReceiptHandle: $0.element) }
        for chunk in Self.chunks(entries, size: { _ in 0 }) {
            let response = try await deleteMessageBatch(DeleteMessageBatchRequest(QueueUrl: queueUrl, Entries: chunk))
            outcome.successful += response.Successful
            outcome.failed += response.Failed ?? []
        }
        return outcome
    }

    /// Entry ids are the handles' indices. For heartbeats of slow handlers, among others.
    public func changeMessageVisibilities(queueUrl: String, receiptHandles: [String],
                                          visibilityTimeout: Int) async throws(SQSClientError) -> BatchOutcome<BatchResultEntry> {
        var outcome = BatchOutcome<BatchResultEntry>()
        let entries = receiptHandles.enumerated().map {
            ChangeMessageVisibilityBatchRequestEntry(Id: String($0.offset), ReceiptHandle: $0.element,
                                                     VisibilityTimeout: visibilityTimeout)
        }
        for chunk in Self.chunks(entries, size: { _ in 0 }) {
            let response = try await changeMessageVisibilityBatch(
                ChangeMessageVisibilityBatchRequest(QueueUrl: queueUrl, Entries: chunk))
            outcome.successful += response.Successful
            outcome.failed += response.Failed ?? []
        }
        return outcome
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
