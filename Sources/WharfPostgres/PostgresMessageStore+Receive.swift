import Foundation
import PostgresNIO
import WharfEngine

// ReceiveMessage on standard queues: claims with FOR UPDATE SKIP LOCKED, so that receives on
// several nodes never wait for each other and never take the same message.
extension PostgresMessageStore {
    public func receive(queueId: Int64, _ claim: ReceiveClaim) async throws -> ReceiveOutcome {
        switch claim.order {
        case .oldestFirst:
            return try await receiveOldestFirst(queueId: queueId, claim)
        case .fairByGroup(let startAfter):
            return try await receiveFairly(queueId: queueId, claim, startAfter: startAfter)
        case .fifo:
            let room = try await inFlightRoom(queueId: queueId, claim: claim)
            if room == 0 { return ReceiveOutcome(claimed: [], atInFlightLimit: true) }
            let outcome = try await receiveFifo(queueId: queueId, Self.claim(claim, within: room))
            // Nothing to hand out: say so if the queue itself is gone (deleted by another node
            // after this one resolved it), as a receive on a missing queue must fail. (The
            // standard queues' claim statement checks that itself.)
            if outcome.claimed.isEmpty && outcome.movedToDeadLetter == 0 {
                guard try await queueExists(queueId) else { throw StoreError.queueMissing }
            }
            return outcome
        }
    }

    func queueExists(_ queueId: Int64) async throws -> Bool {
        try await run { connection in
            for try await _ in try await connection.checkedQuery("SELECT 1 FROM queues WHERE id = \(queueId)",
                                                          logger: self.logger).decode(Int.self) { return true }
            return false
        }
    }

    /// How many more messages may go in flight under the claim's limit (nil: no limit), counted
    /// up to the limit from the in-flight lane (see `inFlightSQL`). Not in the claim's
    /// transaction: with several nodes the limit is approximate, as it is on AWS.
    private func inFlightRoom(queueId: Int64, claim: ReceiveClaim) async throws -> Int? {
        guard claim.maxInFlight != .max else { return nil }
        let inFlight = try await run { connection in
            // Integers only: written into the text, nothing to escape.
            let count = Self.inFlightSQL(queue: String(queueId), now: String(claim.nowMillis),
                                         limit: String(claim.maxInFlight))
            let rows = try await connection.checkedQuery("SELECT \(unescaped: count)", logger: self.logger)
            for try await count in rows.decode(Int64.self) { return Int(count) }
            return 0
        }
        return max(0, claim.maxInFlight - inFlight)
    }

    /// The claim cut down to the room left under the in-flight limit (nil: no limit).
    private static func claim(_ claim: ReceiveClaim, within room: Int?) -> ReceiveClaim {
        var limited = claim
        if let room { limited.limit = min(claim.limit, room) }
        return limited
    }

    /// Visible messages in send order (two lanes merged by seq, see the schema), claimed or
    /// dead-lettered in one statement. Dead-lettered ones leave room: claim again for it.
    private func receiveOldestFirst(queueId: Int64, _ claim: ReceiveClaim) async throws -> ReceiveOutcome {
        // Without `unlessGrouped` the claim always answers.
        try await claimOldestFirst(queueId: queueId, claim, unlessGrouped: false)!
    }

    /// `receiveOldestFirst`, or with `unlessGrouped` nil, having taken nothing, when the queue
    /// holds message groups (for the fair receive to serve).
    private func claimOldestFirst(queueId: Int64, _ claim: ReceiveClaim, unlessGrouped: Bool) async throws -> ReceiveOutcome? {
        var outcome = ReceiveOutcome(claimed: [])
        var first = true
        while outcome.claimed.count < claim.limit {
            let (step, grouped) = try await claimInSendOrder(queueId: queueId, claim, limit: claim.limit - outcome.claimed.count,
                                                             unlessGrouped: unlessGrouped && first)
            if grouped { return nil }
            first = false
            outcome.claimed += step.claimed
            outcome.movedToDeadLetter += step.movedToDeadLetter
            if step.atInFlightLimit && outcome.claimed.isEmpty { outcome.atInFlightLimit = true }
            outcome.nextVisible = step.nextVisible
            if step.movedToDeadLetter == 0 { break }
        }
        return outcome
    }

    /// One claim statement; `grouped` when `unlessGrouped` and the queue holds groups.
    private func claimInSendOrder(queueId: Int64, _ claim: ReceiveClaim, limit: Int,
                                  unlessGrouped: Bool) async throws -> (outcome: ReceiveOutcome, grouped: Bool) {
        let target = claim.deadLetter
        // Without a dead-letter queue nothing qualifies for the move.
        let maxReceives = target?.maxReceiveCount ?? Int(Int32.max)
        let limited = claim.maxInFlight != .max
        var bindings = Self.claimBinds(queueId, claim, limit: limit, target: target, maxReceives: maxReceives)
        if limited { bindings.append(Int64(claim.maxInFlight)) }
        let binds = bindings
        return try await run { connection in
            let rows = switch (limited, unlessGrouped) {
            case (true, false): try await connection.checkedExecute(ClaimLimited(bindings: binds), logger: self.logger)
            case (false, false): try await connection.checkedExecute(ClaimUnlimited(bindings: binds), logger: self.logger)
            case (true, true): try await connection.checkedExecute(ClaimLimitedUngrouped(bindings: binds), logger: self.logger)
            case (false, true): try await connection.checkedExecute(ClaimUnlimitedUngrouped(bindings: binds), logger: self.logger)
            }
            var outcome = ReceiveOutcome(claimed: [])
            var queueMissing = false
            var nextVisible: Int64?
            for row in rows {
                switch row.0 {
                case 1: outcome.movedToDeadLetter = Int(row.1)
                case 2: outcome.atInFlightLimit = true
                case 3: queueMissing = true
                case 4: nextVisible = row.1
                case 5: return (outcome, true)
                default:
                    outcome.claimed.append(Self.claimed((row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9,
                                                         row.10, row.11, row.12, row.13, row.14, row.15),
                                                        nowMillis: claim.nowMillis, nonce: claim.nonce))
                }
            }
            outcome.claimed.sort { $0.seq < $1.seq }
            if outcome.claimed.isEmpty && outcome.movedToDeadLetter == 0 {
                // A queue deleted (through another node) after this one resolved it: a receive
                // on a missing queue fails.
                if queueMissing { throw StoreError.queueMissing }
                outcome.nextVisible = nextVisible.map { .at(millis: $0) } ?? .never
            }
            return (outcome, false)
        }
    }

    /// The claim statement: visible messages in send order (two lanes merged by seq), claimed,
    /// or dead-lettered past the receive limit, in one statement. With an in-flight limit ($9)
    /// it also counts the in-flight lane (up to the limit) and claims only the room left.
    /// When it finds nothing to take it also says whether the queue still exists and when its
    /// next hidden message becomes visible: an idle long poll's look at its queue is then one
    /// round trip, not three (10,000 of them re-issued every 20 s stalled a node). With
    /// `unlessGrouped` it takes nothing from a queue that holds message groups and says so
    /// (kind 5): the fair receive's first look, one round trip for a queue without groups.
    static func claimSQL(limited: Bool, unlessGrouped: Bool = false) -> String {
        // An init plan: evaluated once, and when it finds groups the lanes are not scanned.
        let ungrouped = unlessGrouped
            ? "AND NOT EXISTS (SELECT 1 FROM messages WHERE queue_id = $1 AND group_id IS NOT NULL)" : ""
        let grouped = unlessGrouped ? """
            UNION ALL
            SELECT 5, 0, '', '', '', NULL, NULL, NULL, '', NULL, NULL, NULL, 0, 0, 0, NULL
            WHERE EXISTS (SELECT 1 FROM messages WHERE queue_id = $1 AND group_id IS NOT NULL)
            """ : ""
        let inflight = limited ? "inflight AS (SELECT \(inFlightSQL(queue: "$1", now: "$2", limit: "$9")) AS n)," : ""
        let room = limited ? "LEAST($4, GREATEST(0, $9 - (SELECT n FROM inflight)))" : "$4"
        let atLimit = limited ? """
            UNION ALL
            SELECT 2, n, '', '', '', NULL, NULL, NULL, '', NULL, NULL, NULL, 0, 0, 0, NULL FROM inflight WHERE n >= $9
            """ : ""
        return """
            WITH \(inflight)
            fresh AS (
                SELECT seq FROM messages WHERE \(sameQueue("$1")) AND receive_count = 0 AND visible_at <= $2
                  AND sent_at > $3 \(ungrouped) ORDER BY visible_at, seq LIMIT $4 FOR UPDATE SKIP LOCKED),
            redelivered AS (
                SELECT seq FROM messages WHERE \(sameQueue("$1")) AND receive_count > 0 AND visible_at <= $2
                  AND sent_at > $3 \(ungrouped) ORDER BY visible_at, seq LIMIT $4 FOR UPDATE SKIP LOCKED),
            candidates AS (
                SELECT seq FROM (SELECT seq FROM fresh UNION ALL SELECT seq FROM redelivered) AS lanes
                ORDER BY seq LIMIT \(room)),
            moved AS (
                UPDATE messages m SET queue_id = $5, dead_letter_source = $6, visible_at = $2
                FROM candidates c WHERE m.seq = c.seq AND m.receive_count >= $7
                RETURNING m.seq),
            claimed AS (
                UPDATE messages m SET visible_at = $8, receive_count = m.receive_count + 1,
                       first_receive_at = COALESCE(m.first_receive_at, $2), received_at = $2
                FROM candidates c WHERE m.seq = c.seq AND m.receive_count < $7
                RETURNING \(qualifiedColumns("m")))
            -- Kind 0: a claimed message; 1: how many were dead-lettered; 2: the limit is reached;
            -- 3: the queue is gone; 4: when the next hidden message becomes visible (if nothing
            -- was a candidate: a one-time filter, so the lookups are not made otherwise);
            -- 5: the queue holds groups (only asked by the fair receive's first look).
            SELECT 0, * FROM claimed
            UNION ALL
            SELECT 1, count(*), '', '', '', NULL, NULL, NULL, '', NULL, NULL, NULL, 0, 0, 0, NULL FROM moved HAVING count(*) > 0
            \(atLimit)
            UNION ALL
            SELECT 3, 0, '', '', '', NULL, NULL, NULL, '', NULL, NULL, NULL, 0, 0, 0, NULL
            WHERE NOT EXISTS (SELECT 1 FROM queues WHERE id = $1)
            UNION ALL
            SELECT 4, next, '', '', '', NULL, NULL, NULL, '', NULL, NULL, NULL, 0, 0, 0, NULL
            FROM (SELECT \(nextVisibleSQL(queue: "$1", after: "$2")) AS next
                  WHERE NOT EXISTS (SELECT 1 FROM candidates)) AS n
            WHERE next IS NOT NULL
            \(grouped)
            """
    }

    /// Limits up to this are always counted exactly.
    static let exactInFlightLimit = 10_000

    /// The in-flight count the limit is checked against, as an SQL expression. Counting means
    /// walking the in-flight lane's index, and in PostgreSQL that lane also holds every message
    /// deleted within its visibility timeout until vacuum removes it (a receive + delete cycle
    /// at 5,000 msgs/s leaves 150,000 such entries with a 30 s timeout): counted on every
    /// receive, that made receive cost grow with throughput (a 200,000-message cycle fell to
    /// 685 msgs/s). So a large limit is counted only when the queue gauges (recomputed every
    /// `--gauge-interval`) saw half of it in flight: below that it is not near (a queue the
    /// gauges have not seen yet counts as empty). Small limits are always counted exactly.
    static func inFlightSQL(queue: String, now: String, limit: String) -> String {
        """
        CASE WHEN \(limit) > \(exactInFlightLimit)
                  AND coalesce((SELECT in_flight FROM queue_stats WHERE queue_id = \(queue)), 0) < \(limit) / 2 THEN 0
             ELSE (SELECT count(*) FROM (SELECT 1 FROM messages WHERE \(sameQueue(queue)) AND receive_count > 0
                                         AND visible_at > \(now) LIMIT \(limit)) AS f) END
        """
    }

    /// `queue_id = <the queue>` for the receive path's lookups, with the queue written as a
    /// subquery so that the planner counts on an average queue's share of the table
    /// (1 / n_distinct) rather than on the most-common-values list of the last ANALYZE. A queue
    /// that list does not know (new since, or refilled after the table was emptied) is otherwise
    /// planned as holding one row, which makes walking `messages_by_age` and sorting the
    /// queue's whole backlog look as cheap as the lane's index with its LIMIT; with an average
    /// share the LIMIT decides for the lane (docs/postgres.md#statistics-that-keep-up-with-the-table).
    static func sameQueue(_ queue: String) -> String {
        "queue_id = (SELECT \(queue)::int8)"
    }

    static func qualifiedColumns(_ alias: String) -> String {
        messageColumns.split(separator: ",").map { "\(alias).\($0.trimmingCharacters(in: .whitespacesAndNewlines))" }
            .joined(separator: ", ")
    }

    private static func claimBinds(_ queueId: Int64, _ claim: ReceiveClaim, limit: Int, target: DeadLetterTarget?,
                                   maxReceives: Int) -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(queueId)
        binds.append(claim.nowMillis)
        binds.append(claim.expiredBeforeMillis)
        binds.append(Int64(limit))
        binds.append(target?.queueId ?? queueId)
        binds.append(target?.sourceArn ?? "")
        binds.append(Int64(maxReceives))
        binds.append(claim.invisibleUntilMillis)
        return binds
    }

    /// Standard queue with message groups: one message from each of up to 32 groups in turn
    /// (name order from after the group served last), plus the messages without a group.
    private func receiveFairly(queueId: Int64, _ claim: ReceiveClaim, startAfter: String?) async throws -> ReceiveOutcome {
        // Most queues hold no groups: for them the send-order claim (which counts the in-flight
        // limit itself) is the whole receive, one round trip.
        if let outcome = try await claimOldestFirst(queueId: queueId, claim, unlessGrouped: true) { return outcome }
        // The groups are only where to look: the lanes below lock what they take.
        let groups = try await run { connection in
            try await Self.groupsInTurn(connection, queueId: queueId, startAfter: startAfter, logger: self.logger)
        }
        if groups.isEmpty { return try await receiveOldestFirst(queueId: queueId, claim) }
        let room = try await inFlightRoom(queueId: queueId, claim: claim)
        if room == 0 { return ReceiveOutcome(claimed: [], atInFlightLimit: true) }
        let claim = Self.claim(claim, within: room)
        let outcome = try await transaction { connection -> ReceiveOutcome? in
            var lanes: [[MessageRow]] = Array(repeating: [], count: groups.count + 1)
            let laneRows = try await connection.checkedQuery("""
                SELECT g.ord, x.* FROM unnest(\(groups)) WITH ORDINALITY AS g(id, ord),
                LATERAL (SELECT \(unescaped: Self.messageColumns) FROM messages
                         WHERE queue_id = \(queueId) AND group_id >= g.id AND group_id <= g.id  -- docs/postgres.md#group-lookups
                           AND visible_at <= \(claim.nowMillis)
                           AND sent_at > \(claim.expiredBeforeMillis)
                         ORDER BY group_id, seq LIMIT \(claim.limit) FOR UPDATE SKIP LOCKED) AS x
                ORDER BY g.ord, x.seq
                """, logger: self.logger)
            for try await row in laneRows.decode((Int64, Int64, String, String, String, Data?, String?, String?, String,
                                                  String?, String?, String?, Int64, Int64, Int, Int64?).self) {
                lanes[Int(row.0) - 1].append((row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9, row.10,
                                              row.11, row.12, row.13, row.14, row.15))
            }
            // Messages without a group form one more lane.
            let ungrouped = try await connection.checkedQuery("""
                SELECT \(unescaped: Self.messageColumns) FROM messages
                WHERE queue_id = \(queueId) AND group_id IS NULL AND visible_at <= \(claim.nowMillis)
                  AND sent_at > \(claim.expiredBeforeMillis)
                ORDER BY visible_at, seq LIMIT \(claim.limit) FOR UPDATE SKIP LOCKED
                """, logger: self.logger)
            for try await row in ungrouped.decode(MessageRow.self) { lanes[groups.count].append(row) }
            var picked: [MessageRow] = []
            var round = 0
            while picked.count < claim.limit {
                var any = false
                for lane in lanes where round < lane.count && picked.count < claim.limit {
                    any = true
                    picked.append(lane[round])
                }
                if !any { break }
                round += 1
            }
            if picked.isEmpty { return nil }
            var outcome = try await Self.take(picked, connection, queueId: queueId, claim, logger: self.logger)
            outcome.lastGroup = picked.last(where: { $0.8 != nil })?.8
            return outcome
        }
        // No groups, or nothing visible in this receive's share of them: any visible message.
        if let outcome, !outcome.claimed.isEmpty || outcome.movedToDeadLetter > 0 { return outcome }
        return try await receiveOldestFirst(queueId: queueId, claim)
    }

    /// Up to 32 distinct groups after `startAfter`, wrapping around, by a skip scan of the
    /// group index (one probe per group, however many messages each holds).
    private static func groupsInTurn(_ connection: PostgresConnection, queueId: Int64, startAfter: String?,
                                     logger: Logger) async throws -> [String] {
        func scan(after: String, upTo: String?, limit: Int) async throws -> [String] {
            var groups: [String] = []
            let rows = try await connection.checkedQuery("""
                WITH RECURSIVE g(id) AS (
                    (SELECT group_id FROM messages WHERE queue_id = \(queueId) AND group_id > \(after)
                     ORDER BY group_id LIMIT 1)
                    UNION ALL
                    SELECT (SELECT m.group_id FROM messages m WHERE m.queue_id = \(queueId) AND m.group_id > g.id
                            ORDER BY m.group_id LIMIT 1)
                    FROM g WHERE g.id IS NOT NULL)
                SELECT id FROM g WHERE id IS NOT NULL LIMIT \(limit)
                """, logger: logger)
            for try await group in rows.decode(String.self) {
                if let upTo, group > upTo { break }
                groups.append(group)
            }
            return groups
        }
        let limit = 32
        var groups = try await scan(after: startAfter ?? "", upTo: nil, limit: limit)
        if let startAfter, groups.count < limit {
            groups += try await scan(after: "", upTo: startAfter, limit: limit - groups.count)
        }
        return groups
    }

    /// Claims the picked (locked) rows, or moves to the dead-letter queue those received too
    /// often, in the caller's transaction. Returns what was claimed, in the picked order.
    static func take(_ picked: [MessageRow], _ connection: PostgresConnection, queueId: Int64, _ claim: ReceiveClaim,
                     fifo: Bool = false, logger: Logger) async throws -> ReceiveOutcome {
        let target = claim.deadLetter
        let toMove = target.map { target in picked.filter { $0.13 >= target.maxReceiveCount } } ?? []
        let toClaim = picked.filter { row in target.map { row.13 < $0.maxReceiveCount } ?? true }
        var outcome = ReceiveOutcome(claimed: [], movedToDeadLetter: toMove.count)
        if let target, !toMove.isEmpty {
            try await connection.checkedQuery("""
                UPDATE messages SET queue_id = \(target.queueId), dead_letter_source = \(target.sourceArn),
                       visible_at = \(claim.nowMillis)
                WHERE seq = ANY(\(toMove.map(\.0)))
                """, logger: logger)
            // A FIFO queue's dead-letter queue is FIFO too: the groups continue there.
            let groups = Set(toMove.compactMap(\.8)).sorted()
            if fifo && !groups.isEmpty {
                try await connection.checkedQuery("""
                    INSERT INTO fifo_groups (queue_id, group_id, turn)
                    SELECT \(target.queueId), g,
                           (SELECT COALESCE(MAX(turn), 0) + 1 FROM fifo_groups WHERE queue_id = \(target.queueId))
                    FROM unnest(\(groups)) AS g ORDER BY g
                    ON CONFLICT (queue_id, group_id) DO UPDATE SET turn = fifo_groups.turn
                    """, logger: logger)
            }
        }
        if !toClaim.isEmpty {
            let rows = try await connection.checkedQuery("""
                UPDATE messages m SET visible_at = \(claim.invisibleUntilMillis), receive_count = m.receive_count + 1,
                       first_receive_at = COALESCE(m.first_receive_at, \(claim.nowMillis)), received_at = \(claim.nowMillis)
                WHERE m.seq = ANY(\(toClaim.map(\.0)))
                RETURNING \(unescaped: qualifiedColumns("m"))
                """, logger: logger)
            var bySeq: [Int64: ClaimedMessage] = [:]
            for try await row in rows.decode(MessageRow.self) {
                bySeq[row.0] = claimed(row, nowMillis: claim.nowMillis, nonce: claim.nonce)
            }
            outcome.claimed = toClaim.compactMap { bySeq[$0.0] }
        }
        return outcome
    }
}
