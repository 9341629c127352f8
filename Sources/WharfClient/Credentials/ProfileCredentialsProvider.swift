import Foundation

/// The credentials a profile of the shared files describes, resolved as the SDKs do:
/// - `role_arn` with `source_profile` (whose own credentials, or role, sign the STS
///   `AssumeRole`; chains of roles are followed, loops refused) or with `credential_source`
///   (`Environment`, `Ec2InstanceMetadata`, `EcsContainer`), or with `web_identity_token_file`;
///   `role_session_name`, `external_id` and `duration_seconds` apply;
/// - `credential_process`;
/// - `aws_access_key_id` / `aws_secret_access_key` (/ `aws_session_token`).
/// The files are read on every call, so edits are seen at the next refresh of a cache.
///
/// ```swift
/// let sqs = SQSClient(credentials: CachingCredentialsProvider(ProfileCredentialsProvider(profile: "consumer")))
/// ```
public struct ProfileCredentialsProvider: CredentialsProvider {
    public let profile: String
    public let files: ProfileFiles
    let environment: [String: String]
    let now: @Sendable () -> Date

    public init(profile: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
                now: @escaping @Sendable () -> Date = Date.init) {
        self.profile = ProfileFiles.profileName(profile, environment: environment)
        self.files = ProfileFiles(environment: environment)
        self.environment = environment
        self.now = now
    }

    public func credentials() async throws(SQSClientError) -> AWSCredentials {
        try await resolve(profile, visited: []).credentials()
    }

    /// The provider a profile stands for. `visited` holds the profiles of the chain so far.
    func resolve(_ name: String, visited: [String]) throws(SQSClientError) -> any CredentialsProvider {
        let settings = files.settings(of: name)
        let where_ = "profile \(name)"
        if settings.isEmpty {
            throw .credentials("\(where_): not found in \(files.credentialsPath) or \(files.configPath)")
        }
        if let roleARN = nonEmpty(settings["role_arn"]) {
            let sts = STS(environment: environment, profileRegion: nonEmpty(settings["region"]), now: now)
            let sessionName = nonEmpty(settings["role_session_name"])
            if let tokenFile = nonEmpty(settings["web_identity_token_file"]) {
                return WebIdentityCredentialsProvider(tokenFile: tokenFile, roleARN: roleARN, sessionName: sessionName, sts: sts)
            }
            let (source, description) = try roleSource(of: name, settings: settings, visited: visited)
            var duration: Int?
            if let text = nonEmpty(settings["duration_seconds"]) {
                guard let seconds = Int(text), (900...43200).contains(seconds) else {
                    throw .credentials("\(where_): duration_seconds \(text) is not 900...43200")
                }
                duration = seconds
            }
            if nonEmpty(settings["mfa_serial"]) != nil {
                throw .credentials("\(where_): mfa_serial needs an MFA code typed in, which a consumer cannot do")
            }
            return AssumeRoleCredentialsProvider(roleARN: roleARN, sessionName: sessionName,
                                                 externalId: nonEmpty(settings["external_id"]),
                                                 durationSeconds: duration, source: source,
                                                 sourceDescription: description, sts: sts)
        }
        if let command = nonEmpty(settings["credential_process"]) {
            return ProcessCredentialsProvider(command: command)
        }
        if let keys = Self.staticKeys(settings) { return StaticCredentialsProvider(keys) }
        if settings.keys.contains(where: { $0.hasPrefix("sso_") }) {
            throw .credentials("\(where_): AWS IAM Identity Center (sso_*) profiles are not supported; run `aws configure export-credentials` into credential_process")
        }
        throw .credentials("\(where_) has no aws_access_key_id/aws_secret_access_key, role_arn or credential_process in \(files.credentialsPath) or \(files.configPath)")
    }

    /// What signs a role profile's AssumeRole, and how errors name it.
    private func roleSource(of name: String, settings: [String: String],
                            visited: [String]) throws(SQSClientError) -> (any CredentialsProvider, String) {
        let hasSourceProfile = nonEmpty(settings["source_profile"]) != nil
        let credentialSource = nonEmpty(settings["credential_source"])
        if hasSourceProfile && credentialSource != nil {
            throw .credentials("profile \(name): source_profile and credential_source exclude each other")
        }
        if let sourceProfile = nonEmpty(settings["source_profile"]) {
            let chain = visited + [name]
            // A profile may name itself as the source of its role when it holds keys too.
            if sourceProfile == name {
                guard let keys = Self.staticKeys(settings) else {
                    throw .credentials("profile \(name): source_profile names itself but it has no keys")
                }
                return (StaticCredentialsProvider(keys), "profile \(name)'s keys")
            }
            if chain.contains(sourceProfile) {
                throw .credentials("profile \(name): source_profile loop \((chain + [sourceProfile]).joined(separator: " -> "))")
            }
            let sourceSettings = files.settings(of: sourceProfile)
            // The source's own keys win over a role it also has, as botocore does for a
            // source profile that is not itself a role profile.
            if nonEmpty(sourceSettings["role_arn"]) == nil, let keys = Self.staticKeys(sourceSettings) {
                return (StaticCredentialsProvider(keys), "profile \(sourceProfile)")
            }
            return (try resolve(sourceProfile, visited: chain), "profile \(sourceProfile)")
        }
        switch credentialSource {
        case "Environment":
            return (EnvironmentCredentialsProvider(environment: environment), "credential_source Environment")
        case "Ec2InstanceMetadata":
            return (InstanceMetadataCredentialsProvider(environment: environment, now: now), "credential_source Ec2InstanceMetadata")
        case "EcsContainer":
            return (ContainerCredentialsProvider(environment: environment), "credential_source EcsContainer")
        case let other?:
            throw .credentials("profile \(name): credential_source \(other) is not Environment, Ec2InstanceMetadata or EcsContainer")
        case nil:
            throw .credentials("profile \(name): role_arn needs source_profile, credential_source or web_identity_token_file")
        }
    }

    static func staticKeys(_ settings: [String: String]) -> AWSCredentials? {
        guard let id = settings["aws_access_key_id"], !id.isEmpty,
              let secret = settings["aws_secret_access_key"], !secret.isEmpty else { return nil }
        let token = settings["aws_session_token"] ?? settings["aws_security_token"]
        return AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: token,
                              expiration: settings["aws_expiration"].flatMap(parseISO8601))
    }

    private func nonEmpty(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
}
