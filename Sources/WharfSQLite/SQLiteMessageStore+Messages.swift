import Foundation
import GRDB
import WharfEngine

// Sends, deletes, visibility changes and counts.
extension SQLiteMessageStore {
    static let messageColumns = """
        seq, message_id, body, md5_body, attributes, trace_header, sender_id, group_id, dedup_id,
        dead_letter_source, sent_at, visible_at, receive_count, first_receive_at, md5_attributes
        """
}

/// Positions in `messageColumns`: rows are read by index, since a lookup by name compared
/// column names for every value (~3 % of a receive+delete cycle).
enum MessageColumn {
    static let seq = 0
    static let messageId = 1
    static let body = 2
    static let md5Body = 3
    static let attributes = 4
    static let traceHeader = 5
    static let senderId = 6
    static let groupId = 7
    static let dedupId = 8
    static let deadLetterSource = 9
    static let sentAt = 10
    static let visibleAt = 11
    static let receiveCount = 12
    static let firstReceiveAt = 13
    static let md5Attributes = 14
}

extension SQLiteMessageStore {
    public func send(queueId: Int64, messages: [NewMessage], nowMillis: Int64) async throws -> [SendOutcome] {
        try await committer.write { db in
            // The queue may have been deleted since the engine resolved it.
            guard let fifo = try Self.isFifo(db, queueId: queueId) else { throw StoreError.queueMissing }
            let insert = try db.cachedStatement(sql: """
                INSERT INTO messages (queue_id, message_id, body, md5_body, attributes, md5_attributes, trace_header,
                                      sender_id, group_id, dedup_id, sent_at, visible_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            var outcomes: [SendOutcome] = []
            outcomes.reserveCapacity(messages.count)
            for message in messages {
                // The lookup and the insert share the transaction, so two concurrent sends of
                // one deduplication id cannot both get through.
                if let key = message.deduplication, let held = try Row.fetchOne(db.cachedStatement(sql: """
                    SELECT message_id, seq FROM dedup WHERE queue_id = ? AND scope = ? AND dedup_id = ? AND expires_at > ?
                    """), arguments: [queueId, key.scope, key.id, nowMillis]) {
                    outcomes.append(.duplicate(messageId: held[0], seq: held[1]))
                    continue
                }
                let m = message.record
                var row = RawStatement(insert, in: db)
                row.bind(queueId)
                row.bind(m.messageId)
                row.bind(m.body)
                row.bind(m.md5OfBody)
                row.bind(m.attributesJSON)
                row.bind(m.md5OfAttributes)
                row.bind(m.traceHeader)
                row.bind(m.senderId)
                row.bind(m.groupId)
                row.bind(m.deduplicationId)
                row.bind(m.sentAtMillis)
                row.bind(message.visibleAtMillis)
                try row.execute()
                let seq = db.lastInsertedRowID
                if fifo, let group = m.groupId { try Self.enterGroup(db, queueId: queueId, group: group) }
                if let key = message.deduplication {
                    try db.cachedStatement(sql: "INSERT OR REPLACE INTO dedup VALUES (?, ?, ?, ?, ?, ?)")
                        .execute(arguments: [queueId, key.scope, key.id, m.messageId, seq, key.expiresAtMillis])
                }
                outcomes.append(.stored(seq: seq))
            }
            return outcomes
        }
    }

    public func delete(queueId: Int64, messages: [HandleReference], currentAt: Int64?) async throws -> [DeleteOutcome] {
        try await committer.write { db in
            let statement = try db.cachedStatement(sql: "DELETE FROM messages WHERE seq = ? AND queue_id = ?")
            var groups: [String] = []
            let outcomes = try messages.map { ref -> DeleteOutcome in
                if let currentAt {
                    guard let state = try Self.receiveState(db, queueId: queueId, seq: ref.seq) else { return .gone }
                    if !state.isCurrent(ref, at: currentAt) { return .expired }
                    if let group = state.groupId { groups.append(group) }
                }
                var delete = RawStatement(statement, in: db)
                delete.bind(ref.seq)
                delete.bind(queueId)
                try delete.execute()
                return db.changesCount > 0 ? .deleted : .gone
            }
            // FIFO (the only deletes with `currentAt`): a group may be empty now.
            try Self.leaveGroupsIfEmpty(db, queueId: queueId, groups: groups)
            return outcomes
        }
    }

    public func changeVisibility(queueId: Int64, changes: [(message: HandleReference, visibleAtMillis: Int64)],
                                 nowMillis: Int64, maxInvisibleMillis: Int64,
                                 currentAt: Int64?) async throws -> [VisibilityChangeResult] {
        try await committer.write { db in
            let update = try db.cachedStatement(sql: "UPDATE messages SET visible_at = ? WHERE seq = ?")
            return try changes.map { change -> VisibilityChangeResult in
                guard let state = try Self.receiveState(db, queueId: queueId, seq: change.message.seq) else {
                    return .notFound
                }
                if let currentAt, !state.isCurrent(change.message, at: currentAt) { return .expired }
                if change.visibleAtMillis - (state.receivedAt ?? nowMillis) > maxInvisibleMillis { return .beyondLimit }
                try update.execute(arguments: [change.visibleAtMillis, change.message.seq])
                return .changed
            }
        }
    }

    /// Where a message stands in its receive cycle.
    struct ReceiveState {
        var receiveCount: Int
        var visibleAt: Int64
        var receivedAt: Int64?
        var groupId: String?

        /// The handle names the latest receive and that receive's visibility has not run out.
        func isCurrent(_ ref: HandleReference, at now: Int64) -> Bool {
            receiveCount == ref.receiveCount && visibleAt > now
        }
    }

    static func receiveState(_ db: Database, queueId: Int64, seq: Int64) throws -> ReceiveState? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT receive_count, visible_at, received_at, group_id FROM messages WHERE seq = ? AND queue_id = ?
            """), arguments: [seq, queueId]).map {
                ReceiveState(receiveCount: $0[0], visibleAt: $0[1], receivedAt: $0[2], groupId: $0[3])
            }
    }

    public func expire(queueId: Int64, sentBeforeMillis: Int64) async throws -> Int {
        try await committer.write { db in
            try Self.deleteExpired(db, queueId: queueId, sentBeforeMillis: sentBeforeMillis)
        }
    }

    /// Retention: deletes what was sent at or before the cutoff; returns how many.
    @discardableResult
    static func deleteExpired(_ db: Database, queueId: Int64, sentBeforeMillis: Int64) throws -> Int {
        try db.cachedStatement(sql: "DELETE FROM messages WHERE queue_id = ? AND sent_at <= ?")
            .execute(arguments: [queueId, sentBeforeMillis])
        let removed = db.changesCount
        if removed > 0 { try dropEmptyGroups(db, queueId: queueId) }
        return removed
    }

    public func forgetExpiredKeys(nowMillis: Int64, attemptsBeforeMillis: Int64) async throws {
        try await committer.write { db in
            try db.execute(sql: "DELETE FROM dedup WHERE expires_at <= ?", arguments: [nowMillis])
            try db.execute(sql: "DELETE FROM receive_attempts WHERE created_at <= ?", arguments: [attemptsBeforeMillis])
        }
    }

    public func counts(queueId: Int64, nowMillis: Int64) async throws -> QueueCounts {
        try await pool.read { db in
            // Hidden messages never received are delayed; hidden ones received before are in flight.
            func count(_ lane: String, _ condition: String) throws -> Int {
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM messages WHERE queue_id = ? AND \(lane) AND visible_at \(condition) ?",
                                 arguments: [queueId, nowMillis]) ?? 0
            }
            return QueueCounts(visible: try count("receive_count = 0", "<=") + count("receive_count > 0", "<="),
                               inFlight: try count("receive_count > 0", ">"), delayed: try count("receive_count = 0", ">"))
        }
    }

    public func nextVisibleTime(queueId: Int64, after nowMillis: Int64) async throws -> Int64? {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: """
                SELECT MIN(next) FROM (
                    SELECT MIN(visible_at) AS next FROM messages WHERE queue_id = ? AND receive_count = 0 AND visible_at > ?
                    UNION ALL
                    SELECT MIN(visible_at) FROM messages WHERE queue_id = ? AND receive_count > 0 AND visible_at > ?)
                """, arguments: [queueId, nowMillis, queueId, nowMillis])
        }
    }
}
