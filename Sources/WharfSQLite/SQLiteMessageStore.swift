import Foundation
import GRDB
import WharfEngine

/// The embedded, durable default store: one SQLite file in WAL mode with `synchronous=FULL`,
/// so a commit is on disk when it returns, and a group committer so that concurrent requests
/// share commits.
///
/// Receives are index lookups on `(queue_id, visible_at, seq)`: their cost does not grow with
/// the backlog.
public final class SQLiteMessageStore: MessageStore {
    let pool: DatabasePool
    let committer: GroupCommitter

    /// Opens (creating if needed) `<directory>/wharf.sqlite`. `commitObserver` hears of every
    /// group commit (metrics).
    public init(directory: String, commitObserver: (any CommitObserver)? = nil) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        pool = try DatabasePool(path: directory + "/wharf.sqlite", configuration: configuration)
        // GRDB's pool sets synchronous=NORMAL on its writer after opening; durability needs
        // FULL, so set it again and check that it took (docs/stack.md#grdb-resets-synchronous).
        let level = try pool.writeWithoutTransaction { db -> Int in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            return try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
        }
        guard level == 2 else { throw OpenError.notDurable(level) }
        try SQLiteSchema.migrator.migrate(pool)
        committer = try GroupCommitter(writer: pool, observer: commitObserver)
    }

    enum OpenError: Error { case notDurable(Int) }

    /// `init` off the cooperative thread pool: opening runs the migrations, each commit an
    /// fsync, and a pool thread blocked on them stalls every task of the process (tests open
    /// hundreds of stores at once on 2 cores).
    public static func open(directory: String, commitObserver: (any CommitObserver)? = nil) async throws
        -> SQLiteMessageStore {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try SQLiteMessageStore(directory: directory, commitObserver: commitObserver) })
            }
        }
    }

    public func ping() async throws {
        // A write, not a read: readiness means the store accepts writes (a full disk does not).
        try await committer.write { db in try db.execute(sql: "DELETE FROM leases WHERE 0") }
    }

    // MARK: Queues

    public func loadQueues() async throws -> [StoredQueue] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM queues").map(Self.queue)
        }
    }

    public func queue(_ key: QueueKey) async throws -> StoredQueue? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM queues WHERE account = ? AND region = ? AND name = ?",
                             arguments: [key.account, key.region, key.name]).map(Self.queue)
        }
    }

    public func createQueue(key: QueueKey, attributes: [String: String], tags: [String: String],
                            nowMillis: Int64) async throws -> StoredQueue {
        let attributesJSON = try Self.json(attributes), tagsJSON = try Self.json(tags)
        return try await committer.write { db in
            do {
                try db.execute(sql: """
                    INSERT INTO queues (account, region, name, attributes, tags, created_at, modified_at, version, fifo)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)
                    """, arguments: [key.account, key.region, key.name, attributesJSON, tagsJSON, nowMillis, nowMillis,
                                     attributes["FifoQueue"] == "true"])
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
                throw StoreError.queueExists
            }
            return StoredQueue(id: db.lastInsertedRowID, key: key, attributes: attributes, tags: tags,
                               createdAtMillis: nowMillis, modifiedAtMillis: nowMillis, lastPurgeMillis: nil)
        }
    }

    public func updateQueue(_ queue: StoredQueue) async throws -> StoredQueue? {
        try await write(queue, purging: false)
    }

    public func purgeQueue(_ queue: StoredQueue) async throws -> StoredQueue? {
        try await write(queue, purging: true)
    }

    private func write(_ queue: StoredQueue, purging: Bool) async throws -> StoredQueue? {
        let attributesJSON = try Self.json(queue.attributes), tagsJSON = try Self.json(queue.tags)
        return try await committer.write { db in
            try db.execute(sql: """
                UPDATE queues SET attributes = ?, tags = ?, modified_at = ?, purged_at = ?, version = version + 1
                WHERE id = ? AND version = ?
                """, arguments: [attributesJSON, tagsJSON, queue.modifiedAtMillis, queue.lastPurgeMillis, queue.id,
                                 queue.version])
            if db.changesCount == 0 { return nil }
            if purging {
                // A purge also ends the deduplication window: a purged id may be sent again.
                for table in Self.perQueueTables {
                    try db.execute(sql: "DELETE FROM \(table) WHERE queue_id = ?", arguments: [queue.id])
                }
            }
            var written = queue
            written.version += 1
            return written
        }
    }

    /// What a queue's messages leave behind besides the messages.
    static let perQueueTables = ["messages", "dedup", "receive_attempts", "fifo_groups"]

    public func deleteQueue(id: Int64, key: QueueKey, nowMillis: Int64) async throws {
        try await committer.write { db in
            for table in Self.perQueueTables {
                try db.execute(sql: "DELETE FROM \(table) WHERE queue_id = ?", arguments: [id])
            }
            try db.execute(sql: "DELETE FROM queue_activity WHERE queue_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM queues WHERE id = ?", arguments: [id])
            try db.execute(sql: "INSERT OR REPLACE INTO deleted_queues VALUES (?, ?, ?, ?)",
                           arguments: [key.account, key.region, key.name, nowMillis])
        }
    }

    public func lastDeletion(of key: QueueKey) async throws -> Int64? {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT deleted_at FROM deleted_queues WHERE account = ? AND region = ? AND name = ?",
                               arguments: [key.account, key.region, key.name])
        }
    }

    // MARK: Leases

    public func acquireLease(_ name: String, owner: String, nowMillis: Int64, durationMillis: Int64) async throws -> Bool {
        try await committer.write { db in
            try db.execute(sql: """
                INSERT INTO leases (name, owner, expires_at) VALUES (?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
                WHERE leases.owner = excluded.owner OR leases.expires_at <= ?
                """, arguments: [name, owner, nowMillis + durationMillis, nowMillis])
            return db.changesCount > 0
        }
    }

    public func releaseLease(_ name: String, owner: String) async throws {
        try await committer.write { db in
            try db.execute(sql: "DELETE FROM leases WHERE name = ? AND owner = ?", arguments: [name, owner])
        }
    }

    // MARK: Row mapping

    private static func queue(_ row: Row) throws -> StoredQueue {
        StoredQueue(
            id: row["id"], key: QueueKey(account: row["account"], region: row["region"], name: row["name"]),
            attributes: try decode(row["attributes"]), tags: try decode(row["tags"]),
            createdAtMillis: row["created_at"], modifiedAtMillis: row["modified_at"], lastPurgeMillis: row["purged_at"],
            version: row["version"])
    }

    private static func json(_ map: [String: String]) throws -> String {
        String(decoding: try JSONEncoder().encode(map), as: UTF8.self)
    }

    private static func decode(_ text: String) throws -> [String: String] {
        try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
    }
}
