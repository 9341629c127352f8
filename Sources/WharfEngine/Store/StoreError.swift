/// Failures a store reports in terms the engine can act on. Anything else a store throws is an
/// internal error (HTTP 500).
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database cannot be reached or is not accepting work right now (restarting, network
    /// down, pool exhausted past its wait). Nothing was changed, or the change's fate is
    /// unknown; either way the caller may retry: SQS's `ServiceUnavailable` (503).
    case unavailable(String)
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
        case .queueExists: "queue exists"
        case .queueMissing: "queue missing"
        case .moveTaskActive: "an active move task exists for this source"
        }
    }
}
