import Foundation
import NIOCore
import SQSModel
import Synchronization

// The machinery the workloads share: workers on their own connections, timing, queue setup.
extension BenchRunner {
    typealias Worker = @Sendable (_ index: Int, _ connection: inout BenchConnection,
                                  _ deadline: ContinuousClock.Instant) async throws -> WorkerTally

    /// Runs `count` workers for the configured duration; returns their merged tally and the
    /// wall time from start until the last worker finished.
    func timedWorkers(_ count: Int, _ worker: @escaping Worker) async throws -> (WorkerTally, Double) {
        let started = ContinuousClock.now
        let deadline = started + .milliseconds(Int(options.durationSeconds * 1000))
        let tally = try await withThrowingTaskGroup(of: WorkerTally.self) { group in
            for index in 0..<count {
                group.addTask { [self] in
                    let endpoint = target.endpoint(for: index)
                    return try await BenchConnection.with(host: endpoint.host, port: endpoint.port,
                                                          hostHeader: target.hostHeader, group: self.group) { connection in
                        try await worker(index, &connection, deadline)
                    }
                }
            }
            var total = WorkerTally()
            for try await tally in group { total.merge(tally) }
            return total
        }
        return (tally, Self.seconds(since: started))
    }

    /// Every worker sends the same (re-signed each second) request until the deadline;
    /// `messages` counts what each response carried.
    func repeatRequest(_ make: @escaping @Sendable () -> BenchRequest,
                       messages: @escaping @Sendable (BenchResponse) -> Int) async throws -> (WorkerTally, Double) {
        try await timedWorkers(options.connections) { _, connection, deadline in
            var tally = WorkerTally()
            var cache = SignedRequestCache(make)
            while ContinuousClock.now < deadline {
                guard let response = try await Self.measure(&tally, { try await connection.send(cache.request()) })
                else { break }
                tally.messages += messages(response)
            }
            return tally
        }
    }

    /// Sends one request and records its latency; a non-200 counts as an error. Returns nil when
    /// the connection failed (the worker stops).
    static func measure(_ tally: inout WorkerTally,
                        _ send: () async throws -> BenchResponse) async throws -> BenchResponse? {
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            let response = try await send()
            tally.latency.record(nanoseconds: DispatchTime.now().uptimeNanoseconds &- start)
            tally.requests += 1
            if response.status != 200 {
                tally.fail(BenchError.http(status: response.status, body: String(buffer: response.body)))
            }
            return response
        } catch {
            tally.fail(error)
            return nil
        }
    }

    /// Entries that succeeded in a SendMessageBatch response. Decoding is skipped in the usual
    /// case (nothing failed) to keep the load generator's CPU for load.
    static func successfulEntries(_ response: BenchResponse) -> Int {
        guard response.status == 200 else { return 0 }
        if !contains(response.body, failedEntry) { return 10 }
        return (try? decode(SendMessageBatchResponse.self, response))?.Successful.count ?? 0
    }

    private static let failedEntry = Array(#""Failed":[{"#.utf8)

    /// A plain byte search: the generic `Collection.firstRange(of:)` took most of the load
    /// generator's CPU in a profile (metadata lookups per element).
    static func contains(_ buffer: ByteBuffer, _ needle: [UInt8]) -> Bool {
        buffer.withUnsafeReadableBytes { haystack in
            guard let first = needle.first, haystack.count >= needle.count else { return false }
            var index = 0
            while index <= haystack.count - needle.count {
                if haystack[index] == first {
                    var matched = 1
                    while matched < needle.count && haystack[index + matched] == needle[matched] { matched += 1 }
                    if matched == needle.count { return true }
                }
                index += 1
            }
            return false
        }
    }

    /// One receive of up to 10 and a DeleteMessageBatch of what came back; the number of
    /// messages, or nil when the connection failed.
    func receiveAndDelete(_ queue: String, _ connection: inout BenchConnection,
                          _ tally: inout WorkerTally) async throws -> Int? {
        let poll = target.call(ReceiveMessageRequest(QueueUrl: queue, MaxNumberOfMessages: 10, WaitTimeSeconds: 1))
        guard let response = try await Self.measure(&tally, { try await connection.send(poll) }) else { return nil }
        let messages = (try? decode(ReceiveMessageResponse.self, response))?.Messages ?? []
        if messages.isEmpty { return 0 }
        let delete = target.call(DeleteMessageBatchRequest(QueueUrl: queue, Entries: messages.enumerated().map {
            DeleteMessageBatchRequestEntry(Id: "d\($0.offset)", ReceiptHandle: $0.element.ReceiptHandle)
        }))
        guard try await Self.measure(&tally, { try await connection.send(delete) }) != nil else { return nil }
        tally.messages += messages.count
        return messages.count
    }

    /// Fills a queue with `count` messages by batch sends over all connections.
    func prefill(_ queue: String, count: Int) async throws {
        let batches = (count + 9) / 10
        let next = Counter()
        let body = String(repeating: "x", count: options.bodySize)
        let started = ContinuousClock.now
        let make: @Sendable () -> BenchRequest = { [target] in
            target.call(SendMessageBatchRequest(QueueUrl: queue, Entries: (0..<10).map {
                SendMessageBatchRequestEntry(Id: "m\($0)", MessageBody: body)
            }))
        }
        let progress = progress
        let (tally, _) = try await timedWorkers(min(options.connections, 16)) { _, connection, _ in
            var tally = WorkerTally()
            var cache = SignedRequestCache(make)
            while true {
                let index = next.add(1)
                if index >= batches { break }
                let response = try await connection.send(cache.request())
                guard response.status == 200 else {
                    throw BenchError.http(status: response.status, body: String(buffer: response.body))
                }
                tally.messages += 10
                if index > 0 && index % 20_000 == 0 { progress("  prefilled \(index * 10) messages") }
            }
            return tally
        }
        progress("  prefilled \(tally.messages) messages in \(String(format: "%.1f", Self.seconds(since: started))) s")
    }

    func createQueue(_ workload: String, fifo: Bool = false, named: String? = nil) async throws -> String {
        let name = named ?? "wharf-bench-\(workload)-\(UInt32.random(in: 0...UInt32.max))" + (fifo ? ".fifo" : "")
        let request = target.call(CreateQueueRequest(QueueName: name, Attributes: fifo ? ["FifoQueue": "true"] : nil))
        return try await BenchConnection.with(host: target.host, port: target.port, group: group) { connection in
            try decode(CreateQueueResponse.self, try await connection.send(request)).QueueUrl
        }
    }

    func deleteQueue(_ url: String) async throws {
        let request = target.call(DeleteQueueRequest(QueueUrl: url))
        _ = try await BenchConnection.with(host: target.host, port: target.port, group: group) { connection in
            try await connection.send(request).status
        }
    }

    func result(_ workload: String, _ tally: WorkerTally, _ seconds: Double, connections: Int? = nil,
                note: String) -> BenchResult {
        BenchResult(workload: workload, connections: connections ?? options.connections, seconds: seconds,
                    requests: tally.requests, messages: tally.messages, errors: tally.errors, latency: tally.latency,
                    note: note, firstError: tally.firstError)
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        seconds(between: start, and: .now)
    }

    static func seconds(between start: ContinuousClock.Instant, and end: ContinuousClock.Instant) -> Double {
        let elapsed = end - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

/// A shared counter for workers on different tasks.
final class Counter: Sendable {
    private let value = Atomic<Int>(0)
    /// Adds and returns the value before the addition.
    @discardableResult
    func add(_ amount: Int) -> Int { value.add(amount, ordering: .relaxed).oldValue }
    var current: Int { value.load(ordering: .relaxed) }
}
