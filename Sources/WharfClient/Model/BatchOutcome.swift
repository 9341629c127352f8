/// What a batch call did with each of its entries: SQS answers a batch with 200 even when some
/// entries fail, so every call returns the successes and the failures side by side.
///
/// Entries are identified by their index in the array the call was given, across all the
/// requests it took (the batch helpers send 10 entries per request).
///
/// ```swift
/// let handles = messages.map(\.receiptHandle)
/// let outcome = try await sqs.deleteMessages(handles, from: queueURL)
/// for failure in outcome.failed {
///     print("not deleted: \(messages[failure.index].id): \(failure.code)")
/// }
/// ```
public struct BatchOutcome<Success: Sendable & Hashable>: Sendable, Hashable {
    /// One value per entry that succeeded: the index of the entry (deletes, visibility
    /// changes) or a `SentBatchEntry` (sends).
    public var successful: [Success]
    /// One value per entry that failed.
    public var failed: [BatchEntryFailure]

    public init(successful: [Success] = [], failed: [BatchEntryFailure] = []) {
        self.successful = successful
        self.failed = failed
    }
}

/// An entry of a batch that SQS refused while accepting the others.
///
/// ```swift
/// let outcome = try await sqs.sendMessages(["a", "b"], to: queueURL)
/// if let failure = outcome.failed.first {
///     print("entry \(failure.index): \(failure.code) \(failure.message ?? "")",
///           failure.senderFault ? "(fix the entry)" : "(retry it)")
/// }
/// ```
public struct BatchEntryFailure: Sendable, Hashable {
    /// The entry's index in the array given to the call.
    public var index: Int
    /// SQS's error code (`ReceiptHandleIsInvalid`, `InvalidParameterValue` …).
    public var code: String
    public var message: String?
    /// true: the entry itself is wrong; false: the server failed, and the entry may be retried.
    public var senderFault: Bool

    public init(index: Int, code: String, message: String? = nil, senderFault: Bool = true) {
        self.index = index
        self.code = code
        self.message = message
        self.senderFault = senderFault
    }
}

/// A message of `sendMessages(_:to:)` that SQS accepted.
///
/// ```swift
/// let bodies = ["first", "second"]
/// let outcome = try await sqs.sendMessages(bodies, to: queueURL)
/// for sent in outcome.successful { print(bodies[sent.index], "is", sent.result.messageId) }
/// ```
public struct SentBatchEntry: Sendable, Hashable {
    /// The message's index in the array given to `sendMessages`.
    public var index: Int
    /// What a single `sendMessage` would have answered.
    public var result: SendResult

    public init(index: Int, result: SendResult) {
        self.index = index
        self.result = result
    }
}
