import Foundation

/// An EC2 instance profile's role, from the instance metadata service with IMDSv2 session
/// tokens: `PUT /latest/api/token` (TTL header) gives a token that every `GET` then carries
/// in `X-aws-ec2-metadata-token`; `GET /latest/meta-data/iam/security-credentials/` names the
/// role and `…/<role>` answers its credentials. The token is kept until shortly before its TTL
/// runs out (by the injected clock). An instance that answers the PUT with 403, 404 or 405 has
/// IMDSv1 only, which is used unless `AWS_EC2_METADATA_V1_DISABLED` is true.
///
/// Endpoint: `AWS_EC2_METADATA_SERVICE_ENDPOINT`, else by `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE`
/// `http://169.254.169.254` (IPv4, default) or `http://[fd00:ec2::254]` (IPv6).
/// `AWS_EC2_METADATA_DISABLED=true` turns the provider off. Timeout per request:
/// `AWS_METADATA_SERVICE_TIMEOUT` seconds (default 1, as the SDKs: off EC2 nothing answers).
///
/// ```swift
/// // On an EC2 instance with an instance profile.
/// let sqs = SQSClient(credentials: CachingCredentialsProvider(InstanceMetadataCredentialsProvider()))
/// ```
public actor InstanceMetadataCredentialsProvider: CredentialsProvider {
    public nonisolated let endpoint: URL
    public nonisolated let timeout: TimeInterval
    nonisolated let disabled: Bool
    nonisolated let v1Disabled: Bool
    nonisolated let tokenTTL: Int
    nonisolated let http: CredentialsHTTP
    nonisolated let now: @Sendable () -> Date
    /// The session token and when it stops being used.
    var token: (value: String, until: Date)?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, tokenTTL: Int = 21600,
                now: @escaping @Sendable () -> Date = Date.init) {
        let ipv6 = environment["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"]?.lowercased() == "ipv6"
        let configured = environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"].flatMap(URL.init(string:)).flatMap { $0.host == nil ? nil : $0 }
        endpoint = configured ?? URL(string: ipv6 ? "http://[fd00:ec2::254]" : "http://169.254.169.254")!
        timeout = environment["AWS_METADATA_SERVICE_TIMEOUT"].flatMap(Double.init) ?? 1
        disabled = environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true"
        v1Disabled = environment["AWS_EC2_METADATA_V1_DISABLED"]?.lowercased() == "true"
        self.tokenTTL = tokenTTL
        self.http = CredentialsHTTP()
        self.now = now
    }

    public func credentials() async throws(SQSClientError) -> AWSCredentials {
        guard !disabled else { throw .credentials("instance metadata: AWS_EC2_METADATA_DISABLED is true") }
        let token = try await sessionToken()
        let listing = try await get("/latest/meta-data/iam/security-credentials/", token: token)
        guard let role = listing.split(whereSeparator: \.isNewline).first.map(String.init), !role.isEmpty else {
            throw .credentials("instance metadata at \(endpoint.absoluteString): the instance has no IAM role")
        }
        let path = "/latest/meta-data/iam/security-credentials/\(role)"
        let source = "instance metadata role \(role)"
        let document = try CredentialsDocument.parse(try await get(path, token: token), source: source)
        if let code = document.Code, code != "Success" {
            throw .credentials("\(source): \(code)" + (document.Message.map { ": \($0)" } ?? ""))
        }
        return try document.credentials(source: source)
    }

    /// The IMDSv2 token, fetched when there is none or it is within a minute of its TTL; nil
    /// when the instance only speaks IMDSv1.
    func sessionToken() async throws(SQSClientError) -> String? {
        if let token, token.until > now() { return token.value }
        let url = endpoint.appendingPath("/latest/api/token")
        let source = "instance metadata token"
        let response = try await http.send(.PUT, url, headers: [("X-aws-ec2-metadata-token-ttl-seconds", String(tokenTTL))],
                                           timeout: timeout, source: source)
        switch response.status {
        case 200:
            let value = response.body.trimmingCharacters(in: .whitespacesAndNewlines)
            token = (value, now().addingTimeInterval(TimeInterval(max(tokenTTL - 60, 1))))
            return value
        case 403, 404, 405:
            guard v1Disabled else { return nil }
            throw .credentials("\(source): PUT \(url.absoluteString): HTTP \(response.status), and AWS_EC2_METADATA_V1_DISABLED forbids IMDSv1")
        default:
            throw .credentials("\(source): PUT \(url.absoluteString): HTTP \(response.status)")
        }
    }

    private func get(_ path: String, token: String?) async throws(SQSClientError) -> String {
        let url = endpoint.appendingPath(path)
        let headers = token.map { [("X-aws-ec2-metadata-token", $0)] } ?? []
        let response = try await http.send(.GET, url, headers: headers, timeout: timeout, source: "instance metadata")
        if response.status == 401 { self.token = nil }  // expired or revoked: the next call fetches a new one
        guard response.status == 200 else {
            throw .credentials("instance metadata: GET \(url.absoluteString): HTTP \(response.status)")
        }
        return response.body
    }
}

extension URL {
    /// This URL's origin (and any base path) followed by `path`.
    func appendingPath(_ path: String) -> URL {
        var text = absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        return URL(string: text + path) ?? self
    }
}
