import Foundation
import SQSModel

/// Where a queue lives: account, region and name together identify it. The same name in two
/// regions (taken from the SigV4 scope) is two queues, as on AWS.
public struct QueueKey: Hashable, Sendable, CustomStringConvertible {
    public var account: String
    public var region: String
    public var name: String
    public init(account: String, region: String, name: String) {
        self.account = account; self.region = region; self.name = name
    }
    public var arn: String { "arn:aws:sqs:\(region):\(account):\(name)" }
    public var description: String { arn }
}

/// A queue as the store keeps it. `attributes` holds only the settable attributes the user
/// gave (validated and normalised); defaults and computed values are derived by `QueueConfig`.
public struct StoredQueue: Sendable, Equatable {
    public var id: Int64
    public var key: QueueKey
    public var attributes: [String: String]
    public var tags: [String: String]
    public var createdAtMillis: Int64
    public var modifiedAtMillis: Int64
    public var lastPurgeMillis: Int64?

    public init(id: Int64, key: QueueKey, attributes: [String: String], tags: [String: String],
                createdAtMillis: Int64, modifiedAtMillis: Int64, lastPurgeMillis: Int64?) {
        self.id = id; self.key = key; self.attributes = attributes; self.tags = tags
        self.createdAtMillis = createdAtMillis; self.modifiedAtMillis = modifiedAtMillis
        self.lastPurgeMillis = lastPurgeMillis
    }

    public var config: QueueConfig { QueueConfig(attributes) }
}

/// What a message carries from its send to every receive. Everything a receive returns is
/// fixed here, so the digests are computed once, on send.
public struct MessageRecord: Sendable {
    public var messageId: String
    public var body: String
    public var md5OfBody: String
    /// JSON of `MessageAttributes`, or nil when the message has none.
    public var attributesJSON: Data?
    public var traceHeader: String?
    public var senderId: String
    public var groupId: String?
    public var sentAtMillis: Int64

    public init(messageId: String, body: String, md5OfBody: String, attributesJSON: Data?, traceHeader: String?,
                senderId: String, groupId: String?, sentAtMillis: Int64) {
        self.messageId = messageId; self.body = body; self.md5OfBody = md5OfBody
        self.attributesJSON = attributesJSON; self.traceHeader = traceHeader; self.senderId = senderId
        self.groupId = groupId; self.sentAtMillis = sentAtMillis
    }
}

/// A message about to be written, and when it first becomes visible (after its delay).
public struct NewMessage: Sendable {
    public var record: MessageRecord
    public var visibleAtMillis: Int64
    public init(record: MessageRecord, visibleAtMillis: Int64) {
        self.record = record; self.visibleAtMillis = visibleAtMillis
    }
}

/// A message as handed out by a receive: its state after the claim.
public struct ClaimedMessage: Sendable {
    /// The store's sequence number: unique per store, never reused; part of the receipt handle.
    public var seq: Int64
    public var record: MessageRecord
    /// Receives so far, this one included.
    public var receiveCount: Int
    public var firstReceiveAtMillis: Int64

    public init(seq: Int64, record: MessageRecord, receiveCount: Int, firstReceiveAtMillis: Int64) {
        self.seq = seq; self.record = record; self.receiveCount = receiveCount
        self.firstReceiveAtMillis = firstReceiveAtMillis
    }
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

/// The outcome of a visibility change on one message.
public enum VisibilityChangeResult: Sendable, Equatable {
    case changed
    /// The message is gone (deleted, purged, expired).
    case notFound
    /// The new timeout would keep the message hidden longer than 12 h after its last receive.
    case beyondLimit
}

/// The seam between SQS semantics and bytes on disk.
///
/// Every mutating call is one transaction and returns only once it is durable (committed and
/// synced), so the engine may answer 2xx as soon as the call returns. Calls never read a clock:
/// the engine passes `now`, which keeps stores deterministic under a test clock and lets several
/// nodes share one database. A store keeps no semantics of its own beyond what each method says,
/// so a PostgreSQL store can follow the SQLite one without the engine noticing.
public protocol MessageStore: Sendable {
    // Queues
    func loadQueues() async throws -> [StoredQueue]
    /// Inserts the queue; returns the stored row (with its id). Fails if the key exists.
    func createQueue(key: QueueKey, attributes: [String: String], tags: [String: String],
                     nowMillis: Int64) async throws -> StoredQueue
    /// Replaces attributes, tags, modification and purge times of an existing queue.
    func updateQueue(_ queue: StoredQueue) async throws
    /// Deletes the queue and all its messages and remembers when, for the 60-second rule.
    func deleteQueue(id: Int64, key: QueueKey, nowMillis: Int64) async throws
    /// When a queue of this key was last deleted, if the store remembers it.
    func lastDeletion(of key: QueueKey) async throws -> Int64?

    // Messages
    func send(queueId: Int64, messages: [NewMessage]) async throws
    /// Claims up to `limit` messages visible at `nowMillis`, oldest first, making them invisible
    /// until `invisibleUntilMillis` and counting the receive. Messages sent at or before
    /// `expiredBeforeMillis` are dropped (retention), never returned.
    func receive(queueId: Int64, limit: Int, nowMillis: Int64, invisibleUntilMillis: Int64,
                 expiredBeforeMillis: Int64) async throws -> [ClaimedMessage]
    /// Deletes messages by sequence number; unknown ones are ignored (deleting twice is fine).
    func delete(queueId: Int64, seqs: [Int64]) async throws
    /// Sets each message's visibility to `visibleAtMillis` (one transaction for the batch).
    func changeVisibility(queueId: Int64, changes: [(seq: Int64, visibleAtMillis: Int64)],
                          nowMillis: Int64, maxInvisibleMillis: Int64) async throws -> [VisibilityChangeResult]
    func purge(queueId: Int64) async throws
    /// Deletes messages sent at or before the cutoff; returns how many.
    func expire(queueId: Int64, sentBeforeMillis: Int64) async throws -> Int
    func counts(queueId: Int64, nowMillis: Int64) async throws -> QueueCounts
    /// The earliest time after `nowMillis` at which a hidden message becomes visible, if any:
    /// what a long poll sleeps until when nothing is visible yet.
    func nextVisibleTime(queueId: Int64, after nowMillis: Int64) async throws -> Int64?
}
