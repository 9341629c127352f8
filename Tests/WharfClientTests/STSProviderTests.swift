import Foundation
import SigV4
import Testing
import WharfClient
import WharfTestSupport

/// A fake STS that checks what the SDKs send: POST /, form-encoded Query parameters of
/// version 2011-06-15, an AssumeRole signed with the expected source key (verified with the
/// server's own SigV4 verifier), an AssumeRoleWithWebIdentity not signed at all. It issues
/// `ASIASTS<n>` keys valid for 15 minutes of the test clock.
final class FakeSTS: @unchecked Sendable {
    let clock: TestClock
    /// Secret and session token per access key that may sign an AssumeRole.
    let signers: [String: KnownKey]
    var server: FakeAWSServer!
    private let issued = Counter()

    init(clock: TestClock, signers: [String: KnownKey] = [:]) {
        self.clock = clock
        self.signers = signers
        server = FakeAWSServer { [unowned self] request in self.answer(request) }
    }

    var endpoint: String { server.url.absoluteString }
    var requests: [ReceivedRequest] { server.requests }
    func stop() { server.stop() }

    private func answer(_ request: ReceivedRequest) -> FakeResponse {
        let form = request.form
        guard request.method == "POST", request.path == "/",
              request.header("Content-Type")?.hasPrefix("application/x-www-form-urlencoded") == true,
              form["Version"] == "2011-06-15", let action = form["Action"],
              form["RoleArn"]?.hasPrefix("arn:aws:iam::") == true, form["RoleSessionName"]?.isEmpty == false else {
            return .xml(STSResponses.error(code: "InvalidRequest", message: "malformed \(request.method) \(request.path): \(form)"), status: 400)
        }
        switch action {
        case "AssumeRoleWithWebIdentity":
            guard request.header("Authorization") == nil else {
                return .xml(STSResponses.error(code: "InvalidRequest", message: "web identity calls are not signed"), status: 400)
            }
            guard form["WebIdentityToken"] == "eyJ.web.token" else {
                return .xml(STSResponses.error(code: "InvalidIdentityToken", message: "Token is not valid"), status: 400)
            }
        case "AssumeRole":
            let verifier = SigV4Verifier { self.signers[$0] }
            do {
                let caller = try verifier.verify(request.signable, nowSeconds: Int64(clock.now.timeIntervalSince1970))
                guard caller.scope.service == "sts" else {
                    return .xml(STSResponses.error(code: "SignatureDoesNotMatch", message: "scope \(caller.scope.string)"), status: 403)
                }
            } catch {
                return .xml(STSResponses.error(code: "SignatureDoesNotMatch", message: "\(error)"), status: 403)
            }
        default:
            return .xml(STSResponses.error(code: "InvalidAction", message: action), status: 400)
        }
        let n = issued.next()
        return .xml(STSResponses.credentials(action: action, id: "ASIASTS\(n)", secret: "sts-secret-\(n)",
                                             token: "sts-token-\(n)", expiration: clock.now.addingTimeInterval(900)))
    }
}

@Suite struct STSProviderTests {
    @Test func webIdentityFromTheEnvironment() async throws {
        let clock = TestClock()
        let sts = FakeSTS(clock: clock)
        defer { sts.stop() }
        let files = try AWSFiles()
        defer { files.remove() }
        let tokenFile = files.directory.appendingPathComponent("token").path
        try "eyJ.web.token\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let env = files.environment(["AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile,
                                     "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/consumer",
                                     "AWS_ROLE_SESSION_NAME": "pod-7", "AWS_ENDPOINT_URL_STS": sts.endpoint])
        let chain = ChainCredentialsProvider.default(environment: env, now: clock.provider)
        let credentials = try await chain.credentials()
        #expect(credentials == AWSCredentials(accessKeyId: "ASIASTS1", secretAccessKey: "sts-secret-1",
                                              sessionToken: "sts-token-1", expiration: clock.now.addingTimeInterval(900)))
        let form = try #require(sts.requests.first).form
        #expect(form["Action"] == "AssumeRoleWithWebIdentity")
        #expect(form["RoleArn"] == "arn:aws:iam::123456789012:role/consumer")
        #expect(form["RoleSessionName"] == "pod-7")
        #expect(form["WebIdentityToken"] == "eyJ.web.token")

        // The token file is read again on every fetch (the kubelet rotates it).
        try "stale".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let error = await #expect(throws: SQSClientError.self) { try await WebIdentityCredentialsProvider(environment: env).credentials() }
        #expect(error?.message.contains("web identity") == true)
        #expect(error?.message.contains("InvalidIdentityToken: Token is not valid") == true, "\(String(describing: error))")
    }

    @Test func webIdentityExplainsWhatIsMissing() async throws {
        let missingRole = await #expect(throws: SQSClientError.self) {
            try await WebIdentityCredentialsProvider(environment: ["AWS_WEB_IDENTITY_TOKEN_FILE": "/nonexistent/token"]).credentials()
        }
        #expect(missingRole?.message.contains("AWS_ROLE_ARN is not set") == true)
        let unreadable = await #expect(throws: SQSClientError.self) {
            try await WebIdentityCredentialsProvider(environment: ["AWS_WEB_IDENTITY_TOKEN_FILE": "/nonexistent/token",
                                                                   "AWS_ROLE_ARN": "arn:aws:iam::1:role/r"]).credentials()
        }
        #expect(unreadable?.message.contains("cannot read the token file /nonexistent/token") == true)
    }

    /// `role_arn` + `source_profile`, two levels deep: the base keys sign the first
    /// AssumeRole, the first role's temporary credentials (with their session token) sign the
    /// second. Each request carries the profile's parameters.
    @Test func roleChainThroughSourceProfiles() async throws {
        let clock = TestClock()
        let sts = FakeSTS(clock: clock, signers: [
            "AKIDBASE": KnownKey(secretAccessKey: "base-secret"),
            "ASIASTS1": KnownKey(secretAccessKey: "sts-secret-1", sessionToken: "sts-token-1"),
        ])
        defer { sts.stop() }
        let files = try AWSFiles(credentials: "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n",
                                 config: """
            [profile ops]
            role_arn = arn:aws:iam::111111111111:role/ops
            source_profile = base
            external_id = ext-42
            role_session_name = ops-session
            duration_seconds = 1800
            region = eu-west-1

            [profile deploy]
            role_arn = arn:aws:iam::222222222222:role/deploy
            source_profile = ops
            """)
        defer { files.remove() }
        let env = files.environment(["AWS_PROFILE": "deploy", "AWS_ENDPOINT_URL_STS": sts.endpoint])
        let credentials = try await ChainCredentialsProvider.default(environment: env, now: clock.provider).credentials()
        #expect(credentials.accessKeyId == "ASIASTS2")
        #expect(credentials.sessionToken == "sts-token-2")
        let requests = sts.requests
        try #require(requests.count == 2)
        #expect(requests[0].form["RoleArn"] == "arn:aws:iam::111111111111:role/ops")
        #expect(requests[0].form["ExternalId"] == "ext-42")
        #expect(requests[0].form["RoleSessionName"] == "ops-session")
        #expect(requests[0].form["DurationSeconds"] == "1800")
        #expect(requests[0].header("Authorization")?.contains("Credential=AKIDBASE/") == true)
        // The ops profile's region scopes its signature.
        #expect(requests[0].header("Authorization")?.contains("/eu-west-1/sts/aws4_request") == true)
        #expect(requests[0].header("X-Amz-Security-Token") == nil)
        #expect(requests[1].form["RoleArn"] == "arn:aws:iam::222222222222:role/deploy")
        #expect(requests[1].form["RoleSessionName"]?.hasPrefix("wharf-session-") == true)
        #expect(requests[1].header("Authorization")?.contains("Credential=ASIASTS1/") == true)
        #expect(requests[1].header("Authorization")?.contains("/us-east-1/sts/aws4_request") == true)
        #expect(requests[1].header("X-Amz-Security-Token") == "sts-token-1")
    }

    @Test func credentialSourceEnvironmentAndRejectedProfiles() async throws {
        let clock = TestClock()
        let sts = FakeSTS(clock: clock, signers: ["AKIDENV": KnownKey(secretAccessKey: "env-secret")])
        defer { sts.stop() }
        let files = try AWSFiles(config: """
            [profile env-role]
            role_arn = arn:aws:iam::333333333333:role/r
            credential_source = Environment
            [profile loop-a]
            role_arn = arn:aws:iam::1:role/a
            source_profile = loop-b
            [profile loop-b]
            role_arn = arn:aws:iam::1:role/b
            source_profile = loop-a
            [profile odd-source]
            role_arn = arn:aws:iam::1:role/c
            credential_source = Somewhere
            [profile both]
            role_arn = arn:aws:iam::1:role/d
            source_profile = env-role
            credential_source = Environment
            [profile sso]
            sso_session = corp
            sso_account_id = 1
            """)
        defer { files.remove() }
        let env = files.environment(["AWS_ENDPOINT_URL_STS": sts.endpoint, "AWS_ACCESS_KEY_ID": "AKIDENV",
                                     "AWS_SECRET_ACCESS_KEY": "env-secret"])
        let role = try await ProfileCredentialsProvider(profile: "env-role", environment: env, now: clock.provider).credentials()
        #expect(role.accessKeyId == "ASIASTS1")
        #expect(sts.requests.first?.header("Authorization")?.contains("Credential=AKIDENV/") == true)

        for (profile, expected) in [("loop-a", "source_profile loop loop-a -> loop-b -> loop-a"),
                                    ("odd-source", "credential_source Somewhere is not"),
                                    ("both", "exclude each other"),
                                    ("sso", "sso_*"),
                                    ("absent", "profile absent: not found")] {
            let error = await #expect(throws: SQSClientError.self) {
                try await ProfileCredentialsProvider(profile: profile, environment: env, now: clock.provider).credentials()
            }
            #expect(error?.message.contains(expected) == true, "\(profile): \(String(describing: error))")
        }
        #expect(sts.requests.count == 1, "no STS call for a profile that cannot work")
    }

    /// The cached chain asks STS again only inside the refresh margin of the role's expiry,
    /// measured on the injected clock: no test waits for an expiry.
    @Test func assumedRoleIsRefreshedBeforeItExpires() async throws {
        let clock = TestClock()
        let sts = FakeSTS(clock: clock, signers: ["AKIDBASE": KnownKey(secretAccessKey: "base-secret")])
        defer { sts.stop() }
        let files = try AWSFiles(credentials: "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n",
                                 config: "[default]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n")
        defer { files.remove() }
        let env = files.environment(["AWS_ENDPOINT_URL_STS": sts.endpoint])
        let cache = CachingCredentialsProvider(ChainCredentialsProvider.default(environment: env, now: clock.provider),
                                               refreshMargin: 300, now: clock.provider)
        #expect(try await cache.credentials().accessKeyId == "ASIASTS1")
        clock.advance(590)  // 310 s left
        #expect(try await cache.credentials().accessKeyId == "ASIASTS1")
        #expect(sts.requests.count == 1)
        clock.advance(20)   // 290 s left: renewed
        #expect(try await cache.credentials().accessKeyId == "ASIASTS2")
        #expect(sts.requests.count == 2)
    }

    /// End to end: a client whose only credentials come from web identity signs requests that
    /// a Wharf verifying signatures (and the session token) accepts.
    @Test func webIdentityCredentialsSignRequestsWharfVerifies() async throws {
        let clock = TestClock(start: Date())
        let sts = FakeSTS(clock: clock)
        defer { sts.stop() }
        let files = try AWSFiles()
        defer { files.remove() }
        let tokenFile = files.directory.appendingPathComponent("token").path
        try "eyJ.web.token".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let env = files.environment(["AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::1:role/r",
                                     "AWS_ENDPOINT_URL_STS": sts.endpoint])
        try await withWharf(environment: ["WHARF_ACCESS_KEY_ID": "ASIASTS1", "WHARF_SECRET_ACCESS_KEY": "sts-secret-1",
                                          "WHARF_SESSION_TOKEN": "sts-token-1"]) { server in
            let client = server.client {
                $0.credentials = CachingCredentialsProvider(ChainCredentialsProvider.default(environment: env, now: clock.provider),
                                                            now: clock.provider)
            }
            let url = try await client.createQueue(named: "federated")
            try await client.sendMessage("via STS", to: url)
            #expect(try await client.receiveMessages(from: url).first?.body == "via STS")
        }
        #expect(sts.requests.count == 1, "cached across requests")
    }

    @Test func stsEndpointFallsBackToAWSEndpointURL() async throws {
        let clock = TestClock()
        let sts = FakeSTS(clock: clock, signers: ["AKIDBASE": KnownKey(secretAccessKey: "base-secret")])
        defer { sts.stop() }
        let provider = AssumeRoleCredentialsProvider(
            roleARN: "arn:aws:iam::1:role/r", source: StaticCredentialsProvider(accessKeyId: "AKIDBASE", secretAccessKey: "base-secret"),
            environment: ["AWS_ENDPOINT_URL": sts.endpoint, "AWS_REGION": "ap-southeast-2"], now: clock.provider)
        #expect(try await provider.credentials().accessKeyId == "ASIASTS1")
        #expect(sts.requests.first?.header("Authorization")?.contains("/ap-southeast-2/sts/aws4_request") == true)
        // A wrong source key is refused by STS, and the error says where and why.
        let wrong = AssumeRoleCredentialsProvider(
            roleARN: "arn:aws:iam::1:role/r", source: StaticCredentialsProvider(accessKeyId: "AKIDBASE", secretAccessKey: "nope"),
            environment: ["AWS_ENDPOINT_URL_STS": sts.endpoint], now: clock.provider)
        let error = await #expect(throws: SQSClientError.self) { try await wrong.credentials() }
        #expect(error?.message.contains("SignatureDoesNotMatch") == true, "\(String(describing: error))")
        #expect(error?.message.contains("AssumeRole arn:aws:iam::1:role/r at \(sts.endpoint)") == true)
    }
}
