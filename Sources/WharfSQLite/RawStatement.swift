import Foundation
import GRDB
import GRDBSQLite

/// Binds and runs a cached GRDB statement through the SQLite C API. GRDB's
/// `StatementArguments` boxes every value in an existential and converts it to a
/// `DatabaseValue` before binding (~5 % of server CPU on batch sends, where the insert binds
/// eleven values per message). Use it only for statements that no other code runs through
/// GRDB, since it leaves the statement's bindings as GRDB did not set them.
struct RawStatement {
    private let handle: OpaquePointer
    private let db: Database
    private var position: Int32 = 0

    init(_ statement: Statement, in db: Database) {
        handle = statement.sqliteStatement
        self.db = db
        sqlite3_reset(handle)
    }

    mutating func bind(_ value: Int64) {
        position += 1
        sqlite3_bind_int64(handle, position, value)
    }

    mutating func bind(_ value: String?) {
        position += 1
        guard var value else { sqlite3_bind_null(handle, position); return }
        value.withUTF8 { bytes in
            // An empty buffer may have no address, and a nil pointer would bind NULL.
            let pointer = bytes.baseAddress.map { UnsafeRawPointer($0) } ?? Self.empty
            sqlite3_bind_text(handle, position, pointer, Int32(bytes.count), Self.transient)
        }
    }

    mutating func bind(_ value: Data?) {
        position += 1
        guard let value else { sqlite3_bind_null(handle, position); return }
        value.withUnsafeBytes { bytes in
            let pointer = bytes.baseAddress ?? Self.empty
            sqlite3_bind_blob(handle, position, pointer, Int32(bytes.count), Self.transient)
        }
    }

    /// Runs a statement that returns no rows.
    func execute() throws {
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code),
                                message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
    }

    /// SQLITE_TRANSIENT: SQLite copies the bytes before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    private static var empty: UnsafeRawPointer { UnsafeRawPointer(StaticString("").utf8Start) }
}
