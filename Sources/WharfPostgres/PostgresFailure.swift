import NIOCore
import PostgresNIO
import _ConnectionPoolModule

/// What went wrong talking to PostgreSQL, in the terms the store acts on: a failure that
/// passes (the server restarts, the network drops, no connection can be had) becomes SQS's
/// retryable 503; a deadlock between two receives is retried; anything else is a bug or a
/// broken database and becomes a 500. The summary names no query values.
struct PostgresFailure: Error, CustomStringConvertible {
    let underlying: any Error
    /// The SQLSTATE of a server error.
    let sqlState: String?
    let summary: String

    init(_ error: any Error) {
        var error = error
        if let transaction = error as? PostgresTransactionError {
            error = transaction.closureError ?? transaction.beginError ?? transaction.commitError ?? error
        }
        underlying = error
        if let psql = error as? PSQLError {
            sqlState = psql.serverInfo?[.sqlState]
            if let message = psql.serverInfo?[.message] {
                summary = "\(message) (SQLSTATE \(sqlState ?? "?"))"
            } else {
                summary = "\(psql.code)"
            }
        } else if let pool = error as? ConnectionPoolError {
            sqlState = nil
            summary = "connection pool: \(pool)"
        } else {
            sqlState = nil
            summary = String(describing: error)
        }
    }

    var description: String { summary }

    /// The database is away or overloaded for now; the request may be retried later.
    var isTransient: Bool {
        if let state = sqlState {
            // 08: connection exceptions; 53: insufficient resources (too many connections, disk
            // full); 57P01-57P03: the server is shutting down, crashed or is starting; 55P03: a
            // lock timeout; 25006: a read-only transaction (a standby after a failover).
            return state.hasPrefix("08") || state.hasPrefix("53") || state.hasPrefix("57P")
                || state == "55P03" || state == "25006" || state == "57014"
        }
        if underlying is ConnectionPoolError { return true }
        if let psql = underlying as? PSQLError {
            switch psql.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown,
                 .poolClosed, .queryCancelled, .messageDecodingFailure, .unexpectedBackendMessage:
                return true
            default:
                return false
            }
        }
        // NIO's errors (connection refused or reset, a lease that timed out) before PostgreSQL
        // answered at all.
        return underlying is ChannelError || underlying is IOError || underlying is LeaseTimeout
            || underlying is ConnectionClosed
            || String(reflecting: type(of: underlying)).contains("NIOConnectionError")
    }

    /// Two transactions collided (40P01 deadlock, 40001 serialization): run it again.
    var isRetryableConflict: Bool { sqlState == "40P01" || sqlState == "40001" }
}

/// No connection could be had in time: the pool is still trying to reach the database.
struct LeaseTimeout: Error, CustomStringConvertible {
    var description: String { "no database connection within the wait limit" }
}
