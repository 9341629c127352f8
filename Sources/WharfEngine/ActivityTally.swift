import Synchronization

/// This node's sends and receives per queue since its last flush to the store. Counting is a
/// dictionary update under a lock on the request path; the store sees one write per queue per
/// flush, not one per message (a counter row updated by every send would serialise them).
final class ActivityTally: Sendable {
    private let pending = Mutex<[Int64: ActivityCounts]>([:])

    func add(_ queueId: Int64, _ counts: ActivityCounts) {
        pending.withLock { $0[queueId, default: ActivityCounts()] = $0[queueId, default: ActivityCounts()] + counts }
    }

    /// What this node counted for the queue and has not flushed yet.
    func unflushed(_ queueId: Int64) -> ActivityCounts {
        pending.withLock { $0[queueId] ?? ActivityCounts() }
    }

    /// Everything counted so far; the tally starts again from zero.
    func take() -> [Int64: ActivityCounts] {
        pending.withLock { counts in
            defer { counts = [:] }
            return counts
        }
    }

    /// Puts back counts whose flush failed, to go out with the next one.
    func restore(_ counts: [Int64: ActivityCounts]) {
        for (queueId, value) in counts { add(queueId, value) }
    }
}
