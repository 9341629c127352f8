import Foundation

/// A profile's `role_arn`: the source credentials (another profile's, or the environment,
/// instance metadata or the container endpoint per `credential_source`) sign an STS
/// `AssumeRole` for the role. Wrap it in `CachingCredentialsProvider`; the role's credentials
/// carry their expiry, so they are renewed before it.
///
/// ```swift
/// let role = AssumeRoleCredentialsProvider(roleARN: "arn:aws:iam::123456789012:role/orders-consumer",
///                                          source: ProfileCredentialsProvider(profile: "ci"), externalId: "wharf-orders")
/// let sqs = SQSClient(region: "eu-west-1", credentials: CachingCredentialsProvider(role))
/// ```
public struct AssumeRoleCredentialsProvider: CredentialsProvider {
    public let roleARN: String
    public let sessionName: String?
    public let externalId: String?
    public let durationSeconds: Int?
    let source: any CredentialsProvider
    /// Names the source in errors ("profile base", "credential_source Ec2InstanceMetadata").
    let sourceDescription: String
    let sts: STS

    init(roleARN: String, sessionName: String?, externalId: String?, durationSeconds: Int?,
         source: any CredentialsProvider, sourceDescription: String, sts: STS) {
        self.roleARN = roleARN; self.sessionName = sessionName; self.externalId = externalId
        self.durationSeconds = durationSeconds; self.source = source
        self.sourceDescription = sourceDescription; self.sts = sts
    }

    /// Assumes `roleARN` with the credentials of `source`; STS from the environment.
    public init(roleARN: String, source: any CredentialsProvider, sessionName: String? = nil, externalId: String? = nil,
                durationSeconds: Int? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
                now: @escaping @Sendable () -> Date = Date.init) {
        self.init(roleARN: roleARN, sessionName: sessionName, externalId: externalId, durationSeconds: durationSeconds,
                  source: source, sourceDescription: "the given source",
                  sts: STS(environment: environment, profileRegion: nil, now: now))
    }

    public func credentials() async throws(SQSClientError) -> AWSCredentials {
        let sourceCredentials: AWSCredentials
        do {
            sourceCredentials = try await source.credentials()
        } catch {
            if case .cancelled = error { throw error }
            throw .credentials("assume role \(roleARN): no source credentials from \(sourceDescription): \(error.message)")
        }
        do {
            return try await sts.assumeRole(roleARN: roleARN, sessionName: sessionName ?? STS.defaultSessionName(now: sts.now()),
                                            externalId: externalId, durationSeconds: durationSeconds,
                                            with: sourceCredentials)
        } catch {
            if case .cancelled = error { throw error }
            throw .credentials("assume role: \(error.message)")
        }
    }
}
