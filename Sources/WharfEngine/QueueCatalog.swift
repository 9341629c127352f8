import Synchronization

/// A cache of the store's queues, so that resolving a queue on every request costs a
/// dictionary lookup rather than a query. The store is the truth: an entry is dropped when this
/// node changes the queue, when another node says it changed it (`ClusterEvent.queueChanged`),
/// and after `ttlMillis` in any case, so that a lost event delays a change by a few seconds at
/// most. Only queues that exist are cached: a queue another node just created is found on the
/// first request for it, never hidden behind a cached miss.
final class QueueCatalog: Sendable {
    private struct Entry {
        var queue: StoredQueue
        var loadedAtMillis: Int64
    }
    private struct State {
        var entries: [QueueKey: Entry] = [:]
        /// Bumped by every invalidation: a load that started before one must not store what it
        /// read, which may predate the change.
        var generation: UInt64 = 0
    }
    private let state = Mutex(State())
    let ttlMillis: Int64

    init(ttlMillis: Int64 = 5_000) { self.ttlMillis = ttlMillis }

    enum Lookup {
        case hit(StoredQueue)
        case miss(generation: UInt64)
    }

    func lookup(_ key: QueueKey, nowMillis: Int64) -> Lookup {
        state.withLock { state in
            if let entry = state.entries[key], nowMillis - entry.loadedAtMillis < ttlMillis {
                return .hit(entry.queue)
            }
            return .miss(generation: state.generation)
        }
    }

    var generation: UInt64 { state.withLock { $0.generation } }

    /// Stores what a load read, unless an invalidation happened since it started.
    func store(_ queue: StoredQueue?, for key: QueueKey, loadedAt nowMillis: Int64, generation: UInt64) {
        state.withLock { state in
            guard state.generation == generation else { return }
            state.entries[key] = queue.map { Entry(queue: $0, loadedAtMillis: nowMillis) }
        }
    }

    /// This node wrote the queue (or deleted it: nil): the cache now holds what was written.
    func put(_ queue: StoredQueue?, for key: QueueKey, nowMillis: Int64) {
        state.withLock { state in
            state.generation &+= 1
            state.entries[key] = queue.map { Entry(queue: $0, loadedAtMillis: nowMillis) }
        }
    }

    func invalidate(_ key: QueueKey) {
        state.withLock { state in
            state.generation &+= 1
            state.entries[key] = nil
        }
    }

    func invalidateAll() {
        state.withLock { state in
            state.generation &+= 1
            state.entries.removeAll()
        }
    }

    /// The cached id of a queue, if any (to wake its long polls when another node changed it).
    func cachedId(of key: QueueKey) -> Int64? {
        state.withLock { $0.entries[key]?.queue.id }
    }
}
