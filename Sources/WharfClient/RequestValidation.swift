import SQSModel

/// The limits SQS enforces that a client can check without the queue's settings
/// (docs/sqs-behaviour.md#limits), failing with the error SQS itself would answer, before any round trip.
enum RequestValidation {
    static let maxPayload = 1_048_576

    static func check<Request: SQSRequest>(_ request: Request) throws(SQSClientError) {
        do throws(SQSError) {
            switch request {
            case let r as SendMessageRequest:
                try body(r.MessageBody)
                let size = payloadSize(r.MessageBody, r.MessageAttributes)
                if size > maxPayload {
                    throw .invalidParameterValue("One or more parameters are invalid. Reason: Message must be shorter than \(maxPayload) bytes.")
                }
                try range(r.DelaySeconds, 0...900, "DelaySeconds", "Must be >= 0 and <= 900, if provided.")
            case let r as SendMessageBatchRequest:
                let entries = r.Entries ?? []
                try batch(entries.map(\.Id), entryName: "SendMessageBatchRequestEntry")
                for entry in entries { try body(entry.MessageBody) }
                let total = entries.reduce(0) { $0 + payloadSize($1.MessageBody, $1.MessageAttributes) }
                if total > maxPayload { throw .batchRequestTooLong(size: total) }
            case let r as DeleteMessageBatchRequest:
                try batch((r.Entries ?? []).map(\.Id), entryName: "DeleteMessageBatchRequestEntry")
            case let r as ChangeMessageVisibilityBatchRequest:
                try batch((r.Entries ?? []).map(\.Id), entryName: "ChangeMessageVisibilityBatchRequestEntry")
                for entry in r.Entries ?? [] { try visibility(entry.VisibilityTimeout) }
            case let r as ChangeMessageVisibilityRequest:
                try visibility(r.VisibilityTimeout)
            case let r as ReceiveMessageRequest:
                try range(r.MaxNumberOfMessages, 1...10, "MaxNumberOfMessages", "Must be between 1 and 10, if provided.")
                try range(r.WaitTimeSeconds, 0...20, "WaitTimeSeconds", "Must be >= 0 and <= 20, if provided.")
                try visibility(r.VisibilityTimeout)
            default:
                break
            }
        } catch {
            throw .invalidRequest(error)
        }
    }

    static func body(_ body: String) throws(SQSError) {
        if body.isEmpty { throw .missingParameter("MessageBody") }
    }

    /// What counts against the 1 MiB: body plus each attribute's name, type and value.
    static func payloadSize(_ body: String, _ attributes: MessageAttributes?) -> Int {
        var size = body.utf8.count
        for (name, value) in attributes ?? [:] {
            size += name.utf8.count + value.DataType.utf8.count
            size += value.StringValue?.utf8.count ?? value.BinaryValue?.count ?? 0
            size += (value.StringListValues ?? []).reduce(0) { $0 + $1.utf8.count }
            size += (value.BinaryListValues ?? []).reduce(0) { $0 + $1.count }
        }
        return size
    }

    static func batch(_ ids: [String], entryName: String) throws(SQSError) {
        if ids.isEmpty { throw .emptyBatchRequest(entryName: entryName) }
        if ids.count > 10 { throw .tooManyEntriesInBatchRequest(count: ids.count) }
        var seen = Set<String>()
        for id in ids {
            let valid = (1...80).contains(id.utf8.count) && id.utf8.allSatisfy {
                ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x5F
            }
            if !valid { throw .invalidBatchEntryId() }
            if !seen.insert(id).inserted { throw .batchEntryIdsNotDistinct(id: id) }
        }
    }

    static func visibility(_ value: Int?) throws(SQSError) {
        try range(value, 0...43_200, "VisibilityTimeout", "Must be >= 0 and <= 43200, if provided.")
    }

    static func range(_ value: Int?, _ allowed: ClosedRange<Int>, _ parameter: String, _ reason: String) throws(SQSError) {
        if let value, !allowed.contains(value) {
            throw .invalidParameterValue(value: String(value), parameter: parameter, reason: reason)
        }
    }
}
