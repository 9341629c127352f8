import PostgresNIO
import SQSModel
import Testing
import WharfEngine
@testable import WharfPostgres

/// The planner's statistics of the message table are kept up with its growth by the gauges
/// (see `PostgresMessageStore.statisticsLag`), not left to autovacuum's next round.
@Suite struct PostgresStatisticsTests {
    @Test func aTableFarLargerThanItsStatisticsIsBehind() {
        #expect(PostgresMessageStore.statisticsLag(rows: 1_001, believed: -1))
        #expect(!PostgresMessageStore.statisticsLag(rows: 1_000, believed: 0))
        #expect(PostgresMessageStore.statisticsLag(rows: 201_001, believed: 100_000))
        #expect(!PostgresMessageStore.statisticsLag(rows: 201_000, believed: 100_000))
        #expect(!PostgresMessageStore.statisticsLag(rows: 0, believed: 1_000_000), "shrinking never analyzes")
    }

    @Test(.enabled(if: !StoreUnderTest.isSQLite, "planner statistics are PostgreSQL's"))
    func theGaugesAnalyzeATableThatOutgrewItsStatistics() async throws {
        let h = try await Harness()
        let postgres = try #require(h.store as? PostgresMessageStore)
        // Autovacuum must not do it for us while the test runs.
        try await postgres.client.query("ALTER TABLE messages SET (autovacuum_enabled = false)")
        try await postgres.client.query("ANALYZE messages")
        #expect(try await believedRows(postgres) == 0)

        let url = try await h.createQueue("grown")
        for start in stride(from: 0, to: 1_500, by: 10) {
            _ = try await h.engine.sendMessageBatch(SendMessageBatchRequest(QueueUrl: url, Entries: (start..<start + 10).map {
                SendMessageBatchRequestEntry(Id: "e\($0)", MessageBody: "m\($0)")
            }), ctx)
        }
        #expect(try await believedRows(postgres) == 0, "nothing analyzed the table yet")
        await h.engine.refreshQueueStats()
        #expect(try await believedRows(postgres) == 1_500)

        let analyzed = try await analyzeCount(postgres)
        await h.engine.refreshQueueStats()
        #expect(try await analyzeCount(postgres) == analyzed, "statistics that are current are left alone")
    }

    @Test(.enabled(if: !StoreUnderTest.isSQLite, "planner statistics are PostgreSQL's"))
    func aQueueTheStatisticsDoNotKnowIsNotPlannedAsOneRow() async throws {
        let h = try await Harness()
        let postgres = try #require(h.store as? PostgresMessageStore)
        try await postgres.client.query("ALTER TABLE messages SET (autovacuum_enabled = false)")
        try await fill(h, try await h.createQueue("known"), 1_000)
        // The statistics now know one queue, holding every row.
        try await postgres.client.query("ANALYZE messages")
        try await fill(h, try await h.createQueue("unknown"), 1_000)
        var queueId: Int64 = -1
        for try await id in try await postgres.client.query("SELECT id FROM queues WHERE name = 'unknown'").decode(Int64.self) {
            queueId = id
        }
        let now = h.clock.nowMillis()
        var binds = PostgresBindings()
        for value in [queueId, now, now - 345_600_000, 10, queueId] { binds.append(value) }
        binds.append("")
        for value in [Int64(Int32.max), now + 30_000] { binds.append(value) }
        var plan: [String] = []
        for try await line in try await postgres.client.query(
            PostgresQuery(unsafeSQL: "EXPLAIN " + PostgresMessageStore.claimSQL(limited: false), binds: binds)).decode(String.self) {
            plan.append(line)
        }
        // The fresh lane is read through its index, and estimated as an average queue's share
        // of the table, not as the one row a most-common-values lookup would give.
        let lane = try #require(plan.first { $0.contains("Index Scan using messages_fresh") }, "\(plan.joined(separator: "\n"))")
        let rows = try #require(lane.split(separator: "rows=").last.flatMap { Int($0.prefix { $0.isNumber }) })
        #expect(rows >= 100, "\(lane)")
        #expect(!plan.contains { $0.contains("messages_by_age") }, "\(plan.joined(separator: "\n"))")
    }

    private func fill(_ h: Harness, _ url: String, _ count: Int) async throws {
        for start in stride(from: 0, to: count, by: 10) {
            _ = try await h.engine.sendMessageBatch(SendMessageBatchRequest(QueueUrl: url, Entries: (start..<start + 10).map {
                SendMessageBatchRequestEntry(Id: "e\($0)", MessageBody: "m\($0)")
            }), ctx)
        }
    }

    private func believedRows(_ store: PostgresMessageStore) async throws -> Double {
        for try await value in try await store.client.query(
            "SELECT reltuples::float8 FROM pg_class WHERE oid = 'messages'::regclass").decode(Double.self) {
            return value
        }
        return -2
    }

    private func analyzeCount(_ store: PostgresMessageStore) async throws -> Int64 {
        // The cumulative statistics are read as of the start of a transaction: none here.
        for try await value in try await store.client.query("""
            SELECT analyze_count FROM pg_stat_user_tables WHERE relid = 'messages'::regclass
            """).decode(Int64.self) {
            return value
        }
        return -1
    }
}
