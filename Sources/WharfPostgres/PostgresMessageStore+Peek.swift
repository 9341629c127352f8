import PostgresNIO
import WharfEngine

// PeekMessages: a plain read (no FOR UPDATE, no write), a range of `messages_by_age`
// (queue_id, sent_at) with ties in seq order, stopped after `limit` rows.
extension PostgresMessageStore {
    public func peek(queueId: Int64, after cursor: PeekCursor?, sentAfterMillis: Int64,
                     limit: Int) async throws -> [PeekedMessage] {
        // Resume after the cursor, or after everything sent up to the retention cutoff.
        let start = [cursor, PeekCursor(sentAtMillis: sentAfterMillis, seq: .max)].compactMap { $0 }
            .max { ($0.sentAtMillis, $0.seq) < ($1.sentAtMillis, $1.seq) }!
        return try await run { connection in
            let rows = try await connection.checkedQuery("""
                SELECT \(unescaped: Self.messageColumns) FROM messages
                WHERE queue_id = \(queueId) AND sent_at >= \(start.sentAtMillis)
                  AND (sent_at > \(start.sentAtMillis) OR seq > \(start.seq))
                ORDER BY sent_at, seq LIMIT \(limit)
                """, logger: self.logger)
            var peeked: [PeekedMessage] = []
            for try await row in rows.decode(MessageRow.self) {
                let claimed = Self.claimed(row, nowMillis: 0, nonce: 0)
                peeked.append(PeekedMessage(seq: claimed.seq, record: claimed.record, receiveCount: claimed.receiveCount,
                                            firstReceiveAtMillis: row.14, visibleAtMillis: row.12))
            }
            return peeked
        }
    }
}
