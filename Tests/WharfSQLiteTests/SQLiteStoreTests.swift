import Foundation
import GRDB
import Testing
import WharfEngine
@testable import WharfSQLite

/// What only the SQLite store has: its file, its pragmas, its schema's migrations. (What every
/// store must keep is tested through the engine, in WharfEngineTests.)
@Suite struct SQLiteStoreTests {
    static let key = QueueKey(account: "000000000000", region: "us-east-1", name: "q")

    @Test func opensADirectoryItCreates() throws {
        let directory = try TemporaryDirectory()
        let nested = directory.path + "/data/wharf"
        _ = try SQLiteMessageStore(directory: nested)
        #expect(FileManager.default.fileExists(atPath: nested + "/wharf.sqlite"))
    }

    /// Durability: a commit is on disk when it returns. GRDB's pool resets `synchronous` to
    /// NORMAL after opening (docs/stack.md#grdb-resets-synchronous); the store sets FULL again.
    @Test func commitsAreSynchronousInWALMode() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteMessageStore(directory: directory.path)
        let (synchronous, journal) = try await store.pool.write { db in
            (try Int.fetchOne(db, sql: "PRAGMA synchronous"), try String.fetchOne(db, sql: "PRAGMA journal_mode"))
        }
        #expect(synchronous == 2) // FULL
        #expect(journal?.lowercased() == "wal")
    }

    /// Migrations only append: reopening a data directory migrates nothing twice and keeps
    /// what was written.
    @Test func reopeningKeepsTheDataAndTheSchema() async throws {
        let directory = try TemporaryDirectory()
        let created = try await SQLiteMessageStore(directory: directory.path)
            .createQueue(key: Self.key, attributes: ["VisibilityTimeout": "45"], tags: ["team": "core"],
                         nowMillis: 1_700_000_000_000)
        let reopened = try SQLiteMessageStore(directory: directory.path)
        let queue = try #require(try await reopened.queue(Self.key))
        #expect(queue.id == created.id)
        #expect(queue.attributes == ["VisibilityTimeout": "45"])
        #expect(queue.tags == ["team": "core"])
        #expect(try await reopened.pool.read { db in try SQLiteSchema.migrator.hasCompletedMigrations(db) })
    }

    @Test func aQueueIsCreatedOnce() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteMessageStore(directory: directory.path)
        _ = try await store.createQueue(key: Self.key, attributes: [:], tags: [:], nowMillis: 0)
        await #expect(throws: StoreError.queueExists) {
            _ = try await store.createQueue(key: Self.key, attributes: [:], tags: [:], nowMillis: 0)
        }
    }
}
