import Synchronization

// Readiness: whether this node can do its job now, i.e. whether the store answers and takes
// writes. Cheap enough for a probe every second: the answer is reused for a second, so a flood
// of probes costs the store one write a second.
extension SQSEngine {
    static let readinessCacheMillis: Int64 = 1_000

    /// True when the store accepted a write within the last second (or does now).
    public func isReady() async -> Bool {
        let now = clock.nowMillis()
        if let cached = readiness.withLock({ state -> Bool? in
            guard let checked = state.checkedAt, now - checked < Self.readinessCacheMillis else { return nil }
            return state.ready
        }) {
            return cached
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
        return ready
    }
}

/// The last readiness check.
struct Readiness {
    var checkedAt: Int64?
    var ready = false
}
