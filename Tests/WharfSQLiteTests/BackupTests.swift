import Foundation
import GRDB
import Testing
@testable import WharfSQLite

/// `wharf backup`: a copy from one snapshot, while another connection keeps writing.
@Suite struct BackupTests {
    @Test func aCopyTakenDuringWritesHoldsEverythingCommittedBefore() async throws {
        let directory = try TemporaryDirectory()
        let pool = try DatabasePool(path: directory.path + "/wharf.sqlite")
        try await pool.write { db in
            try db.execute(sql: "CREATE TABLE rows (n INTEGER NOT NULL, pad TEXT)")
            for n in 0..<5_000 { try db.execute(sql: "INSERT INTO rows VALUES (?, ?)", arguments: [n, String(repeating: "p", count: 200)]) }
        }
        let committer = try GroupCommitter(writer: pool)
        let writing = Task {
            var n = 5_000
            while !Task.isCancelled {
                let value = n
                try await committer.write { db in try db.execute(sql: "INSERT INTO rows VALUES (?, 'w')", arguments: [value]) }
                n += 1
            }
        }
        let copy = directory.path + "/copy.sqlite"
        let report = try SQLiteBackup.copy(from: directory.path + "/wharf.sqlite", to: copy, pagesPerStep: 16)
        writing.cancel()
        _ = await writing.result
        #expect(report.steps > 1)
        let copied = try DatabaseQueue(path: copy)
        let rows = try await copied.read { db in try Int.fetchAll(db, sql: "SELECT n FROM rows ORDER BY n") }
        // Everything before the backup, and a prefix of what came after: one snapshot, no holes.
        #expect(rows.count >= 5_000)
        #expect(rows == Array(0..<rows.count))
        #expect(!FileManager.default.fileExists(atPath: copy + ".partial"))
        #expect(throws: SQLiteBackup.Failure.self) { try SQLiteBackup.copy(from: directory.path + "/wharf.sqlite", to: copy) }
    }
}
