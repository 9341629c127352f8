import Foundation

/// A response value. Optional members that are nil are omitted on the wire; the engine leaves
/// empty lists and maps nil because real SQS omits them (docs/sqs-behaviour.md#json-protocol).
public protocol SQSResponse: Codable, Sendable {}

/// The output of operations that have no output shape (DeleteMessage, TagQueue, ...).
public struct EmptyResponse: SQSResponse {
    public init() {}
}

public struct CreateQueueResponse: SQSResponse {
    public var QueueUrl: String
    public init(QueueUrl: String) { self.QueueUrl = QueueUrl }
}

public struct GetQueueUrlResponse: SQSResponse {
    public var QueueUrl: String
    public init(QueueUrl: String) { self.QueueUrl = QueueUrl }
}

public struct ListQueuesResponse: SQSResponse {
    public var QueueUrls: [String]?
    public var NextToken: String?
    public init(QueueUrls: [String]?, NextToken: String?) { self.QueueUrls = QueueUrls; self.NextToken = NextToken }
}

public struct GetQueueAttributesResponse: SQSResponse {
    public var Attributes: [String: String]?
    public init(Attributes: [String: String]?) { self.Attributes = Attributes }
}

public struct ListQueueTagsResponse: SQSResponse {
    public var Tags: [String: String]?
    public init(Tags: [String: String]?) { self.Tags = Tags }
}

public struct SendMessageResponse: SQSResponse {
    public var MD5OfMessageBody: String
    public var MD5OfMessageAttributes: String?
    public var MD5OfMessageSystemAttributes: String?
    public var MessageId: String
    public var SequenceNumber: String?
    public init(MD5OfMessageBody: String, MD5OfMessageAttributes: String?, MD5OfMessageSystemAttributes: String?,
                MessageId: String, SequenceNumber: String? = nil) {
        self.MD5OfMessageBody = MD5OfMessageBody; self.MD5OfMessageAttributes = MD5OfMessageAttributes
        self.MD5OfMessageSystemAttributes = MD5OfMessageSystemAttributes; self.MessageId = MessageId
        self.SequenceNumber = SequenceNumber
    }
}

/// One failed entry of a batch operation; the request itself still answers 200.
public struct BatchResultErrorEntry: Codable, Sendable, Equatable {
    public var Id: String
    public var SenderFault: Bool
    public var Code: String
    public var Message: String?
    public init(Id: String, error: SQSError) {
        self.Id = Id; self.SenderFault = error.senderFault; self.Code = error.queryCode; self.Message = error.message
    }
}

public struct SendMessageBatchResultEntry: Codable, Sendable {
    public var Id: String
    public var MessageId: String
    public var MD5OfMessageBody: String
    public var MD5OfMessageAttributes: String?
    public var MD5OfMessageSystemAttributes: String?
    public var SequenceNumber: String?
    public init(Id: String, result: SendMessageResponse) {
        self.Id = Id; self.MessageId = result.MessageId; self.MD5OfMessageBody = result.MD5OfMessageBody
        self.MD5OfMessageAttributes = result.MD5OfMessageAttributes
        self.MD5OfMessageSystemAttributes = result.MD5OfMessageSystemAttributes
        self.SequenceNumber = result.SequenceNumber
    }

    /// The entry without its Id: what a single SendMessage answers for the same message.
    public var result: SendMessageResponse {
        SendMessageResponse(MD5OfMessageBody: MD5OfMessageBody, MD5OfMessageAttributes: MD5OfMessageAttributes,
                            MD5OfMessageSystemAttributes: MD5OfMessageSystemAttributes, MessageId: MessageId,
                            SequenceNumber: SequenceNumber)
    }
}

public struct SendMessageBatchResponse: SQSResponse {
    public var Successful: [SendMessageBatchResultEntry]
    public var Failed: [BatchResultErrorEntry]?
    public init(Successful: [SendMessageBatchResultEntry], Failed: [BatchResultErrorEntry]) {
        self.Successful = Successful; self.Failed = Failed.isEmpty ? nil : Failed
    }
}

/// The result entry of DeleteMessageBatch and ChangeMessageVisibilityBatch: only the id.
public struct BatchResultEntry: Codable, Sendable, Equatable {
    public var Id: String
    public init(Id: String) { self.Id = Id }
}

public struct BatchIdResponse: SQSResponse {
    public var Successful: [BatchResultEntry]
    public var Failed: [BatchResultErrorEntry]?
    public init(Successful: [BatchResultEntry], Failed: [BatchResultErrorEntry]) {
        self.Successful = Successful; self.Failed = Failed.isEmpty ? nil : Failed
    }
}

public typealias DeleteMessageBatchResponse = BatchIdResponse
public typealias ChangeMessageVisibilityBatchResponse = BatchIdResponse

public struct Message: Codable, Sendable {
    public var MessageId: String
    public var ReceiptHandle: String
    public var MD5OfBody: String
    public var Body: String
    public var Attributes: [String: String]?
    public var MD5OfMessageAttributes: String?
    public var MessageAttributes: MessageAttributes?
    public init(MessageId: String, ReceiptHandle: String, MD5OfBody: String, Body: String,
                Attributes: [String: String]?, MD5OfMessageAttributes: String?, MessageAttributes: MessageAttributes?) {
        self.MessageId = MessageId; self.ReceiptHandle = ReceiptHandle; self.MD5OfBody = MD5OfBody
        self.Body = Body; self.Attributes = Attributes; self.MD5OfMessageAttributes = MD5OfMessageAttributes
        self.MessageAttributes = MessageAttributes
    }
}

public struct ReceiveMessageResponse: SQSResponse {
    public var Messages: [Message]?
    public init(Messages: [Message]) { self.Messages = Messages.isEmpty ? nil : Messages }
}

public struct ListDeadLetterSourceQueuesResponse: SQSResponse {
    public var queueUrls: [String]
    public var NextToken: String?
    public init(queueUrls: [String], NextToken: String?) { self.queueUrls = queueUrls; self.NextToken = NextToken }
}

public struct StartMessageMoveTaskResponse: SQSResponse {
    public var TaskHandle: String?
    public init(TaskHandle: String?) { self.TaskHandle = TaskHandle }
}

public struct CancelMessageMoveTaskResponse: SQSResponse {
    public var ApproximateNumberOfMessagesMoved: Int64?
    public init(ApproximateNumberOfMessagesMoved: Int64?) {
        self.ApproximateNumberOfMessagesMoved = ApproximateNumberOfMessagesMoved
    }
}

public struct ListMessageMoveTasksResultEntry: Codable, Sendable {
    public var TaskHandle: String?
    public var Status: String?
    public var SourceArn: String?
    public var DestinationArn: String?
    public var MaxNumberOfMessagesPerSecond: Int?
    public var ApproximateNumberOfMessagesMoved: Int64?
    public var ApproximateNumberOfMessagesToMove: Int64?
    public var FailureReason: String?
    public var StartedTimestamp: Int64?

    public init(TaskHandle: String?, Status: String?, SourceArn: String?, DestinationArn: String?,
                MaxNumberOfMessagesPerSecond: Int?, ApproximateNumberOfMessagesMoved: Int64?,
                ApproximateNumberOfMessagesToMove: Int64?, FailureReason: String?, StartedTimestamp: Int64?) {
        self.TaskHandle = TaskHandle; self.Status = Status; self.SourceArn = SourceArn
        self.DestinationArn = DestinationArn; self.MaxNumberOfMessagesPerSecond = MaxNumberOfMessagesPerSecond
        self.ApproximateNumberOfMessagesMoved = ApproximateNumberOfMessagesMoved
        self.ApproximateNumberOfMessagesToMove = ApproximateNumberOfMessagesToMove
        self.FailureReason = FailureReason; self.StartedTimestamp = StartedTimestamp
    }
}

public struct ListMessageMoveTasksResponse: SQSResponse {
    public var Results: [ListMessageMoveTasksResultEntry]?
    public init(Results: [ListMessageMoveTasksResultEntry]?) { self.Results = Results }
}

/// PeekMessages' output: ReceiveMessage's messages (every system and message attribute), whose
/// receipt handles delete but do not change visibility, and where the next page starts.
public struct PeekMessagesResponse: SQSResponse {
    public var Messages: [Message]
    public var NextToken: String?
    public init(Messages: [Message], NextToken: String?) { self.Messages = Messages; self.NextToken = NextToken }
}
