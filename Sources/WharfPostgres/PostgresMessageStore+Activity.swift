import PostgresNIO
import WharfEngine

// Running totals of messages sent and received per queue (`QueueActivity`).
extension PostgresMessageStore {
    public func addActivity(_ counts: [Int64: ActivityCounts]) async throws {
        let ordered = counts.sorted { $0.key < $1.key }
        let ids = ordered.map(\.key), sent = ordered.map(\.value.sent), received = ordered.map(\.value.received)
        try await run { connection in
            // One statement for every queue, rows locked in id order (two nodes flushing at once
            // cannot deadlock), queues deleted meanwhile left out by the join.
            try await connection.checkedQuery("""
                INSERT INTO queue_activity (queue_id, sent, received)
                SELECT d.id, d.sent, d.received
                FROM unnest(\(ids)::bigint[], \(sent)::bigint[], \(received)::bigint[]) AS d (id, sent, received)
                JOIN queues q ON q.id = d.id
                ORDER BY d.id
                ON CONFLICT (queue_id) DO UPDATE
                SET sent = queue_activity.sent + EXCLUDED.sent, received = queue_activity.received + EXCLUDED.received
                """, logger: self.logger)
        }
    }

    public func activity(queueId: Int64) async throws -> QueueActivity {
        try await run { connection in
            let rows = try await connection.checkedQuery("""
                SELECT (SELECT sent FROM queue_activity WHERE queue_id = \(queueId)),
                       (SELECT received FROM queue_activity WHERE queue_id = \(queueId)),
                       (SELECT oldest_sent_at FROM queue_stats WHERE queue_id = \(queueId))
                """, logger: self.logger)
            for try await row in rows.decode((Int64?, Int64?, Int64?).self) {
                return QueueActivity(totals: ActivityCounts(sent: row.0 ?? 0, received: row.1 ?? 0), oldestSentAtMillis: row.2)
            }
            return QueueActivity(totals: ActivityCounts(), oldestSentAtMillis: nil)
        }
    }
}
