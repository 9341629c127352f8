import Synchronization

/// A FIFO mutual-exclusion lock for async code. Queue metadata changes (create, set
/// attributes, tag, delete) read, await the store, then write: an actor would interleave two
/// such changes at the `await`, this lock does not.
final class AsyncLock: Sendable {
    private struct State {
        var locked = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Mutex(State())

    func withLock<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let acquired = state.withLock { state -> Bool in
                if state.locked {
                    state.waiting.append(continuation)
                    return false
                }
                state.locked = true
                return true
            }
            if acquired { continuation.resume() }
        }
    }

    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiting.isEmpty {
                state.locked = false
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
