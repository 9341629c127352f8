import PostgresNIO
import WharfEngine

// Queue gauges: one pass over the messages grouped by queue, kept in `queue_stats` so that
// every node reports the same values.
extension PostgresMessageStore {
    public func refreshQueueStats(nowMillis: Int64) async throws {
        let (rows, believed) = try await transaction { connection in
            try await connection.checkedQuery("DELETE FROM queue_stats", logger: self.logger)
            try await connection.checkedQuery("""
                INSERT INTO queue_stats (queue_id, visible, in_flight, delayed, oldest_sent_at, groups_in_flight,
                                         noisy_groups, computed_at)
                SELECT q.id,
                       count(m.seq) FILTER (WHERE m.visible_at <= \(nowMillis)),
                       count(m.seq) FILTER (WHERE m.visible_at > \(nowMillis) AND m.receive_count > 0),
                       count(m.seq) FILTER (WHERE m.visible_at > \(nowMillis) AND m.receive_count = 0),
                       min(m.sent_at), 0, 0, \(nowMillis)
                FROM queues q LEFT JOIN messages m ON m.queue_id = q.id
                GROUP BY q.id
                """, logger: self.logger)
            try await connection.checkedQuery("""
                UPDATE queue_stats s SET groups_in_flight = f.n
                FROM (SELECT g.queue_id, count(*) AS n FROM fifo_groups g
                      WHERE (SELECT m.visible_at > \(nowMillis) AND m.receive_count > 0 FROM messages m
                             WHERE m.queue_id = g.queue_id AND m.group_id >= g.group_id AND m.group_id <= g.group_id
                             ORDER BY m.group_id, m.seq LIMIT 1)
                      GROUP BY g.queue_id) AS f
                WHERE s.queue_id = f.queue_id
                """, logger: self.logger)
            try await connection.checkedQuery("""
                WITH sizes AS (
                    SELECT m.queue_id, m.group_id, count(*) AS n FROM messages m JOIN queues q ON q.id = m.queue_id
                    WHERE m.group_id IS NOT NULL AND NOT q.fifo GROUP BY m.queue_id, m.group_id),
                shares AS (SELECT queue_id, sum(n)::float8 / count(*) AS share FROM sizes GROUP BY queue_id),
                noisy AS (SELECT s.queue_id, count(*) AS n FROM sizes s JOIN shares h USING (queue_id)
                          WHERE s.n >= \(QueueStats.noisyMinimum) AND s.n > \(QueueStats.noisyFactor) * h.share
                          GROUP BY s.queue_id)
                UPDATE queue_stats s SET noisy_groups = noisy.n FROM noisy WHERE s.queue_id = noisy.queue_id
                """, logger: self.logger)
            let counts = try await connection.checkedQuery("""
                SELECT coalesce(sum(visible + in_flight + delayed), 0)::int8,
                       (SELECT reltuples FROM pg_class WHERE oid = 'messages'::regclass)::float8
                FROM queue_stats
                """, logger: self.logger)
            for try await row in counts.decode((Int64, Double).self) { return row }
            return (Int64(0), Double(0))
        }
        if Self.statisticsLag(rows: rows, believed: believed) {
            try await run { connection in
                try await connection.checkedQuery("ANALYZE (SKIP_LOCKED) messages", logger: self.logger)
            }
        }
    }

    /// Whether the planner's idea of the message table (`reltuples`: -1 before the first
    /// analyze) is so far below what the gauges just counted that the table must be analyzed
    /// now. Statistics that lag mislead the claim: once vacuum had found the table empty
    /// (reltuples 0) and a burst refilled it, each queue was planned as holding one row, and
    /// the claim walked `messages_by_age` and sorted the whole backlog on every receive
    /// (a 200,000-message receive + delete cycle at ~105 msgs/s instead of thousands) until
    /// autovacuum's next analyze, up to a minute later (`autovacuum_naptime`). Growth to
    /// twice the estimate and more analyzes a table growing from empty to N rows about
    /// log2(N / 1,000) times; a table of steady size never.
    static func statisticsLag(rows: Int64, believed: Double) -> Bool {
        Double(rows) > 2 * max(believed, 0) + 1_000
    }

    public func queueStats() async throws -> [QueueStats] {
        try await run { connection in
            var stats: [QueueStats] = []
            let rows = try await connection.checkedQuery("""
                SELECT queue_id, visible, in_flight, delayed, oldest_sent_at, groups_in_flight, noisy_groups, computed_at
                FROM queue_stats
                """, logger: self.logger)
            for try await row in rows.decode((Int64, Int64, Int64, Int64, Int64?, Int64, Int64, Int64).self) {
                stats.append(QueueStats(queueId: row.0, visible: Int(row.1), inFlight: Int(row.2), delayed: Int(row.3),
                                        oldestSentAtMillis: row.4, groupsWithInFlight: Int(row.5),
                                        noisyGroups: Int(row.6), computedAtMillis: row.7))
            }
            return stats
        }
    }
}
