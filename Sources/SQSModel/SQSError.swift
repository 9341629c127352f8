/// An SQS error as it goes on the wire in either protocol.
///
/// `code` is the error's shape, the JSON `__type` suffix (the model's error shape, or a Coral
/// name for unmodeled errors); `queryCode` the Query-era code that `x-amzn-query-error` and the
/// XML `<Code>` carry. They differ on purpose: boto3 users see `queryCode` as `Error.Code` while
/// the SDK picks the exception class from the shape (docs/sqs-behaviour.md#json-errors). Code that
/// needs to know which error it has compares `code` (`error.code == .queueDoesNotExist`), never
/// the strings.
public struct SQSError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: Code
    public var queryCode: String
    public var httpStatus: Int
    public var message: String
    public var senderFault: Bool
    /// Modeled errors live in `com.amazonaws.sqs`, unmodeled ones in `com.amazon.coral.service`.
    public var modeled: Bool

    public init(code: Code, queryCode: String? = nil, httpStatus: Int = 400, message: String,
                senderFault: Bool = true, modeled: Bool = true) {
        self.code = code
        self.queryCode = queryCode ?? code.rawValue
        self.httpStatus = httpStatus
        self.message = message
        self.senderFault = senderFault
        self.modeled = modeled
    }

    /// An error read off the wire (by a client), whose shape may be one Wharf never sends.
    public init(shape: String, queryCode: String? = nil, httpStatus: Int = 400, message: String,
                senderFault: Bool = true, modeled: Bool = true) {
        self.init(code: Code(rawValue: shape), queryCode: queryCode, httpStatus: httpStatus, message: message,
                  senderFault: senderFault, modeled: modeled)
    }

    /// The shape as the wire spells it: the JSON `__type` suffix.
    public var shape: String {
        get { code.rawValue }
        set { code = Code(rawValue: newValue) }
    }

    /// The JSON `__type` value.
    public var jsonType: String {
        (modeled ? "com.amazonaws.sqs#" : "com.amazon.coral.service#") + shape
    }

    public var description: String { "\(queryCode): \(message)" }
}

// The catalogue of docs/sqs-behaviour.md#error-codes, with AWS's messages where they are known.
extension SQSError {
    public static func queueDoesNotExist() -> SQSError {
        SQSError(code: .queueDoesNotExist, queryCode: "AWS.SimpleQueueService.NonExistentQueue",
                 message: "The specified queue does not exist.")
    }
    public static func queueNameExists(attribute: String) -> SQSError {
        SQSError(code: .queueNameExists, queryCode: "QueueAlreadyExists",
                 message: "A queue already exists with the same name and a different value for attribute \(attribute)")
    }
    public static func queueDeletedRecently() -> SQSError {
        SQSError(code: .queueDeletedRecently, queryCode: "AWS.SimpleQueueService.QueueDeletedRecently",
                 message: "You must wait 60 seconds after deleting a queue before you can create another with the same name.")
    }
    public static func purgeQueueInProgress(queueName: String) -> SQSError {
        SQSError(code: .purgeQueueInProgress, queryCode: "AWS.SimpleQueueService.PurgeQueueInProgress",
                 httpStatus: 403,
                 message: "Only one PurgeQueue operation on \(queueName) is allowed every 60 seconds.")
    }
    public static func tooManyEntriesInBatchRequest(count: Int) -> SQSError {
        SQSError(code: .tooManyEntriesInBatchRequest,
                 queryCode: "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
                 message: "Maximum number of entries per request are 10. You have sent \(count).")
    }
    public static func emptyBatchRequest(entryName: String) -> SQSError {
        SQSError(code: .emptyBatchRequest, queryCode: "AWS.SimpleQueueService.EmptyBatchRequest",
                 message: "There should be at least one \(entryName) in the request.")
    }
    public static func batchEntryIdsNotDistinct(id: String) -> SQSError {
        SQSError(code: .batchEntryIdsNotDistinct, queryCode: "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
                 message: "Id \(id) repeated.")
    }
    public static func batchRequestTooLong(size: Int) -> SQSError {
        SQSError(code: .batchRequestTooLong, queryCode: "AWS.SimpleQueueService.BatchRequestTooLong",
                 message: "Batch requests cannot be longer than \(SQSLimits.maximumBatchSize) bytes. You have sent \(size) bytes.")
    }
    public static func invalidBatchEntryId() -> SQSError {
        SQSError(code: .invalidBatchEntryId, queryCode: "AWS.SimpleQueueService.InvalidBatchEntryId",
                 message: "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.")
    }
    public static func receiptHandleIsInvalid(_ handle: String) -> SQSError {
        SQSError(code: .receiptHandleIsInvalid, httpStatus: 404,
                 message: "The input receipt handle \"\(handle)\" is not a valid receipt handle.")
    }
    /// FIFO: a receipt handle whose receive is over (docs/sqs-behaviour.md#visibility).
    public static func receiptHandleExpired(_ handle: String) -> SQSError {
        invalidParameterValue(value: handle, parameter: "ReceiptHandle", reason: "The receipt handle has expired.")
    }
    public static func invalidAttributeName(_ message: String) -> SQSError {
        SQSError(code: .invalidAttributeName, message: message)
    }
    public static func unknownAttribute(_ name: String) -> SQSError {
        invalidAttributeName("Unknown Attribute \(name).")
    }
    public static func invalidAttributeValue(_ message: String) -> SQSError {
        SQSError(code: .invalidAttributeValue, message: message)
    }
    public static func invalidMessageContents() -> SQSError {
        SQSError(code: .invalidMessageContents,
                 message: "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF")
    }
    public static func invalidAddress(_ address: String) -> SQSError {
        SQSError(code: .invalidAddress, httpStatus: 404,
                 message: "The address \(address) is not valid for this endpoint.")
    }
    public static func invalidParameterValue(_ message: String) -> SQSError {
        SQSError(code: .invalidParameterValueException, queryCode: "InvalidParameterValue",
                 message: message, modeled: false)
    }
    /// "Value X for parameter P is invalid. Reason: R." — AWS's usual phrasing.
    public static func invalidParameterValue(value: String, parameter: String, reason: String) -> SQSError {
        invalidParameterValue("Value \(value) for parameter \(parameter) is invalid. Reason: \(reason)")
    }
    public static func missingParameter(_ name: String) -> SQSError {
        SQSError(code: .missingRequiredParameterException, queryCode: "MissingParameter",
                 message: "The request must contain the parameter \(name).", modeled: false)
    }
    public static func invalidAction(_ action: String) -> SQSError {
        SQSError(code: .invalidAction, message: "The action \(action) is not valid for this endpoint.",
                 modeled: false)
    }
    /// The JSON protocol's answer to a body it cannot parse.
    public static func serialization(_ message: String) -> SQSError {
        SQSError(code: .serializationException, message: message, modeled: false)
    }
    public static func malformedQueryString(_ message: String) -> SQSError {
        SQSError(code: .malformedQueryString, message: message, modeled: false)
    }
    public static func unsupportedOperation(_ message: String) -> SQSError {
        SQSError(code: .unsupportedOperation, queryCode: "AWS.SimpleQueueService.UnsupportedOperation",
                 message: message)
    }
    public static func overLimit(_ message: String) -> SQSError {
        SQSError(code: .overLimit, httpStatus: 403, message: message)
    }
    public static func resourceNotFound(_ message: String) -> SQSError {
        SQSError(code: .resourceNotFoundException, httpStatus: 404, message: message)
    }
    public static func internalError(_ message: String) -> SQSError {
        SQSError(code: .internalError, httpStatus: 500, message: message, senderFault: false, modeled: false)
    }
    /// A temporary failure (the database is restarting or unreachable): the SDKs retry a 503.
    public static func serviceUnavailable(_ message: String = "The request has failed due to a temporary failure of the server.") -> SQSError {
        SQSError(code: .serviceUnavailable, httpStatus: 503, message: message, senderFault: false, modeled: false)
    }
}
