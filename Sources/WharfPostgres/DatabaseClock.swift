import Foundation
import Logging
import PostgresNIO
import Synchronization
import WharfEngine

/// The database server's clock, as seen from this node: the local wall clock plus an offset
/// measured against `clock_timestamp()` on the database.
///
/// Why: with several nodes, visibility deadlines, delays, deduplication windows and leases are
/// written by one node and read by another. If each node used its own clock, a message hidden
/// for 30 s by node A would reappear early or late on node B by the skew between them. One
/// reference for all nodes — the database they share — removes that; the error left is half
/// a round trip to the database (well under a millisecond on a LAN), and it costs no query per
/// request: the offset is measured at start and every `resyncInterval` (the best of a few
/// samples, the one with the shortest round trip).
public final class DatabaseClock: WharfClock {
    private let offsetMillis = Atomic<Int64>(0)
    private let logger: Logger
    private let sampler = Mutex<Task<Void, Never>?>(nil)
    private let system = SystemClock()
    public static let resyncInterval: Duration = .seconds(30)

    init(logger: Logger) { self.logger = logger }

    public func nowMillis() -> Int64 { system.nowMillis() + offsetMillis.load(ordering: .relaxed) }

    public func sleep(untilMillis deadline: Int64) async throws {
        let remaining = deadline - nowMillis()
        if remaining > 0 { try await Task.sleep(nanoseconds: UInt64(remaining) * 1_000_000) }
    }

    /// The current offset (database minus local), for logs and tests.
    public var offset: Int64 { offsetMillis.load(ordering: .relaxed) }

    func synchronize(with store: PostgresMessageStore) async throws {
        var best: (roundTrip: Int64, offset: Int64)?
        for _ in 0..<5 {
            let before = system.nowMillis()
            let rows = try await store.client.query(
                "SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint", logger: store.logger)
            var server: Int64 = 0
            for try await value in rows.decode(Int64.self) { server = value }
            let after = system.nowMillis()
            let sample = (roundTrip: after - before, offset: server - (before + after) / 2)
            if best == nil || sample.roundTrip < best!.roundTrip { best = sample }
        }
        guard let best else { return }
        let previous = offsetMillis.exchange(best.offset, ordering: .relaxed)
        if abs(previous - best.offset) > 100 {
            logger.notice("database clock offset \(best.offset) ms (round trip \(best.roundTrip) ms)")
        }
    }

    func startSynchronizing(with store: PostgresMessageStore) {
        let task = Task { [weak store, logger] in
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.resyncInterval)
                guard let store else { return }
                do { try await synchronize(with: store) } catch {
                    logger.debug("database clock sample failed: \(error)")
                }
            }
        }
        sampler.withLock { $0 = task }
    }

    func stopSynchronizing() {
        sampler.withLock { $0?.cancel(); $0 = nil }
    }
}
