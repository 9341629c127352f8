/// Who is calling and how the queue URL should look to them. Built by the server from the
/// request (Host header, SigV4 credential scope, path); the engine knows nothing of HTTP.
public struct CallContext: Sendable {
    /// The caller's account: queues created by this call belong to it.
    public var accountId: String
    /// The region of the SigV4 credential scope; queues in different regions are different.
    public var region: String
    /// Scheme, host and port queue URLs start with, e.g. `http://localhost:9324`.
    public var endpoint: String
    /// The `SenderId` of messages sent by this call.
    public var senderId: String
    /// The `X-Amzn-Trace-Id` request header, stored as AWSTraceHeader on SendMessage.
    public var traceHeader: String?
    /// The queue named by the request path (`/<account>/<name>`), used when `QueueUrl` is absent.
    public var pathQueue: (account: String, name: String)?
    /// Whether the request came over TLS (the `aws:SecureTransport` policy condition).
    public var secureTransport = false

    public init(accountId: String, region: String, endpoint: String, senderId: String,
                traceHeader: String? = nil, pathQueue: (account: String, name: String)? = nil) {
        self.accountId = accountId; self.region = region; self.endpoint = endpoint
        self.senderId = senderId; self.traceHeader = traceHeader; self.pathQueue = pathQueue
    }

    public func queueURL(_ key: QueueKey) -> String { "\(endpoint)/\(key.account)/\(key.name)" }
}
