/// A message as handed out by a receive: its state after the claim.
public struct ClaimedMessage: Sendable {
    /// The store's sequence number: unique per store, never reused; part of the receipt handle.
    public var seq: Int64
    public var record: MessageRecord
    /// Receives so far, this one included.
    public var receiveCount: Int
    public var firstReceiveAtMillis: Int64
    /// The receive's nonce, which makes its receipt handle unique; a replayed FIFO receive
    /// attempt hands back the nonce of the original receive, hence the same handles.
    public var nonce: UInt64

    public init(seq: Int64, record: MessageRecord, receiveCount: Int, firstReceiveAtMillis: Int64, nonce: UInt64) {
        self.seq = seq; self.record = record; self.receiveCount = receiveCount
        self.firstReceiveAtMillis = firstReceiveAtMillis; self.nonce = nonce
    }
}

/// What a receive did.
public struct ReceiveOutcome: Sendable {
    public var claimed: [ClaimedMessage]
    /// Messages moved to the dead-letter queue instead of being returned.
    public var movedToDeadLetter: Int
    /// For `.fairByGroup`: the group served last, where the next receive should start after.
    public var lastGroup: String?
    /// The queue already had `maxInFlight` messages in flight: nothing was taken.
    public var atInFlightLimit: Bool
    /// With nothing claimed: when the next hidden message becomes visible, if the store found
    /// out while claiming (one round trip fewer for a long poll on a networked store).
    public var nextVisible: NextVisibleTime
    public init(claimed: [ClaimedMessage], movedToDeadLetter: Int = 0, lastGroup: String? = nil,
                atInFlightLimit: Bool = false, nextVisible: NextVisibleTime = .unknown) {
        self.claimed = claimed; self.movedToDeadLetter = movedToDeadLetter; self.lastGroup = lastGroup
        self.atInFlightLimit = atInFlightLimit; self.nextVisible = nextVisible
    }
}

/// What a receive learnt of `MessageStore.nextVisibleTime`.
public enum NextVisibleTime: Sendable, Equatable {
    /// Not looked up: the engine asks the store.
    case unknown
    /// No message is hidden now.
    case never
    case at(millis: Int64)
}
