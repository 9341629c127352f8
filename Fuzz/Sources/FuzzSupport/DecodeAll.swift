import SQSModel
import WharfProtocol

/// Parses bytes as a request, decodes it into its typed input and encodes an error in its
/// protocol: the whole path a hostile body travels before the engine. Any crash is a finding;
/// thrown SQSErrors are the expected outcome for garbage.
public func exercise(method: String, target: String?, contentType: String?, query: String?, body: [UInt8]) {
    guard let call = try? WireCodec.parse(method: method, target: target, contentType: contentType,
                                          queryString: query, body: body) else { return }
    do {
        switch call.operation {
        case .addPermission: _ = try call.decode(AddPermissionRequest.self)
        case .cancelMessageMoveTask: _ = try call.decode(CancelMessageMoveTaskRequest.self)
        case .changeMessageVisibility: _ = try call.decode(ChangeMessageVisibilityRequest.self)
        case .changeMessageVisibilityBatch: _ = try call.decode(ChangeMessageVisibilityBatchRequest.self)
        case .createQueue: _ = try call.decode(CreateQueueRequest.self)
        case .deleteMessage: _ = try call.decode(DeleteMessageRequest.self)
        case .deleteMessageBatch: _ = try call.decode(DeleteMessageBatchRequest.self)
        case .deleteQueue: _ = try call.decode(DeleteQueueRequest.self)
        case .getQueueAttributes: _ = try call.decode(GetQueueAttributesRequest.self)
        case .getQueueUrl: _ = try call.decode(GetQueueUrlRequest.self)
        case .listDeadLetterSourceQueues: _ = try call.decode(ListDeadLetterSourceQueuesRequest.self)
        case .listMessageMoveTasks: _ = try call.decode(ListMessageMoveTasksRequest.self)
        case .listQueueTags: _ = try call.decode(ListQueueTagsRequest.self)
        case .listQueues: _ = try call.decode(ListQueuesRequest.self)
        case .peekMessages: _ = try call.decode(PeekMessagesRequest.self)
        case .purgeQueue: _ = try call.decode(PurgeQueueRequest.self)
        case .receiveMessage: _ = try call.decode(ReceiveMessageRequest.self)
        case .removePermission: _ = try call.decode(RemovePermissionRequest.self)
        case .sendMessage:
            // Echo what was decoded through the encoder too: bodies and attributes end up in XML.
            let request = try call.decode(SendMessageRequest.self)
            let message = Message(MessageId: "id", ReceiptHandle: "h", MD5OfBody: "m", Body: request.MessageBody,
                                  Attributes: nil, MD5OfMessageAttributes: nil, MessageAttributes: request.MessageAttributes)
            _ = WireCodec.encode(ReceiveMessageResponse(Messages: [message]), operation: .receiveMessage,
                                 in: call.wireProtocol, requestId: "fuzz")
        case .sendMessageBatch: _ = try call.decode(SendMessageBatchRequest.self)
        case .setQueueAttributes: _ = try call.decode(SetQueueAttributesRequest.self)
        case .startMessageMoveTask: _ = try call.decode(StartMessageMoveTaskRequest.self)
        case .tagQueue: _ = try call.decode(TagQueueRequest.self)
        case .untagQueue: _ = try call.decode(UntagQueueRequest.self)
        }
    } catch let error as SQSError {
        _ = WireCodec.encode(error: error, in: call.wireProtocol, requestId: "fuzz")
    } catch {
        fatalError("decode threw something other than SQSError: \(error)")
    }
}
