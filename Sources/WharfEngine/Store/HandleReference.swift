/// A message named by a receipt handle: the message and which receive of it.
public struct HandleReference: Sendable, Equatable {
    public var seq: Int64
    public var receiveCount: Int
    public init(seq: Int64, receiveCount: Int) { self.seq = seq; self.receiveCount = receiveCount }
}

/// The outcome of deleting one message.
public enum DeleteOutcome: Sendable, Equatable {
    case deleted
    /// Already gone (deleting twice is fine).
    case gone
    /// FIFO: the handle's receive is over (its visibility expired or the message was received
    /// again), so the handle no longer deletes.
    case expired
}

/// The outcome of a visibility change on one message.
public enum VisibilityChangeResult: Sendable, Equatable {
    case changed
    /// The message is gone (deleted, purged, expired).
    case notFound
    /// The new timeout would keep the message hidden longer than 12 h after its last receive.
    case beyondLimit
    /// FIFO: the handle's receive is over (see `DeleteOutcome.expired`).
    case expired
}

/// Message counts for GetQueueAttributes.
public struct QueueCounts: Sendable, Equatable {
    public var visible: Int
    public var inFlight: Int
    public var delayed: Int
    public init(visible: Int, inFlight: Int, delayed: Int) {
        self.visible = visible; self.inFlight = inFlight; self.delayed = delayed
    }
}
