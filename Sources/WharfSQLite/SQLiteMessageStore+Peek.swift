import GRDB
import WharfEngine

// PeekMessages: a read-only range of `messages_by_age` (queue_id, sent_at, and the rowid seq),
// so a page costs its own rows however long the queue is.
extension SQLiteMessageStore {
    public func peek(queueId: Int64, after cursor: PeekCursor?, sentAfterMillis: Int64,
                     limit: Int) async throws -> [PeekedMessage] {
        // Resume after the cursor, or after everything sent up to the retention cutoff: one
        // (sent_at, seq) lower bound, written so the index range starts at its sent_at.
        let start = [cursor, PeekCursor(sentAtMillis: sentAfterMillis, seq: .max)].compactMap { $0 }
            .max { ($0.sentAtMillis, $0.seq) < ($1.sentAtMillis, $1.seq) }!
        return try await pool.read { db in
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT \(Self.messageColumns) FROM messages INDEXED BY messages_by_age
                WHERE queue_id = ? AND sent_at >= ? AND (sent_at > ? OR seq > ?)
                ORDER BY sent_at, seq LIMIT ?
                """), arguments: [queueId, start.sentAtMillis, start.sentAtMillis, start.seq, limit])
            return rows.map { row in
                let claimed = Self.claimedMessage(row, receiveCount: row[MessageColumn.receiveCount], now: 0, nonce: 0)
                return PeekedMessage(seq: claimed.seq, record: claimed.record, receiveCount: claimed.receiveCount,
                                     firstReceiveAtMillis: row[MessageColumn.firstReceiveAt],
                                     visibleAtMillis: row[MessageColumn.visibleAt])
            }
        }
    }
}
