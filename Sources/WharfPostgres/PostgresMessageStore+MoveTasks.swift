import Foundation
import PostgresNIO
import WharfEngine

// Message move tasks: rows, so that any node can resume one; each step locks its task's row,
// so steps run one at a time wherever they run, and moves and counts in one transaction.
extension PostgresMessageStore {
    private typealias TaskRow = (String, Int64, String, String?, Int?, String, Int64, Int64, Int64, String?, Int64)
    private static let taskColumns = """
        id, source_queue_id, source_arn, destination_arn, max_per_second, status, moved, to_move, started_at,
        failure_reason, boundary_seq
        """

    public func createMoveTask(_ task: MoveTask) async throws -> MoveTask {
        try await transaction { connection in
            var task = task
            for try await (count, boundary) in try await connection.checkedQuery("""
                SELECT count(*), COALESCE(max(seq), 0) FROM messages WHERE queue_id = \(task.sourceQueueId)
                """, logger: self.logger).decode((Int64, Int64).self) {
                task.toMove = count
                task.boundarySeq = boundary
            }
            do {
                try await connection.checkedQuery("""
                    INSERT INTO move_tasks (id, source_queue_id, source_arn, destination_arn, max_per_second, status, moved,
                                            to_move, started_at, failure_reason, boundary_seq)
                    VALUES (\(task.id), \(task.sourceQueueId), \(task.sourceArn), \(task.destinationArn), \(task.maxPerSecond),
                            \(task.status.rawValue), \(task.moved), \(task.toMove), \(task.startedAtMillis),
                            \(task.failureReason), \(task.boundarySeq))
                    """, logger: self.logger)
            } catch where PostgresFailure(error).sqlState == "23505" {
                throw StoreError.moveTaskActive
            }
            return task
        }
    }

    public func moveTasks(sourceQueueId: Int64?) async throws -> [MoveTask] {
        try await run { connection in
            let filter = sourceQueueId.map { "WHERE source_queue_id = \($0)" } ?? ""
            let rows = try await connection.checkedQuery(PostgresQuery(unsafeSQL: """
                SELECT \(Self.taskColumns) FROM move_tasks \(filter) ORDER BY started_at DESC, created DESC
                """), logger: self.logger)
            var tasks: [MoveTask] = []
            for try await row in rows.decode(TaskRow.self) {
                tasks.append(MoveTask(id: row.0, sourceQueueId: row.1, sourceArn: row.2, destinationArn: row.3,
                                      maxPerSecond: row.4, status: MoveTaskStatus(rawValue: row.5) ?? .failed,
                                      moved: row.6, toMove: row.7, startedAtMillis: row.8, failureReason: row.9,
                                      boundarySeq: row.10))
            }
            return tasks
        }
    }

    public func updateMoveTask(id: String, status: MoveTaskStatus, failureReason: String?,
                               from: Set<MoveTaskStatus>) async throws -> Bool {
        try await transaction { connection in
            let rows = try await connection.checkedQuery("""
                UPDATE move_tasks SET status = \(status.rawValue), failure_reason = \(failureReason)
                WHERE id = \(id) AND status = ANY(\(from.map(\.rawValue)))
                RETURNING id
                """, logger: self.logger)
            for try await _ in rows.decode(String.self) { return true }
            return false
        }
    }

    public func moveMessages(task: MoveTask, limit: Int, destination: MoveDestination,
                             nowMillis: Int64) async throws -> MoveStep {
        try await transaction { connection in
            var status = MoveTaskStatus.failed
            for try await text in try await connection.checkedQuery(
                "SELECT status FROM move_tasks WHERE id = \(task.id) FOR UPDATE", logger: self.logger).decode(String.self) {
                status = MoveTaskStatus(rawValue: text) ?? .failed
            }
            guard status == .running else { return MoveStep(moved: 0, destinations: [], missingDestination: nil, status: status) }
            // Back-to-source moves skip messages sent to the DLQ directly: they have no source.
            let onlyDeadLettered = if case .originalSource = destination { "AND dead_letter_source IS NOT NULL" } else { "" }
            var candidates: [(seq: Int64, source: String?, group: String?)] = []
            for try await row in try await connection.checkedQuery("""
                SELECT seq, dead_letter_source, group_id FROM messages
                WHERE queue_id = \(task.sourceQueueId) AND seq <= \(task.boundarySeq) AND visible_at <= \(nowMillis)
                \(unescaped: onlyDeadLettered)
                ORDER BY seq LIMIT \(limit) FOR UPDATE SKIP LOCKED
                """, logger: self.logger).decode((Int64, String?, String?).self) {
                candidates.append(row)
            }
            var step = MoveStep(moved: 0, destinations: [], missingDestination: nil)
            var moves: (seqs: [Int64], targets: [Int64]) = ([], [])
            var groupsByTarget: [Int64: Set<String>] = [:]
            for candidate in candidates {
                let target: Int64?
                switch destination {
                case .queue(let id): target = id
                case .originalSource(let ids): target = candidate.source.flatMap { ids[$0] }
                }
                guard let target else {
                    step.missingDestination = candidate.source ?? task.destinationArn ?? ""
                    break
                }
                moves.seqs.append(candidate.seq)
                moves.targets.append(target)
                if let group = candidate.group { groupsByTarget[target, default: []].insert(group) }
                step.destinations.insert(target)
            }
            if !moves.seqs.isEmpty {
                // A moved message starts afresh in its destination: visible now, never received.
                try await connection.checkedQuery("""
                    UPDATE messages m SET queue_id = x.target, dead_letter_source = NULL, visible_at = \(nowMillis),
                           receive_count = 0, first_receive_at = NULL, received_at = NULL
                    FROM unnest(\(moves.seqs), \(moves.targets)) AS x(seq, target)
                    WHERE m.seq = x.seq
                    """, logger: self.logger)
                for (target, groups) in groupsByTarget {
                    try await connection.checkedQuery("""
                        INSERT INTO fifo_groups (queue_id, group_id, turn)
                        SELECT \(target), g, (SELECT COALESCE(MAX(turn), 0) + 1 FROM fifo_groups WHERE queue_id = \(target))
                        FROM unnest(\(groups.sorted())) AS g
                        WHERE (SELECT fifo FROM queues WHERE id = \(target))
                        ORDER BY g
                        ON CONFLICT (queue_id, group_id) DO UPDATE SET turn = fifo_groups.turn
                        """, logger: self.logger)
                }
                let sourceGroups = Set(candidates.compactMap(\.group)).sorted()
                if !sourceGroups.isEmpty {
                    try await connection.checkedQuery("""
                        DELETE FROM fifo_groups g WHERE g.queue_id = \(task.sourceQueueId) AND g.group_id = ANY(\(sourceGroups))
                          AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.queue_id = g.queue_id
                              AND m.group_id >= g.group_id AND m.group_id <= g.group_id)
                        """, logger: self.logger)
                }
            }
            step.moved = moves.seqs.count
            try await connection.checkedQuery("UPDATE move_tasks SET moved = moved + \(step.moved) WHERE id = \(task.id)", logger: self.logger)
            return step
        }
    }
}
