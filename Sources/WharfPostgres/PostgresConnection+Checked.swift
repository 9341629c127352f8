import Logging
import PostgresNIO
import Synchronization

/// The connection was closed under this call.
struct ConnectionClosed: Error, CustomStringConvertible {
    var description: String { "the database connection is closed" }
}

extension PostgresConnection {
    /// `query`, failed as soon as the connection closes. postgres-nio writes a query to its
    /// channel without a promise: a query handed to a connection that closed a moment before
    /// (the database restarted or crashed) is dropped, and its caller would wait forever — seen
    /// here as receives that never answered after `pg_ctl stop -m immediate`. The pool can still
    /// lend out a connection whose close it has not processed yet, and a failed transaction's
    /// ROLLBACK goes to a connection that has just died: such calls now fail at once, as
    /// transient errors (503), and the pool drops the connection.
    @discardableResult
    func checkedQuery(_ query: PostgresQuery, logger: Logger, file: String = #fileID,
                      line: Int = #line) async throws -> PostgresRowSequence {
        try await checked { try await self.query(query, logger: logger, file: file, line: line) }
    }

    /// A prepared statement's rows, failed as soon as the connection closes (see `checkedQuery`).
    func checkedExecute<Statement: PostgresPreparedStatement>(_ statement: Statement, logger: Logger) async throws
        -> [Statement.Row] where Statement.Row: Sendable {
        try await checked {
            var rows: [Statement.Row] = []
            for try await row in try await self.execute(statement, logger: logger) { rows.append(row) }
            return rows
        }
    }

    /// Runs `operation` on its own task, so that this call can return when the connection
    /// closes; in the rare race above that task never ends, holding nothing but itself.
    private func checked<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        guard !isClosed else { throw ConnectionClosed() }
        let watch = ConnectionWatch.shared.watch(self)
        let outcome = Outcome<T>()
        guard let ticket = watch.add(outcome) else { throw ConnectionClosed() }
        defer { watch.remove(ticket) }
        Task {
            do {
                outcome.finish(.success(try await operation()))
            } catch {
                outcome.finish(.failure(error))
            }
        }
        return try await outcome.value()
    }
}

/// Per pooled connection: the queries waiting on it, failed together when it closes. One
/// close callback per connection (not one per query, which would pile up for its lifetime).
final class ConnectionWatch: Sendable {
    static let shared = ConnectionWatch()
    private let connections = Mutex<[ObjectIdentifier: Entry]>([:])

    final class Entry: Sendable {
        private struct State {
            var closed = false
            var next = 0
            var pending: [Int: @Sendable () -> Void] = [:]
        }
        private let state = Mutex(State())

        /// Registers a waiter; nil when the connection has closed already.
        func add<T: Sendable>(_ outcome: Outcome<T>) -> Int? {
            state.withLock { state in
                if state.closed { return nil }
                state.next += 1
                state.pending[state.next] = { outcome.finish(.failure(ConnectionClosed())) }
                return state.next
            }
        }

        func remove(_ ticket: Int) {
            _ = state.withLock { $0.pending.removeValue(forKey: ticket) }
        }

        func close() {
            let failers = state.withLock { state -> [@Sendable () -> Void] in
                state.closed = true
                defer { state.pending = [:] }
                return Array(state.pending.values)
            }
            for fail in failers { fail() }
        }
    }

    func watch(_ connection: PostgresConnection) -> Entry {
        let key = ObjectIdentifier(connection)
        let (entry, isNew) = connections.withLock { map -> (Entry, Bool) in
            if let entry = map[key] { return (entry, false) }
            let entry = Entry()
            map[key] = entry
            return (entry, true)
        }
        if isNew {
            connection.closeFuture.whenComplete { [weak self] _ in
                entry.close()
                _ = self?.connections.withLock { $0.removeValue(forKey: key) }
            }
        }
        return entry
    }
}
