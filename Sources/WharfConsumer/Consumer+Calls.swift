import Foundation
import WharfClient

/// The consumer's own SQS calls besides receiving: deletes, visibility changes, the heartbeat.
/// A failure of any of them is reported per message with SQS's code, since each one means the
/// message comes back sooner or later than the policy intended.
extension Consumer {
    func delete(_ entries: [DeleteEntry], queueURL: String) async {
        let failures: [(DeleteEntry, code: String?, reason: String)]
        do {
            let failed = try await transport.deleteBatch(queueURL: queueURL, entries: entries)
            let byId = Dictionary(failed.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            failures = entries.compactMap { entry in byId[entry.id].map { (entry, $0.code, $0.message) } }
        } catch {
            let error = TransportError.classify(error)
            failures = entries.map { ($0, error.code, error.message) }
        }
        state.count {
            $0.deleted += entries.count - failures.count
            $0.deleteErrors += failures.count
        }
        for (entry, code, reason) in failures {
            reporter.report(.acknowledgementFailed(AcknowledgementFailure(operation: .delete, message: entry.message,
                                                                          code: code, reason: reason)))
        }
    }

    /// ChangeMessageVisibilityBatch in chunks of 10; counts releases (or heartbeats).
    func changeVisibility(_ changes: [(SQSMessage, Int)], queueURL: String, heartbeat: Bool = false) async {
        var index = 0
        while index < changes.count {
            let chunk = Array(changes[index..<min(index + 10, changes.count)])
            index += 10
            let entries = chunk.enumerated().map { offset, change in
                VisibilityEntry(id: "v\(offset)", receiptHandle: change.0.receiptHandle, timeout: change.1)
            }
            var failures: [(SQSMessage, code: String?, reason: String)] = []
            do {
                let failed = try await transport.changeVisibilityBatch(queueURL: queueURL, entries: entries)
                let byId = Dictionary(failed.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
                for (entry, change) in zip(entries, chunk) {
                    if let failure = byId[entry.id] { failures.append((change.0, failure.code, failure.message)) }
                }
            } catch {
                let error = TransportError.classify(error)
                failures = chunk.map { ($0.0, error.code, error.message) }
            }
            let succeeded = entries.count - failures.count
            state.count { heartbeat ? ($0.heartbeats += succeeded) : ($0.released += succeeded) }
            for (message, code, reason) in failures {
                let ref = MessageReference(queueURL: queueURL, messageId: message.id, receiveCount: message.receiveCountOrOne)
                reporter.report(.acknowledgementFailed(AcknowledgementFailure(
                    operation: heartbeat ? .heartbeat : .changeVisibility, message: ref, code: code, reason: reason)))
            }
        }
    }

    func heartbeatLoop(queue: QueueInfo, interval: Duration, extendTo: Int) async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { return }
            let due = state.inFlight(olderThan: interval)
            if !due.isEmpty {
                await changeVisibility(due.map { ($0, extendTo) }, queueURL: queue.url, heartbeat: true)
            }
        }
    }
}
