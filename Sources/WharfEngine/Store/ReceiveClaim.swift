/// The order in which a receive picks messages.
public enum ReceiveOrder: Sendable, Equatable {
    /// Standard queue without message groups: by send order among the visible messages (a
    /// message whose visibility timeout ran out comes before those sent after it), best effort.
    case oldestFirst
    /// Standard queue with message groups ("fair queues"): round-robin over groups, starting
    /// after the group served last, so that one group's backlog cannot starve the others.
    case fairByGroup(startAfter: String?)
    /// FIFO: strict order within a group; a message is deliverable only while no earlier
    /// message of its group is in flight; a receive drains one group before the next, and the
    /// groups it served wait behind the others for their next turn.
    case fifo
}

/// Where messages go after too many receives (the source queue's RedrivePolicy).
public struct DeadLetterTarget: Sendable, Equatable {
    public var queueId: Int64
    public var maxReceiveCount: Int
    public var sourceArn: String
    public init(queueId: Int64, maxReceiveCount: Int, sourceArn: String) {
        self.queueId = queueId; self.maxReceiveCount = maxReceiveCount; self.sourceArn = sourceArn
    }
}

/// One receive, as the engine asks the store for it.
public struct ReceiveClaim: Sendable {
    public var limit: Int
    public var nowMillis: Int64
    public var invisibleUntilMillis: Int64
    /// Messages sent at or before this are expired (retention) and dropped, never returned.
    public var expiredBeforeMillis: Int64
    public var order: ReceiveOrder
    public var deadLetter: DeadLetterTarget?
    /// FIFO ReceiveRequestAttemptId: a retry with the same id made after `attemptValidAfterMillis`
    /// returns the same messages and handles while none of them was received again or deleted.
    public var attemptId: String?
    public var attemptValidAfterMillis: Int64
    /// At most this many messages of the queue may be in flight: the receive takes only the room
    /// left, counted in the same transaction.
    public var maxInFlight: Int
    public var nonce: UInt64

    public init(limit: Int, nowMillis: Int64, invisibleUntilMillis: Int64, expiredBeforeMillis: Int64,
                order: ReceiveOrder = .oldestFirst, deadLetter: DeadLetterTarget? = nil, attemptId: String? = nil,
                attemptValidAfterMillis: Int64 = 0, maxInFlight: Int = .max,
                nonce: UInt64 = UInt64.random(in: 0...UInt64.max)) {
        self.limit = limit; self.nowMillis = nowMillis; self.invisibleUntilMillis = invisibleUntilMillis
        self.expiredBeforeMillis = expiredBeforeMillis; self.order = order; self.deadLetter = deadLetter
        self.attemptId = attemptId; self.attemptValidAfterMillis = attemptValidAfterMillis
        self.maxInFlight = maxInFlight; self.nonce = nonce
    }
}
