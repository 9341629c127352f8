import Foundation

/// What one workload measured.
public struct BenchResult: Codable, Sendable {
    public var workload: String
    public var connections: Int
    public var seconds: Double
    public var requests: Int
    public var messages: Int
    public var errors: Int
    public var requestsPerSecond: Double
    public var messagesPerSecond: Double
    public var p50Millis: Double
    public var p99Millis: Double
    public var p999Millis: Double
    /// What the latency figures measure and anything specific to the workload.
    public var note: String
    public var firstError: String?

    init(workload: String, connections: Int, seconds: Double, requests: Int, messages: Int, errors: Int,
         latency: LatencyRecorder, note: String, firstError: String?) {
        self.workload = workload
        self.connections = connections
        self.seconds = seconds
        self.requests = requests
        self.messages = messages
        self.errors = errors
        requestsPerSecond = seconds > 0 ? Double(requests) / seconds : 0
        messagesPerSecond = seconds > 0 ? Double(messages) / seconds : 0
        let p = latency.percentiles([50, 99, 99.9])
        (p50Millis, p99Millis, p999Millis) = (p[0], p[1], p[2])
        self.note = note
        self.firstError = firstError
    }

    /// One aligned line for a terminal.
    public var line: String {
        func f(_ value: Double, _ digits: Int = 0) -> String {
            let scale = pow(10, Double(digits))
            let rounded = (value * scale).rounded() / scale
            return digits == 0 ? String(Int(rounded)) : String(rounded)
        }
        var text = "\(workload.padding(toLength: 22, withPad: " ", startingAt: 0)) conns=\(connections) "
        text += "time=\(f(seconds, 1))s msgs/s=\(f(messagesPerSecond)) req/s=\(f(requestsPerSecond)) "
        text += "p50=\(f(p50Millis, 2))ms p99=\(f(p99Millis, 2))ms p99.9=\(f(p999Millis, 2))ms errors=\(errors)"
        if !note.isEmpty { text += "  (\(note))" }
        if let firstError { text += "\n    first error: \(firstError)" }
        return text
    }
}

/// Counts of one worker, merged at the end.
struct WorkerTally: Sendable {
    var requests = 0
    var messages = 0
    var errors = 0
    var latency = LatencyRecorder()
    var firstError: String?

    mutating func merge(_ other: WorkerTally) {
        requests += other.requests
        messages += other.messages
        errors += other.errors
        latency.merge(other.latency)
        firstError = firstError ?? other.firstError
    }

    mutating func fail(_ error: any Error) {
        errors += 1
        if firstError == nil { firstError = "\(error)" }
    }
}
