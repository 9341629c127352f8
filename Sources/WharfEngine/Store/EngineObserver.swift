/// What the engine reports as it works, for metrics. The engine knows nothing of how they are
/// exposed; `wharf serve` plugs in a Prometheus implementation. Called on the request path:
/// implementations must be cheap and must not block.
public protocol EngineObserver: Sendable {
    /// Messages added to a queue by a send (`sizes`: each one's size as SQS counts it),
    /// and duplicates a FIFO send dropped.
    func sent(_ queue: StoredQueue, sizes: [Int], deduplicated: Int)
    /// A ReceiveMessage returned `count` messages (0: an empty receive).
    func received(_ queue: StoredQueue, count: Int)
    /// Messages a DeleteMessage[Batch] deleted.
    func deleted(_ queue: StoredQueue, count: Int)
    /// The queue is gone: its series can go too.
    func queueDeleted(_ key: QueueKey)
}

/// No metrics.
public struct SilentObserver: EngineObserver {
    public init() {}
    public func sent(_ queue: StoredQueue, sizes: [Int], deduplicated: Int) {}
    public func received(_ queue: StoredQueue, count: Int) {}
    public func deleted(_ queue: StoredQueue, count: Int) {}
    public func queueDeleted(_ key: QueueKey) {}
}

/// A queue's gauges, computed from the store by one node at a time (see `QueueStats`): every
/// node reports the same values, and a scrape reads them without scanning any queue.
public struct QueueStats: Sendable, Equatable {
    public var queueId: Int64
    public var visible: Int
    public var inFlight: Int
    public var delayed: Int
    /// When the oldest message still in the queue was sent; nil when the queue is empty.
    public var oldestSentAtMillis: Int64?
    /// FIFO: groups whose head message is in flight.
    public var groupsWithInFlight: Int
    /// Fair queues: groups holding more than their share of the backlog (see `QueueStats.noisyFactor`).
    public var noisyGroups: Int
    public var computedAtMillis: Int64

    public init(queueId: Int64, visible: Int, inFlight: Int, delayed: Int, oldestSentAtMillis: Int64?,
                groupsWithInFlight: Int, noisyGroups: Int, computedAtMillis: Int64) {
        self.queueId = queueId; self.visible = visible; self.inFlight = inFlight; self.delayed = delayed
        self.oldestSentAtMillis = oldestSentAtMillis; self.groupsWithInFlight = groupsWithInFlight
        self.noisyGroups = noisyGroups; self.computedAtMillis = computedAtMillis
    }

    /// A group of a fair queue is noisy when it holds more than this many times its even share
    /// of the queue's messages (and at least `noisyMinimum` of them): the groups fairness is
    /// protecting the others from. AWS does not publish its rule; this one is Wharf's.
    public static let noisyFactor = 2
    public static let noisyMinimum = 10
}

/// Told about every store commit (metrics): how many operations shared it and how long it took.
public protocol CommitObserver: Sendable {
    func committed(jobs: Int, duration: Duration)
}
