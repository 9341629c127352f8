/// What one node tells the others, so that several engines over one shared store behave as one
/// endpoint. Events are hints that make the other nodes look at the store again; they carry no
/// state of their own, so a lost event costs latency (until a safety-net re-check), never
/// correctness.
public enum ClusterEvent: Sendable, Equatable {
    /// These queues may have messages that became receivable (a send, a delete that unlocked a
    /// FIFO group, a visibility change, a dead-letter or move-task arrival): wake long polls.
    case messagesAvailable(queueIds: [Int64])
    /// A queue's metadata changed, or it was created or deleted: drop cached copies.
    case queueChanged(QueueKey)
    /// A message move task was started or asked to cancel.
    case moveTasksChanged
    /// Events may have been missed (the connection that carries them was lost): drop every
    /// cached queue and re-check every parked long poll.
    case resync
}

/// Carries `ClusterEvent`s between the engines that share a store. A single node needs none
/// (`SingleNodeBus`); the PostgreSQL store provides one over LISTEN/NOTIFY.
public protocol ClusterBus: Sendable {
    /// Sends the event to the other nodes (never back to this one). Returns at once: delivery
    /// is coalesced and asynchronous.
    func publish(_ event: ClusterEvent)
    /// Events from the other nodes, until the bus is shut down. Called once, by the engine.
    func events() -> AsyncStream<ClusterEvent>
    /// This node has (`true`) or no longer has (`false`) long polls parked on the queue. A bus
    /// may use it to send `messagesAvailable` only for queues that someone waits on.
    func setWaiting(queueId: Int64, _ waiting: Bool)
}

/// The bus of a node that shares its store with nobody: nothing to send, nothing arrives.
public struct SingleNodeBus: ClusterBus {
    public init() {}
    public func publish(_ event: ClusterEvent) {}
    public func events() -> AsyncStream<ClusterEvent> { AsyncStream { $0.finish() } }
    public func setWaiting(queueId: Int64, _ waiting: Bool) {}
}
