import Synchronization

/// The engine's view of which queues exist, loaded from the store at start and kept in memory
/// so that resolving a queue costs a dictionary lookup, not a query. Every change goes to the
/// store first and to the cache after it is durable.
final class QueueCatalog: Sendable {
    private let queues = Mutex<[QueueKey: StoredQueue]>([:])
    /// Serialises metadata changes (rare) so read-modify-write never loses an update.
    let changeLock = AsyncLock()

    init(_ loaded: [StoredQueue]) {
        queues.withLock { map in
            for queue in loaded { map[queue.key] = queue }
        }
    }

    func lookup(_ key: QueueKey) -> StoredQueue? { queues.withLock { $0[key] } }

    func put(_ queue: StoredQueue) { queues.withLock { $0[queue.key] = queue } }

    func remove(_ key: QueueKey) { queues.withLock { $0[key] = nil } }

    func all() -> [StoredQueue] { queues.withLock { Array($0.values) } }
}
