import Foundation
import SQSModel

// `fifo-backlog`: what a FIFO receive costs while a large backlog waits behind a group whose
// head is in flight. A store that looks for receivable messages among all messages in order
// pays for every blocked one; one that steps over a blocked group pays once.
extension BenchRunner {
    /// For each backlog size: a FIFO queue whose group "blocked" has its head in flight and
    /// `size` messages behind it, and one more group with a message; workers receive that
    /// message over and over (VisibilityTimeout 0 leaves it receivable).
    func fifoBacklog() async throws -> [BenchResult] {
        var results: [BenchResult] = []
        for size in options.backlogSizes {
            let queue = try await createQueue("fifo-backlog", fifo: true)
            try await sendFifo(queue, group: "blocked", bodies: ["head"], dedupPrefix: "head")
            let head = try await callOnce(target.call(ReceiveMessageRequest(QueueUrl: queue, VisibilityTimeout: 3600)))
            guard (try decode(ReceiveMessageResponse.self, head).Messages ?? []).count == 1 else {
                throw BenchError.setup("fifo-backlog: the head of the blocked group was not received")
            }
            try await prefillFifo(queue, group: "blocked", count: size)
            try await sendFifo(queue, group: "free", bodies: ["free"], dedupPrefix: "free")
            let make: @Sendable () -> BenchRequest = { [target] in
                target.call(ReceiveMessageRequest(QueueUrl: queue, MaxNumberOfMessages: 10, VisibilityTimeout: 0))
            }
            let (tally, seconds) = try await repeatRequest(make) {
                (try? decode(ReceiveMessageResponse.self, $0))?.Messages?.count ?? 0
            }
            results.append(result("fifo-backlog-\(size)", tally, seconds,
                                  note: "FIFO receive of another group's message, \(size) waiting behind an in-flight head"))
            try? await deleteQueue(queue)
        }
        return results
    }

    private func callOnce(_ request: BenchRequest) async throws -> BenchResponse {
        try await BenchConnection.with(host: target.host, port: target.port, group: group) { connection in
            try await connection.send(request)
        }
    }

    private func sendFifo(_ queue: String, group: String, bodies: [String], dedupPrefix: String) async throws {
        let request = target.call(SendMessageBatchRequest(QueueUrl: queue, Entries: bodies.enumerated().map {
            SendMessageBatchRequestEntry(Id: "m\($0.offset)", MessageBody: $0.element,
                                         MessageDeduplicationId: "\(dedupPrefix)-\($0.offset)", MessageGroupId: group)
        }))
        let response = try await callOnce(request)
        guard response.status == 200 else { throw BenchError.http(status: response.status, body: String(buffer: response.body)) }
    }

    /// `count` messages into one FIFO group, in batches of 10 with distinct deduplication ids.
    /// One connection: a group's messages are ordered, so parallel senders would only queue.
    private func prefillFifo(_ queue: String, group: String, count: Int) async throws {
        let started = ContinuousClock.now
        let body = String(repeating: "x", count: options.bodySize)
        try await BenchConnection.with(host: target.host, port: target.port, group: self.group) { connection in
            var sent = 0
            while sent < count {
                let batch = min(10, count - sent)
                let request = target.call(SendMessageBatchRequest(QueueUrl: queue, Entries: (0..<batch).map {
                    SendMessageBatchRequestEntry(Id: "m\($0)", MessageBody: body,
                                                 MessageDeduplicationId: "b-\(sent + $0)", MessageGroupId: group)
                }))
                let response = try await connection.send(request)
                guard response.status == 200 else {
                    throw BenchError.http(status: response.status, body: String(buffer: response.body))
                }
                sent += batch
                if sent % 100_000 == 0 { progress("  prefilled \(sent) FIFO messages") }
            }
        }
        progress("  prefilled \(count) FIFO messages in \(String(format: "%.1f", Self.seconds(since: started))) s")
    }
}
