import SQSModel

// One conformance per response shape; element order follows the Query model's member order.

extension CreateQueueResponse: XMLResult {
    func writeXML(to xml: inout XMLWriter, operation: SQSOperation) { xml.element("QueueUrl", QueueUrl) }
}

extension GetQueueUrlResponse: XMLResult {
    func writeXML(to xml: inout XMLWriter, operation: SQSOperation) { xml.element("QueueUrl", QueueUrl) }
}

extension ListQueuesResponse: XMLResult {
    func writeXML(to xml: inout XMLWriter, operation: SQSOperation) {
        for url in QueueUrls ?? [] { xml.element("QueueUrl", url) }
        xml.element("NextToken", NextToken)
    }
}

extension GetQueueAttributesResponse: XMLResult {
    func writeXML(to xml: inout XMLWriter, operation: SQSOperation) { xml.map(Attributes, element: "Attribute") }
}

extension ListQueueTagsResponse: XMLResult {
    func writeXML(to xml: inout XMLWriter, operation: SQSOperation) {
        xml.map(Tags, element: "Tag", key: "Key", value: "Value")
    }
}

extension SendMessageResponse: XMLResult {
    func writeXML(to xml: inout XMLWriter, operation: SQSOperation) { writeMembers(to: &xml) }
}

extension SendMessageBatchResponse: XMLResult {
    func writeXML(to xml: inout XMLWriter, operation: SQSOperation) {
        for s in Successful {
            xml.open("SendMessageBatchResultEntry")
            s.writeMembers(to: &xml)
            xml.close("SendMessageBatchResultEntry")
        }
        xml.failures(Failed)
    }
}

extension BatchIdResponse: XMLResult {
    /// Serves DeleteMessageBatch and ChangeMessageVisibilityBatch; only the entry name differs.
    func writeXML(to xml: inout XMLWriter, operation: SQSOperation) {
        let entry = operation == .changeMessageVisibilityBatch
            ? "ChangeMessageVisibilityBatchResultEntry" : "DeleteMessageBatchResultEntry"
        for s in Successful {
            xml.open(entry)
            s.writeMembers(to: &xml)
            xml.close(entry)
        }
        xml.failures(Failed)
    }
}

extension ReceiveMessageResponse: XMLResult {
    func writeXML(to xml: inout XMLWriter, operation: SQSOperation) { xml.messages(Messages ?? []) }
}

/// Wharf's PeekMessages: ReceiveMessage's message elements, then the next page's token.
extension PeekMessagesResponse: XMLResult {
    func writeXML(to xml: inout XMLWriter, operation: SQSOperation) {
        xml.messages(Messages)
        xml.element("NextToken", NextToken)
    }
}

extension XMLWriter {
    /// `<Message>` elements, as ReceiveMessage writes them.
    mutating func messages(_ messages: [Message]) {
        for m in messages {
            open("Message")
            element("MessageId", m.MessageId)
            element("ReceiptHandle", m.ReceiptHandle)
            element("MD5OfBody", m.MD5OfBody)
            element("Body", m.Body)
            map(m.Attributes, element: "Attribute")
            element("MD5OfMessageAttributes", m.MD5OfMessageAttributes)
            messageAttributes(m.MessageAttributes, element: "MessageAttribute")
            close("Message")
        }
    }
}

extension ListDeadLetterSourceQueuesResponse: XMLResult {
    func writeXML(to xml: inout XMLWriter, operation: SQSOperation) {
        for url in queueUrls { xml.element("QueueUrl", url) }
        xml.element("NextToken", NextToken)
    }
}

extension StartMessageMoveTaskResponse: XMLResult {
    func writeXML(to xml: inout XMLWriter, operation: SQSOperation) { xml.element("TaskHandle", TaskHandle) }
}

extension CancelMessageMoveTaskResponse: XMLResult {
    func writeXML(to xml: inout XMLWriter, operation: SQSOperation) {
        xml.element("ApproximateNumberOfMessagesMoved", ApproximateNumberOfMessagesMoved.map(String.init))
    }
}

extension ListMessageMoveTasksResponse: XMLResult {
    func writeXML(to xml: inout XMLWriter, operation: SQSOperation) {
        for r in Results ?? [] {
            xml.open("ListMessageMoveTasksResultEntry")
            xml.element("TaskHandle", r.TaskHandle)
            xml.element("Status", r.Status)
            xml.element("SourceArn", r.SourceArn)
            xml.element("DestinationArn", r.DestinationArn)
            xml.element("MaxNumberOfMessagesPerSecond", r.MaxNumberOfMessagesPerSecond.map(String.init))
            xml.element("ApproximateNumberOfMessagesMoved", r.ApproximateNumberOfMessagesMoved.map(String.init))
            xml.element("ApproximateNumberOfMessagesToMove", r.ApproximateNumberOfMessagesToMove.map(String.init))
            xml.element("FailureReason", r.FailureReason)
            xml.element("StartedTimestamp", r.StartedTimestamp.map(String.init))
            xml.close("ListMessageMoveTasksResultEntry")
        }
    }
}
