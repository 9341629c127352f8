/// The seam between SQS semantics and bytes on disk.
///
/// Every mutating call is one transaction and returns only once it is durable (committed and
/// synced), so the engine may answer 2xx as soon as the call returns. Calls never read a clock:
/// the engine passes `now`, which keeps stores deterministic under a test clock and gives every
/// node that shares a database the same arithmetic. A store keeps no semantics of its own beyond
/// what each method says, so the SQLite and PostgreSQL stores are interchangeable.
///
/// Several engines may share one store (the PostgreSQL store): every call must then be atomic
/// against concurrent calls from other processes, and nothing a call returns may be assumed to
/// stay true after it returns. Conflicts are reported, not resolved, by the store: a queue
/// update names the version it was computed from (`StoredQueue.version`), a queue or move task
/// that another writer created first is a `StoreError`.
///
/// Failures to reach the database are `StoreError.unavailable`, which the engine answers with
/// SQS's retryable `ServiceUnavailable`.
public protocol MessageStore: Sendable {
    /// Succeeds when the store answers and accepts writes (the readiness probe).
    func ping() async throws

    // MARK: Queues

    /// Every queue of every account and region.
    func loadQueues() async throws -> [StoredQueue]
    /// The queue with this key, read from the store (not from any cache).
    func queue(_ key: QueueKey) async throws -> StoredQueue?
    /// Inserts the queue (version 1); returns the stored row. `StoreError.queueExists` when the
    /// key is taken.
    func createQueue(key: QueueKey, attributes: [String: String], tags: [String: String],
                     nowMillis: Int64) async throws -> StoredQueue
    /// Writes attributes, tags, modification and purge times, provided the row still has
    /// `queue.version`; returns the row as written (version bumped), or nil when the queue is
    /// gone or was changed since it was read.
    func updateQueue(_ queue: StoredQueue) async throws -> StoredQueue?
    /// `updateQueue`, and in the same transaction deletes every message of the queue, its
    /// deduplication ids and receive attempts (PurgeQueue).
    func purgeQueue(_ queue: StoredQueue) async throws -> StoredQueue?
    /// Deletes the queue and all its messages and remembers when, for the 60-second rule.
    func deleteQueue(id: Int64, key: QueueKey, nowMillis: Int64) async throws
    /// When a queue of this key was last deleted, if the store remembers it.
    func lastDeletion(of key: QueueKey) async throws -> Int64?

    // MARK: Messages

    /// Writes the messages in one transaction. Messages with a deduplication key whose key is
    /// already held (unexpired at `nowMillis`) are not written; the others take the key.
    /// `StoreError.queueMissing` when the queue no longer exists.
    func send(queueId: Int64, messages: [NewMessage], nowMillis: Int64) async throws -> [SendOutcome]
    /// Claims up to `claim.limit` messages visible at `claim.nowMillis` in `claim.order`, making
    /// them invisible until `claim.invisibleUntilMillis` and counting the receive. A message whose
    /// receive count already reached the dead-letter target's maximum is moved there instead,
    /// in the same transaction. Two concurrent receives never claim the same message, nor (FIFO)
    /// messages of the same group.
    func receive(queueId: Int64, _ claim: ReceiveClaim) async throws -> ReceiveOutcome
    /// Deletes messages. With `currentAt` set (FIFO), a handle deletes only while its receive
    /// is the latest and still invisible at that time.
    func delete(queueId: Int64, messages: [HandleReference], currentAt: Int64?) async throws -> [DeleteOutcome]
    /// Sets each message's visibility to `visibleAtMillis` (one transaction for the batch);
    /// `currentAt` as for `delete`.
    func changeVisibility(queueId: Int64, changes: [(message: HandleReference, visibleAtMillis: Int64)],
                          nowMillis: Int64, maxInvisibleMillis: Int64,
                          currentAt: Int64?) async throws -> [VisibilityChangeResult]
    /// Up to `limit` messages of the queue in send order (sent at, then seq) after `cursor`, sent
    /// after `sentAfterMillis` (older ones are past retention), read without changing anything:
    /// no visibility, receive count or group lock moves (PeekMessages). A range scan of an index
    /// that stops after `limit` rows, whatever the backlog.
    func peek(queueId: Int64, after cursor: PeekCursor?, sentAfterMillis: Int64, limit: Int) async throws -> [PeekedMessage]
    /// Deletes messages sent at or before the cutoff; returns how many.
    func expire(queueId: Int64, sentBeforeMillis: Int64) async throws -> Int
    func counts(queueId: Int64, nowMillis: Int64) async throws -> QueueCounts
    /// The earliest time after `nowMillis` at which a hidden message becomes visible, if any:
    /// what a long poll sleeps until when nothing is visible yet.
    func nextVisibleTime(queueId: Int64, after nowMillis: Int64) async throws -> Int64?
    /// Forgets deduplication ids and receive attempts that expired at or before `nowMillis`.
    func forgetExpiredKeys(nowMillis: Int64, attemptsBeforeMillis: Int64) async throws

    // MARK: Message move tasks (dead-letter redrive)

    /// Stores a new task, setting its `toMove` and `boundarySeq` from the source's messages now.
    /// `StoreError.moveTaskActive` when the source already has a RUNNING or CANCELLING task.
    func createMoveTask(_ task: MoveTask) async throws -> MoveTask
    /// The tasks of one source queue (every task when nil), newest first.
    func moveTasks(sourceQueueId: Int64?) async throws -> [MoveTask]
    /// Sets the task's status if it currently is one of `from`; returns whether it did.
    func updateMoveTask(id: String, status: MoveTaskStatus, failureReason: String?,
                        from: Set<MoveTaskStatus>) async throws -> Bool
    /// While the task is RUNNING: moves up to `limit` visible messages of its source with
    /// seq ≤ its boundary to their destination and counts them on the task, in one transaction,
    /// so a message is moved exactly once however often a node stops in between. Reports the
    /// task's status as this step found it.
    func moveMessages(task: MoveTask, limit: Int, destination: MoveDestination,
                      nowMillis: Int64) async throws -> MoveStep

    // MARK: Gauges

    /// Recomputes every queue's gauges (`QueueStats`) and keeps them in the store, where every
    /// node reads the same values. A scan of the messages: run in the background by one node
    /// at a time, never per scrape.
    func refreshQueueStats(nowMillis: Int64) async throws
    /// The gauges as last computed.
    func queueStats() async throws -> [QueueStats]

    // MARK: Activity

    /// Adds counts (one node's, since its last flush) to the queues' running totals. Counts for
    /// a queue that no longer exists are dropped.
    func addActivity(_ counts: [Int64: ActivityCounts]) async throws
    /// A queue's running totals and its oldest message as the gauges last saw it.
    func activity(queueId: Int64) async throws -> QueueActivity

    // MARK: Leases

    /// Takes the named lease for `owner` until `nowMillis + durationMillis` if it is free,
    /// expired or already `owner`'s (which renews it); returns whether `owner` holds it now.
    /// Background work that must run on one node at a time (retention sweeps, each move task)
    /// runs only while its node holds the lease, and another node takes over when it expires.
    func acquireLease(_ name: String, owner: String, nowMillis: Int64, durationMillis: Int64) async throws -> Bool
    /// Gives the lease up if `owner` holds it.
    func releaseLease(_ name: String, owner: String) async throws
}
