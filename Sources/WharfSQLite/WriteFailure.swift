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
            self = .durabilityInDoubt("SQLite error \(database.extendedResultCode.rawValue) (\(database.extendedResultCode)): "
                                      + (database.message ?? "no message"))
        default:
            return nil
        }
    }
}
