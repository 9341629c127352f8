import SQSModel

/// How a Query parameter subtree maps onto a member of the typed request
/// (docs/sqs-behaviour.md#query-parameters). Only collections and typed leaves need describing:
/// unknown plain leaves are scalars under their own name (scalars have the same name in both
/// protocols), integers when their name is in `integerMembers`.
indirect enum QueryShape: Sendable {
    case string
    case integer
    /// base64 text; checked here so a bad value is reported with its Query name.
    case blob
    /// `Prefix.N` (N from 1) → array.
    case list(QueryShape)
    /// `Prefix.N.<key>` / `Prefix.N.<value>` → dictionary.
    case map(key: String, value: String, valueShape: QueryShape)
    /// Named members; leaves not listed are scalars.
    case structure(QueryStructure)

    /// A string, integer or blob: the shapes of a node's value rather than of its children.
    var isScalar: Bool {
        switch self {
        case .string, .integer, .blob: true
        case .list, .map, .structure: false
        }
    }

    var isCollection: Bool {
        switch self {
        case .list, .map: true
        case .string, .integer, .blob, .structure: false
        }
    }

    /// Integer members in any request or entry; everything else scalar is a string.
    static let integerMembers: Set<String> = [
        "DelaySeconds", "MaxNumberOfMessages", "VisibilityTimeout", "WaitTimeSeconds",
        "MaxResults", "MaxNumberOfMessagesPerSecond",
    ]

    static let messageAttributeValue = QueryShape.structure(QueryStructure([
        "DataType": QueryMember("DataType", .string),
        "StringValue": QueryMember("StringValue", .string),
        "BinaryValue": QueryMember("BinaryValue", .blob),
        "StringListValue": QueryMember("StringListValues", .list(.string)),
        "BinaryListValue": QueryMember("BinaryListValues", .list(.blob)),
    ]))

    static let messageAttributes = QueryShape.map(key: "Name", value: "Value", valueShape: messageAttributeValue)

    /// Batch entries of all three kinds; members irrelevant to a kind are never read by it.
    static let batchEntry = QueryShape.structure(QueryStructure([
        "MessageAttribute": QueryMember("MessageAttributes", messageAttributes),
        "MessageSystemAttribute": QueryMember("MessageSystemAttributes", messageAttributes),
    ]))

    /// The top-level shape of an operation's input.
    static func request(for operation: SQSOperation) -> QueryStructure {
        requests[operation] ?? makeRequest(for: operation)
    }

    private static let requests: [SQSOperation: QueryStructure] = Dictionary(
        uniqueKeysWithValues: SQSOperation.allCases.map { ($0, makeRequest(for: $0)) })

    private static func makeRequest(for operation: SQSOperation) -> QueryStructure {
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
        // No entries at all is an empty batch, which the engine answers with EmptyBatchRequest.
        let entries = { (name: String) in
            members[name] = QueryMember("Entries", .list(batchEntry), emptyWhenAbsent: true)
        }
        switch operation {
        case .receiveMessage:
            members["MessageSystemAttributeName"] = QueryMember("MessageSystemAttributeNames", .list(.string))
        case .sendMessageBatch: entries("SendMessageBatchRequestEntry")
        case .deleteMessageBatch: entries("DeleteMessageBatchRequestEntry")
        case .changeMessageVisibilityBatch: entries("ChangeMessageVisibilityBatchRequestEntry")
        default: break
        }
        return QueryStructure(members)
    }
}

/// A structure's members by their Query names, and the Query name of each JSON member name.
struct QueryStructure: Sendable {
    let members: [String: QueryMember]
    let queryNames: [String: String]

    init(_ members: [String: QueryMember]) {
        self.members = members
        queryNames = Dictionary(uniqueKeysWithValues: members.map { ($0.value.jsonName, $0.key) })
    }
}

/// A Query name's member name in the typed request (its JSON name) and shape.
struct QueryMember: Sendable {
    let jsonName: String
    let shape: QueryShape
    /// Absent, it reads as an empty collection.
    let emptyWhenAbsent: Bool
    init(_ jsonName: String, _ shape: QueryShape, emptyWhenAbsent: Bool = false) {
        self.jsonName = jsonName
        self.shape = shape
        self.emptyWhenAbsent = emptyWhenAbsent
    }
}
