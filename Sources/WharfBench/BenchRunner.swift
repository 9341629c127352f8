import Foundation
import NIOCore
import NIOPosix
import SigV4
import SQSModel
import Synchronization

/// Knobs of a benchmark run.
public struct BenchOptions: Sendable {
    public var connections = 32
    public var durationSeconds = 10.0
    public var bodySize = 100
    /// Messages prefilled for `cycle`, and sent one by one for `longpoll`.
    public var messages = 100_000
    public var backlogSizes = [1_000, 1_000_000]
    public var healthPath = "/health"
    public var eventLoopThreads = 2
    /// `send`/`send-batch` into this queue (created if missing, kept afterwards) instead of a
    /// fresh one: e.g. a queue that consumers elsewhere wait on.
    public var queueName: String?
    public init() {}
}

/// The workloads of `wharf bench`. Each opens its own queue (deleted afterwards), drives it over
/// `connections` keep-alive connections and returns what it measured.
public final class BenchRunner: Sendable {
    public static let workloads = ["health", "send", "send-batch", "cycle", "mixed", "longpoll", "backlog", "fifo-backlog"]
    /// Not part of `all`: leaves a queue of `messages` messages behind (for memory measurements).
    public static let extraWorkloads = ["fill"]

    let target: BenchTarget
    let options: BenchOptions
    let group: MultiThreadedEventLoopGroup
    let progress: @Sendable (String) -> Void

    public init(target: BenchTarget, options: BenchOptions, progress: @escaping @Sendable (String) -> Void) {
        self.target = target
        self.options = options
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: options.eventLoopThreads)
        self.progress = progress
    }

    public func shutdown() async throws { try await group.shutdownGracefully() }

    public func run(_ workload: String) async throws -> [BenchResult] {
        switch workload {
        case "health": return [try await health()]
        case "send": return [try await send(batch: false)]
        case "send-batch": return [try await send(batch: true)]
        case "cycle": return [try await cycle()]
        case "mixed": return try await mixed()
        case "longpoll": return [try await longPoll()]
        case "backlog": return try await backlog()
        case "fifo-backlog": return try await fifoBacklog()
        case "fill": return [try await fill()]
        default:
            let known = (Self.workloads + Self.extraWorkloads).joined(separator: ", ")
            throw BenchError.setup("unknown workload \(workload); one of \(known)")
        }
    }

    // MARK: Workloads

    /// The cheapest request the server answers: the local ceiling for everything else.
    func health() async throws -> BenchResult {
        let request = BenchRequest(method: .GET, path: options.healthPath, headers: [], body: [])
        let (tally, seconds) = try await repeatRequest({ request }) { _ in 0 }
        return result("health", tally, seconds, note: "GET \(options.healthPath)")
    }

    func send(batch: Bool) async throws -> BenchResult {
        let queue = try await createQueue("send", named: options.queueName)
        let body = String(repeating: "x", count: options.bodySize)
        let make: @Sendable () -> BenchRequest = { [target] in
            batch ? target.call(SendMessageBatchRequest(QueueUrl: queue, Entries: (0..<10).map {
                SendMessageBatchRequestEntry(Id: "m\($0)", MessageBody: body)
            })) : target.call(SendMessageRequest(QueueUrl: queue, MessageBody: body))
        }
        let (tally, seconds) = try await repeatRequest(make) { batch ? Self.successfulEntries($0) : 1 }
        if options.queueName == nil { try? await deleteQueue(queue) }
        return result(batch ? "send-batch" : "send", tally, seconds,
                      note: batch ? "SendMessageBatch 10 x \(options.bodySize) B" : "SendMessage \(options.bodySize) B")
    }

    /// Drains a prefilled queue with receive (10) + delete-batch pairs.
    func cycle() async throws -> BenchResult {
        let queue = try await createQueue("cycle")
        try await prefill(queue, count: options.messages)
        let consumed = Counter()
        let total = options.messages
        // The last delete's time: workers still parked in a receive when the queue ran dry
        // must not stretch the measurement.
        let drainedAt = Mutex<ContinuousClock.Instant?>(nil)
        let started = ContinuousClock.now
        let (tally, elapsed) = try await timedWorkers(options.connections) { [self] _, connection, deadline in
            var tally = WorkerTally()
            while consumed.current < total && ContinuousClock.now < deadline {
                guard let count = try await receiveAndDelete(queue, &connection, &tally) else { break }
                if count > 0 && consumed.add(count) + count >= total {
                    drainedAt.withLock { $0 = $0 ?? ContinuousClock.now }
                }
            }
            return tally
        }
        let seconds = drainedAt.withLock { $0 }.map { Self.seconds(between: started, and: $0) } ?? elapsed
        try? await deleteQueue(queue)
        return result("cycle", tally, seconds,
                      note: "receive 10 + DeleteMessageBatch, \(total) prefilled; latency per request")
    }

    /// Producers and consumers at once, half the connections each.
    func mixed() async throws -> [BenchResult] {
        let queue = try await createQueue("mixed")
        let producers = max(1, options.connections / 2)
        let body = String(repeating: "x", count: options.bodySize)
        let make: @Sendable () -> BenchRequest = { [target] in
            target.call(SendMessageBatchRequest(QueueUrl: queue, Entries: (0..<10).map {
                SendMessageBatchRequestEntry(Id: "m\($0)", MessageBody: body)
            }))
        }
        let roles = Mutex<[Int: WorkerTally]>([:])
        let (_, seconds) = try await timedWorkers(producers * 2) { [self] index, connection, deadline in
            var tally = WorkerTally()
            if index < producers {
                var cache = SignedRequestCache(make)
                while ContinuousClock.now < deadline {
                    guard let response = try await Self.measure(&tally, { try await connection.send(cache.request()) })
                    else { break }
                    tally.messages += Self.successfulEntries(response)
                }
            } else {
                while ContinuousClock.now < deadline {
                    guard try await receiveAndDelete(queue, &connection, &tally) != nil else { break }
                }
            }
            roles.withLock { $0[index] = tally }
            return tally
        }
        try? await deleteQueue(queue)
        var sent = WorkerTally(), received = WorkerTally()
        for (index, tally) in roles.withLock({ $0 }) {
            if index < producers { sent.merge(tally) } else { received.merge(tally) }
        }
        return [result("mixed-send", sent, seconds, connections: producers, note: "batch send while consuming"),
                result("mixed-receive", received, seconds, connections: producers, note: "receive+delete while producing")]
    }

    /// Time from a send to its receipt by a consumer already parked in a long poll.
    func longPoll() async throws -> BenchResult {
        let queue = try await createQueue("longpoll")
        let consumers = max(1, min(options.connections, 8))
        let count = min(options.messages, 500)
        let received = Counter()
        let started = ContinuousClock.now
        let tally = try await withThrowingTaskGroup(of: WorkerTally.self) { group in
            for consumer in 0..<consumers {
                group.addTask { [self] in
                    // With several endpoints the consumers wait on the others, the sender uses the
                    // first: the latency is then a wake-up across nodes.
                    let endpoint = target.endpoints.count > 1
                        ? target.endpoints[1 + consumer % (target.endpoints.count - 1)] : target.endpoint(for: 0)
                    return try await BenchConnection.with(host: endpoint.host, port: endpoint.port,
                                                          hostHeader: target.hostHeader, group: self.group) { connection in
                        var tally = WorkerTally()
                        let poll = target.call(ReceiveMessageRequest(QueueUrl: queue, MaxNumberOfMessages: 10,
                                                                     WaitTimeSeconds: 2))
                        while received.current < count {
                            let response = try await connection.send(poll)
                            let now = DispatchTime.now().uptimeNanoseconds
                            let messages = (try decode(ReceiveMessageResponse.self, response)).Messages ?? []
                            for message in messages {
                                if let sentAt = UInt64(message.Body) { tally.latency.record(nanoseconds: now &- sentAt) }
                            }
                            if messages.isEmpty { continue }
                            tally.messages += messages.count
                            received.add(messages.count)
                            _ = try await connection.send(target.call(DeleteMessageBatchRequest(
                                QueueUrl: queue, Entries: messages.enumerated().map {
                                    DeleteMessageBatchRequestEntry(Id: "d\($0.offset)", ReceiptHandle: $0.element.ReceiptHandle)
                                })))
                        }
                        return tally
                    }
                }
            }
            group.addTask { [self] in
                // Give the consumers time to park, then send one message every 10 ms.
                try await Task.sleep(for: .milliseconds(300))
                return try await BenchConnection.with(host: target.host, port: target.port, group: self.group) { connection in
                    var tally = WorkerTally()
                    for _ in 0..<count {
                        let body = String(DispatchTime.now().uptimeNanoseconds)
                        let response = try await connection.send(target.call(SendMessageRequest(QueueUrl: queue, MessageBody: body)))
                        if response.status != 200 { tally.fail(BenchError.http(status: response.status, body: String(buffer: response.body))) }
                        tally.requests += 1
                        try await Task.sleep(for: .milliseconds(10))
                    }
                    return tally
                }
            }
            var total = WorkerTally()
            for try await tally in group { total.merge(tally) }
            return total
        }
        let seconds = Self.seconds(since: started)
        try? await deleteQueue(queue)
        let across = target.endpoints.count > 1 ? " (sent to the first endpoint, received on the others)" : ""
        return result("longpoll", tally, seconds, connections: consumers,
                      note: "\(count) sends 10 ms apart; latency = send to receipt by a parked consumer\(across)")
    }

    /// Batch-sends `messages` messages into a new queue and leaves it there.
    func fill() async throws -> BenchResult {
        let queue = try await createQueue("fill")
        let started = ContinuousClock.now
        try await prefill(queue, count: options.messages)
        var tally = WorkerTally()
        tally.messages = options.messages
        tally.requests = (options.messages + 9) / 10
        return result("fill", tally, Self.seconds(since: started), connections: min(options.connections, 16),
                      note: "queue \(queue) left in place")
    }

    /// Receive throughput over a standing backlog of each size: receives with VisibilityTimeout 0
    /// leave every message in the queue, so the backlog stays the same size while it is measured.
    func backlog() async throws -> [BenchResult] {
        var results: [BenchResult] = []
        for size in options.backlogSizes {
            let queue = try await createQueue("backlog")
            try await prefill(queue, count: size)
            let make: @Sendable () -> BenchRequest = { [target] in
                target.call(ReceiveMessageRequest(QueueUrl: queue, MaxNumberOfMessages: 10, VisibilityTimeout: 0))
            }
            let (tally, seconds) = try await repeatRequest(make) {
                (try? decode(ReceiveMessageResponse.self, $0))?.Messages?.count ?? 0
            }
            results.append(result("backlog-\(size)", tally, seconds,
                                  note: "receive 10 with VisibilityTimeout 0 over \(size) waiting messages"))
            try? await deleteQueue(queue)
        }
        return results
    }
}
