import Foundation
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import SigV4
import WharfTestSupport

/// One request as a fake AWS service received it, parsed enough to check what a client sent.
struct ReceivedRequest: Sendable {
    var method: String
    var path: String
    var query: String?
    /// In arrival order, names as sent.
    var headers: [(name: String, value: String)]
    var body: String

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The body as `application/x-www-form-urlencoded` parameters.
    var form: [String: String] {
        var result: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            result[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return result
    }

    /// The request as SigV4 sees it, to verify a signature with `SigV4Verifier`.
    var signable: SignableRequest {
        SignableRequest(method: method, path: path, query: query, headers: headers, body: Array(body.utf8))
    }

    init?(raw: String) {
        guard let headEnd = raw.range(of: "\r\n\r\n") else { return nil }
        let lines = raw[..<headEnd.lowerBound].components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        method = String(requestLine[0])
        let target = String(requestLine[1])
        if let mark = target.firstIndex(of: "?") {
            path = String(target[..<mark]); query = String(target[target.index(after: mark)...])
        } else {
            path = target; query = nil
        }
        headers = lines.dropFirst().compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        body = String(raw[headEnd.upperBound...])
    }
}

/// What a fake service answers.
struct FakeResponse: Sendable {
    var status: Int
    var headers: [String: String] = [:]
    var body: String

    static func xml(_ body: String, status: Int = 200) -> FakeResponse {
        FakeResponse(status: status, headers: ["Content-Type": "text/xml"], body: body)
    }
    static func json(_ body: String, status: Int = 200) -> FakeResponse {
        FakeResponse(status: status, headers: ["Content-Type": "application/json"], body: body)
    }
    static func text(_ body: String, status: Int = 200) -> FakeResponse {
        FakeResponse(status: status, headers: ["Content-Type": "text/plain"], body: body)
    }
}

/// A loopback HTTP server standing in for STS, the container credentials endpoint or the
/// instance metadata service: `route` answers each request (and may record a check that
/// failed in its answer), every request is kept for the test to inspect. One connection at a
/// time, closed after each answer.
final class FakeAWSServer: @unchecked Sendable {
    let port: Int
    private let fd: Int32
    private let lock = NSLock()
    private var received: [ReceivedRequest] = []
    private let route: @Sendable (ReceivedRequest) -> FakeResponse

    init(_ route: @escaping @Sendable (ReceivedRequest) -> FakeResponse) {
        self.route = route
        (fd, port) = Sockets.makeListener()
        Thread { [self] in acceptLoop() }.start()
    }

    var url: URL { URL(string: "http://127.0.0.1:\(port)")! }
    var requests: [ReceivedRequest] { lock.withLock { received } }

    func stop() { shutdown(fd, Int32(SHUT_RDWR)) }

    private func acceptLoop() {
        defer { close(fd) }
        while true {
            let connection = accept(fd, nil, nil)
            if connection < 0 { return }
            guard let raw = Sockets.readMessage(connection), let request = ReceivedRequest(raw: raw) else {
                close(connection); continue
            }
            lock.withLock { received.append(request) }
            let response = route(request)
            var head = "HTTP/1.1 \(response.status) Status\r\nContent-Length: \(response.body.utf8.count)\r\nConnection: close\r\n"
            for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
            Sockets.write(connection, Array((head + "\r\n" + response.body).utf8))
            close(connection)
        }
    }
}

/// STS's answers, as the service writes them.
enum STSResponses {
    static func credentials(action: String, id: String, secret: String, token: String, expiration: Date) -> String {
        let formatter = ISO8601DateFormatter()
        return """
            <\(action)Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <\(action)Result>
                <Credentials>
                  <AccessKeyId>\(id)</AccessKeyId>
                  <SecretAccessKey>\(secret)</SecretAccessKey>
                  <SessionToken>\(token)</SessionToken>
                  <Expiration>\(formatter.string(from: expiration))</Expiration>
                </Credentials>
                <AssumedRoleUser>
                  <AssumedRoleId>AROA123EXAMPLE123:session</AssumedRoleId>
                  <Arn>arn:aws:sts::123456789012:assumed-role/demo/session</Arn>
                </AssumedRoleUser>
              </\(action)Result>
              <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
            </\(action)Response>
            """
    }

    static func error(code: String, message: String) -> String {
        """
        <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <Error><Type>Sender</Type><Code>\(code)</Code><Message>\(message)</Message></Error>
          <RequestId>4b0a6e5f-0000-0000-0000-000000000000</RequestId>
        </ErrorResponse>
        """
    }
}
