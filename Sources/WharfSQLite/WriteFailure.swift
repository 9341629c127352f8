import GRDB

/// The SQLite failures of a write that are about the disk rather than the write.
enum WriteFailure: Equatable {
    /// SQLITE_FULL: a write found no space (ENOSPC). SQLite rolled the transaction back; the
    /// pages it wrote past the WAL's last commit are never read, so the same write may succeed
    /// once space is freed.
    case diskFull
    /// SQLITE_IOERR (a failed fsync, write or read), SQLITE_CORRUPT, SQLITE_NOTADB: what is on
    /// the disk is no longer known.
    case durabilityInDoubt(String)

    init?(_ error: any Error) {
        guard let database = error as? DatabaseError else { return nil }
        switch database.resultCode {
        case .SQLITE_FULL:
            self = .diskFull
        case .SQLITE_IOERR, .SQLITE_CORRUPT, .SQLITE_NOTADB:
            let code = database.extendedResultCode.rawValue
            let name = Self.names[code].map { "SQLITE_\($0), " } ?? ""
            self = .durabilityInDoubt("SQLite error \(code) (\(name)\(database.message ?? "no message"))")
        default:
            return nil
        }
    }

    /// The extended codes an operator meets here, by name (GRDB prints only the number).
    private static let names: [Int32: String] = [
        10: "IOERR", 266: "IOERR_READ", 522: "IOERR_SHORT_READ", 778: "IOERR_WRITE", 1034: "IOERR_FSYNC",
        1290: "IOERR_DIR_FSYNC", 1546: "IOERR_TRUNCATE", 3338: "IOERR_MMAP", 11: "CORRUPT", 26: "NOTADB",
    ]
}
