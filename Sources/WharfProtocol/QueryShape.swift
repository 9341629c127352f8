import SQSModel

/// How a Query parameter subtree maps onto a JSON member (docs/sqs-behaviour.md#query-parameters).
/// Only collections and typed leaves need describing: unknown plain leaves pass through as
/// scalars under their own name (scalars have the same name in both protocols).
indirect enum QueryShape: Sendable {
    case string
    case integer
    /// base64 text; checked here so a bad value is reported with its Query name.
    case blob
    /// `Prefix.N` (N from 1) → array.
    case list(QueryShape)
    /// `Prefix.N.<key>` / `Prefix.N.<value>` → object.
    case map(key: String, value: String, valueShape: QueryShape)
    /// Named members; leaves not listed pass through as scalars.
    case structure([String: QueryMember])

    /// Integer members in any request or entry; everything else scalar is a string.
    static let integerMembers: Set<String> = [
        "DelaySeconds", "MaxNumberOfMessages", "VisibilityTimeout", "WaitTimeSeconds",
        "MaxResults", "MaxNumberOfMessagesPerSecond",
    ]

    static let messageAttributeValue = QueryShape.structure([
        "DataType": QueryMember("DataType", .string),
        "StringValue": QueryMember("StringValue", .string),
        "BinaryValue": QueryMember("BinaryValue", .blob),
        "StringListValue": QueryMember("StringListValues", .list(.string)),
        "BinaryListValue": QueryMember("BinaryListValues", .list(.blob)),
    ])

    static let messageAttributes = QueryShape.map(key: "Name", value: "Value", valueShape: messageAttributeValue)

    /// Batch entries of all three kinds; members irrelevant to a kind are ignored by its decoder.
    static let batchEntry = QueryShape.structure([
        "MessageAttribute": QueryMember("MessageAttributes", messageAttributes),
        "MessageSystemAttribute": QueryMember("MessageSystemAttributes", messageAttributes),
    ])

    /// The top-level shape of an operation's input.
    static func request(for operation: SQSOperation) -> [String: QueryMember] {
        let stringMap = QueryShape.map(key: "Name", value: "Value", valueShape: .string)
        let tagMap = QueryShape.map(key: "Key", value: "Value", valueShape: .string)
        var members: [String: QueryMember] = [
            "Attribute": QueryMember("Attributes", stringMap),
            "AttributeName": QueryMember("AttributeNames", .list(.string)),
            "MessageAttributeName": QueryMember("MessageAttributeNames", .list(.string)),
            "MessageAttribute": QueryMember("MessageAttributes", messageAttributes),
            "MessageSystemAttribute": QueryMember("MessageSystemAttributes", messageAttributes),
            "TagKey": QueryMember("TagKeys", .list(.string)),
            "AWSAccountId": QueryMember("AWSAccountIds", .list(.string)),
            "ActionName": QueryMember("Actions", .list(.string)),
            // CreateQueue's member is lower-case `tags`; TagQueue's is `Tags`.
            "Tag": QueryMember(operation == .createQueue ? "tags" : "Tags", tagMap),
        ]
        switch operation {
        case .receiveMessage:
            members["MessageSystemAttributeName"] = QueryMember("MessageSystemAttributeNames", .list(.string))
        case .sendMessageBatch:
            members["SendMessageBatchRequestEntry"] = QueryMember("Entries", .list(batchEntry))
        case .deleteMessageBatch:
            members["DeleteMessageBatchRequestEntry"] = QueryMember("Entries", .list(batchEntry))
        case .changeMessageVisibilityBatch:
            members["ChangeMessageVisibilityBatchRequestEntry"] = QueryMember("Entries", .list(batchEntry))
        default:
            break
        }
        return members
    }
}

/// A Query name's JSON member name and shape.
struct QueryMember: Sendable {
    let jsonName: String
    let shape: QueryShape
    init(_ jsonName: String, _ shape: QueryShape) {
        self.jsonName = jsonName
        self.shape = shape
    }
}
