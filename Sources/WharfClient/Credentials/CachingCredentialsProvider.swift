import Foundation

/// Keeps the credentials of another provider and asks it again only when they are about to
/// expire (`refreshMargin` before `expiration`), so temporary credentials are renewed before a
/// request can fail with ExpiredToken. Concurrent callers share one refresh.
///
/// ```swift
/// let login = CachingCredentialsProvider(ProcessCredentialsProvider(command: "corp-login --aws"), refreshMargin: 600)
/// let sqs = SQSClient(credentials: login)
/// ```
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
