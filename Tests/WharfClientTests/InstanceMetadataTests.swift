import Foundation
import Testing
import WharfClient
import WharfTestSupport

enum WharfTestPorts {
    /// A loopback port nothing listens on.
    static func closed() -> Int { Sockets.freePort() }
}

/// A fake instance metadata service: IMDSv2 tokens (or only IMDSv1 when `v2` is false), one
/// role, credentials that expire 6 hours after the test clock's now.
final class FakeIMDS: @unchecked Sendable {
    let clock: TestClock
    let v2: Bool
    var server: FakeAWSServer!
    private let tokens = Counter()

    init(clock: TestClock, v2: Bool = true, code: String = "Success") {
        self.clock = clock
        self.v2 = v2
        server = FakeAWSServer { [unowned self] request in self.answer(request, code: code) }
    }

    var requests: [ReceivedRequest] { server.requests }
    var tokenRequests: Int { requests.filter { $0.method == "PUT" }.count }
    func stop() { server.stop() }

    private func answer(_ request: ReceivedRequest, code: String) -> FakeResponse {
        if request.method == "PUT" && request.path == "/latest/api/token" {
            guard v2 else { return .text("", status: 403) }
            guard let ttl = request.header("X-aws-ec2-metadata-token-ttl-seconds").flatMap(Int.init), (1...21600).contains(ttl) else {
                return .text("missing TTL", status: 400)
            }
            return .text("imds-token-\(tokens.next())")
        }
        guard request.method == "GET" else { return .text("", status: 405) }
        let token = request.header("X-aws-ec2-metadata-token")
        if v2 && token != "imds-token-\(tokens.value)" { return .text("", status: 401) }
        if !v2 && token != nil { return .text("unexpected token", status: 400) }
        switch request.path {
        case "/latest/meta-data/iam/security-credentials/":
            return .text("app-role")
        case "/latest/meta-data/iam/security-credentials/app-role":
            let expiration = ISO8601DateFormatter().string(from: clock.now.addingTimeInterval(6 * 3600))
            return .json("""
                {"Code": "\(code)", "LastUpdated": "2024-01-01T00:00:00Z", "Type": "AWS-HMAC",
                 "AccessKeyId": "ASIAIMDS", "SecretAccessKey": "imds-secret", "Token": "imds-session",
                 "Expiration": "\(expiration)"}
                """)
        default:
            return .text("", status: 404)
        }
    }
}

@Suite struct InstanceMetadataTests {
    @Test func imdsV2TokenThenRoleThenCredentials() async throws {
        let clock = TestClock()
        let imds = FakeIMDS(clock: clock)
        defer { imds.stop() }
        let provider = InstanceMetadataCredentialsProvider(
            environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": imds.server.url.absoluteString + "/"], tokenTTL: 600,
            now: clock.provider)
        let credentials = try await provider.credentials()
        #expect(credentials == AWSCredentials(accessKeyId: "ASIAIMDS", secretAccessKey: "imds-secret", sessionToken: "imds-session",
                                              expiration: clock.now.addingTimeInterval(6 * 3600)))
        #expect(imds.requests.map { "\($0.method) \($0.path)" } == [
            "PUT /latest/api/token",
            "GET /latest/meta-data/iam/security-credentials/",
            "GET /latest/meta-data/iam/security-credentials/app-role",
        ])
        #expect(imds.requests[0].header("X-aws-ec2-metadata-token-ttl-seconds") == "600")

        // The session token is reused within its TTL, fetched anew after it.
        _ = try await provider.credentials()
        #expect(imds.tokenRequests == 1)
        clock.advance(600)
        _ = try await provider.credentials()
        #expect(imds.tokenRequests == 2)
    }

    @Test func imdsV1FallbackUnlessDisabled() async throws {
        let clock = TestClock()
        let imds = FakeIMDS(clock: clock, v2: false)
        defer { imds.stop() }
        let endpoint = imds.server.url.absoluteString
        let credentials = try await InstanceMetadataCredentialsProvider(
            environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": endpoint], now: clock.provider).credentials()
        #expect(credentials.accessKeyId == "ASIAIMDS")
        let error = await #expect(throws: SQSClientError.self) {
            try await InstanceMetadataCredentialsProvider(
                environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": endpoint, "AWS_EC2_METADATA_V1_DISABLED": "true"],
                now: clock.provider).credentials()
        }
        #expect(error?.message.contains("HTTP 403, and AWS_EC2_METADATA_V1_DISABLED forbids IMDSv1") == true)
    }

    @Test func imdsFailuresAreExplained() async throws {
        let clock = TestClock()
        let imds = FakeIMDS(clock: clock, code: "AssumeRoleUnauthorizedAccess")
        defer { imds.stop() }
        let refused = await #expect(throws: SQSClientError.self) {
            try await InstanceMetadataCredentialsProvider(
                environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": imds.server.url.absoluteString], now: clock.provider).credentials()
        }
        #expect(refused?.message == "instance metadata role app-role: AssumeRoleUnauthorizedAccess")
        let disabled = await #expect(throws: SQSClientError.self) {
            try await InstanceMetadataCredentialsProvider(environment: ["AWS_EC2_METADATA_DISABLED": "true"]).credentials()
        }
        #expect(disabled?.message.contains("AWS_EC2_METADATA_DISABLED") == true)
    }

    /// With nothing configured the chain's error names every source and why it had nothing;
    /// instance metadata is pointed at a closed loopback port (a test never asks 169.254.169.254).
    @Test func chainErrorNamesEverySource() async throws {
        let files = try AWSFiles()
        defer { files.remove() }
        let env = files.environment(["AWS_EC2_METADATA_DISABLED": "false",
                                     "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:\(WharfTestPorts.closed())"])
        let error = await #expect(throws: SQSClientError.self) { try await ChainCredentialsProvider.default(environment: env).credentials() }
        let message = error?.message ?? ""
        for part in ["no credentials found: environment: AWS_ACCESS_KEY_ID", "; web identity: AWS_WEB_IDENTITY_TOKEN_FILE is not set",
                     "; profile default: not found in", "; container: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                     "; instance metadata token: PUT http://127.0.0.1:"] {
            #expect(message.contains(part), "\(part) not in \(message)")
        }
        // Without instance metadata (clients of a local server), the chain stops at the container.
        let local = await #expect(throws: SQSClientError.self) {
            try await ChainCredentialsProvider.default(environment: env, instanceMetadata: false).credentials()
        }
        #expect(local?.message.contains("instance metadata") == false)
    }
}
