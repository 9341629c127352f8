import WharfEngine

/// How `wharf serve` runs. Every field has the embedded default of the README's quick start.
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 9324
    /// Where the SQLite database lives.
    public var dataDirectory = "./wharf-data"
    /// The account queues belong to when the caller's key maps to no other (dev mode).
    public var accountId = "000000000000"
    /// Used when a request carries no SigV4 credential scope.
    public var defaultRegion = "us-east-1"
    /// Scheme, host and port to build queue URLs with, instead of the request's Host header.
    public var publicURL: String?
    /// The largest request body accepted. A batch may carry 1 MiB of payload, which form
    /// encoding can triple; anything larger is refused before it is buffered.
    public var maxBodyBytes = 4 * 1024 * 1024
    /// How often expired messages (MessageRetentionPeriod) are swept.
    public var expirySweepSeconds = 60
    /// How often the queue gauges of /metrics are recomputed (a pass over the messages).
    public var gaugeIntervalSeconds = 15
    /// Connections silent for this long are closed (slow or abandoned clients). Longer than the
    /// 20 s maximum long poll, so a waiting receive is never cut off.
    public var idleTimeoutSeconds: Int64 = 75
    /// How long a graceful shutdown (SIGTERM) may wait for requests in progress before it
    /// closes their connections.
    public var shutdownTimeoutSeconds: Int64 = 10
    /// Connections open at once; more are closed on arrival.
    public var maxConnections = 4096
    /// Engine limits (in-flight messages per queue).
    public var limits = EngineLimits()
    /// Header limits: far above what any SDK sends, far below what would hurt.
    public var maxHeaderFieldSize = 16 * 1024
    public var maxHeaderListSize = 64 * 1024
    public var maxHeaderFieldCount = 100
    /// PEM certificate chain and private key: with both, the server speaks HTTPS only.
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?

    /// What a caller outside this machine must send as `Authorization: Bearer …` to read
    /// `/metrics`; nil: only loopback callers may.
    public var metricsToken: String?
    /// Log a line for every request (id, operation, queue, status, latency) at info level.
    public var accessLog = false

    public var usesTLS: Bool { tlsCertificatePath != nil && tlsKeyPath != nil }
    /// The keys requests must be signed with. Empty means dev mode: any key is accepted and
    /// maps to `accountId`, which is allowed only on a loopback address.
    public var credentials = CredentialStore()

    /// Whether `host` is reachable only from this machine.
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    public init() {}
}
