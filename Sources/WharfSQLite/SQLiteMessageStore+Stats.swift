import GRDB
import WharfEngine

// Queue gauges: one pass over the messages grouped by queue, kept in `queue_stats`.
extension SQLiteMessageStore {
    public func refreshQueueStats(nowMillis: Int64) async throws {
        try await committer.write { db in
            try db.execute(sql: "DELETE FROM queue_stats")
            try db.execute(sql: """
                INSERT INTO queue_stats (queue_id, visible, in_flight, delayed, oldest_sent_at, groups_in_flight,
                                         noisy_groups, computed_at)
                SELECT q.id,
                       COALESCE(SUM(m.visible_at <= ?), 0),
                       COALESCE(SUM(m.visible_at > ? AND m.receive_count > 0), 0),
                       COALESCE(SUM(m.visible_at > ? AND m.receive_count = 0), 0),
                       MIN(m.sent_at), 0, 0, ?
                FROM queues q LEFT JOIN messages m ON m.queue_id = q.id
                GROUP BY q.id
                """, arguments: [nowMillis, nowMillis, nowMillis, nowMillis])
            // FIFO: groups whose head is in flight.
            try db.execute(sql: """
                UPDATE queue_stats SET groups_in_flight = (
                    SELECT COUNT(*) FROM fifo_groups g
                    WHERE g.queue_id = queue_stats.queue_id AND (
                        SELECT m.visible_at > ? AND m.receive_count > 0 FROM messages m
                        WHERE m.queue_id = g.queue_id AND m.group_id = g.group_id ORDER BY m.seq LIMIT 1))
                WHERE queue_id IN (SELECT DISTINCT queue_id FROM fifo_groups)
                """, arguments: [nowMillis])
            // Fair queues: groups with more than their share of the queue's grouped messages.
            try db.execute(sql: """
                WITH sizes AS (
                    SELECT m.queue_id, m.group_id, COUNT(*) AS n FROM messages m JOIN queues q ON q.id = m.queue_id
                    WHERE m.group_id IS NOT NULL AND q.fifo = 0 GROUP BY m.queue_id, m.group_id),
                shares AS (SELECT queue_id, SUM(n) * 1.0 / COUNT(*) AS share FROM sizes GROUP BY queue_id)
                UPDATE queue_stats SET noisy_groups = (
                    SELECT COUNT(*) FROM sizes s JOIN shares h ON h.queue_id = s.queue_id
                    WHERE s.queue_id = queue_stats.queue_id AND s.n >= ? AND s.n > ? * h.share)
                WHERE queue_id IN (SELECT queue_id FROM shares)
                """, arguments: [QueueStats.noisyMinimum, QueueStats.noisyFactor])
        }
    }

    public func queueStats() async throws -> [QueueStats] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT queue_id, visible, in_flight, delayed, oldest_sent_at, groups_in_flight, noisy_groups, computed_at
                FROM queue_stats
                """).map { row in
                QueueStats(queueId: row[0], visible: row[1], inFlight: row[2], delayed: row[3], oldestSentAtMillis: row[4],
                           groupsWithInFlight: row[5], noisyGroups: row[6], computedAtMillis: row[7])
            }
        }
    }
}
