import Foundation
import Testing
import WharfClient

/// A directory of AWS files for one test, removed afterwards.
struct AWSFiles {
    let directory: URL
    init(credentials: String? = nil, config: String? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("aws-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent(".aws"), withIntermediateDirectories: true)
        if let credentials { try credentials.write(to: directory.appendingPathComponent(".aws/credentials"), atomically: true, encoding: .utf8) }
        if let config { try config.write(to: directory.appendingPathComponent(".aws/config"), atomically: true, encoding: .utf8) }
    }
    /// An environment whose HOME is this directory, plus `extra`. Instance metadata is off
    /// unless `extra` points it at a stub: a test must never ask 169.254.169.254.
    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        ["HOME": directory.path, "AWS_EC2_METADATA_DISABLED": "true"].merging(extra) { $1 }
    }
    func remove() { try? FileManager.default.removeItem(at: directory) }
}

final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    init(start: Date = Date(timeIntervalSince1970: 1_700_000_000)) { current = start }
    var now: Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
    var provider: @Sendable () -> Date { { self.now } }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func next() -> Int { lock.withLock { count += 1; return count } }
    var value: Int { lock.withLock { count } }
}

@Suite struct CredentialsTests {
    let profiles = """
        # comment
        [default]
        aws_access_key_id = AKIDFILE
        aws_secret_access_key = file-secret

        [dev]
        aws_access_key_id=AKIDDEV
        aws_secret_access_key=dev-secret
        aws_session_token = dev-token
        """

    @Test func environmentWinsOverProfile() async throws {
        let files = try AWSFiles(credentials: profiles)
        defer { files.remove() }
        let chain = ChainCredentialsProvider.default(environment: files.environment([
            "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "env-token"]))
        #expect(try await chain.credentials() == AWSCredentials(accessKeyId: "AKIDENV", secretAccessKey: "env-secret", sessionToken: "env-token"))
        // Without the environment keys the default profile applies.
        #expect(try await ChainCredentialsProvider.default(environment: files.environment()).credentials().accessKeyId == "AKIDFILE")
    }

    @Test func namedProfileFromAWSProfileOrArgument() async throws {
        let files = try AWSFiles(credentials: profiles)
        defer { files.remove() }
        let fromEnv = try await ProfileCredentialsProvider(environment: files.environment(["AWS_PROFILE": "dev"])).credentials()
        #expect(fromEnv == AWSCredentials(accessKeyId: "AKIDDEV", secretAccessKey: "dev-secret", sessionToken: "dev-token"))
        let explicit = try await ProfileCredentialsProvider(profile: "default", environment: files.environment(["AWS_PROFILE": "dev"])).credentials()
        #expect(explicit.accessKeyId == "AKIDFILE")
        await #expect(throws: SQSClientError.self) {
            try await ProfileCredentialsProvider(profile: "missing", environment: files.environment()).credentials()
        }
    }

    @Test func configFileProfileSectionsAndOverriddenPaths() async throws {
        let files = try AWSFiles()
        defer { files.remove() }
        let config = files.directory.appendingPathComponent("my-config")
        try """
            [profile ci]
            region = eu-central-1
            aws_access_key_id = AKIDCONFIG
            aws_secret_access_key = config-secret
            s3 =
              max_concurrent_requests = 10
            [ci]
            aws_access_key_id = IGNORED
            """.write(to: config, atomically: true, encoding: .utf8)
        let credentialsFile = files.directory.appendingPathComponent("my-credentials")
        try "[other]\naws_access_key_id = X\naws_secret_access_key = Y\n".write(to: credentialsFile, atomically: true, encoding: .utf8)
        let env = files.environment(["AWS_CONFIG_FILE": config.path, "AWS_SHARED_CREDENTIALS_FILE": credentialsFile.path, "AWS_PROFILE": "ci"])
        #expect(try await ChainCredentialsProvider.default(environment: env).credentials().accessKeyId == "AKIDCONFIG")
        #expect(try await ProfileCredentialsProvider(profile: "other", environment: env).credentials().accessKeyId == "X")
        var configuration = SQSClientConfiguration()
        configuration.environment = env
        #expect(configuration.resolvedRegion() == "eu-central-1")
    }

    @Test func regionAndEndpointResolutionOrder() throws {
        let files = try AWSFiles(config: "[default]\nregion = ap-south-1\n")
        defer { files.remove() }
        var configuration = SQSClientConfiguration()
        configuration.environment = files.environment()
        #expect(configuration.resolvedRegion() == "ap-south-1")
        configuration.environment = files.environment(["AWS_DEFAULT_REGION": "us-west-1"])
        #expect(configuration.resolvedRegion() == "us-west-1")
        configuration.environment = files.environment(["AWS_DEFAULT_REGION": "us-west-1", "AWS_REGION": "us-west-2"])
        #expect(configuration.resolvedRegion() == "us-west-2")
        configuration.region = "eu-north-1"
        #expect(configuration.resolvedRegion() == "eu-north-1")
        configuration.environment = [:]
        configuration.region = nil
        #expect(configuration.resolvedRegion() == "us-east-1")

        #expect(configuration.resolvedEndpoint(region: "eu-west-1").absoluteString == "https://sqs.eu-west-1.amazonaws.com")
        #expect(configuration.resolvedEndpoint(region: "cn-north-1").absoluteString == "https://sqs.cn-north-1.amazonaws.com.cn")
        configuration.environment = ["AWS_ENDPOINT_URL": "http://general:1"]
        #expect(configuration.resolvedEndpoint(region: "x").absoluteString == "http://general:1")
        configuration.environment["AWS_ENDPOINT_URL_SQS"] = "http://sqs-only:2"
        #expect(configuration.resolvedEndpoint(region: "x").absoluteString == "http://sqs-only:2")
        configuration.endpoint = URL(string: "http://explicit:3")
        #expect(configuration.resolvedEndpoint(region: "x").absoluteString == "http://explicit:3")
        let client = SQSClient(configuration: configuration)
        #expect(client.endpoint.absoluteString == "http://explicit:3")
    }

    /// Temporary credentials are fetched again only once they are within the refresh margin
    /// of their expiry; long-term ones are fetched once.
    @Test func cacheRefreshesShortlyBeforeExpiry() async throws {
        let clock = TestClock()
        let fetches = Counter()
        let base = ClosureCredentialsProvider {
            let n = fetches.next()
            return AWSCredentials(accessKeyId: "AKID\(n)", secretAccessKey: "s", sessionToken: "t\(n)",
                                  expiration: clock.now.addingTimeInterval(900))
        }
        let cache = CachingCredentialsProvider(base, refreshMargin: 300, now: { clock.now })
        #expect(try await cache.credentials().accessKeyId == "AKID1")
        clock.advance(500)  // 400 s left: still good
        #expect(try await cache.credentials().accessKeyId == "AKID1")
        clock.advance(150)  // 250 s left: inside the margin
        #expect(try await cache.credentials().accessKeyId == "AKID2")
        #expect(fetches.value == 2)

        // Concurrent callers share one refresh.
        clock.advance(700)
        async let a = cache.credentials()
        async let b = cache.credentials()
        _ = try await (a, b)
        #expect(fetches.value == 3)

        let longTerm = Counter()
        let forever = CachingCredentialsProvider(ClosureCredentialsProvider {
            _ = longTerm.next(); return AWSCredentials(accessKeyId: "A", secretAccessKey: "s")
        }, now: { clock.now })
        for _ in 0..<3 { _ = try await forever.credentials(); clock.advance(100_000) }
        #expect(longTerm.value == 1)
    }

    @Test func environmentExpirationAndNoCredentials() async throws {
        let env = ["AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "s", "AWS_CREDENTIAL_EXPIRATION": "2030-01-02T03:04:05Z"]
        let credentials = try await EnvironmentCredentialsProvider(environment: env).credentials()
        #expect(credentials.expiration == Date(timeIntervalSince1970: 1_893_553_445))
        let files = try AWSFiles()
        defer { files.remove() }
        let error = await #expect(throws: SQSClientError.self) {
            try await ChainCredentialsProvider.default(environment: files.environment()).credentials()
        }
        guard case .credentials = error else { Issue.record("expected .credentials, got \(String(describing: error))"); return }
    }
}
