/// Messages sent to and received from a queue: counted by each node as it serves requests and
/// added to the queue's running totals in the store now and then (`SQSEngine.flushActivity`),
/// so that every node reports the same totals — the sums of all nodes' counts.
public struct ActivityCounts: Sendable, Equatable {
    public var sent: Int64
    public var received: Int64

    public init(sent: Int64 = 0, received: Int64 = 0) {
        self.sent = sent
        self.received = received
    }

    public static func + (a: ActivityCounts, b: ActivityCounts) -> ActivityCounts {
        ActivityCounts(sent: a.sent + b.sent, received: a.received + b.received)
    }
}

/// What the store knows of a queue's activity: its running totals since it was created (a
/// purge does not reset them), and when its oldest message was sent as the queue gauges last
/// saw it (`refreshQueueStats`; nil when the queue was empty or the gauges have not run yet).
public struct QueueActivity: Sendable, Equatable {
    public var totals: ActivityCounts
    public var oldestSentAtMillis: Int64?

    public init(totals: ActivityCounts, oldestSentAtMillis: Int64?) {
        self.totals = totals
        self.oldestSentAtMillis = oldestSentAtMillis
    }
}
