import Prometheus
import WharfEngine

/// The CloudWatch SQS metrics that count events, per queue, as Prometheus series labelled by
/// queue, account and region. Made once per queue (on its first event) and kept until the
/// queue is deleted.
final class QueueCounters: Sendable {
    let sent: Counter
    let received: Counter
    let deleted: Counter
    let emptyReceives: Counter
    let deduplicated: Counter
    let sizes: ValueHistogram
    private let registry: PrometheusCollectorRegistry

    /// Bytes, by the SQS rule (body plus attribute names, types and values), up to 1 MiB.
    static let sizeBuckets: [Double] = [256, 1_024, 4_096, 16_384, 65_536, 262_144, 1_048_576]

    init(_ key: QueueKey, registry: PrometheusCollectorRegistry) {
        self.registry = registry
        let labels = [("queue", key.name), ("account", key.account), ("region", key.region)]
        sent = registry.makeCounter(name: "sqs_messages_sent_total", labels: labels,
                                    help: "Messages added to the queue (CloudWatch NumberOfMessagesSent).")
        received = registry.makeCounter(name: "sqs_messages_received_total", labels: labels,
                                        help: "Messages returned by ReceiveMessage (CloudWatch NumberOfMessagesReceived).")
        deleted = registry.makeCounter(name: "sqs_messages_deleted_total", labels: labels,
                                       help: "Messages deleted (CloudWatch NumberOfMessagesDeleted).")
        emptyReceives = registry.makeCounter(name: "sqs_empty_receives_total", labels: labels,
                                             help: "ReceiveMessage calls that returned no message (CloudWatch NumberOfEmptyReceives).")
        deduplicated = registry.makeCounter(name: "sqs_deduplicated_sent_messages_total", labels: labels,
                                            help: "FIFO sends dropped as duplicates (CloudWatch NumberOfDeduplicatedSentMessages).")
        sizes = registry.makeValueHistogram(name: "sqs_sent_message_size_bytes", labels: labels, buckets: Self.sizeBuckets,
                                            help: "Size of the messages added (CloudWatch SentMessageSize).")
    }

    func unregister() {
        for counter in [sent, received, deleted, emptyReceives, deduplicated] { registry.unregisterCounter(counter) }
        registry.unregisterValueHistogram(sizes)
    }
}
