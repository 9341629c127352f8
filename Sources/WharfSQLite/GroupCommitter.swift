import Dispatch
import GRDB
import Synchronization
import WharfEngine

/// Runs write jobs from many concurrent requests in shared transactions: one commit, one
/// fsync, many acknowledgements. This is what lets durable writes (synchronous=FULL) go past
/// the ~5k fsyncs/s of this class of disk (docs/stack.md#disk-and-sqlite).
///
/// Each job runs in its own savepoint, so one job's failure rolls back only that job. A job's
/// caller hears back only after the shared transaction has committed.
final class GroupCommitter: Sendable {
    private struct Job: Sendable {
        let run: @Sendable (Database) throws -> Void
        let succeed: @Sendable () -> Void
        let fail: @Sendable (any Error) -> Void
    }
    private struct State {
        var pending: [Job] = []
        var draining = false
    }
    private let writer: DatabasePool
    private let observer: (any CommitObserver)?
    private let state = Mutex(State())
    // Writes block on fsync: keep them off the cooperative thread pool.
    private let thread = DispatchQueue(label: "wharf.sqlite.commit")

    init(writer: DatabasePool, observer: (any CommitObserver)? = nil) {
        self.writer = writer
        self.observer = observer
    }

    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let box = ResultBox<T>()
            let job = Job(
                run: { db in box.value = try work(db) },
                succeed: { continuation.resume(returning: box.value!) },
                fail: { continuation.resume(throwing: $0) })
            let startDrain = state.withLock { state -> Bool in
                state.pending.append(job)
                if state.draining { return false }
                state.draining = true
                return true
            }
            if startDrain { thread.async { self.drain() } }
        }
    }

    private func drain() {
        while true {
            let jobs = state.withLock { state -> [Job] in
                let jobs = state.pending
                state.pending = []
                if jobs.isEmpty { state.draining = false }
                return jobs
            }
            if jobs.isEmpty { return }
            var failures = [(any Error)?](repeating: nil, count: jobs.count)
            let started = ContinuousClock.now
            do {
                try writer.writeWithoutTransaction { db in
                    try db.inTransaction(.immediate) {
                        // Prepared once per connection: GRDB's inSavepoint compiled both
                        // statements again for every job.
                        let begin = try db.cachedStatement(sql: "SAVEPOINT job")
                        let release = try db.cachedStatement(sql: "RELEASE SAVEPOINT job")
                        let rollback = try db.cachedStatement(sql: "ROLLBACK TO SAVEPOINT job")
                        for (index, job) in jobs.enumerated() {
                            try begin.execute()
                            do {
                                try job.run(db)
                            } catch {
                                failures[index] = error
                                try rollback.execute()
                            }
                            try release.execute()
                        }
                        return .commit
                    }
                }
            } catch {
                for job in jobs { job.fail(error) }
                continue
            }
            observer?.committed(jobs: jobs.count, duration: ContinuousClock.now - started)
            for (job, failure) in zip(jobs, failures) {
                if let failure { job.fail(failure) } else { job.succeed() }
            }
        }
    }
}

/// Carries a job's result from its savepoint to its continuation. Written and read only on
/// the commit thread, one after the other, hence unchecked.
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}
