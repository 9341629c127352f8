import Foundation
import SQSModel

// What a node does besides answering requests: following the other nodes' events, adopting
// move tasks that nobody runs, retention sweeps and queue gauges (on one node at a time), and
// adding its activity counts to the store's totals.
extension SQSEngine {
    /// Runs until cancelled: follows the cluster bus, adopts orphaned move tasks every
    /// `supervisionIntervalMillis`, and sweeps expired messages every `sweepIntervalMillis`
    /// while this node holds the sweep lease. `wharf serve` runs it beside the listener.
    public func runBackgroundWork(sweepIntervalMillis: Int64 = 60_000, supervisionIntervalMillis: Int64 = 2_000,
                                  statsIntervalMillis: Int64 = 15_000, activityIntervalMillis: Int64 = 5_000) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.followClusterEvents() }
            group.addTask {
                await self.repeatEvery(supervisionIntervalMillis) {
                    do { try await self.adoptMoveTasks() } catch { self.logger.warning("adopting move tasks failed: \(error)") }
                }
            }
            group.addTask {
                await self.repeatEvery(sweepIntervalMillis) {
                    await self.expireMessages(leaseMillis: max(3 * sweepIntervalMillis, 60_000))
                }
            }
            group.addTask {
                await self.refreshQueueStats(leaseMillis: 3 * statsIntervalMillis)
                await self.repeatEvery(statsIntervalMillis) {
                    await self.refreshQueueStats(leaseMillis: 3 * statsIntervalMillis)
                }
            }
            group.addTask {
                await self.repeatEvery(activityIntervalMillis) { await self.flushActivity() }
            }
            await group.waitForAll()
        }
    }

    /// Adds what this node counted (messages sent and received per queue) to the store's
    /// totals; on failure the counts wait for the next flush. Part of `runBackgroundWork`, and
    /// of a graceful shutdown.
    public func flushActivity() async {
        let counts = activity.take()
        if counts.isEmpty { return }
        do {
            try await store.addActivity(counts)
        } catch {
            activity.restore(counts)
            logger.warning("adding activity counts to the store failed: \(error)")
        }
    }

    private func repeatEvery(_ intervalMillis: Int64, _ work: () async -> Void) async {
        while !Task.isCancelled {
            do { try await clock.sleep(untilMillis: clock.nowMillis() + intervalMillis) } catch { return }
            await work()
        }
    }

    /// Applies what other nodes say, until the bus ends: wake long polls, drop stale catalog
    /// entries, look for move tasks to run. Part of `runBackgroundWork`.
    public func followClusterEvents() async {
        for await event in bus.events() {
            switch event {
            case .messagesAvailable(let queueIds):
                for queueId in queueIds { waiters.notify(queueId: queueId) }
            case .queueChanged(let key):
                let queueId = catalog.cachedId(of: key)
                catalog.invalidate(key)
                // Parked receives re-read the queue: it may be gone, or its settings changed.
                if let queueId { waiters.notify(queueId: queueId) }
            case .moveTasksChanged:
                Task { try? await self.adoptMoveTasks() }
            case .resync:
                catalog.invalidateAll()
                waiters.notifyAll()
            }
        }
    }

    /// Recomputes the queue gauges, on the node that holds the stats lease.
    public func refreshQueueStats(leaseMillis: Int64 = 45_000) async {
        let now = clock.nowMillis()
        do {
            guard try await store.acquireLease("queue-stats", owner: nodeId, nowMillis: now,
                                               durationMillis: leaseMillis) else { return }
            try await store.refreshQueueStats(nowMillis: now)
        } catch {
            logger.warning("computing queue gauges failed: \(error)")
        }
    }

    /// The queue gauges as last computed (by whichever node), with the queues they belong to.
    public func queueGauges() async throws(SQSError) -> [(queue: StoredQueue, stats: QueueStats)] {
        let stats = try await storage { try await store.queueStats() }
        let queues = try await storage { try await store.loadQueues() }
        let byId = Dictionary(stats.map { ($0.queueId, $0) }) { a, _ in a }
        return queues.compactMap { queue in byId[queue.id].map { (queue, $0) } }
    }

    /// Long polls parked on this node now.
    public var parkedLongPolls: Int { waiters.parkedCount }

    /// Graceful shutdown: parked long polls are answered empty now, and receives no longer wait
    /// (they answer what they find at once). Everything else goes on until the process ends.
    public func stopLongPolls() { waiters.close() }

    /// How long the retention sweep lease lasts when `expireMessages` is called directly.
    public static let defaultSweepLeaseMillis: Int64 = 180_000

    /// Deletes expired messages of every queue and forgets expired deduplication ids and
    /// receive attempts — on one node at a time: the one that holds the sweep lease, renewed
    /// with every sweep. Receives never return expired messages in between anyway.
    public func expireMessages(leaseMillis: Int64 = SQSEngine.defaultSweepLeaseMillis) async {
        let now = clock.nowMillis()
        do {
            guard try await store.acquireLease("retention-sweep", owner: nodeId, nowMillis: now,
                                               durationMillis: leaseMillis) else { return }
            try await store.forgetExpiredKeys(nowMillis: now, attemptsBeforeMillis: now - Self.receiveAttemptWindowMillis)
        } catch {
            logger.error("retention sweep: forgetting expired deduplication ids failed: \(error)")
            return
        }
        let queues: [StoredQueue]
        do { queues = try await store.loadQueues() } catch {
            logger.error("retention sweep: listing queues failed: \(error)")
            return
        }
        for queue in queues {
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
