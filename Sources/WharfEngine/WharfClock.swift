import Foundation

/// The engine's only source of time. Injected so that tests move time by hand instead of
/// sleeping through visibility timeouts, delays and 60-second windows.
///
/// Times are epoch milliseconds: SQS exposes timestamps in ms (SentTimestamp) and s
/// (CreatedTimestamp), and integers keep comparisons in the store exact.
public protocol WharfClock: Sendable {
    func nowMillis() -> Int64
    /// Suspends until `nowMillis() >= deadline`. Throws CancellationError when cancelled.
    func sleep(untilMillis deadline: Int64) async throws
}

/// Wall-clock time.
public struct SystemClock: WharfClock {
    public init() {}

    public func nowMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    public func sleep(untilMillis deadline: Int64) async throws {
        let remaining = deadline - nowMillis()
        if remaining > 0 {
            try await Task.sleep(nanoseconds: UInt64(remaining) * 1_000_000)
        }
    }
}
