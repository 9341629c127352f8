import GRDB

// FIFO message groups as rows (`fifo_groups`): one per group that has messages, ordered by
// `turn`. A receive walks groups in turn order and looks only at each group's head, so a group
// blocked by an in-flight message costs one step however many messages wait behind it; the
// groups a receive served get the next turns, behind every group that waited.
extension SQLiteMessageStore {
    /// A FIFO message of `group` was added to the queue: the group gets a row (the last turn)
    /// unless it has one.
    static func enterGroup(_ db: Database, queueId: Int64, group: String) throws {
        try db.cachedStatement(sql: """
            INSERT INTO fifo_groups (queue_id, group_id, turn)
            VALUES (?, ?, (SELECT COALESCE(MAX(turn), 0) + 1 FROM fifo_groups WHERE queue_id = ?))
            ON CONFLICT (queue_id, group_id) DO NOTHING
            """).execute(arguments: [queueId, group, queueId])
    }

    /// Messages of these groups left the queue: groups left without messages lose their row.
    static func leaveGroupsIfEmpty(_ db: Database, queueId: Int64, groups: some Sequence<String>) throws {
        let statement = try db.cachedStatement(sql: """
            DELETE FROM fifo_groups WHERE queue_id = ? AND group_id = ?
            AND NOT EXISTS (SELECT 1 FROM messages WHERE queue_id = ? AND group_id = ?)
            """)
        for group in Set(groups) { try statement.execute(arguments: [queueId, group, queueId, group]) }
    }

    /// After a sweep that may have emptied any group of the queue.
    static func dropEmptyGroups(_ db: Database, queueId: Int64) throws {
        try db.execute(sql: """
            DELETE FROM fifo_groups WHERE queue_id = ? AND NOT EXISTS (
                SELECT 1 FROM messages m WHERE m.queue_id = fifo_groups.queue_id AND m.group_id = fifo_groups.group_id)
            """, arguments: [queueId])
    }

    /// The served groups, in the order they were served, take the last turns.
    static func sendToBack(_ db: Database, queueId: Int64, groups: [String]) throws {
        let statement = try db.cachedStatement(sql: """
            UPDATE fifo_groups SET turn = (SELECT MAX(turn) FROM fifo_groups WHERE queue_id = ?) + 1
            WHERE queue_id = ? AND group_id = ?
            """)
        for group in groups { try statement.execute(arguments: [queueId, queueId, group]) }
    }

    /// Whether the queue is FIFO; nil when it no longer exists.
    static func isFifo(_ db: Database, queueId: Int64) throws -> Bool? {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT fifo FROM queues WHERE id = ?"), arguments: [queueId])
    }
}
