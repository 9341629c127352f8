import Foundation
import PostgresNIO
import WharfEngine

// Queues: rows with a version, so that updates from several nodes are conditional.
extension PostgresMessageStore {
    static let queueColumns = "id, account, region, name, attributes, tags, created_at, modified_at, purged_at, version"
    typealias QueueRow = (Int64, String, String, String, String, String, Int64, Int64, Int64?, Int64)

    static func queue(_ row: QueueRow) throws -> StoredQueue {
        StoredQueue(id: row.0, key: QueueKey(account: row.1, region: row.2, name: row.3),
                    attributes: try decodeMap(row.4), tags: try decodeMap(row.5),
                    createdAtMillis: row.6, modifiedAtMillis: row.7, lastPurgeMillis: row.8, version: row.9)
    }

    public func loadQueues() async throws -> [StoredQueue] {
        try await run { connection in
            var queues: [StoredQueue] = []
            let rows = try await connection.checkedQuery(PostgresQuery(unsafeSQL: "SELECT \(Self.queueColumns) FROM queues"), logger: self.logger)
            for try await row in rows.decode(QueueRow.self) { queues.append(try Self.queue(row)) }
            return queues
        }
    }

    public func queue(_ key: QueueKey) async throws -> StoredQueue? {
        try await run { connection in
            let rows = try await connection.checkedQuery("""
                SELECT id, account, region, name, attributes, tags, created_at, modified_at, purged_at, version
                FROM queues WHERE account = \(key.account) AND region = \(key.region) AND name = \(key.name)
                """, logger: self.logger)
            for try await row in rows.decode(QueueRow.self) { return try Self.queue(row) }
            return nil
        }
    }

    public func createQueue(key: QueueKey, attributes: [String: String], tags: [String: String],
                            nowMillis: Int64) async throws -> StoredQueue {
        let attributesJSON = try Self.encodeMap(attributes), tagsJSON = try Self.encodeMap(tags)
        let fifo = attributes["FifoQueue"] == "true"
        return try await transaction { connection in
            do {
                let rows = try await connection.checkedQuery("""
                    INSERT INTO queues (account, region, name, fifo, attributes, tags, created_at, modified_at)
                    VALUES (\(key.account), \(key.region), \(key.name), \(fifo), \(attributesJSON), \(tagsJSON),
                            \(nowMillis), \(nowMillis))
                    RETURNING id
                    """, logger: self.logger)
                for try await id in rows.decode(Int64.self) {
                    return StoredQueue(id: id, key: key, attributes: attributes, tags: tags,
                                       createdAtMillis: nowMillis, modifiedAtMillis: nowMillis, lastPurgeMillis: nil)
                }
                throw StoreError.unavailable("INSERT returned no id")
            } catch where PostgresFailure(error).sqlState == "23505" {
                throw StoreError.queueExists
            }
        }
    }

    public func updateQueue(_ queue: StoredQueue) async throws -> StoredQueue? {
        try await write(queue, purging: false)
    }

    public func purgeQueue(_ queue: StoredQueue) async throws -> StoredQueue? {
        try await write(queue, purging: true)
    }

    private func write(_ queue: StoredQueue, purging: Bool) async throws -> StoredQueue? {
        let attributesJSON = try Self.encodeMap(queue.attributes), tagsJSON = try Self.encodeMap(queue.tags)
        return try await transaction { connection in
            let rows = try await connection.checkedQuery("""
                UPDATE queues SET attributes = \(attributesJSON), tags = \(tagsJSON), modified_at = \(queue.modifiedAtMillis),
                       purged_at = \(queue.lastPurgeMillis), version = version + 1
                WHERE id = \(queue.id) AND version = \(queue.version)
                RETURNING version
                """, logger: self.logger)
            var written: StoredQueue?
            for try await version in rows.decode(Int64.self) {
                written = queue
                written?.version = version
            }
            if written != nil && purging {
                // A purge also ends the deduplication window: a purged id may be sent again.
                for table in ["messages", "dedup", "receive_attempts", "fifo_groups"] {
                    try await connection.checkedQuery(PostgresQuery(unsafeSQL: "DELETE FROM \(table) WHERE queue_id = $1",
                                                             binds: Self.binds(queue.id)), logger: self.logger)
                }
            }
            return written
        }
    }

    public func deleteQueue(id: Int64, key: QueueKey, nowMillis: Int64) async throws {
        try await transaction { connection in
            // The queue row first: a send that holds it (the messages' foreign key) finishes
            // before, and the cascade then removes its messages too.
            try await connection.checkedQuery("DELETE FROM queues WHERE id = \(id)", logger: self.logger)
            try await connection.checkedQuery("""
                INSERT INTO deleted_queues (account, region, name, deleted_at)
                VALUES (\(key.account), \(key.region), \(key.name), \(nowMillis))
                ON CONFLICT (account, region, name) DO UPDATE SET deleted_at = EXCLUDED.deleted_at
                """, logger: self.logger)
        }
    }

    public func lastDeletion(of key: QueueKey) async throws -> Int64? {
        try await run { connection in
            let rows = try await connection.checkedQuery("""
                SELECT deleted_at FROM deleted_queues
                WHERE account = \(key.account) AND region = \(key.region) AND name = \(key.name)
                """, logger: self.logger)
            for try await deletedAt in rows.decode(Int64.self) { return deletedAt }
            return nil
        }
    }

    // MARK: Leases

    public func acquireLease(_ name: String, owner: String, nowMillis: Int64, durationMillis: Int64) async throws -> Bool {
        try await run { connection in
            let rows = try await connection.checkedQuery("""
                INSERT INTO leases (name, owner, expires_at) VALUES (\(name), \(owner), \(nowMillis + durationMillis))
                ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
                WHERE leases.owner = EXCLUDED.owner OR leases.expires_at <= \(nowMillis)
                RETURNING owner
                """, logger: self.logger)
            for try await _ in rows.decode(String.self) { return true }
            return false
        }
    }

    public func releaseLease(_ name: String, owner: String) async throws {
        try await run { connection in
            try await connection.checkedQuery("DELETE FROM leases WHERE name = \(name) AND owner = \(owner)", logger: self.logger)
        }
    }

    // MARK: Helpers

    static func binds(_ values: Int64...) -> PostgresBindings {
        var binds = PostgresBindings()
        for value in values { binds.append(value) }
        return binds
    }

    static func encodeMap(_ map: [String: String]) throws -> String {
        String(decoding: try JSONEncoder().encode(map), as: UTF8.self)
    }

    static func decodeMap(_ text: String) throws -> [String: String] {
        try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
    }
}
