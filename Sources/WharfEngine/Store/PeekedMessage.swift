/// A message as a peek finds it: what it carries and its receive state, untouched.
public struct PeekedMessage: Sendable {
    public var seq: Int64
    public var record: MessageRecord
    /// Receives so far (0: never received).
    public var receiveCount: Int
    /// nil while the message was never received.
    public var firstReceiveAtMillis: Int64?
    /// When it is (or became) visible: after `now` it is in flight, or delayed if never received.
    public var visibleAtMillis: Int64

    public init(seq: Int64, record: MessageRecord, receiveCount: Int, firstReceiveAtMillis: Int64?,
                visibleAtMillis: Int64) {
        self.seq = seq; self.record = record; self.receiveCount = receiveCount
        self.firstReceiveAtMillis = firstReceiveAtMillis; self.visibleAtMillis = visibleAtMillis
    }
}

/// Where a peek resumes: just after this message in send order, which is (sent at, seq) — the
/// order of the stores' `messages_by_age` index, so that a page is a bounded range scan.
public struct PeekCursor: Sendable, Equatable {
    public var sentAtMillis: Int64
    public var seq: Int64
    public init(sentAtMillis: Int64, seq: Int64) { self.sentAtMillis = sentAtMillis; self.seq = seq }
}
