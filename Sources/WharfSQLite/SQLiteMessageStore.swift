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
    private let committer: GroupCommitter

    /// Opens (creating if needed) `<directory>/wharf.sqlite`.
    public init(directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        pool = try DatabasePool(path: directory + "/wharf.sqlite", configuration: configuration)
        // GRDB's pool sets synchronous=NORMAL on its writer after opening; durability needs
        // FULL, so set it again and check that it took (stack-notes.md).
        let level = try pool.writeWithoutTransaction { db -> Int in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            return try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
        }
        guard level == 2 else { throw StoreError.notDurable(level) }
        try Self.migrator.migrate(pool)
        committer = GroupCommitter(writer: pool)
    }

    enum StoreError: Error { case notDurable(Int), missingRow }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE queues (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
                    attributes TEXT NOT NULL, tags TEXT NOT NULL,
                    created_at INTEGER NOT NULL, modified_at INTEGER NOT NULL, purged_at INTEGER,
                    UNIQUE (account, region, name));
                CREATE TABLE deleted_queues (
                    account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
                    deleted_at INTEGER NOT NULL, PRIMARY KEY (account, region, name));
                CREATE TABLE messages (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    queue_id INTEGER NOT NULL,
                    message_id TEXT NOT NULL,
                    body TEXT NOT NULL,
                    md5_body TEXT NOT NULL,
                    attributes BLOB,
                    trace_header TEXT,
                    sender_id TEXT NOT NULL,
                    group_id TEXT,
                    sent_at INTEGER NOT NULL,
                    visible_at INTEGER NOT NULL,
                    receive_count INTEGER NOT NULL DEFAULT 0,
                    first_receive_at INTEGER,
                    received_at INTEGER);
                CREATE INDEX messages_by_visibility ON messages (queue_id, visible_at, seq);
                CREATE INDEX messages_by_age ON messages (queue_id, sent_at);
                """)
        }
        return migrator
    }

    // MARK: Queues

    public func loadQueues() async throws -> [StoredQueue] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM queues").map(Self.queue)
        }
    }

    public func createQueue(key: QueueKey, attributes: [String: String], tags: [String: String],
                            nowMillis: Int64) async throws -> StoredQueue {
        let attributesJSON = try Self.json(attributes), tagsJSON = try Self.json(tags)
        return try await committer.write { db in
            try db.execute(sql: """
                INSERT INTO queues (account, region, name, attributes, tags, created_at, modified_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [key.account, key.region, key.name, attributesJSON, tagsJSON, nowMillis, nowMillis])
            return StoredQueue(id: db.lastInsertedRowID, key: key, attributes: attributes, tags: tags,
                               createdAtMillis: nowMillis, modifiedAtMillis: nowMillis, lastPurgeMillis: nil)
        }
    }

    public func updateQueue(_ queue: StoredQueue) async throws {
        let attributesJSON = try Self.json(queue.attributes), tagsJSON = try Self.json(queue.tags)
        try await committer.write { db in
            try db.execute(sql: "UPDATE queues SET attributes = ?, tags = ?, modified_at = ?, purged_at = ? WHERE id = ?",
                           arguments: [attributesJSON, tagsJSON, queue.modifiedAtMillis, queue.lastPurgeMillis, queue.id])
            if db.changesCount == 0 { throw StoreError.missingRow }
        }
    }

    public func deleteQueue(id: Int64, key: QueueKey, nowMillis: Int64) async throws {
        try await committer.write { db in
            try db.execute(sql: "DELETE FROM messages WHERE queue_id = ?", arguments: [id])
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

    // MARK: Messages

    public func send(queueId: Int64, messages: [NewMessage]) async throws {
        try await committer.write { db in
            let insert = try db.cachedStatement(sql: """
                INSERT INTO messages (queue_id, message_id, body, md5_body, attributes, trace_header, sender_id,
                                      group_id, sent_at, visible_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for message in messages {
                let m = message.record
                try insert.execute(arguments: [queueId, m.messageId, m.body, m.md5OfBody, m.attributesJSON, m.traceHeader,
                                               m.senderId, m.groupId, m.sentAtMillis, message.visibleAtMillis])
            }
        }
    }

    public func receive(queueId: Int64, limit: Int, nowMillis: Int64, invisibleUntilMillis: Int64,
                        expiredBeforeMillis: Int64) async throws -> [ClaimedMessage] {
        try await committer.write { db in
            try db.execute(sql: "DELETE FROM messages WHERE queue_id = ? AND sent_at <= ?",
                           arguments: [queueId, expiredBeforeMillis])
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT seq, message_id, body, md5_body, attributes, trace_header, sender_id, group_id, sent_at,
                       receive_count, first_receive_at
                FROM messages WHERE queue_id = ? AND visible_at <= ? ORDER BY visible_at, seq LIMIT ?
                """), arguments: [queueId, nowMillis, limit])
            let claim = try db.cachedStatement(sql: """
                UPDATE messages SET visible_at = ?, receive_count = receive_count + 1,
                       first_receive_at = COALESCE(first_receive_at, ?), received_at = ?
                WHERE seq = ?
                """)
            return try rows.map { row in
                let seq: Int64 = row["seq"]
                try claim.execute(arguments: [invisibleUntilMillis, nowMillis, nowMillis, seq])
                let record = MessageRecord(
                    messageId: row["message_id"], body: row["body"], md5OfBody: row["md5_body"],
                    attributesJSON: row["attributes"], traceHeader: row["trace_header"], senderId: row["sender_id"],
                    groupId: row["group_id"], sentAtMillis: row["sent_at"])
                return ClaimedMessage(
                    seq: seq, record: record, receiveCount: (row["receive_count"] as Int) + 1,
                    firstReceiveAtMillis: (row["first_receive_at"] as Int64?) ?? nowMillis)
            }
        }
    }

    public func delete(queueId: Int64, seqs: [Int64]) async throws {
        try await committer.write { db in
            let statement = try db.cachedStatement(sql: "DELETE FROM messages WHERE seq = ? AND queue_id = ?")
            for seq in seqs { try statement.execute(arguments: [seq, queueId]) }
        }
    }

    public func changeVisibility(queueId: Int64, changes: [(seq: Int64, visibleAtMillis: Int64)], nowMillis: Int64,
                                 maxInvisibleMillis: Int64) async throws -> [VisibilityChangeResult] {
        let changes = changes.map { [$0.seq, $0.visibleAtMillis] }
        return try await committer.write { db in
            let lookup = try db.cachedStatement(sql: "SELECT received_at FROM messages WHERE seq = ? AND queue_id = ?")
            let update = try db.cachedStatement(sql: "UPDATE messages SET visible_at = ? WHERE seq = ?")
            return try changes.map { change -> VisibilityChangeResult in
                let (seq, visibleAt) = (change[0], change[1])
                guard let row = try Row.fetchOne(lookup, arguments: [seq, queueId]) else { return .notFound }
                let receivedAt: Int64 = (row[0] as Int64?) ?? nowMillis
                if visibleAt - receivedAt > maxInvisibleMillis { return .beyondLimit }
                try update.execute(arguments: [visibleAt, seq])
                return .changed
            }
        }
    }

    public func purge(queueId: Int64) async throws {
        try await committer.write { db in
            try db.execute(sql: "DELETE FROM messages WHERE queue_id = ?", arguments: [queueId])
        }
    }

    public func expire(queueId: Int64, sentBeforeMillis: Int64) async throws -> Int {
        try await committer.write { db in
            try db.execute(sql: "DELETE FROM messages WHERE queue_id = ? AND sent_at <= ?",
                           arguments: [queueId, sentBeforeMillis])
            return db.changesCount
        }
    }

    public func counts(queueId: Int64, nowMillis: Int64) async throws -> QueueCounts {
        try await pool.read { db in
            let visible = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM messages WHERE queue_id = ? AND visible_at <= ?",
                                           arguments: [queueId, nowMillis]) ?? 0
            let row = try Row.fetchOne(db, sql: """
                SELECT COALESCE(SUM(receive_count > 0), 0), COALESCE(SUM(receive_count = 0), 0)
                FROM messages WHERE queue_id = ? AND visible_at > ?
                """, arguments: [queueId, nowMillis])
            return QueueCounts(visible: visible, inFlight: row?[0] ?? 0, delayed: row?[1] ?? 0)
        }
    }

    public func nextVisibleTime(queueId: Int64, after nowMillis: Int64) async throws -> Int64? {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT MIN(visible_at) FROM messages WHERE queue_id = ? AND visible_at > ?",
                               arguments: [queueId, nowMillis])
        }
    }

    // MARK: Row mapping

    private static func queue(_ row: Row) throws -> StoredQueue {
        StoredQueue(
            id: row["id"], key: QueueKey(account: row["account"], region: row["region"], name: row["name"]),
            attributes: try decode(row["attributes"]), tags: try decode(row["tags"]),
            createdAtMillis: row["created_at"], modifiedAtMillis: row["modified_at"], lastPurgeMillis: row["purged_at"])
    }

    private static func json(_ map: [String: String]) throws -> String {
        String(decoding: try JSONEncoder().encode(map), as: UTF8.self)
    }

    private static func decode(_ text: String) throws -> [String: String] {
        try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
    }
}
