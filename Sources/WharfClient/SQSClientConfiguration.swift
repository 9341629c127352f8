import Foundation
import Logging

/// How an `SQSClient` finds its region, endpoint and credentials and how hard it tries.
///
/// ```swift
/// var configuration = SQSClientConfiguration(region: "eu-west-1")
/// configuration.profile = "consumer"
/// configuration.timeout = 5
/// configuration.retry = RetryPolicy(maxAttempts: 5)
/// let sqs = SQSClient(configuration: configuration)
/// ```
public struct SQSClientConfiguration: Sendable {
    /// Explicit region; else `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, us-east-1.
    public var region: String?
    /// Explicit endpoint; else `AWS_ENDPOINT_URL_SQS`, `AWS_ENDPOINT_URL`, `https://sqs.<region>.amazonaws.com`.
    public var endpoint: URL?
    /// Send each call that names a queue to the scheme, host and port of its queue URL, so queues
    /// of several servers (or a server behind another name) work from one client.
    public var useQueueURLOrigin: Bool = false
    /// Profile for region and credentials; else `AWS_PROFILE`, else `default`.
    public var profile: String?
    /// nil: environment, then profile files, cached until shortly before expiry.
    public var credentials: (any CredentialsProvider)?
    /// Seconds one attempt may take. A ReceiveMessage adds its WaitTimeSeconds (20 when it
    /// leaves it to the queue's default), so long polls never time out on this alone.
    public var timeout: TimeInterval = 10
    public var retry: RetryPolicy = RetryPolicy()
    /// Compare the MD5s of sent and received messages, as the Java and Go SDKs do.
    public var verifyChecksums: Bool = true
    /// Refuse requests SQS would refuse (batch sizes, ranges) without a round trip.
    public var validateRequests: Bool = true
    /// The environment the settings above fall back to; a parameter so tests can inject one.
    public var environment: [String: String] = ProcessInfo.processInfo.environment
    /// The signing clock.
    public var now: @Sendable () -> Date = Date.init
    public var logger: Logger = Logger(label: "wharf.client")

    public init(region: String? = nil, endpoint: URL? = nil, credentials: (any CredentialsProvider)? = nil) {
        self.region = region; self.endpoint = endpoint; self.credentials = credentials
    }

    /// The region in effect (see `region`).
    public func resolvedRegion() -> String {
        if let region, !region.isEmpty { return region }
        for name in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
            if let value = environment[name], !value.isEmpty { return value }
        }
        let profileName = ProfileFiles.profileName(profile, environment: environment)
        if let value = ProfileFiles(environment: environment).settings(of: profileName)["region"], !value.isEmpty {
            return value
        }
        return "us-east-1"
    }

    /// The endpoint in effect (see `endpoint`).
    public func resolvedEndpoint(region: String) -> URL {
        if let endpoint { return endpoint }
        for name in ["AWS_ENDPOINT_URL_SQS", "AWS_ENDPOINT_URL"] {
            if let value = environment[name], let url = URL(string: value), url.host != nil { return url }
        }
        // China's partition has its own DNS suffix (docs/sqs-behaviour.md#queue-names).
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return URL(string: "https://sqs.\(region).\(suffix)")!
    }
}

/// Retries with exponential backoff and full jitter: attempt n waits a random time in
/// 0 ..< min(maxDelay, baseDelay * 2^(n-1)), which spreads a crowd of clients apart after an outage.
///
/// ```swift
/// var configuration = SQSClientConfiguration()
/// configuration.retry = RetryPolicy(maxAttempts: 1)   // no retries
/// configuration.retry = RetryPolicy(maxAttempts: 8, baseDelay: 0.2, maxDelay: 5)
/// ```
public struct RetryPolicy: Sendable {
    /// Total attempts, the first included; 1 disables retries.
    public var maxAttempts: Int
    public var baseDelay: TimeInterval
    public var maxDelay: TimeInterval

    public init(maxAttempts: Int = 3, baseDelay: TimeInterval = 0.1, maxDelay: TimeInterval = 20) {
        self.maxAttempts = max(1, maxAttempts); self.baseDelay = baseDelay; self.maxDelay = maxDelay
    }

    /// The wait after failed attempt `attempt` (1-based).
    public func delay(afterAttempt attempt: Int) -> TimeInterval {
        let ceiling = min(maxDelay, baseDelay * pow(2, Double(min(attempt - 1, 30))))
        return ceiling > 0 ? Double.random(in: 0..<ceiling) : 0
    }

    /// Codes that mean "slow down", whatever their HTTP status (RequestThrottled is a 403).
    public static let throttlingCodes: Set<String> = [
        "RequestThrottled", "ThrottlingException", "Throttling", "ThrottledException",
        "TooManyRequestsException", "RequestLimitExceeded", "SlowDown",
        "KMS.ThrottlingException", "KmsThrottled",
    ]

    /// 5xx, 429 and throttling codes. Other 4xx are the caller's mistake and fail the same way again.
    public static func isRetryable(_ error: SQSClientError) -> Bool {
        guard case .service(let sqsError, _) = error else { return false }
        return sqsError.httpStatus >= 500 || sqsError.httpStatus == 429
            || throttlingCodes.contains(sqsError.queryCode) || throttlingCodes.contains(sqsError.shape)
    }
}
