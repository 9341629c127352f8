extension SQSError {
    /// An error shape, the JSON `__type` suffix (`QueueDoesNotExist`), typed so that code
    /// compares constants rather than strings. Each constant is its shape in lower camel case.
    ///
    /// A struct over the string rather than a closed enum: a client reads shapes off the wire,
    /// including ones Wharf never sends. Deliberately not `ExpressibleByStringLiteral`, so that
    /// `error.code == "QueueDoesNotExist"` does not compile.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }
}

// The shapes Wharf sends (docs/sqs-behaviour.md#error-codes).
extension SQSError.Code {
    // Modeled errors (`com.amazonaws.sqs#…`).
    public static let queueDoesNotExist = Self(rawValue: "QueueDoesNotExist")
    public static let queueNameExists = Self(rawValue: "QueueNameExists")
    public static let queueDeletedRecently = Self(rawValue: "QueueDeletedRecently")
    public static let purgeQueueInProgress = Self(rawValue: "PurgeQueueInProgress")
    public static let tooManyEntriesInBatchRequest = Self(rawValue: "TooManyEntriesInBatchRequest")
    public static let emptyBatchRequest = Self(rawValue: "EmptyBatchRequest")
    public static let batchEntryIdsNotDistinct = Self(rawValue: "BatchEntryIdsNotDistinct")
    public static let batchRequestTooLong = Self(rawValue: "BatchRequestTooLong")
    public static let invalidBatchEntryId = Self(rawValue: "InvalidBatchEntryId")
    public static let receiptHandleIsInvalid = Self(rawValue: "ReceiptHandleIsInvalid")
    public static let invalidAttributeName = Self(rawValue: "InvalidAttributeName")
    public static let invalidAttributeValue = Self(rawValue: "InvalidAttributeValue")
    public static let invalidMessageContents = Self(rawValue: "InvalidMessageContents")
    public static let invalidAddress = Self(rawValue: "InvalidAddress")
    public static let unsupportedOperation = Self(rawValue: "UnsupportedOperation")
    public static let overLimit = Self(rawValue: "OverLimit")
    public static let resourceNotFoundException = Self(rawValue: "ResourceNotFoundException")

    // Unmodeled errors (`com.amazon.coral.service#…`).
    public static let invalidParameterValueException = Self(rawValue: "InvalidParameterValueException")
    public static let missingRequiredParameterException = Self(rawValue: "MissingRequiredParameterException")
    public static let accessDeniedException = Self(rawValue: "AccessDeniedException")
    public static let invalidAction = Self(rawValue: "InvalidAction")
    public static let internalError = Self(rawValue: "InternalError")
    public static let serviceUnavailable = Self(rawValue: "ServiceUnavailable")

    // The request itself: unparseable, too large, or not an SQS call.
    public static let missingAction = Self(rawValue: "MissingAction")
    public static let unknownOperationException = Self(rawValue: "UnknownOperationException")
    public static let serializationException = Self(rawValue: "SerializationException")
    public static let malformedQueryString = Self(rawValue: "MalformedQueryString")
    public static let requestEntityTooLarge = Self(rawValue: "RequestEntityTooLarge")

    // Authentication (docs/sqs-behaviour.md#authentication-errors).
    public static let missingAuthenticationToken = Self(rawValue: "MissingAuthenticationToken")
    public static let incompleteSignature = Self(rawValue: "IncompleteSignature")
    public static let invalidClientTokenId = Self(rawValue: "InvalidClientTokenId")
    public static let expiredToken = Self(rawValue: "ExpiredToken")
    public static let signatureDoesNotMatch = Self(rawValue: "SignatureDoesNotMatch")
}
