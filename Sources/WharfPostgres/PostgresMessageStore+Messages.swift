import Foundation
import NIOCore
import PostgresNIO
import WharfEngine

// Sends, deletes, visibility changes, counts and retention.
extension PostgresMessageStore {
    /// The columns a receive returns, in `MessageRow` order.
    static let messageColumns = """
        seq, message_id, body, md5_body, attributes, md5_attributes, trace_header, sender_id, group_id, dedup_id,
        dead_letter_source, sent_at, visible_at, receive_count, first_receive_at
        """
    typealias MessageRow = (Int64, String, String, String, Data?, String?, String?, String, String?, String?,
                            String?, Int64, Int64, Int, Int64?)

    static func claimed(_ row: MessageRow, nowMillis: Int64, nonce: UInt64) -> ClaimedMessage {
        let record = MessageRecord(messageId: row.1, body: row.2, md5OfBody: row.3, attributesJSON: row.4,
                                   md5OfAttributes: row.5, traceHeader: row.6, senderId: row.7, groupId: row.8,
                                   deduplicationId: row.9, deadLetterSourceArn: row.10, sentAtMillis: row.11)
        return ClaimedMessage(seq: row.0, record: record, receiveCount: row.13,
                              firstReceiveAtMillis: row.14 ?? nowMillis, nonce: nonce)
    }

    public func send(queueId: Int64, messages: [NewMessage], nowMillis: Int64) async throws -> [SendOutcome] {
        if messages.contains(where: { $0.deduplication != nil || $0.record.groupId != nil }) {
            return try await sendGrouped(queueId: queueId, messages: messages, nowMillis: nowMillis)
        }
        // The common case, a standard queue: one statement for the whole batch, in an explicit
        // transaction: a statement on its own commits only after its result was sent, so its
        // result is no proof that the commit happened (a crash in between loses the rows).
        // COMMIT's answer is: it comes once the commit is on disk.
        return try await transaction { connection in
            try await connection.checkedExecute(InsertMessages(queueId: queueId, messages: messages), logger: self.logger)
                .map { .stored(seq: $0) }
        }
    }

    /// Messages with a group or a deduplication id, one by one in one transaction. A FIFO
    /// group's row is locked before its messages take their sequence numbers, so that a group's
    /// messages are numbered in commit order: a receive never sees message n+1 of a group
    /// committed while message n is not yet.
    private func sendGrouped(queueId: Int64, messages: [NewMessage], nowMillis: Int64) async throws -> [SendOutcome] {
        try await transaction { connection in
            var fifo = false
            for try await flag in try await connection.checkedQuery(
                "SELECT fifo FROM queues WHERE id = \(queueId) FOR KEY SHARE", logger: self.logger).decode(Bool.self) {
                fifo = flag
            }
            if fifo {
                // Sorted, so that two batches lock their groups in the same order.
                let groups = Set(messages.compactMap(\.record.groupId)).sorted()
                try await connection.checkedQuery("""
                    INSERT INTO fifo_groups (queue_id, group_id, turn)
                    SELECT \(queueId), g, (SELECT COALESCE(MAX(turn), 0) + 1 FROM fifo_groups WHERE queue_id = \(queueId))
                    FROM unnest(\(groups)) AS g ORDER BY g
                    ON CONFLICT (queue_id, group_id) DO UPDATE SET turn = fifo_groups.turn
                    """, logger: self.logger)
            }
            var outcomes: [SendOutcome] = []
            var taken: [String: SendOutcome] = [:]   // deduplication keys claimed earlier in this batch
            for message in messages {
                let m = message.record
                if let key = message.deduplication {
                    let name = key.scope + "\u{0}" + key.id
                    if let earlier = taken[name] {
                        outcomes.append(.duplicate(messageId: Self.messageId(of: earlier, messages, outcomes), seq: earlier.seq))
                        continue
                    }
                    // The unique key decides: a held, unexpired id keeps its row and no message is
                    // written; an expired one is taken over.
                    let rows = try await connection.checkedQuery("""
                        WITH d AS (
                            INSERT INTO dedup (queue_id, scope, dedup_id, message_id, seq, expires_at)
                            VALUES (\(queueId), \(key.scope), \(key.id), \(m.messageId), nextval('message_seq'),
                                    \(key.expiresAtMillis))
                            ON CONFLICT (queue_id, scope, dedup_id) DO UPDATE
                                SET message_id = EXCLUDED.message_id, seq = EXCLUDED.seq, expires_at = EXCLUDED.expires_at
                                WHERE dedup.expires_at <= \(nowMillis)
                            RETURNING seq)
                        INSERT INTO messages (seq, queue_id, message_id, body, md5_body, attributes, md5_attributes,
                                              trace_header, sender_id, group_id, dedup_id, sent_at, visible_at)
                        SELECT d.seq, \(queueId), \(m.messageId), \(m.body), \(m.md5OfBody), \(m.attributesJSON),
                               \(m.md5OfAttributes), \(m.traceHeader), \(m.senderId), \(m.groupId), \(m.deduplicationId),
                               \(m.sentAtMillis), \(message.visibleAtMillis)
                        FROM d
                        RETURNING seq
                        """, logger: self.logger)
                    var stored: Int64?
                    for try await seq in rows.decode(Int64.self) { stored = seq }
                    if let stored {
                        outcomes.append(.stored(seq: stored))
                    } else {
                        var original: SendOutcome?
                        for try await (messageId, seq) in try await connection.checkedQuery("""
                            SELECT message_id, seq FROM dedup
                            WHERE queue_id = \(queueId) AND scope = \(key.scope) AND dedup_id = \(key.id)
                            """, logger: self.logger).decode((String, Int64).self) {
                            original = .duplicate(messageId: messageId, seq: seq)
                        }
                        outcomes.append(original ?? .duplicate(messageId: m.messageId, seq: 0))
                    }
                    taken[name] = outcomes.last
                } else {
                    let rows = try await connection.checkedQuery("""
                        INSERT INTO messages (queue_id, message_id, body, md5_body, attributes, md5_attributes, trace_header,
                                              sender_id, group_id, sent_at, visible_at)
                        VALUES (\(queueId), \(m.messageId), \(m.body), \(m.md5OfBody), \(m.attributesJSON),
                                \(m.md5OfAttributes), \(m.traceHeader), \(m.senderId), \(m.groupId), \(m.sentAtMillis),
                                \(message.visibleAtMillis))
                        RETURNING seq
                        """, logger: self.logger)
                    for try await seq in rows.decode(Int64.self) { outcomes.append(.stored(seq: seq)) }
                }
            }
            return outcomes
        }
    }

    /// The message id behind an earlier outcome of the same batch.
    private static func messageId(of outcome: SendOutcome, _ messages: [NewMessage], _ outcomes: [SendOutcome]) -> String {
        switch outcome {
        case .duplicate(let messageId, _): return messageId
        case .stored(let seq):
            let index = outcomes.firstIndex(of: .stored(seq: seq)) ?? 0
            return messages[index].record.messageId
        }
    }

    static func bytes(_ data: Data?) -> ByteBuffer { ByteBuffer(bytes: data ?? Data()) }

    public func delete(queueId: Int64, messages: [HandleReference], currentAt: Int64?) async throws -> [DeleteOutcome] {
        let seqs = messages.map(\.seq)
        guard let currentAt else {
            // Standard queues: a handle deletes its message whatever happened since. A transaction
            // for the same reason as sends: an acknowledged delete must not come back.
            let outcomes: [DeleteOutcome] = try await transaction { connection in
                let deleted = Set(try await connection.checkedExecute(DeleteMessages(queueId: queueId, seqs: seqs),
                                                                      logger: self.logger))
                return seqs.map { deleted.contains($0) ? .deleted : .gone }
            }
            if !outcomes.contains(.deleted) {
                // Nothing deleted: perhaps because another node deleted the queue itself.
                guard try await queueExists(queueId) else { throw StoreError.queueMissing }
            }
            return outcomes
        }
        // FIFO: only the latest receive's handle, while its visibility lasts. The groups are
        // locked first (the order receives and sends lock in), then the messages go, then the
        // groups left empty.
        let counts = messages.map(\.receiveCount)
        return try await transaction { connection in
            try await connection.checkedQuery("""
                SELECT 1 FROM fifo_groups WHERE queue_id = \(queueId) AND group_id IN (
                    SELECT group_id FROM messages WHERE queue_id = \(queueId) AND seq = ANY(\(seqs)))
                ORDER BY group_id FOR UPDATE
                """, logger: self.logger)
            var deleted = Set<Int64>()
            let rows = try await connection.checkedQuery("""
                WITH h AS (SELECT * FROM unnest(\(seqs), \(counts)) AS h(seq, receive_count)),
                d AS (DELETE FROM messages m USING h
                      WHERE m.queue_id = \(queueId) AND m.seq = h.seq AND m.receive_count = h.receive_count
                        AND m.visible_at > \(currentAt)
                      RETURNING m.seq, m.group_id),
                emptied AS (DELETE FROM fifo_groups g
                            WHERE g.queue_id = \(queueId) AND g.group_id IN (SELECT group_id FROM d)
                              AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.queue_id = \(queueId)
                                              AND m.group_id >= g.group_id AND m.group_id <= g.group_id
                                              AND m.seq NOT IN (SELECT seq FROM d)))
                SELECT seq FROM d
                """, logger: self.logger)
            for try await seq in rows.decode(Int64.self) { deleted.insert(seq) }
            var present = Set<Int64>()
            if deleted.count < seqs.count {
                for try await seq in try await connection.checkedQuery("""
                    SELECT seq FROM messages WHERE queue_id = \(queueId) AND seq = ANY(\(seqs))
                    """, logger: self.logger).decode(Int64.self) { present.insert(seq) }
            }
            return seqs.map { deleted.contains($0) ? .deleted : present.contains($0) ? .expired : .gone }
        }
    }

    public func changeVisibility(queueId: Int64, changes: [(message: HandleReference, visibleAtMillis: Int64)],
                                 nowMillis: Int64, maxInvisibleMillis: Int64,
                                 currentAt: Int64?) async throws -> [VisibilityChangeResult] {
        let seqs = changes.map(\.message.seq), counts = changes.map(\.message.receiveCount)
        let times = changes.map(\.visibleAtMillis)
        return try await transaction { connection in
            var states: [Int64: (receiveCount: Int, visibleAt: Int64, receivedAt: Int64?)] = [:]
            for try await (seq, count, visible, received) in try await connection.checkedQuery("""
                SELECT seq, receive_count, visible_at, received_at FROM messages
                WHERE queue_id = \(queueId) AND seq = ANY(\(seqs)) FOR UPDATE
                """, logger: self.logger).decode((Int64, Int, Int64, Int64?).self) {
                states[seq] = (count, visible, received)
            }
            var results: [VisibilityChangeResult] = []
            var update: (seqs: [Int64], times: [Int64]) = ([], [])
            for (index, seq) in seqs.enumerated() {
                guard let state = states[seq] else { results.append(.notFound); continue }
                if let currentAt, state.receiveCount != counts[index] || state.visibleAt <= currentAt {
                    results.append(.expired)
                    continue
                }
                if times[index] - (state.receivedAt ?? nowMillis) > maxInvisibleMillis {
                    results.append(.beyondLimit)
                    continue
                }
                update.seqs.append(seq)
                update.times.append(times[index])
                results.append(.changed)
            }
            if !update.seqs.isEmpty {
                try await connection.checkedQuery("""
                    UPDATE messages m SET visible_at = c.visible FROM unnest(\(update.seqs), \(update.times)) AS c(seq, visible)
                    WHERE m.seq = c.seq AND m.queue_id = \(queueId)
                    """, logger: self.logger)
            } else if states.isEmpty {
                // No message found: perhaps because another node deleted the queue itself.
                var exists = false
                for try await _ in try await connection.checkedQuery("SELECT 1 FROM queues WHERE id = \(queueId)",
                                                              logger: self.logger).decode(Int.self) { exists = true }
                if !exists { throw StoreError.queueMissing }
            }
            return results
        }
    }

    public func expire(queueId: Int64, sentBeforeMillis: Int64) async throws -> Int {
        try await transaction { connection in
            var removed = 0
            for try await count in try await connection.checkedQuery("""
                WITH d AS (DELETE FROM messages WHERE queue_id = \(queueId) AND sent_at <= \(sentBeforeMillis) RETURNING 1)
                SELECT count(*)::bigint FROM d
                """, logger: self.logger).decode(Int64.self) { removed = Int(count) }
            if removed > 0 {
                // Groups whose last messages expired. Their rows are locked first, then checked
                // in a new snapshot: a send that holds a group's row has committed by then.
                try await connection.checkedQuery("""
                    SELECT 1 FROM fifo_groups g WHERE g.queue_id = \(queueId) AND NOT EXISTS (
                        SELECT 1 FROM messages m WHERE m.queue_id = g.queue_id
                            AND m.group_id >= g.group_id AND m.group_id <= g.group_id)
                    ORDER BY g.group_id FOR UPDATE
                    """, logger: self.logger)
                try await connection.checkedQuery("""
                    DELETE FROM fifo_groups g WHERE g.queue_id = \(queueId) AND NOT EXISTS (
                        SELECT 1 FROM messages m WHERE m.queue_id = g.queue_id
                            AND m.group_id >= g.group_id AND m.group_id <= g.group_id)
                    """, logger: self.logger)
            }
            return removed
        }
    }

    public func forgetExpiredKeys(nowMillis: Int64, attemptsBeforeMillis: Int64) async throws {
        try await run { connection in
            try await connection.checkedQuery("DELETE FROM dedup WHERE expires_at <= \(nowMillis)", logger: self.logger)
            try await connection.checkedQuery("DELETE FROM receive_attempts WHERE created_at <= \(attemptsBeforeMillis)", logger: self.logger)
        }
    }

    public func counts(queueId: Int64, nowMillis: Int64) async throws -> QueueCounts {
        try await run { connection in
            // Hidden messages never received are delayed; hidden ones received before are in flight.
            let rows = try await connection.checkedQuery("""
                SELECT
                  (SELECT count(*) FROM messages WHERE queue_id = \(queueId) AND receive_count = 0 AND visible_at <= \(nowMillis))
                + (SELECT count(*) FROM messages WHERE queue_id = \(queueId) AND receive_count > 0 AND visible_at <= \(nowMillis)),
                  (SELECT count(*) FROM messages WHERE queue_id = \(queueId) AND receive_count > 0 AND visible_at > \(nowMillis)),
                  (SELECT count(*) FROM messages WHERE queue_id = \(queueId) AND receive_count = 0 AND visible_at > \(nowMillis))
                """, logger: self.logger)
            for try await (visible, inFlight, delayed) in rows.decode((Int64, Int64, Int64).self) {
                return QueueCounts(visible: Int(visible), inFlight: Int(inFlight), delayed: Int(delayed))
            }
            return QueueCounts(visible: 0, inFlight: 0, delayed: 0)
        }
    }

    /// The earliest visible_at after `after` in either lane, as an SQL expression (NULL if none).
    static func nextVisibleSQL(queue: String, after: String) -> String {
        """
        LEAST((SELECT min(visible_at) FROM messages WHERE \(sameQueue(queue)) AND receive_count = 0 AND visible_at > \(after)),
              (SELECT min(visible_at) FROM messages WHERE \(sameQueue(queue)) AND receive_count > 0 AND visible_at > \(after)))
        """
    }

    public func nextVisibleTime(queueId: Int64, after nowMillis: Int64) async throws -> Int64? {
        try await run { connection in
            // Integers only: written into the text, nothing to escape.
            let next = Self.nextVisibleSQL(queue: String(queueId), after: String(nowMillis))
            let rows = try await connection.checkedQuery("SELECT \(unescaped: next)", logger: self.logger)
            for try await next in rows.decode(Int64?.self) { return next }
            return nil
        }
    }
}
