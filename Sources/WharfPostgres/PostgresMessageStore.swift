import Foundation
import Logging
import PostgresNIO
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

    private init(configuration: PostgresStoreConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        let nodeId = "node-" + UUID().uuidString.lowercased().prefix(13)
        self.nodeId = String(nodeId)
        let client = PostgresClient(configuration: configuration.clientConfiguration(applicationName: "wharf \(nodeId)"),
                                    backgroundLogger: logger)
        self.client = client
        runner = Task { await client.run() }
        clock = DatabaseClock(logger: logger)
        bus = PostgresBus(configuration: configuration, nodeId: String(nodeId), logger: logger)
    }

    /// Connects, applies the migrations this database lacks, measures the clock offset and
    /// starts the cluster bus. Waits up to `connectTimeout` for the database to answer, logging
    /// each failed attempt; wrong credentials or a missing database fail at once.
    public static func connect(_ configuration: PostgresStoreConfiguration, connectTimeout: Duration = .seconds(30),
                               logger: Logger) async throws -> PostgresMessageStore {
        let store = PostgresMessageStore(configuration: configuration, logger: logger)
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
    }

    private func waitUntilReachable(timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        var attempt = 0
        while true {
            attempt += 1
            do {
                try await client.query("SELECT 1")
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
            try await connection.query("BEGIN", logger: logger)
            do {
                try await connection.query("SELECT pg_advisory_xact_lock(\(PostgresSchema.migrationLock))", logger: logger)
                try await connection.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(configuration.schema)"),
                                           logger: logger)
                try await connection.query("""
                    CREATE TABLE IF NOT EXISTS wharf_migrations (
                        version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                    """, logger: logger)
                var applied = Set<Int>()
                for try await version in try await connection.query("SELECT version FROM wharf_migrations",
                                                                    logger: logger).decode(Int.self) {
                    applied.insert(version)
                }
                for migration in PostgresSchema.migrations where !applied.contains(migration.version) {
                    logger.notice("applying PostgreSQL schema migration \(migration.version)")
                    for statement in Self.statements(migration.sql) {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await connection.query("INSERT INTO wharf_migrations (version) VALUES (\(migration.version))",
                                               logger: logger)
                }
                try await connection.query("COMMIT", logger: logger)
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
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
        try await run { try await client.query("DELETE FROM leases WHERE false", logger: logger) }
    }

    // MARK: Running statements

    /// Runs store work, turning connection failures into `StoreError.unavailable` and
    /// retrying once on a deadlock or serialization failure (the only way concurrent receives
    /// and deletes can collide).
    @discardableResult
    func run<T>(_ body: () async throws -> T) async throws -> T {
        var attempts = 0
        while true {
            do {
                return try await body()
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

    /// Runs `body` in a transaction on one connection.
    func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await run {
            try await client.withConnection { connection in
                try await connection.query("BEGIN", logger: logger)
                do {
                    let value = try await body(connection)
                    try await connection.query("COMMIT", logger: logger)
                    return value
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: logger)
                    throw error
                }
            }
        }
    }
}
