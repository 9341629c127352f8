import Logging
import SQSModel
import WharfEngine

/// Makes the declared queues exist, as they are declared: creates the missing ones (dead-letter
/// queues first, whatever the order of the file), and sets the attributes and tags that differ
/// on the others. Never deletes or purges a queue, never removes an attribute or a tag the file
/// does not mention: messages and other settings survive. Safe to run on several nodes at once
/// (creation is idempotent, updates are versioned in the store).
public struct QueueDeclarations: Sendable {
    public var queues: [QueueDeclaration]
    public var defaultAccount: String
    public var defaultRegion: String

    public init(_ queues: [QueueDeclaration], defaultAccount: String, defaultRegion: String) {
        self.queues = queues; self.defaultAccount = defaultAccount; self.defaultRegion = defaultRegion
    }

    public struct Report: Sendable, Equatable, CustomStringConvertible {
        public var created: [String] = []
        public var updated: [String] = []
        public var unchanged = 0
        public init(created: [String] = [], updated: [String] = [], unchanged: Int = 0) {
            self.created = created; self.updated = updated; self.unchanged = unchanged
        }
        public var description: String {
            "\(created.count) created\(created.isEmpty ? "" : " (\(created.joined(separator: ", ")))"), "
                + "\(updated.count) updated\(updated.isEmpty ? "" : " (\(updated.joined(separator: ", ")))"), \(unchanged) unchanged"
        }
    }

    /// The attributes a declaration asks for, RedrivePolicy and Policy included.
    func attributes(of queue: QueueDeclaration) -> [String: String] {
        var attributes = queue.attributes
        let account = queue.account ?? defaultAccount, region = queue.region ?? defaultRegion
        if let deadLetter = queue.deadLetter {
            attributes["RedrivePolicy"] = #"{"deadLetterTargetArn":"arn:aws:sqs:\#(region):\#(account):\#(deadLetter.queue)","maxReceiveCount":\#(deadLetter.maxReceiveCount)}"#
        }
        if let policy = queue.policy { attributes["Policy"] = policy }
        if queue.name.hasSuffix(".fifo") && attributes["FifoQueue"] == nil { attributes["FifoQueue"] = "true" }
        return attributes
    }

    /// Checks every declaration as CreateQueue would, before anything is applied.
    public func validate(path: String) throws(ConfigError) {
        for queue in queues {
            do {
                _ = try SQSEngine.validateCreation(name: queue.name, attributes: attributes(of: queue), tags: queue.tags)
            } catch {
                throw ConfigError(path: path, line: queue.line, reason: "queue \(queue.name): \(error.message)")
            }
        }
    }

    /// Dead-letter queues before the queues that name them.
    func ordered() -> [QueueDeclaration] {
        var done = Set<String>(), result: [QueueDeclaration] = []
        func key(_ q: QueueDeclaration, _ name: String? = nil) -> String {
            "\(q.account ?? defaultAccount)/\(q.region ?? defaultRegion)/\(name ?? q.name)"
        }
        let byKey = Dictionary(queues.map { (key($0), $0) }) { a, _ in a }
        func visit(_ queue: QueueDeclaration, _ path: Set<String>) {
            let k = key(queue)
            guard !done.contains(k), !path.contains(k) else { return }
            if let dl = queue.deadLetter, let target = byKey[key(queue, dl.queue)] { visit(target, path.union([k])) }
            done.insert(k)
            result.append(queue)
        }
        for queue in queues { visit(queue, []) }
        return result
    }

    public func apply(to engine: SQSEngine, logger: Logger) async throws(SQSError) -> Report {
        var report = Report()
        for queue in ordered() {
            let account = queue.account ?? defaultAccount, region = queue.region ?? defaultRegion
            let ctx = CallContext(accountId: account, region: region, endpoint: "http://wharf.config", senderId: account)
            let wanted = attributes(of: queue)
            let url: String
            do {
                url = try await engine.getQueueUrl(GetQueueUrlRequest(QueueName: queue.name), ctx).QueueUrl
            } catch where error.code == .queueDoesNotExist {
                _ = try await engine.createQueue(CreateQueueRequest(QueueName: queue.name, Attributes: wanted,
                                                                    tags: queue.tags.isEmpty ? nil : queue.tags), ctx)
                report.created.append(queue.name)
                continue
            }
            let current = try await engine.getQueueAttributes(GetQueueAttributesRequest(QueueUrl: url, AttributeNames: ["All"]), ctx)
                .Attributes ?? [:]
            var changes = wanted.filter { current[$0.key] != $0.value }
            changes["FifoQueue"] = nil   // a queue's type is fixed at creation
            let tags = try await engine.listQueueTags(ListQueueTagsRequest(QueueUrl: url), ctx).Tags ?? [:]
            let newTags = queue.tags.filter { tags[$0.key] != $0.value }
            if !changes.isEmpty {
                _ = try await engine.setQueueAttributes(SetQueueAttributesRequest(QueueUrl: url, Attributes: changes), ctx)
            }
            if !newTags.isEmpty { _ = try await engine.tagQueue(TagQueueRequest(QueueUrl: url, Tags: newTags), ctx) }
            if changes.isEmpty && newTags.isEmpty {
                report.unchanged += 1
            } else {
                report.updated.append(queue.name)
                logger.info("declared queue \(queue.name) updated: \(changes.keys.sorted() + newTags.keys.sorted().map { "tag \($0)" })")
            }
        }
        return report
    }
}
