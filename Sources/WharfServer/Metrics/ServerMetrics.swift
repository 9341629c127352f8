import Foundation
import Prometheus
import Synchronization
import WharfEngine

/// Wharf's metrics in the Prometheus text format: the CloudWatch SQS metrics per queue (see
/// docs/metrics.md for the mapping), and the server's own (requests, latency, long polls,
/// connections, store commits, disk). Counters live in a registry of their own (no global
/// metrics system); queue gauges are written fresh at every scrape from the gauges the store
/// keeps, so a deleted queue's series disappear with it and every node reports the same values.
public final class ServerMetrics: EngineObserver, CommitObserver {
    let registry = PrometheusCollectorRegistry()
    private let queues = Mutex<[QueueKey: QueueCounters]>([:])
    private let requests = Mutex<[String: Counter]>([:])
    private let latencies = Mutex<[String: DurationHistogram]>([:])
    private let commitDuration: DurationHistogram
    private let commitJobs: ValueHistogram

    static let latencyBuckets: [Duration] = [.microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
                                             .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                                             .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2),
                                             .seconds(5), .seconds(10), .seconds(20), .seconds(30)]

    public init() {
        commitDuration = registry.makeDurationHistogram(
            name: "wharf_store_commit_duration_seconds", buckets: Self.latencyBuckets,
            help: "Time of one store commit (SQLite: a group commit with its fsync; PostgreSQL: a transaction).")
        commitJobs = registry.makeValueHistogram(
            name: "wharf_store_commit_jobs", buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
            help: "Operations that shared one commit (SQLite group commit).")
    }

    // MARK: EngineObserver

    private func counters(_ queue: StoredQueue) -> QueueCounters {
        queues.withLock { map in
            if let counters = map[queue.key] { return counters }
            let counters = QueueCounters(queue.key, registry: registry)
            map[queue.key] = counters
            return counters
        }
    }

    public func sent(_ queue: StoredQueue, sizes: [Int], deduplicated: Int) {
        let counters = counters(queue)
        if !sizes.isEmpty { counters.sent.increment(by: Int64(sizes.count)) }
        for size in sizes { counters.sizes.record(Double(size)) }
        if deduplicated > 0 { counters.deduplicated.increment(by: Int64(deduplicated)) }
    }

    public func received(_ queue: StoredQueue, count: Int) {
        let counters = counters(queue)
        if count == 0 { counters.emptyReceives.increment() } else { counters.received.increment(by: Int64(count)) }
    }

    public func deleted(_ queue: StoredQueue, count: Int) {
        counters(queue).deleted.increment(by: Int64(count))
    }

    public func queueDeleted(_ key: QueueKey) {
        queues.withLock { $0.removeValue(forKey: key) }?.unregister()
    }

    // MARK: CommitObserver

    public func committed(jobs: Int, duration: Duration) {
        commitDuration.record(duration)
        commitJobs.record(Double(jobs))
    }

    // MARK: Requests

    /// One answered request: its operation (or the endpoint), HTTP status and SQS error code.
    func request(operation: String, status: Int, error: String?, duration: Duration) {
        let key = "\(operation)\u{0}\(status)\u{0}\(error ?? "")"
        let counter = requests.withLock { map in
            if let counter = map[key] { return counter }
            let counter = registry.makeCounter(
                name: "wharf_requests_total",
                labels: [("operation", operation), ("code", String(status)), ("error", error ?? "")],
                help: "Requests answered, by operation, HTTP status and SQS error code.")
            map[key] = counter
            return counter
        }
        counter.increment()
        let histogram = latencies.withLock { map in
            if let histogram = map[operation] { return histogram }
            let histogram = registry.makeDurationHistogram(
                name: "wharf_request_duration_seconds", labels: [("operation", operation)], buckets: Self.latencyBuckets,
                help: "Time from a request's arrival to its answer (long polls included), by operation.")
            map[operation] = histogram
            return histogram
        }
        histogram.record(duration)
    }

    // MARK: Exposition

    /// What the node reports at scrape time besides its counters.
    struct Snapshot {
        var gauges: [(queue: StoredQueue, stats: QueueStats)]
        var nowMillis: Int64
        var parkedLongPolls: Int
        var connections: Int
        var diskFreeBytes: Int64?
    }

    func render(_ snapshot: Snapshot) -> [UInt8] {
        var text = registry.emitToBuffer()
        var out = GaugeWriter()
        let queueGauges: [(String, String, (QueueStats) -> Double?)] = [
            ("sqs_messages_visible", "Messages available for retrieval (CloudWatch ApproximateNumberOfMessagesVisible).",
             { Double($0.visible) }),
            ("sqs_messages_not_visible", "Messages in flight (CloudWatch ApproximateNumberOfMessagesNotVisible).",
             { Double($0.inFlight) }),
            ("sqs_messages_delayed", "Messages not yet visible because of a delay (CloudWatch ApproximateNumberOfMessagesDelayed).",
             { Double($0.delayed) }),
            ("sqs_oldest_message_age_seconds", "Age of the oldest message in the queue (CloudWatch ApproximateAgeOfOldestMessage).",
             { stats in stats.oldestSentAtMillis.map { Double(max(0, snapshot.nowMillis - $0)) / 1000 } ?? 0 }),
            ("sqs_groups_with_inflight_messages", "FIFO: message groups with a message in flight (CloudWatch ApproximateNumberOfGroupsWithInflightMessages).",
             { Double($0.groupsWithInFlight) }),
            ("sqs_noisy_groups", "Fair queues: message groups holding more than twice their share of the backlog (CloudWatch ApproximateNumberOfNoisyGroups).",
             { Double($0.noisyGroups) }),
        ]
        for (name, help, value) in queueGauges {
            out.header(name, help: help)
            for (queue, stats) in snapshot.gauges {
                if name == "sqs_groups_with_inflight_messages" && !queue.config.isFifo { continue }
                if let value = value(stats) {
                    out.sample(name, labels: [("queue", queue.key.name), ("account", queue.key.account),
                                              ("region", queue.key.region)], value: value)
                }
            }
        }
        out.header("sqs_gauges_age_seconds", help: "How old the queue gauges are (they are computed in the background).")
        let newest = snapshot.gauges.map(\.stats.computedAtMillis).max()
        out.sample("sqs_gauges_age_seconds", labels: [], value: newest.map { Double(snapshot.nowMillis - $0) / 1000 } ?? 0)
        out.header("wharf_long_polls_parked", help: "ReceiveMessage calls waiting on this node.")
        out.sample("wharf_long_polls_parked", labels: [], value: Double(snapshot.parkedLongPolls))
        out.header("wharf_connections_open", help: "HTTP connections open on this node.")
        out.sample("wharf_connections_open", labels: [], value: Double(snapshot.connections))
        if let free = snapshot.diskFreeBytes {
            out.header("wharf_disk_free_bytes", help: "Free space on the file system of the data directory.")
            out.sample("wharf_disk_free_bytes", labels: [], value: Double(free))
        }
        text += out.bytes
        return text
    }
}

/// Gauges in the text exposition format (`# HELP`, `# TYPE`, one line per series).
struct GaugeWriter {
    private(set) var bytes: [UInt8] = []

    mutating func header(_ name: String, help: String) {
        bytes += Array("# HELP \(name) \(help)\n# TYPE \(name) gauge\n".utf8)
    }

    mutating func sample(_ name: String, labels: [(String, String)], value: Double) {
        var line = name
        if !labels.isEmpty {
            line += "{" + labels.map { "\($0.0)=\"\(Self.escape($0.1))\"" }.joined(separator: ",") + "}"
        }
        let number = value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        line += " \(number)\n"
        bytes += Array(line.utf8)
    }

    /// Label values escape backslash, double quote and newline.
    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
