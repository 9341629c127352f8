/// Latency samples of one worker, in microseconds. Exact percentiles: benchmark runs produce at
/// most a few million samples, which sort in well under a second.
public struct LatencyRecorder: Sendable {
    public private(set) var samples: [UInt32] = []

    public init() { samples.reserveCapacity(1 << 16) }

    public mutating func record(nanoseconds: UInt64) {
        samples.append(UInt32(clamping: nanoseconds / 1000))
    }

    public mutating func merge(_ other: LatencyRecorder) { samples += other.samples }

    /// Percentiles in milliseconds, e.g. `percentiles([50, 99, 99.9])`.
    public func percentiles(_ ps: [Double]) -> [Double] {
        guard !samples.isEmpty else { return ps.map { _ in 0 } }
        let sorted = samples.sorted()
        return ps.map { p in
            let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
            return Double(sorted[min(max(rank, 0), sorted.count - 1)]) / 1000
        }
    }
}
