import Foundation
import PostgresNIO
import WharfEngine

// ReceiveMessage on FIFO queues. A group's row in `fifo_groups` is its lock: a receive takes
// the rows of the groups it serves with FOR UPDATE SKIP LOCKED, so two receives on any nodes
// never serve the same group at once, and a group whose head is in flight or delayed is one
// row passed over, however many messages wait in it.
extension PostgresMessageStore {
    func receiveFifo(queueId: Int64, _ claim: ReceiveClaim) async throws -> ReceiveOutcome {
        try await transaction { connection in
            if let attemptId = claim.attemptId,
               let replayed = try await Self.replayAttempt(connection, queueId: queueId, attemptId: attemptId, claim,
                                                           logger: self.logger) {
                return ReceiveOutcome(claimed: replayed)
            }
            var outcome = ReceiveOutcome(claimed: [])
            var visited: [String] = []
            var excluded: [String] = []
            var served: [String] = []
            while outcome.claimed.count < claim.limit {
                let remaining = claim.limit - outcome.claimed.count
                var groups: [String] = []
                // Groups whose head (their oldest message) is visible, in turn order. A group's
                // messages are matched by `>= AND <=`, not `=` (docs/postgres.md#group-lookups):
                // with `=` the planner may walk the primary key past a whole backlog instead.
                for try await group in try await connection.checkedQuery("""
                    SELECT g.group_id FROM fifo_groups g
                    WHERE g.queue_id = \(queueId) AND NOT (g.group_id = ANY(\(excluded)))
                      AND (SELECT m.visible_at FROM messages m
                           WHERE m.queue_id = g.queue_id AND m.group_id >= g.group_id AND m.group_id <= g.group_id
                           ORDER BY m.group_id, m.seq LIMIT 1) <= \(claim.nowMillis)
                    ORDER BY g.turn, g.group_id LIMIT \(remaining)
                    FOR UPDATE OF g SKIP LOCKED
                    """, logger: self.logger).decode(String.self) {
                    groups.append(group)
                }
                if groups.isEmpty { break }
                visited += groups.filter { !visited.contains($0) }
                // Each group's first messages; its visible prefix is what may be delivered.
                var byGroup: [String: [MessageRow]] = [:]
                for try await row in try await connection.checkedQuery("""
                    SELECT x.* FROM unnest(\(groups)) AS g(id),
                    LATERAL (SELECT \(unescaped: Self.messageColumns) FROM messages
                             WHERE queue_id = \(queueId) AND group_id >= g.id AND group_id <= g.id
                             ORDER BY group_id, seq LIMIT \(remaining)) AS x
                    """, logger: self.logger).decode(MessageRow.self) {
                    byGroup[row.8 ?? "", default: []].append(row)
                }
                var picked: [MessageRow] = []
                for group in groups {
                    for row in (byGroup[group] ?? []).sorted(by: { $0.0 < $1.0 }) {
                        if picked.count == remaining { break }
                        // Expired by retention: as good as gone (the sweep deletes it).
                        if row.11 <= claim.expiredBeforeMillis { continue }
                        // In flight or not yet due: nothing behind it in the group may overtake it.
                        if row.12 > claim.nowMillis { break }
                        picked.append(row)
                    }
                }
                if picked.isEmpty { break }
                let step = try await Self.take(picked, connection, queueId: queueId, claim, fifo: true, logger: self.logger)
                outcome.claimed += step.claimed
                outcome.movedToDeadLetter += step.movedToDeadLetter
                let servedNow = Set(step.claimed.compactMap(\.record.groupId))
                served += groups.filter { servedNow.contains($0) && !served.contains($0) }
                // Only dead-lettered messages leave room after a full pass: look again, at their
                // groups too, which may have more to give now.
                if step.movedToDeadLetter == 0 { break }
                let claimedSeqs = Set(step.claimed.map(\.seq))
                let reopened = Set(picked.filter { !claimedSeqs.contains($0.0) }.compactMap(\.8))
                excluded = visited.filter { !reopened.contains($0) }
            }
            if !served.isEmpty {
                // The groups served take the last turns, in the order they were served.
                try await connection.checkedQuery("""
                    UPDATE fifo_groups g SET turn = (SELECT MAX(turn) FROM fifo_groups WHERE queue_id = \(queueId)) + s.ord
                    FROM unnest(\(served)) WITH ORDINALITY AS s(id, ord)
                    WHERE g.queue_id = \(queueId) AND g.group_id = s.id
                    """, logger: self.logger)
            }
            if outcome.movedToDeadLetter > 0 {
                // Groups emptied by the dead-letter moves (their rows are ours, locked above).
                try await connection.checkedQuery("""
                    DELETE FROM fifo_groups g WHERE g.queue_id = \(queueId) AND g.group_id = ANY(\(visited))
                      AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.queue_id = g.queue_id
                          AND m.group_id >= g.group_id AND m.group_id <= g.group_id)
                    """, logger: self.logger)
            }
            if let attemptId = claim.attemptId, !outcome.claimed.isEmpty {
                let receipts = outcome.claimed.map { "\($0.seq):\($0.receiveCount)" }.joined(separator: ",")
                try await connection.checkedQuery("""
                    INSERT INTO receive_attempts (queue_id, attempt_id, created_at, receipts, nonce)
                    VALUES (\(queueId), \(attemptId), \(claim.nowMillis), \(receipts), \(Int64(bitPattern: claim.nonce)))
                    ON CONFLICT (queue_id, attempt_id) DO UPDATE
                        SET created_at = EXCLUDED.created_at, receipts = EXCLUDED.receipts, nonce = EXCLUDED.nonce
                    """, logger: self.logger)
            }
            return outcome
        }
    }

    /// The messages of an earlier receive with this attempt id, hidden again, if that receive is
    /// recent and every one of its messages is still exactly as it left them; nil otherwise.
    private static func replayAttempt(_ connection: PostgresConnection, queueId: Int64, attemptId: String,
                                      _ claim: ReceiveClaim, logger: Logger) async throws -> [ClaimedMessage]? {
        var attempt: (receipts: String, nonce: Int64)?
        for try await row in try await connection.checkedQuery("""
            SELECT receipts, nonce FROM receive_attempts
            WHERE queue_id = \(queueId) AND attempt_id = \(attemptId) AND created_at > \(claim.attemptValidAfterMillis)
            """, logger: logger).decode((String, Int64).self) {
            attempt = row
        }
        guard let attempt else { return nil }
        var expected: [(seq: Int64, count: Int)] = []
        for receipt in attempt.receipts.split(separator: ",") {
            let parts = receipt.split(separator: ":")
            guard parts.count == 2, let seq = Int64(parts[0]), let count = Int(parts[1]) else { return nil }
            expected.append((seq, count))
        }
        var rows: [Int64: MessageRow] = [:]
        for try await row in try await connection.checkedQuery("""
            SELECT \(unescaped: messageColumns) FROM messages
            WHERE queue_id = \(queueId) AND seq = ANY(\(expected.map(\.seq))) FOR UPDATE
            """, logger: logger).decode(MessageRow.self) {
            rows[row.0] = row
        }
        let nonce = UInt64(bitPattern: attempt.nonce)
        var replayed: [ClaimedMessage] = []
        for (seq, count) in expected {
            guard let row = rows[seq], row.13 == count else { return nil }
            replayed.append(claimed(row, nowMillis: claim.nowMillis, nonce: nonce))
        }
        try await connection.checkedQuery("""
            UPDATE messages SET visible_at = \(claim.invisibleUntilMillis), received_at = \(claim.nowMillis)
            WHERE seq = ANY(\(expected.map(\.seq)))
            """, logger: logger)
        return replayed
    }
}
