import Foundation
import GRDB
import WharfEngine

// ReceiveMessage: picking messages in the queue's order, claiming them, dead-lettering those
// received too often, and replaying FIFO receive attempts.
extension SQLiteMessageStore {
    public func receive(queueId: Int64, _ claim: ReceiveClaim) async throws -> ReceiveOutcome {
        try await committer.write { db in
            try Self.deleteExpired(db, queueId: queueId, sentBeforeMillis: claim.expiredBeforeMillis)
            if let attemptId = claim.attemptId,
               let replayed = try Self.replayAttempt(db, queueId: queueId, attemptId: attemptId, claim: claim) {
                return ReceiveOutcome(claimed: replayed)
            }
            var claim = claim
            if claim.maxInFlight != .max {
                // A covering scan of the in-flight lane, bounded by the limit.
                let inFlight = try Int.fetchOne(db.cachedStatement(sql: """
                    SELECT COUNT(*) FROM (SELECT 1 FROM messages
                                          WHERE queue_id = ? AND receive_count > 0 AND visible_at > ? LIMIT ?)
                    """), arguments: [queueId, claim.nowMillis, claim.maxInFlight]) ?? 0
                if inFlight >= claim.maxInFlight { return ReceiveOutcome(claimed: [], atInFlightLimit: true) }
                claim.limit = min(claim.limit, claim.maxInFlight - inFlight)
            }
            var picker = MessagePicker(db: db, queueId: queueId, claim: claim)
            switch claim.order {
            case .oldestFirst: try picker.takeOldestFirst()
            case .fairByGroup(let startAfter): try picker.takeFairly(startAfter: startAfter)
            case .fifo: try picker.takeFifo()
            }
            // Nothing to hand out: say so if the queue itself is gone (deleted by another node
            // after the engine resolved it), as a receive on a missing queue must fail.
            if picker.claimed.isEmpty, picker.movedToDeadLetter == 0, try Self.isFifo(db, queueId: queueId) == nil {
                throw StoreError.queueMissing
            }
            if let attemptId = claim.attemptId, !picker.claimed.isEmpty {
                let receipts = picker.claimed.map { "\($0.seq):\($0.receiveCount)" }.joined(separator: ",")
                try db.execute(sql: "INSERT OR REPLACE INTO receive_attempts VALUES (?, ?, ?, ?, ?)",
                               arguments: [queueId, attemptId, claim.nowMillis, receipts, Int64(bitPattern: claim.nonce)])
            }
            return ReceiveOutcome(claimed: picker.claimed, movedToDeadLetter: picker.movedToDeadLetter,
                                  lastGroup: picker.lastGroup)
        }
    }

    /// The messages of an earlier receive with this attempt id, re-hidden, if that receive is
    /// recent and every one of its messages is still exactly as it left them; nil otherwise.
    private static func replayAttempt(_ db: Database, queueId: Int64, attemptId: String,
                                      claim: ReceiveClaim) throws -> [ClaimedMessage]? {
        guard let attempt = try Row.fetchOne(db, sql: """
            SELECT receipts, nonce FROM receive_attempts WHERE queue_id = ? AND attempt_id = ? AND created_at > ?
            """, arguments: [queueId, attemptId, claim.attemptValidAfterMillis]) else { return nil }
        let nonce = UInt64(bitPattern: attempt[1] as Int64)
        var replayed: [ClaimedMessage] = []
        for receipt in (attempt[0] as String).split(separator: ",") {
            let parts = receipt.split(separator: ":")
            guard parts.count == 2, let seq = Int64(parts[0]), let count = Int(parts[1]),
                  let row = try Row.fetchOne(db, sql: "SELECT \(messageColumns) FROM messages WHERE seq = ? AND queue_id = ?",
                                             arguments: [seq, queueId]),
                  (row[MessageColumn.receiveCount] as Int) == count else { return nil }
            replayed.append(claimedMessage(row, receiveCount: count, now: claim.nowMillis, nonce: nonce))
        }
        for message in replayed {
            try db.execute(sql: "UPDATE messages SET visible_at = ?, received_at = ? WHERE seq = ?",
                           arguments: [claim.invisibleUntilMillis, claim.nowMillis, message.seq])
        }
        return replayed
    }

    static func claimedMessage(_ row: Row, receiveCount: Int, now: Int64, nonce: UInt64) -> ClaimedMessage {
        let record = MessageRecord(
            messageId: row[MessageColumn.messageId], body: row[MessageColumn.body], md5OfBody: row[MessageColumn.md5Body],
            attributesJSON: row[MessageColumn.attributes], md5OfAttributes: row[MessageColumn.md5Attributes],
            traceHeader: row[MessageColumn.traceHeader], senderId: row[MessageColumn.senderId],
            groupId: row[MessageColumn.groupId], deduplicationId: row[MessageColumn.dedupId],
            deadLetterSourceArn: row[MessageColumn.deadLetterSource], sentAtMillis: row[MessageColumn.sentAt])
        return ClaimedMessage(seq: row[MessageColumn.seq], record: record, receiveCount: receiveCount,
                              firstReceiveAtMillis: (row[MessageColumn.firstReceiveAt] as Int64?) ?? now, nonce: nonce)
    }
}

/// One receive's walk over a queue: finds candidates in the queue's order and takes each one,
/// either claiming it or, past the redrive limit, moving it to the dead-letter queue.
struct MessagePicker {
    let db: Database
    let queueId: Int64
    let claim: ReceiveClaim
    private(set) var claimed: [ClaimedMessage] = []
    private(set) var movedToDeadLetter = 0
    private(set) var lastGroup: String?
    private var taken: Set<Int64> = []

    init(db: Database, queueId: Int64, claim: ReceiveClaim) {
        self.db = db; self.queueId = queueId; self.claim = claim
    }

    private var remaining: Int { claim.limit - claimed.count }
    private static let columns = SQLiteMessageStore.messageColumns

    /// Standard queue, no groups: the visible messages in send order (seq), best effort. Two
    /// index lanes, each read in visibility order — never received (indexed by when they became
    /// visible: send plus delay) and received before (by when their timeout ran out) — merged
    /// by seq, so that a redelivered message comes before those sent after it.
    mutating func takeOldestFirst() throws {
        // Dead-lettered candidates leave room; fetch again until full or out of messages.
        while remaining > 0 {
            let fresh = try visibleInSendOrder(limit: remaining + taken.count).filter { !taken.contains($0[MessageColumn.seq]) }
            if fresh.isEmpty { return }
            let movedBefore = movedToDeadLetter
            for row in fresh where remaining > 0 { try take(row) }
            if movedToDeadLetter == movedBefore { return }
        }
    }

    /// Up to `limit` visible messages (optionally only those without a group), by seq.
    private func visibleInSendOrder(limit: Int, ungroupedOnly: Bool = false) throws -> [Row] {
        let filter = ungroupedOnly ? "AND group_id IS NULL" : ""
        return try ["receive_count = 0", "receive_count > 0"].flatMap { lane in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT \(Self.columns) FROM messages WHERE queue_id = ? AND \(lane) AND visible_at <= ? \(filter)
                ORDER BY visible_at, seq LIMIT ?
                """), arguments: [queueId, claim.nowMillis, limit])
        }
        .sorted { ($0[MessageColumn.seq] as Int64) < ($1[MessageColumn.seq] as Int64) }
        .prefix(limit).map { $0 }
    }

    /// Standard queue with groups: one message from each group in turn. Groups are visited in
    /// name order starting after the group served last, at most `maxGroupsPerReceive` of them,
    /// so the cost stays bounded and, over successive receives, every group gets its turn.
    mutating func takeFairly(startAfter: String?) throws {
        let groups = try groupsInTurn(startAfter: startAfter)
        if groups.isEmpty { return try takeOldestFirst() }
        var lanes: [[Row]] = try groups.map { group in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT \(Self.columns) FROM messages WHERE queue_id = ? AND group_id = ? AND visible_at <= ?
                ORDER BY seq LIMIT ?
                """), arguments: [queueId, group, claim.nowMillis, claim.limit])
        }
        // Messages without a group form one more lane.
        lanes.append(try visibleInSendOrder(limit: claim.limit, ungroupedOnly: true))
        var round = 0
        while remaining > 0 {
            var any = false
            for lane in lanes where round < lane.count && remaining > 0 {
                any = true
                let row = lane[round]
                try take(row)
                if let group = row[MessageColumn.groupId] as String? { lastGroup = group }
            }
            if !any { break }
            round += 1
        }
        // Groups beyond this receive's share may hold the only visible messages.
        if claimed.isEmpty && movedToDeadLetter == 0 { try takeOldestFirst() }
    }

    static let maxGroupsPerReceive = 32

    private func groupsInTurn(startAfter: String?) throws -> [String] {
        let next = try db.cachedStatement(sql: """
            SELECT MIN(group_id) FROM messages WHERE queue_id = ? AND group_id IS NOT NULL AND group_id > ?
            """)
        var groups: [String] = []
        var cursor = startAfter ?? ""
        var wrapped = startAfter == nil
        while groups.count < Self.maxGroupsPerReceive {
            if let group = try String.fetchOne(next, arguments: [queueId, cursor]) {
                if wrapped, let startAfter, group > startAfter { break }
                groups.append(group)
                cursor = group
            } else if !wrapped {
                wrapped = true
                cursor = ""
            } else {
                break
            }
        }
        return groups
    }

    /// FIFO: the groups whose head message is visible, in turn order; from each, its messages
    /// in order while they are visible; the groups served go to the back of the turn order.
    /// A group whose head is in flight or delayed is one row skipped, whatever waits behind it.
    mutating func takeFifo() throws {
        var visited: [String] = []
        var served: [String] = []
        while remaining > 0 {
            let excluded = visited.isEmpty ? "" : "AND g.group_id NOT IN (\(visited.map { _ in "?" }.joined(separator: ",")))"
            var arguments: [any DatabaseValueConvertible] = [queueId, claim.nowMillis]
            arguments += visited
            arguments.append(remaining)
            let groups = try String.fetchAll(db, sql: """
                SELECT g.group_id FROM fifo_groups g
                WHERE g.queue_id = ? AND (SELECT m.visible_at FROM messages m
                                          WHERE m.queue_id = g.queue_id AND m.group_id = g.group_id
                                          ORDER BY m.seq LIMIT 1) <= ? \(excluded)
                ORDER BY g.turn, g.group_id LIMIT ?
                """, arguments: StatementArguments(arguments))
            if groups.isEmpty { break }
            for group in groups where remaining > 0 {
                visited.append(group)
                let before = claimed.count
                try drainGroup(group)
                if claimed.count > before { served.append(group) }
            }
            // Only dead-lettered heads can leave room after a full pass; look again.
            if movedToDeadLetter == 0 { break }
        }
        try SQLiteMessageStore.sendToBack(db, queueId: queueId, groups: served)
        if movedToDeadLetter > 0 { try SQLiteMessageStore.leaveGroupsIfEmpty(db, queueId: queueId, groups: visited) }
    }

    private mutating func drainGroup(_ group: String) throws {
        var afterSeq: Int64 = -1
        while remaining > 0 {
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT \(Self.columns) FROM messages WHERE queue_id = ? AND group_id = ? AND seq > ?
                ORDER BY seq LIMIT 10
                """), arguments: [queueId, group, afterSeq])
            if rows.isEmpty { return }
            for row in rows {
                // In flight or not yet due: nothing behind it in the group may overtake it.
                if (row[MessageColumn.visibleAt] as Int64) > claim.nowMillis || remaining == 0 { return }
                try take(row)
                afterSeq = row[MessageColumn.seq]
            }
        }
    }

    /// Claims the message, or dead-letters it if this receive would exceed maxReceiveCount.
    private mutating func take(_ row: Row) throws {
        let seq: Int64 = row[MessageColumn.seq]
        let receiveCount: Int = row[MessageColumn.receiveCount]
        taken.insert(seq)
        if let target = claim.deadLetter, receiveCount >= target.maxReceiveCount {
            // One UPDATE: the message is in exactly one queue before and after.
            try db.cachedStatement(sql: """
                UPDATE messages SET queue_id = ?, dead_letter_source = ?, visible_at = ? WHERE seq = ?
                """).execute(arguments: [target.queueId, target.sourceArn, claim.nowMillis, seq])
            // A FIFO queue's dead-letter queue is FIFO too: the group continues there.
            if claim.order == .fifo, let group = row[MessageColumn.groupId] as String? {
                try SQLiteMessageStore.enterGroup(db, queueId: target.queueId, group: group)
            }
            movedToDeadLetter += 1
            return
        }
        var update = RawStatement(try db.cachedStatement(sql: """
            UPDATE messages SET visible_at = ?, receive_count = receive_count + 1,
                   first_receive_at = COALESCE(first_receive_at, ?), received_at = ?
            WHERE seq = ?
            """), in: db)
        update.bind(claim.invisibleUntilMillis)
        update.bind(claim.nowMillis)
        update.bind(claim.nowMillis)
        update.bind(seq)
        try update.execute()
        claimed.append(SQLiteMessageStore.claimedMessage(row, receiveCount: receiveCount + 1, now: claim.nowMillis,
                                                         nonce: claim.nonce))
    }
}
