import Foundation

/// An access key pair, with the session token and expiry of temporary credentials.
///
/// ```swift
/// let keys = AWSCredentials(accessKeyId: "AKIAEXAMPLE", secretAccessKey: "secret")
/// let sqs = SQSClient(region: "eu-west-1", credentials: StaticCredentialsProvider(keys))
/// ```
public struct AWSCredentials: Sendable, Equatable {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var sessionToken: String?
    /// When temporary credentials stop working; nil for long-term keys.
    public var expiration: Date?

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        self.accessKeyId = accessKeyId; self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken; self.expiration = expiration
    }
}

/// Where a client gets the credentials it signs with. Called before every request, so
/// providers that do I/O should be wrapped in `CachingCredentialsProvider`.
///
/// ```swift
/// struct VaultCredentials: CredentialsProvider {
///     func credentials() async throws(SQSClientError) -> AWSCredentials {
///         AWSCredentials(accessKeyId: "AKIAEXAMPLE", secretAccessKey: "from-the-vault")
///     }
/// }
/// let sqs = SQSClient(credentials: CachingCredentialsProvider(VaultCredentials()))
/// ```
public protocol CredentialsProvider: Sendable {
    func credentials() async throws(SQSClientError) -> AWSCredentials
}

/// Fixed credentials, e.g. from the application's own configuration.
///
/// ```swift
/// let sqs = SQSClient(endpoint: URL(string: "http://localhost:9324"),
///                     credentials: StaticCredentialsProvider(accessKeyId: "test", secretAccessKey: "test"))
/// ```
public struct StaticCredentialsProvider: CredentialsProvider {
    public let value: AWSCredentials
    public init(_ value: AWSCredentials) { self.value = value }
    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil) {
        value = AWSCredentials(accessKeyId: accessKeyId, secretAccessKey: secretAccessKey, sessionToken: sessionToken)
    }
    public func credentials() async throws(SQSClientError) -> AWSCredentials { value }
}

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` and, as botocore reads it,
/// `AWS_CREDENTIAL_EXPIRATION` (ISO 8601). The environment is a parameter so tests need not
/// mutate the process's own.
///
/// ```swift
/// let sqs = SQSClient(credentials: EnvironmentCredentialsProvider())   // the environment's keys, nothing else
/// ```
public struct EnvironmentCredentialsProvider: CredentialsProvider {
    public let environment: [String: String]
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    public func credentials() async throws(SQSClientError) -> AWSCredentials {
        guard let id = environment["AWS_ACCESS_KEY_ID"], !id.isEmpty,
              let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty else {
            throw .credentials("environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
        }
        let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        let expiration = environment["AWS_CREDENTIAL_EXPIRATION"].flatMap(parseISO8601)
        return AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: token, expiration: expiration)
    }
}

/// Any async closure, e.g. one that asks a secrets service; wrap it in a caching provider.
///
/// ```swift
/// let fetched = ClosureCredentialsProvider { () async throws(SQSClientError) -> AWSCredentials in
///     AWSCredentials(accessKeyId: "AKIAEXAMPLE", secretAccessKey: "secret", expiration: Date().addingTimeInterval(3600))
/// }
/// let sqs = SQSClient(credentials: CachingCredentialsProvider(fetched))
/// ```
public struct ClosureCredentialsProvider: CredentialsProvider {
    let body: @Sendable () async throws(SQSClientError) -> AWSCredentials
    public init(_ body: @escaping @Sendable () async throws(SQSClientError) -> AWSCredentials) { self.body = body }
    public func credentials() async throws(SQSClientError) -> AWSCredentials { try await body() }
}

/// The first provider that has credentials wins; the error names why each one had none
/// (as the Java SDK's chain reports it), so a consumer that cannot start says which source
/// was tried and what it answered.
///
/// ```swift
/// let chain = ChainCredentialsProvider([EnvironmentCredentialsProvider(), ProfileCredentialsProvider(profile: "ci")])
/// let sqs = SQSClient(credentials: CachingCredentialsProvider(chain))
/// // What SQSClient() uses, for another profile:
/// let standard = CachingCredentialsProvider(ChainCredentialsProvider.default(profile: "consumer"))
/// ```
public struct ChainCredentialsProvider: CredentialsProvider {
    public let providers: [any CredentialsProvider]
    public init(_ providers: [any CredentialsProvider]) { self.providers = providers }

    /// The AWS SDKs' order: the environment's keys; web identity from the environment
    /// (`AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN`); the profile (keys, `role_arn` with
    /// `source_profile` or `credential_source`, `web_identity_token_file`, `credential_process`);
    /// the container endpoint (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` / `_FULL_URI`); EC2
    /// instance metadata. `instanceMetadata: false` leaves out the last, the only source asked
    /// without being configured (for clients of a local server, which must not wait on a
    /// metadata address that is not there). Wrap the chain in `CachingCredentialsProvider`.
    public static func `default`(profile: String? = nil,
                                 environment: [String: String] = ProcessInfo.processInfo.environment,
                                 instanceMetadata: Bool = true,
                                 now: @escaping @Sendable () -> Date = Date.init) -> Self {
        var providers: [any CredentialsProvider] = [
            EnvironmentCredentialsProvider(environment: environment),
            WebIdentityCredentialsProvider(environment: environment, now: now),
            ProfileCredentialsProvider(profile: profile, environment: environment, now: now),
            ContainerCredentialsProvider(environment: environment),
        ]
        if instanceMetadata { providers.append(InstanceMetadataCredentialsProvider(environment: environment, now: now)) }
        return Self(providers)
    }

    public func credentials() async throws(SQSClientError) -> AWSCredentials {
        var reasons: [String] = []
        for provider in providers {
            do throws(SQSClientError) {
                return try await provider.credentials()
            } catch {
                if case .cancelled = error { throw error }
                reasons.append(error.message)
            }
        }
        throw .credentials("no credentials found: " + reasons.joined(separator: "; "))
    }
}

func parseISO8601(_ text: String) -> Date? {
    let formatter = ISO8601DateFormatter()
    if let date = formatter.date(from: text) { return date }
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.date(from: text)
}
