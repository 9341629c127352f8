import Foundation

/// What a message carries from its send to every receive. Everything a receive returns is
/// fixed here, digests included, so they are computed once, on send.
public struct MessageRecord: Sendable {
    public var messageId: String
    public var body: String
    public var md5OfBody: String
    /// JSON of `MessageAttributes`, or nil when the message has none.
    public var attributesJSON: Data?
    /// The MD5 of all the message attributes, as SendMessage returned it; nil when the message
    /// has none, or was stored by a Wharf that did not keep it (it is then computed on receive).
    public var md5OfAttributes: String?
    public var traceHeader: String?
    public var senderId: String
    public var groupId: String?
    /// FIFO only: the producer's or the content-based deduplication id.
    public var deduplicationId: String?
    /// Set when the message was dead-lettered: the ARN of the queue it came from.
    public var deadLetterSourceArn: String?
    public var sentAtMillis: Int64

    public init(messageId: String, body: String, md5OfBody: String, attributesJSON: Data?,
                md5OfAttributes: String? = nil, traceHeader: String?, senderId: String, groupId: String?,
                deduplicationId: String? = nil, deadLetterSourceArn: String? = nil, sentAtMillis: Int64) {
        self.messageId = messageId; self.body = body; self.md5OfBody = md5OfBody
        self.attributesJSON = attributesJSON; self.md5OfAttributes = md5OfAttributes
        self.traceHeader = traceHeader; self.senderId = senderId
        self.groupId = groupId; self.deduplicationId = deduplicationId
        self.deadLetterSourceArn = deadLetterSourceArn; self.sentAtMillis = sentAtMillis
    }
}

/// A FIFO deduplication key: within `scope` (the group id under `DeduplicationScope=messageGroup`,
/// else empty) a second message with the same id before `expiresAtMillis` is not enqueued.
public struct DeduplicationKey: Sendable, Equatable {
    public var scope: String
    public var id: String
    public var expiresAtMillis: Int64
    public init(scope: String, id: String, expiresAtMillis: Int64) {
        self.scope = scope; self.id = id; self.expiresAtMillis = expiresAtMillis
    }
}

/// A message about to be written, and when it first becomes visible (after its delay).
public struct NewMessage: Sendable {
    public var record: MessageRecord
    public var visibleAtMillis: Int64
    public var deduplication: DeduplicationKey?
    public init(record: MessageRecord, visibleAtMillis: Int64, deduplication: DeduplicationKey? = nil) {
        self.record = record; self.visibleAtMillis = visibleAtMillis; self.deduplication = deduplication
    }
}

/// What became of one message of a send.
public enum SendOutcome: Sendable, Equatable {
    /// Written; `seq` is its store sequence number (the FIFO SequenceNumber derives from it).
    case stored(seq: Int64)
    /// A duplicate within the deduplication window: nothing written; the original's id and seq.
    case duplicate(messageId: String, seq: Int64)

    public var seq: Int64 {
        switch self { case .stored(let seq), .duplicate(_, let seq): seq }
    }
}
