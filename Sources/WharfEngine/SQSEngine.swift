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

/// SQS semantics — standard, fair and FIFO queues, dead-letter queues, move tasks — over any
/// `MessageStore`.
///
/// One method per operation, typed request in, typed response out, `SQSError` on failure.
/// The store is the only truth: several engines (one per node) may share one store, and what an
/// engine keeps in memory is a cache of it (the queue catalog), transient by nature (parked long
/// polls, running move tasks), a hint (the fair-queue cursor) or counts on their way to the store
/// (`ActivityTally`). Nodes tell each other about
/// changes through the `ClusterBus`; background work that must run once (retention sweeps, each
/// move task) is owned by one node at a time through a lease in the store.
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
    let bus: any ClusterBus
    /// Where sends, receives and deletes are counted (metrics).
    let observer: any EngineObserver
    /// Asked before every write that grows the store (see `WriteAdmission`).
    let admission: any WriteAdmission
    /// This engine's name in leases: unique per node (and stable across restarts of a
    /// single-node server, so that it takes its own leases back at once).
    public let nodeId: String
    let catalog: QueueCatalog
    let waiters: LongPollWaiters
    let logger: Logger
    let limits: EngineLimits
    /// Message ids and receipt-handle nonces.
    let identifiers = IdentifierGenerator()
    /// Per standard queue with message groups: the group served last, where the next receive's
    /// round-robin starts after. A fairness hint only; losing it (restart, another node) costs nothing.
    let fairCursors = Mutex<[Int64: String]>([:])
    /// Standard queues whose last fair receive found no message group, and until when a receive
    /// there skips the group scan (a message of a standard queue without groups is the common
    /// case: it should not pay for fairness it does not use). Cleared by a grouped send through
    /// this node; a grouped send through another node is still delivered, in plain send order,
    /// until the hint runs out.
    let ungroupedUntil = Mutex<[Int64: Int64]>([:])
    static let ungroupedHintMillis: Int64 = 1_000
    /// Queues where a receive found the in-flight limit reached: a delete there wakes long polls.
    let queuesAtInFlightLimit = Mutex<Set<Int64>>([])
    /// Sends and receives counted here and not yet added to the store's totals (`flushActivity`).
    let activity = ActivityTally()
    /// When each kind of store failure was last logged (see `storage`): a full disk or a store
    /// that failed closed fails every request, and one line a minute says it well enough.
    let failureLog = Mutex<[String: Int64]>([:])
    /// The last readiness check (see `isReady`).
    let readiness = Mutex(Readiness())
    /// The move tasks this node runs, by id.
    let moveTaskRuns = Mutex<[String: Task<Void, Never>]>([:])
    /// How long a deleted queue's name stays reserved, and the minimum gap between purges.
    static let cooldownMillis: Int64 = 60_000

    public init(store: any MessageStore, clock: any WharfClock = SystemClock(), limits: EngineLimits = EngineLimits(),
                bus: any ClusterBus = SingleNodeBus(), nodeId: String = "local",
                observer: any EngineObserver = SilentObserver(), admission: any WriteAdmission = AdmitEveryWrite(),
                logger: Logger = Logger(label: "wharf.engine")) async throws {
        self.store = store
        self.clock = clock
        self.logger = logger
        self.limits = limits
        self.bus = bus
        self.nodeId = nodeId
        self.observer = observer
        self.admission = admission
        self.catalog = QueueCatalog()
        self.waiters = LongPollWaiters(clock: clock) { queueId, waiting in bus.setWaiting(queueId: queueId, waiting) }
        try await adoptMoveTasks()
    }

    /// The queue with this key: from the catalog cache, else from the store.
    func queue(_ key: QueueKey) async throws(SQSError) -> StoredQueue? {
        let now = clock.nowMillis()
        switch catalog.lookup(key, nowMillis: now) {
        case .hit(let queue):
            return queue
        case .miss(let generation):
            let queue = try await storage { try await store.queue(key) }
            catalog.store(queue, for: key, loadedAt: now, generation: generation)
            return queue
        }
    }

    /// The queue with this key as the store has it now (and the cache with it).
    func freshQueue(_ key: QueueKey) async throws(SQSError) -> StoredQueue? {
        let now = clock.nowMillis()
        let generation = catalog.generation
        let queue = try await storage { try await store.queue(key) }
        catalog.store(queue, for: key, loadedAt: now, generation: generation)
        return queue
    }

    /// The operations that read a queue's settings from the catalog cache: the message
    /// operations, which run at thousands per second and where the store itself notices a queue
    /// deleted by another node. Every other operation reads the queue from the store, so that a
    /// change made through one node is what the next request sees through any node.
    static let cachedOperations: Set<SQSOperation> = [
        .sendMessage, .sendMessageBatch, .receiveMessage, .deleteMessage, .deleteMessageBatch,
        .changeMessageVisibility, .changeMessageVisibilityBatch,
    ]

    /// Resolves the queue a request addresses — its `QueueUrl` (any host; the last two path
    /// segments are account and name; or, as AWS accepts, a bare queue name in the caller's
    /// account), else the request path, in the caller's region — and checks that the caller
    /// may perform `operation` on it. A `QueueUrl` that names no queue at all (no account and
    /// name in its path) is a missing queue, as on AWS.
    func resolveQueue(_ queueUrl: String?, _ ctx: CallContext, for operation: SQSOperation) async throws(SQSError) -> StoredQueue {
        let key: QueueKey
        if let queueUrl {
            // Bytes, not Characters (grapheme breaking showed in profiles): `/` and `?` are ASCII.
            var path = Substring(queueUrl)
            let hasScheme: Bool
            if let afterScheme = Self.index(afterSchemeOf: path) {
                hasScheme = true
                path = path[afterScheme...]
                path = path.utf8.firstIndex(of: UInt8(ascii: "/")).map { path[$0...] } ?? ""
            } else {
                hasScheme = false
            }
            if let query = path.utf8.firstIndex(of: UInt8(ascii: "?")) { path = path[..<query] }
            let segments = path.utf8.split(separator: UInt8(ascii: "/"))
            if segments.count >= 2 {
                key = QueueKey(account: String(Substring(segments[segments.count - 2])), region: ctx.region,
                               name: String(Substring(segments[segments.count - 1])))
            } else if !hasScheme && segments.count == 1 && segments[0].count == path.utf8.count {
                key = QueueKey(account: ctx.accountId, region: ctx.region, name: String(path))
            } else {
                throw .queueDoesNotExist()
            }
        } else if let pathQueue = ctx.pathQueue {
            key = QueueKey(account: pathQueue.account, region: ctx.region, name: pathQueue.name)
        } else {
            throw .missingParameter("QueueUrl")
        }
        let found = Self.cachedOperations.contains(operation) ? try await queue(key) : try await freshQueue(key)
        guard let queue = found else { throw .queueDoesNotExist() }
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
        if let policy = queue.config.policy {
            decision = policy.evaluate(QueuePolicy.Request(account: ctx.accountId, action: operation.policyAction,
                                                           resourceArn: queue.key.arn,
                                                           secureTransport: ctx.secureTransport))
        }
        if decision == .deny {
            throw SQSError(code: .accessDeniedException, queryCode: "AccessDenied", httpStatus: 403,
                           message: "Access to the resource \(ctx.queueURL(queue.key)) is denied.", modeled: false)
        }
        if !isOwner && (decision != .allow || Self.ownerOnly.contains(operation)) {
            throw .queueDoesNotExist()
        }
    }

    /// Runs a store call, turning storage failures into SQS errors that name no internals: an
    /// unreachable database is a retryable 503, a queue deleted meanwhile a missing queue,
    /// anything else a 500.
    func storage<T>(_ body: () async throws -> T) async throws(SQSError) -> T {
        do {
            return try await body()
        } catch let error as SQSError {
            throw error
        } catch StoreError.unavailable(let reason) {
            logger.warning("store unavailable: \(reason)")
            throw .serviceUnavailable()
        } catch StoreError.queueMissing {
            throw .queueDoesNotExist()
        } catch StoreError.diskFull {
            logOnceAMinute("disk full", "store refused a write: its disk is full (nothing unsynced was acknowledged)")
            throw .serviceUnavailable("The server's disk is full: the change was not stored. Retry once space is freed.")
        } catch StoreError.failedClosed(let reason) {
            logOnceAMinute("failed closed", "store failed closed and refuses every write until the server restarts: \(reason)")
            throw .serviceUnavailable("The server's store stopped accepting writes after a disk I/O error; "
                                      + "it accepts them again once the server is restarted.")
        } catch is CancellationError {
            // The request was abandoned (its client went away, the server is stopping).
            throw .serviceUnavailable()
        } catch {
            logger.error("store failure: \(error)")
            throw .internalError("We encountered an internal error. Please try again.")
        }
    }

    /// Logs `message` at error level unless a line of this `kind` was logged in the last minute.
    func logOnceAMinute(_ kind: String, _ message: String) {
        let now = clock.nowMillis()
        let due = failureLog.withLock { logged -> Bool in
            if let last = logged[kind], now - last < 60_000 { return false }
            logged[kind] = now
            return true
        }
        if due { logger.error("\(message)") }
    }

    /// Messages in the queue may have become receivable: wake long polls here and on the other
    /// nodes. `count` limits how many local waiters wake (nil: all of them).
    func wake(_ queueId: Int64, count: Int? = nil) {
        waiters.notify(queueId: queueId, count: count)
        bus.publish(.messagesAvailable(queueIds: [queueId]))
    }

    /// This node changed a queue's metadata (or created or deleted it).
    func announce(_ key: QueueKey) {
        bus.publish(.queueChanged(key))
    }
}
