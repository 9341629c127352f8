import Foundation
import NIOHTTP1
import SigV4

/// The two STS calls the provider chain makes, in STS's Query protocol (form-encoded POST,
/// XML answer), as every SDK sends them. `AssumeRole` is signed with the source credentials
/// (SigV4, service `sts`); `AssumeRoleWithWebIdentity` is not signed: the token is the proof.
struct STS: Sendable {
    var endpoint: URL
    var region: String
    var timeout: TimeInterval = 10
    var http = CredentialsHTTP()
    var now: @Sendable () -> Date = Date.init

    /// `AWS_ENDPOINT_URL_STS`, else `AWS_ENDPOINT_URL`, else the regional endpoint (what the
    /// SDKs use today), in the region of `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile, us-east-1.
    init(environment: [String: String], profileRegion: String?, http: CredentialsHTTP = CredentialsHTTP(),
         now: @escaping @Sendable () -> Date = Date.init) {
        let region = [environment["AWS_REGION"], environment["AWS_DEFAULT_REGION"], profileRegion]
            .compactMap { $0 }.first { !$0.isEmpty } ?? "us-east-1"
        let configured = ["AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL"].lazy
            .compactMap { environment[$0].flatMap(URL.init(string:)) }.first { $0.host != nil }
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        self.endpoint = configured ?? URL(string: "https://sts.\(region).\(suffix)")!
        self.region = region
        self.http = http
        self.now = now
    }

    func assumeRole(roleARN: String, sessionName: String, externalId: String?, durationSeconds: Int?,
                    with source: AWSCredentials) async throws(SQSClientError) -> AWSCredentials {
        var parameters = [("Action", "AssumeRole"), ("Version", "2011-06-15"),
                          ("RoleArn", roleARN), ("RoleSessionName", sessionName)]
        if let externalId { parameters.append(("ExternalId", externalId)) }
        if let durationSeconds { parameters.append(("DurationSeconds", String(durationSeconds))) }
        return try await call(parameters, signedWith: source, what: "AssumeRole \(roleARN)")
    }

    func assumeRoleWithWebIdentity(roleARN: String, sessionName: String, token: String) async throws(SQSClientError) -> AWSCredentials {
        try await call([("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15"),
                        ("RoleArn", roleARN), ("RoleSessionName", sessionName), ("WebIdentityToken", token)],
                       signedWith: nil, what: "AssumeRoleWithWebIdentity \(roleARN)")
    }

    private func call(_ parameters: [(String, String)], signedWith source: AWSCredentials?,
                      what: String) async throws(SQSClientError) -> AWSCredentials {
        let body = parameters.map { "\(Self.formEncode($0.0))=\(Self.formEncode($0.1))" }.joined(separator: "&")
        var headers: [(String, String)] = [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")]
        if let source {
            let path = endpoint.path.isEmpty ? "/" : endpoint.path
            var signable = SignableRequest(method: "POST", path: path, query: nil,
                                           headers: [("Host", endpoint.signingHost)] + headers.map { ($0.0, $0.1) },
                                           body: Array(body.utf8))
            SigV4Signer.sign(&signable, credentials: SigningCredentials(
                accessKeyId: source.accessKeyId, secretAccessKey: source.secretAccessKey,
                sessionToken: source.sessionToken), region: region, service: "sts",
                             epochSeconds: Int64(now().timeIntervalSince1970))
            headers = signable.headers.map { ($0.name, $0.value) }
        }
        let source = "STS \(what) at \(endpoint.absoluteString)"
        let response = try await http.send(.POST, endpoint, headers: headers, body: body, timeout: timeout, source: source)
        guard response.status == 200 else {
            let code = Self.element("Code", in: response.body) ?? "HTTP \(response.status)"
            let message = Self.element("Message", in: response.body) ?? String(response.body.prefix(200))
            throw .credentials("\(source): \(code): \(message)")
        }
        guard let id = Self.element("AccessKeyId", in: response.body),
              let secret = Self.element("SecretAccessKey", in: response.body),
              let token = Self.element("SessionToken", in: response.body) else {
            throw .credentials("\(source): the answer has no Credentials")
        }
        let expiration = Self.element("Expiration", in: response.body).flatMap(parseISO8601)
        return AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: token, expiration: expiration)
    }

    /// The text of the first `<name>` element. STS answers are flat enough that this is all the
    /// XML reading they need; entities are decoded.
    static func element(_ name: String, in xml: String) -> String? {
        guard let open = xml.range(of: "<\(name)>"),
              let close = xml.range(of: "</\(name)>", range: open.upperBound..<xml.endIndex) else { return nil }
        return String(xml[open.upperBound..<close.lowerBound])
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// `application/x-www-form-urlencoded` as the SDKs write it: unreserved characters kept,
    /// everything else `%XX`.
    static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "-_.~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// The role session name when none is configured, as botocore makes one.
    static func defaultSessionName(now: Date) -> String { "wharf-session-\(Int(now.timeIntervalSince1970))" }
}
