import Synchronization

// Readiness: whether this node can do its job now, i.e. whether the store answers and takes
// writes, growing ones included. Cheap enough for a probe every second: the store's answer is
// reused for a second, so a flood of probes costs the store one write a second.
extension SQSEngine {
    static let readinessCacheMillis: Int64 = 1_000

    /// True when the store accepted a write within the last second (or does now) and the
    /// admission takes growing writes.
    public func isReady() async -> Bool { await notReadyReason() == nil }

    /// nil when ready; otherwise why not, for the probe's answer.
    public func notReadyReason() async -> String? {
        // A node below its disk watermark still drains queues, but it should not be sent new
        // messages: a balancer routes sends to a node that takes them.
        if let refusal = admission.refusalReason() { return refusal }
        let now = clock.nowMillis()
        if let cached = readiness.withLock({ state -> Bool? in
            guard let checked = state.checkedAt, now - checked < Self.readinessCacheMillis else { return nil }
            return state.ready
        }) {
            return cached ? nil : Self.storeNotReady
        }
        let ready: Bool
        do {
            try await store.ping()
            ready = true
        } catch {
            logger.warning("not ready: the store does not accept writes: \(error)")
            ready = false
        }
        readiness.withLock { $0 = Readiness(checkedAt: now, ready: ready) }
        return ready ? nil : Self.storeNotReady
    }

    static let storeNotReady = "the store does not accept writes"
}

/// The last readiness check.
struct Readiness {
    var checkedAt: Int64?
    var ready = false
}
