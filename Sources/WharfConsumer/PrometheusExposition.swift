import Foundation

/// The consumer's counters and handler latency in Prometheus's text exposition format
/// (version 0.0.4), for `wharf listen --metrics-port` and for programs that serve their own
/// `/metrics`. Written by hand: a dozen series need no metrics library.
public enum PrometheusExposition {
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public static func render(counters: ConsumerCounters, latency: LatencyHistogram, queue: String) -> String {
        let label = "queue=\"\(escape(queue))\""
        var out = ""
        func series(_ name: String, _ type: String, _ help: String, _ value: Int) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name){\(label)} \(value)\n"
        }
        series("wharf_consumer_messages_received_total", "counter", "Messages received.", counters.received)
        series("wharf_consumer_messages_processed_total", "counter", "Messages whose handler succeeded.", counters.processed)
        series("wharf_consumer_messages_failed_total", "counter",
               "Messages whose handler failed or timed out, or whose expression failed.", counters.failed)
        series("wharf_consumer_messages_unmatched_total", "counter",
               "Messages whose activation condition was not true.", counters.unmatched)
        series("wharf_consumer_messages_deleted_total", "counter", "Messages deleted (acknowledged).", counters.deleted)
        series("wharf_consumer_messages_released_total", "counter", "Visibility changes of failed or released messages.", counters.released)
        series("wharf_consumer_empty_polls_total", "counter", "Receives that returned no message.", counters.emptyPolls)
        series("wharf_consumer_poll_errors_total", "counter", "Receives that failed.", counters.pollErrors)
        series("wharf_consumer_delete_errors_total", "counter", "Delete entries that failed.", counters.deleteErrors)
        series("wharf_consumer_heartbeats_total", "counter", "Visibility extensions sent by the heartbeat.", counters.heartbeats)
        series("wharf_consumer_messages_in_flight", "gauge", "Messages received and not finished.", counters.inFlight)
        let name = "wharf_consumer_handler_duration_seconds"
        out += "# HELP \(name) Time the handler took, per message (or per batch in batch mode).\n# TYPE \(name) histogram\n"
        let cumulative = latency.cumulativeCounts
        for (bound, count) in zip(latency.bounds.map(number) + ["+Inf"], cumulative) {
            out += "\(name)_bucket{\(label),le=\"\(bound)\"} \(count)\n"
        }
        out += "\(name)_sum{\(label)} \(number(latency.sum))\n\(name)_count{\(label)} \(latency.count)\n"
        return out
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// Label values escape backslash, quote and newline.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
