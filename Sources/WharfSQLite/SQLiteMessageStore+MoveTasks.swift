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
            try db.execute(sql: """
                INSERT INTO move_tasks (id, source_queue_id, source_arn, destination_arn, max_per_second, status, moved,
                                        to_move, started_at, failure_reason, boundary_seq)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [task.id, task.sourceQueueId, task.sourceArn, task.destinationArn, task.maxPerSecond,
                                 task.status.rawValue, task.moved, task.toMove, task.startedAtMillis,
                                 task.failureReason, task.boundarySeq])
            return task
        }
    }

    public func moveTasks() async throws -> [MoveTask] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM move_tasks ORDER BY started_at DESC, rowid DESC").map { row in
                MoveTask(id: row["id"], sourceQueueId: row["source_queue_id"], sourceArn: row["source_arn"],
                         destinationArn: row["destination_arn"], maxPerSecond: row["max_per_second"],
                         status: MoveTaskStatus(rawValue: row["status"]) ?? .failed, moved: row["moved"],
                         toMove: row["to_move"], startedAtMillis: row["started_at"],
                         failureReason: row["failure_reason"], boundarySeq: row["boundary_seq"])
            }
        }
    }

    public func updateMoveTask(id: String, status: MoveTaskStatus, failureReason: String?) async throws {
        try await committer.write { db in
            try db.execute(sql: "UPDATE move_tasks SET status = ?, failure_reason = ? WHERE id = ?",
                           arguments: [status.rawValue, failureReason, id])
        }
    }

    public func moveMessages(task: MoveTask, limit: Int, destination: MoveDestination,
                             nowMillis: Int64) async throws -> MoveStep {
        try await committer.write { db in
            // Back-to-source moves skip messages that were sent to the DLQ directly: they have
            // no source to go back to.
            let onlyDeadLettered = if case .originalSource = destination { "AND dead_letter_source IS NOT NULL" } else { "" }
            let rows = try Row.fetchAll(db, sql: """
                SELECT seq, dead_letter_source FROM messages
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
                step.moved += 1
                step.destinations.insert(target)
            }
            try db.execute(sql: "UPDATE move_tasks SET moved = moved + ? WHERE id = ?", arguments: [step.moved, task.id])
            return step
        }
    }
}
