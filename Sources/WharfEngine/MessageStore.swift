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
    public var attributes: [String: String] { didSet { config = QueueConfig(attributes) } }
    /// Parsed once per change of `attributes`: sends and receives read it on every message.
    public private(set) var config: QueueConfig
    public var tags: [String: String]
    public var createdAtMillis: Int64
    public var modifiedAtMillis: Int64
    public var lastPurgeMillis: Int64?

    public init(id: Int64, key: QueueKey, attributes: [String: String], tags: [String: String],
                createdAtMillis: Int64, modifiedAtMillis: Int64, lastPurgeMillis: Int64?) {
        self.id = id; self.key = key; self.attributes = attributes; self.tags = tags
        config = QueueConfig(attributes)
        self.createdAtMillis = createdAtMillis; self.modifiedAtMillis = modifiedAtMillis
        self.lastPurgeMillis = lastPurgeMillis
    }
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
    /// FIFO only: the producer's or the content-based deduplication id.
    public var deduplicationId: String?
    /// Set when the message was dead-lettered: the ARN of the queue it came from.
    public var deadLetterSourceArn: String?
    public var sentAtMillis: Int64

    public init(messageId: String, body: String, md5OfBody: String, attributesJSON: Data?, traceHeader: String?,
                senderId: String, groupId: String?, deduplicationId: String? = nil,
                deadLetterSourceArn: String? = nil, sentAtMillis: Int64) {
        self.messageId = messageId; self.body = body; self.md5OfBody = md5OfBody
        self.attributesJSON = attributesJSON; self.traceHeader = traceHeader; self.senderId = senderId
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

/// A message about to be written, and when it first becomes visible (after its delay).
public struct NewMessage: Sendable {
    public var record: MessageRecord
    public var visibleAtMillis: Int64
    public var deduplication: DeduplicationKey?
    public init(record: MessageRecord, visibleAtMillis: Int64, deduplication: DeduplicationKey? = nil) {
        self.record = record; self.visibleAtMillis = visibleAtMillis; self.deduplication = deduplication
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
    /// The receive's nonce, which makes its receipt handle unique; a replayed FIFO receive
    /// attempt hands back the nonce of the original receive, hence the same handles.
    public var nonce: UInt64

    public init(seq: Int64, record: MessageRecord, receiveCount: Int, firstReceiveAtMillis: Int64, nonce: UInt64) {
        self.seq = seq; self.record = record; self.receiveCount = receiveCount
        self.firstReceiveAtMillis = firstReceiveAtMillis; self.nonce = nonce
    }
}

/// The order in which a receive picks messages.
public enum ReceiveOrder: Sendable, Equatable {
    /// Standard queue without message groups: by visibility time, then age.
    case oldestFirst
    /// Standard queue with message groups ("fair queues"): round-robin over groups, starting
    /// after the group served last, so that one group's backlog cannot starve the others.
    case fairByGroup(startAfter: String?)
    /// FIFO: strict order within a group; a message is deliverable only while no earlier
    /// message of its group is in flight; a receive drains one group before the next.
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

/// What a receive did.
public struct ReceiveOutcome: Sendable {
    public var claimed: [ClaimedMessage]
    /// Messages moved to the dead-letter queue instead of being returned.
    public var movedToDeadLetter: Int
    /// For `.fairByGroup`: the group served last, where the next receive should start after.
    public var lastGroup: String?
    /// The queue already had `maxInFlight` messages in flight: nothing was taken.
    public var atInFlightLimit: Bool
    public init(claimed: [ClaimedMessage], movedToDeadLetter: Int = 0, lastGroup: String? = nil,
                atInFlightLimit: Bool = false) {
        self.claimed = claimed; self.movedToDeadLetter = movedToDeadLetter; self.lastGroup = lastGroup
        self.atInFlightLimit = atInFlightLimit
    }
}

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
    /// FIFO: the handle's receive is over (see `DeleteOutcome.expired`).
    case expired
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
    /// Writes the messages in one transaction. Messages with a deduplication key whose key is
    /// already held (unexpired at `nowMillis`) are not written; the others take the key.
    func send(queueId: Int64, messages: [NewMessage], nowMillis: Int64) async throws -> [SendOutcome]
    /// Claims up to `claim.limit` messages visible at `claim.nowMillis` in `claim.order`, making
    /// them invisible until `claim.invisibleUntilMillis` and counting the receive. A message whose
    /// receive count already reached the dead-letter target's maximum is moved there instead,
    /// in the same transaction.
    func receive(queueId: Int64, _ claim: ReceiveClaim) async throws -> ReceiveOutcome
    /// Deletes messages. With `currentAt` set (FIFO), a handle deletes only while its receive
    /// is the latest and still invisible at that time.
    func delete(queueId: Int64, messages: [HandleReference], currentAt: Int64?) async throws -> [DeleteOutcome]
    /// Sets each message's visibility to `visibleAtMillis` (one transaction for the batch);
    /// `currentAt` as for `delete`.
    func changeVisibility(queueId: Int64, changes: [(message: HandleReference, visibleAtMillis: Int64)],
                          nowMillis: Int64, maxInvisibleMillis: Int64,
                          currentAt: Int64?) async throws -> [VisibilityChangeResult]
    func purge(queueId: Int64) async throws
    /// Deletes messages sent at or before the cutoff; returns how many.
    func expire(queueId: Int64, sentBeforeMillis: Int64) async throws -> Int
    func counts(queueId: Int64, nowMillis: Int64) async throws -> QueueCounts
    /// The earliest time after `nowMillis` at which a hidden message becomes visible, if any:
    /// what a long poll sleeps until when nothing is visible yet.
    func nextVisibleTime(queueId: Int64, after nowMillis: Int64) async throws -> Int64?
    /// Forgets deduplication ids and receive attempts that expired at or before `nowMillis`.
    func forgetExpiredKeys(nowMillis: Int64, attemptsBeforeMillis: Int64) async throws

    // Message move tasks (dead-letter redrive)
    /// Stores a new task, setting its `toMove` and `boundarySeq` from the source's messages now.
    func createMoveTask(_ task: MoveTask) async throws -> MoveTask
    /// Every task the store remembers, newest first.
    func moveTasks() async throws -> [MoveTask]
    func updateMoveTask(id: String, status: MoveTaskStatus, failureReason: String?) async throws
    /// Moves up to `limit` visible messages of the task's source with seq ≤ its boundary to
    /// their destination and counts them on the task, in one transaction: a message is moved
    /// exactly once however often the server stops in between.
    func moveMessages(task: MoveTask, limit: Int, destination: MoveDestination,
                      nowMillis: Int64) async throws -> MoveStep
}
