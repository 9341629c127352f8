/// Whether the engine may take, right now, a write that grows the store: a message sent, a
/// queue created, attributes, tags or permissions added.
///
/// The engine asks before each such write and, on a refusal, answers SQS's retryable
/// `ServiceUnavailable` (503) with the reason. Writes that shrink the store or keep its size —
/// receives, deletes, visibility changes, purges, queue deletions, move tasks — are never asked
/// about, so that a queue can always be drained. What decides (the free space under a SQLite
/// data directory, see `DiskWatermark` in the server) is not the engine's business: it only
/// hears the answer. Asked once per growing request, so an answer must be cheap.
public protocol WriteAdmission: Sendable {
    /// nil while growing writes are admitted; otherwise why not, in words meant for the caller.
    func refusalReason() -> String?
}

/// The admission of a store that has no limit the node can see (PostgreSQL's disk is the
/// database's, not the node's) or whose operator turned the watermark off.
public struct AdmitEveryWrite: WriteAdmission {
    public init() {}
    public func refusalReason() -> String? { nil }
}
