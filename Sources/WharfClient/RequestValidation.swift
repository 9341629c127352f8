import SQSModel

/// The limits SQS enforces that a client can check without the queue's settings
/// (docs/sqs-behaviour.md#limits), failing with the error SQS itself would answer, before any
/// round trip. The rules and sizes are SQSModel's (`MessageRules`, `BatchRules`, `MessageSize`,
/// `SQSLimits`), the ones the server applies. Only what would fail the whole request is checked:
/// a batch entry that SQS would fail on its own (an empty body, a bad attribute, a bad
/// visibility timeout) is left for the server to report in `Failed`.
package enum RequestValidation {
    /// What a SendMessageBatch may add up to: the batch helpers split at it.
    static let maxPayload = SQSLimits.maximumBatchSize

    static func check<Request: SQSRequest>(_ request: Request) throws(SQSClientError) {
        do throws(SQSError) {
            try validate(request)
        } catch {
            throw .invalidRequest(error)
        }
    }

    /// The error SQS would answer `request` with whatever the queue, if any.
    package static func validate<Request: SQSRequest>(_ request: Request) throws(SQSError) {
        switch request {
        case let r as SendMessageRequest:
            try MessageRules.validateBody(r.MessageBody)
            // The largest limit a queue can have: a queue with a smaller one is the server's to check.
            try MessageRules.validateMessage(body: r.MessageBody, delaySeconds: r.DelaySeconds, attributes: r.MessageAttributes,
                                             maximumSize: SQSLimits.maximumMessageSize, inBatch: false)
        case let r as SendMessageBatchRequest:
            let entries = r.Entries ?? []
            try BatchRules.validate(ids: entries.map(\.Id), entryName: "SendMessageBatchRequestEntry")
            try BatchRules.validateSize(entries)
        case let r as DeleteMessageBatchRequest:
            try BatchRules.validate(ids: (r.Entries ?? []).map(\.Id), entryName: "DeleteMessageBatchRequestEntry")
        case let r as ChangeMessageVisibilityBatchRequest:
            try BatchRules.validate(ids: (r.Entries ?? []).map(\.Id), entryName: "ChangeMessageVisibilityBatchRequestEntry")
        case let r as ChangeMessageVisibilityRequest:
            try range(r.VisibilityTimeout, SQSLimits.visibilityTimeout, "VisibilityTimeout", "Must be between 0 and 43200, if provided.")
        case let r as ReceiveMessageRequest:
            try range(r.MaxNumberOfMessages, SQSLimits.receiveMaxNumberOfMessages, "MaxNumberOfMessages",
                      "Must be between 1 and 10, if provided.")
            try range(r.WaitTimeSeconds, SQSLimits.receiveWaitTimeSeconds, "WaitTimeSeconds", "Must be >= 0 and <= 20, if provided.")
            try range(r.VisibilityTimeout, SQSLimits.visibilityTimeout, "VisibilityTimeout", "Must be >= 0 and <= 43200, if provided.")
        default:
            break
        }
    }

    /// What counts against the size limits: `MessageSize`'s rule.
    static func payloadSize(_ body: String, _ attributes: MessageAttributes?) -> Int {
        MessageSize.of(body: body, attributes: attributes)
    }

    static func range(_ value: Int?, _ allowed: ClosedRange<Int>, _ parameter: String, _ reason: String) throws(SQSError) {
        if let value, !allowed.contains(value) {
            throw .invalidParameterValue(value: String(value), parameter: parameter, reason: reason)
        }
    }
}
