import Foundation

// What a node does besides answering requests: following the other nodes' events, adopting
// move tasks that nobody runs, and retention sweeps (on one node at a time).
extension SQSEngine {
    /// Runs until cancelled: follows the cluster bus, adopts orphaned move tasks every
    /// `supervisionIntervalMillis`, and sweeps expired messages every `sweepIntervalMillis`
    /// while this node holds the sweep lease. `wharf serve` runs it beside the listener.
    public func runBackgroundWork(sweepIntervalMillis: Int64 = 60_000, supervisionIntervalMillis: Int64 = 2_000) async {
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
            await group.waitForAll()
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
