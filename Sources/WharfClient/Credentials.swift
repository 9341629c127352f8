import Foundation

/// An access key pair, with the session token and expiry of temporary credentials.
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
public protocol CredentialsProvider: Sendable {
    func credentials() async throws(SQSClientError) -> AWSCredentials
}

/// Fixed credentials, e.g. from the application's own configuration.
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
public struct EnvironmentCredentialsProvider: CredentialsProvider {
    public let environment: [String: String]
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    public func credentials() async throws(SQSClientError) -> AWSCredentials {
        guard let id = environment["AWS_ACCESS_KEY_ID"], !id.isEmpty,
              let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty else {
            throw .credentials("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
        }
        let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        let expiration = environment["AWS_CREDENTIAL_EXPIRATION"].flatMap(parseISO8601)
        return AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: token, expiration: expiration)
    }
}

/// Any async closure, e.g. one that asks a secrets service; wrap it in a caching provider.
public struct ClosureCredentialsProvider: CredentialsProvider {
    let body: @Sendable () async throws(SQSClientError) -> AWSCredentials
    public init(_ body: @escaping @Sendable () async throws(SQSClientError) -> AWSCredentials) { self.body = body }
    public func credentials() async throws(SQSClientError) -> AWSCredentials { try await body() }
}

/// The first provider that has credentials wins; the error names why each one had none.
public struct ChainCredentialsProvider: CredentialsProvider {
    public let providers: [any CredentialsProvider]
    public init(_ providers: [any CredentialsProvider]) { self.providers = providers }

    /// The SDKs' order, less the sources that need network access: environment, then profile.
    public static func `default`(profile: String? = nil,
                                 environment: [String: String] = ProcessInfo.processInfo.environment) -> Self {
        Self([EnvironmentCredentialsProvider(environment: environment),
              ProfileCredentialsProvider(profile: profile, environment: environment)])
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

/// Keeps the credentials of another provider and asks it again only when they are about to
/// expire (`refreshMargin` before `expiration`), so temporary credentials are renewed before a
/// request can fail with ExpiredToken. Concurrent callers share one refresh.
public actor CachingCredentialsProvider: CredentialsProvider {
    let base: any CredentialsProvider
    let refreshMargin: TimeInterval
    let now: @Sendable () -> Date
    var cached: AWSCredentials?
    var refresh: Task<Result<AWSCredentials, SQSClientError>, Never>?

    public init(_ base: any CredentialsProvider, refreshMargin: TimeInterval = 300,
                now: @escaping @Sendable () -> Date = Date.init) {
        self.base = base; self.refreshMargin = refreshMargin; self.now = now
    }

    public func credentials() async throws(SQSClientError) -> AWSCredentials {
        if let cached, !expiresSoon(cached) { return cached }
        let task = refresh ?? Task { [base] in
            do throws(SQSClientError) { return .success(try await base.credentials()) } catch { return .failure(error) }
        }
        refresh = task
        let result = await task.value
        refresh = nil
        switch result {
        case .success(let fresh):
            cached = fresh
            return fresh
        case .failure(let error):
            // A failed refresh inside the margin still leaves usable credentials.
            if let cached, let expiration = cached.expiration, expiration > now() { return cached }
            throw error
        }
    }

    func expiresSoon(_ credentials: AWSCredentials) -> Bool {
        guard let expiration = credentials.expiration else { return false }
        return expiration.timeIntervalSince(now()) <= refreshMargin
    }
}

func parseISO8601(_ text: String) -> Date? {
    let formatter = ISO8601DateFormatter()
    if let date = formatter.date(from: text) { return date }
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.date(from: text)
}
