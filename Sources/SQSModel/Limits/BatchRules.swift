/// The checks of a batch request as a whole, shared by the three batch operations
/// (docs/sqs-behaviour.md#batches): any failure fails the whole request.
package enum BatchRules {
    /// At least one entry, at most ten, each id valid and distinct. `entryName` names the
    /// entries in EmptyBatchRequest's message (`SendMessageBatchRequestEntry`).
    package static func validate(ids: [String], entryName: String) throws(SQSError) {
        if ids.isEmpty { throw .emptyBatchRequest(entryName: entryName) }
        if ids.count > SQSLimits.maximumBatchEntries { throw .tooManyEntriesInBatchRequest(count: ids.count) }
        var seen = Set<String>()
        for id in ids {
            guard MessageRules.isValidBatchEntryId(id) else { throw .invalidBatchEntryId() }
            // Valid ids are ASCII, so String equality is byte equality here.
            guard seen.insert(id).inserted else {
                throw .batchEntryIdsNotDistinct(id: id)
            }
        }
    }

    /// A SendMessageBatch's messages add up to at most 1 MiB, checked before any entry is.
    package static func validateSize(_ entries: [SendMessageBatchRequestEntry]) throws(SQSError) {
        let total = MessageSize.ofBatch(entries)
        if total > SQSLimits.maximumBatchSize { throw .batchRequestTooLong(size: total) }
    }
}
