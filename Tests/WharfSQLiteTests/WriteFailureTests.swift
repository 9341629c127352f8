import Foundation
import GRDB
import Testing
import WharfEngine
@testable import WharfSQLite

/// A full disk is a refusal the next write may not meet; an I/O error closes the committer for
/// good (fsyncgate: after a failed fsync the page cache no longer tells what is on disk).
@Suite struct WriteFailureTests {
    func committer(in directory: TemporaryDirectory) throws -> (DatabasePool, GroupCommitter) {
        let pool = try DatabasePool(path: directory.path + "/test.sqlite")
        try pool.write { db in try db.execute(sql: "CREATE TABLE rows (n INTEGER NOT NULL)") }
        return (pool, try GroupCommitter(writer: pool))
    }

    func insert(_ n: Int, _ committer: GroupCommitter) async throws {
        try await committer.write { db in try db.execute(sql: "INSERT INTO rows (n) VALUES (?)", arguments: [n]) }
    }

    @Test func sqliteCodesMapToWhatTheyMeanForTheDisk() {
        #expect(WriteFailure(DatabaseError(resultCode: .SQLITE_FULL)) == .diskFull)
        for code in [ResultCode.SQLITE_IOERR_FSYNC, .SQLITE_IOERR_WRITE, .SQLITE_IOERR, .SQLITE_CORRUPT] {
            guard case .durabilityInDoubt? = WriteFailure(DatabaseError(resultCode: code)) else {
                Issue.record("\(code) should put durability in doubt")
                continue
            }
        }
        #expect(WriteFailure(DatabaseError(resultCode: .SQLITE_CONSTRAINT)) == nil)
        #expect(WriteFailure(CancellationError()) == nil)
    }

    @Test func aFullDiskRefusesOneWriteAndTheNextGoesThrough() async throws {
        let directory = try TemporaryDirectory()
        let (pool, committer) = try committer(in: directory)
        await #expect(throws: StoreError.diskFull) {
            try await committer.write { _ in throw DatabaseError(resultCode: .SQLITE_FULL) }
        }
        try await insert(1, committer)
        #expect(committer.closedBecause == nil)
        #expect(try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM rows") } == 1)
    }

    @Test func aFailedFsyncClosesTheCommitterUntilRestart() async throws {
        let directory = try TemporaryDirectory()
        let (pool, committer) = try committer(in: directory)
        try await insert(1, committer)
        do {
            try await committer.write { _ in throw DatabaseError(resultCode: .SQLITE_IOERR_FSYNC) }
            Issue.record("the failed fsync was acknowledged")
        } catch StoreError.failedClosed(let reason) {
            #expect(reason.contains("SQLite error 1034 (SQLITE_IOERR_FSYNC, "))
        }
        // Every later write is refused without touching the database.
        for n in 2...4 {
            await #expect(throws: StoreError.self) { try await insert(n, committer) }
        }
        #expect(committer.closedBecause != nil)
        #expect(try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM rows") } == 1)
        // A new committer (what a restart makes) takes writes again.
        let reopened = try GroupCommitter(writer: pool)
        try await insert(5, reopened)
    }

    /// The committer checkpoints itself (SQLite's automatic checkpoint is off with its WAL
    /// hook): the WAL does not grow without bound.
    @Test func theCommitterCheckpointsTheWAL() async throws {
        let directory = try TemporaryDirectory()
        let (_, committer) = try committer(in: directory)
        let payload = String(repeating: "x", count: 3_000)
        for n in 0..<3_000 {
            try await committer.write { db in
                try db.execute(sql: "INSERT INTO rows (n) VALUES (?)", arguments: [n])
                try db.execute(sql: "CREATE TABLE IF NOT EXISTS blobs (b TEXT)")
                try db.execute(sql: "INSERT INTO blobs VALUES (?)", arguments: [payload])
            }
        }
        let walBytes = (try FileManager.default.attributesOfItem(atPath: directory.path + "/test.sqlite-wal")[.size]
                        as? Int) ?? 0
        // Without checkpoints: ~3000 commits of 2+ pages each, over 24 MB of WAL.
        #expect(walBytes < 12_000_000, "WAL of \(walBytes) bytes")
    }
}
