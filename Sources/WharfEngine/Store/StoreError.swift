/// Failures a store reports in terms the engine can act on. Anything else a store throws is an
/// internal error (HTTP 500).
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database cannot be reached or is not accepting work right now (restarting, network
    /// down, pool exhausted past its wait). Nothing was changed, or the change's fate is
    /// unknown; either way the caller may retry: SQS's `ServiceUnavailable` (503).
    case unavailable(String)
    /// The store's disk is full (SQLite's SQLITE_FULL): the transaction was rolled back, nothing
    /// of it was acknowledged, and the same write may succeed once space is freed. A 503.
    case diskFull
    /// The store saw an I/O error where durability was at stake (a failed fsync or write) and
    /// refuses every write from then on: after a failed fsync the page cache no longer tells
    /// what is on disk, so only a restart, which reads the log back from the disk, may go on.
    /// A 503 that lasts until the restart; readiness fails with it.
    case failedClosed(String)
    /// `createQueue`: another writer created a queue with this key first.
    case queueExists
    /// The queue a message operation names is gone (deleted by another node after this one
    /// resolved it): answered as a missing queue.
    case queueMissing
    /// `createMoveTask`: the source queue already has an active task.
    case moveTaskActive

    public var description: String {
        switch self {
        case .unavailable(let reason): "store unavailable: \(reason)"
        case .diskFull: "disk full"
        case .failedClosed(let reason): "failed closed: \(reason)"
        case .queueExists: "queue exists"
        case .queueMissing: "queue missing"
        case .moveTaskActive: "an active move task exists for this source"
        }
    }
}
