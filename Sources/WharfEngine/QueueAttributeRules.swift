import Foundation
import SQSModel

/// Validation of CreateQueue / SetQueueAttributes input. Values are checked and normalised
/// (e.g. "030" → "30", "TRUE" → "true") so that idempotent CreateQueue compares like with like.
enum QueueAttributeRules {
    /// Integer attributes and their inclusive ranges.
    static let integerRanges: [String: ClosedRange<Int>] = [
        "DelaySeconds": SQSLimits.delaySeconds,
        "MaximumMessageSize": SQSLimits.minimumMessageSizeLimit...SQSLimits.maximumMessageSize,
        "MessageRetentionPeriod": 60...1_209_600,
        "ReceiveMessageWaitTimeSeconds": SQSLimits.receiveWaitTimeSeconds,
        "VisibilityTimeout": SQSLimits.visibilityTimeout,
        "KmsDataKeyReusePeriodSeconds": 60...86_400,
    ]
    static let jsonAttributes: Set<String> = ["Policy", "RedrivePolicy", "RedriveAllowPolicy"]
    static let fifoOnly: Set<String> = ["FifoQueue", "ContentBasedDeduplication", "DeduplicationScope",
                                        "FifoThroughputLimit"]
    /// Names GetQueueAttributes accepts (besides `All`).
    static let readableNames: Set<String> = [
        "All", "Policy", "VisibilityTimeout", "MaximumMessageSize", "MessageRetentionPeriod",
        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "CreatedTimestamp",
        "LastModifiedTimestamp", "QueueArn", "ApproximateNumberOfMessagesDelayed", "DelaySeconds",
        "ReceiveMessageWaitTimeSeconds", "RedrivePolicy", "FifoQueue", "ContentBasedDeduplication",
        "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "DeduplicationScope", "FifoThroughputLimit",
        "RedriveAllowPolicy", "SqsManagedSseEnabled",
    ]

    /// Wharf's own attributes, returned by GetQueueAttributes only when asked for by name (never
    /// for `All`, so that an AWS client sees what AWS returns): the running totals of messages
    /// sent and received, and the age in seconds of the oldest message as the queue gauges last
    /// saw it (docs/sqs-behaviour.md#wharf-extensions).
    static let wharfSent = "WharfNumberOfMessagesSent"
    static let wharfReceived = "WharfNumberOfMessagesReceived"
    static let wharfOldestAge = "WharfApproximateAgeOfOldestMessage"
    static let wharfExtensionNames: Set<String> = [wharfSent, wharfReceived, wharfOldestAge]

    static let fifoEnums: [String: Set<String>] = [
        "DeduplicationScope": ["messageGroup", "queue"],
        "FifoThroughputLimit": ["perQueue", "perMessageGroupId"],
    ]

    /// Validates user-supplied attributes and returns them normalised. `fifo`: the queue is
    /// (or is being created as) a FIFO queue; `creating`: CreateQueue rather than SetQueueAttributes.
    static func validate(_ input: [String: String], fifo: Bool = false,
                         creating: Bool = true) throws(SQSError) -> [String: String] {
        var output: [String: String] = [:]
        // Sorted so that with several bad attributes the error names a predictable one.
        for name in input.keys.sorted() {
            let raw = input[name]!
            if let range = integerRanges[name] {
                let trimmed = raw.trimmingCharacters(in: .whitespaces)
                guard let value = Int(trimmed), range.contains(value) else {
                    throw .invalidAttributeValue("Invalid value for the parameter \(name).")
                }
                output[name] = String(value)
            } else if jsonAttributes.contains(name) {
                // An empty value removes the attribute (AWS's documented way to clear a policy).
                if raw.isEmpty { output[name] = ""; continue }
                if name == "Policy" { _ = try QueuePolicy.parse(raw) }
                // Redrive policies are normalised so that idempotent CreateQueue compares values.
                if name == "RedrivePolicy" { output[name] = try RedrivePolicy.parse(raw).json; continue }
                if name == "RedriveAllowPolicy" { output[name] = try RedriveAllowPolicy.parse(raw).json; continue }
                guard let data = raw.data(using: .utf8),
                      (try? JSONSerialization.jsonObject(with: data)) is [String: Any] else {
                    throw .invalidAttributeValue("Invalid value for the parameter \(name). Reason: Invalid JSON.")
                }
                output[name] = raw
            } else if name == "SqsManagedSseEnabled" {
                guard let flag = parseBool(raw) else {
                    throw .invalidAttributeValue("Invalid value for the parameter \(name).")
                }
                output[name] = flag ? "true" : "false"
            } else if name == "KmsMasterKeyId" {
                output[name] = raw
            } else if fifo && name == "FifoQueue" {
                // SetQueueAttributes FifoQueue=true on a FIFO queue changes nothing and is
                // accepted; anything else would change the type.
                guard creating || parseBool(raw) == true else {
                    throw .invalidAttributeValue("Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.")
                }
                if creating { output[name] = "true" }
            } else if fifo && name == "ContentBasedDeduplication" {
                guard let flag = parseBool(raw) else {
                    throw .invalidAttributeValue("Invalid value for the parameter \(name).")
                }
                output[name] = flag ? "true" : "false"
            } else if fifo, let allowed = fifoEnums[name] {
                guard allowed.contains(raw) else {
                    throw .invalidAttributeValue("Invalid value for the parameter \(name).")
                }
                output[name] = raw
            } else if name == "FifoQueue" || name == "ContentBasedDeduplication" {
                throw .unknownAttribute(name)
            } else if fifoOnly.contains(name) {
                throw .invalidAttributeName("You can specify the \(name) only when FifoQueue is set to true.")
            } else {
                throw .unknownAttribute(name)
            }
        }
        if let kms = output["KmsMasterKeyId"], !kms.isEmpty, output["SqsManagedSseEnabled"] == "true" {
            throw .invalidAttributeName("You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.")
        }
        return output
    }

    /// Rules that span attributes, checked on the merged result of a create or set.
    static func validateCombination(_ merged: [String: String]) throws(SQSError) {
        if merged["FifoThroughputLimit"] == "perMessageGroupId" && merged["DeduplicationScope"] != "messageGroup" {
            throw .invalidAttributeValue(
                "Invalid value for the parameter FifoThroughputLimit. Reason: perMessageGroupId requires DeduplicationScope messageGroup.")
        }
    }

    /// Applies validated changes to stored attributes: empty JSON values and an empty KMS key
    /// remove the attribute; a KMS key switches SSE-SQS off, as AWS does.
    static func merge(_ changes: [String: String], into stored: [String: String]) -> [String: String] {
        var merged = stored
        for (name, value) in changes {
            if value.isEmpty && (jsonAttributes.contains(name) || name == "KmsMasterKeyId") {
                merged[name] = nil
                if name == "KmsMasterKeyId" {
                    merged["KmsDataKeyReusePeriodSeconds"] = nil
                    merged["SqsManagedSseEnabled"] = "false"
                }
            } else {
                merged[name] = value
            }
        }
        if let kms = changes["KmsMasterKeyId"], !kms.isEmpty { merged["SqsManagedSseEnabled"] = "false" }
        return merged
    }

    static func parseBool(_ raw: String) -> Bool? {
        switch raw.lowercased() {
        case "true": return true
        case "false": return false
        default: return nil
        }
    }
}
