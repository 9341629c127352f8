import Foundation
import GRDB
import WharfEngine

// Message move tasks: persisted so that a restart finds them, and each step moves messages
// and counts them in one transaction.
extension SQLiteMessageStore {
    public func createMoveTask(_ task: MoveTask) async throws -> MoveTask {
        try await committer.write { db in
            var task = task
            let row = try Row.fetchOne(db, sql: "SELECT COUNT(*), COALESCE(MAX(seq), 0) FROM messages WHERE queue_id = ?",
                                       arguments: [task.sourceQueueId])
            task.toMove = row?[0] ?? 0
            task.boundarySeq = row?[1] ?? 0
            do {
                try db.execute(sql: """
                    INSERT INTO move_tasks (id, source_queue_id, source_arn, destination_arn, max_per_second, status, moved,
                                            to_move, started_at, failure_reason, boundary_seq)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [task.id, task.sourceQueueId, task.sourceArn, task.destinationArn, task.maxPerSecond,
                                     task.status.rawValue, task.moved, task.toMove, task.startedAtMillis,
                                     task.failureReason, task.boundarySeq])
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
                throw StoreError.moveTaskActive
            }
            return task
        }
    }

    public func moveTasks(sourceQueueId: Int64?) async throws -> [MoveTask] {
        try await pool.read { db in
            let filter = sourceQueueId == nil ? "" : "WHERE source_queue_id = ?"
            return try Row.fetchAll(db, sql: "SELECT * FROM move_tasks \(filter) ORDER BY started_at DESC, rowid DESC",
                                    arguments: StatementArguments(sourceQueueId.map { [$0] } ?? [])).map { row in
                MoveTask(id: row["id"], sourceQueueId: row["source_queue_id"], sourceArn: row["source_arn"],
                         destinationArn: row["destination_arn"], maxPerSecond: row["max_per_second"],
                         status: MoveTaskStatus(rawValue: row["status"]) ?? .failed, moved: row["moved"],
                         toMove: row["to_move"], startedAtMillis: row["started_at"],
                         failureReason: row["failure_reason"], boundarySeq: row["boundary_seq"])
            }
        }
    }

    public func updateMoveTask(id: String, status: MoveTaskStatus, failureReason: String?,
                               from: Set<MoveTaskStatus>) async throws -> Bool {
        let allowed = from.map(\.rawValue)
        return try await committer.write { db in
            try db.execute(sql: """
                UPDATE move_tasks SET status = ?, failure_reason = ?
                WHERE id = ? AND status IN (\(allowed.map { _ in "?" }.joined(separator: ",")))
                """, arguments: StatementArguments([status.rawValue, failureReason, id]) + StatementArguments(allowed))
            return db.changesCount > 0
        }
    }

    public func moveMessages(task: MoveTask, limit: Int, destination: MoveDestination,
                             nowMillis: Int64) async throws -> MoveStep {
        try await committer.write { db in
            let status = try String.fetchOne(db, sql: "SELECT status FROM move_tasks WHERE id = ?", arguments: [task.id])
                .flatMap(MoveTaskStatus.init(rawValue:)) ?? .failed
            guard status == .running else {
                return MoveStep(moved: 0, destinations: [], missingDestination: nil, status: status)
            }
            // Back-to-source moves skip messages that were sent to the DLQ directly: they have
            // no source to go back to.
            let onlyDeadLettered = if case .originalSource = destination { "AND dead_letter_source IS NOT NULL" } else { "" }
            let rows = try Row.fetchAll(db, sql: """
                SELECT seq, dead_letter_source, group_id FROM messages
                WHERE queue_id = ? AND seq <= ? AND visible_at <= ? \(onlyDeadLettered)
                ORDER BY seq LIMIT ?
                """, arguments: [task.sourceQueueId, task.boundarySeq, nowMillis, limit])
            // A moved message starts afresh in its destination: visible now, never received.
            let move = try db.cachedStatement(sql: """
                UPDATE messages SET queue_id = ?, dead_letter_source = NULL, visible_at = ?, receive_count = 0,
                       first_receive_at = NULL, received_at = NULL
                WHERE seq = ?
                """)
            var step = MoveStep(moved: 0, destinations: [], missingDestination: nil)
            var fifo: [Int64: Bool] = [:]
            var groups: [String] = []
            for row in rows {
                let target: Int64?
                switch destination {
                case .queue(let id): target = id
                case .originalSource(let ids): target = (row[1] as String?).flatMap { ids[$0] }
                }
                guard let target else {
                    step.missingDestination = row[1] as String? ?? task.destinationArn ?? ""
                    break
                }
                try move.execute(arguments: [target, nowMillis, row[0] as Int64])
                if let group = row[2] as String? {
                    groups.append(group)
                    if fifo[target] == nil { fifo[target] = try Self.isFifo(db, queueId: target) ?? false }
                    if fifo[target] == true { try Self.enterGroup(db, queueId: target, group: group) }
                }
                step.moved += 1
                step.destinations.insert(target)
            }
            try Self.leaveGroupsIfEmpty(db, queueId: task.sourceQueueId, groups: groups)
            try db.execute(sql: "UPDATE move_tasks SET moved = moved + ? WHERE id = ?", arguments: [step.moved, task.id])
            return step
        }
    }
}
