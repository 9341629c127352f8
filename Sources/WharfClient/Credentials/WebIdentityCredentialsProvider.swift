import Foundation

/// EKS's IAM roles for service accounts (and any OIDC federation): the token in
/// `AWS_WEB_IDENTITY_TOKEN_FILE` is exchanged for the role `AWS_ROLE_ARN` with STS
/// `AssumeRoleWithWebIdentity`. The file is read on every fetch because the kubelet rotates it.
/// Profiles reach this provider through `web_identity_token_file` + `role_arn`.
///
/// ```swift
/// // In an EKS pod whose service account has a role: AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are set.
/// let sqs = SQSClient(credentials: CachingCredentialsProvider(WebIdentityCredentialsProvider()))
/// ```
public struct WebIdentityCredentialsProvider: CredentialsProvider {
    public let tokenFile: String?
    public let roleARN: String?
    public let sessionName: String?
    let sts: STS

    /// From the environment (`AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN`, `AWS_ROLE_SESSION_NAME`).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment,
                now: @escaping @Sendable () -> Date = Date.init) {
        self.init(tokenFile: environment["AWS_WEB_IDENTITY_TOKEN_FILE"], roleARN: environment["AWS_ROLE_ARN"],
                  sessionName: environment["AWS_ROLE_SESSION_NAME"],
                  sts: STS(environment: environment, profileRegion: nil, now: now))
    }

    init(tokenFile: String?, roleARN: String?, sessionName: String?, sts: STS) {
        self.tokenFile = tokenFile.flatMap { $0.isEmpty ? nil : $0 }
        self.roleARN = roleARN.flatMap { $0.isEmpty ? nil : $0 }
        self.sessionName = sessionName.flatMap { $0.isEmpty ? nil : $0 }
        self.sts = sts
    }

    public func credentials() async throws(SQSClientError) -> AWSCredentials {
        guard let tokenFile else { throw .credentials("web identity: AWS_WEB_IDENTITY_TOKEN_FILE is not set") }
        guard let roleARN else { throw .credentials("web identity: AWS_ROLE_ARN is not set (token file \(tokenFile))") }
        let token: String
        do {
            token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            throw .credentials("web identity: cannot read the token file \(tokenFile): \(error.localizedDescription)")
        }
        guard !token.isEmpty else { throw .credentials("web identity: the token file \(tokenFile) is empty") }
        do {
            return try await sts.assumeRoleWithWebIdentity(
                roleARN: roleARN, sessionName: sessionName ?? STS.defaultSessionName(now: sts.now()), token: token)
        } catch {
            if case .cancelled = error { throw error }
            throw .credentials("web identity: \(error.message)")
        }
    }
}
