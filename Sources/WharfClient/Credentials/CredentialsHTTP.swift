import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The one HTTP exchange every network credentials source needs (STS, the container endpoint,
/// instance metadata): a method, headers and a small body, with a deadline, answering the status
/// and the body as text. Failures come back as `.credentials` errors that name the source and the
/// URL, since "which provider, why" is what a user reading the chain's error needs.
struct CredentialsHTTP: Sendable {
    struct Response: Sendable {
        var status: Int
        var body: String
    }

    var client: HTTPClient = sharedHTTPClient

    func send(_ method: HTTPMethod, _ url: URL, headers: [(String, String)] = [], body: String? = nil,
              timeout: TimeInterval, source: String) async throws(SQSClientError) -> Response {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.headers.add(name: "User-Agent", value: "wharf-client/1")
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        do {
            let response = try await client.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
            let bytes = try await response.body.collect(upTo: 1 << 20)
            return Response(status: Int(response.status.code), body: String(buffer: bytes))
        } catch {
            if error is CancellationError || Task.isCancelled { throw .cancelled }
            if let httpError = error as? HTTPClientError, httpError == .deadlineExceeded || httpError == .readTimeout {
                throw .credentials("\(source): \(method.rawValue) \(url.absoluteString): no answer within \(timeout) s")
            }
            throw .credentials("\(source): \(method.rawValue) \(url.absoluteString): \(error)")
        }
    }
}

/// Credentials JSON as the container endpoint, instance metadata and `credential_process`
/// write it; the key of the session token differs (`Token` / `SessionToken`), so both are read.
struct CredentialsDocument: Decodable {
    var AccessKeyId: String?
    var SecretAccessKey: String?
    var Token: String?
    var SessionToken: String?
    var Expiration: String?
    /// Instance metadata's status ("Success"), and the error fields of the container endpoint.
    var Code: String?
    var Message: String?
    var code: String?
    var message: String?
    /// `credential_process` output must say `"Version": 1`.
    var Version: Int?

    static func parse(_ text: String, source: String) throws(SQSClientError) -> CredentialsDocument {
        do {
            return try JSONDecoder().decode(CredentialsDocument.self, from: Data(text.utf8))
        } catch {
            throw .credentials("\(source): the answer is not credentials JSON: \(text.prefix(200))")
        }
    }

    func credentials(source: String) throws(SQSClientError) -> AWSCredentials {
        guard let id = AccessKeyId, !id.isEmpty, let secret = SecretAccessKey, !secret.isEmpty else {
            throw .credentials("\(source): the answer has no AccessKeyId/SecretAccessKey")
        }
        var expiration: Date?
        if let text = Expiration {
            guard let date = parseISO8601(text) else {
                throw .credentials("\(source): Expiration \(text) is not an ISO 8601 date")
            }
            expiration = date
        }
        return AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: Token ?? SessionToken,
                              expiration: expiration)
    }
}

extension URL {
    /// The Host header as AsyncHTTPClient writes it (port only when not the scheme's default),
    /// which is the one a SigV4 signature must cover.
    var signingHost: String {
        let parts = URLComponents(url: self, resolvingAgainstBaseURL: false)
        let scheme = parts?.scheme ?? "https"
        var host = parts?.host ?? "localhost"
        if host.contains(":") && !host.hasPrefix("[") { host = "[\(host)]" }
        if let port = parts?.port, port != (scheme == "https" ? 443 : 80) { host += ":\(port)" }
        return host
    }
}
