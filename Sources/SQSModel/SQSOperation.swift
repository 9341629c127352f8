/// The 23 operations of the SQS API (model 2012-11-05), and Wharf's one extension, `PeekMessages`
/// (docs/console.md#peekmessages).
public enum SQSOperation: String, CaseIterable, Sendable {
    case addPermission = "AddPermission"
    case cancelMessageMoveTask = "CancelMessageMoveTask"
    case changeMessageVisibility = "ChangeMessageVisibility"
    case changeMessageVisibilityBatch = "ChangeMessageVisibilityBatch"
    case createQueue = "CreateQueue"
    case deleteMessage = "DeleteMessage"
    case deleteMessageBatch = "DeleteMessageBatch"
    case deleteQueue = "DeleteQueue"
    case getQueueAttributes = "GetQueueAttributes"
    case getQueueUrl = "GetQueueUrl"
    case listDeadLetterSourceQueues = "ListDeadLetterSourceQueues"
    case listMessageMoveTasks = "ListMessageMoveTasks"
    case listQueueTags = "ListQueueTags"
    case listQueues = "ListQueues"
    /// Wharf's extension: read messages without receiving them (docs/console.md#peekmessages).
    case peekMessages = "PeekMessages"
    case purgeQueue = "PurgeQueue"
    case receiveMessage = "ReceiveMessage"
    case removePermission = "RemovePermission"
    case sendMessage = "SendMessage"
    case sendMessageBatch = "SendMessageBatch"
    case setQueueAttributes = "SetQueueAttributes"
    case startMessageMoveTask = "StartMessageMoveTask"
    case tagQueue = "TagQueue"
    case untagQueue = "UntagQueue"

    /// Operations that take a `QueueUrl` and may therefore be sent to a queue URL's path.
    /// The others, sent there, get `InvalidAction` (docs/sqs-behaviour.md#dispatch).
    public var isQueueScoped: Bool {
        switch self {
        case .createQueue, .getQueueUrl, .listQueues, .cancelMessageMoveTask,
             .listMessageMoveTasks, .startMessageMoveTask:
            return false
        default:
            return true
        }
    }
}

extension SQSOperation {
    /// The action a queue policy names for this operation: batch operations are governed by
    /// their single-message action (granting SendMessage grants SendMessageBatch).
    public var policyAction: String {
        switch self {
        case .sendMessageBatch: return SQSOperation.sendMessage.rawValue
        case .deleteMessageBatch: return SQSOperation.deleteMessage.rawValue
        case .changeMessageVisibilityBatch: return SQSOperation.changeMessageVisibility.rawValue
        // Peeking reads what a receive would: the queue policy governs it as ReceiveMessage.
        case .peekMessages: return SQSOperation.receiveMessage.rawValue
        default: return rawValue
        }
    }
}
