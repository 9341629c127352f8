import Yams

/// One entry of `queues:`: a queue that must exist, with these attributes and tags. Account and
/// region default to the server's `account-id` and `default-region`.
public struct QueueDeclaration: Sendable, Equatable {
    public var name: String
    public var account: String?
    public var region: String?
    /// SQS attribute names and values, as SetQueueAttributes takes them.
    public var attributes: [String: String]
    public var tags: [String: String]
    /// Sugar for the RedrivePolicy attribute: the queue (declared in the same file, same account
    /// and region) and the receive count after which messages move there.
    public var deadLetter: DeadLetter?
    /// The Policy attribute, written as YAML or as a JSON string.
    public var policy: String?
    /// Where the declaration starts in the file (for errors).
    public var line: Int?

    public struct DeadLetter: Sendable, Equatable {
        public var queue: String
        public var maxReceiveCount: Int
        public init(queue: String, maxReceiveCount: Int) { self.queue = queue; self.maxReceiveCount = maxReceiveCount }
    }

    public init(name: String, account: String? = nil, region: String? = nil, attributes: [String: String] = [:],
                tags: [String: String] = [:], deadLetter: DeadLetter? = nil, policy: String? = nil, line: Int? = nil) {
        self.name = name; self.account = account; self.region = region; self.attributes = attributes
        self.tags = tags; self.deadLetter = deadLetter; self.policy = policy; self.line = line
    }

    init(_ node: Node, reader: inout NodeReader) throws(ConfigError) {
        let map = try reader.mapping(node, allowed: ["name", "account", "region", "attributes", "tags", "dead-letter", "policy"],
                                     what: "a queue")
        guard let nameNode = map["name"] else { throw reader.fail(node, "a queue needs a name") }
        name = try reader.string(nameNode, what: "name")
        account = try map["account"].map { n throws(ConfigError) in try reader.string(n, what: "account") }
        region = try map["region"].map { n throws(ConfigError) in try reader.string(n, what: "region") }
        attributes = try map["attributes"].map { n throws(ConfigError) in try reader.strings(n, what: "attributes") } ?? [:]
        tags = try map["tags"].map { n throws(ConfigError) in try reader.strings(n, what: "tags") } ?? [:]
        policy = try map["policy"].map { n throws(ConfigError) in try reader.json(n, what: "policy") }
        line = node.mark?.line
        if let deadLetterNode = map["dead-letter"] {
            let dl = try reader.mapping(deadLetterNode, allowed: ["queue", "max-receive-count"], what: "dead-letter")
            guard let queue = dl["queue"], let count = dl["max-receive-count"] else {
                throw reader.fail(deadLetterNode, "dead-letter needs queue and max-receive-count")
            }
            deadLetter = DeadLetter(queue: try reader.string(queue, what: "dead-letter.queue"),
                                    maxReceiveCount: try reader.int(count, what: "dead-letter.max-receive-count"))
            if attributes["RedrivePolicy"] != nil {
                throw reader.fail(deadLetterNode, "give dead-letter or attributes.RedrivePolicy, not both")
            }
        }
        if policy != nil && attributes["Policy"] != nil {
            throw reader.fail(node, "give policy or attributes.Policy, not both")
        }
    }
}
