import Foundation
import SQSModel

// Queue management: create, look up, list, attributes, tags, purge, delete.
extension SQSEngine {
    public func createQueue(_ request: CreateQueueRequest, _ ctx: CallContext) async throws(SQSError) -> CreateQueueResponse {
        let name = request.QueueName
        let (fifo, attributes, tags) = try Self.validateCreation(name: name, attributes: request.Attributes ?? [:],
                                                                 tags: request.tags ?? [:])
        let key = QueueKey(account: ctx.accountId, region: ctx.region, name: name)
        try await checkRedriveTarget(attributes, source: key, fifo: fifo)

        let queue = try await createOrReuse(key, attributes: QueueAttributeRules.merge(attributes, into: [:]),
                                            given: attributes, tags: tags)
        return CreateQueueResponse(QueueUrl: ctx.queueURL(queue.key))
    }

    /// The existing queue if every attribute given equals its current value (CreateQueue is
    /// idempotent, docs/sqs-behaviour.md#createqueue-idempotency), else a new one. The store
    /// decides races: when another node creates the same queue first, its queue is compared like
    /// any existing one.
    private func createOrReuse(_ key: QueueKey, attributes: [String: String], given: [String: String],
                               tags: [String: String]) async throws(SQSError) -> StoredQueue {
        while true {
            if let existing = try await storage({ try await store.queue(key) }) {
                let current = existing.config
                for attribute in given.keys.sorted() where current.value(attribute) != given[attribute] {
                    if given[attribute] == "" && current.value(attribute) == nil { continue }
                    throw SQSError.queueNameExists(attribute: attribute)
                }
                return existing
            }
            // An existing queue is answered whatever the disk: only a new one grows the store.
            try admitGrowingWrite()
            let now = clock.nowMillis()
            if let deleted = try await storage({ try await store.lastDeletion(of: key) }), now - deleted < Self.cooldownMillis {
                throw SQSError.queueDeletedRecently()
            }
            let created: StoredQueue? = try await storage {
                do {
                    return try await store.createQueue(key: key, attributes: attributes, tags: tags, nowMillis: now)
                } catch StoreError.queueExists {
                    return nil
                }
            }
            if let created {
                catalog.put(created, for: key, nowMillis: now)
                announce(key)
                return created
            }
        }
    }

    public func getQueueUrl(_ request: GetQueueUrlRequest, _ ctx: CallContext) async throws(SQSError) -> GetQueueUrlResponse {
        let account = request.QueueOwnerAWSAccountId ?? ctx.accountId
        let key = QueueKey(account: account, region: ctx.region, name: request.QueueName)
        guard let queue = try await freshQueue(key) else { throw .queueDoesNotExist() }
        try authorize(queue, ctx, .getQueueUrl)
        return GetQueueUrlResponse(QueueUrl: ctx.queueURL(queue.key))
    }

    public func listQueues(_ request: ListQueuesRequest, _ ctx: CallContext) async throws(SQSError) -> ListQueuesResponse {
        if let max = request.MaxResults, !(1...1000).contains(max) {
            throw .invalidParameterValue(value: String(max), parameter: "MaxResults",
                                         reason: "MaxResults must be an integer between 1 and 1000.")
        }
        var after: String?
        if let token = request.NextToken {
            guard let data = Data(base64Encoded: token), let name = String(data: data, encoding: .utf8) else {
                throw .invalidParameterValue(value: token, parameter: "NextToken", reason: "Invalid NextToken.")
            }
            after = name
        }
        let prefix = request.QueueNamePrefix ?? ""
        let names = try await storage { try await store.loadQueues() }
            .filter { $0.key.account == ctx.accountId && $0.key.region == ctx.region && $0.key.name.hasPrefix(prefix) }
            .map(\.key.name)
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            .filter { name in after.map { $0.utf8.lexicographicallyPrecedes(name.utf8) } ?? true }
        let limit = request.MaxResults ?? 1000
        let page = names.prefix(limit)
        let urls = page.map { ctx.queueURL(QueueKey(account: ctx.accountId, region: ctx.region, name: $0)) }
        // A NextToken only when the caller asked for pages and more remain (docs/sqs-behaviour.md#pagination).
        let next = request.MaxResults != nil && names.count > limit
            ? Data(page.last!.utf8).base64EncodedString() : nil
        return ListQueuesResponse(QueueUrls: urls.isEmpty ? nil : urls, NextToken: next)
    }

    public func getQueueAttributes(_ request: GetQueueAttributesRequest, _ ctx: CallContext) async throws(SQSError) -> GetQueueAttributesResponse {
        let queue = try await resolveQueue(request.QueueUrl, ctx, for: .getQueueAttributes)
        let names = request.AttributeNames ?? []
        for name in names where !QueueAttributeRules.readableNames.contains(name)
            && !QueueAttributeRules.wharfExtensionNames.contains(name) {
            throw .unknownAttribute(name)
        }
        if names.isEmpty { return GetQueueAttributesResponse(Attributes: nil) }
        let wanted = Set(names)
        let all = wanted.contains("All")
        var result: [String: String] = [:]
        for (name, value) in queue.config.effectiveDefaults.merging(queue.attributes, uniquingKeysWith: { $1 })
        where all || wanted.contains(name) {
            result[name] = value
        }
        func add(_ name: String, _ value: @autoclosure () -> String) {
            if all || wanted.contains(name) { result[name] = value() }
        }
        add("QueueArn", queue.key.arn)
        add("CreatedTimestamp", String(queue.createdAtMillis / 1000))
        add("LastModifiedTimestamp", String(queue.modifiedAtMillis / 1000))
        let countNames = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                          "ApproximateNumberOfMessagesDelayed"]
        if all || countNames.contains(where: wanted.contains) {
            let now = clock.nowMillis()
            let counts = try await storage { try await store.counts(queueId: queue.id, nowMillis: now) }
            add("ApproximateNumberOfMessages", String(counts.visible))
            add("ApproximateNumberOfMessagesNotVisible", String(counts.inFlight))
            add("ApproximateNumberOfMessagesDelayed", String(counts.delayed))
        }
        if !wanted.isDisjoint(with: QueueAttributeRules.wharfExtensionNames) {
            result.merge(try await wharfAttributes(queue, wanted: wanted)) { $1 }
        }
        return GetQueueAttributesResponse(Attributes: result.isEmpty ? nil : result)
    }

    /// The extension attributes asked for by name: the store's totals plus what this node has
    /// counted and not flushed yet (so that a client sees its own sends at once through the node
    /// it used).
    private func wharfAttributes(_ queue: StoredQueue, wanted: Set<String>) async throws(SQSError) -> [String: String] {
        let stored = try await storage { try await store.activity(queueId: queue.id) }
        let totals = stored.totals + activity.unflushed(queue.id)
        var result: [String: String] = [:]
        if wanted.contains(QueueAttributeRules.wharfSent) { result[QueueAttributeRules.wharfSent] = String(totals.sent) }
        if wanted.contains(QueueAttributeRules.wharfReceived) {
            result[QueueAttributeRules.wharfReceived] = String(totals.received)
        }
        if wanted.contains(QueueAttributeRules.wharfOldestAge) {
            let age = stored.oldestSentAtMillis.map { max(0, clock.nowMillis() - $0) / 1000 } ?? 0
            result[QueueAttributeRules.wharfOldestAge] = String(age)
        }
        return result
    }

    public func setQueueAttributes(_ request: SetQueueAttributesRequest, _ ctx: CallContext) async throws(SQSError) -> EmptyResponse {
        let current = try await resolveQueue(request.QueueUrl, ctx, for: .setQueueAttributes)
        try admitGrowingWrite()
        let key = current.key, fifo = current.config.isFifo
        let changes = try QueueAttributeRules.validate(request.Attributes, fifo: fifo, creating: false)
        try await checkRedriveTarget(changes, source: key, fifo: fifo)
        let now = clock.nowMillis()
        let queue = try await modifyQueue(key) { queue in
            let merged = QueueAttributeRules.merge(changes, into: queue.attributes)
            try QueueAttributeRules.validateCombination(queue.config.effectiveDefaults.merging(merged) { $1 })
            queue.attributes = merged
            queue.modifiedAtMillis = now
        }
        // A shorter visibility or delay may make messages visible sooner: re-arm long polls.
        wake(queue.id)
        return EmptyResponse()
    }

    public func tagQueue(_ request: TagQueueRequest, _ ctx: CallContext) async throws(SQSError) -> EmptyResponse {
        let key = try await resolveQueue(request.QueueUrl, ctx, for: .tagQueue).key
        try admitGrowingWrite()
        try TagRules.validate(request.Tags)
        try await modifyQueue(key) { queue in
            queue.tags.merge(request.Tags) { $1 }
            if queue.tags.count > TagRules.maxTags {
                throw SQSError.invalidParameterValue("Too many tags added for queue \(key.name).")
            }
        }
        return EmptyResponse()
    }

    public func untagQueue(_ request: UntagQueueRequest, _ ctx: CallContext) async throws(SQSError) -> EmptyResponse {
        let key = try await resolveQueue(request.QueueUrl, ctx, for: .untagQueue).key
        if request.TagKeys.isEmpty { throw .missingParameter("TagKeys") }
        try await modifyQueue(key) { queue in
            for tagKey in request.TagKeys { queue.tags[tagKey] = nil }
        }
        return EmptyResponse()
    }

    public func listQueueTags(_ request: ListQueueTagsRequest, _ ctx: CallContext) async throws(SQSError) -> ListQueueTagsResponse {
        let queue = try await resolveQueue(request.QueueUrl, ctx, for: .listQueueTags)
        return ListQueueTagsResponse(Tags: queue.tags.isEmpty ? nil : queue.tags)
    }

    public func purgeQueue(_ request: PurgeQueueRequest, _ ctx: CallContext) async throws(SQSError) -> EmptyResponse {
        let key = try await resolveQueue(request.QueueUrl, ctx, for: .purgeQueue).key
        let now = clock.nowMillis()
        // The 60-second rule is checked on the stored purge time, and the store purges only if
        // nobody purged (or changed the queue) since it was read: two nodes cannot both purge.
        try await modifyQueue(key, purging: true) { queue in
            if let last = queue.lastPurgeMillis, now - last < Self.cooldownMillis {
                throw SQSError.purgeQueueInProgress(queueName: key.name)
            }
            queue.lastPurgeMillis = now
        }
        return EmptyResponse()
    }

    public func deleteQueue(_ request: DeleteQueueRequest, _ ctx: CallContext) async throws(SQSError) -> EmptyResponse {
        let queue = try await resolveQueue(request.QueueUrl, ctx, for: .deleteQueue)
        let now = clock.nowMillis()
        try await storage { try await store.deleteQueue(id: queue.id, key: queue.key, nowMillis: now) }
        catalog.put(nil, for: queue.key, nowMillis: now)
        observer.queueDeleted(queue.key)
        announce(queue.key)
        // Parked receives on the deleted queue return (empty) instead of waiting out their timeout.
        wake(queue.id)
        return EmptyResponse()
    }

    /// Read-modify-write of one queue's metadata: read from the store, change, write back on
    /// the condition that nobody (on any node) wrote it in between; on a conflict, again from
    /// the new state. With `purging`, the write also deletes the queue's messages.
    @discardableResult
    func modifyQueue(_ key: QueueKey, purging: Bool = false,
                     _ change: (inout StoredQueue) throws -> Void) async throws(SQSError) -> StoredQueue {
        for attempt in 0..<Self.maxUpdateAttempts {
            if attempt > 0 {
                // Another writer won the race: back off a little (jittered, growing) and read again.
                try? await Task.sleep(nanoseconds: UInt64.random(in: 1...(1 << min(attempt, 6))) * 1_000_000)
            }
            guard var queue = try await storage({ try await store.queue(key) }) else { throw .queueDoesNotExist() }
            try await storage { try change(&queue) }
            let proposed = queue
            let written = try await storage {
                purging ? try await store.purgeQueue(proposed) : try await store.updateQueue(proposed)
            }
            if let written {
                catalog.put(written, for: key, nowMillis: clock.nowMillis())
                announce(key)
                return written
            }
        }
        // Only a storm of concurrent changes to one queue gets here: the caller may retry.
        throw .serviceUnavailable("The queue is being changed concurrently. Please try again.")
    }

    /// Attempts of one metadata change before it gives up on concurrent writers.
    static let maxUpdateAttempts = 50
}

/// Tag limits (docs/sqs-behaviour.md#quotas).
enum TagRules {
    static let maxTags = 50

    static func validate(_ tags: [String: String]) throws(SQSError) {
        if tags.count > maxTags { throw .invalidParameterValue("Too many tags: at most \(maxTags) are allowed.") }
        for (key, value) in tags {
            guard (1...128).contains(key.count) else {
                throw .invalidParameterValue("Tag keys must be between 1 and 128 characters in length.")
            }
            guard value.count <= 256 else {
                throw .invalidParameterValue("Tag values must be at most 256 characters in length.")
            }
            if key.lowercased().hasPrefix("aws:") {
                throw .invalidParameterValue("Tag keys cannot start with the reserved prefix aws:.")
            }
        }
    }
}

// ListDeadLetterSourceQueues: the queues whose RedrivePolicy names this queue.
extension SQSEngine {
    public func listDeadLetterSourceQueues(_ request: ListDeadLetterSourceQueuesRequest, _ ctx: CallContext) async throws(SQSError) -> ListDeadLetterSourceQueuesResponse {
        let target = try await resolveQueue(request.QueueUrl, ctx, for: .listDeadLetterSourceQueues)
        if let max = request.MaxResults, !(1...1000).contains(max) {
            throw .invalidParameterValue(value: String(max), parameter: "MaxResults",
                                         reason: "MaxResults must be an integer between 1 and 1000.")
        }
        let arn = target.key.arn
        var names = try await storage { try await store.loadQueues() }.filter { $0.config.redrivePolicy?.deadLetterTargetArn == arn }.map(\.key).sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        if let token = request.NextToken, let data = Data(base64Encoded: token),
           let after = String(data: data, encoding: .utf8) {
            names = names.filter { after.utf8.lexicographicallyPrecedes($0.name.utf8) }
        }
        let limit = request.MaxResults ?? 1000
        let page = names.prefix(limit)
        let next = request.MaxResults != nil && names.count > limit
            ? Data(page.last!.name.utf8).base64EncodedString() : nil
        return ListDeadLetterSourceQueuesResponse(queueUrls: page.map(ctx.queueURL), NextToken: next)
    }
}

// RedrivePolicy checks that need the other queues (docs/sqs-behaviour.md#queue-attributes, #dead-letter-queues).
extension SQSEngine {
    /// A RedrivePolicy may name only an existing queue of the same type, account and region
    /// whose RedriveAllowPolicy admits the source.
    func checkRedriveTarget(_ attributes: [String: String], source: QueueKey, fifo: Bool) async throws(SQSError) {
        guard let text = attributes["RedrivePolicy"], !text.isEmpty else { return }
        let policy = try RedrivePolicy.parse(text)
        func invalid(_ reason: String) -> SQSError {
            .invalidParameterValue(value: text, parameter: "RedrivePolicy", reason: reason)
        }
        guard let arn = QueueArn(policy.deadLetterTargetArn) else { throw invalid("Invalid deadLetterTargetArn.") }
        if arn.key.account != source.account || arn.key.region != source.region {
            throw invalid("Dead-letter target must be in the same account and region as the source queue.")
        }
        guard let target = try await freshQueue(arn.key) else { throw invalid("Dead letter target does not exist.") }
        if target.config.isFifo != fifo { throw invalid("Dead-letter queue must be same type of queue as the source.") }
        if let allowText = target.attributes["RedriveAllowPolicy"], let allow = try? RedriveAllowPolicy.parse(allowText),
           !allow.allows(sourceArn: source.arn) {
            throw invalid("Queue \(target.key.arn) does not allow \(source.arn) to use it as a dead-letter queue.")
        }
    }

    /// The dead-letter queue a receive on `queue` moves over-received messages to, if any.
    func deadLetterTarget(of queue: StoredQueue) async throws(SQSError) -> DeadLetterTarget? {
        guard let policy = queue.config.redrivePolicy, let arn = QueueArn(policy.deadLetterTargetArn),
              let target = try await self.queue(arn.key) else { return nil }
        return DeadLetterTarget(queueId: target.id, maxReceiveCount: policy.maxReceiveCount, sourceArn: queue.key.arn)
    }

    /// Whether some queue's RedrivePolicy names this one.
    func isDeadLetterQueue(_ queue: StoredQueue) async throws(SQSError) -> Bool {
        let arn = queue.key.arn
        return try await storage { try await store.loadQueues() }.contains { $0.config.redrivePolicy?.deadLetterTargetArn == arn }
    }
}

// What CreateQueue checks before it looks at the store; also how a configuration file's
// declared queues are checked before any is applied.
extension SQSEngine {
    /// Throws the error CreateQueue answers for this name, these attributes and tags (all but
    /// the dead-letter target's existence, which needs the store); returns the queue's type and
    /// the validated attributes and tags.
    public static func validateCreation(name: String, attributes requested: [String: String], tags: [String: String])
        throws(SQSError) -> (fifo: Bool, attributes: [String: String], tags: [String: String]) {
        // The name and FifoQueue=true must agree; FifoQueue=false on a standard name is an
        // unknown attribute, as AWS answers (docs/sqs-behaviour.md#attribute-validation).
        let fifoName = name.hasSuffix(".fifo")
        let fifoFlag = requested["FifoQueue"].flatMap(QueueAttributeRules.parseBool)
        let fifo = fifoName || fifoFlag == true
        if fifo && (!fifoName || fifoFlag != true) {
            throw .invalidParameterValue(
                "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.")
        }
        guard MessageRules.isValidQueueName(name) else {
            throw .invalidParameterValue("Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length")
        }
        let attributes = try QueueAttributeRules.validate(requested, fifo: fifo, creating: true)
        try QueueAttributeRules.validateCombination(QueueConfig.fifoDefaults.merging(attributes) { $1 })
        try TagRules.validate(tags)
        return (fifo, attributes, tags)
    }
}
