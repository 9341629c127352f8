import Foundation
import NIOCore
import PostgresNIO
import WharfEngine

// The hottest statements, prepared once per connection: PostgreSQL then parses and plans them
// once instead of at every call (pgbench on the receive + delete cycle: +30 % prepared over
// parsed each time, on this machine).

/// The standard send of a batch (see `PostgresMessageStore.send`).
struct InsertMessages: PostgresPreparedStatement {
    static let sql = """
        INSERT INTO messages (queue_id, message_id, body, md5_body, attributes, md5_attributes, trace_header,
                              sender_id, sent_at, visible_at)
        SELECT $1, m.id, m.body, m.md5, NULLIF(m.attributes, ''::bytea), NULLIF(m.md5_attributes, ''),
               NULLIF(m.trace, ''), m.sender, m.sent, m.visible
        FROM unnest($2::text[], $3::text[], $4::text[], $5::bytea[], $6::text[], $7::text[], $8::text[],
                    $9::bigint[], $10::bigint[])
             WITH ORDINALITY AS m(id, body, md5, attributes, md5_attributes, trace, sender, sent, visible, ord)
        ORDER BY m.ord
        RETURNING seq
        """
    typealias Row = Int64
    var queueId: Int64
    var messages: [NewMessage]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(queueId)
        bindings.append(messages.map(\.record.messageId))
        bindings.append(messages.map(\.record.body))
        bindings.append(messages.map(\.record.md5OfBody))
        bindings.append(messages.map { ByteBuffer(bytes: $0.record.attributesJSON ?? Data()) })
        bindings.append(messages.map { $0.record.md5OfAttributes ?? "" })
        bindings.append(messages.map { $0.record.traceHeader ?? "" })
        bindings.append(messages.map(\.record.senderId))
        bindings.append(messages.map(\.record.sentAtMillis))
        bindings.append(messages.map(\.visibleAtMillis))
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Int64.self) }
}

/// The standard delete of a batch of messages (any receive's handle).
struct DeleteMessages: PostgresPreparedStatement {
    static let sql = "DELETE FROM messages WHERE queue_id = $1 AND seq = ANY($2::bigint[]) RETURNING seq"
    typealias Row = Int64
    var queueId: Int64
    var seqs: [Int64]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(queueId)
        bindings.append(seqs)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Int64.self) }
}

/// A claim row: kind (0 a claimed message, 1 the number dead-lettered, 2 the in-flight limit
/// reached, 3 the queue gone, 4 the next visible time, 5 groups found), then the message columns.
typealias ClaimRow = (Int, Int64, String, String, String, Data?, String?, String?, String,
                      String?, String?, String?, Int64, Int64, Int, Int64?)

/// The claim statements differ only in their SQL (`PostgresMessageStore.claimSQL` builds it;
/// `claimInSendOrder` binds and reads them).
protocol ClaimStatement: PostgresPreparedStatement where Row == ClaimRow {
    var bindings: PostgresBindings { get }
}

extension ClaimStatement {
    func makeBindings() throws -> PostgresBindings { bindings }
    func decodeRow(_ row: PostgresRow) throws -> ClaimRow { try row.decode(ClaimRow.self) }
}

/// The standard receive's claim in send order, with the in-flight limit counted in it.
struct ClaimLimited: ClaimStatement {
    static let sql = PostgresMessageStore.claimSQL(limited: true)
    typealias Row = ClaimRow
    var bindings: PostgresBindings
}

/// The same without an in-flight limit.
struct ClaimUnlimited: ClaimStatement {
    static let sql = PostgresMessageStore.claimSQL(limited: false)
    typealias Row = ClaimRow
    var bindings: PostgresBindings
}

/// The fair receive's first look: `ClaimLimited`, unless the queue holds message groups.
struct ClaimLimitedUngrouped: ClaimStatement {
    static let sql = PostgresMessageStore.claimSQL(limited: true, unlessGrouped: true)
    typealias Row = ClaimRow
    var bindings: PostgresBindings
}

/// The same without an in-flight limit.
struct ClaimUnlimitedUngrouped: ClaimStatement {
    static let sql = PostgresMessageStore.claimSQL(limited: false, unlessGrouped: true)
    typealias Row = ClaimRow
    var bindings: PostgresBindings
}
