import GRDB
import GRDBSQLite

/// How many frames the WAL held after the last commit, as SQLite's WAL hook reports them.
/// Installing the hook also turns SQLite's automatic checkpoints off (they are a WAL hook
/// too): the group committer checkpoints itself, where it sees errors. Read and written only
/// on the commit thread (the hook runs inside the committer's commits).
final class WALFrameCounter: @unchecked Sendable {
    private let frames = UnsafeMutablePointer<Int32>.allocate(capacity: 1)

    init() { frames.initialize(to: 0) }

    deinit { frames.deallocate() }

    var value: Int32 { frames.pointee }

    func reset() { frames.pointee = 0 }

    func install(on db: Database) {
        sqlite3_wal_hook(db.sqliteConnection, { context, _, _, frameCount in
            context?.assumingMemoryBound(to: Int32.self).pointee = frameCount
            return SQLITE_OK
        }, UnsafeMutableRawPointer(frames))
    }
}
