import Foundation

/// ECS task roles and EKS Pod Identity: credentials from the container agent's endpoint.
/// `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is a path on `http://169.254.170.2`;
/// `AWS_CONTAINER_CREDENTIALS_FULL_URI` a whole URL, accepted as the SDKs accept it: HTTPS, or
/// HTTP only to a loopback address or the ECS/EKS agent addresses (so a misconfigured URL
/// cannot send the token anywhere). The token in `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`
/// (read on every fetch, since EKS rotates it) or `AWS_CONTAINER_AUTHORIZATION_TOKEN` goes in
/// the Authorization header.
///
/// ```swift
/// // In an ECS task with a task role, or an EKS pod with Pod Identity.
/// let sqs = SQSClient(credentials: CachingCredentialsProvider(ContainerCredentialsProvider()))
/// ```
public struct ContainerCredentialsProvider: CredentialsProvider {
    public let environment: [String: String]
    public var timeout: TimeInterval
    let http: CredentialsHTTP

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, timeout: TimeInterval = 2) {
        self.environment = environment; self.timeout = timeout; self.http = CredentialsHTTP()
    }

    /// The ECS agent's address for relative URIs.
    static let ecsHost = "http://169.254.170.2"
    /// Hosts an HTTP (not HTTPS) full URI may name: loopback, the ECS and EKS agents.
    static let allowedHTTPHosts: Set<String> = ["127.0.0.1", "localhost", "::1", "[::1]", "169.254.170.2",
                                                "169.254.170.23", "fd00:ec2::23", "[fd00:ec2::23]"]

    /// The endpoint, or why there is none.
    func endpoint() throws(SQSClientError) -> URL {
        if let relative = nonEmpty("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            let path = relative.hasPrefix("/") ? relative : "/" + relative
            guard let url = URL(string: Self.ecsHost + path) else {
                throw .credentials("container: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI \(relative) is not a path")
            }
            return url
        }
        guard let full = nonEmpty("AWS_CONTAINER_CREDENTIALS_FULL_URI") else {
            throw .credentials("container: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI are not set")
        }
        guard let url = URL(string: full), let scheme = url.scheme?.lowercased(), let host = url.host else {
            throw .credentials("container: AWS_CONTAINER_CREDENTIALS_FULL_URI \(full) is not a URL")
        }
        let loopback = host.hasPrefix("127.") || Self.allowedHTTPHosts.contains(host.lowercased())
        guard scheme == "https" || (scheme == "http" && loopback) else {
            throw .credentials("container: AWS_CONTAINER_CREDENTIALS_FULL_URI \(full) must be HTTPS, or HTTP to a loopback or ECS/EKS agent address")
        }
        return url
    }

    /// The Authorization header's value, if one is configured.
    func authorization() throws(SQSClientError) -> String? {
        if let path = nonEmpty("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            do {
                return try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                throw .credentials("container: cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(path): \(error.localizedDescription)")
            }
        }
        return nonEmpty("AWS_CONTAINER_AUTHORIZATION_TOKEN")
    }

    public func credentials() async throws(SQSClientError) -> AWSCredentials {
        let url = try endpoint()
        var headers = [("Accept", "application/json")]
        if let token = try authorization() {
            guard !token.contains("\r") && !token.contains("\n") else {
                throw .credentials("container: the authorization token contains a line break")
            }
            headers.append(("Authorization", token))
        }
        let source = "container credentials at \(url.absoluteString)"
        let response = try await http.send(.GET, url, headers: headers, timeout: timeout, source: source)
        guard response.status == 200 else {
            let document = try? CredentialsDocument.parse(response.body, source: source)
            let detail = [document?.code ?? document?.Code, document?.message ?? document?.Message]
                .compactMap { $0 }.joined(separator: ": ")
            throw .credentials("\(source): HTTP \(response.status)" + (detail.isEmpty ? "" : " \(detail)"))
        }
        return try CredentialsDocument.parse(response.body, source: source).credentials(source: source)
    }

    private func nonEmpty(_ name: String) -> String? {
        environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }
}
