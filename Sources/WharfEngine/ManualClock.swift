import Synchronization

/// A clock that moves only when told to. Sleepers wake when `advance` passes their deadline.
public final class ManualClock: WharfClock {
    private struct Sleeper {
        let deadline: Int64
        let continuation: CheckedContinuation<Void, any Error>
    }
    private struct State {
        var now: Int64
        var nextId = 0
        var sleepers: [Int: Sleeper] = [:]
    }
    private let state: Mutex<State>

    public init(startMillis: Int64 = 1_700_000_000_000) {
        state = Mutex(State(now: startMillis))
    }

    public func nowMillis() -> Int64 { state.withLock { $0.now } }

    /// Moves time forward and wakes every sleeper whose deadline has been reached.
    public func advance(byMillis delta: Int64) {
        let due: [Sleeper] = state.withLock { state in
            state.now += delta
            let now = state.now
            let ready = state.sleepers.filter { $0.value.deadline <= now }
            for key in ready.keys { state.sleepers[key] = nil }
            return Array(ready.values)
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    public func advance(bySeconds seconds: Int64) { advance(byMillis: seconds * 1000) }

    /// The number of tasks currently sleeping on this clock (lets tests wait until a long poll
    /// is parked before they move time).
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// When the tasks sleeping on this clock wake, earliest first. A sleeper leaves this list
    /// only when `advance` reaches its deadline or its task is cancelled, so a test that finds
    /// a long poll's deadline here knows — without waiting — that the poll is still parked.
    public var sleeperDeadlines: [Int64] { state.withLock { $0.sleepers.values.map(\.deadline).sorted() } }

    public func sleep(untilMillis deadline: Int64) async throws {
        let id: Int = state.withLock { state in
            state.nextId += 1
            return state.nextId
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow: Bool = state.withLock { state in
                    if deadline <= state.now || Task.isCancelled { return true }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let sleeper = state.withLock { $0.sleepers.removeValue(forKey: id) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
        try Task.checkCancellation()
    }
}
