import SQSModel

/// A response that can write the inside of its `<{Op}Result>` element. Lists are flattened
/// (the member element repeats with no wrapper) and maps become Name/Value or Key/Value pairs,
/// as the Query model's `flattened`/`locationName` traits say (docs/sqs-behaviour.md#xml-responses).
protocol XMLResult {
    func writeXML(to xml: inout XMLWriter, operation: SQSOperation)
}

extension XMLWriter {
    /// `<Attribute><Name>k</Name><Value>v</Value></Attribute>`, keys in byte order so output is
    /// deterministic (dictionary order is not).
    mutating func map(_ map: [String: String]?, element: String, key: String = "Name", value: String = "Value") {
        guard let map else { return }
        for k in map.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            open(element)
            self.element(key, k)
            self.element(value, map[k]!)
            close(element)
        }
    }

    mutating func messageAttributes(_ attributes: MessageAttributes?, element: String) {
        guard let attributes else { return }
        for name in attributes.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let v = attributes[name]!
            open(element)
            self.element("Name", name)
            open("Value")
            self.element("StringValue", v.StringValue)
            self.element("BinaryValue", v.BinaryValue?.base64EncodedString())
            for s in v.StringListValues ?? [] { self.element("StringListValue", s) }
            for b in v.BinaryListValues ?? [] { self.element("BinaryListValue", b.base64EncodedString()) }
            self.element("DataType", v.DataType)
            close("Value")
            close(element)
        }
    }

    mutating func failures(_ failed: [BatchResultErrorEntry]?) {
        for f in failed ?? [] {
            open("BatchResultErrorEntry")
            f.writeMembers(to: &self)
            close("BatchResultErrorEntry")
        }
    }
}

/// Finds the XML writer for a response by concrete type. Explicit casts (rather than a dynamic
/// `as? any XMLResult`) reference every conformance statically, so none can be dropped by a
/// static link and a new response type shows up here as a visible omission.
enum XMLResults {
    static func writer(for response: some SQSResponse) -> (any XMLResult)? {
        switch response {
        case let r as CreateQueueResponse: return r
        case let r as GetQueueUrlResponse: return r
        case let r as ListQueuesResponse: return r
        case let r as GetQueueAttributesResponse: return r
        case let r as ListQueueTagsResponse: return r
        case let r as SendMessageResponse: return r
        case let r as SendMessageBatchResponse: return r
        case let r as BatchIdResponse: return r
        case let r as ReceiveMessageResponse: return r
        case let r as PeekMessagesResponse: return r
        case let r as ListDeadLetterSourceQueuesResponse: return r
        case let r as StartMessageMoveTaskResponse: return r
        case let r as CancelMessageMoveTaskResponse: return r
        case let r as ListMessageMoveTasksResponse: return r
        default: return nil
        }
    }
}
