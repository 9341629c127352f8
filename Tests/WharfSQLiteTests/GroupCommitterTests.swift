import Foundation
import GRDB
import Testing
@testable import WharfSQLite

/// Group commit: many callers' writes in shared transactions, each in a savepoint of its own.
@Suite struct GroupCommitterTests {
    struct Refused: Error, Equatable {}

    /// A pool with one table, and a committer over it.
    func committer(in directory: TemporaryDirectory) throws -> (DatabasePool, GroupCommitter) {
        let pool = try DatabasePool(path: directory.path + "/test.sqlite")
        try pool.write { db in try db.execute(sql: "CREATE TABLE rows (n INTEGER NOT NULL)") }
        return (pool, try GroupCommitter(writer: pool))
    }

    @Test func aWriteIsCommittedWhenItReturns() async throws {
        let directory = try TemporaryDirectory()
        let (pool, committer) = try committer(in: directory)
        let inserted = try await committer.write { db -> Int64 in
            try db.execute(sql: "INSERT INTO rows (n) VALUES (1)")
            return db.lastInsertedRowID
        }
        #expect(inserted == 1)
        // Another connection sees it: the shared transaction has committed.
        #expect(try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM rows") } == 1)
    }

    /// Concurrent writes all land, and a failing one rolls back only its own changes, though
    /// it may share a transaction with the others.
    @Test func aFailingWriteTakesOnlyItselfBack() async throws {
        let directory = try TemporaryDirectory()
        let (pool, committer) = try committer(in: directory)
        let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
            for n in 0..<100 {
                group.addTask {
                    do {
                        try await committer.write { db in
                            try db.execute(sql: "INSERT INTO rows (n) VALUES (?)", arguments: [n])
                            if n % 10 == 0 { throw Refused() }
                        }
                        return (n, true)
                    } catch {
                        return (n, false)
                    }
                }
            }
            var outcomes: [Int: Bool] = [:]
            for await (n, succeeded) in group { outcomes[n] = succeeded }
            return outcomes
        }
        #expect(outcomes.count == 100)
        #expect(outcomes.filter { !$0.value }.keys.sorted() == Array(stride(from: 0, to: 100, by: 10)))
        let stored = try await pool.read { db in try Int.fetchAll(db, sql: "SELECT n FROM rows ORDER BY n") }
        #expect(stored == (0..<100).filter { $0 % 10 != 0 })
    }

    @Test func aFailingWriteThrowsItsOwnError() async throws {
        let directory = try TemporaryDirectory()
        let (_, committer) = try committer(in: directory)
        await #expect(throws: Refused()) {
            try await committer.write { _ in throw Refused() }
        }
    }
}
