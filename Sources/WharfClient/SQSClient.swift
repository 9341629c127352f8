import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import SQSModel
import SigV4

/// A client for Amazon SQS and servers that speak its API (Wharf, moto, ElasticMQ …).
///
/// ```swift
/// let sqs = SQSClient(region: "us-east-1", endpoint: URL(string: "http://localhost:9324"))
/// let queueURL = try await sqs.createQueue(named: "orders")
/// try await sqs.sendMessage("hello", to: queueURL)
/// for message in try await sqs.receiveMessages(from: queueURL, maxMessages: 10, waitTimeSeconds: 20) {
///     print(message.id, message.body)
///     try await sqs.deleteMessage(message.receiptHandle, from: queueURL)
/// }
/// ```
///
/// Every operation is one `async` call over AWS JSON 1.0, signed with SigV4, retried on 5xx,
/// throttling and dropped connections, checked against SQS's limits before it is sent and
/// against the MD5s SQS answers; every one throws `SQSClientError`. Queues are named by URL (a
/// `String`, as SQS hands it out), received messages by their receipt handle. Calls that
/// list things are `list…` and return all of them; calls that read a queue's properties are
/// named after them (`queueAttributes(of:)`, `queueTags(of:)`).
///
/// Without arguments the client finds region, endpoint and credentials as the AWS SDKs do
/// (environment, profile files, container and instance credentials); `SQSClientConfiguration`
/// sets them, the timeouts and the retry policy. One client serves any number of concurrent
/// calls.
public final class SQSClient: Sendable {
    /// The configuration the client was made with.
    public let configuration: SQSClientConfiguration
    /// The region in effect, which signatures are scoped to (see `SQSClientConfiguration.region`).
    public let region: String
    /// The endpoint in effect (see `SQSClientConfiguration.endpoint`).
    public let endpoint: URL
    let credentials: any CredentialsProvider
    let httpClient: HTTPClient

    /// - Parameter httpClient: defaults to one process-wide client that never needs shutting
    ///   down; pass your own to control TLS, proxies or pool sizes (and shut it down yourself).
    public init(configuration: SQSClientConfiguration = SQSClientConfiguration(), httpClient: HTTPClient? = nil) {
        self.configuration = configuration
        region = configuration.resolvedRegion()
        endpoint = configuration.resolvedEndpoint(region: region)
        credentials = configuration.credentials ?? CachingCredentialsProvider(
            ChainCredentialsProvider.default(profile: configuration.profile, environment: configuration.environment))
        self.httpClient = httpClient ?? sharedHTTPClient
    }

    /// A client for this region and endpoint (nil: found as the AWS SDKs find them), with the
    /// default configuration.
    public convenience init(region: String? = nil, endpoint: URL? = nil, credentials: (any CredentialsProvider)? = nil) {
        self.init(configuration: SQSClientConfiguration(region: region, endpoint: endpoint, credentials: credentials))
    }

    /// Sends any request of the wire model and decodes its response: what every operation
    /// calls. Validates the request, retries, and verifies MD5s per the configuration.
    package func perform<Request: SQSRequest, Response: SQSResponse>(
        _ request: Request, returning: Response.Type = Response.self
    ) async throws(SQSClientError) -> Response {
        if configuration.validateRequests { try RequestValidation.check(request) }
        let body = try AWSJSON.encode(request)
        let url = target(for: request)
        // A long poll holds the response for up to WaitTimeSeconds; without one the queue's
        // ReceiveMessageWaitTimeSeconds (at most 20) applies, which the client cannot see.
        var timeout = configuration.timeout
        if let receive = request as? ReceiveMessageRequest { timeout += Double(receive.WaitTimeSeconds ?? 20) }
        let responseBody = try await withRetries(Request.operation) { () async throws(SQSClientError) in
            try await self.send(Request.operation, body: body, to: url, timeout: timeout)
        }
        let response = try AWSJSON.decode(Response.self, from: responseBody)
        if configuration.verifyChecksums { try MessageChecksums.verify(request, response) }
        return response
    }

    /// Runs `attempt` until it succeeds, fails with something not worth retrying, or
    /// `retry.maxAttempts` is used up, sleeping with full jitter in between.
    func withRetries<T>(_ operation: SQSOperation,
                        _ attempt: () async throws(SQSClientError) -> T) async throws(SQSClientError) -> T {
        let policy = configuration.retry
        var attempts = 0
        while true {
            attempts += 1
            do throws(SQSClientError) {
                return try await attempt()
            } catch {
                // A dropped connection may have delivered the request; retrying it anyway is
                // what every SDK does, since SQS delivery is at-least-once regardless. Timeouts
                // are not retried: the caller's time budget is spent.
                let retryable: Bool
                if case .transport = error { retryable = true } else { retryable = RetryPolicy.isRetryable(error) }
                guard retryable, attempts < policy.maxAttempts else { throw error }
                let delay = policy.delay(afterAttempt: attempts)
                configuration.logger.debug("retrying \(operation.rawValue)",
                                           metadata: ["attempt": "\(attempts)", "delay": "\(delay)", "error": "\(error)"])
                do {
                    try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
                } catch {
                    throw .cancelled
                }
            }
        }
    }

    /// One attempt: sign, POST, return the body of a 200 or throw the parsed error.
    func send(_ operation: SQSOperation, body: [UInt8], to url: URL, timeout: TimeInterval) async throws(SQSClientError) -> [UInt8] {
        let creds = try await credentials.credentials()
        let signed = signedRequest(operation, body: body, url: url, credentials: creds,
                                   epochSeconds: Int64(configuration.now().timeIntervalSince1970))
        var request = HTTPClientRequest(url: signed.url)
        request.method = .POST
        for (name, value) in signed.headers { request.headers.add(name: name, value: value) }
        request.headers.add(name: "User-Agent", value: "wharf-client/1")
        request.body = .bytes(ByteBuffer(bytes: body))
        let deadline = TimeAmount.nanoseconds(Int64(timeout * 1_000_000_000))
        let (httpClient, logger) = (self.httpClient, configuration.logger)
        do {
            // The whole exchange, body included, races a timer: the HTTP client's own deadline
            // covers only part of it, and a long poll must never hang past its wait.
            let (status, headers, data) = try await Self.within(seconds: timeout) { [request] in
                let response = try await httpClient.execute(request, timeout: deadline, logger: logger)
                let bytes = try await response.body.collect(upTo: 64 << 20)
                return (response.status, response.headers, Array(bytes.readableBytesView))
            }
            guard status == .ok else {
                throw AWSJSON.error(status: Int(status.code), headers: headers, body: data)
            }
            return data
        } catch is TimedOut {
            throw .timeout(seconds: timeout)
        } catch let error as SQSClientError {
            throw error
        } catch {
            throw Self.classify(error, timeout: timeout)
        }
    }

    /// What AsyncHTTPClient and NIO throw, as client errors.
    private struct TimedOut: Error {}

    /// Runs `work`, or throws `TimedOut` (cancelling it) if it takes longer than `seconds`.
    private static func within<T: Sendable>(seconds: TimeInterval,
                                            _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
                throw TimedOut()
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    static func classify(_ error: any Error, timeout: TimeInterval) -> SQSClientError {
        if error is CancellationError || Task.isCancelled { return .cancelled }
        if let httpError = error as? HTTPClientError {
            if httpError == .deadlineExceeded || httpError == .readTimeout { return .timeout(seconds: timeout) }
            if httpError == .cancelled { return .cancelled }
        }
        return .transport(String(describing: error))
    }

    /// The endpoint, or the queue URL's origin when so configured.
    func target<Request: SQSRequest>(for request: Request) -> URL {
        if configuration.useQueueURLOrigin, let scoped = request as? any QueueScopedRequest,
           let queueUrl = scoped.QueueUrl, let parts = URLComponents(string: queueUrl),
           let scheme = parts.scheme, let host = parts.host, !host.isEmpty {
            var origin = URLComponents()
            origin.scheme = scheme; origin.host = host; origin.port = parts.port; origin.path = "/"
            if let url = origin.url { return url }
        }
        return endpoint
    }

    /// The URL and headers of a signed request. Separate from `send` so the signature can be
    /// checked against botocore's (docs/sqs-behaviour.md#signed-examples).
    func signedRequest(_ operation: SQSOperation, body: [UInt8], url: URL, credentials: AWSCredentials,
                       epochSeconds: Int64) -> (url: String, headers: [(name: String, value: String)]) {
        let parts = URLComponents(url: url, resolvingAgainstBaseURL: false)
        let scheme = parts?.scheme ?? "https"
        var host = parts?.host ?? "localhost"
        if host.contains(":") && !host.hasPrefix("[") { host = "[\(host)]" }  // IPv6 literal
        // The Host header we sign must be the one sent: with the port only when non-default,
        // as AsyncHTTPClient (which keeps a Host header we set) would write it.
        if let port = parts?.port, port != (scheme == "https" ? 443 : 80) { host += ":\(port)" }
        let path = (parts?.percentEncodedPath).flatMap { $0.isEmpty ? nil : $0 } ?? "/"
        var signable = SignableRequest(method: "POST", path: path, query: nil, headers: [
            ("Host", host),
            ("Content-Type", AWSJSON.contentType),
            ("X-Amz-Target", "AmazonSQS.\(operation.rawValue)"),
            // Tells query-compatible services we read x-amzn-query-error, as botocore does.
            ("x-amzn-query-mode", "true"),
        ], body: body)
        SigV4Signer.sign(&signable, credentials: SigningCredentials(
            accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey,
            sessionToken: credentials.sessionToken), region: region, epochSeconds: epochSeconds)
        return ("\(scheme)://\(host)\(path)", signable.headers)
    }
}

/// One HTTP client for every SQSClient that is not given its own: a global is never
/// deinitialised, so it needs no shutdown. Redirects are off (SQS never redirects a POST and
/// a redirect would drop the signature); the per-request deadline bounds each attempt. The pool
/// must not retry failed connects on its own (it would until the connect timeout, 10 s per
/// attempt for a refused port): the client's retry policy does that, with backoff.
let sharedHTTPClient: HTTPClient = {
    var configuration = HTTPClient.Configuration(
        redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10)))
    configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
    configuration.connectionPool.retryConnectionEstablishment = false
    return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
}()
