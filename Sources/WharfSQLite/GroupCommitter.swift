import Dispatch
import GRDB
import GRDBSQLite
import Synchronization
import WharfEngine

/// Runs write jobs from many concurrent requests in shared transactions: one commit, one
/// fsync, many acknowledgements. This is what lets durable writes (synchronous=FULL) go past
/// the ~5k fsyncs/s of this class of disk (docs/stack.md#disk-and-sqlite).
///
/// Each job runs in its own savepoint, so one job's failure rolls back only that job. A job's
/// caller hears back only after the shared transaction has committed.
///
/// Failures that put durability in doubt close it for good (see `WriteFailure`): after a
/// failed fsync the kernel may have dropped the dirty pages and marked them clean, so a later
/// fsync that succeeds proves nothing (PostgreSQL's "fsyncgate", 2018). The committer then
/// refuses every write until the process restarts and reads the WAL back from the disk. For
/// the same reason it runs the WAL checkpoints itself, after its commits, instead of SQLite's
/// automatic ones, whose errors SQLite ignores.
final class GroupCommitter: Sendable {
    private struct Job: Sendable {
        let run: @Sendable (Database) throws -> Void
        let succeed: @Sendable () -> Void
        let fail: @Sendable (any Error) -> Void
    }
    private struct State {
        var pending: [Job] = []
        var draining = false
        /// Why the committer closed (an I/O error); nil while it takes writes.
        var closedBecause: String?
    }
    private let writer: DatabasePool
    private let observer: (any CommitObserver)?
    private let state = Mutex(State())
    // Writes block on fsync: keep them off the cooperative thread pool.
    private let thread = DispatchQueue(label: "wharf.sqlite.commit")

    private let walFrames = WALFrameCounter()
    /// SQLite's own automatic checkpoint threshold (pages in the WAL), kept.
    static let checkpointFrames: Int32 = 1_000

    init(writer: DatabasePool, observer: (any CommitObserver)? = nil) throws {
        self.writer = writer
        self.observer = observer
        try writer.writeWithoutTransaction { db in walFrames.install(on: db) }
    }

    /// Why the committer refuses writes, if it does.
    var closedBecause: String? { state.withLock { $0.closedBecause } }

    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let box = ResultBox<T>()
            let job = Job(
                run: { db in box.value = try work(db) },
                succeed: { continuation.resume(returning: box.value!) },
                fail: { continuation.resume(throwing: $0) })
            let (startDrain, closed) = state.withLock { state -> (Bool, String?) in
                if let reason = state.closedBecause { return (false, reason) }
                state.pending.append(job)
                if state.draining { return (false, nil) }
                state.draining = true
                return (true, nil)
            }
            if let closed { job.fail(StoreError.failedClosed(closed)) }
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
            if let reason = closedBecause {
                for job in jobs { job.fail(StoreError.failedClosed(reason)) }
                continue
            }
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
                let failure = classify(error)
                for job in jobs { job.fail(failure) }
                continue
            }
            observer?.committed(jobs: jobs.count, duration: ContinuousClock.now - started)
            for (job, failure) in zip(jobs, failures) {
                if let failure { job.fail(classify(failure)) } else { job.succeed() }
            }
            checkpointIfDue()
        }
    }

    /// What a failure means to the store: a full disk is a retryable refusal; an I/O error or
    /// a corrupt page closes the committer (see the type's comment); anything else is the
    /// job's own error.
    private func classify(_ error: any Error) -> any Error {
        guard let failure = WriteFailure(error) else { return error }
        switch failure {
        case .diskFull:
            return StoreError.diskFull
        case .durabilityInDoubt(let reason):
            close(because: reason)
            return StoreError.failedClosed(reason)
        }
    }

    private func close(because reason: String) {
        state.withLock { state in
            if state.closedBecause == nil { state.closedBecause = reason }
        }
    }

    /// Copies the WAL into the database once it holds `checkpointFrames` pages (what SQLite's
    /// automatic checkpoint did), checking the outcome: an I/O error here closes the
    /// committer, as a commit's would; a full disk only postpones it (the WAL keeps every page).
    private func checkpointIfDue() {
        guard walFrames.value >= Self.checkpointFrames else { return }
        do {
            try writer.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
            walFrames.reset()
        } catch {
            _ = classify(error)
        }
    }
}

/// Carries a job's result from its savepoint to its continuation. Written and read only on
/// the commit thread, one after the other, hence unchecked.
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}
