import Logging

/// The request being served, as a task-local: every log line written while serving it — by the
/// server, the engine or a store — carries its id, the one Wharf returns in `x-amzn-RequestId`,
/// without the id being passed through every call.
public enum RequestScope {
    @TaskLocal public static var requestId: String?

    /// Adds `request_id` to log lines written inside a request.
    public static let metadataProvider = Logger.MetadataProvider {
        requestId.map { ["request_id": .string($0)] } ?? [:]
    }
}
