/// Credentials that sign requests.
public struct SigningCredentials: Sendable, Equatable {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var sessionToken: String?
    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyId = accessKeyId; self.secretAccessKey = secretAccessKey; self.sessionToken = sessionToken
    }
}

/// Signs requests with an Authorization header, as botocore does.
///
/// ```swift
/// var request = SignableRequest(method: "POST", path: "/", query: nil,
///                               headers: [("host", "localhost:9324")], body: Array(json.utf8))
/// SigV4Signer.sign(&request, credentials: creds, region: "us-east-1", epochSeconds: now)
/// ```
public enum SigV4Signer {
    public static func sign(_ request: inout SignableRequest, credentials: SigningCredentials, region: String,
                            service: String = "sqs", epochSeconds: Int64) {
        let amzDate = AmzDate.format(epochSeconds)
        request.headers.removeAll { ["x-amz-date", "authorization", "x-amz-security-token"].contains($0.name.lowercased()) }
        request.headers.append(("X-Amz-Date", amzDate))
        if let token = credentials.sessionToken { request.headers.append(("X-Amz-Security-Token", token)) }
        let scope = SigV4.Scope(date: String(amzDate.prefix(8)), region: region, service: service)
        // Sign every header but the ones proxies rewrite, sorted by lower-case name.
        let signed = Set(request.headers.map { $0.name.lowercased() })
            .subtracting(["user-agent", "content-length", "expect", "connection"]).sorted()
        let payloadHash = request.header("x-amz-content-sha256") ?? SigV4.hexSHA256(request.body)
        let canonical = SigV4.canonicalRequest(request, signedHeaders: signed, payloadHash: payloadHash)
        let signature = SigV4.signature(secret: credentials.secretAccessKey, scope: scope,
                                        stringToSign: SigV4.stringToSign(amzDate: amzDate, scope: scope,
                                                                         canonicalRequest: canonical))
        request.headers.append(("Authorization", "\(SigV4.algorithm) Credential=\(credentials.accessKeyId)/\(scope.string), SignedHeaders=\(signed.joined(separator: ";")), Signature=\(signature)"))
    }
}
