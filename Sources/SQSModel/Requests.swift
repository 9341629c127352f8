import Foundation

/// A request that can be decoded from either wire protocol. Member names are the model's JSON
/// member names, case-sensitive (note `tags` in CreateQueue).
public protocol SQSRequest: Codable, Sendable {
    static var operation: SQSOperation { get }
}

/// Requests addressed to one queue. `QueueUrl` is optional here because the Query protocol may
/// carry the queue in the request path instead (docs/sqs-behaviour.md#dispatch); the engine resolves it.
public protocol QueueScopedRequest: SQSRequest {
    var QueueUrl: String? { get }
}

public struct CreateQueueRequest: SQSRequest {
    public static let operation = SQSOperation.createQueue
    public var QueueName: String
    public var Attributes: [String: String]?
    public var tags: [String: String]?
    public init(QueueName: String, Attributes: [String: String]? = nil, tags: [String: String]? = nil) {
        self.QueueName = QueueName; self.Attributes = Attributes; self.tags = tags
    }
}

public struct GetQueueUrlRequest: SQSRequest {
    public static let operation = SQSOperation.getQueueUrl
    public var QueueName: String
    public var QueueOwnerAWSAccountId: String?
    public init(QueueName: String, QueueOwnerAWSAccountId: String? = nil) {
        self.QueueName = QueueName; self.QueueOwnerAWSAccountId = QueueOwnerAWSAccountId
    }
}

public struct ListQueuesRequest: SQSRequest {
    public static let operation = SQSOperation.listQueues
    public var QueueNamePrefix: String?
    public var NextToken: String?
    public var MaxResults: Int?
    public init(QueueNamePrefix: String? = nil, NextToken: String? = nil, MaxResults: Int? = nil) {
        self.QueueNamePrefix = QueueNamePrefix; self.NextToken = NextToken; self.MaxResults = MaxResults
    }
}

public struct DeleteQueueRequest: QueueScopedRequest {
    public static let operation = SQSOperation.deleteQueue
    public var QueueUrl: String?
    public init(QueueUrl: String?) { self.QueueUrl = QueueUrl }
}

public struct PurgeQueueRequest: QueueScopedRequest {
    public static let operation = SQSOperation.purgeQueue
    public var QueueUrl: String?
    public init(QueueUrl: String?) { self.QueueUrl = QueueUrl }
}

public struct GetQueueAttributesRequest: QueueScopedRequest {
    public static let operation = SQSOperation.getQueueAttributes
    public var QueueUrl: String?
    public var AttributeNames: [String]?
    public init(QueueUrl: String?, AttributeNames: [String]? = nil) {
        self.QueueUrl = QueueUrl; self.AttributeNames = AttributeNames
    }
}

public struct SetQueueAttributesRequest: QueueScopedRequest {
    public static let operation = SQSOperation.setQueueAttributes
    public var QueueUrl: String?
    public var Attributes: [String: String]
    public init(QueueUrl: String?, Attributes: [String: String]) {
        self.QueueUrl = QueueUrl; self.Attributes = Attributes
    }
}

public struct TagQueueRequest: QueueScopedRequest {
    public static let operation = SQSOperation.tagQueue
    public var QueueUrl: String?
    public var Tags: [String: String]
    public init(QueueUrl: String?, Tags: [String: String]) { self.QueueUrl = QueueUrl; self.Tags = Tags }
}

public struct UntagQueueRequest: QueueScopedRequest {
    public static let operation = SQSOperation.untagQueue
    public var QueueUrl: String?
    public var TagKeys: [String]
    public init(QueueUrl: String?, TagKeys: [String]) { self.QueueUrl = QueueUrl; self.TagKeys = TagKeys }
}

public struct ListQueueTagsRequest: QueueScopedRequest {
    public static let operation = SQSOperation.listQueueTags
    public var QueueUrl: String?
    public init(QueueUrl: String?) { self.QueueUrl = QueueUrl }
}

public struct SendMessageRequest: QueueScopedRequest {
    public static let operation = SQSOperation.sendMessage
    public var QueueUrl: String?
    public var MessageBody: String
    public var DelaySeconds: Int?
    public var MessageAttributes: MessageAttributes?
    public var MessageSystemAttributes: MessageAttributes?
    public var MessageDeduplicationId: String?
    public var MessageGroupId: String?
    public init(QueueUrl: String?, MessageBody: String, DelaySeconds: Int? = nil,
                MessageAttributes: MessageAttributes? = nil, MessageSystemAttributes: MessageAttributes? = nil,
                MessageDeduplicationId: String? = nil, MessageGroupId: String? = nil) {
        self.QueueUrl = QueueUrl; self.MessageBody = MessageBody; self.DelaySeconds = DelaySeconds
        self.MessageAttributes = MessageAttributes; self.MessageSystemAttributes = MessageSystemAttributes
        self.MessageDeduplicationId = MessageDeduplicationId; self.MessageGroupId = MessageGroupId
    }
}

public struct SendMessageBatchRequestEntry: Codable, Sendable {
    public var Id: String
    public var MessageBody: String
    public var DelaySeconds: Int?
    public var MessageAttributes: MessageAttributes?
    public var MessageSystemAttributes: MessageAttributes?
    public var MessageDeduplicationId: String?
    public var MessageGroupId: String?
    public init(Id: String, MessageBody: String, DelaySeconds: Int? = nil, MessageAttributes: MessageAttributes? = nil,
                MessageSystemAttributes: MessageAttributes? = nil, MessageDeduplicationId: String? = nil,
                MessageGroupId: String? = nil) {
        self.Id = Id; self.MessageBody = MessageBody; self.DelaySeconds = DelaySeconds
        self.MessageAttributes = MessageAttributes; self.MessageSystemAttributes = MessageSystemAttributes
        self.MessageDeduplicationId = MessageDeduplicationId; self.MessageGroupId = MessageGroupId
    }
}

public struct SendMessageBatchRequest: QueueScopedRequest {
    public static let operation = SQSOperation.sendMessageBatch
    public var QueueUrl: String?
    public var Entries: [SendMessageBatchRequestEntry]?
    public init(QueueUrl: String?, Entries: [SendMessageBatchRequestEntry]) {
        self.QueueUrl = QueueUrl; self.Entries = Entries
    }
}

public struct ReceiveMessageRequest: QueueScopedRequest {
    public static let operation = SQSOperation.receiveMessage
    public var QueueUrl: String?
    public var AttributeNames: [String]?
    public var MessageSystemAttributeNames: [String]?
    public var MessageAttributeNames: [String]?
    public var MaxNumberOfMessages: Int?
    public var VisibilityTimeout: Int?
    public var WaitTimeSeconds: Int?
    public var ReceiveRequestAttemptId: String?
    public init(QueueUrl: String?, AttributeNames: [String]? = nil, MessageSystemAttributeNames: [String]? = nil,
                MessageAttributeNames: [String]? = nil, MaxNumberOfMessages: Int? = nil,
                VisibilityTimeout: Int? = nil, WaitTimeSeconds: Int? = nil, ReceiveRequestAttemptId: String? = nil) {
        self.QueueUrl = QueueUrl; self.AttributeNames = AttributeNames
        self.MessageSystemAttributeNames = MessageSystemAttributeNames
        self.MessageAttributeNames = MessageAttributeNames; self.MaxNumberOfMessages = MaxNumberOfMessages
        self.VisibilityTimeout = VisibilityTimeout; self.WaitTimeSeconds = WaitTimeSeconds
        self.ReceiveRequestAttemptId = ReceiveRequestAttemptId
    }
}

public struct DeleteMessageRequest: QueueScopedRequest {
    public static let operation = SQSOperation.deleteMessage
    public var QueueUrl: String?
    public var ReceiptHandle: String
    public init(QueueUrl: String?, ReceiptHandle: String) { self.QueueUrl = QueueUrl; self.ReceiptHandle = ReceiptHandle }
}

public struct DeleteMessageBatchRequestEntry: Codable, Sendable {
    public var Id: String
    public var ReceiptHandle: String
    public init(Id: String, ReceiptHandle: String) { self.Id = Id; self.ReceiptHandle = ReceiptHandle }
}

public struct DeleteMessageBatchRequest: QueueScopedRequest {
    public static let operation = SQSOperation.deleteMessageBatch
    public var QueueUrl: String?
    public var Entries: [DeleteMessageBatchRequestEntry]?
    public init(QueueUrl: String?, Entries: [DeleteMessageBatchRequestEntry]) {
        self.QueueUrl = QueueUrl; self.Entries = Entries
    }
}

public struct ChangeMessageVisibilityRequest: QueueScopedRequest {
    public static let operation = SQSOperation.changeMessageVisibility
    public var QueueUrl: String?
    public var ReceiptHandle: String
    public var VisibilityTimeout: Int
    public init(QueueUrl: String?, ReceiptHandle: String, VisibilityTimeout: Int) {
        self.QueueUrl = QueueUrl; self.ReceiptHandle = ReceiptHandle; self.VisibilityTimeout = VisibilityTimeout
    }
}

public struct ChangeMessageVisibilityBatchRequestEntry: Codable, Sendable {
    public var Id: String
    public var ReceiptHandle: String
    public var VisibilityTimeout: Int?
    public init(Id: String, ReceiptHandle: String, VisibilityTimeout: Int? = nil) {
        self.Id = Id; self.ReceiptHandle = ReceiptHandle; self.VisibilityTimeout = VisibilityTimeout
    }
}

public struct ChangeMessageVisibilityBatchRequest: QueueScopedRequest {
    public static let operation = SQSOperation.changeMessageVisibilityBatch
    public var QueueUrl: String?
    public var Entries: [ChangeMessageVisibilityBatchRequestEntry]?
    public init(QueueUrl: String?, Entries: [ChangeMessageVisibilityBatchRequestEntry]) {
        self.QueueUrl = QueueUrl; self.Entries = Entries
    }
}

public struct AddPermissionRequest: QueueScopedRequest {
    public static let operation = SQSOperation.addPermission
    public var QueueUrl: String?
    public var Label: String
    public var AWSAccountIds: [String]
    public var Actions: [String]
    public init(QueueUrl: String?, Label: String, AWSAccountIds: [String], Actions: [String]) {
        self.QueueUrl = QueueUrl; self.Label = Label; self.AWSAccountIds = AWSAccountIds; self.Actions = Actions
    }
}

public struct RemovePermissionRequest: QueueScopedRequest {
    public static let operation = SQSOperation.removePermission
    public var QueueUrl: String?
    public var Label: String
    public init(QueueUrl: String?, Label: String) { self.QueueUrl = QueueUrl; self.Label = Label }
}

public struct ListDeadLetterSourceQueuesRequest: QueueScopedRequest {
    public static let operation = SQSOperation.listDeadLetterSourceQueues
    public var QueueUrl: String?
    public var NextToken: String?
    public var MaxResults: Int?
    public init(QueueUrl: String?, NextToken: String? = nil, MaxResults: Int? = nil) {
        self.QueueUrl = QueueUrl; self.NextToken = NextToken; self.MaxResults = MaxResults
    }
}

public struct StartMessageMoveTaskRequest: SQSRequest {
    public static let operation = SQSOperation.startMessageMoveTask
    public var SourceArn: String
    public var DestinationArn: String?
    public var MaxNumberOfMessagesPerSecond: Int?
    public init(SourceArn: String, DestinationArn: String? = nil, MaxNumberOfMessagesPerSecond: Int? = nil) {
        self.SourceArn = SourceArn; self.DestinationArn = DestinationArn
        self.MaxNumberOfMessagesPerSecond = MaxNumberOfMessagesPerSecond
    }
}

public struct CancelMessageMoveTaskRequest: SQSRequest {
    public static let operation = SQSOperation.cancelMessageMoveTask
    public var TaskHandle: String
    public init(TaskHandle: String) { self.TaskHandle = TaskHandle }
}

public struct ListMessageMoveTasksRequest: SQSRequest {
    public static let operation = SQSOperation.listMessageMoveTasks
    public var SourceArn: String
    public var MaxResults: Int?
    public init(SourceArn: String, MaxResults: Int? = nil) { self.SourceArn = SourceArn; self.MaxResults = MaxResults }
}

/// Wharf's extension (docs/console.md#peekmessages): up to `MaxNumberOfMessages` messages in send
/// order, starting after `NextToken` (a previous response's), without receiving them.
public struct PeekMessagesRequest: QueueScopedRequest {
    public static let operation = SQSOperation.peekMessages
    public var QueueUrl: String?
    public var MaxNumberOfMessages: Int?
    public var NextToken: String?
    public init(QueueUrl: String?, MaxNumberOfMessages: Int? = nil, NextToken: String? = nil) {
        self.QueueUrl = QueueUrl; self.MaxNumberOfMessages = MaxNumberOfMessages; self.NextToken = NextToken
    }
}
