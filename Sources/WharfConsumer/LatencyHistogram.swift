import Foundation

/// Handler durations in cumulative buckets, as a Prometheus histogram keeps them: a value
/// type the consumer's state updates under its lock and hands out as a snapshot.
public struct LatencyHistogram: Sendable, Equatable {
    /// Upper bounds in seconds, ascending; an implicit +Inf bucket follows.
    public let bounds: [Double]
    /// Observations ≤ each bound (not cumulative; `cumulativeCounts` adds them up).
    public private(set) var counts: [Int]
    public private(set) var count = 0
    public private(set) var sum: Double = 0

    /// From 5 ms to 5 minutes: handlers range from in-process functions to shell scripts.
    public static let defaultBounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300]

    public init(bounds: [Double] = LatencyHistogram.defaultBounds) {
        self.bounds = bounds.sorted()
        counts = Array(repeating: 0, count: bounds.count)
    }

    public mutating func observe(seconds: Double) {
        count += 1
        sum += seconds
        if let index = bounds.firstIndex(where: { seconds <= $0 }) { counts[index] += 1 }
    }

    /// Observations ≤ each bound, then the total (+Inf).
    public var cumulativeCounts: [Int] {
        var running = 0
        return counts.map { running += $0; return running } + [count]
    }
}
