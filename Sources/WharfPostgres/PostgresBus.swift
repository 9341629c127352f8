import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization
import WharfEngine

/// The cluster bus over PostgreSQL's LISTEN/NOTIFY: one channel per schema, one listening
/// connection per node, and notifications that are wake-up hints, never state.
///
/// NOTIFY is costly in one way: a transaction that notified takes a database-wide lock at
/// commit, so notifying transactions commit one at a time. So the data transactions never
/// notify. A publisher task sends what accumulated in one small transaction of its own, at most
/// one in flight per node: events that arrive meanwhile are coalesced (a queue id appears once
/// however many messages were sent to it) into the next. And `messagesAvailable` is sent only
/// for queues where some other node has long polls parked, which the nodes record in
/// `waiting_nodes` (written when a node's first poll parks on a queue, renewed while it waits,
/// expired when it stops).
///
/// Payloads are small text: `<node>|<event>;<event>…`, events `m<id>,<id>…` (messages
/// available), `q<account> <region> <name>` (queue changed), `t` (move tasks), `w` (waiters
/// changed). A node ignores its own.
public final class PostgresBus: ClusterBus {
    private struct State {
        var pendingQueues = Set<Int64>()
        var pendingEvents: [String] = []
        var publishing = false
        /// Queues other nodes wait on.
        var remoteWaited = Set<Int64>()
        /// Queues this node waits on now, when it last had a poll parked on each, and those it
        /// has a registration row for.
        var localWaiting = Set<Int64>()
        var lastWaited: [Int64: Int64] = [:]
        var registered = Set<Int64>()
        var continuation: AsyncStream<ClusterEvent>.Continuation?
        var tasks: [Task<Void, Never>] = []
    }
    private let state = Mutex(State())
    private let configuration: PostgresStoreConfiguration
    private let nodeId: String
    private let logger: Logger
    private let channel: String
    /// Set by `start`: the bus writes the waiter registry and sends NOTIFYs through the store's pool.
    private let storeBox = Mutex<PostgresMessageStore?>(nil)
    /// How long a waiter registration lasts without renewal; renewed at half of it.
    static let registrationMillis: Int64 = 60_000
    /// After registering a queue, the node re-checks its parked polls once this much later: a
    /// message sent by a node that had not yet learnt of the registration is found then.
    static let registrationGraceMillis: UInt64 = 250

    /// Notify every queue a message arrives in, waited on or not (`WHARF_NOTIFY_EVERY_QUEUE=1`):
    /// only to measure what the waiter registry saves (benchmarks/run-postgres.sh).
    private let notifyEveryQueue: Bool

    init(configuration: PostgresStoreConfiguration, nodeId: String, logger: Logger) {
        self.configuration = configuration
        self.nodeId = nodeId
        self.logger = logger
        channel = "wharf_" + configuration.schema
        notifyEveryQueue = ProcessInfo.processInfo.environment["WHARF_NOTIFY_EVERY_QUEUE"] == "1"
    }

    private var store: PostgresMessageStore? { storeBox.withLock { $0 } }

    func start(store: PostgresMessageStore) {
        storeBox.withLock { $0 = store }
        let listener = Task { await self.listen() }
        let registry = Task { await self.maintainRegistry() }
        state.withLock { $0.tasks += [listener, registry] }
    }

    func stop() {
        let (tasks, continuation) = state.withLock { state in
            defer { state.tasks = []; state.continuation = nil }
            return (state.tasks, state.continuation)
        }
        for task in tasks { task.cancel() }
        continuation?.finish()
        storeBox.withLock { $0 = nil }
    }

    // MARK: ClusterBus

    public func events() -> AsyncStream<ClusterEvent> {
        AsyncStream { continuation in
            state.withLock { $0.continuation = continuation }
        }
    }

    public func publish(_ event: ClusterEvent) {
        let start = state.withLock { state -> Bool in
            switch event {
            case .messagesAvailable(let queueIds):
                let wanted = notifyEveryQueue ? queueIds : queueIds.filter { state.remoteWaited.contains($0) }
                if wanted.isEmpty { return false }
                state.pendingQueues.formUnion(wanted)
            case .queueChanged(let key):
                state.pendingEvents.append("q\(key.account) \(key.region) \(key.name)")
            case .moveTasksChanged:
                state.pendingEvents.append("t")
            case .resync:
                return false
            }
            if state.publishing { return false }
            state.publishing = true
            return true
        }
        if start { Task { await self.drainPublications() } }
    }

    public func setWaiting(queueId: Int64, _ waiting: Bool) {
        let register = state.withLock { state -> Bool in
            state.lastWaited[queueId] = Self.now()
            guard waiting else {
                state.localWaiting.remove(queueId)
                return false
            }
            state.localWaiting.insert(queueId)
            return state.registered.insert(queueId).inserted
        }
        if register { Task { await self.register(queueId) } }
    }

    // MARK: Publishing

    /// Sends everything pending, one NOTIFY transaction at a time, until nothing is left.
    private func drainPublications() async {
        while true {
            let payloads = state.withLock { state -> [String] in
                var events = state.pendingEvents
                if !state.pendingQueues.isEmpty {
                    events.append("m" + state.pendingQueues.map(String.init).joined(separator: ","))
                }
                state.pendingEvents = []
                state.pendingQueues = []
                if events.isEmpty { state.publishing = false }
                return Self.payloads(node: nodeId, events: events)
            }
            if payloads.isEmpty { return }
            guard let store else { state.withLock { $0.publishing = false }; return }
            for payload in payloads {
                do {
                    try await store.client.query("SELECT pg_notify(\(channel), \(payload))", logger: logger)
                } catch {
                    // A lost wake-up costs the waiter its wait, not a message: log and go on.
                    logger.warning("cluster notification failed: \(PostgresFailure(error).summary)")
                }
            }
        }
    }

    /// Events packed into payloads under PostgreSQL's 8000-byte limit.
    static func payloads(node: String, events: [String]) -> [String] {
        var payloads: [String] = []
        var current = ""
        for event in events.flatMap(split) {
            if !current.isEmpty && current.utf8.count + event.utf8.count + node.utf8.count + 2 > 7900 {
                payloads.append("\(node)|\(current)")
                current = ""
            }
            current += current.isEmpty ? event : ";" + event
        }
        if !current.isEmpty { payloads.append("\(node)|\(current)") }
        return payloads
    }

    /// A long list of queue ids as several events of at most ~7000 bytes each.
    private static func split(_ event: String) -> [String] {
        guard event.hasPrefix("m"), event.utf8.count > 7000 else { return [event] }
        var parts: [String] = []
        var current: [Substring] = []
        var size = 0
        for id in event.dropFirst().split(separator: ",") {
            if size + id.count > 7000 { parts.append("m" + current.joined(separator: ",")); current = []; size = 0 }
            current.append(id)
            size += id.count + 1
        }
        if !current.isEmpty { parts.append("m" + current.joined(separator: ",")) }
        return parts
    }

    /// What a payload from another node says; nil for this node's own.
    static func decode(_ payload: String, ignoring node: String) -> [ClusterEvent]? {
        guard let bar = payload.firstIndex(of: "|"), payload[..<bar] != node else { return nil }
        var events: [ClusterEvent] = []
        for part in payload[payload.index(after: bar)...].split(separator: ";") {
            switch part.first {
            case "m":
                events.append(.messagesAvailable(queueIds: part.dropFirst().split(separator: ",").compactMap { Int64($0) }))
            case "q":
                let fields = part.dropFirst().split(separator: " ", omittingEmptySubsequences: false)
                if fields.count == 3 {
                    events.append(.queueChanged(QueueKey(account: String(fields[0]), region: String(fields[1]),
                                                         name: String(fields[2]))))
                }
            case "t": events.append(.moveTasksChanged)
            case "w": events.append(.resync)   // handled by the bus itself, see `deliver`
            default: break
            }
        }
        return events
    }

    // MARK: Listening

    /// Keeps one connection LISTENing; after a reconnection the engine hears `.resync`, since
    /// notifications sent meanwhile are lost.
    private func listen() async {
        var connected = false
        var failures = 0
        while !Task.isCancelled {
            do {
                let settings = try configuration.connectionConfiguration(applicationName: "wharf \(nodeId) listener")
                let connection = try await PostgresConnection.connect(
                    on: MultiThreadedEventLoopGroup.singleton.any(), configuration: settings, id: 1, logger: logger).get()
                defer { Task { try? await connection.close() } }
                try await connection.listen(on: channel) { notifications in
                    if connected { state.withLock { $0.continuation }?.yield(.resync) }
                    connected = true
                    failures = 0
                    await refreshRegistry()
                    for try await notification in notifications { await deliver(notification.payload) }
                }
            } catch {
                if Task.isCancelled { return }
                failures += 1
                if failures == 1 || failures % 30 == 0 {
                    logger.warning("cluster listener lost its connection (\(PostgresFailure(error).summary)); reconnecting")
                }
            }
            try? await Task.sleep(for: .milliseconds(min(2000, 100 * (1 << min(failures, 5)))))
        }
    }

    private func deliver(_ payload: String) async {
        guard let events = Self.decode(payload, ignoring: nodeId) else { return }
        var forEngine: [ClusterEvent] = []
        for event in events {
            if event == .resync { await refreshRegistry() } else { forEngine.append(event) }
        }
        let continuation = state.withLock { $0.continuation }
        for event in forEngine { continuation?.yield(event) }
    }

    // MARK: Waiter registry

    private func register(_ queueId: Int64) async {
        guard let store else { return }
        do {
            try await store.client.query("""
                INSERT INTO waiting_nodes (node, queue_id, expires_at)
                VALUES (\(nodeId), \(queueId), \(store.clock.nowMillis() + Self.registrationMillis))
                ON CONFLICT (node, queue_id) DO UPDATE SET expires_at = EXCLUDED.expires_at
                """, logger: logger)
            state.withLock { $0.pendingEvents.append("w") }
            kickPublisher()
        } catch {
            logger.warning("registering long polls failed: \(PostgresFailure(error).summary)")
        }
        // Polls parked before the other nodes learnt of this one look at the queue again.
        try? await Task.sleep(nanoseconds: Self.registrationGraceMillis * 1_000_000)
        state.withLock { $0.continuation }?.yield(.messagesAvailable(queueIds: [queueId]))
    }

    private func kickPublisher() {
        let start = state.withLock { state -> Bool in
            if state.publishing || state.pendingEvents.isEmpty { return false }
            state.publishing = true
            return true
        }
        if start { Task { await self.drainPublications() } }
    }

    /// Reads which queues other nodes wait on.
    private func refreshRegistry() async {
        guard let store else { return }
        do {
            var queues = Set<Int64>()
            let rows = try await store.client.query("""
                SELECT DISTINCT queue_id FROM waiting_nodes WHERE node <> \(nodeId) AND expires_at > \(store.clock.nowMillis())
                """, logger: logger)
            for try await queueId in rows.decode(Int64.self) { queues.insert(queueId) }
            state.withLock { $0.remoteWaited = queues }
        } catch {
            logger.debug("reading the waiter registry failed: \(PostgresFailure(error).summary)")
        }
    }

    /// Renews this node's registrations while it waits (and for a while after, so that a
    /// consumer that polls in a loop stays registered between polls), drops the rest, and
    /// re-reads everybody else's.
    private func maintainRegistry() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(Self.registrationMillis / 4))
            guard let store else { return }
            let now = Self.now()
            let (renew, drop) = state.withLock { state -> ([Int64], [Int64]) in
                var renew: [Int64] = [], drop: [Int64] = []
                for queueId in state.registered {
                    let last = state.lastWaited[queueId] ?? 0
                    if state.localWaiting.contains(queueId) || now - last < Self.registrationMillis / 2 {
                        renew.append(queueId)
                    } else {
                        drop.append(queueId)
                    }
                }
                for queueId in drop {
                    state.lastWaited[queueId] = nil
                    state.registered.remove(queueId)
                }
                return (renew, drop)
            }
            do {
                let expires = store.clock.nowMillis() + Self.registrationMillis
                if !renew.isEmpty {
                    try await store.client.query("""
                        UPDATE waiting_nodes SET expires_at = \(expires) WHERE node = \(nodeId) AND queue_id = ANY(\(renew))
                        """, logger: logger)
                }
                if !drop.isEmpty {
                    try await store.client.query("""
                        DELETE FROM waiting_nodes WHERE node = \(nodeId) AND queue_id = ANY(\(drop))
                        """, logger: logger)
                }
                try await store.client.query("DELETE FROM waiting_nodes WHERE expires_at < \(store.clock.nowMillis())",
                                             logger: logger)
            } catch {
                logger.debug("renewing waiter registrations failed: \(PostgresFailure(error).summary)")
            }
            await refreshRegistry()
        }
    }

    private static func now() -> Int64 { SystemClock().nowMillis() }
}

