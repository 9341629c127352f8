import GRDB
import WharfEngine

// Running totals of messages sent and received per queue (`QueueActivity`).
extension SQLiteMessageStore {
    public func addActivity(_ counts: [Int64: ActivityCounts]) async throws {
        try await committer.write { db in
            for (queueId, delta) in counts {
                // Only for a queue that still exists: a flush may follow its deletion.
                try db.execute(sql: """
                    INSERT INTO queue_activity (queue_id, sent, received)
                    SELECT id, ?, ? FROM queues WHERE id = ?
                    ON CONFLICT (queue_id) DO UPDATE SET sent = sent + excluded.sent, received = received + excluded.received
                    """, arguments: [delta.sent, delta.received, queueId])
            }
        }
    }

    public func activity(queueId: Int64) async throws -> QueueActivity {
        try await pool.read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT (SELECT sent FROM queue_activity WHERE queue_id = ?),
                       (SELECT received FROM queue_activity WHERE queue_id = ?),
                       (SELECT oldest_sent_at FROM queue_stats WHERE queue_id = ?)
                """, arguments: [queueId, queueId, queueId])
            return QueueActivity(totals: ActivityCounts(sent: row?[0] ?? 0, received: row?[1] ?? 0),
                                 oldestSentAtMillis: row?[2])
        }
    }
}
