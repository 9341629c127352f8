import SQSModel

/// Request-level checks shared by the three batch operations (docs/sqs-behaviour.md#batches).
enum BatchRules {
    static let maxEntries = 10

    static func validate(ids: [String], entryName: String) throws(SQSError) {
        if ids.isEmpty { throw .emptyBatchRequest(entryName: entryName) }
        if ids.count > maxEntries { throw .tooManyEntriesInBatchRequest(count: ids.count) }
        var seen = Set<String>()
        for id in ids {
            guard MessageRules.isValidBatchEntryId(id) else { throw .invalidBatchEntryId() }
            // Valid ids are ASCII, so String equality is byte equality here.
            guard seen.insert(id).inserted else {
                throw .batchEntryIdsNotDistinct(id: id)
            }
        }
    }
}
