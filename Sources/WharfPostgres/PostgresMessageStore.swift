import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization
import WharfEngine

/// The shared store: several stateless Wharf nodes over one PostgreSQL database.
///
/// Every operation is one short transaction (most are a single statement), committed with
/// PostgreSQL's default `synchronous_commit = on`, so a returned call is durable. Concurrent
/// writers on several nodes are made safe by the database: receives claim messages with
/// `FOR UPDATE SKIP LOCKED` (FIFO receives lock the group's row instead, so two receives never
/// take the same group), deduplication ids are a unique key, queue updates are conditional on
/// the row's version, one active move task per source is a unique index, leases are rows.
///
/// ```swift
/// let store = try await PostgresMessageStore.connect(
///     PostgresStoreConfiguration(url: "postgres://wharf:secret@db:5432/wharf"), logger: logger)
/// let engine = try await SQSEngine(store: store, clock: store.clock, bus: store.bus, nodeId: store.nodeId)
/// ```
public final class PostgresMessageStore: MessageStore {
    let client: PostgresClient
    let logger: Logger
    public let configuration: PostgresStoreConfiguration
    /// This process's name in leases and in the waiter registry.
    public let nodeId: String
    /// The database's clock, read through an offset measured against it (see `DatabaseClock`).
    public let clock: DatabaseClock
    /// LISTEN/NOTIFY between the nodes.
    public let bus: PostgresBus
    private let runner: Task<Void, Never>
    let commitObserver: (any CommitObserver)?
    /// Where the probe connection runs and the call deadlines are swept.
    let timerLoop: any EventLoop
    /// Lease timeouts and slow-call warnings.
    let deadlines: CallDeadlines

    private init(configuration: PostgresStoreConfiguration, logger: Logger, commitObserver: (any CommitObserver)?) {
        self.configuration = configuration
        self.logger = logger
        self.commitObserver = commitObserver
        let timerLoop = MultiThreadedEventLoopGroup.singleton.any()
        self.timerLoop = timerLoop
        deadlines = CallDeadlines(loop: timerLoop)
        let nodeId = "node-" + UUID().uuidString.lowercased().prefix(13)
        self.nodeId = String(nodeId)
        // The pool logs every failed connection attempt at info level; this store says what
        // matters itself (unavailable, reconnected), so the pool speaks only of errors.
        var poolLogger = logger
        poolLogger.logLevel = max(logger.logLevel, .error)
        let client = PostgresClient(configuration: configuration.clientConfiguration(applicationName: "wharf \(nodeId)"),
                                    backgroundLogger: poolLogger)
        self.client = client
        runner = Task { await client.run() }
        clock = DatabaseClock(logger: logger)
        bus = PostgresBus(configuration: configuration, nodeId: String(nodeId), logger: logger)
    }

    /// Connects, applies the migrations this database lacks, measures the clock offset and
    /// starts the cluster bus. Waits up to `connectTimeout` for the database to answer, logging
    /// each failed attempt; wrong credentials or a missing database fail at once.
    public static func connect(_ configuration: PostgresStoreConfiguration, connectTimeout: Duration = .seconds(30),
                               logger: Logger, commitObserver: (any CommitObserver)? = nil) async throws -> PostgresMessageStore {
        let store = PostgresMessageStore(configuration: configuration, logger: logger, commitObserver: commitObserver)
        do {
            try await store.waitUntilReachable(timeout: connectTimeout)
            try await store.migrate()
            try await store.clock.synchronize(with: store)
            store.clock.startSynchronizing(with: store)
            store.bus.start(store: store)
            return store
        } catch {
            await store.shutdown()
            throw error
        }
    }

    /// Stops the bus, the clock sampler and the connection pool.
    public func shutdown() async {
        bus.stop()
        clock.stopSynchronizing()
        runner.cancel()
        await runner.value
        deadlines.stop()
    }

    private func waitUntilReachable(timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        var attempt = 0
        while true {
            attempt += 1
            do {
                // One connection of its own: the pool would queue the attempt until the database
                // answers, and a wrong password or database name would never surface.
                let settings = try configuration.connectionConfiguration(applicationName: "wharf \(nodeId) probe")
                let connection = try await PostgresConnection.connect(on: timerLoop, configuration: settings, id: 0,
                                                                      logger: logger).get()
                try await connection.close()
                return
            } catch {
                let failure = PostgresFailure(error)
                if !failure.isTransient || ContinuousClock.now >= deadline {
                    throw StartupError(configuration: configuration, reason: failure.summary)
                }
                logger.warning("PostgreSQL at \(configuration) not reachable yet (attempt \(attempt)): \(failure.summary); retrying")
                try await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Why the store could not start, naming the database but never the password.
    public struct StartupError: Error, CustomStringConvertible {
        public var configuration: PostgresStoreConfiguration
        public var reason: String
        public var description: String { "cannot use PostgreSQL at \(configuration): \(reason)" }
    }

    func migrate() async throws {
        try await client.withConnection { connection in
            try await connection.checkedQuery("BEGIN", logger: logger)
            do {
                try await connection.checkedQuery("SELECT pg_advisory_xact_lock(\(PostgresSchema.migrationLock))", logger: logger)
                try await connection.checkedQuery(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(configuration.schema)"),
                                           logger: logger)
                try await connection.checkedQuery("""
                    CREATE TABLE IF NOT EXISTS wharf_migrations (
                        version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                    """, logger: logger)
                var applied = Set<Int>()
                for try await version in try await connection.checkedQuery("SELECT version FROM wharf_migrations",
                                                                    logger: logger).decode(Int.self) {
                    applied.insert(version)
                }
                for migration in PostgresSchema.migrations where !applied.contains(migration.version) {
                    logger.notice("applying PostgreSQL schema migration \(migration.version)")
                    for statement in Self.statements(migration.sql) {
                        try await connection.checkedQuery(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await connection.checkedQuery("INSERT INTO wharf_migrations (version) VALUES (\(migration.version))",
                                               logger: logger)
                }
                try await connection.checkedQuery("COMMIT", logger: logger)
            } catch {
                _ = try? await connection.checkedQuery("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    /// A migration's statements: split at `;` ending a line, comment lines dropped.
    static func statements(_ sql: String) -> [String] {
        let lines = sql.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }
        return lines.joined(separator: "\n").components(separatedBy: ";\n")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: ";")) }
            .filter { !$0.isEmpty }
    }

    public func ping() async throws {
        // A write: readiness means the database accepts writes (a read-only standby does not).
        // A probe must answer fast, so it waits for a connection a second at most.
        try await run(leaseTimeout: .seconds(1)) { connection in
            try await connection.checkedQuery("DELETE FROM leases WHERE false", logger: self.logger)
        }
    }

    // MARK: Running statements

    /// How long a call waits for a pooled connection before it gives up with 503. The pool
    /// itself would queue a request until the database answers again (up to a minute while it
    /// cannot connect): a client is better served by a fast, retryable error.
    static let leaseTimeout: TimeAmount = .seconds(5)

    /// Runs store work on a pooled connection, turning connection failures into
    /// `StoreError.unavailable` and retrying once or twice on a deadlock or serialization
    /// failure (the only way concurrent receives and deletes can collide).
    @discardableResult
    func run<T: Sendable>(leaseTimeout: TimeAmount = PostgresMessageStore.leaseTimeout, function: String = #function,
                          _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        var attempts = 0
        // A call that is still running long after any statement should have ended is logged:
        // the database or the connection to it is stuck.
        let logger = self.logger
        let watchdog = deadlines.arm(in: .seconds(10)) {
            logger.warning("store call \(function) still running after 10 s")
        }
        defer { deadlines.disarm(watchdog) }
        while true {
            do {
                return try await leased(timeout: leaseTimeout, body)
            } catch let error as StoreError {
                throw error
            } catch {
                let failure = PostgresFailure(error)
                if failure.isRetryableConflict && attempts < 2 {
                    attempts += 1
                    continue
                }
                if failure.isTransient { throw StoreError.unavailable(failure.summary) }
                if failure.sqlState == "23503" { throw StoreError.queueMissing }
                throw failure
            }
        }
    }

    /// `body` on a leased connection, or `LeaseTimeout` when none comes within `timeout`.
    /// Only the wait for the lease is cut short: once `body` runs it finishes (cancelling a
    /// query half-way would leave its transaction's fate unknown for no gain). The caller
    /// stops waiting at the deadline even if the pool does not notice the cancellation (a
    /// connection attempt in progress finishes first): the late lease is then refused and the
    /// connection returned.
    private func leased<T: Sendable>(timeout: TimeAmount,
                                     _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let gate = LeaseGate()
        let client = self.client
        let outcome = Outcome<T>()
        let work = Task {
            do {
                let value = try await client.withConnection { connection in
                    guard gate.lease() else { throw LeaseTimeout() }
                    return try await body(connection)
                }
                outcome.finish(.success(value))
            } catch {
                outcome.finish(.failure(gate.expired ? LeaseTimeout() : error))
            }
        }
        let timer = deadlines.arm(in: timeout) {
            if gate.expire() {
                work.cancel()
                outcome.finish(.failure(LeaseTimeout()))
            }
        }
        defer { deadlines.disarm(timer) }
        return try await withTaskCancellationHandler {
            try await outcome.value()
        } onCancel: {
            if gate.expire() {
                work.cancel()
                outcome.finish(.failure(CancellationError()))
            }
        }
    }

    /// Runs `body` in a transaction on one connection.
    func transaction<T: Sendable>(function: String = #function,
                                  _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let logger = self.logger, observer = commitObserver
        return try await run(function: function) { connection in
            let started = ContinuousClock.now
            try await connection.checkedQuery("BEGIN", logger: logger)
            do {
                let value = try await body(connection)
                try await connection.checkedQuery("COMMIT", logger: logger)
                observer?.committed(jobs: 1, duration: ContinuousClock.now - started)
                return value
            } catch {
                // On a closed connection the transaction is gone with it: nothing to roll back.
                if !connection.isClosed { _ = try? await connection.checkedQuery("ROLLBACK", logger: logger) }
                throw error
            }
        }
    }
}

/// Decides, once, between "a connection was leased" and "the wait timed out".
final class LeaseGate: Sendable {
    private enum State { case waiting, leased, expired }
    private let state = Mutex(State.waiting)

    /// The connection arrived: true if in time.
    func lease() -> Bool {
        state.withLock { state in
            guard state == .waiting else { return state == .leased }
            state = .leased
            return true
        }
    }

    /// The wait is over: true if no connection had arrived (the caller then cancels the wait).
    func expire() -> Bool {
        state.withLock { state in
            guard state == .waiting else { return false }
            state = .expired
            return true
        }
    }

    var expired: Bool { state.withLock { $0 == .expired } }
}

/// A result delivered once, to one waiter, whoever comes first.
final class Outcome<T: Sendable>: Sendable {
    private struct State {
        var result: Result<T, any Error>?
        var waiter: CheckedContinuation<T, any Error>?
    }
    private let state = Mutex(State())

    func finish(_ result: Result<T, any Error>) {
        let waiter = state.withLock { state -> CheckedContinuation<T, any Error>? in
            guard state.result == nil else { return nil }
            state.result = result
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(with: result)
    }

    func value() async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLock { state -> Result<T, any Error>? in
                if let result = state.result { return result }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
