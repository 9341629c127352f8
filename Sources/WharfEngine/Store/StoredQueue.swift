/// A queue as the store keeps it. `attributes` holds only the settable attributes the user
/// gave (validated and normalised); defaults and computed values are derived by `QueueConfig`.
///
/// `version` makes metadata changes safe with several writers: a store applies an update only
/// while the row still has the version the change was computed from, and bumps it, so two
/// nodes that read the same queue cannot both write their change over the other's.
public struct StoredQueue: Sendable, Equatable {
    public var id: Int64
    public var key: QueueKey
    public var attributes: [String: String] { didSet { config = QueueConfig(attributes) } }
    /// Parsed once per change of `attributes`: sends and receives read it on every message.
    public private(set) var config: QueueConfig
    public var tags: [String: String]
    public var createdAtMillis: Int64
    public var modifiedAtMillis: Int64
    public var lastPurgeMillis: Int64?
    /// The row's version: 1 when created, one more with every update.
    public var version: Int64

    public init(id: Int64, key: QueueKey, attributes: [String: String], tags: [String: String],
                createdAtMillis: Int64, modifiedAtMillis: Int64, lastPurgeMillis: Int64?, version: Int64 = 1) {
        self.id = id; self.key = key; self.attributes = attributes; self.tags = tags
        config = QueueConfig(attributes)
        self.createdAtMillis = createdAtMillis; self.modifiedAtMillis = modifiedAtMillis
        self.lastPurgeMillis = lastPurgeMillis; self.version = version
    }
}
