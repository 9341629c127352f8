import Foundation
import Logging
import SQSModel
import Synchronization

/// Limits an operator may change (`wharf serve --max-inflight-messages`).
public struct EngineLimits: Sendable {
    /// Received-but-not-deleted messages per queue (AWS: 120,000).
    public var maxInFlightMessages: Int
    public init(maxInFlightMessages: Int = 120_000) { self.maxInFlightMessages = maxInFlightMessages }
}

/// SQS semantics for standard queues, over any `MessageStore`.
///
/// One method per operation, typed request in, typed response out, `SQSError` on failure.
/// The engine holds no message state of its own: everything it needs after a restart is in the
/// store, and the only in-memory state (the queue catalog and parked long polls) is rebuilt
/// from the store or is transient by nature.
///
/// ```swift
/// let engine = try await SQSEngine(store: store, clock: SystemClock())
/// let ctx = CallContext(accountId: "000000000000", region: "us-east-1",
///                       endpoint: "http://localhost:9324", senderId: "000000000000")
/// let url = try await engine.createQueue(CreateQueueRequest(QueueName: "jobs"), ctx).QueueUrl
/// ```
public final class SQSEngine: Sendable {
    let store: any MessageStore
    /// The engine's time, also what the server checks signature dates against.
    public let clock: any WharfClock
    let catalog: QueueCatalog
    let waiters: LongPollWaiters
    let logger: Logger
    let limits: EngineLimits
    /// Message ids and receipt-handle nonces.
    let identifiers = IdentifierGenerator()
    /// Per standard queue with message groups: the group served last, where the next receive's
    /// round-robin starts after. A fairness hint only; losing it on restart costs nothing.
    let fairCursors = Mutex<[Int64: String]>([:])
    /// Running message move tasks by id, and those asked to cancel.
    let moveTaskRuns = Mutex<[String: Task<Void, Never>]>([:])
    let cancelledMoveTasks = Mutex<Set<String>>([])
    /// Serialises StartMessageMoveTask so that two starts cannot both pass the one-active-task check.
    let moveTaskLock = AsyncLock()
    /// How long a deleted queue's name stays reserved, and the minimum gap between purges.
    static let cooldownMillis: Int64 = 60_000

    public init(store: any MessageStore, clock: any WharfClock = SystemClock(), limits: EngineLimits = EngineLimits(),
                logger: Logger = Logger(label: "wharf.engine")) async throws {
        self.store = store
        self.clock = clock
        self.logger = logger
        self.limits = limits
        self.catalog = QueueCatalog(try await store.loadQueues())
        self.waiters = LongPollWaiters(clock: clock)
        try await resumeMoveTasks()
    }

    /// Resolves the queue a request addresses — its `QueueUrl` (any host; the last two path
    /// segments are account and name), else the request path, in the caller's region — and
    /// checks that the caller may perform `operation` on it.
    func resolveQueue(_ queueUrl: String?, _ ctx: CallContext, for operation: SQSOperation) throws(SQSError) -> StoredQueue {
        let key: QueueKey
        if let queueUrl {
            // Bytes, not Characters (grapheme breaking showed in profiles): `/` and `?` are ASCII.
            var path = Substring(queueUrl)
            if let afterScheme = Self.index(afterSchemeOf: path) {
                path = path[afterScheme...]
                path = path.utf8.firstIndex(of: UInt8(ascii: "/")).map { path[$0...] } ?? ""
            }
            if let query = path.utf8.firstIndex(of: UInt8(ascii: "?")) { path = path[..<query] }
            let segments = path.utf8.split(separator: UInt8(ascii: "/"))
            guard segments.count >= 2 else { throw .invalidAddress(queueUrl) }
            key = QueueKey(account: String(Substring(segments[segments.count - 2])), region: ctx.region,
                           name: String(Substring(segments[segments.count - 1])))
        } else if let pathQueue = ctx.pathQueue {
            key = QueueKey(account: pathQueue.account, region: ctx.region, name: pathQueue.name)
        } else {
            throw .missingParameter("QueueUrl")
        }
        guard let queue = catalog.lookup(key) else { throw .queueDoesNotExist() }
        try authorize(queue, ctx, operation)
        return queue
    }

    /// Just past `://`, by a byte scan: Foundation's `range(of:)` showed in profiles, and this
    /// runs for every request.
    static func index(afterSchemeOf url: Substring) -> Substring.Index? {
        let bytes = url.utf8
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if bytes[index] == UInt8(ascii: ":"), bytes[index...].starts(with: "://".utf8) {
                return bytes.index(index, offsetBy: 3)
            }
            index = bytes.index(after: index)
        }
        return nil
    }

    /// Operations only the owner may call, whatever the queue policy says (AWS's list).
    static let ownerOnly: Set<SQSOperation> = [.addPermission, .removePermission, .setQueueAttributes,
                                                .deleteQueue, .tagQueue, .untagQueue, .listQueueTags]

    /// The queue policy decides: an explicit Deny refuses anyone, the owner included; another
    /// account needs an Allow and otherwise sees no queue at all.
    func authorize(_ queue: StoredQueue, _ ctx: CallContext, _ operation: SQSOperation) throws(SQSError) {
        let isOwner = queue.key.account == ctx.accountId
        var decision = QueuePolicy.Decision.noDecision
        if let text = queue.attributes["Policy"], let policy = try? QueuePolicy.parse(text) {
            decision = policy.evaluate(QueuePolicy.Request(account: ctx.accountId, action: operation.policyAction,
                                                           resourceArn: queue.key.arn,
                                                           secureTransport: ctx.secureTransport))
        }
        if decision == .deny {
            throw SQSError(shape: "AccessDeniedException", queryCode: "AccessDenied", httpStatus: 403,
                           message: "Access to the resource \(ctx.queueURL(queue.key)) is denied.", modeled: false)
        }
        if !isOwner && (decision != .allow || Self.ownerOnly.contains(operation)) {
            throw .queueDoesNotExist()
        }
    }

    /// Runs a store call, turning storage failures into a 500 that names no internals.
    func storage<T>(_ body: () async throws -> T) async throws(SQSError) -> T {
        do {
            return try await body()
        } catch let error as SQSError {
            throw error
        } catch {
            logger.error("store failure: \(error)")
            throw .internalError("We encountered an internal error. Please try again.")
        }
    }

    /// Deletes expired messages of every queue. The server runs this once a minute; receives
    /// never return expired messages in between.
    public func expireMessages() async {
        let now = clock.nowMillis()
        do {
            try await store.forgetExpiredKeys(nowMillis: now, attemptsBeforeMillis: now - Self.receiveAttemptWindowMillis)
        } catch {
            logger.error("forgetting expired deduplication ids failed: \(error)")
        }
        for queue in catalog.all() {
            let cutoff = now - Int64(queue.config.retentionSeconds) * 1000
            do {
                let removed = try await store.expire(queueId: queue.id, sentBeforeMillis: cutoff)
                if removed > 0 { logger.debug("expired \(removed) messages from \(queue.key.name)") }
            } catch {
                logger.error("expiry failed for \(queue.key.name): \(error)")
            }
        }
    }
}
